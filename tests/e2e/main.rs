//! The real binary in a pseudo-terminal, read through a terminal emulator.

#[path = "../support/kube.rs"]
mod kube;
#[path = "../support/pty.rs"]
mod pty;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use pty::{Pty, keys};

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_runbook"))
}

fn env(data: &Path) -> Vec<(&'static str, String)> {
    vec![
        ("RUNBOOK_DATA_DIR", data.display().to_string()),
        (
            "RUNBOOK_CONFIG_DIR",
            data.join("config").display().to_string(),
        ),
    ]
}

fn spawn(data: &Path, args: &[&str], extra: &[(&str, &str)], cols: u16, rows: u16) -> Pty {
    let owned = env(data);
    let mut all: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
    all.extend_from_slice(extra);
    Pty::spawn(&bin(), args, &all, cols, rows)
}

const RUN: &[&str] = &[
    "run",
    "pod-crashloop",
    "--set",
    "namespace=shop",
    "--set",
    "deployment=checkout",
];

fn sessions_json(data: &Path) -> serde_json::Value {
    let out = Command::new(bin())
        .args(["sessions", "--json"])
        .env("RUNBOOK_DATA_DIR", data)
        .output()
        .expect("sessions");
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn walk_a_playbook_to_its_outcome_then_export() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = spawn(dir.path(), RUN, &[], 80, 24);
    t.wait_for("Confirm the symptom");
    t.type_keys(" j ");
    t.send(keys::ENTER);
    t.wait_for("Why did the container exit?");
    t.type_keys("1");
    t.wait_for("Raise the memory limit");
    t.type_keys(" j ");
    t.send(keys::ENTER);
    t.wait_for("Session ended: mitigated");
    t.type_keys("q");
    t.wait_for("Quit runbook?");
    t.type_keys("y");
    assert!(
        t.wait_exit(Duration::from_secs(10))
            .is_some_and(|s| s.success())
    );

    let sessions = sessions_json(dir.path());
    assert_eq!(sessions[0]["playbook"], "pod-crashloop");
    assert_eq!(sessions[0]["state"], "ended");
    assert_eq!(sessions[0]["outcome"], "mitigated");
    let id = sessions[0]["id"].as_str().expect("id");
    let out = Command::new(bin())
        .args(["export", id])
        .env("RUNBOOK_DATA_DIR", dir.path())
        .output()
        .expect("export");
    let md = String::from_utf8(out.stdout).expect("utf8");
    assert!(
        md.contains("Chose **OOMKilled (exit 137) - the container ran out of memory**"),
        "{md}"
    );
    assert!(
        md.contains("Confirmed: The new limit is committed to the manifest"),
        "{md}"
    );
    assert!(md.contains("**Ended: mitigated**"), "{md}");
}

#[test]
fn kill_9_mid_session_then_resume_lands_on_the_same_step_and_checklist() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = spawn(dir.path(), RUN, &[], 100, 30);
    t.wait_for("Confirm the symptom");
    t.type_keys(" j ");
    t.send(keys::ENTER);
    t.wait_for("Why did the container exit?");
    t.type_keys("2");
    t.wait_for("Read the crashing container's logs");
    t.type_keys(" ");
    t.wait_for("[✓] Read the previous container's last log lines");
    t.kill9();

    let sessions = sessions_json(dir.path());
    assert_eq!(sessions[0]["state"], "active");
    let mut r = spawn(dir.path(), &["resume"], &[], 100, 30);
    let screen = r.wait_for("Read the crashing container's logs");
    assert!(
        screen.contains("[✓] Read the previous container's last log lines"),
        "{screen}"
    );
    assert!(
        screen.contains("[ ] Checked whether the crash started"),
        "{screen}"
    );
    r.type_keys("q");
    r.wait_for("Quit runbook?");
    r.type_keys("y");
    assert!(r.wait_exit(Duration::from_secs(10)).is_some());
}

/// SGR parameter lists that set a color (not the 39/49 resets).
fn color_codes(raw: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(raw);
    let mut found = Vec::new();
    let mut rest = text.as_ref();
    while let Some(i) = rest.find("\x1b[") {
        rest = &rest[i + 2..];
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == ';' || c == ':'))
            .unwrap_or(rest.len());
        if rest[end..].starts_with('m') {
            let params = &rest[..end];
            let colored = params.split(';').any(|p| {
                matches!(
                    p.parse::<u32>(),
                    Ok(30..=37 | 38 | 40..=47 | 48 | 58 | 90..=97 | 100..=107)
                )
            });
            if colored {
                found.push(params.to_string());
            }
        }
    }
    found
}

