//! `c`: switch the kube context. Picking one journals the switch, and only
//! once it is durable do the panes and checks move to the new cluster.
//! Read-only is sticky: a switch into a context the config marks read-only
//! turns it on, and no switch turns it off.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{Handled, Overlay, close, keep};
use crate::app::keymap::Action;
use crate::app::model::{BannerLevel, Effect, State};
use crate::app::update::{info, journal};
use crate::engine::Event;
use crate::tui::theme::Role;
use crate::tui::window::pick_list;

#[derive(Debug, Clone)]
pub struct ContextPicker {
    pub names: Vec<String>,
    pub selected: usize,
}

/// `c`: opens the picker on the current context.
pub fn open(state: &mut State) -> Vec<Effect> {
    if state.contexts.is_empty() {
        let drill = state.session.drill().is_some();
        info(
            state,
            BannerLevel::Info,
            if drill {
                "a drill runs against its simulated cluster only; there is no context to switch to"
            } else {
                "no kubeconfig contexts to switch to"
            },
        );
        return Vec::new();
    }
    let selected = state
        .context
        .as_ref()
        .and_then(|c| state.contexts.iter().position(|n| n == c))
        .unwrap_or(0);
    state.overlays.push(Overlay::Contexts(ContextPicker {
        names: state.contexts.clone(),
        selected,
    }));
    Vec::new()
}

impl ContextPicker {
    pub fn on_key(&mut self, state: &mut State, action: Option<Action>) -> Handled {
        match action {
            Some(Action::Close) => close(Vec::new()),
            Some(Action::Down) => {
                self.selected = (self.selected + 1).min(self.names.len().saturating_sub(1));
                keep(Vec::new())
            }
            Some(Action::Up) => {
                self.selected = self.selected.saturating_sub(1);
                keep(Vec::new())
            }
            Some(Action::Submit) => {
                let Some(to) = self.names.get(self.selected).cloned() else {
                    return close(Vec::new());
                };
                if state.context.as_deref() == Some(to.as_str()) {
                    return close(Vec::new());
                }
                let read_only = state.read_only || state.config.is_read_only_context(&to);
                match state.session.propose_context_switch(
                    &to,
                    read_only,
                    &state.config.read_only_contexts,
                ) {
                    Ok(event) => close(journal(state, vec![event])),
                    Err(e) => {
                        info(state, BannerLevel::Error, e.to_string());
                        close(Vec::new())
                    }
                }
            }
            _ => keep(Vec::new()),
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        let theme = &state.theme;
        let items: Vec<String> = self
            .names
            .iter()
            .map(|name| {
                if state.context.as_deref() == Some(name.as_str()) {
                    format!("{name}  (current)")
                } else {
                    name.clone()
                }
            })
            .collect();
        let mut footer = vec![Line::from(Span::styled(
            "enter switches the panes, checks and actions to it (journaled); esc closes.",
            theme.style(Role::Muted),
        ))];
        if state.read_only {
            footer.push(Line::from(Span::styled(
                "read-only stays on for the rest of this session.",
                theme.style(Role::Warn),
            )));
        }
        pick_list(
            frame,
            area,
            theme,
            " Kube context ",
            &items,
            self.selected,
            footer,
        );
    }
}

/// A journaled switch takes effect: the status bar, read-only, the panes.
pub fn switched(state: &mut State, event: &Event) -> Option<Effect> {
    let Event::ContextSwitched { to, .. } = event else {
        return None;
    };
    state.context = Some(to.clone());
    state.panes.reset_selection();
    state.last_evaluated = None;
    state.checks_after = state.snapshot.as_ref().map_or(0, |s| s.generation);
    let forced = state.config.is_read_only_context(to);
    if forced && !state.read_only {
        state.read_only = true;
        info(
            state,
            BannerLevel::Warn,
            format!(
                "context {to} is read-only by your config: actions and changing commands are refused"
            ),
        );
    }
    Some(Effect::SwitchContext(to.clone()))
}
