//! The new kinds live: the simulator serves every registered kind, kube-rs
//! watchers project them, and a playbook's checks over each of them give
//! the verdicts the objects call for; a kind stops being watched when no
//! pane or check needs it.

use super::*;
use runbook::kinds;

const SCENARIO: &str = include_str!("../fixtures/kinds/every-kind.yaml");
const PLAYBOOK: &str = include_str!("../fixtures/kinds/every-kind-playbook.yaml");

const TWO_NODES: &str = r#"
  - apiVersion: v1
    kind: Node
    metadata:
      name: node-a
      labels: { kubernetes.io/os: linux, kubernetes.io/hostname: node-a }
    status:
      allocatable: { cpu: "4", memory: 16Gi, pods: "110" }
      capacity: { cpu: "4", memory: 16Gi, pods: "110" }
      conditions:
        - { type: Ready, status: "True", reason: KubeletReady }
  - apiVersion: v1
    kind: Node
    metadata:
      name: node-b
      labels: { kubernetes.io/os: linux, kubernetes.io/hostname: node-b }
    status:
      allocatable: { cpu: "4", memory: 16Gi, pods: "110" }
      capacity: { cpu: "4", memory: 16Gi, pods: "110" }
      conditions:
        - { type: Ready, status: "True", reason: KubeletReady }
workloads:
  node-exporter: { ready: false }
"#;

#[tokio::test]
async fn checks_over_every_kind_give_their_verdicts_live() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The simulator's controllers recompute every status from the objects,
    // so the DaemonSet's "scheduled on both, not available on both" needs
    // two nodes and an exporter whose readiness probe fails.
    let served = format!("{SCENARIO}{TWO_NODES}");
    let scenario = Scenario::from_yaml(&served, Path::new("every-kind.yaml")).expect("scenario");
    let (_sim, cluster) = start(scenario, dir.path()).await;
    cluster.set_kinds(kinds::KindId::all().collect());
    let mut rx = cluster.snapshots.clone();
    let snap = until(&mut rx, "every kind live", |s| {
        kinds::KindId::all().all(|id| *s.state(id) == ResourceState::Live)
    })
    .await;
    let pb = runbook::playbook::parse(PLAYBOOK, Path::new("every-kind.yaml")).expect("parses");
    let (checks, errors) = CheckSet::compile(&pb);
    assert!(errors.is_empty(), "{errors:?}");
    let scope = Scope::new(Some("shop".into()), None, None).expect("scope");
    let now = jiff::Timestamp::now().as_second();
    let outcomes = checks.evaluate_all(&snap, &scope, &Default::default(), now);
    // The simulator's CronJob controller, like the real one, starts the
    // latest missed run of "0 2 * * *" when it starts: between 02:00 and
    // 03:00 UTC that run is under an hour old (or still active), and the
    // check rightly fails.
    let cron = snap
        .rows::<runbook::kinds::cronjob::CronJobs>()
        .rows
        .iter()
        .find(|c| &*c.name == "nightly-report")
        .map(|c| (c.active, now - c.last_schedule.unwrap_or(0)))
        .expect("the CronJob's row");
    let cron_ran = cron.0 == 0 && cron.1 > 3600;
    let wrong: Vec<String> = outcomes
        .iter()
        .filter(|(id, outcome)| {
            let want = if *id == "hpa_has_room" || (*id == "cron_ran" && !cron_ran) {
                CheckResult::Fail
            } else {
                CheckResult::Pass
            };
            outcome.result != want
        })
        .map(|(id, outcome)| format!("{id}: {outcome:?}"))
        .collect();
    assert!(wrong.is_empty(), "wrong verdicts:\n{}", wrong.join("\n"));
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

