//! An action running, then its result. The window shows the action's entry
//! in the work table and can be closed at any time: the action goes on and
//! its outcome is journaled whatever is on screen. A drain shows one line
//! per pod, updated in place; `x` stops it between requests; the view
//! follows the end unless scrolled (`G` follows again).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::{Handled, close, keep};
use crate::app::keymap::Action;
use crate::app::model::layout::output_window;
use crate::app::model::work::ActionRun;
use crate::app::model::{Effect, RequestId, State};
use crate::cluster::actions::ActionKind;
use crate::tui::theme::Role;
use crate::tui::window::{body_height, boxed};

pub struct ActionProgress {
    pub id: RequestId,
    /// The last line shown; `None` follows the end.
    pub scroll: Option<usize>,
}

/// The lines the window shows for an action, before its status.
fn body(run: &ActionRun) -> Vec<String> {
    let mut lines = run.lines.clone();
    lines.extend(run.drain.lines());
    lines
}

impl ActionProgress {
    pub fn new(id: RequestId) -> ActionProgress {
        ActionProgress { id, scroll: None }
    }

    pub fn on_key(&mut self, state: &mut State, action: Option<Action>) -> Handled {
        let visible = body_height(output_window(state.screen().main)).max(1);
        let Some(run) = state.work.actions.get_mut(&self.id) else {
            return close(Vec::new());
        };
        let count = body(run).len() + 1;
        let end = self.scroll.unwrap_or(count).max(visible.min(count));
        let moved = match action {
            Some(Action::Close) => return close(Vec::new()),
            Some(Action::CancelWork)
                if run.done.is_none() && run.request.kind == ActionKind::Drain =>
            {
                run.stopping = true;
                return keep(vec![Effect::StopAction(self.id)]);
            }
            Some(Action::Up) => end.saturating_sub(1),
            Some(Action::Down) => end + 1,
            Some(Action::PageUp) => end.saturating_sub(visible),
            Some(Action::PageDown) => end + visible,
            Some(Action::Top) => visible.min(count),
            Some(Action::Bottom) => count,
            _ => return keep(Vec::new()),
        };
        self.scroll = (moved < count).then_some(moved.max(visible.min(count)));
        keep(Vec::new())
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        let theme = &state.theme;
        let Some(run) = state.work.actions.get(&self.id) else {
            return;
        };
        let rect = output_window(area);
        frame.render_widget(Clear, rect);
        let mut body: Vec<Line> = body(run).into_iter().map(Line::from).collect();
        let drain = run.request.kind == ActionKind::Drain;
        body.push(match &run.done {
            None if run.stopping => Line::from(Span::styled(
                "stopping: no pod is evicted from now on; the node stays cordoned",
                theme.style(Role::Warn),
            )),
            None if drain => Line::from(Span::styled(
                "working... (x stops the drain; esc closes this window, the drain goes on)",
                theme.style(Role::Muted),
            )),
            None => Line::from(Span::styled(
                "working... (esc closes this window; the action goes on)",
                theme.style(Role::Muted),
            )),
            Some(Ok(summary)) => Line::from(Span::styled(
                format!("{summary} (journaled)"),
                theme.style(Role::Ok),
            )),
            Some(Err(e)) => Line::from(Span::styled(
                format!("failed: {e} (journaled)"),
                theme.style(Role::Error),
            )),
        });
        let visible = body_height(rect);
        let end = self.scroll.map_or(body.len(), |s| s.min(body.len()));
        let start = end.saturating_sub(visible);
        let shown: Vec<Line> = body[start..end].to_vec();
        let title = format!(" {} {} ", run.request.kind.as_str(), run.request.target);
        let status = match (&run.done, self.scroll) {
            (None, None) => " running; following ",
            (None, Some(_)) => " running; G follows ",
            (Some(_), _) => " ended; journaled ",
        };
        let block = boxed(theme, "").title(title).title_bottom(status);
        frame.render_widget(
            Paragraph::new(shown)
                .wrap(Wrap { trim: false })
                .block(block),
            rect,
        );
    }
}
