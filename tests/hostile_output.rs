//! Every byte runbook writes to a terminal or a file is sanitized: one
//! hostile corpus (OSC 52 clipboard writes, OSC 0 titles, OSC 8 links, CSI,
//! 8-bit C1 controls, BEL, backspace, bidi overrides) goes in through every
//! door text from outside has (a playbook, an alert's labels, a note, a
//! param, a session id on the command line), and no control byte comes out
//! of any command: list, validate, sessions, export (markdown and JSON, to
//! stdout and to a file), and errors.

#[path = "support/cli.rs"]
mod cli;

use std::path::Path;
use std::sync::Arc;

use cli::runbook;
use runbook::engine::{Event, Session};
use runbook::journal::{FileJournal, Sink};
use runbook::playbook::model::Playbook;

/// Each piece is something a terminal would act on.
const HOSTILE: &str = concat!(
    "a\x1b]52;c;ZXZpbA==\x07",                // OSC 52: write the clipboard
    "b\x1b]0;pwned\x07",                      // OSC 0: retitle the window
    "c\x1b]8;;http://x\x1b\\L\x1b]8;;\x1b\\", // OSC 8: a hidden link
    "d\x1b[2J\x1b[31m",                       // CSI: clear, colour
    "e\u{9b}1;1H\u{9d}0;t\u{9c}",             // 8-bit CSI and OSC
    "f\x07\x08\x7f",                          // BEL, backspace, DEL
    "g\u{202e}h\u{2066}i",                    // bidi overrides
);

