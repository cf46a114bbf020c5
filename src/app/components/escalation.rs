//! A due escalation, opened from the notices queue only when no other
//! window is open; enter records that the responder escalated.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{Handled, close, keep};
use crate::app::keymap::Action;
use crate::app::model::State;
use crate::app::update::journal;
use crate::engine::Event;
use crate::tui::theme::Role;
use crate::tui::window::{key_hint, text_box};

pub struct Escalation {
    /// Index in the playbook's `metadata.escalation`.
    pub index: usize,
}

impl Escalation {
    pub fn on_key(&mut self, state: &mut State, action: Option<Action>) -> Handled {
        match action {
            Some(Action::Yes) => {
                let Some(e) = state.session.playbook().metadata.escalation.get(self.index) else {
                    return close(Vec::new());
                };
                let event = Event::Escalated {
                    to: e.to.clone(),
                    after: e.after.value.clone(),
                };
                close(journal(state, vec![event]))
            }
            Some(Action::Close) => close(Vec::new()),
            _ => keep(Vec::new()),
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        let theme = &state.theme;
        let Some(e) = state.session.playbook().metadata.escalation.get(self.index) else {
            return;
        };
        let mut keys = key_hint(theme, "enter", "I escalated (journaled)");
        keys.extend(key_hint(theme, "esc", "not now"));
        let lines = vec![
            Line::from(Span::styled(
                format!("Escalation due: {} into the incident.", e.after.value),
                theme.style(Role::Error),
            )),
            Line::from(format!("Escalate to: {}", e.to)),
            Line::default(),
            Line::from(keys),
        ];
        text_box(frame, area, theme, " Escalate ", lines);
    }
}
