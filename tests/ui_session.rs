//! Whole sessions through the real event loop: scripted keys into
//! TestBackend, the journal actor on a real sink.

#[path = "support/ui.rs"]
mod ui;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::{StreamExt, stream};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use runbook::app::{Msg, Ports, State, run};
use runbook::engine::{Event, Record, Session};
use runbook::journal::{self, FileJournal, JournalError, MemorySink, Sink};
use runbook::kinds::snapshot::Snapshot;
use runbook::playbook::Playbook;
use runbook::tui::theme::Theme;
use tokio::sync::mpsc;

const PLAYBOOK: &str = r#"
apiVersion: runbook/v1
kind: Playbook
metadata: { name: small, title: Small incident }
start: look
steps:
  - id: look
    title: Look
    checklist: [ { text: seen it }, { text: told the channel } ]
    next: decide
  - id: decide
    title: Decide
    choices:
      - { label: restart it, next: restart }
      - { label: escalate, next: escalate }
    commands: [ { run: kubectl get pods } ]
  - id: restart
    title: Restart
    checklist: [ { text: restarted } ]
    outcome: mitigated
  - id: escalate
    title: Escalate
    outcome: escalated
"#;

fn key(c: KeyCode) -> std::io::Result<TermEvent> {
    Ok(TermEvent::Key(KeyEvent::new(c, KeyModifiers::NONE)))
}

fn keys(text: &str) -> Vec<std::io::Result<TermEvent>> {
    text.chars()
        .map(|c| match c {
            '\n' => key(KeyCode::Enter),
            c => key(KeyCode::Char(c)),
        })
        .collect()
}

fn screen_text(terminal: &Terminal<TestBackend>) -> String {
    terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect()
}

fn new_session(sink: &mut dyn Sink) -> Session {
    let pb: Playbook = serde_saphyr::from_str(PLAYBOOK).expect("parses");
    let mut s = Session::new(Arc::new(pb));
    let events = s.propose_start(ui::started("small")).expect("start");
    for r in sink.append(1, ui::at(0), events).expect("append") {
        s.apply(r).expect("apply");
    }
    s
}

async fn drive(
    session: Session,
    sink: Box<dyn Sink>,
    input: Vec<std::io::Result<TermEvent>>,
) -> (State, Terminal<TestBackend>, Vec<String>, Vec<String>) {
    let mut state = State::new(session, Theme::default(), ui::at(0), "s".into());
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    let (tx, rx) = mpsc::unbounded_channel();
    let copied = Arc::new(Mutex::new(Vec::new()));
    let entered = Arc::new(Mutex::new(Vec::new()));
    let (c, e) = (copied.clone(), entered.clone());
    let ports = Ports {
        clock: Box::new(|| ui::at(60)),
        copy: Box::new(move |t| c.lock().expect("lock").push(t.to_string())),
        entered: Box::new(move |s| e.lock().expect("lock").push(s.to_string())),
        ..Ports::new(|| ui::at(60))
    };
    run(
        &mut terminal,
        stream::iter(input),
        &mut state,
        sink,
        None,
        ports,
        tx,
        rx,
    )
    .await
    .expect("loop");
    let copied = copied.lock().expect("lock").clone();
    let entered = entered.lock().expect("lock").clone();
    (state, terminal, copied, entered)
}

/// The real loop on an 80x24 TestBackend, the journal actor on `sink`,
/// until the input ends, the session quits, or the hang-up that
/// `hang_up_after` sends (on tokio's clock, paused in most tests).
async fn run_80x24<S>(
    state: &mut State,
    input: S,
    sink: Box<dyn Sink>,
    snapshots: Option<tokio::sync::watch::Receiver<Snapshot>>,
    ports: Ports,
    hang_up_after: Option<Duration>,
) -> (Terminal<TestBackend>, runbook::app::Stats)
where
    S: futures::Stream<Item = std::io::Result<TermEvent>> + Unpin,
{
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let (tx, rx) = mpsc::unbounded_channel();
    if let Some(after) = hang_up_after {
        let hangup = tx.clone();
        tokio::spawn(async move {
            tokio::time::sleep(after).await;
            let _ = hangup.send(Msg::Hangup("test over".into()));
        });
    }
    let stats = run(&mut terminal, input, state, sink, snapshots, ports, tx, rx)
        .await
        .expect("loop");
    (terminal, stats)
}

