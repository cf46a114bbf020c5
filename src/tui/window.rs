//! The shapes windows are drawn in: centered boxes sized to their text,
//! nearly full windows for long text, pick lists and the typed-name box.
//! `nearly_full` is also what the model's layout uses for page sizes, so
//! scrolling and drawing agree on a window's height.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::theme::{Role, Theme};

pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [h] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(area);
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(h);
    v
}

/// A window over nearly all of `area` (less `margin` columns), for text
/// that wants the room: details, logs, output, the timeline.
pub fn nearly_full(area: Rect, margin: u16) -> Rect {
    centered(
        area,
        area.width.saturating_sub(margin).max(40),
        area.height.saturating_sub(2).max(6),
    )
}

/// Rows of text inside a bordered window.
pub fn body_height(window: Rect) -> usize {
    usize::from(window.height.saturating_sub(2))
}

/// Columns a window's body shows (inside its borders).
pub fn body_width(window: Rect) -> usize {
    usize::from(window.width.saturating_sub(2))
}

/// How far long lines are scrolled sideways, and by how much a key moves
/// them (`<`/`>` in the output and detail windows): lines are never cut
/// without a way to read the rest.
pub const SIDEWAYS_STEP: usize = 16;

/// A sideways offset moved by `delta` steps, kept where some of the widest
/// line still shows.
pub fn sideways(offset: usize, delta: isize, widest: usize, width: usize) -> usize {
    let last = widest.saturating_sub(width);
    offset
        .saturating_add_signed(delta * SIDEWAYS_STEP as isize)
        .min(last)
}

/// The bottom title a window with lines wider than it carries.
pub fn sideways_note(offset: usize, widest: usize, width: usize) -> Option<String> {
    match (offset > 0, widest > offset + width) {
        (false, false) => None,
        (false, true) => Some(" > more of long lines ".into()),
        (true, true) => Some(" < > long lines ".into()),
        (true, false) => Some(" < back ".into()),
    }
}

/// A centered box `width` wide (at most the screen) and tall enough for
/// `lines` as they wrap inside its borders, plus `extra` rows (an input).
pub fn fit_box(area: Rect, width: u16, lines: &[Line], extra: u16) -> Rect {
    let width = width.min(area.width);
    let wrapped = Paragraph::new(lines.to_vec())
        .wrap(Wrap { trim: false })
        .line_count(width.saturating_sub(2)) as u16;
    centered(area, width, wrapped + 2 + extra)
}

pub fn boxed<'a>(theme: &Theme, title: &'a str) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border())
        .border_style(theme.style(Role::Focused))
        .title(title)
}

/// A box sized to `lines`, cleared and drawn with `title`.
pub fn text_box(frame: &mut Frame, area: Rect, theme: &Theme, title: &str, lines: Vec<Line>) {
    text_box_wide(frame, area, theme, title, lines, 78);
}

/// `text_box`, up to `width` columns wide (the screen's at most).
pub fn text_box_wide(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    title: &str,
    lines: Vec<Line>,
    width: u16,
) {
    let rect = fit_box(area, width, &lines, 0);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(boxed(theme, title)),
        rect,
    );
}

/// The box at the bottom of a confirmation where the target's name is typed.
pub fn typed_name(
    frame: &mut Frame,
    inner: Rect,
    theme: &Theme,
    typed: &ratatui_textarea::TextArea<'static>,
) {
    let input_area = Rect {
        y: inner.y + inner.height.saturating_sub(3),
        height: 3,
        ..inner
    };
    let mut typed = typed.clone();
    typed.set_block(
        Block::default()
            .borders(Borders::ALL)
            .border_set(theme.border()),
    );
    frame.render_widget(&typed, input_area);
}

/// A list to pick one from (`>` marks the selection, which stays in view),
/// with explaining lines under it.
pub fn pick_list(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    title: &str,
    items: &[String],
    selected: usize,
    footer: Vec<Line<'static>>,
) {
    let visible = usize::from(area.height.saturating_sub(8)).max(1);
    let top = selected.saturating_sub(visible.saturating_sub(1));
    let mut lines: Vec<Line> = items
        .iter()
        .enumerate()
        .skip(top)
        .take(visible)
        .map(|(i, text)| {
            if i == selected {
                Line::from(Span::styled(
                    format!("> {text}"),
                    theme.style(Role::Selected),
                ))
            } else {
                Line::from(format!("  {text}"))
            }
        })
        .collect();
    lines.push(Line::default());
    lines.extend(footer);
    text_box(frame, area, theme, title, lines);
}

/// A key and what it does, styled for a window's explaining lines.
pub fn key_hint(theme: &Theme, key: &str, what: &str) -> Vec<Span<'static>> {
    vec![
        Span::styled(key.to_string(), theme.style(Role::Key)),
        Span::raw(format!(" {what}   ")),
    ]
}
