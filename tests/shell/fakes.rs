//! Fake ports for the real `run()`: a journal whose writes can be held in
//! flight, commands and actions that finish when the test says, a cluster
//! whose answers wait for the test, and a probe of the state after every
//! message, so tests wait on state instead of sleeping.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use futures::StreamExt;
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use runbook::app::keymap::Mode;
use runbook::app::model::{Msg, State};
use runbook::app::ports::{Cancel, ClusterPort, CommandPort, CommandStart, Lines, Ports};
use runbook::cluster::actions::ActionRequest;
use runbook::engine::{Event, Record};
use runbook::exec::runner::{Finish, RunEvent};
use runbook::journal::{JournalError, MemorySink, Sink};
use runbook::kinds::rows::EventRow;
use tokio::sync::{mpsc, oneshot, watch};

pub const DEADLINE: Duration = Duration::from_secs(20);

/// The records on "disk", shared with the test.
#[derive(Clone, Default)]
pub struct Disk {
    pub records: Arc<Mutex<Vec<Record>>>,
    /// While true, writes wait (in flight) until released.
    held: Arc<(Mutex<bool>, Condvar)>,
}

impl Disk {
    pub fn hold(&self) {
        *self.held.0.lock().expect("lock") = true;
    }

    pub fn release(&self) {
        *self.held.0.lock().expect("lock") = false;
        self.held.1.notify_all();
    }

    pub fn records(&self) -> Vec<Record> {
        self.records.lock().expect("lock").clone()
    }
}

pub struct HeldSink {
    disk: Disk,
    inner: MemorySink,
}

impl HeldSink {
    pub fn new(disk: Disk, already: Vec<Record>) -> HeldSink {
        *disk.records.lock().expect("lock") = already.clone();
        HeldSink {
            disk,
            inner: MemorySink { records: already },
        }
    }
}

impl Sink for HeldSink {
    fn append(
        &mut self,
        first_seq: u64,
        at: jiff::Timestamp,
        events: Vec<Event>,
    ) -> Result<Vec<Record>, JournalError> {
        let (lock, cv) = &*self.disk.held;
        let mut held = lock.lock().expect("lock");
        while *held {
            held = cv.wait(held).expect("wait");
        }
        drop(held);
        let records = self.inner.append(first_seq, at, events)?;
        self.disk
            .records
            .lock()
            .expect("lock")
            .extend(records.iter().cloned());
        Ok(records)
    }
}

/// Queues of requests the test answers, oldest first.
type Waiting<T> = Arc<Mutex<VecDeque<T>>>;

/// Commands that run until the test finishes them.
#[derive(Clone, Default)]
pub struct Commands {
    pub started: Waiting<(Vec<String>, mpsc::Sender<RunEvent>)>,
    count: Arc<Mutex<usize>>,
}

impl Commands {
    /// Finishes the oldest running command with `exit_code`; false if none runs.
    pub async fn finish_one(&self, exit_code: i32) -> bool {
        let next = self.started.lock().expect("lock").pop_front();
        let Some((argv, events)) = next else {
            return false;
        };
        let _ = events
            .send(RunEvent::Line(format!("output of {}", argv.join(" "))))
            .await;
        let _ = events
            .send(RunEvent::Finished(Finish {
                exit_code: Some(exit_code),
                timed_out: false,
                cancelled: false,
                error: None,
                excerpt: format!("output of {}", argv.join(" ")),
                lines: 1,
                output_file: None,
                confined: None,
            }))
            .await;
        true
    }

    pub fn running(&self) -> usize {
        self.started.lock().expect("lock").len()
    }

    /// Commands started in all.
    pub fn total(&self) -> usize {
        *self.count.lock().expect("lock")
    }
}

impl CommandPort for Commands {
    fn start(&mut self, run: CommandStart, events: mpsc::Sender<RunEvent>) -> Cancel {
        *self.count.lock().expect("lock") += 1;
        self.started
            .lock()
            .expect("lock")
            .push_back((run.planned.argv.clone(), events));
        let started = self.started.clone();
        let argv = run.planned.argv;
        Box::new(move || {
            // A cancel ends it at once, as a killed process would.
            let mut list = started.lock().expect("lock");
            if let Some(i) = list.iter().position(|(a, _)| *a == argv) {
                let (_, events) = list.remove(i).expect("present");
                let _ = events.try_send(RunEvent::Finished(Finish {
                    exit_code: None,
                    timed_out: false,
                    cancelled: true,
                    error: None,
                    excerpt: String::new(),
                    lines: 0,
                    output_file: None,
                    confined: None,
                }));
            }
        })
    }
}

