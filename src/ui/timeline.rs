//! The timeline overlay: every journaled record, oldest first, as the
//! export words it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

use super::overlays::{boxed, nearly_full};
use crate::app::state::State;
use crate::journal::export::timeline_line;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, scroll: usize) {
    let theme = &state.theme;
    let records = state.session.records();
    let rect = nearly_full(area, 4);
    frame.render_widget(Clear, rect);
    let visible = rect.height.saturating_sub(2) as usize;
    let start_at = state.session.started_at();
    // Long entries wrap under their text, clear of the time columns
    // ("04:50:20   T+00:03 "), so nothing is cut off at 80 columns.
    // `scroll` counts entries; the last page ends with the last one.
    let width = rect.width.saturating_sub(2) as usize;
    let entries: Vec<Vec<String>> = records
        .iter()
        .map(|r| super::wrap::hanging(&timeline_line(&state.session, r, start_at), width, 19))
        .collect();
    let mut max_top = entries.len();
    let mut tail_lines = 0;
    while max_top > 0 && tail_lines + entries[max_top - 1].len() <= visible {
        max_top -= 1;
        tail_lines += entries[max_top].len();
    }
    // An entry taller than the window still shows from its start.
    let max_top = max_top.min(entries.len().saturating_sub(1));
    let top = scroll.min(max_top);
    let lines: Vec<Line> = entries[top..]
        .iter()
        .flatten()
        .map(|l| Line::from(l.clone()))
        .collect();
    frame.render_widget(
        Paragraph::new(lines).block(boxed(theme, " Timeline (j/k scroll, esc closes) ")),
        rect,
    );
}
