//! Commands and actions from the step: planning and confirming a command,
//! its output in the work table, and journaling what a command or action
//! did, whatever window is on screen when it ends.

use super::components::{ActionProgress, AskValues, ConfirmRun, Output, Overlay};
use super::model::work::{ActionRun, CommandRun, WritePurpose};
use super::model::{BannerLevel, Effect, RequestId, Selected, State};
use super::update::{info, journal, journal_for};
use crate::engine::Event;
use crate::sanitize;

pub(super) fn run_selected(state: &mut State) -> Vec<Effect> {
    let (Selected::Command(i), Some(step)) = (state.selected(), state.session.current_step())
    else {
        info(
            state,
            BannerLevel::Info,
            "select a command with j/k, then r runs it",
        );
        return Vec::new();
    };
    if state.work.command_running() {
        info(
            state,
            BannerLevel::Warn,
            "a command is already running (o shows it)",
        );
        return Vec::new();
    }
    let command = step.commands[i].clone();
    if let Some(word) = crate::playbook::placeholder::placeholders(&command.run).first() {
        info(
            state,
            BannerLevel::Warn,
            format!("edit this command first: {word} is a placeholder (e edits it)"),
        );
        return Vec::new();
    }
    if state.read_only && !command.ask.is_empty() {
        // Whether read-only mode would refuse it does not depend on the
        // values: say so before asking for them.
        let mut values = state.session.params().clone();
        values.extend(command.ask.iter().map(|a| (a.name.clone(), a.name.clone())));
        if let Ok(planned) = crate::exec::plan(&command, &values, |_, _| Ok(()))
            && let Some(reason) = crate::exec::runner::read_only_refusal(&planned)
        {
            info(state, BannerLevel::Warn, format!("refused: {reason}"));
            return Vec::new();
        }
    }
    if !command.ask.is_empty() {
        // The values it needs first; it is planned once they are given.
        state
            .overlays
            .push(Overlay::AskValues(Box::new(AskValues::new(command))));
        return Vec::new();
    }
    plan_and_confirm(state, &command, &Default::default());
    Vec::new()
}

/// Plans a playbook command with the session's params and the values the
/// responder gave, and asks to confirm it (or says why not).
pub(crate) fn plan_and_confirm(
    state: &mut State,
    command: &crate::playbook::model::Command,
    given: &std::collections::BTreeMap<String, String>,
) {
    let playbook = state.session.playbook().clone();
    let check = |name: &str, value: &str| match (
        playbook.param(name),
        command.ask.iter().find(|a| a.name == name),
    ) {
        (_, Some(ask)) => crate::playbook::params::check_ask(ask, value).map_err(|e| e.to_string()),
        (Some(p), None) => {
            crate::playbook::params::check_param(p, value).map_err(|e| e.to_string())
        }
        (None, None) => Err("not a param of this playbook".to_string()),
    };
    let mut values = state.session.params().clone();
    values.extend(given.iter().map(|(k, v)| (k.clone(), v.clone())));
    match crate::exec::plan(command, &values, check) {
        Ok(planned) => confirm(state, planned, None),
        Err(e) => info(
            state,
            BannerLevel::Error,
            format!("cannot run this command: {e}"),
        ),
    }
}

/// Asks to confirm a planned command, unless read-only mode refuses it.
pub(crate) fn confirm(state: &mut State, planned: crate::exec::Planned, origin: Option<String>) {
    if state.read_only
        && let Some(reason) = crate::exec::runner::read_only_refusal(&planned)
    {
        info(state, BannerLevel::Warn, format!("refused: {reason}"));
        return;
    }
    state
        .overlays
        .push(Overlay::ConfirmRun(ConfirmRun::new(planned, origin)));
}

pub(crate) fn action_request(
    state: &State,
    index: usize,
) -> Result<crate::cluster::actions::ActionRequest, String> {
    use crate::cluster::actions::ActionRequest;
    let step = state.session.current_step().ok_or("no step")?;
    let action = step.actions.get(index).ok_or("no such action")?;
    let namespace = state
        .namespace
        .clone()
        .or_else(|| state.session.params().get("namespace").cloned())
        .unwrap_or_else(|| "default".into());
    ActionRequest::new(
        action.kind,
        &state.render(&action.target),
        &namespace,
        action.replicas,
    )
}

/// An action ended: journaled with its dry run, whatever is on screen.
pub(super) fn action_done(
    state: &mut State,
    id: RequestId,
    result: Result<String, String>,
) -> Vec<Effect> {
    let Some(run) = state.work.actions.get_mut(&id) else {
        tracing::warn!(id, "an action answered that is not in flight");
        return Vec::new();
    };
    if run.done.is_some() {
        // Already journaled as interrupted when the session quit.
        return Vec::new();
    }
    // Cluster text (the API server's messages) is untrusted.
    let result = result
        .map(|s| sanitize::block(&s))
        .map_err(|e| sanitize::block(&e));
    let outcome = match &result {
        Ok(summary) => summary.clone(),
        Err(e) => format!("failed: {e}"),
    };
    let event = action_event(run, outcome, false);
    run.done = Some(result);
    state.work.prune();
    journal(state, vec![event])
}

