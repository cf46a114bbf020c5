//! One file per subcommand; each returns the process exit code.

use std::process::ExitCode;

use output::errln;

use crate::cli::{Cli, Command};

pub mod abandon;
pub mod alerts;
pub mod completions;
pub mod drill;
pub mod drill_history;
pub mod export;
pub mod failure;
pub mod home;
pub mod list;
pub mod output;
pub mod resume;
pub mod run;
pub mod run_alert;
pub mod schema;
pub mod sessions;
pub mod sim;
pub mod test;
pub mod validate;

/// Exit codes of the CLI contract.
pub const OK: u8 = 0;
pub const PROBLEMS: u8 = 1;
pub const USAGE: u8 = 2;

pub fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    let ui = cli.ui;
    let alertmanager = cli.alertmanager;
    let code = match cli.command {
        None => home::run(alertmanager, ui)?,
        Some(Command::Run {
            playbook,
            set,
            alert,
            cluster,
        }) => run::run(playbook, set, alert, alertmanager, cluster, ui)?,
        Some(Command::Alerts { json }) => alerts::run(json, alertmanager)?,
        Some(Command::Drill {
            scenario,
            list: true,
            ..
        }) => drill::list(scenario)?,
        Some(Command::Drill {
            scenario,
            history: true,
            json,
            ..
        }) => drill_history::history(scenario, json)?,
        Some(Command::Drill {
            scenario: Some(scenario),
            env: true,
            pid,
            ..
        }) => drill::env(&scenario, pid)?,
        Some(Command::Drill { scenario, .. }) => drill::run(scenario, ui)?,
        Some(Command::Resume { session, cluster }) => resume::run(session, cluster, ui)?,
        Some(Command::Sessions { json }) => sessions::run(json)?,
        Some(Command::Export {
            session,
            format,
            output,
            full,
        }) => export::run(session, format, output, full)?,
        Some(Command::Abandon { session, reason }) => abandon::run(session, reason)?,
        Some(Command::Validate { paths }) => validate::run(paths)?,
        Some(Command::List { json }) => list::run(json)?,
        Some(Command::Schema) => schema::run()?,
        Some(Command::Test {
            playbook,
            scenario,
            path,
            fix,
            within,
        }) => test::run(test::TestArgs {
            playbook,
            scenario,
            path,
            fixes: fix,
            within,
        })?,
        Some(Command::Sim {
            scenario,
            listen,
            kubeconfig,
            audit_log,
        }) => sim::run(scenario, listen, kubeconfig, audit_log)?,
        Some(Command::Completions { shell }) => completions::run(shell)?,
    };
    Ok(ExitCode::from(code))
}

/// Tells the responder, on the restored terminal, where the session is and
/// how to go on with it.
pub fn report_end(ended: crate::app::launch::Ended) -> u8 {
    let id = &ended.id;
    match ended.outcome {
        Some(outcome) => errln!(
            "session {id} ended: {}. Export it: runbook export {id}",
            outcome.as_str()
        ),
        None => errln!("session {id} saved. Continue: runbook resume {id}"),
    }
    if let Some(report) = ended.drill_report {
        errln!("\nDrill report\n{}", report.replace('`', ""));
    }
    OK
}
