//! `update(&mut State, Msg) -> Vec<Effect>`: the only place state changes.
//! Nothing is shown as done until the journal has made it durable: event-
//! producing operations emit `Effect::Journal` and set `pending`; the
//! records are applied when `Msg::Journaled` arrives.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

use super::detail::DetailView;
use super::keymap::{Action, Mode, lookup};
use super::overlay_keys::on_overlay_key;
use super::running::{action_done, on_command, run_selected};
use super::state::{Banner, BannerLevel, Effect, Msg, Overlay, PaneTab, Selected, State};
use crate::engine::{CheckResult, EngineError, Event};

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => on_key(state, key),
        Msg::Resize(w, h) => {
            state.size = (w, h);
            Vec::new()
        }
        Msg::Tick(now) => {
            state.now = now;
            escalations_due(state);
            Vec::new()
        }
        Msg::Cluster(snapshot) => {
            state.snapshot = Some(*snapshot);
            super::pane_rows::follow_selection(state);
            request_checks(state)
        }
        Msg::Checked(evaluated) => {
            state.checks_in_flight = false;
            // A job started before a context switch describes the old cluster.
            if evaluated.generation > state.checks_after {
                state.last_evaluated = Some(std::sync::Arc::new(*evaluated));
            }
            request_checks(state)
        }
        Msg::Journaled(result) => on_journaled(state, result),
        Msg::Hangup(why) => {
            tracing::info!("hang-up: {why}");
            // A note being written is saved, never lost.
            if let Some(Overlay::Notes { input, .. }) = state.overlays.last() {
                let text = input.lines().join("\n");
                if let Ok(event) = state.session.propose_note(&text) {
                    state.quitting_after_journal = true;
                    state.pending = true;
                    return vec![Effect::Journal(vec![event])];
                }
            }
            state.quit = true;
            vec![Effect::Quit]
        }
        Msg::Command(event) => on_command(state, event),
        Msg::ActionPreview(result) => {
            if let Some(Overlay::ConfirmAction { preview, .. }) = state.overlays.last_mut() {
                *preview = Some(result);
            }
            Vec::new()
        }
        Msg::ActionProgress(line) => {
            if let Some(Overlay::ActionProgress { lines, .. }) = state.overlays.last_mut() {
                lines.push(line);
            }
            Vec::new()
        }
        Msg::ActionDone(result) => action_done(state, result),
        Msg::Detail(result) => {
            if let Some(Overlay::Detail(view)) = state.overlays.last_mut()
                && view.following().is_none()
            {
                view.lines = Some(result);
            }
            Vec::new()
        }
        Msg::LogLines(stream, lines) => {
            if let Some(Overlay::Detail(view)) = state.overlays.last_mut() {
                view.on_lines(stream, lines);
            }
            Vec::new()
        }
        Msg::LogsEnded(stream, why) => {
            if let Some(Overlay::Detail(view)) = state.overlays.last_mut() {
                view.on_stream_end(stream, why);
            }
            Vec::new()
        }
        Msg::ApiWrite(write) => super::api_writes::on_write(state, *write),
        Msg::TaskFailed(what) => {
            state.banner = Some(Banner {
                level: BannerLevel::Error,
                text: what,
            });
            Vec::new()
        }
    }
}

/// Asks for the checks to be evaluated on the newest snapshot, unless a job
/// is already running (its answer asks again) or nothing changed.
fn request_checks(state: &mut State) -> Vec<Effect> {
    let Some(snapshot) = &state.snapshot else {
        return Vec::new();
    };
    if state.checks.is_empty()
        || state.checks_in_flight
        || state.checked_generation() == Some(snapshot.generation)
    {
        return Vec::new();
    }
    state.checks_in_flight = true;
    vec![Effect::EvaluateChecks(Box::new(crate::checks::CheckJob {
        checks: state.checks.clone(),
        snapshot: snapshot.clone(),
        scope: state.scope.clone(),
        params: state.session.params().clone(),
        now: state.now.as_second(),
        previous: state.last_evaluated.clone(),
    }))]
}

fn escalations_due(state: &mut State) {
    if state.session.is_ended() {
        return;
    }
    let elapsed = state.elapsed_secs();
    for (i, e) in state
        .session
        .playbook()
        .metadata
        .escalation
        .iter()
        .enumerate()
    {
        let Ok(after) = humantime::parse_duration(&e.after.value) else {
            continue;
        };
        if elapsed >= after.as_secs() as i64 && !state.escalations_seen.contains(&i) {
            state.escalations_seen.push(i);
            state.overlays.push(Overlay::Escalation { index: i });
        }
    }
}

pub(super) fn info(state: &mut State, level: BannerLevel, text: impl Into<String>) {
    state.banner = Some(Banner {
        level,
        text: text.into(),
    });
}

pub(super) fn journal(state: &mut State, events: Vec<Event>) -> Vec<Effect> {
    state.pending = true;
    vec![Effect::Journal(events)]
}

