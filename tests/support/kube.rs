//! The kubectl and the real control plane the tests use, both built from
//! source by `tests/controlplane/build` (k8s.io/kubernetes v1.37.2 with its
//! staging modules at v0.37.2), never whatever kubectl the machine has.
//!
//! A test that needs them fails loudly when they cannot be built or started;
//! `RUNBOOK_SKIP_CONTROLPLANE=1` is the one explicit way to skip them.

#![allow(dead_code)] // each test crate uses a part

use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Mutex, OnceLock};

const SKIP: &str = "RUNBOOK_SKIP_CONTROLPLANE";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether the caller said to skip what needs kubectl or the control plane.
pub fn skipped(what: &str) -> bool {
    let skip = std::env::var(SKIP).is_ok_and(|v| v == "1");
    if skip {
        eprintln!("skipped: {SKIP}=1 ({what})");
    }
    skip
}

/// The folder holding kubectl, etcd, kube-apiserver, kube-controller-manager,
/// kube-scheduler and up, built once per machine (cached under target/).
pub fn bin_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = find_bin_dir();
        // A wrong RUNBOOK_CONTROLPLANE_BIN must not fall back to a kubectl
        // found elsewhere: say so here, before anything runs it.
        assert!(
            dir.join("kubectl").is_file(),
            "no kubectl in {} (RUNBOOK_CONTROLPLANE_BIN, or the output of \
             tests/controlplane/build, names the folder holding it; {SKIP}=1 skips \
             the tests that need it)",
            dir.display()
        );
        dir
    })
}

fn find_bin_dir() -> PathBuf {
    // Set by CI after it built them, and by worktrees sharing one cache.
    if let Some(dir) = std::env::var_os("RUNBOOK_CONTROLPLANE_BIN") {
        return PathBuf::from(dir);
    }
    let script = root().join("tests/controlplane/build");
    let out = Command::new(&script)
        .stderr(Stdio::inherit())
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {}: {e} (it builds kubectl and the control plane from source \
                     with Go; {SKIP}=1 skips the tests that need them)",
                script.display()
            )
        });
    assert!(
        out.status.success(),
        "{} failed ({}): kubectl 1.37 and the control plane could not be built \
             ({SKIP}=1 skips the tests that need them)",
        script.display(),
        out.status
    );
    let dir = String::from_utf8_lossy(&out.stdout).trim().to_string();
    PathBuf::from(dir)
}

/// kubectl v1.37.2, built from k8s.io/kubectl.
pub fn kubectl() -> PathBuf {
    bin_dir().join("kubectl")
}

/// PATH with the built kubectl first, for children that run `kubectl` by name.
pub fn path_env() -> OsString {
    let mut dirs = vec![bin_dir().to_path_buf()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).expect("PATH joins")
}

/// `path_env` as a string, for environments given as `(&str, &str)` pairs.
pub fn path_var() -> String {
    path_env()
        .into_string()
        .expect("PATH is UTF-8 (the built kubectl's folder and the test's PATH)")
}

/// Whether a test that runs kubectl goes on: true with the built kubectl
/// there (it is built now if it was not), false only when
/// `RUNBOOK_SKIP_CONTROLPLANE=1` said to skip (printing `skipped: ...`).
pub fn need_kubectl(what: &str) -> bool {
    if skipped(&format!("{what} needs kubectl 1.37")) {
        return false;
    }
    bin_dir();
    true
}

/// A running control plane: etcd, kube-apiserver, kube-controller-manager
/// and kube-scheduler on loopback, started by `tests/controlplane/up`. It
/// stops when the test process ends (its stdin is the lifeline).
pub struct ControlPlane {
    pub dir: PathBuf,
    _child: Mutex<Child>,
    _lifeline: Mutex<ChildStdin>,
    /// up's stdout after "ready": it says "restarted DIR" after a restart.
    said: Mutex<BufReader<ChildStdout>>,
    pid: u32,
}

impl ControlPlane {
    /// Kubeconfig of `admin` (system:masters).
    pub fn admin(&self) -> PathBuf {
        self.dir.join("admin.kubeconfig")
    }