/// A cluster whose detail answers and actions wait for the test; dry runs
/// answer at once.
#[derive(Clone, Default)]
pub struct Cluster {
    pub details: Waiting<(String, oneshot::Sender<Lines>)>,
    pub actions: Waiting<(String, oneshot::Sender<Result<String, String>>)>,
    executed: Arc<Mutex<usize>>,
}

impl Cluster {
    /// Answers the detail request for `name` with `text`.
    pub fn answer_detail(&self, name: &str, text: &str) -> bool {
        let mut list = self.details.lock().expect("lock");
        let Some(i) = list.iter().position(|(n, _)| n == name) else {
            return false;
        };
        let (_, tx) = list.remove(i).expect("present");
        tx.send(Ok(vec![text.to_string()])).is_ok()
    }

    /// Finishes the oldest running action; false if none runs.
    pub fn finish_action(&self) -> bool {
        let next = self.actions.lock().expect("lock").pop_front();
        match next {
            Some((target, tx)) => tx.send(Ok(format!("{target} done"))).is_ok(),
            None => false,
        }
    }

    pub fn actions_running(&self) -> usize {
        self.actions.lock().expect("lock").len()
    }

    /// Actions started in all.
    pub fn total_actions(&self) -> usize {
        *self.executed.lock().expect("lock")
    }
}

impl ClusterPort for Cluster {
    fn detail(
        &self,
        _kind: &'static str,
        _namespace: String,
        name: String,
        _events: Vec<EventRow>,
        _now: i64,
    ) -> BoxFuture<'static, Lines> {
        let (tx, rx) = oneshot::channel();
        self.details.lock().expect("lock").push_back((name, tx));
        Box::pin(async move { rx.await.unwrap_or_else(|_| Err("dropped".into())) })
    }

    fn logs(&self, _: String, _: String, _: bool) -> BoxFuture<'static, Lines> {
        Box::pin(async { Ok(vec!["a log line".to_string()]) })
    }

    fn follow(
        &self,
        _: String,
        _: String,
    ) -> BoxFuture<'static, Result<BoxStream<'static, Lines>, String>> {
        Box::pin(async { Ok(futures::stream::pending().boxed()) })
    }

    fn action(
        &self,
        request: ActionRequest,
        execute: bool,
        _read_only: bool,
        _report: runbook::cluster::drain::Reporter,
    ) -> BoxFuture<'static, Result<String, String>> {
        if !execute {
            let text = format!("{} would be changed", request.target);
            return Box::pin(async move { Ok(text) });
        }
        *self.executed.lock().expect("lock") += 1;
        let (tx, rx) = oneshot::channel();
        self.actions
            .lock()
            .expect("lock")
            .push_back((request.target.clone(), tx));
        Box::pin(async move { rx.await.unwrap_or_else(|_| Err("dropped".into())) })
    }
}

/// What the test can see of the state between messages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Probe {
    pub messages: u64,
    pub keys: u64,
    pub windows: Vec<Mode>,
    pub writing: bool,
    pub records: usize,
    pub quit: bool,
    pub detail_lines: Option<Vec<String>>,
    pub previews_answered: usize,
    /// The banner's text, if one is up.
    pub banner: Option<String>,
}

pub struct Shell {
    pub keys: mpsc::UnboundedSender<std::io::Result<TermEvent>>,
    pub msgs: mpsc::UnboundedSender<Msg>,
    pub probe: watch::Receiver<Probe>,
    pub disk: Disk,
    pub commands: Commands,
    pub cluster: Cluster,
    pub done: tokio::task::JoinHandle<(State, Terminal<TestBackend>)>,
    sent_keys: u64,
}

/// Starts the real loop on `state` with fake ports; `already` are the
/// records on disk before it starts.
pub fn start(state: State, already: Vec<Record>) -> Shell {
    start_with(state, already, |_| {})
}

