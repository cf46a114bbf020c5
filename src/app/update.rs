//! `update(&mut State, Msg) -> Vec<Effect>`: the only place state changes.
//! Nothing is shown as done until the journal has made it durable: event-
//! producing operations emit `Effect::Journal` under a request id; the
//! records are applied when `Msg::Journaled` answers that id. Every other
//! answer is matched to its request in the work table, never to whatever
//! window happens to be on top.

use ratatui_textarea::TextArea;

use super::components::{self, ConfirmQuit, DetailView, Escalation, Overlay};
use super::keymap::lookup;
use super::model::notices::Notice;
use super::model::work::WritePurpose;
use super::model::{Banner, BannerLevel, Effect, Msg, RequestId, State};
use super::running::{action_done, on_command};
use super::step_keys::on_action;
pub(crate) use super::step_keys::{advance, choose};
use crate::engine::{Event, Record};

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let is_key = matches!(msg, Msg::Key(_));
    let before = (
        state.overlays.len(),
        state.session.current_id().map(str::to_string),
        state.banner.clone(),
    );
    let mut effects = dispatch(state, msg);
    if is_key {
        clear_stale_banner(state, before);
    }
    promote_notices(state);
    super::pane_rows::refresh_counts(state);
    // The kinds to watch follow the panes on screen and the checks.
    let wanted = state.wanted_kinds();
    if state.panes.watched.as_ref() != Some(&wanted) {
        state.panes.watched = Some(wanted.clone());
        effects.push(Effect::WatchKinds(wanted));
    }
    let counted = super::pane_rows::counted_nodes(state);
    if counted != state.panes.counted {
        state.panes.counted = counted.clone();
        effects.push(Effect::CountPods(counted));
    }
    if state.quit && effects.iter().all(|e| *e != Effect::Quit) && finished_quitting(state) {
        effects.push(Effect::Quit);
    }
    effects
}

