//! `t`: every journaled record, oldest first, as the export words it. Long
//! entries wrap under their text, clear of the time columns, so nothing is
//! cut off at 80 columns; scrolling counts entries.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

use super::{Handled, close, keep};
use crate::app::keymap::Action;
use crate::app::model::State;
use crate::app::model::layout::output_window;
use crate::journal::export::timeline_line;
use crate::tui::window::{body_height, boxed};
use crate::tui::wrap::hanging;

/// Columns of the time and T+ before an entry's text.
const TIME_COLUMNS: usize = 19;

pub struct Timeline {
    /// The first entry shown; `usize::MAX` keeps the last one in view.
    pub scroll: usize,
}

impl Default for Timeline {
    fn default() -> Self {
        Timeline { scroll: usize::MAX }
    }
}

/// Each entry as the lines it wraps to in `window`.
fn entries(state: &State, window: Rect) -> Vec<Vec<String>> {
    let start_at = state.session.started_at();
    let width = window.width.saturating_sub(2) as usize;
    state
        .session
        .records()
        .iter()
        .map(|r| {
            // A note keeps its own line breaks.
            timeline_line(&state.session, r, start_at)
                .lines()
                .enumerate()
                .flat_map(|(i, line)| {
                    let text = if i == 0 {
                        line.to_string()
                    } else {
                        format!("{}{line}", " ".repeat(TIME_COLUMNS))
                    };
                    hanging(&text, width, TIME_COLUMNS)
                })
                .collect()
        })
        .collect()
}

/// The top entry that shows the last page.
fn max_top(entries: &[Vec<String>], visible: usize) -> usize {
    let mut top = entries.len();
    let mut lines = 0;
    while top > 0 && lines + entries[top - 1].len() <= visible {
        top -= 1;
        lines += entries[top].len();
    }
    // An entry taller than the window still shows from its start.
    top.min(entries.len().saturating_sub(1))
}

impl Timeline {
    pub fn on_key(&mut self, state: &mut State, action: Option<Action>) -> Handled {
        let window = output_window(state.screen().main);
        let visible = body_height(window);
        let last = max_top(&entries(state, window), visible);
        let top = self.scroll.min(last);
        let page = visible.max(1);
        let moved = match action {
            Some(Action::Close) => return close(Vec::new()),
            Some(Action::Up) => top.saturating_sub(1),
            Some(Action::Down) => top + 1,
            Some(Action::PageUp) => top.saturating_sub(page),
            Some(Action::PageDown) => top + page,
            Some(Action::Top) => 0,
            Some(Action::Bottom) => usize::MAX,
            _ => return keep(Vec::new()),
        };
        self.scroll = if moved >= last { usize::MAX } else { moved };
        keep(Vec::new())
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        let rect = output_window(area);
        frame.render_widget(Clear, rect);
        let entries = entries(state, rect);
        let top = self.scroll.min(max_top(&entries, body_height(rect)));
        let lines: Vec<Line> = entries[top..]
            .iter()
            .flatten()
            .map(|l| Line::from(l.clone()))
            .collect();
        frame.render_widget(
            Paragraph::new(lines).block(boxed(&state.theme, " Timeline ")),
            rect,
        );
    }
}
