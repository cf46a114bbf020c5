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

/// `secs` and `millis` after the start: the journal's clock runs in
/// milliseconds, the simulator's judgement of the goal in seconds.
fn t_ms(secs: i64, millis: i64) -> Timestamp {
    t(secs) + jiff::SignedDuration::from_millis(millis)
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
        self.commit_at_ts(t(at), events);
        self.clock = at;
    }

    fn commit_at_ts(&mut self, at: Timestamp, events: Vec<Event>) {
        for event in events {
            let record = Record {
                seq: self.session.next_seq(),
                at,
                event,
            };
            self.session.apply(record).expect("apply");
        }
    }

    fn action(&mut self, at: Timestamp, kind: &str, target: &str, outcome: &str) {
        self.commit_at_ts(
            at,
            vec![Event::Action {
                step: "fix".into(),
                kind: kind.into(),
                target: target.into(),
                dry_run: format!("{target} would be changed"),
                outcome: outcome.into(),
                context: None,
                server: None,
                drain: None,
            }],
        );
    }

    /// A write as the journal holds it, at a time in milliseconds.
    #[allow(clippy::too_many_arguments)]
    fn write_to(&mut self, at: Timestamp, method: &str, path: &str, status: u16, by: &str) {
        let (resource, subresource, namespace, name) = resource_of(path);
        let event = Event::ApiWrite {
            step: "fix".into(),
            method: method.into(),
            path: path.into(),
            resource,
            subresource,
            namespace,
            name,
            status,
            dry_run: false,
            by: by.into(),
            context: None,
            server: None,
        };
        self.commit_at_ts(at, vec![event]);
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

/// (resource, subresource, namespace, name) of an API path, as the
/// gateway journals them (`deployments.apps`, `exec`, `shop`, `web`); none
/// for a path that is not a Kubernetes resource (Alertmanager's).
fn resource_of(
    path: &str,
) -> (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
) {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let (group, rest) = match segments.as_slice() {
        ["api", "v1", rest @ ..] => ("", rest),
        ["apis", group, _, rest @ ..] => (*group, rest),
        _ => return (None, None, None, None),
    };
    let (namespace, rest) = match rest {
        ["namespaces", ns, rest @ ..] if !rest.is_empty() => (Some(ns.to_string()), rest),
        rest => (None, rest),
    };
    let resource = rest.first().map(|r| {
        if group.is_empty() {
            r.to_string()
        } else {
            format!("{r}.{group}")
        }
    });
    let name = rest.get(1).map(|n| n.to_string());
    let subresource = rest.get(2).map(|s| s.to_string());
    (resource, subresource, namespace, name)
}

fn verdicts(report: &DrillReport) -> Vec<(&str, Verdict)> {
    report
        .changes
        .iter()
        .map(|c| (c.what.as_str(), c.verdict))
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
                "PATCH deployments.apps/restart in shop",
                Verdict::DidNotHelpOnItsOwn
            ),
            ("PATCH deployments.apps/dry in shop", Verdict::DryRun),
            (
                "DELETE deployments.apps/refused in shop",
                Verdict::Refused(403)
            ),
            (
                "PATCH deployments.apps/cordon in shop",
                Verdict::DidNotHelpOnItsOwn
            ),
            (
                "PATCH deployments.apps/limit in shop",
                Verdict::GoalHeldAfter
            ),
            ("PATCH deployments.apps/late in shop", Verdict::AfterTheGoal),
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
        [(
            "PATCH deployments.apps/restart in shop",
            Verdict::GoalNotReached
        )]
    );
    assert_eq!(report.taken_secs, Some(90));
}

