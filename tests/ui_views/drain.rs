//! A drain under the responder's hand: journaled before it starts, one line
//! per pod however often a budget refuses it, `x` stops it, and the record
//! (and the export) holds the cordon time and each pod's outcome.

use super::*;
use runbook::cluster::drain::{PodState, Progress};
use runbook::engine::Event;
use runbook::engine::drain::PodOutcome;

const DRAIN: &str = r#"
apiVersion: runbook/v1
kind: Playbook
metadata: { name: drain, title: Drain }
params:
  - { name: node, required: true }
start: a
steps:
  - id: a
    title: A
    actions:
      - type: drain
        target: node/{{ node }}
        description: Drain the node
    outcome: resolved
"#;

/// Confirms the drain of node-b; returns the action's request id.
fn confirmed(d: &mut Driver) -> u64 {
    d.keys("a");
    d.key(KeyCode::Enter);
    let preview = d.last_request();
    d.send(Msg::ActionPreview {
        id: preview,
        result: Ok("node node-b would be cordoned; 3 pod(s) evicted".into()),
    });
    d.keys("node-b\n");
    d.last_request()
}

fn pod(d: &mut Driver, id: u64, pod: &str, state: PodState) {
    d.send(Msg::ActionProgress {
        id,
        progress: Progress::Pod {
            pod: pod.into(),
            state,
        },
    });
}

#[test]
fn a_drain_is_journaled_before_it_starts_shows_a_line_per_pod_and_stops_on_x() {
    let mut d = Driver::new(DRAIN, color());
    let id = confirmed(&mut d);
    let records = d.state.session.records().to_vec();
    assert!(
        matches!(
            &records.last().expect("a record").event,
            Event::ActionStarted { kind, target, .. } if kind == "drain" && target == "node/node-b"
        ),
        "{records:#?}"
    );
    assert!(
        d.effects
            .iter()
            .any(|e| matches!(e, Effect::ExecuteAction { id: a, .. } if *a == id)),
        "it runs once its start is durable"
    );
    d.send(Msg::ActionProgress {
        id,
        progress: Progress::Cordoned(Some(ui::at(60))),
    });
    d.send(Msg::ActionProgress {
        id,
        progress: Progress::Plan {
            pods: vec![
                "shop/web-1".into(),
                "shop/web-2".into(),
                "shop/batch-1".into(),
            ],
            left_in_place: vec!["shop/agent-1 (DaemonSet)".into()],
        },
    });
    pod(
        &mut d,
        id,
        "shop/batch-1",
        PodState::Done(PodOutcome::Evicted),
    );
    // The plan and each pod off the node are journaled as they happen: a
    // kill -9 now would still resume on "after 1 of 3 pods".
    let progress: Vec<&Event> = d
        .state
        .session
        .records()
        .iter()
        .map(|r| &r.event)
        .filter(|e| matches!(e, Event::DrainProgress { .. }))
        .collect();
    assert_eq!(progress.len(), 2, "{progress:#?}");
    let left = runbook::engine::drain::unfinished(d.state.session.records());
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0].done, Some((1, 3)), "{left:?}");
    assert!(
        left[0].sentence().contains("after 1 of 3 pods"),
        "{}",
        left[0].sentence()
    );
    for tries in 1..=30 {
        for name in ["shop/web-1", "shop/web-2"] {
            let pdb = Some("web".to_string());
            pod(&mut d, id, name, PodState::Retrying { pdb, tries });
        }
    }
    let screen = d.screen(100, 30);
    assert_eq!(
        screen
            .matches("shop/web-1: blocked by PodDisruptionBudget web; retrying (tried 30 times)")
            .count(),
        1,
        "one line per pod, updated in place:\n{screen}"
    );
    assert!(!screen.contains("tried 29 times"), "{screen}");
    assert!(screen.contains("shop/batch-1: evicted"), "{screen}");
    assert!(screen.contains("x stops the drain"), "{screen}");

    d.keys("x");
    assert!(
        d.effects
            .iter()
            .any(|e| matches!(e, Effect::StopAction(a) if *a == id)),
        "x asks the drain to stop"
    );
    for name in ["shop/web-1", "shop/web-2"] {
        pod(&mut d, id, name, PodState::Done(PodOutcome::Stopped));
    }
    d.send(Msg::ActionDone {
        id,
        result: Ok("drain of node-b stopped: evicted 1, 2 pod(s) not evicted; node-b stays cordoned (uncordon it to undo)".into()),
    });
    let drain = d
        .state
        .session
        .records()
        .iter()
        .find_map(|r| match &r.event {
            Event::Action { drain, .. } => drain.clone(),
            _ => None,
        })
        .expect("the action's record holds the drain");
    assert!(drain.stopped);
    assert_eq!(drain.cordoned_at, Some(ui::at(60)));
    let outcomes: Vec<(&str, &PodOutcome)> = drain
        .pods
        .iter()
        .map(|p| (p.pod.as_str(), &p.outcome))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("shop/web-1", &PodOutcome::Stopped),
            ("shop/web-2", &PodOutcome::Stopped),
            ("shop/batch-1", &PodOutcome::Evicted),
        ]
    );
    let export = runbook::journal::export::markdown("test", &d.state.session);
    assert!(
        export.contains("cordoned at 2025-11-25 07:01:00")
            && export.contains("shop/batch-1 evicted")
            && export.contains("shop/web-1 stopped"),
        "{export}"
    );
    assert!(
        !runbook::engine::drain::unfinished(d.state.session.records())
            .iter()
            .any(|_| true),
        "a stopped drain is not left half-done"
    );
}

