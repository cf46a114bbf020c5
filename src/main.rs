use std::process::ExitCode;

use clap::{CommandFactory, Parser};

/// clap's own answer (help, version, a usage error). A usage error quotes
/// the arguments as given, so one holding an escape sequence is printed
/// sanitized (without clap's colours); anything else as clap prints it.
fn usage_error(e: &clap::Error) -> ExitCode {
    let plain = e.render().to_string();
    if let std::borrow::Cow::Owned(clean) = runbook::sanitize::output(&plain) {
        let code = u8::try_from(e.exit_code()).unwrap_or(2);
        let print = if e.use_stderr() {
            runbook::commands::output::err
        } else {
            runbook::commands::output::out
        };
        print(format_args!("{clean}"));
        return ExitCode::from(code);
    }
    e.exit()
}

fn main() -> ExitCode {
    // A shell asking for completions (the script `runbook completions SHELL`
    // prints) is answered here, and the process ends.
    clap_complete::CompleteEnv::with_factory(runbook::cli::Cli::command)
        .var(runbook::commands::completions::VAR)
        .complete();
    let cli = match runbook::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    match runbook::commands::dispatch(cli) {
        Ok(code) => code,
        Err(err) => ExitCode::from(runbook::commands::failure::report(&err)),
    }
}
