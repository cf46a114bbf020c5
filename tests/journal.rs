//! The journal against real crashes and through the real binary.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

use runbook::engine::{Event, Session};
use runbook::journal::{self, FileJournal, Sink};
use runbook::playbook::model::Playbook;

const PLAYBOOK: &str = r#"apiVersion: runbook/v1
kind: Playbook
metadata: { name: crashy, title: Crash test }
start: a
steps:
  - id: a
    title: A
    checklist: [ { text: check the pods } ]
    next: b
  - id: b
    title: B
    outcome: resolved
"#;

const CHILD_ENV: &str = "RUNBOOK_TEST_CHILD_DIR";

fn started() -> Event {
    Event::Started {
        playbook: "crashy".into(),
        title: "Crash test".into(),
        hash: "h".into(),
        params: Default::default(),
        context: None,
        namespace: None,
        user: "u".into(),
        host: "h".into(),
        drill: None,
        alert: None,
        read_only: false,
        read_only_contexts: Vec::new(),
    }
}

fn commit(j: &mut FileJournal, s: &mut Session, events: Vec<Event>) -> u64 {
    let records = j
        .append(s.next_seq(), jiff::Timestamp::now(), events)
        .expect("append");
    let last = records.last().map(|r| r.seq).unwrap_or(0);
    for r in records {
        s.apply(r).expect("apply");
    }
    last
}

/// Runs only as the child of `sigkill_while_appending_loses_nothing_committed`.
#[test]
fn child_appender() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let pb: Playbook = serde_saphyr::from_str(PLAYBOOK).expect("parses");
    let mut s = Session::new(Arc::new(pb));
    let mut j = FileJournal::create(Path::new(&dir), "crash", PLAYBOOK).expect("create");
    let e = s.propose_start(started()).expect("start");
    commit(&mut j, &mut s, e);
    for i in 0.. {
        let e = s
            .propose_note(&format!("note {i} {}", "x".repeat(i % 300)))
            .expect("note");
        let seq = commit(&mut j, &mut s, vec![e]);
        println!("committed {seq}");
    }
}

#[test]
fn sigkill_while_appending_loses_nothing_committed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "child_appender",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn child");
    let stdout = child.stdout.take().expect("stdout");
    let mut reported = 0u64;
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("line");
        if let Some(seq) = line.strip_prefix("committed ") {
            reported = seq.trim().parse().expect("seq");
            if reported >= 200 {
                break;
            }
        }
    }
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGKILL,
    )
    .expect("kill -9");
    let _ = child.wait();

    let session_dir = dir.path().join("sessions/crash");
    let read = journal::read::read_journal(&session_dir.join("journal.jsonl")).expect("read");
    assert!(read.warnings.len() <= 1, "{:?}", read.warnings);
    let last = read.records.last().expect("records").seq;
    assert!(
        last >= reported,
        "seq {reported} was reported committed but the journal ends at {last}"
    );
    for (i, r) in read.records.iter().enumerate() {
        assert_eq!(r.seq, i as u64 + 1, "no gaps");
    }
    // The stored session replays and can be appended to again.
    let loaded = journal::load_session(&session_dir).expect("replays");
    assert_eq!(loaded.session.current_id(), Some("a"));
    let (mut j, _) = FileJournal::open(&session_dir).expect("reopen");
    let mut s = loaded.session;
    let e = s.propose_toggle(0).expect("toggle");
    commit(&mut j, &mut s, vec![e]);
    let again = journal::read::read_journal(&session_dir.join("journal.jsonl")).expect("read");
    assert!(again.warnings.is_empty());
    assert_eq!(again.records.len(), read.records.len() + 1);
}

fn runbook(data: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(args)
        .env("RUNBOOK_DATA_DIR", data)
        .env("NO_COLOR", "1")
        .output()
        .expect("run runbook")
}

