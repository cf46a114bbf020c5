//! `r`: a command shown as it will run; a changing one needs its target
//! typed before it starts (the name, the selector, or the file, whose
//! objects are listed), and one that reaches outside the session's cluster
//! also a reason, journaled with it.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui_textarea::TextArea;

use super::{Handled, close, keep};
use crate::app::keymap::{Action, Mode};
use crate::app::model::{BannerLevel, State};
use crate::app::running::start_command;
use crate::app::update::{info, single_line, text_of};
use crate::tui::theme::Role;
use crate::tui::window::{boxed, fit_box, key_hint, typed_name};

pub struct ConfirmRun {
    pub planned: crate::exec::Planned,
    pub typed: TextArea<'static>,
    /// `edited` or `typed`, for the journal; none for a playbook command.
    pub origin: Option<String>,
    /// The objects in each `-f` file (or why they cannot be read).
    pub objects: Vec<(String, Result<Vec<String>, String>)>,
    /// Asked once the target is typed, for a command that reaches outside
    /// the session's cluster: why.
    pub reason: Option<Box<TextArea<'static>>>,
}

impl ConfirmRun {
    pub fn new(planned: crate::exec::Planned, origin: Option<String>) -> ConfirmRun {
        // Local files the responder named, read once for the window.
        let objects = planned
            .files
            .iter()
            .map(|f| (f.clone(), crate::exec::manifest::objects(f)))
            .collect();
        ConfirmRun {
            planned,
            typed: single_line("type the name to confirm"),
            origin,
            objects,
            reason: None,
        }
    }

    fn start(&self, state: &mut State, reason: Option<String>) -> Handled {
        close(start_command(
            state,
            self.planned.clone(),
            self.origin.clone(),
            reason,
        ))
    }

    pub fn mode(&self) -> Mode {
        if self.planned.mutating {
            Mode::ConfirmRunTyped
        } else {
            Mode::ConfirmRun
        }
    }

    pub fn on_key(&mut self, state: &mut State, action: Option<Action>, key: KeyEvent) -> Handled {
        match action {
            Some(Action::Close | Action::No) => close(Vec::new()),
            Some(Action::Yes) if self.planned.outside.is_none() => self.start(state, None),
            Some(Action::Submit) if self.reason.is_some() => {
                let reason = self.reason.as_deref().map(text_of).unwrap_or_default();
                let reason = reason.trim();
                if reason.is_empty() {
                    info(
                        state,
                        BannerLevel::Warn,
                        "say why it must reach outside the session's cluster, or esc",
                    );
                    return keep(Vec::new());
                }
                self.start(state, Some(reason.to_string()))
            }
            Some(Action::Submit) => {
                if text_of(&self.typed).trim() == self.planned.confirm_word {
                    if self.planned.outside.is_some() {
                        self.reason = Some(Box::new(single_line(
                            "why it must reach outside the session's cluster",
                        )));
                        return keep(Vec::new());
                    }
                    return self.start(state, None);
                }
                let word = self.planned.confirm_word.clone();
                info(
                    state,
                    BannerLevel::Warn,
                    format!("type `{word}` exactly to run it, or esc"),
                );
                keep(Vec::new())
            }
            _ if self.reason.is_some() => {
                if let Some(reason) = &mut self.reason {
                    reason.input(key);
                }
                keep(Vec::new())
            }
            _ if self.planned.mutating => {
                self.typed.input(key);
                keep(Vec::new())
            }
            _ => keep(Vec::new()),
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        let theme = &state.theme;
        let planned = &self.planned;
        let mut lines = vec![
            Line::from(Span::styled(
                format!("$ {}", planned.display()),
                theme.style(Role::Code),
            )),
            Line::default(),
        ];
        lines.extend(crate::ui::status::read_only_notice(state));
        let namespace =
            crate::ui::status::command_namespace(&planned.argv, state.namespace.as_deref());
        let target = crate::ui::status::change_target(state, namespace.as_deref());
        if planned.mutating {
            lines.push(Line::from(Span::styled(
                "This command may change the cluster.",
                theme.style(Role::Error),
            )));
            if let Some(flag) = &planned.outside {
                lines.push(Line::from(Span::styled(
                    format!(
                        "It reaches outside the session's cluster: `{flag}` names another cluster or credentials."
                    ),
                    theme.style(Role::Error),
                )));
            }
            for (file, objects) in &self.objects {
                match objects {
                    Ok(objects) if objects.is_empty() => {
                        lines.push(Line::from(format!("{file} holds no objects.")))
                    }
                    Ok(objects) => {
                        lines.push(Line::from(format!("The objects in {file}:")));
                        lines.extend(objects.iter().map(|o| Line::from(format!("  {o}"))));
                    }
                    Err(why) => lines.push(Line::from(format!("{file}: {why}"))),
                }
            }
            if self.reason.is_some() {
                lines.push(Line::from(
                    "Why must it reach outside the session's cluster? The reason is journaled with it; enter runs it, esc cancels.",
                ));
            } else {
                // The cluster (context and namespace) the change goes to
                // is named on the line that asks for the word.
                let mut line = vec![
                    Span::raw("Type "),
                    Span::styled(planned.confirm_word.clone(), theme.style(Role::Key)),
                    Span::raw(" and press enter to run it"),
                ];
                line.extend(target);
                line.push(Span::raw(if planned.outside.is_some() {
                    ", then say why; esc cancels."
                } else {
                    "; esc cancels."
                }));
                lines.push(Line::from(line));
            }
        } else {
            let mut keys = key_hint(theme, "y", "run it (no shell; output is journaled)");
            keys.extend(key_hint(theme, "n", "cancel"));
            lines.push(Line::from(keys));
            if !target.is_empty() {
                let mut runs = vec![Span::raw("Runs")];
                runs.extend(target);
                runs.push(Span::raw("."));
                lines.push(Line::from(runs));
            }
        }
        let extra = if planned.mutating { 3 } else { 0 };
        let rect = fit_box(area, 78, &lines, extra);
        frame.render_widget(Clear, rect);
        let block = boxed(theme, " Run command ");
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        if let Some(reason) = &self.reason {
            typed_name(frame, inner, theme, reason);
        } else if planned.mutating {
            typed_name(frame, inner, theme, &self.typed);
        }
    }
}
