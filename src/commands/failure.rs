//! The CLI's one rule for what went wrong, so every command says it alike:
//!
//! - a usage error exits 2: the command line names something that is not
//!   there (a playbook, scenario or session), a flag's value cannot work,
//!   a file given on the command line does not parse or is not usable, or
//!   something only a terminal could ask is missing without one;
//! - a run that failed, or problems found, exit 1.
//!
//! Either way stderr starts with `error: `, as clap's own usage errors do;
//! a problem at a place in a file is `path:line:col: error: message`.
//! Warnings start with `warning: `; notes have no prefix.

use std::fmt::Display;

use super::output::errln;
use super::{PROBLEMS, USAGE};

/// A usage error found below the command (e.g. an id no session answers
/// to), carried through `anyhow` so `main` exits 2 for it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Usage(pub String);

/// Says `error: message` and gives the usage exit code.
pub fn usage(message: impl Display) -> u8 {
    errln!("error: {message}");
    USAGE
}

/// Says `error: message` and gives the exit code of a failed run.
pub fn failed(message: impl Display) -> u8 {
    errln!("error: {message}");
    PROBLEMS
}

pub fn warn(message: impl Display) {
    errln!("warning: {message}");
}

/// What `main` says about an error that ended a command, and its exit code.
pub fn report(err: &anyhow::Error) -> u8 {
    errln!("error: {err:#}");
    if is_usage(err) { USAGE } else { PROBLEMS }
}

fn is_usage(err: &anyhow::Error) -> bool {
    use crate::journal::JournalError;
    err.chain().any(|e| {
        e.is::<Usage>()
            || e.is::<crate::app::launch::NeedsTerminal>()
            || matches!(
                e.downcast_ref::<JournalError>(),
                Some(JournalError::UnknownSession(_))
            )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_errors_are_found_anywhere_in_the_chain() {
        let unknown = anyhow::Error::new(crate::journal::JournalError::UnknownSession(
            "no session `x`".into(),
        ))
        .context("cannot resume");
        assert!(is_usage(&unknown));
        assert!(is_usage(&anyhow::Error::new(
            crate::app::launch::NeedsTerminal
        )));
        assert!(is_usage(&anyhow::Error::new(Usage("bad".into()))));
        let io = anyhow::Error::new(crate::journal::JournalError::Other("disk full".into()));
        assert!(!is_usage(&io));
    }
}