/// An action's record: with a drain's cordon time and pods (stopped by the
/// responder, or interrupted when runbook left while it ran).
pub(super) fn action_event(run: &ActionRun, outcome: String, interrupted: bool) -> Event {
    let drain = (run.request.kind == crate::cluster::actions::ActionKind::Drain)
        .then(|| Box::new(run.drain.record(run.stopping && !interrupted, interrupted)));
    Event::Action {
        step: run.step.clone(),
        kind: run.request.kind.as_str().to_string(),
        target: run.request.target.clone(),
        dry_run: sanitize::block(&run.dry_run),
        outcome,
        drain,
        context: run.cluster.context.clone(),
        server: run.cluster.server.clone(),
    }
}

/// Starts a confirmed action: its `action_started` is journaled first and
/// the action runs once that is durable (`execute_when_journaled`).
pub(crate) fn start_action(
    state: &mut State,
    request: crate::cluster::actions::ActionRequest,
    dry_run: String,
) -> Vec<Effect> {
    let step = state.session.current_id().unwrap_or_default().to_string();
    let started = Event::ActionStarted {
        step: step.clone(),
        kind: request.kind.as_str().to_string(),
        target: request.target.clone(),
        context: state.session.context().map(str::to_string),
    };
    let write = journal_for(state, vec![started], WritePurpose::Plain);
    let Some(Effect::Journal { id: write_id, .. }) = write.first() else {
        return write;
    };
    let write_id = *write_id;
    let id = state.work.next_id();
    state
        .work
        .writes
        .insert(write_id, WritePurpose::ThenExecute(id));
    state.work.actions.insert(
        id,
        ActionRun {
            request,
            cluster: state.cluster_ref(),
            step,
            dry_run,
            lines: Vec::new(),
            drain: Default::default(),
            stopping: false,
            done: None,
        },
    );
    state.work.last = Some(id);
    state
        .overlays
        .push(Overlay::ActionProgress(ActionProgress::new(id)));
    write
}

/// The action's `action_started` is durable (or could not be written: then
/// it does not run, and says why).
pub(super) fn execute_when_journaled(
    state: &mut State,
    id: RequestId,
    written: bool,
) -> Vec<Effect> {
    let Some(run) = state.work.actions.get_mut(&id) else {
        return Vec::new();
    };
    if run.done.is_some() {
        return Vec::new();
    }
    if !written || state.quit {
        run.done = Some(Err(if written {
            "not started: runbook is quitting".into()
        } else {
            "not started: its start could not be journaled".into()
        }));
        return Vec::new();
    }
    vec![Effect::ExecuteAction {
        id,
        request: run.request.clone(),
    }]
}

/// `outside`: the responder's reason for a command that reaches outside
/// the session's cluster (journaled with it).
pub(crate) fn start_command(
    state: &mut State,
    planned: crate::exec::Planned,
    origin: Option<String>,
    outside: Option<String>,
) -> Vec<Effect> {
    let id = state.work.next_id();
    state.work.commands.insert(
        id,
        CommandRun {
            argv: planned.argv.clone(),
            cluster: state.cluster_ref(),
            origin,
            outside,
            step: state.session.current_id().unwrap_or_default().to_string(),
            lines: Vec::new(),
            dropped: 0,
            finish: None,
        },
    );
    state.work.last = Some(id);
    state.overlays.push(Overlay::Output(Output::new(id)));
    vec![Effect::RunCommand { id, planned }]
}

pub(super) fn on_command(
    state: &mut State,
    id: RequestId,
    event: crate::exec::runner::RunEvent,
) -> Vec<Effect> {
    use crate::exec::runner::RunEvent;
    let Some(run) = state.work.commands.get_mut(&id) else {
        tracing::warn!(id, "output of a command that is not in flight");
        return Vec::new();
    };
    match event {
        RunEvent::Line(line) => {
            run.push_line(line);
            Vec::new()
        }
        RunEvent::Finished(done) => {
            if run.finish.is_some() {
                // Already journaled as interrupted when the session quit.
                return Vec::new();
            }
            let event = Event::Command {
                step: run.step.clone(),
                argv: run.argv.clone(),
                exit_code: done.exit_code,
                output_excerpt: done.journal_excerpt(),
                output_file: done.output_file.clone(),
                origin: run.origin.clone(),
                confined: done.confined,
                context: run.cluster.context.clone(),
                server: run.cluster.server.clone(),
                outside: run.outside.clone(),
            };
            if done.confined == Some(false) {
                state.unconfined = true;
            }
            run.finish = Some(done);
            state.work.prune();
            journal(state, vec![event])
        }
    }
}

/// A resumed session opens on each drain the interruption left half-done.
pub fn offer_unfinished(state: &mut State) {
    for drain in crate::engine::drain::unfinished(state.session.records()) {
        state
            .overlays
            .push(Overlay::Interrupted(super::components::Interrupted {
                drain,
            }));
    }
}
