//! Going on past unconfirmed required items: the responder types why, and
//! the reason is journaled with the override.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui_textarea::TextArea;

use super::{Handled, close, keep};
use crate::app::keymap::Action;
use crate::app::model::{BannerLevel, State};
use crate::app::update::{advance, choose, info, single_line, text_of};
use crate::tui::theme::Role;
use crate::tui::window::{boxed, fit_box, typed_name};

pub struct Override {
    /// The choice being made, or `None` for going on along `next`.
    pub choice: Option<usize>,
    pub input: TextArea<'static>,
}

impl Override {
    pub fn new(choice: Option<usize>) -> Override {
        Override {
            choice,
            input: single_line("why go on without them?"),
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
                let effects = match self.choice {
                    Some(c) => choose(state, c, Some(&reason)),
                    None => advance(state, Some(&reason)),
                };
                close(effects)
            }
            _ => {
                self.input.input(key);
                keep(Vec::new())
            }
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        let theme = &state.theme;
        let missing = state.session.unconfirmed_required();
        let step = state.session.current_step();
        let mut lines = vec![Line::from(Span::styled(
            format!("{} required item(s) are not confirmed:", missing.len()),
            theme.style(Role::Warn),
        ))];
        for i in &missing {
            if let Some(item) = step.and_then(|s| s.checklist.get(*i)) {
                lines.push(Line::from(format!("  - {}", state.render(&item.text))));
            }
        }
        lines.push(Line::from(
            "Type why you go on anyway (it is journaled); enter continues, esc goes back.",
        ));
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