fn dispatch(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => on_key(state, key),
        Msg::Resize(w, h) => {
            state.size = (w, h);
            Vec::new()
        }
        Msg::Tick(now) => {
            state.now = now;
            escalations_due(state);
            request_checks(state)
        }
        Msg::Cluster(snapshot) => {
            state.snapshot = Some(*snapshot);
            super::pane_rows::follow_selection(state);
            request_checks(state)
        }
        Msg::Checked { id, evaluated } => {
            if state.work.checks == Some(id) {
                state.work.checks = None;
            }
            // A job started before a context switch describes the old cluster.
            if evaluated.generation > state.checks_after {
                state.last_evaluated = Some(std::sync::Arc::new(*evaluated));
            }
            request_checks(state)
        }
        Msg::Journaled { id, result } => on_journaled(state, id, result),
        Msg::Hangup(why) => {
            tracing::info!("hang-up: {why}");
            // A note being written is saved, never lost.
            let draft = state.overlays.iter().find_map(|o| match o {
                Overlay::Notes(n) => Some(n.text()),
                _ => None,
            });
            let mut effects = Vec::new();
            if let Some(text) = draft
                && let Ok(event) = state.session.propose_note(&text)
            {
                state.overlays.retain(|o| !matches!(o, Overlay::Notes(_)));
                effects.extend(journal_for(state, vec![event], WritePurpose::ThenQuit));
            }
            effects.extend(begin_quit(state));
            effects
        }
        Msg::QuitDeadline => interrupt_work(state),
        Msg::Command { id, event } => on_command(state, id, event),
        Msg::ActionPreview { id, result } => {
            match state.work.previews.get_mut(&id) {
                Some(preview) => preview.result = Some(result),
                None => tracing::debug!(id, "a dry run answered after its window closed"),
            }
            Vec::new()
        }
        Msg::ActionProgress { id, progress } => {
            let Some(run) = state.work.actions.get_mut(&id) else {
                return Vec::new();
            };
            let record = drain_progress_record(run, &progress);
            if !run.drain.apply(&progress)
                && let crate::cluster::drain::Progress::Line(line) = progress
            {
                run.lines.push(crate::sanitize::line(&line));
            }
            match record {
                Some(event) => journal(state, vec![event]),
                None => Vec::new(),
            }
        }
        Msg::ActionDone { id, result } => action_done(state, id, result),
        Msg::Detail { id, result } => {
            let shown = detail_views(state).any(|v| v.on_answer(id, result.clone()));
            if !shown {
                tracing::debug!(id, "a detail answer for a window no longer open");
            }
            Vec::new()
        }
        Msg::LogLines { id, lines } => {
            let _ = detail_views(state).any(|v| v.on_lines(id, lines.clone()));
            Vec::new()
        }
        Msg::LogsEnded { id, why } => {
            let _ = detail_views(state).any(|v| v.on_stream_end(id, why.clone()));
            Vec::new()
        }
        Msg::GoalReached(since) => {
            let already = state
                .session
                .records()
                .iter()
                .any(|r| matches!(r.event, Event::GoalReached { .. }));
            if already {
                return Vec::new();
            }
            info(
                state,
                BannerLevel::Info,
                "the drill's goal is reached: the cluster is fixed (E ends the drill)".to_string(),
            );
            journal(state, vec![Event::GoalReached { since }])
        }
        Msg::ApiWrite(mut write) => {
            // Journaled as it comes: the journal numbers writes in flight.
            let step = state.session.current_id().unwrap_or_default().to_string();
            // The gateway names the cluster it forwarded to. A drill only
            // ever reaches its own simulator, which the session calls by the
            // drill's name; its outside writes (none named) went there too.
            if write.context.is_none() || state.session.drill().is_some() {
                let here = state.cluster_ref();
                write.context = here.context;
                write.server = write.server.or(here.server);
            }
            journal(state, vec![write.into_event(step)])
        }
        Msg::TaskFailed(what) => {
            info(state, BannerLevel::Error, what);
            Vec::new()
        }
        Msg::SilenceCreated { result, .. } => match result {
            Ok(silence) => {
                let until = silence.request.ends_at.strftime("%H:%M UTC").to_string();
                info(
                    state,
                    BannerLevel::Info,
                    format!("silenced until {until} (silence {})", silence.id),
                );
                journal(state, vec![silence.event()])
            }
            Err(why) => {
                info(state, BannerLevel::Error, format!("no silence: {why}"));
                Vec::new()
            }
        },
        Msg::SilenceExpired {
            silence, result, ..
        } => match result {
            Ok(()) => {
                info(
                    state,
                    BannerLevel::Info,
                    format!("silence {silence} expired"),
                );
                journal(state, vec![Event::SilenceExpired { id: silence }])
            }
            Err(why) => {
                info(
                    state,
                    BannerLevel::Error,
                    format!("silence {silence} not expired: {why}"),
                );
                Vec::new()
            }
        },
    }
}

fn detail_views(state: &mut State) -> impl Iterator<Item = &mut DetailView> {
    state.overlays.iter_mut().filter_map(|o| match o {
        Overlay::Detail(v) => Some(v),
        _ => None,
    })
}

/// A footer that belonged to a window goes with it, and one about a step
/// goes when the step changes; an error stays until something succeeds.
fn clear_stale_banner(state: &mut State, before: (usize, Option<String>, Option<Banner>)) {
    let (depth, step, banner) = before;
    let closed = state.overlays.len() < depth;
    let moved = state.session.current_id() != step.as_deref();
    let unchanged = state.banner == banner;
    if (closed || moved)
        && unchanged
        && state
            .banner
            .as_ref()
            .is_some_and(|b| b.level != BannerLevel::Error)
    {
        state.banner = None;
    }
}

/// Opens the first queued notice once no window is open.
fn promote_notices(state: &mut State) {
    if !state.overlays.is_empty() || state.quit {
        return;
    }
    match state.notices.pop() {
        // An escalation after the end has nothing left to escalate.
        Some(Notice::Escalation(_)) if state.session.is_ended() => {}
        Some(Notice::Escalation(index)) => state
            .overlays
            .push(Overlay::Escalation(Escalation { index })),
        Some(Notice::ExpireSilence(silence)) => {
            state
                .overlays
                .push(Overlay::ExpireSilence(components::ExpireSilence {
                    silence,
                }))
        }
        None => {}
    }
}

