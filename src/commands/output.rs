//! Printing for the commands. A closed stdout (`runbook list | head -1`)
//! ends the command quietly instead of panicking, and a stderr that is gone
//! (an SSH session that dropped) is not worth dying for either.

use std::io::Write;

/// The text of `args` with every control byte but newlines and tabs gone:
/// everything the commands print passes here (playbook titles, validate's
/// echoed lines, alert labels, session ids from the command line...).
fn clean(args: std::fmt::Arguments) -> String {
    let text = std::fmt::format(args);
    match crate::sanitize::output(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(clean) => clean,
    }
}

/// Writes `args` to stdout; a closed pipe ends the process with `OK`.
pub fn out(args: std::fmt::Arguments) {
    let text = clean(args);
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    if let Err(e) = written {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            // The reader has all it wanted: not an error.
            std::process::exit(i32::from(super::OK));
        }
        tracing::warn!("cannot write to stdout: {e}");
    }
}

/// Writes `args` to stderr, ignoring a stderr that is gone.
pub fn err(args: std::fmt::Arguments) {
    let _ = std::io::stderr().lock().write_all(clean(args).as_bytes());
}

macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::commands::output::out(format_args!("{}\n", format_args!($($arg)*)))
    };
}

macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::commands::output::err(format_args!("{}\n", format_args!($($arg)*)))
    };
}

pub(crate) use errln;
pub(crate) use outln;
