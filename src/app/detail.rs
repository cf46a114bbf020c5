//! The detail overlay: an object described as `kubectl describe` would, or a
//! pod's logs (tail, previous container, or followed live like
//! `kubectl logs -f`). Its state and key handling live here so `update`
//! stays a dispatcher.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::state::Effect;

/// Most lines a followed log keeps; the oldest go first.
pub const FOLLOW_KEEP: usize = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// `kubectl describe`.
    Describe,
    /// The last lines of the running (or previous) container.
    Logs { previous: bool },
    /// Streaming; `stream` tells this stream's lines from a closed one's.
    Following { stream: u64 },
}

#[derive(Debug, Clone)]
pub struct DetailView {
    /// (kind, namespace, name)
    pub object: (&'static str, String, String),
    pub shown: Shown,
    pub lines: Option<Result<Vec<String>, String>>,
    /// Index of the top line shown; `usize::MAX` keeps the end in view.
    pub scroll: usize,
    /// Why a followed stream stopped, if it did.
    pub ended: Option<String>,
}

/// What a key did to the view.
pub enum KeyResult {
    Stay(Vec<Effect>),
    Close(Vec<Effect>),
}

impl DetailView {
    pub fn describe(kind: &'static str, namespace: String, name: String) -> DetailView {
        DetailView {
            object: (kind, namespace, name),
            shown: Shown::Describe,
            lines: None,
            scroll: 0,
            ended: None,
        }
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
            Shown::Following { .. } if self.ended.is_some() => format!("logs {name} (stopped)"),
            Shown::Following { .. } => format!("logs {name} (following)"),
        }
    }

    pub fn is_pod(&self) -> bool {
        self.object.0 == "Pod"
    }

    pub fn following(&self) -> Option<u64> {
        match self.shown {
            Shown::Following { stream } if self.ended.is_none() => Some(stream),
            _ => None,
        }
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

    /// A key while the view is on top. `visible` is the body's height.
    pub fn on_key(&mut self, key: KeyEvent, visible: usize, next_stream: &mut u64) -> KeyResult {
        let stop = |v: &DetailView| {
            if v.following().is_some() {
                vec![Effect::StopLogs]
            } else {
                Vec::new()
            }
        };
        let page = visible.max(1) as isize;
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => return KeyResult::Close(stop(self)),
            KeyCode::Char('j') | KeyCode::Down => self.scroll_by(1, visible),
            KeyCode::Char('k') | KeyCode::Up => self.scroll_by(-1, visible),
            KeyCode::PageDown | KeyCode::Char(' ') => self.scroll_by(page, visible),
            KeyCode::PageUp => self.scroll_by(-page, visible),
            KeyCode::Char('g') | KeyCode::Home => self.scroll = 0,
            KeyCode::Char('G') | KeyCode::End => self.scroll = usize::MAX,
            KeyCode::Char(c @ ('l' | 'p')) if self.is_pod() => {
                let mut effects = stop(self);
                let previous = c == 'p';
                self.shown = Shown::Logs { previous };
                self.lines = None;
                self.ended = None;
                self.scroll = usize::MAX;
                let (_, ns, name) = self.object.clone();
                effects.push(Effect::FetchLogs(ns, name, previous));
                return KeyResult::Stay(effects);
            }
            KeyCode::Char('f') if self.is_pod() => {
                if self.following().is_some() {
                    // Stop following; what arrived stays on screen.
                    self.ended = Some("stopped by you".into());
                    return KeyResult::Stay(vec![Effect::StopLogs]);
                }
                *next_stream += 1;
                let stream = *next_stream;
                self.shown = Shown::Following { stream };
                self.lines = Some(Ok(Vec::new()));
                self.ended = None;
                self.scroll = usize::MAX;
                let (_, ns, name) = self.object.clone();
                return KeyResult::Stay(vec![Effect::FollowLogs(stream, ns, name)]);
            }
            _ => {}
        }
        KeyResult::Stay(Vec::new())
    }

