//! One kubectl invocation against one cluster, and the invocation list.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A cluster kubectl is pointed at.
pub struct Target {
    pub kubeconfig: PathBuf,
}

/// What kubectl answered.
#[derive(Debug, Clone)]
pub struct Answer {
    pub accepted: bool,
    pub stdout: String,
    pub stderr: String,
    pub took: Duration,
}

/// Longest any invocation may take (the slowest in the list waits 5 s).
const LIMIT: Duration = Duration::from_secs(30);

pub fn kubectl(kubectl: &Path, target: &Target, cwd: &Path, args: &[String]) -> Answer {
    let mut child = Command::new(kubectl)
        .args(args)
        .current_dir(cwd)
        .env("KUBECONFIG", &target.kubeconfig)
        // kubectl diff runs this; the same on both sides.
        .env("KUBECTL_EXTERNAL_DIFF", "diff -u -N")
        .env_remove("KUBECTL_COMMAND_HEADERS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kubectl");
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for kubectl") {
            break Some(status);
        }
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stdout = String::from_utf8_lossy(&reader.join().unwrap_or_default()).into_owned();
    let mut stderr = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    if status.is_none() {
        stderr.push_str(&format!("\n(killed after {} s)", LIMIT.as_secs()));
    }
    Answer {
        accepted: status.is_some_and(|s| s.success()),
        stdout,
        stderr,
        took: started.elapsed(),
    }
}

/// The invocations of `file`: one per line, shell-quoted, `#` comments.
pub fn invocations(file: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(file).expect("read the invocation list");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| shlex::split(l).unwrap_or_else(|| panic!("cannot split {l:?}")))
        .collect()
}

/// Whether an invocation changes the cluster (both then settle before the next).
pub fn writes(args: &[String]) -> bool {
    let words: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    match words.first().copied() {
        Some(
            "create" | "apply" | "patch" | "replace" | "delete" | "scale" | "set" | "label"
            | "annotate" | "cordon" | "uncordon" | "drain" | "expose" | "autoscale" | "run"
            | "edit" | "taint",
        ) => !args
            .iter()
            .any(|a| a == "--dry-run=server" || a == "--dry-run=client"),
        Some("rollout") => matches!(
            words.get(1).copied(),
            Some("restart" | "undo" | "pause" | "resume")
        ),
        _ => false,
    }
}
