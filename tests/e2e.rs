//! The real binary in a pseudo-terminal, read through a terminal emulator.

#[path = "support/pty.rs"]
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

fn have_kubectl() -> bool {
    Command::new("kubectl")
        .arg("version")
        .arg("--client")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn a_drill_from_paged_to_mitigated_with_the_cluster_confirming_each_step() {
    if !have_kubectl() {
        eprintln!("skipped: kubectl is not installed (CI installs kubernetes-client)");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = spawn(dir.path(), &["drill"], &[], 160, 48);
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
    let outside = Command::new("kubectl")
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
        md.contains("A pod of checkout shows"),
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

#[test]
fn read_only_sends_no_mutating_request_as_the_audit_log_proves() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_sim, kubeconfig, audit) = sim_process(dir.path());
    let kc = kubeconfig.display().to_string();
    let mut args = RUN.to_vec();
    args.extend(["--kubeconfig", &kc, "--read-only"]);
    let mut t = spawn(dir.path(), &args, &[], 160, 48);
    t.wait_for("[live]");
    t.wait_for("READ-ONLY");
    t.type_keys(" j ");
    t.send(keys::ENTER);
    t.wait_for("cluster suggests");
    t.type_keys("1");
    t.wait_for("Raise the memory limit");
    t.type_keys("a");
    t.wait_for("refused: read-only mode makes no changes to the cluster");
    t.type_keys("jjjr");
    t.wait_for("refused: read-only mode");
    t.type_keys("qy");
    assert!(t.wait_exit(Duration::from_secs(10)).is_some());

    let log = std::fs::read_to_string(&audit).expect("audit log");
    let verbs: Vec<&str> = log
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    assert!(
        verbs.contains(&"list"),
        "the session did read the cluster:\n{log}"
    );
    assert!(verbs.contains(&"watch"), "{log}");
    let mutating: Vec<&str> = log
        .lines()
        .filter(|l| !matches!(l.split_whitespace().nth(1), Some("get" | "list" | "watch")))
        .collect();
    assert!(
        mutating.is_empty(),
        "mutating requests left a read-only session:\n{}",
        mutating.join("\n")
    );
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

/// Issue 19: read-only was lost on resume. Started with `--read-only`,
/// quit, resumed without the flag: the footer still says READ-ONLY, a
/// changing command is refused, the start record holds it, and the
/// simulator's audit log shows no mutating request.
#[test]
fn read_only_survives_quit_and_resume() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_sim, kubeconfig, audit) = sim_process(dir.path());
    let kc = kubeconfig.display().to_string();
    let mut args = RUN.to_vec();
    args.extend(["--kubeconfig", &kc, "--read-only"]);
    let mut t = spawn(dir.path(), &args, &[], 160, 48);
    t.wait_for("[live]");
    t.wait_for("READ-ONLY");
    t.type_keys(" j ");
    t.send(keys::ENTER);
    t.wait_for("cluster suggests");
    t.type_keys("1");
    t.wait_for("Raise the memory limit");
    t.type_keys("qy");
    assert!(t.wait_exit(Duration::from_secs(10)).is_some());

    let sessions = sessions_json(dir.path());
    let id = sessions[0]["id"].as_str().expect("id").to_string();
    let records = journal_records(dir.path(), &id);
    assert_eq!(records[0]["type"], "started");
    assert_eq!(records[0]["read_only"], true, "{:?}", records[0]);

    let mut r = spawn(dir.path(), &["resume", "--kubeconfig", &kc], &[], 160, 48);
    r.wait_for("Raise the memory limit");
    let screen = r.wait_for("[live]");
    assert!(screen.contains("READ-ONLY"), "{screen}");
    r.type_keys("jjjr");
    r.wait_for("refused: read-only mode");
    r.type_keys("qy");
    assert!(r.wait_exit(Duration::from_secs(10)).is_some());

    let log = std::fs::read_to_string(&audit).expect("audit log");
    let mutating: Vec<&str> = log
        .lines()
        .filter(|l| !matches!(l.split_whitespace().nth(1), Some("get" | "list" | "watch")))
        .collect();
    assert!(
        mutating.is_empty(),
        "mutating requests left a read-only session:\n{}",
        mutating.join("\n")
    );
}