#[test]
fn no_color_writes_no_color_sequences() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = spawn(dir.path(), RUN, &[("NO_COLOR", "1")], 120, 40);
    t.wait_for("Confirm the symptom");
    t.type_keys("?");
    t.wait_for("Keys");
    assert_eq!(color_codes(&t.raw()), Vec::<String>::new());

    let c = spawn(dir.path(), RUN, &[], 120, 40);
    c.wait_for("Confirm the symptom");
    assert!(
        !color_codes(&c.raw()).is_empty(),
        "with color allowed, colors are written"
    );
}

#[test]
fn a_dropped_ssh_session_ends_the_process_and_restores_the_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = spawn(dir.path(), RUN, &[], 80, 24);
    t.wait_for("Confirm the symptom");
    t.signal(nix::sys::signal::Signal::SIGHUP);
    assert!(
        t.wait_exit(Duration::from_secs(5)).is_some(),
        "still running after SIGHUP"
    );
    t.settle();
    let raw = String::from_utf8_lossy(&t.raw()).into_owned();
    assert!(raw.contains("\x1b[?1049l"), "the alternate screen was left");
    assert_eq!(
        sessions_json(dir.path())[0]["state"],
        "active",
        "the session stays resumable"
    );
}

#[test]
fn an_idle_screen_writes_almost_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let t = spawn(dir.path(), RUN, &[], 80, 24);
    t.wait_for("Confirm the symptom");
    // The checks' verdict (no cluster here) is the last thing to arrive.
    t.wait_for("cluster: unknown");
    t.settle();
    let before = t.raw_len();
    std::thread::sleep(Duration::from_secs(3));
    let written = t.raw_len() - before;
    // The clock ticks once a second; nothing else may be written.
    assert!(written < 600, "{written} bytes in 3 idle seconds");
}