#[test]
fn g_follows_the_end_of_a_long_drain() {
    let mut d = Driver::new(DRAIN, color());
    let id = confirmed(&mut d);
    let pods: Vec<String> = (0..60).map(|i| format!("shop/p-{i:02}")).collect();
    d.send(Msg::ActionProgress {
        id,
        progress: Progress::Plan {
            pods: pods.clone(),
            left_in_place: Vec::new(),
        },
    });
    let screen = d.screen(100, 30);
    assert!(
        screen.contains("shop/p-59: waiting"),
        "follows the end:\n{screen}"
    );
    d.keys("g");
    let screen = d.screen(100, 30);
    assert!(screen.contains("shop/p-00: waiting"), "{screen}");
    assert!(!screen.contains("shop/p-59"), "{screen}");
    d.keys("G");
    pod(&mut d, id, "shop/p-59", PodState::Done(PodOutcome::Evicted));
    let screen = d.screen(100, 30);
    assert!(screen.contains("shop/p-59: evicted"), "{screen}");
}

/// Appends records as if an earlier run of the session had written them.
fn earlier(d: &mut Driver, events: Vec<Event>) {
    let records = d
        .sink
        .append(d.next_seq, ui::at(10), events)
        .expect("append");
    d.next_seq += records.len() as u64;
    for r in records {
        d.state.session.apply(r).expect("apply");
    }
}

fn interrupted_after_two_of_five() -> Event {
    use runbook::engine::drain::{DrainPod, DrainRecord};
    let outcome = |i: usize| match i {
        0 | 1 => PodOutcome::Evicted,
        _ => PodOutcome::Stopped,
    };
    Event::Action {
        step: "a".into(),
        kind: "drain".into(),
        target: "node/node-b".into(),
        dry_run: String::new(),
        outcome: "unknown: interrupted: runbook quit while it ran".into(),
        context: None,
        server: None,
        drain: Some(Box::new(DrainRecord {
            cordoned_at: Some(ui::at(5)),
            pods: (0..5)
                .map(|i| DrainPod {
                    pod: format!("shop/p-{i}"),
                    outcome: outcome(i),
                })
                .collect(),
            interrupted: true,
            ..DrainRecord::default()
        })),
    }
}

fn drain_started() -> Event {
    Event::ActionStarted {
        step: "a".into(),
        kind: "drain".into(),
        target: "node/node-b".into(),
        context: None,
    }
}

#[test]
fn a_resumed_session_opens_on_the_half_done_drain_and_c_continues_it() {
    let mut d = Driver::new(DRAIN, color());
    earlier(
        &mut d,
        vec![drain_started(), interrupted_after_two_of_five()],
    );
    runbook::app::offer_unfinished(&mut d.state);
    let screen = d.screen(100, 30);
    assert!(
        screen.contains("drain of node-b interrupted after 2 of 5 pods; node-b is cordoned"),
        "{screen}"
    );
    d.keys("c");
    let request = d
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::ExecuteAction { request, .. } => Some(request.clone()),
            _ => None,
        })
        .expect("the drain runs again");
    assert_eq!(
        (request.kind.as_str(), request.target.as_str()),
        ("drain", "node/node-b")
    );
    assert!(matches!(
        d.state.session.records().last().map(|r| &r.event),
        Some(Event::ActionStarted { .. })
    ));
}

#[test]
fn after_a_crash_u_uncordons_the_node() {
    let mut d = Driver::new(DRAIN, color());
    // A crash: the start is journaled, its end never was.
    earlier(&mut d, vec![drain_started()]);
    runbook::app::offer_unfinished(&mut d.state);
    let screen = d.screen(100, 30);
    assert!(
        screen.contains("drain of node-b interrupted; node-b is cordoned"),
        "{screen}"
    );
    d.keys("u");
    let id = d.last_request();
    let request = d
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::ExecuteAction { request, .. } => Some(request.clone()),
            _ => None,
        })
        .expect("the uncordon runs");
    assert_eq!(request.kind.as_str(), "uncordon");
    d.send(Msg::ActionDone {
        id,
        result: Ok("node node-b uncordoned".into()),
    });
    assert!(runbook::engine::drain::unfinished(d.state.session.records()).is_empty());
}

/// Quitting (or a hang-up) mid-drain: once the grace is over the drain is
/// journaled as interrupted with how far it got, and that is what the next
/// `resume` opens on.
#[test]
fn quitting_mid_drain_journals_how_far_it_got_for_the_resume() {
    let mut d = Driver::new(DRAIN, color());
    let id = confirmed(&mut d);
    d.send(Msg::ActionProgress {
        id,
        progress: Progress::Cordoned(Some(ui::at(60))),
    });
    let pods: Vec<String> = (1..=5).map(|i| format!("shop/web-{i}")).collect();
    d.send(Msg::ActionProgress {
        id,
        progress: Progress::Plan {
            pods: pods.clone(),
            left_in_place: Vec::new(),
        },
    });
    pod(
        &mut d,
        id,
        "shop/web-1",
        PodState::Done(PodOutcome::Evicted),
    );
    pod(
        &mut d,
        id,
        "shop/web-2",
        PodState::Done(PodOutcome::Evicted),
    );
    pod(&mut d, id, "shop/web-3", PodState::Evicting);
    d.send(Msg::Hangup("SIGHUP".into()));
    d.send(Msg::QuitDeadline);
    let left = runbook::engine::drain::unfinished(d.state.session.records());
    assert_eq!(left.len(), 1, "{:#?}", d.state.session.records());
    assert_eq!(
        left[0].sentence(),
        "drain of node-b interrupted after 2 of 5 pods; node-b is cordoned"
    );
}
