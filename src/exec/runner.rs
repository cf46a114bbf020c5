//! Runs a planned command off the UI loop: output streamed line by line
//! (sanitized: it is untrusted text), cancellable, with a timeout. Read-only
//! mode is checked here, where the process is started, so no caller can
//! forget it. A command reaches a cluster only through the `Access` it is
//! given (the session's gateway): every ambient way to one is removed from
//! its environment, and where the policy asks (read-only, or the config's
//! `confineCommands`) the kernel holds its TCP connections to the
//! gateway's port (`confine`).

use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::Command;
use tokio::sync::{mpsc, oneshot};

use super::Planned;
use super::confine::{self, Outcome};
use crate::sanitize;

/// Lines of output kept for the journal's excerpt.
pub const EXCERPT_LINES: usize = 40;

#[derive(Debug, Clone, PartialEq)]
pub enum RunEvent {
    Line(String),
    Finished(Finish),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finish {
    pub exit_code: Option<i32>,
    pub timed_out: bool,
    pub cancelled: bool,
    /// Could not start (not found, refused by read-only mode).
    pub error: Option<String>,
    /// The last lines of output, for the journal.
    pub excerpt: String,
    /// Lines of output in all.
    pub lines: usize,
    /// Where the whole output is, relative to the session's folder.
    pub output_file: Option<String>,
    /// Whether the kernel confined it to the gateway's port: none when
    /// confinement was not asked for, `Some(false)` when the kernel could
    /// not (it ran anyway).
    pub confined: Option<bool>,
}

impl Finish {
    /// Never finished: the session stopped waiting for it.
    pub fn interrupted(why: &str) -> Finish {
        failed(why.to_string())
    }

    /// What the journal keeps of the output: the last lines, saying what was
    /// left out and where the rest is, and how the command ended.
    pub fn journal_excerpt(&self) -> String {
        if let Some(e) = &self.error {
            return e.clone();
        }
        // The excerpt is its lines joined by newlines: empty ones count too
        // (`lines()` would not count a trailing empty line, and said "1
        // earlier lines left out" when none was).
        let kept = if self.lines == 0 {
            0
        } else {
            self.excerpt.split('\n').count()
        };
        let mut text = String::new();
        if self.lines > kept {
            let left_out = self.lines - kept;
            match &self.output_file {
                Some(file) => text.push_str(&format!(
                    "({left_out} earlier lines left out; the whole output is in {file})\n"
                )),
                None => text.push_str(&format!("({left_out} earlier lines left out)\n")),
            }
        }
        text.push_str(&self.excerpt);
        if self.timed_out {
            text.push_str("\n(timed out)");
        } else if self.cancelled {
            text.push_str("\n(stopped)");
        }
        text
    }
}

/// Where a command's whole output is written: a new 0600 file.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: std::path::PathBuf,
    /// The name the journal gives it (relative to the session's folder).
    pub name: String,
}

pub struct Running {
    cancel: Option<oneshot::Sender<()>>,
}

impl Running {
    pub fn cancel(&mut self) {
        if let Some(tx) = self.cancel.take() {
            let _ = tx.send(());
        }
    }
}

/// How a command reaches a cluster.
pub enum Access {
    /// Through the session's gateway: the variables that point a client at
    /// the command's credential, and the credential, held until the command
    /// ends (dropping it revokes the token).
    Gateway {
        env: Vec<(String, String)>,
        held: Box<dyn Send>,
        /// Never shown: replaced in the command's output (a URL in an
        /// error, `kubectl config view`, `-v=6` logs can carry it).
        secret: String,
        /// The gateway's port on loopback: the one TCP port a confined
        /// command may connect to.
        port: u16,
    },
    /// Not at all, and why (shown as the command's first output line).
    /// `KUBECONFIG` then names files no client can read, so kubectl stops
    /// with an error instead of falling back to `~/.kube/config` or to
    /// `localhost:8080` (what it does with an empty or missing file).
    Sealed(String),
}

/// What a command's output shows in place of its gateway token.
pub const REDACTED: &str = "[runbook-token]";

