//! `E` (or `e` at the quit prompt): end the session now with an outcome
//! and a reason, both journaled, so a session left mid-tree does not stay
//! "active" for ever.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui_textarea::TextArea;

use super::{Handled, close, keep};
use crate::app::keymap::Action;
use crate::app::model::BannerLevel;
use crate::app::model::State;
use crate::app::model::work::WritePurpose;
use crate::app::update::{info, journal_for, single_line, text_of};
use crate::playbook::model::Outcome;
use crate::tui::theme::Role;
use crate::tui::window::{boxed, fit_box, typed_name};

pub const OUTCOMES: [Outcome; 4] = [
    Outcome::Mitigated,
    Outcome::Resolved,
    Outcome::Escalated,
    Outcome::Aborted,
];

pub struct EndSession {
    pub outcome: usize,
    pub reason: TextArea<'static>,
    /// Quit once the end is durable (asked for at the quit prompt).
    pub quit_after: bool,
}

impl EndSession {
    pub fn new(quit_after: bool) -> EndSession {
        EndSession {
            outcome: 0,
            reason: single_line("why it ends here (journaled)"),
            quit_after,
        }
    }

    pub fn on_key(&mut self, state: &mut State, action: Option<Action>, key: KeyEvent) -> Handled {
        match action {
            Some(Action::Close) => close(Vec::new()),
            Some(Action::Down) => {
                self.outcome = (self.outcome + 1) % OUTCOMES.len();
                keep(Vec::new())
            }
            Some(Action::Up) => {
                self.outcome = (self.outcome + OUTCOMES.len() - 1) % OUTCOMES.len();
                keep(Vec::new())
            }
            Some(Action::Submit) => {
                let reason = text_of(&self.reason).trim().to_string();
                if reason.is_empty() {
                    info(
                        state,
                        BannerLevel::Warn,
                        "type the reason first: it goes into the journal",
                    );
                    return keep(Vec::new());
                }
                match state
                    .session
                    .propose_end(OUTCOMES[self.outcome], Some(&reason))
                {
                    Ok(event) => {
                        let purpose = if self.quit_after {
                            WritePurpose::ThenQuit
                        } else {
                            WritePurpose::Plain
                        };
                        close(journal_for(state, vec![event], purpose))
                    }
                    Err(e) => {
                        info(state, BannerLevel::Warn, e.to_string());
                        close(Vec::new())
                    }
                }
            }
            _ => {
                self.reason.input(key);
                keep(Vec::new())
            }
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        let theme = &state.theme;
        let mut lines = vec![Line::from(
            "End the session here. Pick the outcome (up/down) and say why:",
        )];
        for (i, outcome) in OUTCOMES.iter().enumerate() {
            if i == self.outcome {
                lines.push(Line::from(Span::styled(
                    format!("> {}", outcome.as_str()),
                    theme.style(Role::Selected),
                )));
            } else {
                lines.push(Line::from(format!("  {}", outcome.as_str())));
            }
        }
        let rect = fit_box(area, 70, &lines, 3);
        frame.render_widget(Clear, rect);
        let block = boxed(theme, " End the session ");
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        typed_name(frame, inner, theme, &self.reason);
    }
}