/// As `start`, with more ports set by the test.
pub fn start_with(mut state: State, already: Vec<Record>, more: impl FnOnce(&mut Ports)) -> Shell {
    let disk = Disk::default();
    let commands = Commands::default();
    let cluster = Cluster::default();
    let (probe_tx, probe) = watch::channel(Probe::default());
    let (keys, key_rx) = mpsc::unbounded_channel();
    let (msgs, rx) = mpsc::unbounded_channel();
    let mut counted = Probe::default();
    let counter = Arc::new(Mutex::new(0u64));
    let taken = counter.clone();
    let mut ports = Ports::new(|| jiff::Timestamp::from_second(1_764_054_000).expect("t"));
    ports.commands = Box::new(commands.clone());
    ports.cluster = Box::new(cluster.clone());
    more(&mut ports);
    ports.observe = Some(Box::new(move |s: &State| {
        counted.messages += 1;
        // Keys taken from the input so far: the loop handles a key before
        // it takes anything else, so this is the count of keys handled.
        counted.keys = *taken.lock().expect("lock");
        counted.windows = s.overlays.iter().map(|o| o.mode()).collect();
        counted.writing = s.pending();
        counted.records = s.session.records().len();
        counted.quit = s.quit;
        counted.banner = s.banner.as_ref().map(|b| b.text.clone());
        counted.previews_answered = s
            .work
            .previews
            .values()
            .filter(|p| p.result.is_some())
            .count();
        counted.detail_lines = s.overlays.iter().rev().find_map(|o| match o {
            runbook::app::components::Overlay::Detail(v) => match &v.lines {
                Some(Ok(lines)) => Some(lines.clone()),
                _ => None,
            },
            _ => None,
        });
        let _ = probe_tx.send(counted.clone());
    }));
    let sink = Box::new(HeldSink::new(disk.clone(), already));
    let tx = msgs.clone();
    let seen = counter;
    // Count keys as the loop takes them, so a test can wait for a key to
    // have been handled.
    let input = tokio_stream::wrappers::UnboundedReceiverStream::new(key_rx).inspect(move |_| {
        *seen.lock().expect("lock") += 1;
    });
    let done = tokio::spawn(async move {
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
        runbook::app::run(
            &mut terminal,
            Box::pin(input),
            &mut state,
            sink,
            None,
            ports,
            tx,
            rx,
        )
        .await
        .expect("loop");
        (state, terminal)
    });
    Shell {
        keys,
        msgs,
        probe,
        disk,
        commands,
        cluster,
        done,
        sent_keys: 0,
    }
}

impl Shell {
    /// Waits until `ready` holds for the probe.
    pub async fn until(&mut self, what: &str, ready: impl Fn(&Probe) -> bool) -> Probe {
        let waited = tokio::time::timeout(DEADLINE, self.probe.wait_for(|p| ready(p)))
            .await
            .map(|r| r.map(|p| p.clone()));
        match waited {
            Ok(Ok(p)) => p,
            _ => panic!("never happened: {what}; last: {:?}", *self.probe.borrow()),
        }
    }

    pub fn press(&mut self, code: KeyCode) {
        self.chord(code, KeyModifiers::NONE);
    }

    pub fn chord(&mut self, code: KeyCode, modifiers: KeyModifiers) {
        self.sent_keys += 1;
        let _ = self
            .keys
            .send(Ok(TermEvent::Key(KeyEvent::new(code, modifiers))));
    }

    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.press(match c {
                '\n' => KeyCode::Enter,
                c => KeyCode::Char(c),
            });
        }
    }

    /// Waits until every key sent was handled and no journal write is in
    /// flight.
    pub async fn settle(&mut self) -> Probe {
        let sent = self.sent_keys;
        self.until("keys handled, nothing in flight", move |p| {
            p.keys >= sent && !p.writing
        })
        .await
    }

    pub async fn quit(self) -> (State, Terminal<TestBackend>, Vec<Record>) {
        let _ = self.msgs.send(Msg::Hangup("test over".into()));
        let (state, terminal) = tokio::time::timeout(DEADLINE, self.done)
            .await
            .expect("the loop ends")
            .expect("the loop task");
        let records = self.disk.records();
        (state, terminal, records)
    }
}
