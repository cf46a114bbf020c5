//! Enter on a pane row: the object described as `kubectl describe` would,
//! or a pod's logs (tail, previous container, or followed live like
//! `kubectl logs -f`). Each fetch is a request; the view shows only the
//! answer to its own latest one.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{Handled, close, keep};
use crate::app::keymap::Action;
use crate::app::model::layout::detail_window;
use crate::app::model::{Effect, RequestId, State};
use crate::tui::theme::Role;
use crate::tui::window::{body_height, boxed};

/// Most lines a followed log keeps; the oldest go first.
pub const FOLLOW_KEEP: usize = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// `kubectl describe`.
    Describe,
    /// The last lines of the running (or previous) container.
    Logs { previous: bool },
    /// Streaming, like `kubectl logs -f`.
    Following,
}

#[derive(Debug, Clone)]
pub struct DetailView {
    /// (kind, namespace, name)
    pub object: (&'static str, String, String),
    pub shown: Shown,
    /// The request whose answer this view shows; answers to any other
    /// request (an object the responder has left) are dropped.
    pub request: RequestId,
    pub lines: Option<Result<Vec<String>, String>>,
    /// Index of the top line shown; `usize::MAX` keeps the end in view.
    pub scroll: usize,
    /// Why a followed stream stopped, if it did.
    pub ended: Option<String>,
    /// Columns scrolled sideways (`<`/`>`).
    pub sideways: usize,
}

impl DetailView {
    /// A view of `object` described, with the fetch it waits for.
    pub fn open(
        state: &mut State,
        kind: &'static str,
        namespace: String,
        name: String,
    ) -> (DetailView, Effect) {
        let id = state.work.next_id();
        let view = DetailView {
            object: (kind, namespace.clone(), name.clone()),
            shown: Shown::Describe,
            request: id,
            lines: None,
            scroll: 0,
            ended: None,
            sideways: 0,
        };
        let effect = Effect::FetchDetail {
            id,
            kind,
            namespace,
            name,
        };
        (view, effect)
    }

    /// A pod's logs straight from its row (`l` in the panes): the window
    /// `enter` then `l` would show.
    pub fn open_logs(state: &mut State, namespace: String, name: String) -> (DetailView, Effect) {
        let id = state.work.next_id();
        let view = DetailView {
            object: ("Pod", namespace.clone(), name.clone()),
            shown: Shown::Logs { previous: false },
            request: id,
            lines: None,
            scroll: usize::MAX,
            ended: None,
            sideways: 0,
        };
        let effect = Effect::FetchLogs {
            id,
            namespace,
            name,
            previous: false,
        };
        (view, effect)
    }

    pub fn title(&self) -> String {
        let (kind, ns, name) = &self.object;
        let name = if ns.is_empty() {
            name.clone()
        } else {
            format!("{ns}/{name}")
        };
        match self.shown {
            Shown::Describe => format!("{} {name}", kind.to_lowercase()),
            Shown::Logs { previous: false } => format!("logs {name}"),
            Shown::Logs { previous: true } => format!("logs {name} (previous container)"),
            Shown::Following if self.ended.is_some() => format!("logs {name} (stopped)"),
            Shown::Following => format!("logs {name} (following)"),
        }
    }

    pub fn is_pod(&self) -> bool {
        self.object.0 == "Pod"
    }

    /// The followed stream's request, while it streams.
    pub fn following(&self) -> Option<RequestId> {
        (self.shown == Shown::Following && self.ended.is_none()).then_some(self.request)
    }

    fn line_count(&self) -> usize {
        match &self.lines {
            Some(Ok(lines)) => lines.len(),
            _ => 0,
        }
    }

    /// The top line that shows the end, for a body `visible` lines high.
    fn last_top(&self, visible: usize) -> usize {
        self.line_count().saturating_sub(visible)
    }

    /// The top line actually shown.
    pub fn top(&self, visible: usize) -> usize {
        self.scroll.min(self.last_top(visible))
    }

    fn scroll_by(&mut self, delta: isize, visible: usize) {
        let last = self.last_top(visible);
        let top = self.top(visible).saturating_add_signed(delta).min(last);
        // At the end, stay pinned there so followed lines keep showing.
        self.scroll = if top >= last { usize::MAX } else { top };
    }

    pub fn on_key(&mut self, state: &mut State, action: Option<Action>) -> Handled {
        if let Some(a @ (Action::ScrollLeft | Action::ScrollRight)) = action {
            let widest = match &self.lines {
                Some(Ok(lines)) => lines.iter().map(|l| l.chars().count()).max().unwrap_or(0),
                _ => 0,
            };
            let width = crate::tui::window::body_width(detail_window(state.screen().main));
            let delta = if a == Action::ScrollRight { 1 } else { -1 };
            self.sideways = crate::tui::window::sideways(self.sideways, delta, widest, width);
            return keep(Vec::new());
        }
        let visible = state.detail_lines();
        let mut ids = || state.work.next_id();
        let (after, effects) = self.act(action, visible, &mut ids);
        (after, effects)
    }

