use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = runbook::cli::Cli::parse();
    match runbook::commands::dispatch(cli) {
        Ok(code) => code,
        Err(err) => ExitCode::from(runbook::commands::failure::report(&err)),
    }
}
