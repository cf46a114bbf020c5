//! `runbook alerts` and `runbook run --alert` through the real binary as a
//! plain process, against a real Alertmanager: listings, and what is
//! refused (with its position and exit code) before any terminal is
//! needed. Opening sessions is in alerts_e2e.rs.

#[path = "support/alertmanager.rs"]
mod am;
#[path = "support/cli.rs"]
mod cli;

use std::process::Command;

use am::{Alertmanager, alert};
use cli::{bin, runbook, stderr, stdout};

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
        format!("error: Alertmanager at {url} is unreachable: Connection refused\n")
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

/// Whoever fires an alert writes its labels and annotations: `runbook
/// alerts` (text and JSON) prints none of their control bytes.
#[test]
fn alerts_print_no_control_bytes_from_hostile_labels() {
    const HOSTILE: &str = "x\x1b]52;c;ZXZpbA==\x07y\x1b]0;t\x07\u{9b}2J\x08\u{202e}z";
    let am = Alertmanager::start();
    am.post_alerts(serde_json::json!([alert(
        &[
            ("alertname", "KubePodCrashLooping"),
            ("namespace", "shop"),
            ("pod", HOSTILE),
            ("severity", HOSTILE)
        ],
        &[("summary", HOSTILE)],
    )]));
    let data = tempfile::tempdir().expect("tempdir");
    for args in [
        vec!["alerts", "--alertmanager", &am.url],
        vec!["alerts", "--json", "--alertmanager", &am.url],
    ] {
        let out = runbook(data.path(), &args, None);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = format!("{}{}", stdout(&out), stderr(&out));
        assert!(text.contains("xyz"), "the alert is listed: {text}");
        let bad = text.chars().find(|&c| {
            (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{202a}'..='\u{202e}')
        });
        assert_eq!(bad, None, "{args:?} printed a control byte: {text:?}");
    }
}