/// The first control byte (or bidi override) `text` holds, if any; newlines
/// and tabs are layout, not controls.
fn first_control(text: &str) -> Option<(usize, char)> {
    text.char_indices().find(|&(_, c)| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

#[track_caller]
fn assert_clean(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    if let Some((at, c)) = first_control(&text) {
        panic!("{what}: control {c:?} at byte {at} survived:\n{text:?}");
    }
}

fn hostile_playbook(name: &str) -> String {
    format!(
        r#"apiVersion: runbook/v1
kind: Playbook
metadata: {{ name: {name}, title: "T {h}" }}
params:
  - name: pod
    description: "P {h}"
start: a
steps:
  - id: a
    title: "A {h}"
    checklist: [ {{ text: "check {h}" }} ]
    next: b
  - id: b
    title: B
    outcome: resolved
"#,
        h = HOSTILE.escape_default()
    )
}

/// The same text with YAML's escapes: the playbook holds the raw bytes.
fn yaml_escaped(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || !c.is_ascii() || c == '\\' || c == '"' {
                format!("\\u{:04x}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn playbook_text() -> String {
    hostile_playbook("evil").replace(
        &HOSTILE.escape_default().to_string(),
        &yaml_escaped(HOSTILE),
    )
}

fn event(value: serde_json::Value) -> Event {
    serde_json::from_value(value).expect("an event")
}

/// A session whose alert, params and note hold the corpus, written through
/// the real journal.
fn hostile_session(data: &Path, id: &str) {
    let text = playbook_text();
    let pb: Playbook = serde_saphyr::from_str(&text).expect("the playbook parses");
    let mut session = Session::new(Arc::new(pb));
    let mut journal = FileJournal::create(data, id, &text).expect("create");
    let started = event(serde_json::json!({
        "type": "started",
        "playbook": "evil",
        "title": format!("T {HOSTILE}"),
        "hash": "h",
        "params": { "pod": HOSTILE },
        "context": HOSTILE,
        "namespace": HOSTILE,
        "user": HOSTILE,
        "host": "h",
        "alert": {
            "fingerprint": HOSTILE,
            "labels": { "alertname": HOSTILE, "pod": HOSTILE, HOSTILE: "v" },
            "annotations": { "summary": HOSTILE, HOSTILE: "w" },
            "generatorURL": format!("http://x/{HOSTILE}"),
        },
    }));
    let events = session.propose_start(started).expect("start");
    commit(&mut journal, &mut session, events);
    commit(
        &mut journal,
        &mut session,
        vec![event(serde_json::json!({
            "type": "note", "step": "a", "text": HOSTILE,
        }))],
    );
    commit(
        &mut journal,
        &mut session,
        vec![event(serde_json::json!({
            "type": "command", "step": "a", "argv": ["kubectl", HOSTILE],
            "exit_code": 1, "output_excerpt": HOSTILE,
        }))],
    );
    commit(
        &mut journal,
        &mut session,
        vec![event(serde_json::json!({
            "type": "api_write", "step": "a", "method": "PATCH",
            "path": format!("/api/v1/namespaces/shop/pods/{HOSTILE}"),
            "resource": "pods", "namespace": "shop", "name": HOSTILE,
            "status": 200, "by": HOSTILE,
        }))],
    );
}

fn commit(journal: &mut FileJournal, session: &mut Session, events: Vec<Event>) {
    let records = journal
        .append(session.next_seq(), jiff::Timestamp::now(), events)
        .expect("append");
    for r in records {
        session.apply(r).expect("apply");
    }
}

#[test]
fn no_output_of_any_command_carries_a_control_byte() {
    let data = tempfile::tempdir().expect("tempdir");
    let playbooks = data.path().join("playbooks");
    std::fs::create_dir_all(&playbooks).expect("mkdir");
    std::fs::write(playbooks.join("evil.yaml"), playbook_text()).expect("write");
    // A broken line holding the corpus: validate echoes the line it blames.
    let broken = format!(
        "apiVersion: runbook/v1\nkind: Playbook\nmetadata: {{ name: broken, title: x }}\nstart: a\nsteps: \"{}\"\n",
        yaml_escaped(HOSTILE)
    );
    let broken_raw = format!(
        "apiVersion: runbook/v1\nkind: Playbook\nmetadata: {{ name: raw, title: x }}\nstart: a\nsteps: [ {HOSTILE} ]\n"
    );
    let broken_path = data.path().join("broken.yaml");
    let raw_path = data.path().join("raw.yaml");
    std::fs::write(&broken_path, broken).expect("write");
    std::fs::write(&raw_path, broken_raw).expect("write");
    hostile_session(data.path(), "20261207-000000-evil-0001");
    let json_file = data.path().join("export.json");
    let md_file = data.path().join("export.md");

    let with_playbooks = |args: &[&str]| {
        let mut cmd = std::process::Command::new(cli::bin());
        cmd.args(args)
            .env("RUNBOOK_DATA_DIR", data.path())
            .env("RUNBOOK_CONFIG_DIR", data.path().join("config"))
            .env("RUNBOOK_PLAYBOOKS", &playbooks)
            .env_remove("RUNBOOK_ALERTMANAGER_URL")
            .output()
            .expect("run runbook")
    };
    let runs: Vec<(String, std::process::Output)> = vec![
        ("list".into(), with_playbooks(&["list"])),
        (
            "validate evil".into(),
            with_playbooks(&["validate", "evil"]),
        ),
        (
            "validate broken".into(),
            runbook(
                data.path(),
                &["validate", broken_path.to_str().expect("utf8")],
                None,
            ),
        ),
        (
            "validate raw".into(),
            runbook(
                data.path(),
                &["validate", raw_path.to_str().expect("utf8")],
                None,
            ),
        ),
        ("sessions".into(), runbook(data.path(), &["sessions"], None)),
        (
            "sessions --json".into(),
            runbook(data.path(), &["sessions", "--json"], None),
        ),
        (
            "export".into(),
            runbook(data.path(), &["export", "20261207"], None),
        ),
        (
            "export --full".into(),
            runbook(data.path(), &["export", "20261207", "--full"], None),
        ),
        (
            "export json".into(),
            runbook(
                data.path(),
                &["export", "20261207", "--format", "json"],
                None,
            ),
        ),
        (
            "export json -o".into(),
            runbook(
                data.path(),
                &[
                    "export",
                    "20261207",
                    "--format",
                    "json",
                    "-o",
                    json_file.to_str().expect("utf8"),
                ],
                None,
            ),
        ),
        (
            "export -o".into(),
            runbook(
                data.path(),
                &["export", "20261207", "-o", md_file.to_str().expect("utf8")],
                None,
            ),
        ),
        (
            "export unknown".into(),
            runbook(data.path(), &["export", HOSTILE], None),
        ),
        (
            "resume unknown".into(),
            runbook(data.path(), &["resume", HOSTILE], None),
        ),
        (
            "drill unknown".into(),
            runbook(data.path(), &["drill", HOSTILE], None),
        ),
        (
            "run unknown".into(),
            runbook(data.path(), &["run", HOSTILE], None),
        ),
        (
            "unknown flag".into(),
            runbook(data.path(), &[HOSTILE], None),
        ),
        (
            "bad value".into(),
            runbook(data.path(), &["export", "x", "--format", HOSTILE], None),
        ),
    ];
    for (what, out) in &runs {
        assert_clean(&format!("`runbook {what}` stdout"), &out.stdout);
        assert_clean(&format!("`runbook {what}` stderr"), &out.stderr);
    }
    // The doors were open: the corpus reached each output as text.
    let text = |what: &str| {
        let (_, out) = runs.iter().find(|(w, _)| w == what).expect("ran");
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    assert!(text("list").contains("T abcLdefghi"), "{}", text("list"));
    assert!(text("export").contains("Labels:"), "{}", text("export"));
    assert!(text("export").contains("abcLdefghi"), "{}", text("export"));
    assert!(
        text("validate raw").contains("raw.yaml:5:"),
        "{}",
        text("validate raw")
    );
    let json: serde_json::Value =
        serde_json::from_str(&text("export json")).expect("the JSON export parses");
    let records = json["records"].as_array().expect("records");
    let note = records
        .iter()
        .find(|r| r["type"] == "note")
        .expect("the note is exported");
    assert_eq!(
        note["text"], "abcLdefghi",
        "JSON string values are sanitized"
    );
    for file in [&json_file, &md_file] {
        let bytes = std::fs::read(file).expect("the export was written");
        assert_clean(&file.display().to_string(), &bytes);
    }
}
