//! `runbook alerts`, `runbook run --alert` and the home screen's alerts
//! through the real binary, against a real Alertmanager. What needs no
//! terminal (listings, parse errors and their exit codes) runs as plain
//! processes; opening a session runs in a pseudo-terminal.

#[path = "support/alertmanager.rs"]
mod am;
#[allow(dead_code)] // the pty helpers this file does not need
#[path = "support/pty.rs"]
mod pty;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use am::{Alertmanager, alert};
use pty::{Pty, keys};

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_runbook"))
}

/// The binary with its own data and config folders and nothing inherited
/// that names an Alertmanager.
fn runbook(data: &Path, args: &[&str], stdin: Option<&str>) -> Output {
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

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn page() -> serde_json::Value {
    serde_json::json!([
        alert(
            &[
                ("alertname", "KubePodCrashLooping"),
                ("namespace", "shop"),
                ("pod", "checkout-6d8f9-x2k4q"),
                ("severity", "warning")
            ],
            &[("summary", "Pod shop/checkout-6d8f9-x2k4q is crash looping")],
        ),
        alert(
            &[
                ("alertname", "KubeDeploymentReplicasMismatch"),
                ("namespace", "shop"),
                ("deployment", "checkout"),
                ("severity", "critical")
            ],
            &[],
        ),
        alert(&[("alertname", "Watchdog"), ("severity", "none")], &[]),
    ])
}

#[test]
fn alerts_json_lists_each_alert_with_its_playbook_and_params() {
    let am = Alertmanager::start();
    am.post_alerts(page());
    let data = tempfile::tempdir().expect("tempdir");
    let out = runbook(
        data.path(),
        &["alerts", "--json", "--alertmanager", &am.url],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let list = list.as_array().expect("a list");
    assert_eq!(list.len(), 3);
    let by_name = |name: &str| {
        list.iter()
            .find(|a| a["labels"]["alertname"] == name)
            .unwrap_or_else(|| panic!("{name} missing"))
    };
    assert_eq!(
        list[0]["labels"]["alertname"], "KubeDeploymentReplicasMismatch",
        "critical first"
    );
    let mismatch = by_name("KubeDeploymentReplicasMismatch");
    assert_eq!(mismatch["playbook"], "pod-crashloop");
    assert_eq!(
        mismatch["params"],
        serde_json::json!({"namespace": "shop", "deployment": "checkout"})
    );
    assert_eq!(
        mismatch["otherPlaybooks"],
        serde_json::json!(["pod-pending"])
    );
    let crash = by_name("KubePodCrashLooping");
    assert_eq!(
        crash["annotations"]["summary"],
        "Pod shop/checkout-6d8f9-x2k4q is crash looping"
    );
    assert!(crash["startsAt"].is_string());
    assert_eq!(crash["fingerprint"].as_str().map(str::len), Some(16));
    assert_eq!(crash["params"], serde_json::json!({"namespace": "shop"}));
    assert_eq!(crash["missing"], serde_json::json!(["deployment"]));
    let watchdog = by_name("Watchdog");
    assert!(watchdog["playbook"].is_null(), "{watchdog}");
    assert_eq!(watchdog["params"], serde_json::json!({}));

    // The listing is input for run --alert: it reads back the same alert.
    let text = serde_json::to_string(crash).expect("json");
    let alerts = runbook::alerts::payload::parse(&text, "-").expect("reads back");
    assert_eq!(
        alerts[0].fingerprint,
        crash["fingerprint"].as_str().unwrap_or_default()
    );
}

#[test]
fn alerts_text_groups_by_name_and_the_url_comes_from_the_environment() {
    let am = Alertmanager::start();
    am.post_alerts(page());
    let data = tempfile::tempdir().expect("tempdir");
    let mut cmd = Command::new(bin());
    let out = cmd
        .args(["alerts"])
        .env("RUNBOOK_DATA_DIR", data.path())
        .env("RUNBOOK_CONFIG_DIR", data.path().join("config"))
        .env("RUNBOOK_ALERTMANAGER_URL", &am.url)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let first = text.lines().next().unwrap_or_default();
    assert_eq!(first, "KubeDeploymentReplicasMismatch: 1 firing");
    assert!(
        text.contains("-> pod-crashloop  deployment=checkout  namespace=shop\n"),
        "{text}"
    );
    assert!(
        text.contains("-> pod-crashloop  namespace=shop  (asks for: deployment)"),
        "{text}"
    );
    assert!(text.contains("Watchdog: 1 firing\n  none"), "{text}");
    assert!(text.contains("-> no playbook matches"), "{text}");
}

#[test]
fn alerts_says_why_when_alertmanager_is_down_or_not_set() {
    let data = tempfile::tempdir().expect("tempdir");
    let port = am::free_port();
    let url = format!("http://127.0.0.1:{port}");
    let out = runbook(data.path(), &["alerts", "--alertmanager", &url], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!("runbook: Alertmanager at {url} is unreachable: Connection refused\n")
    );
    let out = runbook(data.path(), &["alerts"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no Alertmanager to ask: give --alertmanager URL"),
        "{}",
        stderr(&out)
    );
    std::fs::create_dir_all(data.path().join("config")).expect("mkdir");
    std::fs::write(
        data.path().join("config/config.yaml"),
        "alertmanager:\n  url: http://127.0.0.1:1\n  bearerTokenFile: token\n  basicAuth: { username: u, password: p }\n",
    )
    .expect("write config");
    let out = runbook(data.path(), &["alerts"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "config.yaml: error: alertmanager: give bearerTokenFile or basicAuth, not both"
        ),
        "{}",
        stderr(&out)
    );
}

const MALFORMED: &str = "{\n  \"version\": \"4\",\n  \"alerts\": [\n    {\"labels\": {\"alertname\": \"KubePodCrashLooping\"}, \"startsAt\": \"2025-11-25T07:00:00Z\",}\n  ]\n}\n";

#[test]
fn run_alert_refuses_bad_payloads_with_their_position_and_exit_2() {
    let data = tempfile::tempdir().expect("tempdir");
    let file = data.path().join("page.json");
    std::fs::write(&file, MALFORMED).expect("write");
    let path = file.display().to_string();
    let out = runbook(data.path(), &["run", "--alert", &path], None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!("{path}:4:89: error: trailing comma\n")
    );

    let out = runbook(data.path(), &["run", "--alert", "-"], Some(MALFORMED));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "-:4:89: error: trailing comma\n");

    for (payload, expected) in [
        (
            "{\"alerts\": [{\"labels\": {\"pod\": \"x\"}}]}",
            "-:1:35: error: the alert's labels have no `alertname`",
        ),
        (
            "{\"alerts\": []}",
            "-:1:13: error: the list of alerts is empty",
        ),
        (
            "[1, 2]",
            "-:1:2: error: invalid type: integer `1`, expected an alert (an object with `labels`)",
        ),
        (
            "{\"receiver\": \"x\"}",
            "-:1:1: error: expected an Alertmanager webhook payload",
        ),
        ("", "-:1:1: error: EOF while parsing a value"),
    ] {
        let out = runbook(data.path(), &["run", "--alert", "-"], Some(payload));
        assert_eq!(out.status.code(), Some(2), "{payload}");
        assert!(
            stderr(&out).starts_with(expected),
            "{payload}: {}",
            stderr(&out)
        );
    }
    let out = runbook(
        data.path(),
        &["run", "--alert", "/nonexistent/page.json"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read the alert from /nonexistent/page.json"));
}

#[test]
fn run_alert_names_what_it_cannot_open() {
    let data = tempfile::tempdir().expect("tempdir");
    let run = |payload: &str| runbook(data.path(), &["run", "--alert", "-"], Some(payload));
    let out = run(r#"{"labels": {"alertname": "Watchdog"}}"#);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("-: error: no playbook matches Watchdog"),
        "{}",
        stderr(&out)
    );
    let out = run(r#"{"status": "resolved", "labels": {"alertname": "KubePodCrashLooping"}}"#);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("every alert in it is resolved"),
        "{}",
        stderr(&out)
    );
    // Without a terminal there is no form to ask in: the missing param is named.
    let out = run(r#"{"labels": {"alertname": "KubePodCrashLooping", "namespace": "shop"}}"#);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("param `deployment`: no label of alert KubePodCrashLooping fills it; give it with --set deployment=..."),
        "{}",
        stderr(&out)
    );
}

/// A webhook payload as Alertmanager posts it to a receiver.
fn webhook(labels: serde_json::Value) -> String {
    serde_json::json!({
        "version": "4",
        "groupKey": "{}:{alertname=\"KubePodCrashLooping\"}",
        "status": "firing",
        "receiver": "runbook",
        "groupLabels": {"alertname": "KubePodCrashLooping"},
        "commonLabels": labels,
        "commonAnnotations": {},
        "externalURL": "http://alertmanager:9093",
        "alerts": [{
            "status": "firing",
            "labels": labels,
            "annotations": {"summary": "Pod shop/checkout-1 is crash looping"},
            "startsAt": "2025-11-25T07:00:00Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus:9090/graph?g0.expr=x",
            "fingerprint": "0123456789abcdef",
        }],
    })
    .to_string()
}

fn spawn(data: &Path, args: &[&str], extra: &[(&str, &str)]) -> Pty {
    let (d, c) = (
        data.display().to_string(),
        data.join("config").display().to_string(),
    );
    let mut env = vec![
        ("RUNBOOK_DATA_DIR", d.as_str()),
        ("RUNBOOK_CONFIG_DIR", c.as_str()),
    ];
    env.extend_from_slice(extra);
    Pty::spawn(&bin(), args, &env, 100, 30)
}

fn quit(t: &mut Pty) {
    t.type_keys("q");
    t.wait_for("Quit runbook?");
    t.type_keys("y");
    assert!(
        t.wait_exit(Duration::from_secs(10)).is_some(),
        "still running"
    );
}

fn sessions(data: &Path) -> serde_json::Value {
    let out = runbook(data, &["sessions", "--json"], None);
    serde_json::from_slice(&out.stdout).expect("sessions json")
}

#[test]
fn run_alert_from_a_file_opens_the_playbook_and_records_the_alert() {
    let data = tempfile::tempdir().expect("tempdir");
    let file = data.path().join("page.json");
    let labels = serde_json::json!({"alertname": "KubePodCrashLooping", "namespace": "shop", "deployment": "checkout", "pod": "checkout-1"});
    std::fs::write(&file, webhook(labels)).expect("write");
    let mut t = spawn(
        data.path(),
        &["run", "--alert", &file.display().to_string()],
        &[],
    );
    t.wait_for("Confirm the symptom");
    t.wait_for("A pod of checkout shows CrashLoopBackOff");
    quit(&mut t);

    let list = sessions(data.path());
    assert_eq!(list[0]["playbook"], "pod-crashloop");
    assert_eq!(list[0]["alert_fingerprint"], "0123456789abcdef");
    let id = list[0]["id"].as_str().expect("id").to_string();
    let md = stdout(&runbook(data.path(), &["export", &id], None));
    assert!(
        md.contains("- Params: `deployment=checkout`, `namespace=shop`"),
        "{md}"
    );
    assert!(md.contains("- Alert: `KubePodCrashLooping`, firing since 2025-11-25 07:00:00Z ([source](<http://prometheus:9090/graph?g0.expr=x>))"), "{md}");
    assert!(
        md.contains("Started **Pod in CrashLoopBackOff** for alert `KubePodCrashLooping`"),
        "{md}"
    );

    // The same page again: the session already on it is resumed.
    let mut again = spawn(
        data.path(),
        &["run", "--alert", &file.display().to_string()],
        &[],
    );
    again.wait_for("Confirm the symptom");
    quit(&mut again);
    assert_eq!(
        sessions(data.path()).as_array().map(Vec::len),
        Some(1),
        "no second session"
    );
}

#[test]
fn run_alert_from_stdin_asks_for_the_param_no_label_fills() {
    let data = tempfile::tempdir().expect("tempdir");
    let file = data.path().join("page.json");
    let labels = serde_json::json!({"alertname": "KubePodCrashLooping", "namespace": "shop", "pod": "checkout-1"});
    std::fs::write(&file, webhook(labels)).expect("write");
    // stdin is the payload; keys come from the terminal (/dev/tty).
    let script = format!(
        "exec '{}' run --alert - < '{}'",
        bin().display(),
        file.display()
    );
    let (d, c) = (
        data.path().display().to_string(),
        data.path().join("config").display().to_string(),
    );
    let mut t = Pty::spawn(
        Path::new("/bin/sh"),
        &["-c", &script],
        &[
            ("RUNBOOK_DATA_DIR", d.as_str()),
            ("RUNBOOK_CONFIG_DIR", c.as_str()),
        ],
        100,
        30,
    );
    let form = t.wait_for("(the rest from alert KubePodCrashLooping)");
    assert!(
        form.contains("shop"),
        "namespace filled from its label:\n{form}"
    );
    t.type_keys("checkout");
    t.send(keys::ENTER);
    t.wait_for("A pod of checkout shows CrashLoopBackOff");
    quit(&mut t);
    let list = sessions(data.path());
    assert_eq!(list[0]["alert_fingerprint"], "0123456789abcdef");
}

#[test]
fn the_home_screen_lists_firing_alerts_and_enter_opens_the_matched_playbook() {
    let am = Alertmanager::start();
    am.post_alerts(serde_json::json!([alert(
        &[
            ("alertname", "KubeDeploymentReplicasMismatch"),
            ("namespace", "shop"),
            ("deployment", "checkout"),
            ("severity", "critical")
        ],
        &[(
            "summary",
            "Deployment shop/checkout has not matched its replicas"
        )],
    )]));
    let data = tempfile::tempdir().expect("tempdir");
    let mut t = spawn(
        data.path(),
        &[],
        &[("RUNBOOK_ALERTMANAGER_URL", am.url.as_str())],
    );
    let screen = t.wait_for("KubeDeploymentReplicasMismatch");
    assert!(screen.contains("alerts: 1 firing at"), "{screen}");
    assert!(screen.contains("CRIT"), "{screen}");
    t.send(keys::ENTER);
    t.wait_for("A pod of checkout shows CrashLoopBackOff");
    quit(&mut t);
    let list = sessions(data.path());
    assert_eq!(list[0]["playbook"], "pod-crashloop");
    assert!(list[0]["alert_fingerprint"].is_string(), "{list}");

    // Alertmanager gone: one line says why, the session list still works.
    drop(am);
    let url = format!("http://127.0.0.1:{}", am::free_port());
    let mut t = spawn(
        data.path(),
        &[],
        &[("RUNBOOK_ALERTMANAGER_URL", url.as_str())],
    );
    let screen = t.wait_for("is unreachable: Connection refused");
    assert!(screen.contains("Resume an unfinished session"), "{screen}");
    t.send("\x1b");
    assert!(
        t.wait_exit(Duration::from_secs(10)).is_some(),
        "esc quits the home screen"
    );
}

#[test]
fn a_webhook_payload_as_alertmanager_posts_it_opens_its_playbook() {
    let hook = am::Hook::listen();
    let am = Alertmanager::start_with(false, Some(&hook.url));
    am.post_alerts(serde_json::json!([alert(
        &[
            ("alertname", "KubeDeploymentReplicasMismatch"),
            ("namespace", "shop"),
            ("deployment", "checkout"),
            ("severity", "critical")
        ],
        &[(
            "summary",
            "Deployment shop/checkout has not matched its replicas"
        )],
    )]));
    let payload = hook.next();
    let sent: serde_json::Value = serde_json::from_str(&payload).expect("json");
    assert_eq!(sent["version"], "4", "a webhook payload: {payload}");
    let fingerprint = sent["alerts"][0]["fingerprint"]
        .as_str()
        .expect("fingerprint")
        .to_string();

    // As a pager hook would save it, then through stdin without a terminal:
    // everything up to the terminal works, and says so.
    let data = tempfile::tempdir().expect("tempdir");
    let out = runbook(data.path(), &["run", "--alert", "-"], Some(&payload));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the walkthrough needs a terminal"),
        "{}",
        stderr(&out)
    );

    let file = data.path().join("page.json");
    std::fs::write(&file, &payload).expect("save the page");
    let mut t = spawn(
        data.path(),
        &["run", "--alert", &file.display().to_string()],
        &[],
    );
    t.wait_for("A pod of checkout shows CrashLoopBackOff");
    quit(&mut t);
    let list = sessions(data.path());
    assert_eq!(list[0]["playbook"], "pod-crashloop");
    assert_eq!(list[0]["alert_fingerprint"], fingerprint.as_str());
}