/// netpol-block as issue 19 saw it: the fix heals at once, so the goal
/// holds from the second the write was made, while the write is journaled
/// a moment later (the drill's background polls the simulator every
/// 500 ms). The goal held after the fix, not the other way round; and an
/// earlier useless change (ingress-backend's extra Service) is not it.
#[test]
fn an_instant_heal_credits_its_fix_though_journaled_after_the_goals_moment() {
    let mut w = Walk::new(true);
    w.write_to(
        t_ms(60, 300),
        "POST",
        "/api/v1/namespaces/shop/services",
        201,
        "outside runbook",
    );
    w.write_to(
        t_ms(120, 450),
        "DELETE",
        "/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies/cart-ingress",
        200,
        "outside runbook",
    );
    w.commit_at(150, vec![Event::GoalReached { since: t(120) }]);
    let report = grade(&w.session).expect("a drill");
    assert_eq!(
        verdicts(&report),
        [
            ("POST services in shop", Verdict::DidNotHelpOnItsOwn),
            (
                "DELETE networkpolicies.networking.k8s.io/cart-ingress in shop",
                Verdict::GoalHeldAfter
            ),
        ]
    );
}

/// node-down as issue 19 saw it: a force-delete from the second terminal,
/// then the built-in cordon, after which the goal held. The action is a
/// change to the cluster and the one credited.
#[test]
fn built_in_actions_are_changes_and_are_credited() {
    let mut w = Walk::new(true);
    w.write_to(
        t_ms(60, 100),
        "DELETE",
        "/api/v1/namespaces/shop/pods/checkout-7d9f8-x2x",
        200,
        "outside runbook",
    );
    w.action(
        t_ms(70, 0),
        "drain",
        "node/node-c",
        "failed: nodes \"node-c\" not found",
    );
    w.action(
        t_ms(90, 30),
        "cordon",
        "node/node-b",
        "node node-b cordoned",
    );
    w.commit_at(120, vec![Event::GoalReached { since: t(90) }]);
    let report = grade(&w.session).expect("a drill");
    assert_eq!(
        verdicts(&report),
        [
            (
                "DELETE pods/checkout-7d9f8-x2x in shop",
                Verdict::DidNotHelpOnItsOwn
            ),
            ("drain node/node-c", Verdict::Failed),
            ("cordon node/node-b", Verdict::GoalHeldAfter),
        ]
    );
    assert_eq!(report.changes[2].by, "runbook (built-in action)");
}

/// Journal order decides, not the clock: a change journaled after the
/// goal was reached is after it even when its time is not later, and a
/// change made while the goal was already holding (well after it began)
/// is not what made it hold.
#[test]
fn changes_are_ordered_by_the_journal_and_one_made_while_the_goal_held_is_not_credited() {
    let mut w = Walk::new(true);
    w.write(100, "PATCH", "limit", 200, false, "kubectl set resources");
    w.write(115, "PATCH", "annotate", 200, false, "kubectl annotate");
    w.commit_at(130, vec![Event::GoalReached { since: t(100) }]);
    // Journaled after the goal's record, stamped a moment before it.
    w.write_to(
        t_ms(129, 900),
        "PATCH",
        "/apis/apps/v1/namespaces/shop/deployments/late",
        200,
        "outside runbook",
    );
    let report = grade(&w.session).expect("a drill");
    assert_eq!(
        verdicts(&report),
        [
            (
                "PATCH deployments.apps/limit in shop",
                Verdict::GoalHeldAfter
            ),
            (
                "PATCH deployments.apps/annotate in shop",
                Verdict::WhileTheGoalHeld
            ),
            ("PATCH deployments.apps/late in shop", Verdict::AfterTheGoal),
        ]
    );
}

