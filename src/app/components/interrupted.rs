//! The resumed session opens on what the interruption left half-done: a
//! drain cut off mid-way leaves its node cordoned and some pods evicted.
//! One key takes it up again, one undoes what can be undone (uncordon),
//! esc leaves it as it is.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{Handled, close, keep};
use crate::app::keymap::Action;
use crate::app::model::{BannerLevel, State};
use crate::app::update::info;
use crate::cluster::actions::{ActionKind, ActionRequest};
use crate::engine::drain::Unfinished;
use crate::tui::window::{key_hint, text_box};

pub struct Interrupted {
    pub drain: Unfinished,
}

impl Interrupted {
    pub fn on_key(&mut self, state: &mut State, action: Option<Action>) -> Handled {
        let (kind, why) = match action {
            Some(Action::Continue) => (ActionKind::Drain, "continued after an interruption"),
            Some(Action::Undo) => (
                ActionKind::Uncordon,
                "undoing a drain left half-done by an interruption",
            ),
            Some(Action::Close) => return close(Vec::new()),
            _ => return keep(Vec::new()),
        };
        if state.read_only {
            info(
                state,
                BannerLevel::Warn,
                "refused: read-only mode: no change is sent",
            );
            return keep(Vec::new());
        }
        match ActionRequest::new(kind, &self.drain.target, "default", None) {
            Ok(request) => close(crate::app::running::start_action(
                state,
                request,
                why.to_string(),
            )),
            Err(e) => {
                info(state, BannerLevel::Error, e);
                close(Vec::new())
            }
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        let theme = &state.theme;
        let mut keys = key_hint(theme, "c", "continue the drain");
        keys.extend(key_hint(
            theme,
            "u",
            format!("uncordon {}", self.drain.node).as_str(),
        ));
        keys.extend(key_hint(theme, "esc", "leave it"));
        let lines = vec![
            Line::from(crate::sanitize::line(&self.drain.sentence())),
            Line::default(),
            Line::from(keys),
        ];
        text_box(frame, area, theme, " Left half-done ", lines);
    }
}
