use std::sync::Arc;

use super::*;
use crate::engine::{Record, Session};
use crate::playbook::model::Playbook;

const PLAYBOOK: &str = r#"apiVersion: runbook/v1
kind: Playbook
metadata: { name: demo, title: Demo incident }
start: look
steps:
  - id: look
    title: Look at the pods
    next: fix
  - id: fix
    title: Fix it
    outcome: mitigated
"#;

fn t(secs: i64) -> Timestamp {
    Timestamp::from_second(1_764_054_000 + secs).expect("valid time")
}

struct Walk {
    session: Session,
    clock: i64,
}

impl Walk {
    fn new(drill: bool) -> Walk {
        let pb: Playbook = serde_saphyr::from_str(PLAYBOOK).expect("parses");
        let mut w = Walk {
            session: Session::new(Arc::new(pb)),
            clock: 0,
        };
        let started = Event::Started {
            playbook: "demo".into(),
            title: "Demo incident".into(),
            hash: "abc".into(),
            params: Default::default(),
            context: None,
            namespace: Some("shop".into()),
            user: "alice".into(),
            host: "bastion".into(),
            drill: drill.then(|| Drill {
                scenario: "demo-drill".into(),
                answer: "fix".into(),
                title: "Demo".into(),
                goal: Some("pods.all(p, p.ready)".into()),
                hold_secs: 30,
                target_secs: 600,
            }),
            alert: None,
            read_only: false,
            read_only_contexts: Vec::new(),
        };
        let events = w.session.propose_start(started).expect("start");
        w.commit_at(0, events);
        w
    }

    fn commit_at(&mut self, at: i64, events: Vec<Event>) {
        self.clock = at;
        for event in events {
            let record = Record {
                seq: self.session.next_seq(),
                at: t(at),
                event,
            };
            self.session.apply(record).expect("apply");
        }
    }

    fn write(&mut self, at: i64, method: &str, name: &str, status: u16, dry_run: bool, by: &str) {
        self.commit_at(
            at,
            vec![Event::ApiWrite {
                step: "look".into(),
                method: method.into(),
                path: format!("/apis/apps/v1/namespaces/shop/deployments/{name}"),
                resource: Some("deployments.apps".into()),
                subresource: None,
                namespace: Some("shop".into()),
                name: Some(name.into()),
                status,
                dry_run,
                by: by.into(),
                context: None,
                server: None,
            }],
        );
    }
}

fn verdicts(report: &DrillReport) -> Vec<(&str, Verdict)> {
    report
        .changes
        .iter()
        .map(|c| (c.object.as_str(), c.verdict))
        .collect()
}

#[test]
fn a_session_that_is_not_a_drill_has_no_report() {
    assert_eq!(grade(&Walk::new(false).session), None);
}

#[test]
fn every_change_is_marked_by_what_came_of_it() {
    let mut w = Walk::new(true);
    w.write(
        60,
        "PATCH",
        "restart",
        200,
        false,
        "kubectl rollout restart",
    );
    w.write(
        90,
        "PATCH",
        "dry",
        200,
        true,
        "kubectl patch --dry-run=server",
    );
    w.write(100, "DELETE", "refused", 403, false, "kubectl delete");
    w.write(120, "PATCH", "cordon", 200, false, "outside runbook");
    w.write(180, "PATCH", "limit", 200, false, "kubectl set resources");
    w.commit_at(240, vec![Event::GoalReached { since: t(200) }]);
    w.write(300, "PATCH", "late", 200, false, "kubectl scale");
    let report = grade(&w.session).expect("a drill");
    assert_eq!(
        verdicts(&report),
        [
            (
                "deployments.apps/restart in shop",
                Verdict::DidNotHelpOnItsOwn
            ),
            ("deployments.apps/dry in shop", Verdict::DryRun),
            ("deployments.apps/refused in shop", Verdict::Refused(403)),
            (
                "deployments.apps/cordon in shop",
                Verdict::DidNotHelpOnItsOwn
            ),
            ("deployments.apps/limit in shop", Verdict::GoalHeldAfter),
            ("deployments.apps/late in shop", Verdict::AfterTheGoal),
        ]
    );
    assert_eq!(report.goal_reached, Some((t(200), t(240))));
    assert_eq!(report.changes[3].by, "outside runbook");
}

#[test]
fn without_the_goal_no_change_helped_and_the_diagnosis_is_timed() {
    let mut w = Walk::new(true);
    w.write(
        60,
        "PATCH",
        "restart",
        200,
        false,
        "kubectl rollout restart",
    );
    let events = w.session.propose_advance(None).expect("advance");
    w.commit_at(90, events);
    let report = grade(&w.session).expect("a drill");
    assert_eq!(report.goal_reached, None);
    assert_eq!(report.diagnosed_at, Some(t(90)), "entered the answer step");
    assert_eq!(
        verdicts(&report),
        [("deployments.apps/restart in shop", Verdict::GoalNotReached)]
    );
    assert_eq!(report.taken_secs, Some(90));
}