    /// Lines from a followed stream; stale streams' lines are dropped.
    pub fn on_lines(&mut self, stream: u64, more: Vec<String>) {
        if self.following() != Some(stream) {
            return;
        }
        let Some(Ok(lines)) = &mut self.lines else {
            self.lines = Some(Ok(more));
            return;
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
    }

    pub fn on_stream_end(&mut self, stream: u64, why: String) {
        if self.following() == Some(stream) {
            self.ended = Some(why);
        }
    }

    /// The key hints at the bottom of the view.
    pub fn hints(&self) -> &'static str {
        match (self.is_pod(), self.following().is_some()) {
            (false, _) => " j/k scroll  g/G top/end  esc closes ",
            (true, false) => " j/k scroll  l logs  p previous  f follow  esc closes ",
            (true, true) => " j/k scroll  G end  f stop following  esc closes ",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyModifiers;

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    fn pod() -> DetailView {
        DetailView::describe("Pod", "shop".into(), "web-1".into())
    }

    #[test]
    fn follow_starts_a_stream_and_stale_lines_are_dropped() {
        let mut v = pod();
        let mut next = 0;
        let KeyResult::Stay(effects) = v.on_key(key('f'), 10, &mut next) else {
            panic!("f closed the view")
        };
        assert_eq!(
            effects,
            vec![Effect::FollowLogs(1, "shop".into(), "web-1".into())]
        );
        assert_eq!(v.title(), "logs shop/web-1 (following)");
        v.on_lines(1, vec!["a".into(), "b".into()]);
        v.on_lines(7, vec!["stale".into()]);
        assert_eq!(v.lines, Some(Ok(vec!["a".to_string(), "b".to_string()])));
        // f again stops it; what arrived stays
        let KeyResult::Stay(effects) = v.on_key(key('f'), 10, &mut next) else {
            panic!()
        };
        assert_eq!(effects, vec![Effect::StopLogs]);
        v.on_lines(1, vec!["late".into()]);
        assert_eq!(v.line_count(), 2);
        assert_eq!(v.title(), "logs shop/web-1 (stopped)");
    }

    #[test]
    fn closing_a_followed_log_stops_its_stream() {
        let mut v = pod();
        let mut next = 0;
        v.on_key(key('f'), 10, &mut next);
        assert!(matches!(
            v.on_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE), 10, &mut next),
            KeyResult::Close(e) if e == vec![Effect::StopLogs]
        ));
    }

    #[test]
    fn the_end_stays_in_view_unless_the_responder_scrolled_up() {
        let mut v = pod();
        let mut next = 0;
        v.on_key(key('f'), 10, &mut next);
        v.on_lines(1, (0..30).map(|i| i.to_string()).collect());
        assert_eq!(v.top(10), 20, "pinned to the end");
        v.on_key(key('k'), 10, &mut next);
        assert_eq!(v.top(10), 19, "one up from the end, not from usize::MAX");
        v.on_lines(1, vec!["30".into()]);
        assert_eq!(v.top(10), 19, "scrolled up: the view holds still");
        v.on_key(key('G'), 10, &mut next);
        v.on_lines(1, vec!["31".into()]);
        assert_eq!(v.top(10), 22);
    }

    #[test]
    fn a_followed_log_keeps_a_bounded_tail() {
        let mut v = pod();
        let mut next = 0;
        v.on_key(key('f'), 10, &mut next);
        v.on_key(key('g'), 10, &mut next);
        v.on_lines(1, (0..FOLLOW_KEEP + 10).map(|i| i.to_string()).collect());
        assert_eq!(v.line_count(), FOLLOW_KEEP);
        let Some(Ok(lines)) = &v.lines else { panic!() };
        assert_eq!(lines[0], "10");
    }

    #[test]
    fn only_pods_have_logs() {
        let mut v = DetailView::describe("Node", String::new(), "node-a".into());
        let mut next = 0;
        assert!(matches!(v.on_key(key('f'), 10, &mut next), KeyResult::Stay(e) if e.is_empty()));
        assert_eq!(v.title(), "node node-a");
    }
}
