//! Color, NO_COLOR and plain-ASCII rendering choices in one place, so views
//! ask for a role ("selected", "warning") and never pick colors themselves.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    pub ascii: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            color: true,
            ascii: false,
        }
    }
}

/// What a piece of text is, for styling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Normal,
    Title,
    Muted,
    Selected,
    Focused,
    Key,
    Ok,
    Warn,
    Error,
    Suggested,
    Code,
}

/// Symbols with an ASCII fallback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sym {
    Checked,
    Unchecked,
    Pass,
    Fail,
    Unknown,
    Current,
    Done,
    Ahead,
    Branch,
    Arrow,
    Bullet,
    Ellipsis,
}

impl Theme {
    /// `no_color_flag` or a non-empty NO_COLOR turns color off (no-color.org).
    pub fn new(no_color_flag: bool, ascii: bool, no_color_env: Option<&str>) -> Self {
        let env_off = no_color_env.is_some_and(|v| !v.is_empty());
        Theme {
            color: !(no_color_flag || env_off),
            ascii,
        }
    }

    pub fn style(&self, role: Role) -> Style {
        if !self.color {
            // Without color, emphasis still reads: reverse for selection, bold
            // for titles and keys. These are not color codes.
            return match role {
                Role::Selected | Role::Focused => Style::new().add_modifier(Modifier::REVERSED),
                Role::Title | Role::Key | Role::Error | Role::Suggested => {
                    Style::new().add_modifier(Modifier::BOLD)
                }
                _ => Style::new(),
            };
        }
        match role {
            Role::Normal => Style::new(),
            Role::Title => Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Role::Muted => Style::new().fg(Color::DarkGray),
            Role::Selected => Style::new().bg(Color::Blue).fg(Color::White),
            Role::Focused => Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Role::Key => Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Role::Ok => Style::new().fg(Color::Green),
            Role::Warn => Style::new().fg(Color::Yellow),
            Role::Error => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            Role::Suggested => Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
            Role::Code => Style::new().fg(Color::Magenta),
        }
    }

    pub fn sym(&self, sym: Sym) -> &'static str {
        match (sym, self.ascii) {
            (Sym::Checked, false) => "[✓]",
            (Sym::Checked, true) => "[x]",
            (Sym::Unchecked, _) => "[ ]",
            (Sym::Pass, false) => "✓",
            (Sym::Pass, true) => "ok",
            (Sym::Fail, false) => "✗",
            (Sym::Fail, true) => "!!",
            (Sym::Unknown, _) => "?",
            (Sym::Current, false) => "▶",
            (Sym::Current, true) => ">",
            (Sym::Done, false) => "●",
            (Sym::Done, true) => "*",
            (Sym::Ahead, false) => "○",
            (Sym::Ahead, true) => "o",
            (Sym::Branch, false) => "├",
            (Sym::Branch, true) => "|",
            (Sym::Arrow, false) => "→",
            (Sym::Arrow, true) => "->",
            (Sym::Bullet, false) => "•",
            (Sym::Bullet, true) => "*",
            (Sym::Ellipsis, false) => "…",
            (Sym::Ellipsis, true) => "...",
        }
    }

    pub fn border(&self) -> border::Set<'static> {
        if self.ascii {
            border::Set {
                top_left: "+",
                top_right: "+",
                bottom_left: "+",
                bottom_right: "+",
                vertical_left: "|",
                vertical_right: "|",
                horizontal_top: "-",
                horizontal_bottom: "-",
            }
        } else {
            border::PLAIN
        }
    }
}
