//! What a key's action does on the main screen: moving, confirming,
//! choosing, opening windows. Split from `update`, whose `dispatch` calls it.

use super::components::{
    self, ActionPick, ConfirmQuit, DetailView, EndSession, Filter, Help, Notes, Output, Overlay,
    Timeline,
};
use super::keymap::{Action, Mode};
use super::model::{BannerLevel, Effect, Selected, State};
use super::running::run_selected;
use super::update::{info, journal};
use crate::engine::{CheckResult, EngineError, Event};

pub(super) fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    let mode = state.base_mode();
    match action {
        // The ended screen scrolls (a drill report is longer than 24 lines).
        Action::Top if mode == Mode::Ended => {
            state.ended_scroll = 0;
            Vec::new()
        }
        Action::Bottom if mode == Mode::Ended => {
            state.ended_scroll = usize::MAX;
            Vec::new()
        }
        Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
            let delta: isize = match action {
                Action::Up => -1,
                Action::Down => 1,
                Action::PageUp => -10,
                _ => 10,
            };
            if mode == Mode::Ended {
                // From the end, up counts from where the end is drawn.
                let limit = crate::ui::view::ended_scroll_limit(state);
                let from = state.ended_scroll.min(limit);
                state.ended_scroll = from.saturating_add_signed(delta).min(limit);
            } else if mode == Mode::Panes {
                super::pane_rows::move_selection(state, delta);
            } else {
                let max = state.selectable().saturating_sub(1);
                state.selection = state.selection.saturating_add_signed(delta).min(max);
            }
            Vec::new()
        }
        Action::Toggle => match state.selected() {
            Selected::Item(i) => toggle(state, i),
            _ => {
                info(
                    state,
                    BannerLevel::Info,
                    "space confirms a checklist item: select one with j/k",
                );
                Vec::new()
            }
        },
        Action::Enter => match state.selected() {
            Selected::Choice(c) => choose(state, c, None),
            _ => advance(state, None),
        },
        Action::Pick(c) if mode == Mode::Panes => {
            if c < state.pane_list().len() {
                state.panes.tab = c;
                state.panes.reset_selection();
                state.panes.hscroll = 0;
                state.panes.filter.clear();
            }
            Vec::new()
        }
        Action::Pick(c) => {
            let count = state.session.current_step().map_or(0, |s| s.choices.len());
            if c < count {
                choose(state, c, None)
            } else {
                info(
                    state,
                    BannerLevel::Info,
                    if count == 0 {
                        "this step has no choices: enter goes on".to_string()
                    } else {
                        format!("pick 1-{count}")
                    },
                );
                Vec::new()
            }
        }
        Action::Back => match state.session.propose_back() {
            Ok(e) => journal(state, vec![e]),
            Err(e) => {
                info(state, BannerLevel::Info, e.to_string());
                Vec::new()
            }
        },
        Action::CycleFocus => {
            state.mode_focus = if state.mode_focus == Mode::Step {
                Mode::Panes
            } else {
                Mode::Step
            };
            Vec::new()
        }
        Action::NextTab | Action::PrevTab => {
            let n = state.pane_list().len().max(1);
            state.panes.tab = if action == Action::NextTab {
                (state.panes.tab + 1) % n
            } else {
                (state.panes.tab + n - 1) % n
            };
            state.panes.reset_selection();
            state.panes.hscroll = 0;
            state.panes.filter.clear();
            Vec::new()
        }
        Action::ScrollLeft => {
            state.panes.hscroll = state.panes.hscroll.saturating_sub(1);
            Vec::new()
        }
        Action::ScrollRight => {
            let kind = crate::kinds::get(state.current_kind());
            let columns = kind.columns().iter().filter(|c| c.pane).count();
            state.panes.hscroll = (state.panes.hscroll + 1).min(columns.saturating_sub(2));
            Vec::new()
        }
        Action::Filter => {
            let filter = Filter::new(&state.panes.filter);
            state.overlays.push(Overlay::Filter(filter));
            Vec::new()
        }
        Action::WidenNamespace => {
            state.panes.all_namespaces = !state.panes.all_namespaces;
            state.panes.reset_selection();
            vec![Effect::AllNamespaces(state.panes.all_namespaces)]
        }
        Action::Note => {
            state.overlays.push(Overlay::Notes(Notes::default()));
            Vec::new()
        }
        Action::Copy => match (state.selected(), state.session.current_step()) {
            (Selected::Command(i), Some(step)) => {
                let text = state.render(&step.commands[i].run);
                info(state, BannerLevel::Info, format!("copied: {text}"));
                vec![Effect::Copy(text)]
            }
            _ => {
                info(
                    state,
                    BannerLevel::Info,
                    "select a command with j/k, then y copies it",
                );
                Vec::new()
            }
        },
        Action::Run => run_selected(state),
        Action::Detail => match super::pane_rows::selected_object(state) {
            Some((kind, ns, name)) => {
                let (view, fetch) = DetailView::open(state, kind, ns, name);
                state.overlays.push(Overlay::Detail(view));
                vec![fetch]
            }
            None => {
                info(state, BannerLevel::Info, "no row selected");
                Vec::new()
            }
        },
        Action::Logs => match super::pane_rows::selected_object(state) {
            Some(("Pod", ns, name)) => {
                let (view, fetch) = DetailView::open_logs(state, ns, name);
                state.overlays.push(Overlay::Detail(view));
                vec![fetch]
            }
            Some(_) => {
                info(
                    state,
                    BannerLevel::Info,
                    "logs are a pod's: enter describes this row",
                );
                Vec::new()
            }
            None => {
                info(state, BannerLevel::Info, "no row selected");
                Vec::new()
            }
        },
        Action::Actions => {
            let count = state.session.current_step().map_or(0, |s| s.actions.len());
            if count == 0 {
                info(
                    state,
                    BannerLevel::Info,
                    "this step has no built-in actions",
                );
            } else if state.read_only {
                info(
                    state,
                    BannerLevel::Warn,
                    "refused: read-only mode makes no changes to the cluster",
                );
            } else {
                state.overlays.push(Overlay::Actions(ActionPick::default()));
            }
            Vec::new()
        }
        Action::Reopen => {
            reopen(state);
            Vec::new()
        }
        Action::Silence => components::silence::open(state),
        Action::Edit => components::command_line::edit(state),
        Action::Briefing => components::briefing::open(state),
        Action::Hint => {
            let step = state.session.current_id().unwrap_or_default().to_string();
            if state.session.drill().is_none() {
                info(
                    state,
                    BannerLevel::Info,
                    "hints are for drills: here the cluster's suggestions always show",
                );
                Vec::new()
            } else if state.session.hinted(&step) {
                info(
                    state,
                    BannerLevel::Info,
                    "the hint for this step is showing",
                );
                Vec::new()
            } else if !state.hint_has_something() {
                // Nothing to reveal: not counted as a hint used.
                info(
                    state,
                    BannerLevel::Info,
                    "no hint here: this step has no choice for the cluster to suggest",
                );
                Vec::new()
            } else {
                journal(state, vec![Event::Hint { step }])
            }
        }
        Action::TypeCommand => components::command_line::typed(state),
        Action::EndSession => {
            state
                .overlays
                .push(Overlay::EndSession(EndSession::new(false)));
            Vec::new()
        }
        Action::SwitchContext => components::contexts::open(state),
        Action::Timeline => {
            state.overlays.push(Overlay::Timeline(Timeline::default()));
            Vec::new()
        }
        Action::Help => {
            state.overlays.push(Overlay::Help(Help::new(mode)));
            Vec::new()
        }
        Action::Quit => {
            state.overlays.push(Overlay::ConfirmQuit(ConfirmQuit));
            Vec::new()
        }
        // Window keys: never bound on the main screen.
        Action::Top
        | Action::Bottom
        | Action::Close
        | Action::Submit
        | Action::Save
        | Action::Yes
        | Action::Continue
        | Action::Undo
        | Action::No
        | Action::CancelWork
        | Action::PreviousLogs
        | Action::Follow
        | Action::ClearLine => Vec::new(),
    }
}