    /// A key's action on the view; `next_id` numbers a new fetch.
    pub fn act(
        &mut self,
        action: Option<Action>,
        visible: usize,
        next_id: &mut dyn FnMut() -> RequestId,
    ) -> Handled {
        let stop = |v: &DetailView| {
            if v.following().is_some() {
                vec![Effect::StopLogs]
            } else {
                Vec::new()
            }
        };
        let page = visible.max(1) as isize;
        match action {
            Some(Action::Close) => return close(stop(self)),
            Some(Action::Down) => self.scroll_by(1, visible),
            Some(Action::Up) => self.scroll_by(-1, visible),
            Some(Action::PageDown) => self.scroll_by(page, visible),
            Some(Action::PageUp) => self.scroll_by(-page, visible),
            Some(Action::Top) => self.scroll = 0,
            Some(Action::Bottom) => self.scroll = usize::MAX,

            Some(a @ (Action::Logs | Action::PreviousLogs)) if self.is_pod() => {
                let mut effects = stop(self);
                let previous = a == Action::PreviousLogs;
                self.shown = Shown::Logs { previous };
                self.request = next_id();
                self.lines = None;
                self.ended = None;
                self.scroll = usize::MAX;
                let (_, namespace, name) = self.object.clone();
                effects.push(Effect::FetchLogs {
                    id: self.request,
                    namespace,
                    name,
                    previous,
                });
                return keep(effects);
            }
            Some(Action::Follow) if self.is_pod() => {
                if self.following().is_some() {
                    // Stop following; what arrived stays on screen.
                    self.ended = Some("stopped by you".into());
                    return keep(vec![Effect::StopLogs]);
                }
                self.shown = Shown::Following;
                self.request = next_id();
                self.lines = Some(Ok(Vec::new()));
                self.ended = None;
                self.scroll = usize::MAX;
                let (_, namespace, name) = self.object.clone();
                return keep(vec![Effect::FollowLogs {
                    id: self.request,
                    namespace,
                    name,
                }]);
            }
            _ => {}
        }
        keep(Vec::new())
    }

    /// The answer to a fetch; stale answers (another request) are dropped.
    pub fn on_answer(&mut self, id: RequestId, result: Result<Vec<String>, String>) -> bool {
        if id != self.request || self.shown == Shown::Following {
            return false;
        }
        self.lines = Some(result);
        true
    }

    /// Lines from a followed stream; stale streams' lines are dropped.
    pub fn on_lines(&mut self, id: RequestId, more: Vec<String>) -> bool {
        if self.following() != Some(id) {
            return false;
        }
        let Some(Ok(lines)) = &mut self.lines else {
            self.lines = Some(Ok(more));
            return true;
        };
        lines.extend(more);
        let over = lines.len().saturating_sub(FOLLOW_KEEP);
        if over > 0 {
            lines.drain(..over);
            // Keep the same text in view when the responder scrolled up.
            if self.scroll != usize::MAX {
                self.scroll = self.scroll.saturating_sub(over);
            }
        }
        true
    }