/// A non-directory in the path (a readable reason in kubectl's error), then
/// a directory: reading either fails on every Unix.
pub const SEALED_KUBECONFIG: &str = "/dev/null/runbook-no-cluster-gateway:/";

/// Variables that would point a client somewhere other than the gateway
/// (the ambient kubeconfig, in-cluster discovery, helm's overrides): the
/// same list that makes a command line "outside the session's cluster".
fn points_elsewhere(name: &str) -> bool {
    crate::argv::names_a_cluster(name)
}

/// Why a command may not run in read-only mode, if it may not.
pub fn read_only_refusal(planned: &Planned) -> Option<String> {
    if let Some(flag) = &planned.outside {
        Some(format!(
            "read-only mode: `{flag}` names another cluster or credentials than the session's"
        ))
    } else if planned.read_only_safe {
        None
    } else if let Some(why) = &planned.why {
        Some(format!(
            "read-only mode: `{}` cannot be vouched for: {why}",
            planned.display()
        ))
    } else if planned.mutating {
        Some(format!(
            "read-only mode: `{}` may change the cluster",
            planned.display()
        ))
    } else {
        Some(format!(
            "read-only mode: `{}` is not known to be read-only",
            planned.argv.join(" ")
        ))
    }
}

/// What a command may do beyond its argv.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Policy {
    /// Refuse a command not known to be read-only.
    pub read_only: bool,
    /// Confine the process to TCP connections to the gateway's port
    /// (`exec::confine`), where the kernel can.
    pub confine: bool,
}

/// A read-only session's commands are always confined.
impl From<bool> for Policy {
    fn from(read_only: bool) -> Policy {
        Policy {
            read_only,
            confine: read_only,
        }
    }
}

/// How commands are confined, and whether the responder has been told
/// that they cannot be.
pub(crate) struct Confinement {
    pub confine: fn(&mut Command, Option<u16>) -> Outcome,
    /// Set once the "unconfined" notice was shown: once per process.
    pub told: &'static AtomicBool,
}

static TOLD_UNCONFINED: AtomicBool = AtomicBool::new(false);

const KERNEL: Confinement = Confinement {
    confine: confine::confine,
    told: &TOLD_UNCONFINED,
};

/// Starts the command; events arrive on `events`, ending with `Finished`.
pub fn start(
    planned: &Planned,
    env: &[(String, String)],
    access: Access,
    policy: impl Into<Policy>,
    timeout: Duration,
    output: Option<OutputFile>,
    events: mpsc::Sender<RunEvent>,
) -> Running {
    let run = Run {
        env: env.to_vec(),
        access,
        policy: policy.into(),
        timeout,
        output,
    };
    start_with(planned, run, &KERNEL, events)
}

/// A command's start, but its argv.
pub(crate) struct Run {
    pub env: Vec<(String, String)>,
    pub access: Access,
    pub policy: Policy,
    pub timeout: Duration,
    pub output: Option<OutputFile>,
}

pub(crate) fn start_with(
    planned: &Planned,
    spec: Run,
    confinement: &'static Confinement,
    events: mpsc::Sender<RunEvent>,
) -> Running {
    let (cancel_tx, cancel_rx) = oneshot::channel();
    let refusal = if spec.policy.read_only {
        read_only_refusal(planned)
    } else {
        None
    };
    let argv = planned.argv.clone();
    let redact = planned.redact;
    tokio::spawn(async move {
        let finish = match refusal {
            Some(reason) => failed(reason),
            None => run(argv, redact, spec, confinement, cancel_rx, &events).await,
        };
        let _ = events.send(RunEvent::Finished(finish)).await;
    });
    Running {
        cancel: Some(cancel_tx),
    }
}

/// A command set up to reach a cluster only through its `Access`.
struct Prepared {
    command: Command,
    /// The credential, held until the process is gone.
    held: Option<Box<dyn Send>>,
    /// The token, replaced in the output.
    secret: Option<String>,
    /// Said first when it cannot reach a cluster.
    notice: Option<String>,
    /// The gateway's port: the one a confined command may connect to.
    port: Option<u16>,
}

