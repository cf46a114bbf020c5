//! The real loop (`app::run`) with fake ports, driven through the
//! interleavings that used to lose or misfile an answer: a command ending
//! while a write is in flight, an action ending under the quit prompt, an
//! escalation falling due while a note is typed, a detail answer for an
//! object the responder has left. Tests wait on state, never on sleeps.

mod fakes;
mod random;

use std::sync::Arc;

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use runbook::app::keymap::Mode;
use runbook::app::model::{Msg, State};
use runbook::engine::{Event, Record, Session};
use runbook::journal::{MemorySink, Sink};
use runbook::kinds::rows::PodRow;
use runbook::kinds::snapshot::{Connection, ResourceState, Rows, Snapshot};
use runbook::playbook::Playbook;
use runbook::tui::theme::Theme;

pub const PLAYBOOK: &str = r#"
apiVersion: runbook/v1
kind: Playbook
metadata:
  name: shell
  title: Shell test
  escalation: [ { after: 1m, to: the incident commander } ]
start: look
steps:
  - id: look
    title: Look
    checklist: [ { text: seen it }, { text: told the channel, required: false } ]
    commands: [ { run: kubectl get pods } ]
    actions: [ { type: rollout-restart, target: deployment/checkout } ]
    choices:
      - { label: fix it, next: fix }
      - { label: give up, next: done }
  - id: fix
    title: Fix
    checklist: [ { text: fixed } ]
    commands: [ { run: kubectl get pods -o wide } ]
    next: done
  - id: done
    title: Done
    outcome: mitigated
"#;

pub fn t(secs: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_764_054_000 + secs).expect("time")
}

/// A started session and the records it started with.
pub fn session() -> (State, Vec<Record>) {
    let pb: Playbook = serde_saphyr::from_str(PLAYBOOK).expect("parses");
    let mut s = Session::new(Arc::new(pb));
    let started = Event::Started {
        playbook: "shell".into(),
        title: "Shell test".into(),
        hash: "0".repeat(64),
        params: [("namespace".to_string(), "shop".to_string())].into(),
        context: Some("test".into()),
        namespace: Some("shop".into()),
        user: "alice".into(),
        host: "bastion".into(),
        drill: None,
        alert: None,
        read_only: false,
        read_only_contexts: Vec::new(),
    };
    let events = s.propose_start(started).expect("start");
    let mut sink = MemorySink::default();
    let records = sink.append(1, t(0), events).expect("append");
    for r in &records {
        s.apply(r.clone()).expect("apply");
    }
    let state = State::new(s, Theme::default(), t(0), "shell-test".into());
    (state, records)
}

/// Sequence numbers from 1, strictly increasing, and a replay equal to the
/// session the loop ended with.
pub fn assert_record_is_whole(state: &State, records: &[Record]) {
    let seqs: Vec<u64> = records.iter().map(|r| r.seq).collect();
    let expected: Vec<u64> = (1..=records.len() as u64).collect();
    assert_eq!(seqs, expected, "sequence numbers");
    let replayed =
        Session::replay(state.session.playbook().clone(), records).expect("the journal replays");
    assert_eq!(
        replayed.records(),
        state.session.records(),
        "replay = screen"
    );
}

fn kinds(records: &[Record]) -> Vec<String> {
    records
        .iter()
        .map(|r| {
            serde_json::to_value(r).expect("json")["type"]
                .as_str()
                .expect("type")
                .to_string()
        })
        .collect()
}

#[tokio::test]
async fn a_command_ending_while_a_write_is_in_flight_gets_its_own_number() {
    let (state, already) = session();
    let mut shell = fakes::start(state, already);
    // select the command (item, item, choice, choice, command) and run it
    shell.type_text("jjjjry");
    shell.settle().await;
    assert_eq!(shell.commands.running(), 1);
    shell.press(KeyCode::Esc); // the output window closes; the command runs on
    shell.type_text("kkkk");
    shell.settle().await;
    // confirm an item while the disk holds the write in flight
    shell.disk.hold();
    shell.press(KeyCode::Char(' '));
    shell
        .until("the confirmation is in flight", |p| p.writing)
        .await;
    assert!(shell.commands.finish_one(0).await);
    // the command's record queues behind the held write
    shell.disk.release();
    shell
        .until("both written", |p| !p.writing && p.records == 4)
        .await;
    let (state, _, records) = shell.quit().await;
    assert_eq!(
        kinds(&records),
        ["started", "entered", "confirmed", "command"]
    );
    assert_record_is_whole(&state, &records);
}

#[tokio::test]
async fn an_action_ending_under_the_quit_prompt_is_journaled_and_its_window_reopens() {
    let (state, already) = session();
    let mut shell = fakes::start(state, already);
    shell.press(KeyCode::Char('a'));
    shell.press(KeyCode::Enter);
    shell.settle().await;
    shell
        .until("the dry run answered", |p| p.previews_answered == 1)
        .await;
    shell.type_text("checkout\n");
    shell.settle().await;
    assert_eq!(shell.cluster.actions_running(), 1);
    shell.press(KeyCode::Esc); // the progress window can always be closed
    shell.press(KeyCode::Char('q'));
    let p = shell.settle().await;
    assert_eq!(p.windows, [Mode::Quit]);
    assert!(shell.cluster.finish_action());
    let p = shell
        .until("the action is journaled", |p| p.records == 3)
        .await;
    assert_eq!(p.windows, [Mode::Quit], "the prompt stays where it was");
    shell.press(KeyCode::Char('n'));
    shell.press(KeyCode::Char('o'));
    let p = shell.settle().await;
    assert_eq!(p.windows, [Mode::ActionProgress]);
    let (state, terminal, records) = shell.quit().await;
    let screen: String = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(screen.contains("deployment/checkout done"), "{screen}");
    let action = records
        .iter()
        .find_map(|r| match &r.event {
            Event::Action {
                outcome, dry_run, ..
            } => Some((outcome.clone(), dry_run.clone())),
            _ => None,
        })
        .expect("an action record");
    assert_eq!(action.0, "deployment/checkout done");
    assert_eq!(action.1, "deployment/checkout would be changed");
    assert_record_is_whole(&state, &records);
}

