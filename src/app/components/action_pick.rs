//! `a`: the step's built-in actions; enter asks the API server for a dry
//! run of the one picked, and nothing changes yet.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{ConfirmAction, Handled, Overlay, close, keep};
use crate::app::keymap::Action;
use crate::app::model::work::Preview;
use crate::app::model::{BannerLevel, Effect, State};
use crate::app::running::action_request;
use crate::app::update::info;
use crate::tui::theme::Role;
use crate::tui::window::pick_list;

#[derive(Debug, Default)]
pub struct ActionPick {
    pub selected: usize,
}

impl ActionPick {
    pub fn on_key(&mut self, state: &mut State, action: Option<Action>) -> Handled {
        let count = state.session.current_step().map_or(0, |s| s.actions.len());
        match action {
            Some(Action::Close) => close(Vec::new()),
            Some(Action::Down) => {
                self.selected = (self.selected + 1).min(count.saturating_sub(1));
                keep(Vec::new())
            }
            Some(Action::Up) => {
                self.selected = self.selected.saturating_sub(1);
                keep(Vec::new())
            }
            Some(Action::Submit) => match action_request(state, self.selected) {
                Ok(request) => {
                    let id = state.work.next_id();
                    state.work.previews.insert(
                        id,
                        Preview {
                            request: request.clone(),
                            result: None,
                        },
                    );
                    state
                        .overlays
                        .push(Overlay::ConfirmAction(ConfirmAction::new(id)));
                    close(vec![Effect::PreviewAction { id, request }])
                }
                Err(e) => {
                    info(state, BannerLevel::Error, e);
                    close(Vec::new())
                }
            },
            _ => keep(Vec::new()),
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        let Some(step) = state.session.current_step() else {
            return;
        };
        let items: Vec<String> = step
            .actions
            .iter()
            .map(|a| {
                format!(
                    "{} {} {}",
                    a.kind.as_str(),
                    state.render(&a.target),
                    a.description
                        .as_deref()
                        .map(|d| format!("- {}", state.render(d)))
                        .unwrap_or_default()
                )
            })
            .collect();
        let footer = vec![Line::from(Span::styled(
            "enter previews it with a server-side dry run; nothing changes yet. esc closes.",
            state.theme.style(Role::Muted),
        ))];
        pick_list(
            frame,
            area,
            &state.theme,
            " Actions ",
            &items,
            self.selected,
            footer,
        );
    }
}