/// `o`: the last command's output or action's progress, again.
fn reopen(state: &mut State) {
    let Some(id) = state.work.last else {
        info(
            state,
            BannerLevel::Info,
            "no command or action has run in this session yet",
        );
        return;
    };
    if state.work.commands.contains_key(&id) {
        state.overlays.push(Overlay::Output(Output::new(id)));
    } else if state.work.actions.contains_key(&id) {
        state
            .overlays
            .push(Overlay::ActionProgress(components::ActionProgress::new(id)));
    }
}

/// Evidence for a check at a decision, if the playbook names one.
fn evidence(state: &State, check: Option<&str>) -> Option<Event> {
    let id = check?;
    let (result, objects) = state
        .check_result(Some(id))
        .map_or((CheckResult::Unknown, Vec::new()), |o| {
            (o.result, o.objects.clone())
        });
    Some(state.session.evidence(id, result, objects))
}

/// The check of item `item` of the current step, if it has one.
fn item_check(state: &State, item: usize) -> Option<String> {
    state.session.current_step().and_then(|s| {
        s.checklist
            .get(item)?
            .check
            .as_ref()
            .map(|c| c.value.clone())
    })
}

fn toggle(state: &mut State, item: usize) -> Vec<Effect> {
    match state.session.propose_toggle(item) {
        Ok(event) => {
            let mut events = vec![event];
            if matches!(events[0], Event::Confirmed { .. }) {
                let check = item_check(state, item);
                // The cluster says no: confirming it anyway asks why first.
                if let Some(check) = &check
                    && state.check_result(Some(check)).map(|o| o.result) == Some(CheckResult::Fail)
                {
                    state
                        .overlays
                        .push(Overlay::Override(components::Override::against_evidence(
                            item,
                            check.clone(),
                        )));
                    return Vec::new();
                }
                events.extend(evidence(state, check.as_deref()));
            }
            journal(state, events)
        }
        Err(e) => {
            info(state, BannerLevel::Warn, e.to_string());
            Vec::new()
        }
    }
}