    /// Kubeconfig of `shop-viewer`, who may only read namespace `shop`.
    pub fn viewer(&self) -> PathBuf {
        self.dir.join("viewer.kubeconfig")
    }

    /// The API server's audit log (every request at Metadata level).
    pub fn audit_log(&self) -> PathBuf {
        self.dir.join("audit.log")
    }

    /// kubectl as admin on this control plane.
    pub fn kubectl(&self, args: &[&str]) -> std::process::Output {
        Command::new(kubectl())
            .arg("--kubeconfig")
            .arg(self.admin())
            .args(args)
            .output()
            .expect("run kubectl")
    }

    /// kubectl as admin; panics with its stderr unless it succeeds.
    pub fn kubectl_ok(&self, args: &[&str]) -> String {
        let out = self.kubectl(args);
        assert!(
            out.status.success(),
            "kubectl {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `kubectl apply -f -` of a YAML document, as admin.
    pub fn apply(&self, yaml: &str) {
        use std::io::Write;
        let mut child = Command::new(kubectl())
            .arg("--kubeconfig")
            .arg(self.admin())
            .args(["apply", "-f", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run kubectl apply");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(yaml.as_bytes())
            .expect("write yaml");
        let out = child.wait_with_output().expect("kubectl apply");
        assert!(
            out.status.success(),
            "kubectl apply: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl ControlPlane {
    /// Restarts kube-apiserver with the same flags (etcd keeps the data;
    /// `up` does it on SIGUSR1) and returns once the new one is ready.
    /// Clients see their connections cut and the server refuse them for a
    /// few seconds. Only for a control plane of the test's own
    /// (`own_control_plane`): the shared one serves tests in parallel.
    pub fn restart_apiserver(&self) {
        let mut said = self.said.lock().unwrap_or_else(|e| e.into_inner());
        let sent = Command::new("kill")
            .args(["-USR1", &self.pid.to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "could not signal up ({})", self.pid);
        let mut line = String::new();
        said.read_line(&mut line).expect("read up's output");
        assert!(
            line.starts_with("restarted "),
            "kube-apiserver did not come back (up said {line:?}; its logs are in {}/logs)",
            self.dir.display()
        );
    }
}

/// A control plane of the caller's own, for tests that disrupt it (an API
/// server restart); it stops when dropped. None only when
/// `RUNBOOK_SKIP_CONTROLPLANE=1`.
pub fn own_control_plane(name: &str) -> Option<ControlPlane> {
    if skipped("needs the real control plane") {
        return None;
    }
    Some(start_in(std::env::temp_dir().join(format!(
        "runbook-controlplane-{}-{name}",
        std::process::id()
    ))))
}

/// The control plane this test process shares, started on first use.
/// None only when `RUNBOOK_SKIP_CONTROLPLANE=1`.
pub fn control_plane() -> Option<&'static ControlPlane> {
    if skipped("needs the real control plane") {
        return None;
    }
    static CP: OnceLock<ControlPlane> = OnceLock::new();
    Some(CP.get_or_init(start))
}

fn start() -> ControlPlane {
    start_in(std::env::temp_dir().join(format!("runbook-controlplane-{}", std::process::id())))
}

/// Removes the folders of control planes whose test process has ended
/// (each holds an etcd of tens of MB; a shared one is never dropped, so
/// the next run sweeps them).
fn sweep_stale() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(rest) = name.strip_prefix("runbook-controlplane-") else {
            continue;
        };
        let pid = rest.split('-').next().unwrap_or_default();
        if pid.parse::<u32>().is_ok() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn start_in(dir: PathBuf) -> ControlPlane {
    sweep_stale();
    let bin = bin_dir();
    let mut child = Command::new(bin.join("up"))
        .arg("--bin")
        .arg(bin)
        .arg("--until-stdin-closes")
        .arg(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start tests/controlplane/up");
    let lifeline = child.stdin.take().expect("up's stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("up's stdout"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("read up's output");
    assert!(
        line.starts_with("ready "),
        "the control plane did not start (up said {line:?}; its logs are in {}/logs)",
        dir.display()
    );
    ControlPlane {
        dir,
        pid: child.id(),
        _child: Mutex::new(child),
        _lifeline: Mutex::new(lifeline),
        said: Mutex::new(stdout),
    }
}
