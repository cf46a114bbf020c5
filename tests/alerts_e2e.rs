//! Opening sessions from alerts, in a pseudo-terminal: `run --alert` from
//! a saved file and from stdin (keys from the terminal), a payload as the
//! real Alertmanager posts it, and the home screen's firing alerts.

#[path = "support/alertmanager.rs"]
mod am;
#[path = "support/cli.rs"]
mod cli;
#[allow(dead_code)] // the pty helpers this file does not need
#[path = "support/pty.rs"]
mod pty;

use std::path::Path;
use std::time::Duration;

use am::{Alertmanager, alert};
use cli::{bin, runbook, stderr, stdout};
use pty::{Pty, keys};

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
    t.wait_for("A checkout pod crashes or never starts");
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
    t.wait_for("A checkout pod crashes or never starts");
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
    // The alert's name is on the first frame already (playbooks list the
    // alerts they open for): wait for the fetch's answer instead.
    let screen = t.wait_for("alerts: 1 firing at");
    assert!(
        screen.contains("KubeDeploymentReplicasMismatch"),
        "{screen}"
    );
    assert!(screen.contains("CRIT"), "{screen}");
    t.send(keys::ENTER);
    t.wait_for("A checkout pod crashes or never starts");
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
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
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
    t.wait_for("A checkout pod crashes or never starts");
    quit(&mut t);
    let list = sessions(data.path());
    assert_eq!(list[0]["playbook"], "pod-crashloop");
    assert_eq!(list[0]["alert_fingerprint"], fingerprint.as_str());
}

#[test]
fn s_silences_the_sessions_alert_and_the_end_offers_to_expire_it() {
    let am = Alertmanager::start();
    let labels = [
        ("alertname", "KubeDeploymentReplicasMismatch"),
        ("namespace", "shop"),
        ("deployment", "checkout"),
        ("severity", "critical"),
    ];
    am.post_alerts(serde_json::json!([alert(&labels, &[])]));
    let data = tempfile::tempdir().expect("tempdir");
    let mut t = spawn(
        data.path(),
        &[],
        &[("RUNBOOK_ALERTMANAGER_URL", am.url.as_str())],
    );
    // Not the alert's name: playbook rows list the alerts they answer, so it
    // is on screen before the alert is, and enter would open a playbook.
    t.wait_for("alerts: 1 firing at");
    t.send(keys::ENTER);
    t.wait_for("A checkout pod crashes or never starts");
    t.type_keys("s");
    t.wait_for("For how long?");
    t.send(keys::ENTER); // the 2h offered
    t.wait_for("and press enter to create it");
    t.type_keys("KubeDeploymentReplicasMismatch");
    t.send(keys::ENTER);
    t.wait_for("silenced until");
    // #24 (12): the status line says so instead of counting down.
    t.wait_for("SILENCED");
    let silences = am.silences();
    let active: Vec<&serde_json::Value> = silences
        .iter()
        .filter(|s| s["status"]["state"] == "active")
        .collect();
    assert_eq!(active.len(), 1, "{silences:?}");
    assert!(
        active[0]["comment"]
            .as_str()
            .is_some_and(|c| c.starts_with("runbook session ")),
        "{:?}",
        active[0]
    );
    // The end offers to expire it.
    t.type_keys("E");
    t.wait_for("End the session here");
    t.type_keys("paged by mistake");
    t.send(keys::ENTER);
    t.wait_for("Expire it, so the alert pages again");
    t.type_keys("y");
    t.wait_for("expired");
    quit(&mut t);
    let state: Vec<serde_json::Value> = am
        .silences()
        .into_iter()
        .filter(|s| s["status"]["state"] == "active")
        .collect();
    assert!(state.is_empty(), "the silence was expired: {state:?}");
    let id = sessions(data.path())[0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let md = stdout(&runbook(data.path(), &["export", &id], None));
    assert!(md.contains("**Silenced** the alert until"), "{md}");
    assert!(md.contains("**Silence expired**"), "{md}");
}