#[test]
fn sessions_and_export_through_the_binary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pb: Playbook = serde_saphyr::from_str(PLAYBOOK).expect("parses");
    let mut s = Session::new(Arc::new(pb));
    let mut j =
        FileJournal::create(dir.path(), "20251125-070000-crashy-0001", PLAYBOOK).expect("create");
    let e = s.propose_start(started()).expect("start");
    commit(&mut j, &mut s, e);
    let e = s.propose_toggle(0).expect("toggle");
    commit(&mut j, &mut s, vec![e]);
    let e = s.propose_advance(None).expect("advance");
    commit(&mut j, &mut s, e);
    let e = s.propose_advance(None).expect("end");
    commit(&mut j, &mut s, e);

    let out = runbook(dir.path(), &["sessions", "--json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v[0]["id"], "20251125-070000-crashy-0001");
    assert_eq!(v[0]["playbook"], "crashy");
    assert_eq!(v[0]["state"], "ended");
    assert_eq!(v[0]["outcome"], "resolved");

    let out = runbook(dir.path(), &["export", "20251125"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8(out.stdout).expect("utf8");
    assert!(md.contains("# Crash test"));
    assert!(md.contains("Confirmed: check the pods"));
    assert!(md.contains("**Ended: resolved**"));

    let file = dir.path().join("out.json");
    let out = runbook(
        dir.path(),
        &[
            "export",
            "20251125",
            "--format",
            "json",
            "-o",
            file.to_str().expect("utf8"),
        ],
    );
    assert!(out.status.success());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("read")).expect("json");
    assert_eq!(v["records"].as_array().expect("records").len(), 5);

    let out = runbook(dir.path(), &["export", "nope"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no session `nope`"));
}

#[test]
fn the_export_shows_playbook_text_with_its_params_filled_in() {
    let yaml = r#"apiVersion: runbook/v1
kind: Playbook
metadata: { name: svc, title: "{{ service }} is down" }
params: [ { name: service, required: true } ]
start: a
steps:
  - id: a
    title: "Look at {{ service }}"
    checklist: [ { text: "{{ service }} pods checked" } ]
    choices: [ { label: "restart {{ service }}", next: b } ]
  - id: b
    title: B
    outcome: resolved
"#;
    let pb: Playbook = serde_saphyr::from_str(yaml).expect("parses");
    let mut s = Session::new(Arc::new(pb));
    let dir = tempfile::tempdir().expect("tempdir");
    let mut j = FileJournal::create(dir.path(), "s", yaml).expect("create");
    let mut start = started();
    if let Event::Started { params, .. } = &mut start {
        params.insert("service".into(), "checkout".into());
    }
    let e = s.propose_start(start).expect("start");
    commit(&mut j, &mut s, e);
    let e = s.propose_toggle(0).expect("toggle");
    commit(&mut j, &mut s, vec![e]);
    let e = s.propose_choose(0).expect("choose");
    commit(&mut j, &mut s, e);
    let md = journal::export::markdown("s", &s);
    assert!(md.contains("# checkout is down"), "{md}");
    assert!(md.contains("Look at checkout"), "{md}");
    assert!(md.contains("Confirmed: checkout pods checked"), "{md}");
    assert!(md.contains("restart checkout"), "{md}");
    assert!(!md.contains("{{"), "no template is left unfilled:\n{md}");
}

fn new_session(data: &Path, id: &str) -> (FileJournal, Session) {
    let mut j = FileJournal::create(data, id, PLAYBOOK).expect("create");
    let pb: Playbook = serde_saphyr::from_str(PLAYBOOK).expect("parses");
    let mut s = Session::new(Arc::new(pb));
    let events = s.propose_start(started()).expect("start");
    commit(&mut j, &mut s, events);
    (j, s)
}

#[test]
fn a_left_session_can_be_abandoned_and_says_so_everywhere() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (j, _) = new_session(dir.path(), "20261201-000000-crashy-0001");
    // While a runbook has it open, abandoning is refused and changes nothing.
    let out = runbook(
        dir.path(),
        &["abandon", "20261201-000000-crashy-0001", "--reason", "x"],
    );
    assert_ne!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("open in another runbook"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    drop(j);
    let out = runbook(
        dir.path(),
        &[
            "abandon",
            "20261201-000000",
            "--reason",
            "the pager was a false alarm",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let list: serde_json::Value =
        serde_json::from_slice(&runbook(dir.path(), &["sessions", "--json"]).stdout).expect("json");
    assert_eq!(list[0]["state"], "abandoned");
    assert_eq!(list[0]["reason"], "the pager was a false alarm");
    let table = String::from_utf8_lossy(&runbook(dir.path(), &["sessions"]).stdout).into_owned();
    assert!(table.contains("abandoned"), "{table}");
    let md = String::from_utf8_lossy(
        &runbook(dir.path(), &["export", "20261201-000000-crashy-0001"]).stdout,
    )
    .into_owned();
    assert!(md.contains("- Outcome: abandoned"), "{md}");
    assert!(
        md.contains("**Abandoned**; reason: the pager was a false alarm"),
        "{md}"
    );
    // Nothing to resume any more.
    let out = runbook(dir.path(), &["resume"]);
    assert_ne!(out.status.code(), Some(0));
}

/// Issue 19: the export's header says a session was read-only (since when
/// and why) and lists every context it used, in order; the changes table
/// tells the same write in two contexts apart.
#[test]
fn the_export_header_says_read_only_and_every_context_used() {
    let dir = tempfile::tempdir().expect("tempdir");
    let id = "20261201-000000-crashy-0002";
    let (mut j, mut s) = new_session(dir.path(), id);
    let write = |context: &str| Event::ApiWrite {
        step: "a".into(),
        method: "PATCH".into(),
        path: "/apis/apps/v1/namespaces/shop/deployments/checkout".into(),
        resource: Some("deployments.apps".into()),
        subresource: None,
        namespace: Some("shop".into()),
        name: Some("checkout".into()),
        status: 200,
        dry_run: false,
        by: "kubectl annotate".into(),
        context: Some(context.into()),
        server: Some(format!("https://{context}:6443")),
    };
    commit(&mut j, &mut s, vec![write("prod-a")]);
    let switch = s
        .propose_context_switch("prod-b", false, &[])
        .expect("switch");
    commit(&mut j, &mut s, vec![switch, write("prod-b")]);
    let on = s
        .propose_read_only_on("--read-only")
        .expect("proposal")
        .expect("turns on");
    commit(&mut j, &mut s, vec![on]);
    drop(j);

    let out = runbook(dir.path(), &["export", id]);
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.contains("- Contexts used, in order: `prod-b`"), "{md}");
    assert!(md.contains("- Mode: **READ-ONLY** from T+"), "{md}");
    assert!(md.contains("(--read-only)"), "{md}");
    assert!(
        md.contains("**Read-only turned on**; reason: --read-only"),
        "{md}"
    );
    let changes = md
        .split("## Changes to the cluster")
        .nth(1)
        .expect("changes");
    assert!(
        changes.contains("| `prod-a` | `PATCH deployments.apps/checkout in shop` |"),
        "{changes}"
    );
    assert!(
        changes.contains("| `prod-b` | `PATCH deployments.apps/checkout in shop` |"),
        "{changes}"
    );
}
