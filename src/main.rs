use std::process::ExitCode;

use clap::{CommandFactory, Parser};

fn main() -> ExitCode {
    // A shell asking for completions (the script `runbook completions SHELL`
    // prints) is answered here, and the process ends.
    clap_complete::CompleteEnv::with_factory(runbook::cli::Cli::command)
        .var(runbook::commands::completions::VAR)
        .complete();
    let cli = runbook::cli::Cli::parse();
    match runbook::commands::dispatch(cli) {
        Ok(code) => code,
        Err(err) => ExitCode::from(runbook::commands::failure::report(&err)),
    }
}
