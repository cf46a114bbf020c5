//! The session ended with a silence of its alert still on: offer to expire
//! it, so the next incident is not hidden behind this one's silence.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{Handled, close, keep};
use crate::app::keymap::Action;
use crate::app::model::{Effect, State};
use crate::tui::window::{key_hint, text_box};

pub struct ExpireSilence {
    pub silence: String,
}

impl ExpireSilence {
    pub fn on_key(&mut self, state: &mut State, action: Option<Action>) -> Handled {
        match action {
            Some(Action::Yes) => {
                let id = state.work.next_id();
                close(vec![Effect::ExpireSilence {
                    id,
                    silence: self.silence.clone(),
                }])
            }
            Some(Action::No | Action::Close) => close(Vec::new()),
            _ => keep(Vec::new()),
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        let theme = &state.theme;
        let mut keys = key_hint(theme, "y", "expire it now");
        keys.extend(key_hint(theme, "n", "leave it until it ends"));
        let lines = vec![
            Line::from(format!(
                "The session has ended; its silence {} is still on.",
                self.silence
            )),
            Line::from("Expire it, so the alert pages again if it fires?"),
            Line::default(),
            Line::from(keys),
        ];
        text_box(frame, area, theme, " Silence ", lines);
    }
}
