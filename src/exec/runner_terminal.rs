//! A command that needs the terminal (`interactive::needs_terminal`) runs
//! on it while the app is suspended: the same way to the cluster, the same
//! confinement, no output kept.

use std::process::Stdio;

use super::{
    Access, Finish, KERNEL, Planned, Prepared, confine_command, failed, prepare, read_only_refusal,
};

/// Runs a command that needs the terminal (`interactive::needs_terminal`)
/// on it, with the caller's stdio, while the app is suspended: same
/// environment and the same way to the cluster as any command, no output
/// kept (it went to the terminal). It stays in runbook's process group,
/// the terminal's foreground one, so it can read the keyboard; a hang-up
/// reaches it as it reaches runbook.
pub async fn run_on_terminal(
    planned: &Planned,
    env: &[(String, String)],
    access: Access,
    read_only: bool,
) -> Finish {
    if read_only && let Some(reason) = read_only_refusal(planned) {
        return failed(reason);
    }
    let Prepared {
        mut command,
        held: _held,
        notice,
        port,
        ..
    } = prepare(&planned.argv, env.to_vec(), access);
    let mut notices: Vec<String> = notice.into_iter().collect();
    // A read-only session's commands are confined on the terminal too.
    let confined = confine_command(&mut command, port, read_only, &KERNEL, &mut notices);
    for notice in &notices {
        eprintln_to_terminal(notice);
    }
    command
        .stdin(Stdio::inherit())
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit());
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(err) => return failed(format!("cannot start `{}`: {err}", planned.argv[0])),
    };
    // A hang-up reaches runbook (the session leader), not always the
    // command: it is passed on, so the command ends with the terminal
    // instead of carrying on without one.
    let mut hangup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
    let status = tokio::select! {
        status = child.wait() => status,
        Some(()) = async {
            match hangup.as_mut() {
                Some(h) => h.recv().await,
                None => std::future::pending().await,
            }
        } => {
            if let Some(pid) = child.id().and_then(|p| i32::try_from(p).ok()) {
                let _ = nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(pid),
                    nix::sys::signal::Signal::SIGHUP,
                );
            }
            child.wait().await
        }
    };
    let status = match status {
        Ok(status) => status,
        Err(err) => {
            return failed(format!(
                "`{}` could not be waited for: {err}",
                planned.argv[0]
            ));
        }
    };
    let how = match (
        status.code(),
        std::os::unix::process::ExitStatusExt::signal(&status),
    ) {
        (Some(code), _) => format!("(ran on the terminal; exit {code})"),
        (None, Some(signal)) => format!("(ran on the terminal; ended by signal {signal})"),
        (None, None) => "(ran on the terminal)".to_string(),
    };
    Finish {
        exit_code: status.code(),
        timed_out: false,
        cancelled: false,
        error: None,
        excerpt: if notices.is_empty() {
            how
        } else {
            format!("{}\n{how}", notices.join("\n"))
        },
        lines: 0,
        output_file: None,
        confined,
    }
}

/// A line on the real terminal while the app is suspended (a write that
/// fails, on a terminal that is gone, is ignored).
fn eprintln_to_terminal(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}