#[test]
fn a_drill_from_paged_to_mitigated_with_the_cluster_confirming_each_step() {
    if !kube::need_kubectl("the drill's fix") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    // The fix runs `kubectl` by name: the built one comes first.
    let path = kube::path_var();
    let mut t = spawn(dir.path(), &["drill"], &[("PATH", &path)], 160, 48);
    // The briefing first: the page, the goal, the time to beat, the way in.
    let briefing = t.wait_for("export KUBECONFIG=");
    for text in [
        "Drill: Checkout API keeps restarting (checkout-oom)",
        "You were paged: KubePodCrashLooping",
        "Goal: this holds for 30s",
        "Target time: 10m.",
    ] {
        assert!(briefing.contains(text), "{text}: {briefing}");
    }
    t.send(keys::ENTER);
    t.wait_for("[live]");
    let screen = t.wait_for("✓ cluster:");
    assert!(screen.contains("checkout-6d8f9c7b5-x2k4q"), "{screen}");
    t.type_keys(" j ");
    t.send(keys::ENTER);
    let screen = t.wait_for("Why did the container exit?");
    // A drill keeps the cluster's suggestion to itself until asked (H).
    assert!(!screen.contains("cluster suggests"), "{screen}");
    t.type_keys("H");
    t.wait_for("cluster suggests");
    t.type_keys("1");
    t.wait_for("Raise the memory limit");
    // Run the fix for real: kubectl against the simulator, typed confirmation.
    // (It was `rollout restart` until issue #13: a restart "healed" an OOM.)
    t.type_keys("jjjr");
    // The new limit is the responder's to give (the playbook asks for it).
    t.wait_for("the new memory limit");
    t.type_keys("512Mi");
    t.send(keys::ENTER);
    t.wait_for("This command may change the cluster.");
    t.type_keys("checkout");
    t.send(keys::ENTER);
    t.wait_for("deployment.apps/checkout resource requirements updated");
    // Esc while kubectl still runs would cancel it; wait for its exit.
    t.wait_for("exit 0; journaled");
    t.type_keys("\x1b");
    // The cluster confirms the fix: the pods recover and the check flips.
    t.wait_for("ready again  ✓ cluster:");
    // A change from a second terminal, with the drill's own kubeconfig.
    let env = Command::new(bin())
        .args(["drill", "--env", "checkout-oom"])
        .env("RUNBOOK_DATA_DIR", dir.path())
        .output()
        .expect("drill --env");
    let line = String::from_utf8(env.stdout).expect("utf8");
    let path = line
        .trim()
        .strip_prefix("export KUBECONFIG=")
        .expect("an export line")
        .trim_matches('\'');
    let outside = Command::new(kube::kubectl())
        .args([
            "-n",
            "shop",
            "annotate",
            "deployment",
            "checkout",
            "paged=yes",
        ])
        .env("KUBECONFIG", path)
        .output()
        .expect("kubectl");
    assert!(outside.status.success(), "{outside:?}");
    t.type_keys("kkk j ");
    t.send(keys::ENTER);
    let end = t.wait_for("Session ended: mitigated");
    assert!(
        end.contains("Diagnosis: reached the right answer (oom) at T+"),
        "{end}"
    );
    assert!(end.contains("Hints used: 1"), "{end}");
    t.type_keys("qy");
    assert!(t.wait_exit(Duration::from_secs(10)).is_some());
    let sessions = sessions_json(dir.path());
    assert_eq!(sessions[0]["drill"], "checkout-oom");
    let id = sessions[0]["id"].as_str().expect("id");
    let out = Command::new(bin())
        .args(["export", id])
        .env("RUNBOOK_DATA_DIR", dir.path())
        .output()
        .expect("export");
    let md = String::from_utf8(out.stdout).expect("utf8");
    assert!(md.contains("## Drill report"), "{md}");
    assert!(
        md.contains("`PATCH deployments.apps/checkout in shop` by `kubectl -n shop set resources"),
        "the app's change is graded: {md}"
    );
    assert!(
        md.contains("`PATCH deployments.apps/checkout in shop` by `outside runbook`"),
        "the second terminal's change too: {md}"
    );
    assert!(
        md.contains(
            "Ran `kubectl -n shop set resources deployment/checkout '--limits=memory=512Mi'` (exit 0)"
        ),
        "{md}"
    );
    assert!(md.contains("Evidence: check `crashlooping` pass"), "{md}");
    assert!(
        md.contains("context `drill:checkout-oom`, namespace `shop`"),
        "the namespace the panes watched is on record: {md}"
    );
    assert!(
        md.contains("A checkout pod crashes or never starts"),
        "params filled in: {md}"
    );
    // Every change names its cluster: the context and the simulator's URL,
    // the same on the command, its write, and the trainee's outside write.
    let records = journal_records(dir.path(), id);
    let of = |kind: &str| -> Vec<(serde_json::Value, serde_json::Value)> {
        records
            .iter()
            .filter(|r| r["type"] == kind)
            .map(|r| (r["context"].clone(), r["server"].clone()))
            .collect()
    };
    let commands = of("command");
    let writes = of("api_write");
    assert!(!commands.is_empty() && !writes.is_empty(), "{records:?}");
    for (context, server) in commands.iter().chain(&writes) {
        assert_eq!(context, "drill:checkout-oom", "{records:?}");
        assert!(
            server
                .as_str()
                .is_some_and(|s| s.starts_with("http://127.0.0.1:") && !s.ends_with('/')),
            "{records:?}"
        );
    }
    assert!(
        commands.iter().chain(&writes).all(|c| *c == commands[0]),
        "one server: {records:?}"
    );
    assert!(
        md.contains("| `drill:checkout-oom` | `PATCH deployments.apps/checkout in shop` |"),
        "the changes table names the context: {md}"
    );
}

/// `runbook sim` in its own process, as a real cluster would be.
struct SimProcess {
    child: std::process::Child,
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn sim_process(dir: &Path) -> (SimProcess, PathBuf, PathBuf) {
    let kubeconfig = dir.join("sim.kubeconfig");
    let audit = dir.join("audit.log");
    let child = Command::new(bin())
        .args([
            "sim",
            "checkout-oom",
            "--listen",
            "127.0.0.1:0",
            "--kubeconfig",
        ])
        .arg(&kubeconfig)
        .arg("--audit-log")
        .arg(&audit)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("runbook sim");
    let start = std::time::Instant::now();
    while !kubeconfig.exists() {
        assert!(
            start.elapsed() < pty::DEADLINE,
            "runbook sim never wrote its kubeconfig"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (SimProcess { child }, kubeconfig, audit)
}

/// The session's journal, one parsed record a line.
fn journal_records(data: &Path, id: &str) -> Vec<serde_json::Value> {
    let path = data.join("sessions").join(id).join("journal.jsonl");
    std::fs::read_to_string(&path)
        .expect("journal")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a journal line is JSON"))
        .collect()
}

mod progress;
mod read_only;
mod resume;
