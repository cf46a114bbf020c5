use std::sync::Arc;

use super::*;
use crate::journal::{MemorySink, Sink};
use crate::playbook::model::{Outcome, Playbook};

const PLAYBOOK: &str = r#"
apiVersion: runbook/v1
kind: Playbook
metadata: { name: t, title: T }
start: a
steps:
  - id: a
    title: A
    checklist:
      - text: must
      - text: optional
        required: false
    next: b
  - id: b
    title: B
    choices:
      - { label: to c, next: c }
      - { label: to d, next: d }
  - id: c
    title: C
    outcome: mitigated
  - id: d
    title: D
    checklist: [ { text: last } ]
    outcome: resolved
"#;

struct Harness {
    session: Session,
    sink: MemorySink,
    clock: i64,
}

impl Harness {
    fn new() -> Self {
        let pb: Playbook = serde_saphyr::from_str(PLAYBOOK).expect("test playbook parses");
        let mut h = Harness {
            session: Session::new(Arc::new(pb)),
            sink: MemorySink::default(),
            clock: 1_700_000_000,
        };
        let started = Event::Started {
            playbook: "t".into(),
            title: "T".into(),
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
        };
        let events = h.session.propose_start(started).expect("start");
        h.commit(events);
        h
    }

    fn commit(&mut self, events: Vec<Event>) {
        self.clock += 7;
        let at = jiff::Timestamp::from_second(self.clock).expect("valid time");
        let records = self
            .sink
            .append(self.session.next_seq(), at, events)
            .expect("memory sink");
        for r in records {
            self.session.apply(r).expect("apply");
        }
    }
}

#[test]
fn starts_on_the_start_step() {
    let h = Harness::new();
    assert_eq!(h.session.current_id(), Some("a"));
    assert_eq!(h.session.unconfirmed_required(), vec![0]);
}

#[test]
fn required_items_gate_advance_unless_overridden_with_a_reason() {
    let mut h = Harness::new();
    assert_eq!(
        h.session.propose_advance(None),
        Err(EngineError::Unconfirmed {
            count: 1,
            items: vec![0]
        })
    );
    assert_eq!(
        h.session.propose_advance(Some("  ")),
        Err(EngineError::EmptyReason)
    );
    let events = h
        .session
        .propose_advance(Some("pager says so"))
        .expect("override");
    assert!(matches!(events[0], Event::Overridden { .. }));
    h.commit(events);
    assert_eq!(h.session.current_id(), Some("b"));
    assert_eq!(h.session.overrides().len(), 1);
    assert_eq!(h.session.overrides()[0].reason, "pager says so");
}

#[test]
fn toggle_confirms_then_unconfirms() {
    let mut h = Harness::new();
    let e = h.session.propose_toggle(0).expect("toggle");
    assert!(matches!(e, Event::Confirmed { item: 0, .. }));
    h.commit(vec![e]);
    assert!(h.session.is_confirmed("a", 0));
    let e = h.session.propose_toggle(0).expect("toggle");
    assert!(matches!(e, Event::Unconfirmed { item: 0, .. }));
    h.commit(vec![e]);
    assert!(!h.session.is_confirmed("a", 0));
    assert!(h.session.propose_toggle(5).is_err());
}

#[test]
fn choices_branch_and_back_keeps_history() {
    let mut h = Harness::new();
    let e = h.session.propose_toggle(0).expect("toggle");
    h.commit(vec![e]);
    let e = h.session.propose_advance(None).expect("advance");
    h.commit(e);
    assert_eq!(
        h.session.propose_advance(None),
        Err(EngineError::ChoiceRequired)
    );
    let e = h.session.propose_choose(1).expect("choose");
    h.commit(e);
    assert_eq!(h.session.current_id(), Some("d"));
    let e = h.session.propose_back().expect("back");
    h.commit(vec![e]);
    assert_eq!(h.session.current_id(), Some("b"));
    assert_eq!(h.session.path(), ["a", "b"]);
    // every visit is kept, including the step backed out of
    let visited: Vec<&str> = h.session.visits().iter().map(|v| v.step.as_str()).collect();
    assert_eq!(visited, ["a", "b", "d", "b"]);
    let e = h.session.propose_choose(0).expect("choose");
    h.commit(e);
    assert_eq!(h.session.choices().len(), 2);
}

#[test]
fn advancing_from_an_outcome_step_ends_the_session() {
    let mut h = Harness::new();
    let e = h.session.propose_advance(Some("skip")).expect("advance");
    h.commit(e);
    let e = h.session.propose_choose(1).expect("choose");
    h.commit(e);
    assert!(
        h.session.propose_advance(None).is_err(),
        "checklist gates the end too"
    );
    let e = h.session.propose_toggle(0).expect("toggle");
    h.commit(vec![e]);
    let e = h.session.propose_advance(None).expect("end");
    h.commit(e);
    assert_eq!(h.session.outcome(), Some(Outcome::Resolved));
    assert_eq!(h.session.propose_toggle(0), Err(EngineError::Ended));
}

