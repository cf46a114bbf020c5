//! `e` edits the selected command before it runs (params filled); `:` types
//! one from scratch. Either goes through the same rules as a playbook
//! command: split into arguments with no shell, typed confirmation when it
//! may change the cluster, refused in read-only mode, run through the
//! session's gateway and journaled (marked `edited` or `typed`).

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::widgets::Clear;
use ratatui_textarea::TextArea;

use super::{Handled, Overlay, close, keep};
use crate::app::keymap::Action;
use crate::app::model::{BannerLevel, Effect, Selected, State};
use crate::app::running::confirm;
use crate::app::update::{info, single_line, text_of};
use crate::exec::PlanError;
use crate::tui::window::boxed;

pub struct CommandLine {
    pub input: TextArea<'static>,
    /// `edited` or `typed`.
    pub origin: &'static str,
}

/// `e`: the selected command, its params filled, to edit.
pub fn edit(state: &mut State) -> Vec<Effect> {
    let (Selected::Command(i), Some(step)) = (state.selected(), state.session.current_step())
    else {
        info(
            state,
            BannerLevel::Info,
            "select a command with j/k, then e edits it",
        );
        return Vec::new();
    };
    let line = state.render(&step.commands[i].run);
    let mut input = single_line("the command line");
    input.insert_str(&line);
    state
        .overlays
        .push(Overlay::CommandLine(Box::new(CommandLine {
            input,
            origin: "edited",
        })));
    Vec::new()
}

/// `:`: a command of the responder's own.
pub fn typed(state: &mut State) -> Vec<Effect> {
    state
        .overlays
        .push(Overlay::CommandLine(Box::new(CommandLine {
            input: single_line("kubectl ... (no shell: pipes and $() are plain text)"),
            origin: "typed",
        })));
    Vec::new()
}

impl CommandLine {
    pub fn on_key(&mut self, state: &mut State, action: Option<Action>, key: KeyEvent) -> Handled {
        match action {
            Some(Action::Close) => close(Vec::new()),
            Some(Action::ClearLine) => {
                self.input = single_line("the command line");
                keep(Vec::new())
            }
            Some(Action::Submit) => {
                if state.work.command_running() {
                    info(
                        state,
                        BannerLevel::Warn,
                        "a command is already running (o shows it)",
                    );
                    return keep(Vec::new());
                }
                let line = text_of(&self.input);
                // The playbook's placeholder (`NODE`) is still to be replaced.
                if self.origin == "edited"
                    && let Some(word) = crate::playbook::placeholder::placeholders(&line).first()
                {
                    info(
                        state,
                        BannerLevel::Warn,
                        format!("replace {word} with a value first: it is a placeholder"),
                    );
                    return keep(Vec::new());
                }
                match crate::exec::plan_line(&line) {
                    Ok(planned) => {
                        confirm(state, planned, Some(self.origin.to_string()));
                        close(Vec::new())
                    }
                    Err(PlanError::MissingParam(name)) => {
                        info(
                            state,
                            BannerLevel::Warn,
                            format!("replace {{{{ {name} }}}} with a value first"),
                        );
                        keep(Vec::new())
                    }
                    Err(e) => {
                        info(state, BannerLevel::Warn, format!("cannot run it: {e}"));
                        keep(Vec::new())
                    }
                }
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
        let title = if self.origin == "edited" {
            " Edit the command (enter runs it after confirming, esc cancels) "
        } else {
            " Run a command (enter, then confirm; esc cancels) "
        };
        let mut input = self.input.clone();
        input.set_block(boxed(&state.theme, title));
        frame.render_widget(&input, rect);
    }
}
