//! Commands and actions from the step: planning and confirming a command,
//! streaming its output, and journaling what a command or action did.

use super::state::{BannerLevel, Effect, Overlay, Selected, State};
use super::update::{info, journal, single_line};
use crate::engine::Event;

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
    if state.command_running {
        info(state, BannerLevel::Warn, "a command is already running");
        return Vec::new();
    }
    let playbook = state.session.playbook().clone();
    let check = |name: &str, value: &str| match playbook.param(name) {
        Some(p) => crate::playbook::params::check_param(p, value),
        None => Err("not a param of this playbook".into()),
    };
    match crate::exec::plan(&step.commands[i], state.session.params(), check) {
        Ok(planned) => {
            if state.read_only
                && let Some(reason) = crate::exec::runner::read_only_refusal(&planned)
            {
                info(state, BannerLevel::Warn, format!("refused: {reason}"));
                return Vec::new();
            }
            state.overlays.push(Overlay::ConfirmRun {
                planned,
                typed: single_line(" type the name to confirm "),
            });
        }
        Err(e) => info(
            state,
            BannerLevel::Error,
            format!("cannot run this command: {e}"),
        ),
    }
    Vec::new()
}

pub(super) fn action_request(
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

pub(super) fn action_done(state: &mut State, result: Result<String, String>) -> Vec<Effect> {
    let step = state.session.current_id().unwrap_or_default().to_string();
    let Some(Overlay::ActionProgress {
        request,
        dry_run,
        done,
        ..
    }) = state.overlays.last_mut()
    else {
        return Vec::new();
    };
    let event = Event::Action {
        step,
        kind: request.kind.as_str().to_string(),
        target: request.target.clone(),
        dry_run: dry_run.clone(),
        outcome: match &result {
            Ok(summary) => summary.clone(),
            Err(e) => format!("failed: {e}"),
        },
    };
    *done = Some(result);
    journal(state, vec![event])
}

pub(super) fn start_command(state: &mut State, planned: crate::exec::Planned) -> Vec<Effect> {
    state.command_running = true;
    state.overlays.push(Overlay::Output {
        argv: planned.argv.clone(),
        lines: Vec::new(),
        finish: None,
        scroll: None,
    });
    vec![Effect::RunCommand(planned)]
}

/// Most output lines kept on screen for one command.
const OUTPUT_LINES: usize = 5_000;

pub(super) fn on_command(state: &mut State, event: crate::exec::runner::RunEvent) -> Vec<Effect> {
    use crate::exec::runner::RunEvent;
    let output = state.overlays.iter_mut().rev().find_map(|o| match o {
        Overlay::Output {
            argv,
            lines,
            finish,
            ..
        } => Some((argv, lines, finish)),
        _ => None,
    });
    match event {
        RunEvent::Line(line) => {
            if let Some((_, lines, _)) = output {
                if lines.len() == OUTPUT_LINES {
                    lines.remove(0);
                }
                lines.push(line);
            }
            Vec::new()
        }
        RunEvent::Finished(done) => {
            state.command_running = false;
            let argv = output
                .as_ref()
                .map(|(a, _, _)| (*a).clone())
                .unwrap_or_default();
            let excerpt = match &done.error {
                Some(e) => e.clone(),
                None if done.timed_out => format!("{}\n(timed out)", done.excerpt),
                None if done.cancelled => format!("{}\n(cancelled)", done.excerpt),
                None => done.excerpt.clone(),
            };
            if let Some((_, _, finish)) = output {
                *finish = Some(done.clone());
            }
            let step = state.session.current_id().unwrap_or_default().to_string();
            // Behind any gateway write still being journaled.
            super::api_writes::when_free(
                state,
                vec![Event::Command {
                    step,
                    argv,
                    exit_code: done.exit_code,
                    output_excerpt: excerpt,
                }],
            )
        }
    }
}