/// Pods on two nodes in two namespaces. (A finished pod would be run
/// again by the simulated kubelet; the field selector's `!=` on the phase
/// is tested with the simulator's selectors.)
const SPREAD: &str = r#"
apiVersion: runbook/v1
kind: Scenario
metadata: { name: spread }
objects:
  - apiVersion: v1
    kind: Node
    metadata: { name: node-a }
    status: { conditions: [ { type: Ready, status: "True" } ] }
  - apiVersion: v1
    kind: Node
    metadata: { name: node-b }
    status: { conditions: [ { type: Ready, status: "True" } ] }
  - apiVersion: v1
    kind: Pod
    metadata: { name: web-1, namespace: shop }
    spec: { nodeName: node-a, containers: [ { name: web, image: web:1 } ] }
    status: { phase: Running }
  - apiVersion: v1
    kind: Pod
    metadata: { name: agent-1, namespace: monitoring }
    spec: { nodeName: node-a, containers: [ { name: agent, image: agent:1 } ] }
    status: { phase: Running }
  - apiVersion: v1
    kind: Pod
    metadata: { name: web-2, namespace: shop }
    spec: { nodeName: node-b, containers: [ { name: web, image: web:1 } ] }
    status: { phase: Running }
"#;

/// The nodes pane counts every pod on a node, as `kubectl describe node`
/// does, though the panes watch only the focus namespace's pods.
#[tokio::test]
async fn a_node_counts_every_pod_it_runs_not_only_those_in_focus() {
    let dir = tempfile::tempdir().expect("tempdir");
    let scenario = Scenario::from_yaml(SPREAD, Path::new("spread.yaml")).expect("scenario");
    let (_sim, cluster) = start(scenario, dir.path()).await;
    let n = runbook::cluster::node_pods::count(&cluster.client, "node-a")
        .await
        .expect("counted");
    assert_eq!(n, 2, "web-1 and agent-1, in two namespaces");
    cluster.set_counted_nodes(vec!["node-a".into(), "node-b".into()]);
    let mut rx = cluster.snapshots.clone();
    let snap = until(&mut rx, "both nodes counted", |s| s.node_pods.len() == 2).await;
    assert_eq!(snap.node_pods.get("node-a"), Some(&2));
    assert_eq!(snap.node_pods.get("node-b"), Some(&1));
    // The watched pods (namespace shop) alone would say 1 for node-a.
    let snap = until(&mut rx, "shop's pods", |s| {
        s.pods().state == ResourceState::Live
    })
    .await;
    assert_eq!(snap.pods_per_node.get("node-a"), Some(&1));
}

/// The pods pane is what a page is about: at scale the other kinds' first
/// lists wait for the pods' first list instead of competing with it.
#[tokio::test]
async fn the_other_kinds_list_after_the_pods_first_list() {
    let dir = tempfile::tempdir().expect("tempdir");
    let served = "apiVersion: runbook/v1\nkind: Scenario\nmetadata: { name: crowd, title: Crowd }\n\
                  generate: { pods: 5000, nodes: 50, namespace: crowd, services: 200, replicaSets: 200 }\n";
    let scenario = Scenario::from_yaml(served, Path::new("crowd.yaml")).expect("scenario");
    let crowd = Focus {
        namespace: Some("crowd".into()),
        ..Focus::default()
    };
    let (_sim, cluster) = start_with(scenario, dir.path(), crowd).await;
    let wanted = [
        "pods",
        "services",
        "endpointslices",
        "replicasets",
        "nodes",
        "events",
    ];
    let ids: Vec<kinds::KindId> = wanted.iter().filter_map(|n| kinds::id_of(n)).collect();
    assert_eq!(ids.len(), wanted.len());
    cluster.set_kinds(ids.clone());
    let pods = ids[0];
    let mut rx = cluster.snapshots.clone();
    // Every snapshot until the pods are live: none shows another kind live.
    let early = std::cell::RefCell::new(std::collections::BTreeSet::new());
    until(&mut rx, "pods live", |s| {
        if *s.state(pods) != ResourceState::Live {
            for &id in &ids[1..] {
                if *s.state(id) == ResourceState::Live {
                    early.borrow_mut().insert(kinds::get(id).meta().name);
                }
            }
        }
        *s.state(pods) == ResourceState::Live
    })
    .await;
    assert!(
        early.borrow().is_empty(),
        "listed before the pods: {:?}",
        early.borrow()
    );
    until(&mut rx, "every kind live", |s| {
        ids.iter().all(|&id| *s.state(id) == ResourceState::Live)
    })
    .await;
}
