//! An action running, then its result. The window shows the action's entry
//! in the work table and can be closed at any time: the action goes on and
//! its outcome is journaled whatever is on screen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{Handled, close, keep};
use crate::app::keymap::Action;
use crate::app::model::{RequestId, State};
use crate::tui::theme::Role;
use crate::tui::window::text_box;

pub struct ActionProgress {
    pub id: RequestId,
}

impl ActionProgress {
    pub fn on_key(&mut self, _state: &mut State, action: Option<Action>) -> Handled {
        match action {
            Some(Action::Close) => close(Vec::new()),
            _ => keep(Vec::new()),
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        let theme = &state.theme;
        let Some(run) = state.work.actions.get(&self.id) else {
            return;
        };
        let mut body: Vec<Line> = run.lines.iter().map(|l| Line::from(l.clone())).collect();
        match &run.done {
            None => body.push(Line::from(Span::styled(
                "working... (esc closes this window; the action goes on)",
                theme.style(Role::Muted),
            ))),
            Some(Ok(summary)) => {
                body.push(Line::from(Span::styled(
                    summary.clone(),
                    theme.style(Role::Ok),
                )));
                body.push(Line::from(Span::styled(
                    "journaled; esc closes",
                    theme.style(Role::Muted),
                )));
            }
            Some(Err(e)) => body.push(Line::from(Span::styled(
                format!("failed: {e} (journaled)"),
                theme.style(Role::Error),
            ))),
        }
        let title = format!(" {} {} ", run.request.kind.as_str(), run.request.target);
        text_box(frame, area, theme, &title, body);
    }
}
