//! A command that needs values from the responder (an image tag, a new
//! memory limit): each is asked for in turn and checked against its
//! pattern; only then is the command planned (each value fills exactly one
//! argument, as a param does) and confirmed.

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui_textarea::TextArea;

use super::{Handled, close, keep};
use crate::app::keymap::Action;
use crate::app::model::{BannerLevel, State};
use crate::app::running::plan_and_confirm;
use crate::app::update::{info, single_line, text_of};
use crate::playbook::model::Command;
use crate::tui::theme::Role;
use crate::tui::window::{boxed, fit_box, typed_name};

pub struct AskValues {
    pub command: Command,
    pub given: BTreeMap<String, String>,
    pub input: TextArea<'static>,
}

impl AskValues {
    pub fn new(command: Command) -> AskValues {
        AskValues {
            command,
            given: BTreeMap::new(),
            input: single_line("the value"),
        }
    }

    /// The ask being answered.
    fn current(&self) -> Option<&crate::playbook::model::Ask> {
        self.command
            .ask
            .iter()
            .find(|a| !self.given.contains_key(&a.name))
    }

    pub fn on_key(&mut self, state: &mut State, action: Option<Action>, key: KeyEvent) -> Handled {
        let Some(ask) = self.current().cloned() else {
            return close(Vec::new());
        };
        match action {
            Some(Action::Close) => close(Vec::new()),
            Some(Action::Submit) => {
                let value = text_of(&self.input).trim().to_string();
                if let Err(why) = crate::playbook::params::check_ask(&ask, &value) {
                    info(state, BannerLevel::Warn, format!("{}: {why}", ask.name));
                    return keep(Vec::new());
                }
                // The value is good now: what was said of the wrong one goes.
                let said = format!("{}: ", ask.name);
                if state
                    .banner
                    .as_ref()
                    .is_some_and(|b| b.text.starts_with(&said))
                {
                    state.banner = None;
                }
                self.given.insert(ask.name.clone(), value);
                self.input = single_line("the value");
                if self.current().is_some() {
                    return keep(Vec::new());
                }
                plan_and_confirm(state, &self.command, &self.given);
                close(Vec::new())
            }
            _ => {
                self.input.input(key);
                keep(Vec::new())
            }
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        let theme = &state.theme;
        let Some(ask) = self.current() else {
            return;
        };
        let mut lines = vec![
            Line::from(Span::styled(
                format!("$ {}", state.render(&self.command.run)),
                theme.style(Role::Code),
            )),
            Line::default(),
            Line::from(vec![
                Span::raw("This command needs "),
                Span::styled(format!("{{{{ {} }}}}", ask.name), theme.style(Role::Key)),
                Span::raw(match &ask.description {
                    Some(d) => format!(": {d}"),
                    None => ".".to_string(),
                }),
            ]),
        ];
        if let Some(p) = &ask.pattern {
            lines.push(Line::from(Span::styled(
                format!("It must match `{p}`."),
                theme.style(Role::Muted),
            )));
        }
        let rect = fit_box(area, 78, &lines, 3);
        frame.render_widget(Clear, rect);
        let block = boxed(theme, " A value for the command ");
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        typed_name(frame, inner, theme, &self.input);
    }
}