/// How often checks that read an age are evaluated again while the
/// cluster is quiet (their outcome moves with the clock).
const TIMED_RECHECK_SECS: i64 = 5;

/// Asks for the checks to be evaluated on the newest snapshot, unless a job
/// is already running (its answer asks again) or nothing changed: neither
/// the snapshot nor, for checks that read ages, the clock by a few seconds.
fn request_checks(state: &mut State) -> Vec<Effect> {
    let Some(snapshot) = &state.snapshot else {
        return Vec::new();
    };
    let now = state.now.as_second();
    let current = state.last_evaluated.as_ref().is_some_and(|e| {
        e.generation == snapshot.generation
            && (!state.checks.timed() || now - e.at < TIMED_RECHECK_SECS)
    });
    if state.checks.is_empty() || state.work.checks.is_some() || current {
        return Vec::new();
    }
    let job = Box::new(crate::checks::CheckJob {
        checks: state.checks.clone(),
        snapshot: snapshot.clone(),
        scope: state.scope.clone(),
        params: state.session.params().clone(),
        now,
        previous: state.last_evaluated.clone(),
    });
    let id = state.work.next_id();
    state.work.checks = Some(id);
    vec![Effect::EvaluateChecks { id, job }]
}

fn escalations_due(state: &mut State) {
    if state.session.is_ended() {
        return;
    }
    let elapsed = state.elapsed_secs();
    let due: Vec<usize> = state
        .session
        .playbook()
        .metadata
        .escalation
        .iter()
        .enumerate()
        .filter(|(i, e)| {
            crate::playbook::validate::duration_secs(&e.after.value)
                .is_some_and(|after| elapsed >= after)
                && !state.escalations_seen.contains(i)
        })
        .map(|(i, _)| i)
        .collect();
    for i in due {
        state.escalations_seen.push(i);
        state.notices.push(Notice::Escalation(i));
    }
}

/// What the responder reads when a drill's simulator stopped on a bug it
/// caught: the session goes on, and resuming restarts the cluster.
pub fn sim_stopped_notice(reason: &str) -> String {
    format!(
        "the drill's simulated cluster stopped ({}); your steps and notes are saved: quit and `runbook resume` restarts it from its last good state",
        crate::sanitize::line(reason)
    )
}

pub(crate) fn info(state: &mut State, level: BannerLevel, text: impl Into<String>) {
    state.banner = Some(Banner {
        level,
        text: text.into(),
    });
}

/// What of a drain's progress is journaled as it happens (its plan, each
/// pod off the node), so a crash mid-drain still tells the resumed session
/// how far it got.
fn drain_progress_record(
    run: &crate::app::model::work::ActionRun,
    progress: &crate::cluster::drain::Progress,
) -> Option<Event> {
    use crate::cluster::drain::{PodState, Progress};
    let (pods, pod) = match progress {
        Progress::Plan { pods, .. } => (pods.clone(), None),
        Progress::Pod {
            pod,
            state: PodState::Done(outcome),
        } if outcome.done() => (
            Vec::new(),
            Some(crate::engine::drain::DrainPod {
                pod: pod.clone(),
                outcome: outcome.clone(),
            }),
        ),
        _ => return None,
    };
    Some(Event::DrainProgress {
        step: run.step.clone(),
        target: run.request.target.clone(),
        pods,
        pod,
    })
}

pub(crate) fn journal(state: &mut State, events: Vec<Event>) -> Vec<Effect> {
    journal_for(state, events, WritePurpose::Plain)
}

pub(crate) fn journal_for(
    state: &mut State,
    events: Vec<Event>,
    purpose: WritePurpose,
) -> Vec<Effect> {
    let id = state.work.next_id();
    state.work.writes.insert(id, purpose);
    vec![Effect::Journal { id, events }]
}

/// Quitting: running commands are stopped and their ends journaled; the
/// shell leaves once nothing is in flight (or a deadline passes, when
/// `Msg::QuitDeadline` journals what is still running as interrupted).
pub(crate) fn begin_quit(state: &mut State) -> Vec<Effect> {
    state.quit = true;
    let mut effects: Vec<Effect> = state
        .work
        .commands
        .iter()
        .filter(|(_, c)| c.finish.is_none())
        .map(|(id, _)| Effect::CancelCommand(*id))
        .collect();
    if finished_quitting(state) {
        effects.push(Effect::Quit);
    }
    effects
}

