//! Going on past unconfirmed required items, or confirming an item whose
//! check fails: the responder types why, and the reason is journaled with
//! the override.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui_textarea::TextArea;

use super::{Handled, close, keep};
use crate::app::keymap::Action;
use crate::app::model::{BannerLevel, State};
use crate::app::step_keys::confirm_against;
use crate::app::update::{advance, choose, info, single_line, text_of};
use crate::tui::theme::Role;
use crate::tui::window::{boxed, fit_box, typed_name};

pub struct Override {
    /// The choice being made, or `None` for going on along `next`.
    pub choice: Option<usize>,
    pub input: TextArea<'static>,
    /// Confirming this item against its failing check (the check's id),
    /// rather than going on.
    pub against: Option<(usize, String)>,
}

impl Override {
    pub fn new(choice: Option<usize>) -> Override {
        Override {
            choice,
            input: single_line("why go on without them?"),
            against: None,
        }
    }

    /// Confirming item `item` although its check `check` fails.
    pub fn against_evidence(item: usize, check: String) -> Override {
        Override {
            choice: None,
            input: single_line("why confirm it anyway?"),
            against: Some((item, check)),
        }
    }

    pub fn on_key(&mut self, state: &mut State, action: Option<Action>, key: KeyEvent) -> Handled {
        match action {
            Some(Action::Close) => close(Vec::new()),
            Some(Action::Submit) => {
                let reason = text_of(&self.input).trim().to_string();
                if reason.is_empty() {
                    info(
                        state,
                        BannerLevel::Warn,
                        "type the reason first: it goes into the journal",
                    );
                    return keep(Vec::new());
                }
                let effects = match (&self.against, self.choice) {
                    (Some((item, check)), _) => confirm_against(state, *item, check, &reason),
                    (None, Some(c)) => choose(state, c, Some(&reason)),
                    (None, None) => advance(state, Some(&reason)),
                };
                close(effects)
            }
            _ => {
                self.input.input(key);
                keep(Vec::new())
            }
        }
    }

    /// The window's text: what is being overridden, and what to type.
    fn text(&self, state: &State) -> Vec<Line<'static>> {
        let theme = &state.theme;
        let step = state.session.current_step();
        let item_line = |i: usize| {
            step.and_then(|s| s.checklist.get(i))
                .map(|item| Line::from(format!("  - {}", state.render(&item.text))))
        };
        let mut lines: Vec<Line<'static>> = crate::ui::status::read_only_notice(state)
            .into_iter()
            .collect();
        if let Some((item, check)) = &self.against {
            lines.push(Line::from(Span::styled(
                format!("Check {check} fails: the cluster says no to"),
                theme.style(Role::Warn),
            )));
            lines.extend(item_line(*item));
            lines.push(Line::from(
                "Type why you confirm it anyway (journaled beside the evidence); enter confirms, esc goes back.",
            ));
            return lines;
        }
        let missing = state.session.unconfirmed_required();
        lines.push(Line::from(Span::styled(
            format!("{} required item(s) are not confirmed:", missing.len()),
            theme.style(Role::Warn),
        )));
        lines.extend(missing.iter().filter_map(|i| item_line(*i)));
        lines.push(Line::from(
            "Type why you go on anyway (it is journaled); enter continues, esc goes back.",
        ));
        lines
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        let theme = &state.theme;
        let lines = self.text(state);
        let rect = fit_box(area, 76, &lines, 3);
        frame.render_widget(Clear, rect);
        let block = boxed(theme, " Override ");
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        frame.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: false }),
            Rect {
                height: inner.height.saturating_sub(3),
                ..inner
            },
        );
        typed_name(frame, inner, theme, &self.input);
    }
}