/// Issue 19, on the wire: a session whose record says read-only, started
/// again without `--read-only` (as `resume` starts it), has its gateway
/// refuse a command's change with the API's own 403.
#[test]
fn a_resumed_read_only_session_is_refused_on_the_wire() {
    assert!(have_kubectl(), "this test needs kubectl on PATH");
    use runbook::app::background::Background;
    use runbook::cluster::snapshot::Connection;
    use runbook::engine::{Event, Record, Session};

    let dir = tempfile::tempdir().expect("tempdir");
    let scenario = runbook::sim::load("checkout-oom").expect("scenario");
    let focus = runbook::cluster::watch::Focus {
        namespace: Some("shop".into()),
        ..Default::default()
    };
    let mut b = Background::drill(scenario, focus, &dir.path().join("drill.kubeconfig"), None)
        .expect("background");
    let playbook: runbook::playbook::Playbook =
        serde_saphyr::from_str(include_str!("../playbooks/pod-crashloop.yaml")).expect("playbook");
    let at = jiff::Timestamp::now();
    let record = |seq, event| Record { seq, at, event };
    let session = Session::replay(
        std::sync::Arc::new(playbook),
        &[
            record(
                1,
                Event::Started {
                    playbook: "pod-crashloop".into(),
                    title: "Pod in CrashLoopBackOff".into(),
                    hash: "h".into(),
                    params: [
                        ("namespace".to_string(), "shop".to_string()),
                        ("deployment".to_string(), "checkout".to_string()),
                    ]
                    .into(),
                    context: None,
                    namespace: Some("shop".into()),
                    user: "u".into(),
                    host: "h".into(),
                    drill: None,
                    alert: None,
                    read_only: true,
                    read_only_contexts: Vec::new(),
                },
            ),
            record(
                2,
                Event::Entered {
                    step: "confirm".into(),
                },
            ),
        ],
    )
    .expect("replays");
    let theme = runbook::tui::theme::Theme {
        color: false,
        ascii: false,
    };
    let mut state = runbook::app::State::new(session, theme, at, "resumed".into());
    runbook::app::launch::read_only_for(&mut state, false, Some(&b));
    assert!(state.read_only, "the status line and the app refuse");

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        tokio::time::timeout(
            pty::DEADLINE,
            b.snapshots.wait_for(|s| s.connection == Connection::Live),
        )
        .await
        .expect("live in time")
        .expect("snapshots");
    });
    let credential = b
        .gateway
        .issue("kubectl annotate", dir.path())
        .expect("credential");
    let out = Command::new("kubectl")
        .envs(credential.env())
        .args(["-n", "shop", "annotate", "deployment", "checkout", "x=y"])
        .output()
        .expect("kubectl");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the change went through: {stderr}");
    assert!(stderr.contains("read-only session"), "{stderr}");
    drop(credential);
    b.shutdown();
}

/// `resume --read-only` turns read-only on for the rest of the session,
/// journaled with its reason; a later resume without the flag keeps it.
#[test]
fn resume_read_only_turns_it_on_for_good() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_sim, kubeconfig, _audit) = sim_process(dir.path());
    let kc = kubeconfig.display().to_string();
    let mut args = RUN.to_vec();
    args.extend(["--kubeconfig", &kc]);
    let mut t = spawn(dir.path(), &args, &[], 160, 48);
    let screen = t.wait_for("[live]");
    assert!(!screen.contains("READ-ONLY"), "{screen}");
    t.type_keys("qy");
    assert!(t.wait_exit(Duration::from_secs(10)).is_some());

    let resume = |flags: &[&str]| {
        let mut args = vec!["resume", "--kubeconfig", &kc];
        args.extend_from_slice(flags);
        let mut r = spawn(dir.path(), &args, &[], 160, 48);
        let screen = r.wait_for("[live]");
        assert!(screen.contains("READ-ONLY"), "{flags:?}: {screen}");
        r.type_keys("qy");
        assert!(r.wait_exit(Duration::from_secs(10)).is_some());
    };
    resume(&["--read-only"]);
    resume(&[]);

    let sessions = sessions_json(dir.path());
    let id = sessions[0]["id"].as_str().expect("id").to_string();
    let on: Vec<serde_json::Value> = journal_records(dir.path(), &id)
        .into_iter()
        .filter(|r| r["type"] == "read_only_on")
        .collect();
    assert_eq!(on.len(), 1, "turned on once: {on:?}");
    assert_eq!(on[0]["reason"], "--read-only");
}
/// Issue 20: a drill whose saved cluster held an object the simulator
/// could not take back made `runbook resume` exit 101 every time. It
/// resumes from the previous good copy and says so.
#[test]
fn a_drill_whose_saved_cluster_is_bad_resumes_from_the_previous_good_copy() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = spawn(dir.path(), &["drill"], &[], 160, 48);
    t.wait_for("export KUBECONFIG=");
    t.send(keys::ENTER);
    t.wait_for("[live]");
    t.type_keys("q");
    t.wait_for("Quit runbook?");
    t.type_keys("y");
    assert!(t.wait_exit(Duration::from_secs(10)).is_some());
    let sessions = sessions_json(dir.path());
    assert_eq!(sessions[0]["state"], "active");
    let id = sessions[0]["id"].as_str().expect("id");
    let saved = dir.path().join("sessions").join(id).join("cluster.json");
    let good = std::fs::read(&saved).expect("the drill saved its cluster");
    std::fs::write(saved.with_file_name("cluster.json.prev"), &good).expect("prev");
    let mut state: serde_json::Value = serde_json::from_slice(&good).expect("json");
    let checkout = state["objects"]
        .as_array_mut()
        .expect("objects")
        .iter_mut()
        .find(|o| o["kind"] == "Deployment" && o["metadata"]["name"] == "checkout")
        .expect("checkout");
    checkout["spec"]["template"]["metadata"] = serde_json::json!("x");
    std::fs::write(&saved, serde_json::to_vec(&state).expect("json")).expect("write");

    let mut r = spawn(dir.path(), &["resume"], &[], 160, 48);
    // The drill is back, against its cluster (it exited 101 here).
    let screen = r.wait_for("[live]");
    assert!(screen.contains("checkout-6d8f9c7b5-x2k4q"), "{screen}");
    r.signal(nix::sys::signal::Signal::SIGTERM);
    let status = r.wait_exit(Duration::from_secs(10)).expect("exits");
    assert_ne!(status.exit_code(), 101, "{status:?}");
    let raw = String::from_utf8_lossy(&r.raw()).to_string();
    assert!(
        raw.contains("spec.template.metadata: invalid type"),
        "{raw}"
    );
    assert!(
        raw.contains("the drill's cluster resumes from its previous good state"),
        "{raw}"
    );
}
