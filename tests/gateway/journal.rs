//! The app's side: every write the gateway reports is journaled at once,
//! even while another journal write is in flight; the journal actor numbers
//! them in the order they were asked for, so none shares a number.

use std::sync::Arc;

use runbook::app::model::{Effect, Msg, State};
use runbook::app::update;
use runbook::engine::{Event, Session};

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
        refused: None,
        context: None,
        server: None,
    }
}

fn journaled(effects: &[Effect]) -> Vec<(u64, Vec<Event>)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Journal { id, events } => Some((*id, events.clone())),
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
            alert: None,
            read_only: false,
            read_only_contexts: Vec::new(),
        })
        .expect("start");
    for r in sink.append(1, at(0), start).expect("append") {
        session.apply(r).expect("apply");
    }
    let mut state = State::new(
        session,
        runbook::tui::theme::Theme::new(true, true, None),
        at(0),
        "s".into(),
    );

    let mut refused = write("c");
    refused.status = 403;
    refused.refused = Some("read-only session".into());
    let third = journaled(&update(&mut state, Msg::ApiWrite(Box::new(refused))));
    assert_eq!(third.len(), 1, "journaled at once");
    assert!(
        matches!(&third[0].1[..], [Event::Refused { name: Some(n), reason, by, .. }] if n == "c" && reason == "read-only session" && by == "kubectl delete pod"),
        "{third:?}"
    );
    let first = journaled(&update(&mut state, Msg::ApiWrite(Box::new(write("a")))));
    assert_eq!(first.len(), 1, "journaled at once");
    assert!(
        matches!(&first[0].1[0], Event::ApiWrite { name: Some(n), by, .. } if n == "a" && by == "kubectl delete pod")
    );
    assert!(state.pending());
    // While that write is in flight, the next one goes out too.
    let second = journaled(&update(&mut state, Msg::ApiWrite(Box::new(write("b")))));
    assert_eq!(second.len(), 1);

    // The actor numbers them in order and answers in order.
    let mut seq = state.session.next_seq();
    for (id, events) in third.into_iter().chain(first).chain(second) {
        let records = sink.append(seq, at(1), events).expect("append");
        seq += records.len() as u64;
        update(
            &mut state,
            Msg::Journaled {
                id,
                result: Ok(records),
            },
        );
    }
    assert!(!state.pending());
    let names: Vec<(u64, Option<String>)> = state
        .session
        .records()
        .iter()
        .filter_map(|r| match &r.event {
            Event::ApiWrite { name, .. } => Some((r.seq, name.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(names, [(4, Some("a".into())), (5, Some("b".into()))]);
}
