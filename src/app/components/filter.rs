//! `/` in the panes: a filter over the pane's rows.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::widgets::Clear;
use ratatui_textarea::TextArea;

use super::{Handled, close, keep};
use crate::app::keymap::Action;
use crate::app::model::State;
use crate::app::update::{single_line, text_of};
use crate::tui::window::boxed;

pub struct Filter {
    pub input: TextArea<'static>,
}

impl Filter {
    pub fn new(current: &str) -> Filter {
        let mut input = single_line("filter (enter applies, esc clears)");
        input.insert_str(current);
        Filter { input }
    }

    pub fn on_key(&mut self, state: &mut State, action: Option<Action>, key: KeyEvent) -> Handled {
        match action {
            Some(Action::Submit) => {
                state.panes.filter = text_of(&self.input).trim().to_string();
                state.panes.reset_selection();
                close(Vec::new())
            }
            Some(Action::Close) => {
                state.panes.filter.clear();
                state.panes.reset_selection();
                close(Vec::new())
            }
            Some(Action::ClearLine) => {
                self.input = single_line("filter (enter applies, esc clears)");
                keep(Vec::new())
            }
            _ => {
                self.input.input(key);
                keep(Vec::new())
            }
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        let rect = Rect {
            y: area.y + area.height.saturating_sub(4),
            height: 3.min(area.height),
            ..area
        };
        frame.render_widget(Clear, rect);
        let mut input = self.input.clone();
        input.set_block(boxed(
            &state.theme,
            " Filter rows (enter applies, esc clears) ",
        ));
        frame.render_widget(&input, rect);
    }
}
