//! `?`: every key for where the responder is, straight from the key table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{Handled, close, keep};
use crate::app::keymap::{Action, Mode, help};
use crate::app::model::State;
use crate::tui::theme::Role;
use crate::tui::window::text_box;

pub struct Help {
    /// The mode whose keys it lists: the screen or window under it.
    pub under: Mode,
}

impl Help {
    pub fn on_key(&mut self, _state: &mut State, action: Option<Action>) -> Handled {
        match action {
            Some(Action::Close) => close(Vec::new()),
            _ => keep(Vec::new()),
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        let theme = &state.theme;
        let mut lines: Vec<Line> = help(self.under)
            .into_iter()
            .map(|(k, h)| {
                Line::from(vec![
                    Span::styled(format!("{k:>10}  "), theme.style(Role::Key)),
                    Span::raw(h),
                ])
            })
            .collect();
        let footer = if self.under.types_text() {
            "Other keys type into the field. esc closes this help."
        } else {
            "esc closes this help; windows list their keys on the bottom line."
        };
        lines.push(Line::from(Span::styled(footer, theme.style(Role::Muted))));
        text_box(frame, area, theme, " Keys ", lines);
    }
}
