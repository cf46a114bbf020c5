//! The real binary as a plain process: its own data and config folders,
//! nothing inherited that names an Alertmanager or extra playbooks.

#![allow(dead_code)] // each test crate uses a part

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_runbook"))
}

/// The binary with its own data and config folders and nothing inherited
/// that names an Alertmanager.
pub fn runbook(data: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .env("RUNBOOK_DATA_DIR", data)
        .env("RUNBOOK_CONFIG_DIR", data.join("config"))
        .env_remove("RUNBOOK_ALERTMANAGER_URL")
        .env_remove("RUNBOOK_PLAYBOOKS")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run runbook");
    if let Some(mut input) = child.stdin.take() {
        input
            .write_all(stdin.unwrap_or("").as_bytes())
            .expect("write stdin");
    }
    child.wait_with_output().expect("runbook output")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
