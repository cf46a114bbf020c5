//! `q`: quit, after saying what happens to the session and to work still
//! running; `e` ends the session first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{EndSession, Handled, Overlay, close, keep};
use crate::app::keymap::Action;
use crate::app::model::State;
use crate::tui::theme::Role;
use crate::tui::window::{key_hint, text_box};

pub struct ConfirmQuit;

impl ConfirmQuit {
    pub fn on_key(&mut self, state: &mut State, action: Option<Action>) -> Handled {
        match action {
            Some(Action::Yes) => close(crate::app::update::begin_quit(state)),
            Some(Action::EndSession) if !state.session.is_ended() => {
                state
                    .overlays
                    .push(Overlay::EndSession(EndSession::new(true)));
                close(Vec::new())
            }
            Some(Action::No | Action::Close) => close(Vec::new()),
            _ => keep(Vec::new()),
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        let theme = &state.theme;
        let mut lines = vec![Line::from("Quit runbook?")];
        if state.session.is_ended() {
            lines.push(Line::from(Span::styled(
                format!(
                    "The session has ended; its record stays on disk: runbook export {}",
                    state.session_id
                ),
                theme.style(Role::Muted),
            )));
        } else {
            lines.push(Line::from(Span::styled(
                "The session stays on disk: `runbook resume` continues here.",
                theme.style(Role::Muted),
            )));
        }
        let running: Vec<String> = state
            .work
            .commands
            .values()
            .filter(|c| c.finish.is_none())
            .map(|c| {
                format!(
                    "`{}` is still running: quitting stops it.",
                    c.argv.join(" ")
                )
            })
            .chain(
                state
                    .work
                    .actions
                    .values()
                    .filter(|a| a.done.is_none())
                    .map(|a| {
                        format!(
                            "{} {} is still running: quitting leaves it half done (journaled).",
                            a.request.kind.as_str(),
                            a.request.target
                        )
                    }),
            )
            .collect();
        for text in running {
            lines.push(Line::from(Span::styled(text, theme.style(Role::Warn))));
        }
        lines.push(Line::default());
        let mut keys = key_hint(theme, "y", "quit");
        if !state.session.is_ended() {
            keys.extend(key_hint(theme, "e", "end the session, then quit"));
        }
        keys.extend(key_hint(theme, "n", "stay"));
        lines.push(Line::from(keys));
        text_box(frame, area, theme, " Quit ", lines);
    }
}
