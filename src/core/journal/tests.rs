use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Arc;

use super::read::parse_journal;
use super::store::{JOURNAL_FILE, PLAYBOOK_FILE, new_session_id};
use super::*;
use crate::engine::{Drill, Event, Session};
use crate::playbook::model::Playbook;

pub(crate) const PLAYBOOK: &str = r#"apiVersion: runbook/v1
kind: Playbook
metadata: { name: demo, title: Demo incident }
start: look
steps:
  - id: look
    title: Look at the pods
    checklist: [ { text: "Pods | checked" } ]
    next: fix
  - id: fix
    title: Fix it
    outcome: mitigated
"#;

fn t(secs: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_764_054_000 + secs).expect("valid time")
}

fn started(drill: bool) -> Event {
    Event::Started {
        playbook: "demo".into(),
        title: "Demo incident".into(),
        hash: "abcdef0123456789".into(),
        params: [("namespace".to_string(), "shop".to_string())].into(),
        context: Some("kind-dev".into()),
        namespace: Some("shop".into()),
        user: "alice".into(),
        host: "bastion".into(),
        drill: drill.then(|| Drill {
            scenario: "demo-drill".into(),
            answer: "fix".into(),
            ..Default::default()
        }),
        alert: None,
        read_only: false,
        read_only_contexts: Vec::new(),
    }
}

/// Drives a session through a sink the way the app does.
fn walk(sink: &mut dyn Sink, drill: bool) -> Session {
    let pb: Playbook = serde_saphyr::from_str(PLAYBOOK).expect("parses");
    let mut s = Session::new(Arc::new(pb));
    let mut clock = 0;
    let mut commit = |s: &mut Session, events: Vec<Event>| {
        clock += 65;
        for r in sink.append(s.next_seq(), t(clock), events).expect("append") {
            s.apply(r).expect("apply");
        }
    };
    let e = s.propose_start(started(drill)).expect("start");
    commit(&mut s, e);
    let e = s.propose_toggle(0).expect("toggle");
    commit(&mut s, vec![e]);
    let e = s
        .propose_note("restarts climbing\nsince 02:10")
        .expect("note");
    commit(&mut s, vec![e]);
    commit(
        &mut s,
        vec![Event::Command {
            step: "look".into(),
            argv: vec!["kubectl".into(), "get".into(), "pods".into()],
            exit_code: Some(0),
            output_excerpt: "NAME READY\ncheckout-1 0/1".into(),
            output_file: None,
            origin: None,
            confined: None,
            context: None,
            server: None,
            outside: None,
        }],
    );
    let e = s.propose_advance(None).expect("advance");
    commit(&mut s, e);
    let e = s.propose_advance(None).expect("end");
    commit(&mut s, e);
    s
}

#[test]
fn session_files_are_private_and_the_playbook_is_pinned() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut j = FileJournal::create(dir.path(), "s1", PLAYBOOK).expect("create");
    walk(&mut j, false);
    let session_dir = dir.path().join("sessions/s1");
    let mode = |p: &Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode(&dir.path().join("sessions")), 0o700);
    assert_eq!(mode(&session_dir), 0o700);
    assert_eq!(mode(&session_dir.join(JOURNAL_FILE)), 0o600);
    assert_eq!(mode(&session_dir.join(PLAYBOOK_FILE)), 0o600);
    assert_eq!(
        std::fs::read_to_string(session_dir.join(PLAYBOOK_FILE)).expect("read"),
        PLAYBOOK
    );
}

#[test]
fn replay_from_disk_rebuilds_the_session() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut j = FileJournal::create(dir.path(), "s1", PLAYBOOK).expect("create");
    let live = walk(&mut j, false);
    let loaded = load_session(&dir.path().join("sessions/s1")).expect("load");
    assert_eq!(loaded.session.records(), live.records());
    assert_eq!(loaded.session.path(), live.path());
    assert_eq!(loaded.session.outcome(), live.outcome());
    assert!(loaded.warnings.is_empty());
}