fn prepare(argv: &[String], env: Vec<(String, String)>, access: Access) -> Prepared {
    let mut command = Command::new(&argv[0]);
    command.args(&argv[1..]);
    for (name, _) in std::env::vars_os() {
        if name.to_str().is_some_and(points_elsewhere) {
            command.env_remove(name);
        }
    }
    command.envs(env.into_iter().filter(|(name, _)| !points_elsewhere(name)));
    let (held, secret, notice, port) = match access {
        Access::Gateway {
            env,
            held,
            secret,
            port,
        } => {
            command.envs(env);
            (
                Some(held),
                Some(secret).filter(|s| !s.is_empty()),
                None,
                Some(port),
            )
        }
        Access::Sealed(why) => {
            command.env("KUBECONFIG", SEALED_KUBECONFIG);
            (
                None,
                None,
                Some(format!(
                    "runbook: {why}; this command cannot reach a cluster"
                )),
                None,
            )
        }
    };
    Prepared {
        command,
        held,
        secret,
        notice,
        port,
    }
}

/// Confines `command` to the gateway's port when asked to: whether it was
/// (none when not asked). Where the kernel cannot, it says so once, in
/// `notices`, and the command runs unconfined.
fn confine_command(
    command: &mut Command,
    port: Option<u16>,
    asked: bool,
    confinement: &Confinement,
    notices: &mut Vec<String>,
) -> Option<bool> {
    asked.then(|| match (confinement.confine)(command, port) {
        Outcome::Confined => true,
        Outcome::Unconfined(why) => {
            if !confinement.told.swap(true, Ordering::Relaxed) {
                notices.push(format!(
                    "runbook: unconfined: {why}; commands can open TCP connections anywhere \
                     (the session's gateway still refuses changes in read-only mode)"
                ));
            }
            tracing::warn!("running unconfined: {why}");
            false
        }
    })
}

fn failed(reason: String) -> Finish {
    Finish {
        exit_code: None,
        timed_out: false,
        cancelled: false,
        error: Some(reason),
        excerpt: String::new(),
        lines: 0,
        output_file: None,
        confined: None,
    }
}

