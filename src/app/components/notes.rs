//! `n`: a note, several lines if need be, saved to the journal with ctrl-s.
//! A note with text is never dropped without asking.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::widgets::Clear;
use ratatui_textarea::TextArea;

use super::{Handled, close, keep};
use crate::app::keymap::Action;
use crate::app::model::{BannerLevel, State};
use crate::app::update::{info, journal, text_of};
use crate::tui::window::{boxed, centered};

pub struct Notes {
    pub input: TextArea<'static>,
    /// Esc was pressed on a note with text: the next key decides.
    pub confirm_discard: bool,
}

impl Default for Notes {
    fn default() -> Self {
        let mut input = TextArea::default();
        input.set_placeholder_text("What did you see or do? ctrl-s saves, esc cancels");
        Notes {
            input,
            confirm_discard: false,
        }
    }
}

impl Notes {
    pub fn text(&self) -> String {
        text_of(&self.input)
    }

    pub fn on_key(&mut self, state: &mut State, action: Option<Action>, key: KeyEvent) -> Handled {
        if self.confirm_discard {
            if matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y')) {
                return close(Vec::new());
            }
            self.confirm_discard = false;
            return keep(Vec::new());
        }
        match action {
            Some(Action::Save) => match state.session.propose_note(&self.text()) {
                Ok(event) => close(journal(state, vec![event])),
                Err(e) => {
                    info(state, BannerLevel::Warn, e.to_string());
                    keep(Vec::new())
                }
            },
            Some(Action::Close) => {
                if self.text().trim().is_empty() {
                    close(Vec::new())
                } else {
                    self.confirm_discard = true;
                    keep(Vec::new())
                }
            }
            _ => {
                self.input.input(key);
                keep(Vec::new())
            }
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        let rect = centered(area, 78, 14);
        frame.render_widget(Clear, rect);
        let title = if self.confirm_discard {
            " Discard this note? y discards, any other key keeps editing "
        } else {
            " Note (ctrl-s saves to the journal, esc cancels) "
        };
        let mut input = self.input.clone();
        input.set_block(boxed(&state.theme, title));
        frame.render_widget(&input, rect);
    }
}