/// Confirms item `item` although its check `check` fails, with the
/// responder's reason; the evidence is journaled beside it.
pub(crate) fn confirm_against(
    state: &mut State,
    item: usize,
    check: &str,
    reason: &str,
) -> Vec<Effect> {
    match state
        .session
        .propose_confirm_against(item, reason, check, CheckResult::Fail)
    {
        Ok(event) => {
            let mut events = vec![event];
            events.extend(evidence(state, Some(check)));
            journal(state, events)
        }
        Err(e) => {
            info(state, BannerLevel::Warn, e.to_string());
            Vec::new()
        }
    }
}

pub(crate) fn choose(state: &mut State, choice: usize, reason: Option<&str>) -> Vec<Effect> {
    let proposal = match reason {
        None => state.session.propose_choose(choice),
        Some(r) => state.session.propose_choose_overriding(choice, r),
    };
    match proposal {
        Ok(mut events) => {
            let when = state
                .session
                .current_step()
                .and_then(|s| s.choices[choice].when.as_ref().map(|w| w.value.clone()));
            if let Some(e) = evidence(state, when.as_deref()) {
                events.insert(0, e);
            }
            journal(state, events)
        }
        Err(EngineError::Unconfirmed { .. }) => {
            state
                .overlays
                .push(Overlay::Override(components::Override::new(Some(choice))));
            Vec::new()
        }
        Err(e) => {
            info(state, BannerLevel::Warn, e.to_string());
            Vec::new()
        }
    }
}

pub(crate) fn advance(state: &mut State, reason: Option<&str>) -> Vec<Effect> {
    match state.session.propose_advance(reason) {
        Ok(events) => journal(state, events),
        Err(EngineError::Unconfirmed { .. }) => {
            state
                .overlays
                .push(Overlay::Override(components::Override::new(None)));
            Vec::new()
        }
        Err(EngineError::ChoiceRequired) => {
            let n = state.session.current_step().map_or(0, |s| s.choices.len());
            info(
                state,
                BannerLevel::Info,
                format!(
                    "this step branches: pick a choice with 1-{n}, or select one and press enter"
                ),
            );
            Vec::new()
        }
        Err(e) => {
            info(state, BannerLevel::Warn, e.to_string());
            Vec::new()
        }
    }
}