    pub fn on_stream_end(&mut self, id: RequestId, why: String) -> bool {
        if self.following() != Some(id) {
            return false;
        }
        self.ended = Some(why);
        true
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        let theme = &state.theme;
        let rect = detail_window(area);
        frame.render_widget(Clear, rect);
        let visible = body_height(rect);
        let muted =
            |text: &str| Line::from(Span::styled(text.to_string(), theme.style(Role::Muted)));
        let mut body: Vec<Line> = match &self.lines {
            None => vec![muted("fetching...")],
            Some(Err(e)) => vec![Line::from(Span::styled(
                e.clone(),
                theme.style(Role::Error),
            ))],
            Some(Ok(lines)) if lines.is_empty() && self.following().is_some() => {
                vec![muted("waiting for log lines...")]
            }
            Some(Ok(lines))
                if lines.is_empty() && self.shown == (Shown::Logs { previous: false }) =>
            {
                vec![
                    muted(
                        "No log lines: the container may not be running (crash-looping or not started).",
                    ),
                    muted("p shows the previous container's logs, from before its last restart."),
                ]
            }
            Some(Ok(lines)) if lines.is_empty() && self.shown != Shown::Describe => {
                vec![muted("No log lines.")]
            }
            Some(Ok(lines)) => lines[self.top(visible)..]
                .iter()
                .take(visible)
                .map(|l| Line::from(l.clone()))
                .collect(),
        };
        if let Some(why) = &self.ended
            && body.len() < visible
        {
            body.push(Line::from(Span::styled(
                format!("-- not following: {why} --"),
                theme.style(Role::Warn),
            )));
        }
        let widest = body.iter().map(Line::width).max().unwrap_or(0);
        let mut block = boxed(theme, "").title(format!(" {} ", self.title()));
        let width = crate::tui::window::body_width(rect);
        if let Some(note) = crate::tui::window::sideways_note(self.sideways, widest, width) {
            block = block.title_bottom(Line::from(note).right_aligned());
        }
        let offset = u16::try_from(self.sideways).unwrap_or(u16::MAX);
        frame.render_widget(Paragraph::new(body).block(block).scroll((0, offset)), rect);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::components::After;

    fn pod() -> DetailView {
        DetailView {
            object: ("Pod", "shop".into(), "web-1".into()),
            shown: Shown::Describe,
            request: 1,
            lines: None,
            scroll: 0,
            ended: None,
            sideways: 0,
        }
    }

    fn act(v: &mut DetailView, action: Action, next: &mut RequestId) -> Handled {
        let mut ids = || {
            *next += 1;
            *next
        };
        v.act(Some(action), 10, &mut ids)
    }

    #[test]
    fn follow_starts_a_stream_and_stale_lines_are_dropped() {
        let mut v = pod();
        let mut next = 1;
        let (after, effects) = act(&mut v, Action::Follow, &mut next);
        assert_eq!(after, After::Keep);
        assert_eq!(
            effects,
            vec![Effect::FollowLogs {
                id: 2,
                namespace: "shop".into(),
                name: "web-1".into()
            }]
        );
        assert_eq!(v.title(), "logs shop/web-1 (following)");
        assert!(v.on_lines(2, vec!["a".into(), "b".into()]));
        assert!(!v.on_lines(7, vec!["stale".into()]));
        assert!(!v.on_answer(1, Ok(vec!["the describe of before".into()])));
        assert_eq!(v.lines, Some(Ok(vec!["a".to_string(), "b".to_string()])));
        // f again stops it; what arrived stays
        let (_, effects) = act(&mut v, Action::Follow, &mut next);
        assert_eq!(effects, vec![Effect::StopLogs]);
        v.on_lines(2, vec!["late".into()]);
        assert_eq!(v.line_count(), 2);
        assert_eq!(v.title(), "logs shop/web-1 (stopped)");
    }

    #[test]
    fn an_answer_to_an_older_request_is_not_shown() {
        let mut v = pod();
        let mut next = 1;
        act(&mut v, Action::Logs, &mut next);
        assert!(!v.on_answer(1, Ok(vec!["describe text".into()])));
        assert_eq!(v.lines, None);
        assert!(v.on_answer(2, Ok(vec!["log line".into()])));
    }

    #[test]
    fn closing_a_followed_log_stops_its_stream() {
        let mut v = pod();
        let mut next = 1;
        act(&mut v, Action::Follow, &mut next);
        assert_eq!(
            act(&mut v, Action::Close, &mut next),
            (After::Close, vec![Effect::StopLogs])
        );
    }

    #[test]
    fn the_end_stays_in_view_unless_the_responder_scrolled_up() {
        let mut v = pod();
        let mut next = 1;
        act(&mut v, Action::Follow, &mut next);
        v.on_lines(2, (0..30).map(|i| i.to_string()).collect());
        assert_eq!(v.top(10), 20, "pinned to the end");
        act(&mut v, Action::Up, &mut next);
        assert_eq!(v.top(10), 19, "one up from the end, not from usize::MAX");
        v.on_lines(2, vec!["30".into()]);
        assert_eq!(v.top(10), 19, "scrolled up: the view holds still");
        act(&mut v, Action::Bottom, &mut next);
        v.on_lines(2, vec!["31".into()]);
        assert_eq!(v.top(10), 22);
    }

    #[test]
    fn a_followed_log_keeps_a_bounded_tail() {
        let mut v = pod();
        let mut next = 1;
        act(&mut v, Action::Follow, &mut next);
        act(&mut v, Action::Top, &mut next);
        v.on_lines(2, (0..FOLLOW_KEEP + 10).map(|i| i.to_string()).collect());
        assert_eq!(v.line_count(), FOLLOW_KEEP);
        let Some(Ok(lines)) = &v.lines else { panic!() };
        assert_eq!(lines[0], "10");
    }

    #[test]
    fn only_pods_have_logs() {
        let mut v = pod();
        v.object = ("Node", String::new(), "node-a".into());
        let mut next = 1;
        assert_eq!(
            act(&mut v, Action::Follow, &mut next),
            (After::Keep, vec![])
        );
        assert_eq!(v.title(), "node node-a");
    }
}