/// A silence made from the app reaches the drill's Alertmanager (the
/// simulator) without the app's credentials, so its request comes back
/// as a change "outside runbook": it is the app's silence, an alert
/// change, not a change to the cluster. A silence from a second terminal
/// is an alert change too.
#[test]
fn silences_are_alert_changes_not_cluster_changes() {
    let mut w = Walk::new(true);
    // The simulator's echo can be journaled before the app's own record.
    w.write_to(
        t_ms(40, 200),
        "POST",
        "/api/v2/silences",
        200,
        "outside runbook",
    );
    w.commit_at(
        41,
        vec![Event::Silenced {
            id: "sil-1".into(),
            matchers: [("alertname".to_string(), "KubeNodeNotReady".to_string())].into(),
            until: t(3600),
            created_by: "alice".into(),
            comment: "drill".into(),
        }],
    );
    w.write_to(
        t_ms(50, 0),
        "POST",
        "/api/v2/silences",
        200,
        "outside runbook",
    );
    w.commit_at(60, vec![Event::SilenceExpired { id: "sil-1".into() }]);
    w.write_to(
        t_ms(60, 300),
        "DELETE",
        "/api/v2/silence/sil-1",
        200,
        "outside runbook",
    );
    w.write(90, "PATCH", "limit", 200, false, "kubectl set resources");
    w.commit_at(120, vec![Event::GoalReached { since: t(90) }]);
    let report = grade(&w.session).expect("a drill");
    assert_eq!(
        verdicts(&report),
        [(
            "PATCH deployments.apps/limit in shop",
            Verdict::GoalHeldAfter
        )]
    );
    let alerts: Vec<(&str, &str)> = report
        .alert_changes
        .iter()
        .map(|a| (a.what.as_str(), a.by.as_str()))
        .collect();
    assert_eq!(
        alerts,
        [
            (
                "silenced alertname=KubeNodeNotReady until 2025-11-25T08:00:00Z (silence sil-1)",
                "alice"
            ),
            ("POST /api/v2/silences", "outside runbook"),
            ("expired silence sil-1", "runbook"),
        ]
    );
    let text = crate::drill::report_text::drill_report(&w.session).expect("a drill");
    assert!(text.contains("- Changes to the cluster (1):"), "{text}");
    assert!(text.contains("- Changes to alerts (3):"), "{text}");
    assert!(
        text.contains("T+00:41 `silenced alertname=KubeNodeNotReady until 2025-11-25T08:00:00Z (silence sil-1)` by `alice`"),
        "{text}"
    );
}

/// A stream (exec) is listed but what it did is unknown, so it is never
/// credited; an action interrupted by quitting may have changed the
/// cluster, so it can be.
#[test]
fn a_stream_is_never_credited_and_an_interrupted_action_may_be() {
    let mut w = Walk::new(true);
    w.action(
        t_ms(80, 0),
        "drain",
        "node/node-b",
        "unknown: interrupted: runbook quit while it ran",
    );
    w.write_to(
        t_ms(90, 100),
        "POST",
        "/api/v1/namespaces/shop/pods/checkout-1/exec",
        101,
        "kubectl exec",
    );
    w.commit_at(130, vec![Event::GoalReached { since: t(90) }]);
    let report = grade(&w.session).expect("a drill");
    assert_eq!(
        verdicts(&report),
        [
            ("drain node/node-b", Verdict::GoalHeldAfter),
            ("POST pods/checkout-1/exec in shop", Verdict::Stream),
        ]
    );
}

/// #24 (16): the report printed on quit said "Time taken 01:09" when the
/// trainee quit at T+01:23 (the last record was at 01:09).
#[test]
fn a_report_at_quit_counts_the_time_to_the_quit() {
    let mut w = Walk::new(true);
    w.write(
        69,
        "PATCH",
        "restart",
        200,
        false,
        "kubectl rollout restart",
    );
    let at_quit = grade_until(&w.session, Some(t(83))).expect("a drill");
    assert_eq!(at_quit.taken_secs, Some(83));
    let text =
        crate::drill::report_text::drill_report_until(&w.session, Some(t(83))).expect("text");
    assert!(text.contains("Time taken: 01:23"), "{text}");
    // Read back later (an export), the last record is what is known.
    assert_eq!(grade(&w.session).expect("a drill").taken_secs, Some(69));
}
