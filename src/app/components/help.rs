//! `?`: every key for where the responder is, straight from the key table.
//! Scrolls (j/k) when the screen is shorter than the list.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{Handled, close, keep};
use crate::app::keymap::{Action, Mode, help};
use crate::app::model::State;
use crate::tui::theme::Role;
use crate::tui::window::text_box;

pub struct Help {
    /// The mode whose keys it lists: the screen or window under it.
    pub under: Mode,
    /// The first line shown.
    pub scroll: usize,
}

impl Help {
    pub fn new(under: Mode) -> Help {
        Help { under, scroll: 0 }
    }

    pub fn on_key(&mut self, state: &mut State, action: Option<Action>) -> Handled {
        let page = usize::from(state.screen().main.height.saturating_sub(4)).max(1);
        let last = help(self.under).len().saturating_sub(1);
        match action {
            Some(Action::Close) => return close(Vec::new()),
            Some(Action::Down) => self.scroll += 1,
            Some(Action::Up) => self.scroll = self.scroll.saturating_sub(1),
            Some(Action::PageDown) => self.scroll += page,
            Some(Action::PageUp) => self.scroll = self.scroll.saturating_sub(page),
            _ => {}
        }
        self.scroll = self.scroll.min(last);
        keep(Vec::new())
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        let theme = &state.theme;
        let keys: Vec<Line> = help(self.under)
            .into_iter()
            .map(|(k, h)| {
                Line::from(vec![
                    Span::styled(format!("{k:>10}  "), theme.style(Role::Key)),
                    Span::raw(h),
                ])
            })
            .collect();
        // A drill's way in from a second terminal, above the keys.
        let export = state.briefing.as_ref().and_then(|b| b.export_line());
        // Room inside the box: the screen less its borders, the footer and
        // the export line.
        let room = usize::from(area.height.saturating_sub(3))
            .saturating_sub(usize::from(export.is_some()))
            .max(1);
        let top = self.scroll.min(keys.len().saturating_sub(room));
        let more = keys.len().saturating_sub(top + room);
        let mut lines: Vec<Line> = export
            .map(|e| {
                Line::from(Span::styled(
                    format!("second terminal: {e}"),
                    theme.style(Role::Code),
                ))
            })
            .into_iter()
            .collect();
        lines.extend(keys.into_iter().skip(top).take(room));
        let footer = if more > 0 || top > 0 {
            format!("j/k scroll ({more} more below); esc closes this help")
        } else if self.under.types_text() {
            "Other keys type into the field. esc closes this help.".to_string()
        } else {
            "esc closes this help; windows list their keys on the bottom line.".to_string()
        };
        lines.push(Line::from(Span::styled(footer, theme.style(Role::Muted))));
        text_box(frame, area, theme, " Keys ", lines);
    }
}
