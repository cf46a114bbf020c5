//! A command's output, live. The window only shows the command's entry in
//! the work table: esc closes it while the command goes on, `o` opens it
//! again, `x` stops the command.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{Handled, close, keep};
use crate::app::keymap::Action;
use crate::app::model::layout::output_window;
use crate::app::model::{Effect, RequestId, State};
use crate::tui::theme::Role;
use crate::tui::window::{body_height, body_width, boxed, sideways, sideways_note};

pub struct Output {
    pub id: RequestId,
    /// The last line shown; `None` follows the end.
    pub scroll: Option<usize>,
    /// Columns scrolled sideways (`<`/`>`).
    pub sideways: usize,
}

impl Output {
    pub fn new(id: RequestId) -> Output {
        Output {
            id,
            scroll: None,
            sideways: 0,
        }
    }

    pub fn on_key(&mut self, state: &mut State, action: Option<Action>) -> Handled {
        let Some(run) = state.work.commands.get(&self.id) else {
            return close(Vec::new());
        };
        let count = run.lines.len();
        let running = run.finish.is_none();
        let visible = body_height(output_window(state.screen().main)).max(1);
        // The last line shown, at least a page down so the page is full.
        let end = self.scroll.unwrap_or(count).max(visible.min(count));
        let moved = match action {
            Some(Action::Close) => return close(Vec::new()),
            Some(Action::CancelWork) if running => {
                return keep(vec![Effect::CancelCommand(self.id)]);
            }
            Some(Action::Up) => end.saturating_sub(1),
            Some(Action::Down) => end + 1,
            Some(Action::PageUp) => end.saturating_sub(visible),
            Some(Action::PageDown) => end + visible,
            Some(Action::Top) => visible.min(count),
            Some(Action::Bottom) => count,
            Some(a @ (Action::ScrollLeft | Action::ScrollRight)) => {
                let widest = run
                    .lines
                    .iter()
                    .map(|l| l.chars().count())
                    .max()
                    .unwrap_or(0);
                let width = body_width(output_window(state.screen().main));
                let delta = if a == Action::ScrollRight { 1 } else { -1 };
                self.sideways = sideways(self.sideways, delta, widest, width);
                return keep(Vec::new());
            }
            _ => return keep(Vec::new()),
        };
        self.scroll = (moved < count).then_some(moved.max(visible.min(count)));
        keep(Vec::new())
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        let theme = &state.theme;
        let rect = output_window(area);
        frame.render_widget(Clear, rect);
        let Some(run) = state.work.commands.get(&self.id) else {
            frame.render_widget(
                Paragraph::new("This output is no longer kept here; the journal has it.")
                    .block(boxed(theme, " Output ")),
                rect,
            );
            return;
        };
        let status = match &run.finish {
            None => " running ".to_string(),
            Some(f) => match (&f.error, f.exit_code) {
                (Some(e), _) => format!(" {e} "),
                (None, _) if f.timed_out => " timed out; journaled ".to_string(),
                (None, _) if f.cancelled => " stopped; journaled ".to_string(),
                (None, Some(code)) => format!(" exit {code}; journaled "),
                (None, None) => " ended; journaled ".to_string(),
            },
        };
        let visible = body_height(rect);
        let lines = &run.lines;
        let end = self.scroll.map_or(lines.len(), |s| s.min(lines.len()));
        let start = end.saturating_sub(visible);
        let mut body: Vec<Line> = Vec::new();
        if start == 0 && run.dropped > 0 {
            body.push(Line::from(Span::styled(
                format!("({} earlier lines are in the output file)", run.dropped),
                theme.style(Role::Muted),
            )));
        }
        body.extend(lines[start..end].iter().map(|l| Line::from(l.clone())));
        let title = format!(" $ {} ", run.argv.join(" "));
        let widest = lines[start..end]
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0);
        let mut block = boxed(theme, "").title(title).title_bottom(status);
        if let Some(note) = sideways_note(self.sideways, widest, body_width(rect)) {
            block = block.title_bottom(ratatui::text::Line::from(note).right_aligned());
        }
        let offset = u16::try_from(self.sideways).unwrap_or(u16::MAX);
        frame.render_widget(Paragraph::new(body).block(block).scroll((0, offset)), rect);
    }
}