#[test]
fn a_torn_last_line_is_skipped_with_a_warning_and_cut_before_appending() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut j = FileJournal::create(dir.path(), "s1", PLAYBOOK).expect("create");
    let pb: Playbook = serde_saphyr::from_str(PLAYBOOK).expect("parses");
    let mut s = Session::new(Arc::new(pb));
    for r in j
        .append(1, t(0), s.propose_start(started(false)).expect("start"))
        .expect("append")
    {
        s.apply(r).expect("apply");
    }
    drop(j);
    let path = dir.path().join("sessions/s1").join(JOURNAL_FILE);
    let mut bytes = std::fs::read(&path).expect("read");
    bytes.extend_from_slice(br#"{"seq":3,"at":"2025-11-25T07:00:00Z","type":"confi"#);
    std::fs::write(&path, &bytes).expect("write torn");

    let (mut reopened, journal) = FileJournal::open(&dir.path().join("sessions/s1")).expect("open");
    assert_eq!(
        journal.records.len(),
        2,
        "nothing before the torn line is lost"
    );
    assert_eq!(journal.warnings.len(), 1);
    assert!(journal.warnings[0].contains(":3: warning: skipped a torn last line"));
    let e = s.propose_toggle(0).expect("toggle");
    reopened
        .append(3, t(5), vec![e])
        .expect("append after torn line");
    let again = read::read_journal(&path).expect("read");
    assert_eq!(again.records.len(), 3);
    assert!(again.warnings.is_empty(), "{:?}", again.warnings);
}

fn line(seq: u64, event: Event) -> String {
    serde_json::to_string(&crate::engine::Record {
        seq,
        at: t(0),
        event,
    })
    .expect("json")
}

#[test]
fn a_complete_line_that_does_not_parse_marks_the_journal_damaged_and_is_kept() {
    let good = line(1, started(false));
    for text in [
        format!("{good}\nnot json\n"),
        format!(
            "{good}\nnot json\n{}\n",
            line(
                2,
                Event::Entered {
                    step: "look".into()
                }
            )
        ),
    ] {
        let journal = parse_journal(text.as_bytes(), Path::new("j.jsonl"));
        assert!(journal.is_damaged(), "{text}");
        assert_eq!(journal.truncate_to, None, "a complete line is never cut");
        assert!(
            journal.damaged[0].starts_with("j.jsonl:2: "),
            "{:?}",
            journal.damaged
        );
        assert!(
            journal
                .warnings
                .iter()
                .any(|w| w.contains("marked damaged"))
        );
    }
}

#[test]
fn a_damaged_journal_is_not_opened_for_appending_and_stays_as_it_was() {
    let dir = tempfile::tempdir().expect("tempdir");
    let j = FileJournal::create(dir.path(), "s1", PLAYBOOK).expect("create");
    drop(j);
    let path = dir.path().join("sessions/s1").join(JOURNAL_FILE);
    let text = format!(
        "{}\n{{\"seq\":2,\"at\":\"garbled\"}}\n",
        line(1, started(false))
    );
    std::fs::write(&path, &text).expect("write");
    let err = FileJournal::open(&dir.path().join("sessions/s1")).expect_err("damaged");
    assert!(err.to_string().contains("damaged"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), text);
}

#[test]
fn duplicate_sequence_numbers_are_renumbered_on_load_and_nothing_is_dropped() {
    let entered = |step: &str| Event::Entered { step: step.into() };
    let text = [
        line(1, started(false)),
        line(2, entered("look")),
        line(
            3,
            Event::Note {
                step: "look".into(),
                text: "a".into(),
            },
        ),
        line(
            3,
            Event::Note {
                step: "look".into(),
                text: "b".into(),
            },
        ),
        line(
            4,
            Event::Note {
                step: "look".into(),
                text: "c".into(),
            },
        ),
    ]
    .join("\n")
        + "\n";
    let journal = parse_journal(text.as_bytes(), Path::new("j.jsonl"));
    let seqs: Vec<u64> = journal.records.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, [1, 2, 3, 4, 5]);
    assert!(journal.warnings.iter().any(|w| w.contains("renumbered")));
    let pb: Playbook = serde_saphyr::from_str(PLAYBOOK).expect("parses");
    let s = Session::replay(Arc::new(pb), &journal.records).expect("replays");
    assert_eq!(s.notes().len(), 3);
}

#[test]
fn a_second_writer_is_refused_while_the_journal_is_open() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = FileJournal::create(dir.path(), "s1", PLAYBOOK).expect("create");
    let err = FileJournal::open(&dir.path().join("sessions/s1")).expect_err("locked");
    assert!(
        matches!(err, crate::journal::JournalError::Busy(_)),
        "{err}"
    );
    drop(first);
    FileJournal::open(&dir.path().join("sessions/s1")).expect("free again");
}

