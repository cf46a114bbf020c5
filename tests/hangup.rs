//! The terminal going away, as an SSH drop does it: the pty's master side
//! closes (reads and writes on the terminal fail with EIO) and the kernel
//! sends SIGHUP. The process must save what was typed, leave within a
//! second, and neither abort nor print a panic; and a closed stdout pipe
//! ends a CLI command quietly.

use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use nix::fcntl::{FcntlArg, FdFlag, OFlag, fcntl};
use nix::pty::{Winsize, openpty};

const DEADLINE: Duration = Duration::from_secs(30);

/// Children are spawned one at a time in this file, so none inherits a fd
/// another test has just opened (see `spawn_on_pty`).
static SPAWNING: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_runbook")
}

/// The binary on a pty of its own; the test holds the only master fd.
fn spawn_on_pty(data: &Path, args: &[&str]) -> (Child, std::fs::File) {
    let size = Winsize {
        ws_row: 24,
        ws_col: 80,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // openpty's fds are inherited by every child forked while they are
    // open; the master must not live on in one, or closing it here would
    // not hang the terminal up. Spawns in this file take turns.
    let _turn = SPAWNING.lock().unwrap_or_else(|p| p.into_inner());
    let pty = openpty(Some(&size), None).expect("openpty");
    let slave: OwnedFd = pty.slave;
    let master = std::fs::File::from(pty.master);
    fcntl(&master, FcntlArg::F_SETFD(FdFlag::FD_CLOEXEC)).expect("cloexec");
    fcntl(&master, FcntlArg::F_SETFL(OFlag::O_NONBLOCK)).expect("non-blocking master");
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .env_clear()
        .env("TERM", "xterm-256color")
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", data)
        .env("RUNBOOK_DATA_DIR", data)
        .env("RUNBOOK_CONFIG_DIR", data.join("config"))
        .stdin(Stdio::from(slave.try_clone().expect("dup")))
        .stdout(Stdio::from(slave.try_clone().expect("dup")))
        .stderr(Stdio::from(slave));
    // SAFETY: only async-signal-safe calls between fork and exec: a new
    // session whose controlling terminal is the pty, as sshd sets it up.
    unsafe {
        cmd.pre_exec(|| {
            nix::unistd::setsid().map_err(std::io::Error::from)?;
            if nix::libc::ioctl(0, nix::libc::TIOCSCTTY as _, 0) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    (cmd.spawn().expect("spawn"), master)
}

/// Reads the master until `needle` is on the screen (or, for an escape
/// sequence, in the bytes written).
fn wait_for(master: &mut std::fs::File, seen: &mut vt100::Parser, needle: &str) {
    let start = Instant::now();
    let mut buf = [0u8; 8192];
    let mut raw = Vec::new();
    while start.elapsed() < DEADLINE {
        match master.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                seen.process(&buf[..n]);
                raw.extend_from_slice(&buf[..n]);
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(_) => break,
        }
        if seen.screen().contents().contains(needle)
            || String::from_utf8_lossy(&raw).contains(needle)
        {
            return;
        }
    }
    panic!("`{needle}` never showed:\n{}", seen.screen().contents());
}

fn screen() -> vt100::Parser {
    vt100::Parser::new(
        std::num::NonZero::new(24).expect("rows"),
        std::num::NonZero::new(80).expect("cols"),
        0,
    )
}

fn wait_exit(child: &mut Child, within: Duration) -> Option<std::process::ExitStatus> {
    let start = Instant::now();
    while start.elapsed() < within {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

fn sessions(data: &Path) -> serde_json::Value {
    let out = Command::new(bin())
        .args(["sessions", "--json"])
        .env("RUNBOOK_DATA_DIR", data)
        .output()
        .expect("sessions");
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn an_ssh_drop_saves_the_note_being_typed_and_leaves_cleanly_within_a_second() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut child, mut master) = spawn_on_pty(
        dir.path(),
        &[
            "run",
            "pod-crashloop",
            "--set",
            "namespace=shop",
            "--set",
            "deployment=checkout",
        ],
    );
    let mut seen = screen();
    wait_for(&mut master, &mut seen, "Confirm the symptom");
    master.write_all(b"n").expect("n");
    wait_for(&mut master, &mut seen, "ctrl-s saves");
    master.write_all(b"pods gone at 02:14").expect("type");
    wait_for(&mut master, &mut seen, "02:14");
    let dropped = Instant::now();
    drop(master);
    let status = wait_exit(&mut child, Duration::from_secs(10)).expect("the process ends");
    let took = dropped.elapsed();
    assert_eq!(
        status.signal(),
        None,
        "killed by a signal (abort?): {status:?}"
    );
    assert_eq!(status.code(), Some(0), "{status:?}");
    // The issue asks for 1 s; the margin is for a loaded CI machine.
    assert!(took < Duration::from_secs(3), "took {took:?}");

    let list = sessions(dir.path());
    assert_eq!(list[0]["state"], "active", "resumable");
    let id = list[0]["id"].as_str().expect("id");
    let journal =
        std::fs::read_to_string(dir.path().join("sessions").join(id).join("journal.jsonl"))
            .expect("journal");
    assert!(
        journal.contains("pods gone at 02:14"),
        "the note was saved: {journal}"
    );
    let log = dir.path().join("runbook.log");
    let text = std::fs::read_to_string(&log).expect("log");
    assert!(!text.contains("panic"), "{text}");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&log).expect("meta").permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "the log is private");
}

#[test]
fn sigterm_leaves_cleanly_and_the_session_stays_resumable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut child, mut master) = spawn_on_pty(
        dir.path(),
        &[
            "run",
            "pod-crashloop",
            "--set",
            "namespace=shop",
            "--set",
            "deployment=checkout",
        ],
    );
    let mut seen = screen();
    wait_for(&mut master, &mut seen, "Confirm the symptom");
    let pid = nix::unistd::Pid::from_raw(child.id() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).expect("term");
    let status = wait_exit(&mut child, Duration::from_secs(10)).expect("the process ends");
    assert_eq!(status.signal(), None, "{status:?}");
    assert_eq!(status.code(), Some(0), "{status:?}");
    wait_for(&mut master, &mut seen, "\x1b[?1049l");
    assert_eq!(sessions(dir.path())[0]["state"], "active");
}

/// `runbook CMD | head -c 1` with the reader already gone: a write to
/// stdout fails with EPIPE.
fn with_closed_stdout(data: &Path, args: &[&str]) -> std::process::Output {
    let turn = SPAWNING.lock().unwrap_or_else(|p| p.into_inner());
    let (read, write) = nix::unistd::pipe().expect("pipe");
    drop(read);
    let child = Command::new(bin())
        .args(args)
        .env("RUNBOOK_DATA_DIR", data)
        .env("RUNBOOK_CONFIG_DIR", data.join("config"))
        .env_remove("RUNBOOK_PLAYBOOKS")
        .stdout(Stdio::from(write))
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(turn);
    child.wait_with_output().expect("wait")
}

#[test]
fn a_closed_stdout_pipe_ends_every_printing_command_quietly() {
    let dir = tempfile::tempdir().expect("tempdir");
    for args in [
        &["list"][..],
        &["list", "--json"],
        &["schema"],
        &["validate", "playbooks"],
        &["sessions", "--json"],
    ] {
        let out = with_closed_stdout(dir.path(), args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
}