#[tokio::test]
async fn a_session_walked_by_keys_reaches_its_outcome_on_disk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut file = FileJournal::create(dir.path(), "s", PLAYBOOK).expect("journal");
    let session = new_session(&mut file);
    // confirm both items, advance, copy the command, pick choice 1,
    // confirm, and enter ends the session.
    let script = keys(" j \njjy1 \n");
    let (state, _, copied, entered) = drive(session, Box::new(file), script).await;
    assert_eq!(copied, ["kubectl get pods"]);
    assert_eq!(entered, ["decide", "restart"]);
    assert_eq!(
        state.session.outcome().map(|o| o.as_str()),
        Some("mitigated")
    );
    let loaded = journal::load_session(&dir.path().join("sessions/s")).expect("load");
    let types: Vec<String> = loaded
        .session
        .records()
        .iter()
        .map(|r| {
            serde_json::to_value(r).expect("json")["type"]
                .as_str()
                .expect("type")
                .to_string()
        })
        .collect();
    assert_eq!(
        types,
        [
            "started",
            "entered",
            "confirmed",
            "confirmed",
            "entered",
            "chose",
            "entered",
            "confirmed",
            "ended"
        ]
    );
}

#[tokio::test]
async fn an_override_needs_a_reason_and_is_journaled() {
    let mut sink = MemorySink::default();
    let session = new_session(&mut sink);
    let mut script = keys("\n");
    script.push(key(KeyCode::Enter)); // empty reason: refused
    script.extend(keys("pager is clear\n"));
    let (state, _, _, _) = drive(session, Box::new(sink), script).await;
    assert_eq!(state.session.current_id(), Some("decide"));
    assert_eq!(state.session.overrides()[0].reason, "pager is clear");
    assert_eq!(state.session.overrides()[0].items, [0, 1]);
}

struct Flaky {
    inner: MemorySink,
    fail_next: bool,
}

impl Sink for Flaky {
    fn append(
        &mut self,
        seq: u64,
        at: jiff::Timestamp,
        events: Vec<Event>,
    ) -> Result<Vec<Record>, JournalError> {
        if std::mem::take(&mut self.fail_next) {
            return Err(JournalError::Other("disk full".into()));
        }
        self.inner.append(seq, at, events)
    }
}

#[tokio::test]
async fn a_failed_write_shows_an_error_and_the_item_stays_unconfirmed() {
    let mut inner = MemorySink::default();
    let session = new_session(&mut inner);
    let sink = Flaky {
        inner,
        fail_next: true,
    };
    let (state, terminal, _, _) = drive(session, Box::new(sink), keys(" ")).await;
    assert!(!state.session.is_confirmed("look", 0));
    let screen = screen_text(&terminal);
    assert!(screen.contains("NOT SAVED"), "{screen}");
    // and the next try goes through
    let mut inner = MemorySink::default();
    let session = new_session(&mut inner);
    let sink = Flaky {
        inner,
        fail_next: true,
    };
    let (state, _, _, _) = drive(session, Box::new(sink), keys("  ")).await;
    assert!(state.session.is_confirmed("look", 0));
}

#[tokio::test(start_paused = true)]
async fn an_idle_screen_is_not_redrawn() {
    let mut sink = MemorySink::default();
    let session = new_session(&mut sink);
    let mut state = State::new(session, Theme::default(), ui::at(0), "s".into());
    // The clock stands still: thirty ticks change nothing on screen.
    let (_, stats) = run_80x24(
        &mut state,
        stream::pending(),
        Box::new(sink),
        None,
        Ports::new(|| ui::at(0)),
        Some(Duration::from_secs(30)),
    )
    .await;
    assert_eq!(
        stats.draws, 2,
        "the first frame and the one after the hang-up"
    );
}

#[tokio::test(start_paused = true)]
async fn a_running_clock_redraws_once_a_second() {
    let mut sink = MemorySink::default();
    let session = new_session(&mut sink);
    let mut state = State::new(session, Theme::default(), ui::at(0), "s".into());
    let start = tokio::time::Instant::now();
    let (_, stats) = run_80x24(
        &mut state,
        stream::pending(),
        Box::new(sink),
        None,
        Ports::new(move || ui::at(start.elapsed().as_secs() as i64)),
        Some(Duration::from_millis(10_500)),
    )
    .await;
    assert!((11..=13).contains(&stats.draws), "draws: {}", stats.draws);
}

#[tokio::test(start_paused = true)]
async fn a_key_is_drawn_at_once_even_inside_the_cluster_frame_budget() {
    let mut sink = MemorySink::default();
    let session = new_session(&mut sink);
    let mut state = State::new(session, Theme::default(), ui::at(0), "s".into());
    // The first snapshot arrives just after the first frame, so cluster
    // frames are held back for 100 ms; the key comes 10 ms in and the
    // session ends at 50 ms, before the budget runs out.
    let (_snapshots_tx, snapshots) = tokio::sync::watch::channel(Snapshot::default());
    let input = Box::pin(
        stream::once(async {
            tokio::time::sleep(Duration::from_millis(10)).await;
            key(KeyCode::Char('?'))
        })
        .chain(stream::pending()),
    );
    let (terminal, _) = run_80x24(
        &mut state,
        input,
        Box::new(sink),
        Some(snapshots),
        Ports::new(|| ui::at(0)),
        Some(Duration::from_millis(50)),
    )
    .await;
    let screen = screen_text(&terminal);
    assert!(screen.contains(" Keys "), "the help is on screen: {screen}");
}

