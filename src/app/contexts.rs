//! Switching the kube context from the walkthrough (`c`): a list of the
//! kubeconfig's contexts; picking one journals the switch, and only once it
//! is durable do the panes and checks move to the new cluster. Read-only is
//! sticky: a switch into a context the config marks read-only turns it on,
//! and no switch turns it off.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::state::{Banner, BannerLevel, Effect, Overlay, State};
use crate::engine::Event;

#[derive(Debug, Clone)]
pub struct ContextPicker {
    pub names: Vec<String>,
    pub selected: usize,
}

/// `c`: opens the picker on the current context.
pub fn open(state: &mut State) -> Vec<Effect> {
    if state.contexts.is_empty() {
        let drill = state.session.drill().is_some();
        state.banner = Some(Banner {
            level: BannerLevel::Info,
            text: if drill {
                "a drill runs against its simulated cluster only; there is no context to switch to"
            } else {
                "no kubeconfig contexts to switch to"
            }
            .into(),
        });
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

/// A key while the picker is on top.
pub fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(Overlay::Contexts(picker)) = state.overlays.last_mut() else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Esc | KeyCode::Char('q') => {
            state.overlays.pop();
        }
        KeyCode::Char('j') | KeyCode::Down => {
            picker.selected = (picker.selected + 1).min(picker.names.len().saturating_sub(1));
        }
        KeyCode::Char('k') | KeyCode::Up => picker.selected = picker.selected.saturating_sub(1),
        KeyCode::Enter => {
            let Some(to) = picker.names.get(picker.selected).cloned() else {
                return Vec::new();
            };
            state.overlays.pop();
            if state.context.as_deref() == Some(to.as_str()) {
                return Vec::new();
            }
            return match state.session.propose_context_switch(&to) {
                Ok(event) => {
                    state.pending = true;
                    vec![Effect::Journal(vec![event])]
                }
                Err(e) => {
                    state.banner = Some(Banner {
                        level: BannerLevel::Error,
                        text: e.to_string(),
                    });
                    Vec::new()
                }
            };
        }
        _ => {}
    }
    Vec::new()
}

/// The switch in a journaled event, kept before the session takes it.
pub fn switched_event(event: &Event) -> Option<Event> {
    matches!(event, Event::ContextSwitched { .. }).then(|| event.clone())
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
        state.banner = Some(Banner {
            level: BannerLevel::Warn,
            text: format!(
                "context {to} is read-only by your config: actions and changing commands are refused"
            ),
        });
    }
    Some(Effect::SwitchContext(to.clone()))
}
