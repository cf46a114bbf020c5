//! The app's side: a write the gateway reports is journaled at once, or
//! right after the journal write in flight, never beside it; a finished
//! command's record waits in the same queue.

use std::sync::Arc;

use runbook::app::state::{Effect, Msg, State};
use runbook::app::update;
use runbook::engine::{Event, Session};
use runbook::exec::runner::{Finish, RunEvent};
use runbook::journal::{MemorySink, Sink};

use super::*;

const PLAYBOOK: &str = r#"
apiVersion: runbook/v1
kind: Playbook
metadata: { name: p, title: P }
start: a
steps:
  - { id: a, title: A, outcome: resolved }
"#;

fn at(secs: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_764_054_000 + secs).expect("time")
}

fn write(name: &str) -> ApiWrite {
    ApiWrite {
        method: "DELETE".into(),
        path: format!("/api/v1/namespaces/shop/pods/{name}"),
        resource: Some("pods".into()),
        subresource: None,
        namespace: Some("shop".into()),
        name: Some(name.into()),
        status: 200,
        dry_run: false,
        by: "kubectl delete pod".into(),
    }
}

fn journaled(effects: &[Effect]) -> Vec<Vec<Event>> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Journal(events) => Some(events.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn writes_wait_for_the_journal_write_in_flight() {
    let playbook = serde_saphyr::from_str(PLAYBOOK).expect("playbook");
    let mut session = Session::new(Arc::new(playbook));
    let mut sink = MemorySink::default();
    let start = session
        .propose_start(Event::Started {
            playbook: "p".into(),
            title: "P".into(),
            hash: "0".repeat(64),
            params: Default::default(),
            context: None,
            namespace: None,
            user: "u".into(),
            host: "h".into(),
            drill: None,
        })
        .expect("start");
    for r in sink.append(1, at(0), start).expect("append") {
        session.apply(r).expect("apply");
    }
    let mut state = State::new(
        session,
        runbook::ui::theme::Theme::new(true, true, None),
        at(0),
        "s".into(),
    );
    state.command_running = true;

    let first = update(&mut state, Msg::ApiWrite(Box::new(write("a"))));
    let first = journaled(&first);
    assert_eq!(first.len(), 1, "journaled at once");
    assert!(
        matches!(&first[0][0], Event::ApiWrite { name: Some(n), by, .. } if n == "a" && by == "kubectl delete pod")
    );
    assert!(state.pending);

    // While that write is in flight, the next write and the command's end wait.
    assert_eq!(
        journaled(&update(&mut state, Msg::ApiWrite(Box::new(write("b"))))),
        Vec::<Vec<Event>>::new()
    );
    let finished = RunEvent::Finished(Finish {
        exit_code: Some(0),
        timed_out: false,
        cancelled: false,
        error: None,
        excerpt: "deleted".into(),
    });
    assert_eq!(
        journaled(&update(&mut state, Msg::Command(finished))),
        Vec::<Vec<Event>>::new()
    );

    let seq = state.session.next_seq();
    let records = sink.append(seq, at(1), first[0].clone()).expect("append");
    let next = journaled(&update(&mut state, Msg::Journaled(Ok(records))));
    assert_eq!(next.len(), 1, "{next:?}");
    assert!(matches!(&next[0][0], Event::ApiWrite { name: Some(n), .. } if n == "b"));
    assert!(matches!(&next[0][1], Event::Command { .. }));
    assert!(state.journal_after.is_empty());

    let seq = state.session.next_seq();
    let records = sink.append(seq, at(2), next[0].clone()).expect("append");
    assert_eq!(
        journaled(&update(&mut state, Msg::Journaled(Ok(records)))),
        Vec::<Vec<Event>>::new()
    );
    let kinds: Vec<&str> = state
        .session
        .records()
        .iter()
        .map(|r| match r.event {
            Event::ApiWrite { .. } => "api_write",
            Event::Command { .. } => "command",
            _ => "other",
        })
        .collect();
    // started, entered, then the writes and the command, in order.
    assert_eq!(
        kinds,
        ["other", "other", "api_write", "api_write", "command"]
    );
}