#[tokio::test]
async fn a_hangup_while_writing_a_note_saves_the_note() {
    let mut sink = MemorySink::default();
    let session = new_session(&mut sink);
    let mut state = State::new(session, Theme::default(), ui::at(0), "s".into());
    let mut script = keys("n");
    script.extend(keys("kubelet restarted at 02:14"));
    // the input ends (the terminal went away) with the note open
    run_80x24(
        &mut state,
        stream::iter(script),
        Box::new(sink),
        None,
        Ports::new(|| ui::at(5)),
        None,
    )
    .await;
    assert_eq!(state.session.notes().len(), 1);
    assert_eq!(state.session.notes()[0].text, "kubelet restarted at 02:14");
}

/// A sink that says when a command's record is written.
struct Announcing {
    sink: MemorySink,
    journaled: tokio::sync::watch::Sender<bool>,
}

impl Sink for Announcing {
    fn append(
        &mut self,
        first_seq: u64,
        at: jiff::Timestamp,
        events: Vec<Event>,
    ) -> Result<Vec<Record>, JournalError> {
        let command = events.iter().any(|e| matches!(e, Event::Command { .. }));
        let written = self.sink.append(first_seq, at, events)?;
        if command {
            self.journaled.send_replace(true);
        }
        Ok(written)
    }
}

#[tokio::test]
async fn a_command_runs_without_a_shell_and_its_output_is_journaled() {
    let yaml = r#"
apiVersion: runbook/v1
kind: Playbook
metadata: { name: echo, title: Echo }
start: a
steps:
  - id: a
    title: A
    commands: [ { run: "echo hello $(id) 'two words'" } ]
    outcome: resolved
"#;
    let pb: Playbook = serde_saphyr::from_str(yaml).expect("parses");
    let mut sink = MemorySink::default();
    let mut s = Session::new(Arc::new(pb));
    let events = s.propose_start(ui::started("echo")).expect("start");
    for r in sink.append(1, ui::at(0), events).expect("append") {
        s.apply(r).expect("apply");
    }
    let mut state = State::new(s, Theme::default(), ui::at(0), "s".into());
    // r, then its name typed (runbook cannot tell what `echo` does to a
    // cluster); once the command's record is journaled, esc closes the
    // output (the deadline only bounds a hang).
    let (journaled, mut ran) = tokio::sync::watch::channel(false);
    let script = stream::iter(keys("recho\n")).chain(stream::once(async move {
        let finished = ran.wait_for(|done| *done);
        tokio::time::timeout(Duration::from_secs(30), finished)
            .await
            .expect("the command was never journaled")
            .expect("the sink is there");
        key(KeyCode::Esc)
    }));
    run_80x24(
        &mut state,
        Box::pin(script),
        Box::new(Announcing { sink, journaled }),
        None,
        Ports::new(|| ui::at(5)),
        None,
    )
    .await;
    let command = state
        .session
        .records()
        .iter()
        .find_map(|r| match &r.event {
            Event::Command {
                argv,
                exit_code,
                output_excerpt,
                ..
            } => Some((argv.clone(), *exit_code, output_excerpt.clone())),
            _ => None,
        })
        .expect("a command event");
    assert_eq!(command.0, ["echo", "hello", "$(id)", "two words"]);
    assert_eq!(command.1, Some(0));
    // Without a cluster gateway (none here) the command says why first.
    assert_eq!(
        command.2,
        "runbook: this session has no cluster gateway; this command cannot reach a cluster\nhello $(id) two words"
    );
}

#[tokio::test(start_paused = true)]
async fn the_first_frame_says_connecting_while_the_cluster_connects() {
    let mut sink = MemorySink::default();
    let session = new_session(&mut sink);
    let mut state = State::new(session, Theme::default(), ui::at(0), "s".into());
    let (_tx, snapshots) = tokio::sync::watch::channel(Snapshot {
        connection: runbook::kinds::snapshot::Connection::Connecting,
        ..Snapshot::default()
    });
    let (terminal, _) = run_80x24(
        &mut state,
        stream::iter(keys("\t")),
        Box::new(sink),
        Some(snapshots),
        Ports::new(|| ui::at(0)),
        None,
    )
    .await;
    let screen = screen_text(&terminal);
    assert!(!screen.contains("No cluster connected"), "{screen}");
    assert!(screen.contains("connecting"), "{screen}");
}
