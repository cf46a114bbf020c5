use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = runbook::cli::Cli::parse();
    match runbook::commands::dispatch(cli) {
        Ok(code) => code,
        Err(err) => {
            // stderr may be gone (a dropped SSH session): never panic here.
            let _ = writeln!(std::io::stderr(), "runbook: error: {err:#}");
            ExitCode::from(runbook::commands::PROBLEMS)
        }
    }
}