#[test]
fn an_unwritable_data_dir_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("file");
    std::fs::write(&file, b"x").expect("write");
    let err = ensure_writable(&file.join("sub")).expect_err("cannot write under a file");
    assert!(err.to_string().contains("file/sub"), "{err}");
    ensure_writable(&dir.path().join("ok")).expect("writable");
}

#[test]
fn sessions_are_listed_newest_first_and_found_by_prefix() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut a = FileJournal::create(dir.path(), "20251125-070000-demo-aaaa", PLAYBOOK).expect("a");
    walk(&mut a, false);
    let mut b = FileJournal::create(dir.path(), "20251125-080000-demo-bbbb", PLAYBOOK).expect("b");
    let pb: Playbook = serde_saphyr::from_str(PLAYBOOK).expect("parses");
    let s = Session::new(Arc::new(pb));
    b.append(1, t(4000), s.propose_start(started(true)).expect("start"))
        .expect("append");
    let list = list_sessions(dir.path()).expect("list");
    let ids: Vec<&str> = list.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        ["20251125-080000-demo-bbbb", "20251125-070000-demo-aaaa"]
    );
    assert_eq!(list[0].state, "active");
    assert_eq!(list[0].current_step.as_deref(), Some("look"));
    assert_eq!(list[0].drill.as_deref(), Some("demo-drill"));
    assert_eq!(list[1].state, "ended");
    assert_eq!(list[1].outcome.as_deref(), Some("mitigated"));
    assert!(find_session(dir.path(), "20251125-08").is_ok());
    let err = find_session(dir.path(), "20251125").expect_err("ambiguous");
    assert!(err.to_string().contains("matches 2 sessions"));
    assert!(find_session(dir.path(), "nope").is_err());
}

#[test]
fn session_ids_sort_by_time_and_carry_the_playbook() {
    let id = new_session_id(t(0), "pod crashloop", 0x12345);
    assert_eq!(id, "20251125-070000-pod-crashloop-2345");
}

#[test]
fn markdown_export_is_a_timeline() {
    let mut sink = MemorySink::default();
    let s = walk(&mut sink, true);
    insta::assert_snapshot!(crate::drill::report_text::markdown("s1", &s, &|_| None));
}

#[test]
fn json_export_holds_every_record() {
    let mut sink = MemorySink::default();
    let s = walk(&mut sink, false);
    let summary = SessionSummary {
        id: "s1".into(),
        playbook: "demo".into(),
        title: "Demo incident".into(),
        started: Some(t(65)),
        last_activity: None,
        state: "ended".into(),
        outcome: Some("mitigated".into()),
        current_step: None,
        drill: None,
        reason: None,
        alert_fingerprint: None,
        warnings: vec![],
    };
    let v: serde_json::Value = serde_json::from_str(&export::json(&summary, &s)).expect("json");
    assert_eq!(
        v["records"].as_array().expect("records").len(),
        s.records().len()
    );
    assert_eq!(v["session"]["outcome"], "mitigated");
}

#[test]
fn offsets_switch_to_hours() {
    assert_eq!(export::offset(t(0), t(75)), "T+01:15");
    assert_eq!(export::offset(t(0), t(3725)), "T+1:02:05");
}

#[test]
fn hostile_text_cannot_break_out_of_the_markdown_export() {
    let pb: Playbook = serde_saphyr::from_str(PLAYBOOK).expect("parses");
    let mut s = Session::new(Arc::new(pb));
    let mut sink = MemorySink::default();
    let mut start = started(false);
    if let Event::Started { params, .. } = &mut start {
        params.insert(
            "deployment".into(),
            "x`) [click](http://evil)\x1b]52;c;aGk=\x07".into(),
        );
    }
    let events = s.propose_start(start).expect("start");
    for r in sink.append(1, t(0), events).expect("append") {
        s.apply(r).expect("apply");
    }
    let note = s
        .propose_note("| cell | <script>alert(1)</script> \x1b[2J **bold**")
        .expect("note");
    for r in sink.append(s.next_seq(), t(5), vec![note]).expect("append") {
        s.apply(r).expect("apply");
    }
    let md = export::markdown("s1", &s);
    assert!(!md.contains('\x1b'), "no escape sequence reaches the file");
    assert!(!md.contains("<script>"), "{md}");
    assert!(md.contains("\\<script\\>"), "{md}");
    assert!(
        md.contains("Note: \\| cell \\|"),
        "the note stays in its cell: {md}"
    );
    // The param value stays inside its own code span.
    assert!(
        md.contains("``deployment=x`) [click](http://evil)``"),
        "{md}"
    );
}