/// Nothing left in flight that the record is waiting for.
pub fn finished_quitting(state: &State) -> bool {
    !state.work.writing() && !state.work.command_running() && !state.work.action_running()
}

/// The quit deadline passed: what still runs is journaled as interrupted.
fn interrupt_work(state: &mut State) -> Vec<Effect> {
    let mut events = Vec::new();
    let why = "interrupted: runbook quit while it ran";
    for run in state.work.actions.values_mut().filter(|a| a.done.is_none()) {
        run.done = Some(Err(why.into()));
        events.push(super::running::action_event(
            run,
            format!("unknown: {why}"),
            true,
        ));
    }
    for run in state
        .work
        .commands
        .values_mut()
        .filter(|c| c.finish.is_none())
    {
        run.finish = Some(crate::exec::runner::Finish::interrupted(why));
        events.push(Event::Command {
            step: run.step.clone(),
            argv: run.argv.clone(),
            exit_code: None,
            output_excerpt: format!("({why})"),
            output_file: None,
            origin: run.origin.clone(),
            confined: None,
            context: run.cluster.context.clone(),
            server: run.cluster.server.clone(),
            outside: run.outside.clone(),
        });
    }
    if events.is_empty() {
        return Vec::new();
    }
    journal(state, events)
}

fn on_journaled(
    state: &mut State,
    id: RequestId,
    result: Result<Vec<Record>, String>,
) -> Vec<Effect> {
    let purpose = state.work.writes.remove(&id);
    if purpose.is_none() {
        tracing::warn!(id, "a journal answer for no write in flight");
    }
    let mut effects = Vec::new();
    let written = result.is_ok();
    match result {
        Ok(records) => {
            for record in records {
                let entered = match &record.event {
                    Event::Entered { step } | Event::Back { to: step, .. } => Some(step.clone()),
                    _ => None,
                };
                let switched = matches!(record.event, Event::ContextSwitched { .. })
                    .then(|| record.event.clone());
                let ended = matches!(record.event, Event::Ended { .. });
                if let Err(e) = state.session.apply(record) {
                    info(
                        state,
                        BannerLevel::Error,
                        format!("journal and session disagree: {e}"),
                    );
                }
                if let Some(step) = entered {
                    state.selection = 0;
                    if state
                        .banner
                        .as_ref()
                        .is_some_and(|b| b.level != BannerLevel::Error)
                    {
                        state.banner = None;
                    }
                    effects.push(Effect::EnteredStep(step));
                }
                if let Some(event) = switched {
                    effects.extend(components::contexts::switched(state, &event));
                }
                if ended {
                    // The end offers to expire what the session silenced.
                    let open: Vec<String> = state
                        .session
                        .open_silences()
                        .into_iter()
                        .map(str::to_string)
                        .collect();
                    for silence in open {
                        state.notices.push(Notice::ExpireSilence(silence));
                    }
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
    if purpose == Some(WritePurpose::ThenQuit) {
        effects.extend(begin_quit(state));
    }
    if let Some(WritePurpose::ThenExecute(action)) = purpose {
        effects.extend(super::running::execute_when_journaled(
            state, action, written,
        ));
    }
    effects
}

fn on_key(state: &mut State, key: ratatui::crossterm::event::KeyEvent) -> Vec<Effect> {
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};
    if !state.overlays.is_empty() {
        return components::on_key(state, key);
    }
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        state.overlays.push(Overlay::ConfirmQuit(ConfirmQuit));
        return Vec::new();
    }
    state.banner = state
        .banner
        .take()
        .filter(|b| b.level == BannerLevel::Error);
    let Some(action) = lookup(state.base_mode(), &key) else {
        return Vec::new();
    };
    on_action(state, action)
}

pub fn single_line(placeholder: &str) -> TextArea<'static> {
    let mut t = TextArea::default();
    t.set_placeholder_text(placeholder.trim().to_string());
    t
}

pub(crate) fn text_of(t: &TextArea<'static>) -> String {
    t.lines().join("\n")
}