fn on_journaled(
    state: &mut State,
    result: Result<Vec<super::state::Record>, String>,
) -> Vec<Effect> {
    state.pending = false;
    let mut effects = Vec::new();
    match result {
        Ok(records) => {
            for record in records {
                let entered = match &record.event {
                    Event::Entered { step } | Event::Back { to: step, .. } => Some(step.clone()),
                    _ => None,
                };
                let switched = super::contexts::switched_event(&record.event);
                if let Err(e) = state.session.apply(record) {
                    info(
                        state,
                        BannerLevel::Error,
                        format!("journal and session disagree: {e}"),
                    );
                }
                if let Some(step) = entered {
                    state.selection = 0;
                    effects.push(Effect::EnteredStep(step));
                }
                if let Some(event) = switched {
                    effects.extend(super::contexts::switched(state, &event));
                }
            }
            if matches!(
                state.banner,
                Some(Banner {
                    level: BannerLevel::Error,
                    ..
                })
            ) {
                state.banner = None;
            }
        }
        Err(e) => info(
            state,
            BannerLevel::Error,
            format!("NOT SAVED, nothing was marked done: {e}"),
        ),
    }
    effects.extend(super::api_writes::flush(state));
    if state.quitting_after_journal {
        state.quit = true;
        effects.push(Effect::Quit);
    }
    effects
}

fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        if !matches!(state.overlays.last(), Some(Overlay::ConfirmQuit)) {
            state.overlays.push(Overlay::ConfirmQuit);
        }
        return Vec::new();
    }
    if !state.overlays.is_empty() {
        return on_overlay_key(state, key);
    }
    state.banner = state
        .banner
        .take()
        .filter(|b| b.level == BannerLevel::Error);
    let Some(action) = lookup(state.mode(), &key) else {
        return Vec::new();
    };
    on_action(state, action)
}

fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    let mode = state.mode();
    match action {
        Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
            let delta: isize = match action {
                Action::Up => -1,
                Action::Down => 1,
                Action::PageUp => -10,
                _ => 10,
            };
            if mode == Mode::Panes {
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
            let n = PaneTab::ALL.len();
            state.panes.tab = if action == Action::NextTab {
                (state.panes.tab + 1) % n
            } else {
                (state.panes.tab + n - 1) % n
            };
            state.panes.reset_selection();
            Vec::new()
        }
        Action::Filter => {
            let mut input = single_line(" filter (enter applies, esc clears) ");
            input.insert_str(&state.panes.filter);
            state.overlays.push(Overlay::Filter { input });
            Vec::new()
        }
        Action::WidenNamespace => {
            state.panes.all_namespaces = !state.panes.all_namespaces;
            state.panes.reset_selection();
            vec![Effect::AllNamespaces(state.panes.all_namespaces)]
        }
        Action::Note => {
            let mut input = TextArea::default();
            input.set_placeholder_text("What did you see or do? ctrl-s saves, esc cancels");
            state.overlays.push(Overlay::Notes {
                input,
                confirm_discard: false,
            });
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
                state.overlays.push(Overlay::Detail(DetailView::describe(
                    kind,
                    ns.clone(),
                    name.clone(),
                )));
                vec![Effect::FetchDetail(kind, ns, name)]
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
                state.overlays.push(Overlay::Actions { selected: 0 });
            }
            Vec::new()
        }
        Action::SwitchContext => super::contexts::open(state),
        Action::Timeline => {
            state
                .overlays
                .push(Overlay::Timeline { scroll: usize::MAX });
            Vec::new()
        }
        Action::Help => {
            state.overlays.push(Overlay::Help);
            Vec::new()
        }
        Action::Quit => {
            state.overlays.push(Overlay::ConfirmQuit);
            Vec::new()
        }
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

fn toggle(state: &mut State, item: usize) -> Vec<Effect> {
    match state.session.propose_toggle(item) {
        Ok(event) => {
            let mut events = vec![event];
            if matches!(events[0], Event::Confirmed { .. }) {
                let check = state
                    .session
                    .current_step()
                    .and_then(|s| s.checklist[item].check.as_ref().map(|c| c.value.clone()));
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

pub(super) fn choose(state: &mut State, choice: usize, reason: Option<&str>) -> Vec<Effect> {
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
            state.overlays.push(Overlay::Override {
                choice: Some(choice),
                input: single_line(" why go on without them? "),
            });
            Vec::new()
        }
        Err(e) => {
            info(state, BannerLevel::Warn, e.to_string());
            Vec::new()
        }
    }
}

pub(super) fn advance(state: &mut State, reason: Option<&str>) -> Vec<Effect> {
    match state.session.propose_advance(reason) {
        Ok(events) => journal(state, events),
        Err(EngineError::Unconfirmed { .. }) => {
            state.overlays.push(Overlay::Override {
                choice: None,
                input: single_line(" why go on without them? "),
            });
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

/// Lines of text the detail overlay shows on a screen this high (it takes
/// the screen less a line each side, and its border).
pub fn detail_body_height(screen_height: u16) -> usize {
    usize::from(screen_height.saturating_sub(2).max(6).saturating_sub(2))
}

pub fn single_line(title: &'static str) -> TextArea<'static> {
    let mut t = TextArea::default();
    t.set_placeholder_text(title.trim());
    t
}

pub(super) fn text_of(t: &TextArea<'static>) -> String {
    t.lines().join("\n")
}