/// A session of PLAYBOOK just started, and the sink holding its record.
fn started_session() -> (Session, MemorySink) {
    let pb: Playbook = serde_saphyr::from_str(PLAYBOOK).expect("parses");
    let mut s = Session::new(Arc::new(pb));
    let mut sink = MemorySink::default();
    let events = s.propose_start(started(false)).expect("start");
    for r in sink.append(1, t(0), events).expect("append") {
        s.apply(r).expect("apply");
    }
    (s, sink)
}

#[test]
fn a_full_export_includes_a_commands_whole_output() {
    let (mut s, mut sink) = started_session();
    let command = Event::Command {
        step: "look".into(),
        argv: vec!["kubectl".into(), "describe".into(), "pods".into()],
        exit_code: Some(0),
        output_excerpt:
            "(80 earlier lines left out; the whole output is in output/3-x-1.log)\nName: pod-3"
                .into(),
        output_file: Some("output/3-x-1.log".into()),
        origin: None,
        confined: None,
        context: None,
        server: None,
        outside: None,
    };
    for r in sink
        .append(s.next_seq(), t(5), vec![command])
        .expect("append")
    {
        s.apply(r).expect("apply");
    }
    let short = export::markdown("s1", &s);
    assert!(short.contains("Name: pod-3") && !short.contains("Name: pod-1"));
    assert!(short.contains("export --full"), "{short}");
    let full = export::markdown_with("s1", &s, None, &|file| {
        (file == "output/3-x-1.log").then(|| "Name: pod-1\nName: pod-2\nName: pod-3".to_string())
    });
    for pod in ["pod-1", "pod-2", "pod-3"] {
        assert!(full.contains(&format!("Name: {pod}")), "{full}");
    }
}

/// #24 (20): the export said "(no exit code)" for a program that never
/// started and for a command the responder stopped, and pointed at the
/// whole output after a one-line output.
#[test]
fn the_export_says_how_a_command_ended() {
    let (mut s, mut sink) = started_session();
    let command = |argv: &str, exit_code: Option<i32>, excerpt: &str| Event::Command {
        step: "look".into(),
        argv: argv.split(' ').map(String::from).collect(),
        exit_code,
        output_excerpt: excerpt.into(),
        output_file: Some("output/x.log".into()),
        origin: None,
        confined: None,
        context: None,
        server: None,
        outside: None,
    };
    let commands = vec![
        command(
            "velero get backups",
            None,
            "cannot start velero: No such file or directory",
        ),
        command("kubectl get pods -w", None, "NAME READY\n(stopped)"),
        command("kubectl get ns", Some(0), "default"),
    ];
    for r in sink.append(s.next_seq(), t(5), commands).expect("append") {
        s.apply(r).expect("apply");
    }
    let md = export::markdown("s1", &s);
    assert!(md.contains("(did not start)"), "{md}");
    assert!(md.contains("(stopped by the responder)"), "{md}");
    assert!(!md.contains("no exit code"), "{md}");
    assert!(
        !md.contains("The whole output is in"),
        "one-line outputs are whole: {md}"
    );
}

