//! UI work without a cluster: time to the first walkthrough frame, a key
//! press to its frame, memory, and frames with 100,000 pods in the panes.
//! Run: `cargo bench --bench ui`. Figures go to docs/performance.md.

#[path = "support/pty_run.rs"]
mod pty_run;

use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use runbook::app::model::{Effect, Msg, State};
use runbook::app::update;
use runbook::checks::CheckJob;
use runbook::engine::{Event, Session};
use runbook::journal::{MemorySink, Sink};
use runbook::kinds::event::Events;
use runbook::kinds::pod::Pods;
use runbook::kinds::rows::{ContainerRow, PodRow};
use runbook::kinds::snapshot::{Connection, ResourceState, Rows, Snapshot};
use runbook::tui::theme::Theme;

const PLAYBOOK: &str = include_str!("../playbooks/pod-crashloop.yaml");

fn at() -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_764_054_000).expect("time")
}

fn new_state(sink: &mut MemorySink) -> State {
    let pb = runbook::playbook::parse(PLAYBOOK, std::path::Path::new("pod-crashloop.yaml"))
        .expect("parses");
    let mut s = Session::new(Arc::new(pb));
    let started = Event::Started {
        playbook: "pod-crashloop".into(),
        title: "t".into(),
        hash: String::new(),
        params: [
            ("namespace".to_string(), "shop".to_string()),
            ("deployment".to_string(), "checkout".to_string()),
        ]
        .into(),
        context: None,
        namespace: None,
        user: "u".into(),
        host: "h".into(),
        drill: None,
        alert: None,
        read_only: false,
        read_only_contexts: Vec::new(),
    };
    let events = s.propose_start(started).expect("start");
    for r in sink.append(1, at(), events).expect("append") {
        s.apply(r).expect("apply");
    }
    State::new(s, Theme::default(), at(), "bench".into())
}

fn send(state: &mut State, sink: &mut MemorySink, msg: Msg) {
    let mut queue = vec![msg];
    while let Some(m) = queue.pop() {
        for e in update(state, m) {
            if let Effect::Journal { id, events } = e {
                let result = sink
                    .append(state.session.next_seq(), at(), events)
                    .map_err(|e| e.to_string());
                queue.push(Msg::Journaled { id, result });
            }
        }
    }
}

fn stats(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let p = |q: f64| samples[((samples.len() as f64 - 1.0) * q) as usize];
    println!(
        "{name:<48} median {:>9.3} ms   p99 {:>9.3} ms   ({} runs)",
        p(0.5).as_secs_f64() * 1e3,
        p(0.99).as_secs_f64() * 1e3,
        samples.len()
    );
}

fn rss_kib(field: &str) -> u64 {
    pty_run::status_kib(std::process::id(), field)
}

fn pods(n: usize) -> Snapshot {
    let rows: Vec<Arc<PodRow>> = (0..n)
        .map(|i| {
            Arc::new(PodRow {
                namespace: "shop".into(),
                name: format!("checkout-6d8f9c7b5-{i:06}").into(),
                node: Some(format!("node-{:04}", i % 5000).into()),
                phase: "Running".into(),
                status: if i % 97 == 0 {
                    "CrashLoopBackOff".into()
                } else {
                    "Running".into()
                },
                ready_containers: 1,
                total_containers: 1,
                restarts: (i % 7) as u32,
                labels: [("app".to_string(), "checkout".to_string())].into(),
                containers: Box::new([ContainerRow {
                    name: "app".into(),
                    ..ContainerRow::default()
                }]),
                ..PodRow::default()
            })
        })
        .collect();
    Snapshot {
        generation: 1,
        connection: Connection::Live,
        ..Snapshot::default()
    }
    .with::<Pods>(Rows {
        state: ResourceState::Live,
        rows: Arc::new(rows),
    })
}

