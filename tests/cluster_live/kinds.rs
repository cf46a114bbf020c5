//! The new kinds live: the simulator serves every registered kind, kube-rs
//! watchers project them, and a playbook's checks over each of them give
//! the verdicts the objects call for; a kind stops being watched when no
//! pane or check needs it.

use super::*;
use runbook::cluster::kinds::{self, REGISTRY};

const SCENARIO: &str = include_str!("../fixtures/kinds/every-kind.yaml");
const PLAYBOOK: &str = include_str!("../fixtures/kinds/every-kind-playbook.yaml");

#[tokio::test]
async fn checks_over_every_kind_give_their_verdicts_live() {
    let dir = tempfile::tempdir().expect("tempdir");
    let scenario = Scenario::from_yaml(SCENARIO, Path::new("every-kind.yaml")).expect("scenario");
    let (_sim, cluster) = start(scenario, dir.path()).await;
    cluster.set_kinds((0..REGISTRY.len()).collect());
    let mut rx = cluster.snapshots.clone();
    let snap = until(&mut rx, "every kind live", |s| {
        (0..REGISTRY.len()).all(|id| *s.state(id) == ResourceState::Live)
    })
    .await;
    let pb = runbook::playbook::parse(PLAYBOOK, Path::new("every-kind.yaml")).expect("parses");
    let (checks, errors) = CheckSet::compile(&pb);
    assert!(errors.is_empty(), "{errors:?}");
    let scope = Scope::new(Some("shop".into()), None, None).expect("scope");
    let now = jiff::Timestamp::now().as_second();
    let outcomes = checks.evaluate_all(&snap, &scope, &Default::default(), now);
    for (id, outcome) in &outcomes {
        let want = if id == "hpa_has_room" {
            CheckResult::Fail
        } else {
            CheckResult::Pass
        };
        assert_eq!(outcome.result, want, "{id}: {outcome:?}");
    }
    assert_eq!(outcomes.len(), pb.checks.len());

    // Only the events pane is wanted now: the rest stop and drop their rows.
    let events = kinds::id_of("events").expect("events");
    cluster.set_kinds(vec![events]);
    let services = kinds::id_of("services").expect("services");
    let snap = until(&mut rx, "services idle", |s| {
        *s.state(services) == ResourceState::Idle
    })
    .await;
    assert!(snap.kind(services).is_empty());
    assert_eq!(*snap.state(events), ResourceState::Live);
}