#[tokio::test]
async fn an_escalation_falling_due_never_takes_the_keys_of_a_note() {
    let (state, already) = session();
    let mut shell = fakes::start(state, already);
    shell.press(KeyCode::Char('n'));
    shell.type_text("ye");
    shell.settle().await;
    let _ = shell.msgs.send(Msg::Tick(t(61)));
    shell
        .until("the tick is in", |p| p.windows == [Mode::Notes])
        .await;
    shell.type_text("s it restarted");
    shell.chord(KeyCode::Char('s'), KeyModifiers::CONTROL);
    let p = shell.settle().await;
    assert_eq!(
        p.windows,
        [Mode::Escalation],
        "the escalation opens once the note is saved"
    );
    let (state, _, records) = shell.quit().await;
    let notes: Vec<String> = records
        .iter()
        .filter_map(|r| match &r.event {
            Event::Note { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(notes, ["yes it restarted"]);
    assert!(
        !records
            .iter()
            .any(|r| matches!(r.event, Event::Escalated { .. })),
        "no key acknowledged the escalation"
    );
    assert_record_is_whole(&state, &records);
}

fn two_pods() -> Snapshot {
    let pod = |name: &str| PodRow {
        namespace: "shop".into(),
        name: name.into(),
        phase: "Running".into(),
        status: "Running".into(),
        ready_containers: 1,
        total_containers: 1,
        ..PodRow::default()
    };
    Snapshot {
        generation: 2,
        connection: Connection::Live,
        ..Snapshot::default()
    }
    .with::<runbook::kinds::pod::Pods>(Rows {
        state: ResourceState::Live,
        rows: Arc::new(vec![Arc::new(pod("web-a")), Arc::new(pod("web-b"))]),
    })
}

#[tokio::test]
async fn a_late_answer_for_another_object_never_fills_this_window() {
    let (state, already) = session();
    let mut shell = fakes::start(state, already);
    let _ = shell.msgs.send(Msg::Cluster(Box::new(two_pods())));
    shell.press(KeyCode::Tab);
    shell.press(KeyCode::Enter); // web-a, whose answer is slow
    shell.press(KeyCode::Esc);
    shell.press(KeyCode::Char('j'));
    shell.press(KeyCode::Enter); // web-b
    let p = shell.settle().await;
    assert_eq!(p.windows, [Mode::Detail]);
    assert!(shell.cluster.answer_detail("web-a", "Name: web-a"));
    assert!(shell.cluster.answer_detail("web-b", "Name: web-b"));
    let p = shell
        .until("web-b's answer is shown", |p| p.detail_lines.is_some())
        .await;
    assert_eq!(p.detail_lines, Some(vec!["Name: web-b".to_string()]));
    shell.quit().await;
}

#[tokio::test]
async fn a_hang_up_with_a_command_running_journals_its_end_and_leaves() {
    let (state, already) = session();
    let mut shell = fakes::start(state, already);
    shell.type_text("jjjjry");
    shell.settle().await;
    assert_eq!(shell.commands.running(), 1);
    let (state, _, records) = shell.quit().await;
    let ends: Vec<Option<i32>> = records
        .iter()
        .filter_map(|r| match &r.event {
            Event::Command { exit_code, .. } => Some(*exit_code),
            _ => None,
        })
        .collect();
    assert_eq!(ends, [None], "stopped by the hang-up, and on the record");
    assert_record_is_whole(&state, &records);
}

/// Issue 20: a bug the drill's simulator caught stops the simulation, not
/// the app: the responder is told, keeps the session, and is told how to
/// get the cluster back.
#[tokio::test]
async fn a_stopped_simulator_is_told_and_the_session_goes_on() {
    let (state, already) = session();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let mut shell = fakes::start_with(state, already, |ports| ports.sim_stopped = Some(rx));
    tx.send("simulator stopped: index out of bounds".to_string())
        .expect("send");
    let p = shell
        .until("the notice is up", |p| p.banner.is_some())
        .await;
    let banner = p.banner.unwrap_or_default();
    assert!(banner.contains("simulated cluster stopped"), "{banner}");
    assert!(banner.contains("index out of bounds"), "{banner}");
    assert!(banner.contains("runbook resume"), "{banner}");
    // Still answering keys: a note is written and journaled.
    shell.press(KeyCode::Char('n'));
    shell.type_text("still here");
    shell.chord(KeyCode::Char('s'), KeyModifiers::CONTROL);
    shell.settle().await;
    let (state, _, records) = shell.quit().await;
    assert!(
        records
            .iter()
            .any(|r| matches!(&r.event, Event::Note { text, .. } if text == "still here")),
        "the session went on"
    );
    assert_record_is_whole(&state, &records);
}