fn main() {
    // First frame: parse, start the session, build the state, draw.
    let mut samples = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        let mut sink = MemorySink::default();
        let state = new_state(&mut sink);
        let mut term = Terminal::new(TestBackend::new(160, 48)).expect("terminal");
        term.draw(|f| runbook::ui::view(&state, f)).expect("draw");
        samples.push(t.elapsed());
    }
    stats("first frame of the walkthrough (160x48)", samples);

    // A key press to its frame.
    let mut sink = MemorySink::default();
    let mut state = new_state(&mut sink);
    let mut term = Terminal::new(TestBackend::new(160, 48)).expect("terminal");
    let mut samples = Vec::new();
    for i in 0..2000 {
        let code = if i % 2 == 0 {
            KeyCode::Char('j')
        } else {
            KeyCode::Char('k')
        };
        let t = Instant::now();
        send(
            &mut state,
            &mut sink,
            Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        );
        term.draw(|f| runbook::ui::view(&state, f)).expect("draw");
        samples.push(t.elapsed());
    }
    stats("key press (j/k) to frame (160x48)", samples);
    let mut samples = Vec::new();
    for _ in 0..500 {
        let t = Instant::now();
        send(
            &mut state,
            &mut sink,
            Msg::Key(KeyEvent::new(KeyCode::Char(' '), KeyModifiers::NONE)),
        );
        term.draw(|f| runbook::ui::view(&state, f)).expect("draw");
        samples.push(t.elapsed());
    }
    stats("key press (space, journaled in memory) to frame", samples);
    println!(
        "resident memory without a cluster: {} KiB (peak {} KiB)",
        rss_kib("VmRSS:"),
        rss_kib("VmHWM:")
    );

    // Frames with 100,000 pods: only visible rows are drawn.
    let snap = pods(100_000);
    send(&mut state, &mut sink, Msg::Cluster(Box::new(snap)));
    let mut samples = Vec::new();
    for i in 0..200 {
        let code = if i % 2 == 0 {
            KeyCode::Char('j')
        } else {
            KeyCode::Char('k')
        };
        let t = Instant::now();
        send(
            &mut state,
            &mut sink,
            Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        );
        term.draw(|f| runbook::ui::view(&state, f)).expect("draw");
        samples.push(t.elapsed());
    }
    stats("key press to frame, 100,000 pods in the panes", samples);
    // A new snapshot reaches the loop: the loop only hands the checks to a
    // worker (one job in flight), so the frame does not wait for them.
    // As the store publishes it: the same rows (Arcs) as before but for a
    // hundred that changed.
    let base = pods(100_000);
    let mut samples = Vec::new();
    for g in 0..20 {
        let mut rows: Vec<Arc<PodRow>> = base.rows::<Pods>().rows.iter().cloned().collect();
        for (i, row) in rows.iter_mut().enumerate().skip(g as usize).step_by(1000) {
            let mut changed = (**row).clone();
            changed.restarts += 1 + i as u32 % 3;
            *row = Arc::new(changed);
        }
        let mut snap = base.clone();
        snap.generation = 100 + g;
        snap.set::<Pods>(Rows {
            state: ResourceState::Live,
            rows: Arc::new(rows),
        });
        let t = Instant::now();
        send(&mut state, &mut sink, Msg::Cluster(Box::new(snap)));
        term.draw(|f| runbook::ui::view(&state, f)).expect("draw");
        samples.push(t.elapsed());
    }
    stats(
        "new snapshot (100 of 100,000 pods changed) to frame",
        samples,
    );

    // The worker's side: pod-crashloop's six checks over 100,000 pods, and
    // again when only the events changed (checks reading pods keep theirs).
    let checks = state.checks.clone();
    let params = state.session.params().clone();
    let scope = state.scope.clone();
    let job = |snapshot: Snapshot, previous| CheckJob {
        checks: checks.clone(),
        snapshot,
        scope: scope.clone(),
        params: params.clone(),
        now: at().as_second(),
        previous,
    };
    let snap = pods(100_000);
    let mut samples = Vec::new();
    let mut last = None;
    for _ in 0..3 {
        let t = Instant::now();
        last = Some(Arc::new(job(snap.clone(), None).run()));
        samples.push(t.elapsed());
    }
    stats("check job: 6 checks over 100,000 pods (worker)", samples);
    let mut samples = Vec::new();
    for g in 0..20 {
        let mut next = snap.clone();
        next.generation = 1_000 + g;
        next.set::<Events>(Rows {
            state: ResourceState::Live,
            rows: Arc::new(Vec::new()),
        });
        let t = Instant::now();
        let evaluated = job(next, last.clone()).run();
        samples.push(t.elapsed());
        assert!(evaluated.ran < 6, "pods-only checks were kept");
    }
    stats("check job when only events changed (worker)", samples);
}