fn paged() -> crate::engine::OpeningAlert {
    crate::engine::OpeningAlert {
        fingerprint: "59fb3cda25a63f04".into(),
        labels: [
            ("alertname", "KubePodCrashLooping"),
            ("namespace", "shop"),
            ("pod", "checkout-1"),
            ("team", "a|b *c* [x](javascript:y)"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .into(),
        annotations: [(
            "summary".to_string(),
            "Pod <b>crash</b>\nlooping".to_string(),
        )]
        .into(),
        starts_at: Some(t(-300)),
        generator_url: Some("http://prom:9090/graph?g0.expr=rate(x[5m]) > 0".into()),
    }
}

/// A session started from an alert that silenced it and expired the silence.
fn paged_walk(sink: &mut dyn Sink) -> Session {
    let pb: Playbook = serde_saphyr::from_str(PLAYBOOK).expect("parses");
    let mut s = Session::new(Arc::new(pb));
    let mut start = started(false);
    if let Event::Started { alert, .. } = &mut start {
        *alert = Some(Box::new(paged()));
    }
    let mut clock = 0;
    let mut commit = |s: &mut Session, events: Vec<Event>| {
        clock += 60;
        for r in sink.append(s.next_seq(), t(clock), events).expect("append") {
            s.apply(r).expect("apply");
        }
    };
    let e = s.propose_start(start).expect("start");
    commit(&mut s, e);
    let silenced = |id: &str| Event::Silenced {
        id: id.into(),
        matchers: paged().labels,
        until: t(3600),
        created_by: "alice".into(),
        comment: "runbook session s1: alice@bastion is on it".into(),
    };
    commit(&mut s, vec![silenced("sil-1")]);
    commit(&mut s, vec![silenced("sil-2")]);
    commit(&mut s, vec![Event::SilenceExpired { id: "sil-1".into() }]);
    s
}

#[test]
fn the_alert_is_in_the_export_escaped_and_linked() {
    let s = paged_walk(&mut MemorySink::default());
    let md = export::markdown("s1", &s);
    insta::assert_snapshot!(md);
    assert!(
        md.contains("(<http://prom:9090/graph?g0.expr=rate(x[5m])%20%3E%200>)"),
        "{md}"
    );
    assert!(!md.contains("<b>"), "annotations are escaped: {md}");
}

#[test]
fn the_timeline_line_names_the_alert_and_its_labels() {
    let s = paged_walk(&mut MemorySink::default());
    let line = export::timeline_line(&s, &s.records()[0], s.started_at());
    assert!(
        line.contains("Started Demo incident for alert KubePodCrashLooping (namespace=shop pod=checkout-1 team=a|b *c* [x](javascript:y))"),
        "{line}"
    );
    let line = export::timeline_line(&s, &s.records()[2], s.started_at());
    assert!(
        line.contains("Silenced the alert until 2025-11-25 08:00:00Z (silence sil-1)"),
        "{line}"
    );
}

#[test]
fn open_silences_are_those_created_and_not_expired() {
    let s = paged_walk(&mut MemorySink::default());
    assert_eq!(s.open_silences(), ["sil-2"]);
    assert_eq!(s.alert().map(|a| a.name()), Some("KubePodCrashLooping"));
}

#[test]
fn the_alert_survives_the_file_and_the_listing_knows_its_fingerprint() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut j = FileJournal::create(dir.path(), "s1", PLAYBOOK).expect("create");
    let live = paged_walk(&mut j);
    let loaded = load_session(&dir.path().join("sessions/s1")).expect("load");
    assert_eq!(loaded.session.records(), live.records());
    assert_eq!(loaded.session.alert(), Some(&paged()));
    let list = list_sessions(dir.path()).expect("list");
    assert_eq!(
        list[0].alert_fingerprint.as_deref(),
        Some("59fb3cda25a63f04")
    );
    let text =
        std::fs::read_to_string(dir.path().join("sessions/s1").join(JOURNAL_FILE)).expect("read");
    let first: serde_json::Value =
        serde_json::from_str(text.lines().next().expect("a line")).expect("json");
    assert_eq!(first["alert"]["fingerprint"], "59fb3cda25a63f04");
    assert_eq!(first["alert"]["startsAt"], "2025-11-25T06:55:00Z");
    assert!(first["alert"]["generatorURL"].is_string());
}

#[test]
fn a_started_line_from_before_alerts_still_loads() {
    let old = r#"{"seq":1,"at":"2025-11-25T07:00:00Z","type":"started","playbook":"demo","title":"Demo","hash":"h","params":{},"user":"u","host":"h"}"#;
    let journal = parse_journal(format!("{old}\n").as_bytes(), Path::new("j.jsonl"));
    assert!(matches!(
        &journal.records[0].event,
        Event::Started { alert: None, .. }
    ));
    let again = serde_json::to_string(&journal.records[0]).expect("json");
    assert!(!again.contains("alert"), "no alert key is written: {again}");
}
