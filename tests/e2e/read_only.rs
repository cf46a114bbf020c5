//! Read-only through the real binary: on the wire, across quit and resume.

use super::*;

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
    if !kube::need_kubectl("a change refused on the wire") {
        return;
    }
    use runbook::app::background::Background;
    use runbook::engine::{Event, Record, Session};
    use runbook::kinds::snapshot::Connection;

    let dir = tempfile::tempdir().expect("tempdir");
    let scenario = runbook::sim::load("checkout-oom").expect("scenario");
    let focus = runbook::cluster::watch::Focus {
        namespace: Some("shop".into()),
        ..Default::default()
    };
    let mut b = Background::drill(scenario, focus, &dir.path().join("drill.kubeconfig"), None)
        .expect("background");
    let playbook: runbook::playbook::Playbook =
        serde_saphyr::from_str(include_str!("../../playbooks/pod-crashloop.yaml"))
            .expect("playbook");
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
    let out = Command::new(kube::kubectl())
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
