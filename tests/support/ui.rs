//! Drives the app's `update` directly, executing journal effects through a
//! sink synchronously, so tests can reach any screen.

use std::sync::Arc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use runbook::app::model::{Effect, Msg, State};
use runbook::app::update;
use runbook::engine::{Event, Session};
use runbook::journal::{MemorySink, Sink};
use runbook::playbook::Playbook;
use runbook::tui::theme::Theme;

pub const T0: i64 = 1_764_054_000;

pub fn at(secs: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(T0 + secs).expect("valid time")
}

pub fn started(name: &str) -> Event {
    Event::Started {
        playbook: name.into(),
        title: name.into(),
        hash: "0".repeat(64),
        params: [
            ("namespace".to_string(), "shop".to_string()),
            ("deployment".to_string(), "checkout".to_string()),
            ("node".to_string(), "node-b".to_string()),
        ]
        .into(),
        context: Some("drill".into()),
        namespace: Some("shop".into()),
        user: "alice".into(),
        host: "bastion".into(),
        drill: None,
        alert: None,
        read_only: false,
        read_only_contexts: Vec::new(),
    }
}

#[allow(dead_code)]
pub struct Driver {
    pub state: State,
    pub sink: Box<dyn Sink>,
    pub clock: i64,
    pub copied: Vec<String>,
    /// Contexts the loop was asked to switch to.
    pub switched: Vec<String>,
    /// Effects other than journal writes, copies and switches, in order.
    pub effects: Vec<Effect>,
    /// The next sequence number, as the journal actor would number it.
    pub next_seq: u64,
}

#[allow(dead_code)]
impl Driver {
    pub fn new(playbook_yaml: &str, theme: Theme) -> Driver {
        Driver::with_sink(playbook_yaml, theme, Box::new(MemorySink::default()))
    }

    pub fn with_sink(playbook_yaml: &str, theme: Theme, sink: Box<dyn Sink>) -> Driver {
        let pb: Playbook = serde_saphyr::from_str(playbook_yaml).expect("test playbook parses");
        let name = pb.name().to_string();
        Driver::starting(playbook_yaml, theme, sink, started(&name))
    }

    /// A session whose start record is `start` (an alert in it, say).
    pub fn starting(
        playbook_yaml: &str,
        theme: Theme,
        mut sink: Box<dyn Sink>,
        start: Event,
    ) -> Driver {
        let pb: Playbook = serde_saphyr::from_str(playbook_yaml).expect("test playbook parses");
        let mut session = Session::new(Arc::new(pb));
        let events = session.propose_start(start).expect("start");
        if let Ok(records) = sink.append(1, at(0), events) {
            for r in records {
                session.apply(r).expect("apply");
            }
        }
        let next_seq = session.next_seq();
        let state = State::new(session, theme, at(0), "20251125-070000-test-0001".into());
        Driver {
            state,
            sink,
            clock: 0,
            copied: Vec::new(),
            switched: Vec::new(),
            effects: Vec::new(),
            next_seq,
        }
    }

    pub fn send(&mut self, msg: Msg) {
        let mut queue = vec![msg];
        while let Some(msg) = queue.pop() {
            for effect in update(&mut self.state, msg) {
                match effect {
                    Effect::Journal { id, events } => {
                        self.clock += 30;
                        let result = self
                            .sink
                            .append(self.next_seq, at(self.clock), events)
                            .map_err(|e| e.to_string());
                        if let Ok(records) = &result {
                            self.next_seq += records.len() as u64;
                        }
                        queue.push(Msg::Journaled { id, result });
                    }
                    Effect::Copy(text) => self.copied.push(text),
                    Effect::SwitchContext(context) => self.switched.push(context),
                    // Run where the loop would hand it to a worker.
                    Effect::EvaluateChecks { id, job } => queue.push(Msg::Checked {
                        id,
                        evaluated: Box::new(job.run()),
                    }),
                    other => self.effects.push(other),
                }
            }
        }
    }

    /// The request id of the last effect that will be answered (a fetch,
    /// a command, an action or its dry run).
    pub fn last_request(&self) -> u64 {
        self.effects
            .iter()
            .rev()
            .find_map(|e| match e {
                Effect::FetchDetail { id, .. }
                | Effect::FetchLogs { id, .. }
                | Effect::FollowLogs { id, .. }
                | Effect::RunCommand { id, .. }
                | Effect::PreviewAction { id, .. }
                | Effect::ExecuteAction { id, .. } => Some(*id),
                _ => None,
            })
            .expect("a request was made")
    }

    pub fn key(&mut self, code: KeyCode) {
        self.send(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    pub fn ctrl(&mut self, c: char) {
        self.send(Msg::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::CONTROL,
        )));
    }

    pub fn keys(&mut self, text: &str) {
        for c in text.chars() {
            let code = match c {
                '\n' => KeyCode::Enter,
                c => KeyCode::Char(c),
            };
            self.key(code);
        }
    }

    pub fn tick(&mut self, secs: i64) {
        self.send(Msg::Tick(at(secs)));
    }

    pub fn render(&mut self, width: u16, height: u16) -> Terminal<TestBackend> {
        self.state.size = (width, height);
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
        terminal
            .draw(|f| runbook::ui::view(&self.state, f))
            .expect("draw");
        terminal
    }

    pub fn screen(&mut self, width: u16, height: u16) -> String {
        let terminal = self.render(width, height);
        let buffer = terminal.backend().buffer().clone();
        let mut out = String::new();
        for y in 0..height {
            let line: String = (0..width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect();
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}
