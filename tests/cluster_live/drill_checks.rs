//! Every built-in drill's playbook checks, evaluated on what the app sees of
//! its simulator: none may fail to evaluate (a missing key, a wrong type),
//! since a check that says "unknown" in a drill teaches nothing.

use super::*;
use runbook::playbook::catalog::Catalog;

#[tokio::test]
async fn every_drills_checks_evaluate_against_its_cluster() {
    let catalog = Catalog::load(&[]);
    for name in sim::builtin_names() {
        let scenario = sim::load(name).expect("built-in scenario");
        let meta = scenario.metadata.clone();
        let Some(playbook) = meta.playbook.as_deref() else {
            continue;
        };
        if scenario.generate.is_some() {
            continue; // the load scenarios, for benchmarks
        }
        let entry = catalog
            .get(playbook)
            .expect("the drill's playbook is built in");
        let given: Vec<(String, String)> = meta.params.clone().into_iter().collect();
        let params = runbook::playbook::params::resolve_params(&entry.playbook, &given)
            .expect("the drill's params fit its playbook");
        let scope = runbook::app::launch::scope_for(&entry.playbook, &params, None);
        let dir = tempfile::tempdir().expect("tempdir");
        let focus = Focus {
            namespace: scope.namespace.clone(),
            node: scope.node.clone(),
            all_namespaces: false,
        };
        let (_sim, cluster) = start_with(scenario, dir.path(), focus).await;
        let mut rx = cluster.snapshots.clone();
        let snap = until(&mut rx, "every resource live", |s| {
            s.connection == Connection::Live
                && [
                    &s.pods().state,
                    &s.nodes().state,
                    &s.events().state,
                    &s.deployments().state,
                ]
                .iter()
                .all(|r| **r == ResourceState::Live)
        })
        .await;
        let (checks, errors) = CheckSet::compile(&entry.playbook);
        assert!(errors.is_empty(), "{name}: {errors:?}");
        let now = jiff::Timestamp::now().as_second();
        let outcomes = checks.evaluate_all(&snap, &scope, &params, now);
        assert!(!outcomes.is_empty(), "{name}: its playbook has checks");
        for (check, outcome) in outcomes {
            assert_ne!(
                outcome.result,
                CheckResult::Unknown,
                "{name}: check `{check}` could not be evaluated: {:?}",
                outcome.detail
            );
        }
    }
}