#[test]
fn replay_rebuilds_the_same_session() {
    let mut h = Harness::new();
    let e = h.session.propose_toggle(0).expect("toggle");
    h.commit(vec![e]);
    let e = h.session.propose_note("saw OOMKilled").expect("note");
    h.commit(vec![e]);
    let e = h.session.propose_advance(None).expect("advance");
    h.commit(e);
    let replayed =
        Session::replay(h.session.playbook().clone(), h.session.records()).expect("replay");
    assert_eq!(replayed.path(), h.session.path());
    assert_eq!(replayed.visits(), h.session.visits());
    assert_eq!(replayed.notes(), h.session.notes());
    assert!(replayed.is_confirmed("a", 0));
}

#[test]
fn apply_rejects_out_of_order_and_unknown_steps() {
    let mut h = Harness::new();
    let at = jiff::Timestamp::from_second(1).expect("time");
    let bad = Record {
        seq: 99,
        at,
        event: Event::Entered { step: "b".into() },
    };
    assert!(matches!(
        h.session.apply(bad),
        Err(EngineError::OutOfOrder { .. })
    ));
    let unknown = Record {
        seq: h.session.next_seq(),
        at,
        event: Event::Entered {
            step: "nope".into(),
        },
    };
    assert_eq!(
        h.session.apply(unknown),
        Err(EngineError::UnknownStep("nope".into()))
    );
}

#[test]
fn records_round_trip_through_json() {
    let h = Harness::new();
    for record in h.session.records() {
        let line = serde_json::to_string(record).expect("serialize");
        assert!(line.contains("\"type\":"), "{line}");
        let back: Record = serde_json::from_str(&line).expect("deserialize");
        assert_eq!(&back, record);
    }
}

fn started_read_only(read_only: bool) -> Event {
    Event::Started {
        playbook: "t".into(),
        title: "T".into(),
        hash: "h".into(),
        params: Default::default(),
        context: Some("prod-a".into()),
        namespace: None,
        user: "u".into(),
        host: "h".into(),
        drill: None,
        alert: None,
        read_only,
        read_only_contexts: vec!["prod-*".into()],
    }
}

fn replayed(records: Vec<Event>) -> Session {
    let pb: Playbook = serde_saphyr::from_str(PLAYBOOK).expect("test playbook parses");
    let at = jiff::Timestamp::from_second(1_700_000_000).expect("valid time");
    let records: Vec<Record> = records
        .into_iter()
        .enumerate()
        .map(|(i, event)| Record {
            seq: i as u64 + 1,
            at,
            event,
        })
        .collect();
    Session::replay(Arc::new(pb), &records).expect("replays")
}

#[test]
fn read_only_is_restored_from_the_record_and_never_turned_off() {
    let entered = Event::Entered { step: "a".into() };
    let s = replayed(vec![started_read_only(true), entered.clone()]);
    assert!(s.is_read_only());
    assert_eq!(
        s.propose_read_only_on("--read-only"),
        Ok(None),
        "on already"
    );
    let switch = s
        .propose_context_switch("staging", false, &["prod-*".to_string()])
        .expect("switch");
    assert!(
        matches!(
            switch,
            Event::ContextSwitched {
                read_only: true,
                ref read_only_contexts,
                ..
            } if read_only_contexts == &["prod-*"]
        ),
        "a switch keeps it on and records the patterns: {switch:?}"
    );

    let s = replayed(vec![started_read_only(false), entered]);
    assert!(!s.is_read_only());
    let on = s
        .propose_read_only_on("--read-only")
        .expect("proposal")
        .expect("turns it on");
    let s = replayed(vec![
        started_read_only(false),
        Event::Entered { step: "a".into() },
        on,
    ]);
    assert!(s.is_read_only());
}

#[test]
fn a_switch_into_a_read_only_context_makes_the_session_read_only() {
    let s = replayed(vec![
        started_read_only(false),
        Event::Entered { step: "a".into() },
        Event::ContextSwitched {
            from: Some("prod-a".into()),
            to: "prod-b".into(),
            read_only: true,
            read_only_contexts: vec!["prod-b".into()],
        },
        Event::ContextSwitched {
            from: Some("prod-b".into()),
            to: "staging".into(),
            read_only: false,
            read_only_contexts: Vec::new(),
        },
    ]);
    assert!(s.is_read_only(), "sticky across a later switch");
    assert_eq!(s.contexts(), ["prod-a", "prod-b", "staging"]);
    assert_eq!(s.context(), Some("staging"));
}

#[test]
fn journals_written_before_read_only_was_recorded_still_read() {
    let old = r#"{"seq":1,"at":"2025-11-25T07:00:00Z","type":"started","playbook":"t","title":"T","hash":"h","params":{},"context":"prod-a","user":"u","host":"h"}"#;
    let switch = r#"{"seq":3,"at":"2025-11-25T07:00:09Z","type":"context_switched","from":"prod-a","to":"prod-b"}"#;
    let started: Record = serde_json::from_str(old).expect("old started parses");
    assert!(matches!(
        &started.event,
        Event::Started { read_only: false, read_only_contexts, .. } if read_only_contexts.is_empty()
    ));
    let switched: Record = serde_json::from_str(switch).expect("old switch parses");
    assert!(matches!(
        switched.event,
        Event::ContextSwitched {
            read_only: false,
            ..
        }
    ));
    let line = serde_json::to_string(&Record {
        seq: 1,
        at: started.at,
        event: started_read_only(true),
    })
    .expect("json");
    assert!(line.contains(r#""read_only":true"#), "{line}");
    assert!(
        line.contains(r#""read_only_contexts":["prod-*"]"#),
        "{line}"
    );
}