/// Opens the output file; a command whose output cannot be kept still runs
/// (its excerpt is journaled), and the log says why.
fn open_output(output: Option<OutputFile>) -> Option<(std::fs::File, String)> {
    use std::os::unix::fs::OpenOptionsExt;
    let output = output?;
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&output.path)
    {
        Ok(file) => Some((file, output.name)),
        Err(e) => {
            tracing::warn!("cannot keep the output in {}: {e}", output.path.display());
            None
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn run(
    argv: Vec<String>,
    redact: crate::argv::redact::Redact,
    run: Run,
    confinement: &Confinement,
    cancel: oneshot::Receiver<()>,
    events: &mpsc::Sender<RunEvent>,
) -> Finish {
    use std::io::Write;
    let Run {
        env,
        access,
        policy,
        timeout,
        output,
    } = run;
    let Prepared {
        mut command,
        held: _held,
        secret,
        notice,
        port,
    } = prepare(&argv, env, access);
    let mut notices: Vec<String> = notice.into_iter().collect();
    let confined = confine_command(
        &mut command,
        port,
        policy.confine,
        confinement,
        &mut notices,
    );
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group, so stopping it stops what it started too
        // (a shell's children, kubectl's editor): no orphans.
        .process_group(0)
        .kill_on_drop(true);
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(err) => {
            return Finish {
                confined,
                ..failed(format!("cannot start `{}`: {err}", argv[0]))
            };
        }
    };
    let (line_tx, mut line_rx) = mpsc::channel::<String>(256);
    if let Some(out) = child.stdout.take() {
        tokio::spawn(forward_lines(out, line_tx.clone()));
    }
    if let Some(err) = child.stderr.take() {
        tokio::spawn(forward_lines(err, line_tx.clone()));
    }
    drop(line_tx);

    let mut file = open_output(output);
    let mut count = 0usize;
    let mut tail: std::collections::VecDeque<String> = Default::default();
    // Shown and journaled as the command's first lines.
    for notice in notices {
        count += 1;
        if let Some((f, _)) = &mut file {
            let _ = writeln!(f, "{notice}");
        }
        tail.push_back(notice.clone());
        let _ = events.send(RunEvent::Line(notice)).await;
    }
    let deadline = tokio::time::sleep(timeout);
    tokio::pin!(deadline);
    tokio::pin!(cancel);
    let mut lines_open = true;
    let mut cancel_open = true;
    let (mut timed_out, mut cancelled) = (false, false);
    let status = loop {
        tokio::select! {
            line = line_rx.recv(), if lines_open => match line {
                Some(line) => {
                    let line = match &secret {
                        Some(secret) => line.replace(secret.as_str(), REDACTED),
                        None => line,
                    };
                    // Credentials never reach the screen, journal or file.
                    let line = redact.line(line);
                    count += 1;
                    if let Some((f, name)) = &mut file
                        && let Err(e) = writeln!(f, "{line}")
                    {
                        tracing::warn!("cannot write the output to {name}: {e}");
                        file = None;
                    }
                    if tail.len() == EXCERPT_LINES {
                        tail.pop_front();
                    }
                    tail.push_back(line.clone());
                    let _ = events.send(RunEvent::Line(line)).await;
                }
                None => lines_open = false,
            },
            status = child.wait(), if !lines_open => break status.ok(),
            _ = &mut deadline => {
                timed_out = true;
                stop_group(&mut child).await;
                break None;
            }
            // A dropped `Running` is not a cancel: only an explicit one is.
            asked = &mut cancel, if cancel_open => {
                if asked.is_ok() {
                    cancelled = true;
                    stop_group(&mut child).await;
                    break None;
                }
                cancel_open = false;
            }
        }
    };
    let output_file = file.and_then(|(f, name)| match f.sync_all() {
        Ok(()) => Some(name),
        Err(e) => {
            tracing::warn!("cannot make {name} durable: {e}");
            None
        }
    });
    Finish {
        exit_code: status.and_then(|s| s.code()),
        timed_out,
        cancelled,
        error: None,
        excerpt: tail.into_iter().collect::<Vec<_>>().join("\n"),
        lines: count,
        output_file,
        confined,
    }
}

/// How long a stopped command's process group has to leave after SIGTERM
/// before SIGKILL.
pub const STOP_GRACE: Duration = Duration::from_secs(2);

/// Stops a command started in its own process group: SIGTERM to the group,
/// then, once the leader left or the grace passed, SIGKILL to whatever of
/// the group is left (a child that ignored SIGTERM), then the leader reaped.
async fn stop_group(child: &mut tokio::process::Child) {
    use nix::sys::signal::{Signal, killpg};
    use nix::unistd::Pid;
    let Some(pid) = child.id().and_then(|p| i32::try_from(p).ok()) else {
        // Already reaped: nothing of it is left to stop.
        return;
    };
    let group = Pid::from_raw(pid);
    if let Err(e) = killpg(group, Signal::SIGTERM) {
        tracing::debug!(pid, "SIGTERM to the command's group: {e}");
    }
    let left = tokio::time::timeout(STOP_GRACE, child.wait()).await.is_ok();
    // The leader is reaped now (or still running): while any member of
    // the group is left, its id cannot be reused, so this reaches only it.
    if let Err(e) = killpg(group, Signal::SIGKILL) {
        tracing::debug!(pid, left, "SIGKILL to the command's group: {e}");
    }
    if !left {
        let _ = child.kill().await;
    }
}

async fn forward_lines(stream: impl AsyncRead + Unpin, tx: mpsc::Sender<String>) {
    let mut lines = BufReader::new(stream).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if tx.send(sanitize::line(&line)).await.is_err() {
            break;
        }
    }
}

#[path = "runner_terminal.rs"]
mod on_terminal;
pub use on_terminal::run_on_terminal;

#[cfg(test)]
#[path = "runner_tests.rs"]
mod tests;
