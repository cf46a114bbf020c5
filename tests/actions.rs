//! Built-in actions against the simulator: a dry run changes nothing, the
//! action does what it says, drain respects a PodDisruptionBudget, and
//! read-only mode cannot produce a permit to change anything.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Node, Pod};
use kube::api::ListParams;
use kube::{Api, Client};
use runbook::cluster::actions::{ActionKind, ActionRequest, Mutations, execute_with_wait, preview};
use runbook::cluster::connect::{ClusterConfig, connect};
use runbook::cluster::drain::{DrainView, PodState, Progress, Reporter};
use runbook::engine::drain::PodOutcome;
use runbook::sim::{Scenario, SimHandle, Simulator};
use tokio::sync::{mpsc, watch};

/// A reporter for one action: its progress, and the switch that stops it.
fn reporter() -> (Reporter, mpsc::Receiver<Progress>, watch::Sender<bool>) {
    let (tx, rx) = mpsc::channel(256);
    let (stop, stopped) = watch::channel(false);
    (Reporter::new(tx, stopped), rx, stop)
}

fn drain_view(rx: &mut mpsc::Receiver<Progress>) -> DrainView {
    let mut view = DrainView::default();
    while let Ok(p) = rx.try_recv() {
        view.apply(&p);
    }
    view
}

const CLUSTER: &str = r#"
apiVersion: runbook/v1
kind: Scenario
metadata: { name: actions, title: Actions }
objects:
  - apiVersion: v1
    kind: Node
    metadata: { name: node-a }
    status: { conditions: [ { type: Ready, status: "True" } ] }
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: web, namespace: shop }
    spec:
      replicas: 2
      selector: { matchLabels: { app: web } }
      template:
        metadata: { labels: { app: web } }
        spec: { containers: [ { name: web, image: nginx } ] }
    status: { replicas: 2, readyReplicas: 2, updatedReplicas: 2, availableReplicas: 2 }
  # The Deployment's ReplicaSet, so the simulator's controllers find the
  # cluster consistent and leave it as written.
  - apiVersion: apps/v1
    kind: ReplicaSet
    metadata:
      name: web-6d8f9c7b5
      namespace: shop
      uid: u-web
      labels: { app: web, pod-template-hash: 6d8f9c7b5 }
      ownerReferences: [ { apiVersion: apps/v1, kind: Deployment, name: web, uid: u-deploy-web, controller: true } ]
    spec:
      replicas: 2
      selector: { matchLabels: { app: web, pod-template-hash: 6d8f9c7b5 } }
      template:
        metadata: { labels: { app: web, pod-template-hash: 6d8f9c7b5 } }
        spec: { containers: [ { name: web, image: nginx } ] }
  - apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: { name: web, namespace: shop }
    spec: { minAvailable: 2, selector: { matchLabels: { app: web } } }
POD_TEMPLATE
"#;

fn pod(name: &str, app: &str, owner_kind: &str) -> String {
    format!(
        r#"  - apiVersion: v1
    kind: Pod
    metadata:
      name: {name}
      namespace: shop
      labels: {{ app: {app} }}
      ownerReferences: [ {{ apiVersion: apps/v1, kind: {owner_kind}, name: {app}, uid: u-{app}, controller: true }} ]
    spec: {{ nodeName: node-a, containers: [ {{ name: c, image: nginx }} ] }}
    status:
      phase: Running
      conditions: [ {{ type: Ready, status: "True" }} ]
      containerStatuses: [ {{ name: c, image: nginx, ready: true, restartCount: 0, state: {{ running: {{ startedAt: "2025-11-25T06:00:00Z" }} }} }} ]
"#
    )
}

async fn start(dir: &Path) -> (SimHandle, Client) {
    let pods = [
        pod("web-1", "web", "ReplicaSet"),
        pod("web-2", "web", "ReplicaSet"),
        pod("batch-1", "batch", "ReplicaSet"),
        pod("agent-1", "agent", "DaemonSet"),
    ]
    .concat();
    let yaml = CLUSTER.replace("POD_TEMPLATE\n", &pods);
    let scenario = Scenario::from_yaml(&yaml, Path::new("actions.yaml")).expect("scenario");
    let sim = Simulator::start(scenario, SocketAddr::from(([127, 0, 0, 1], 0)), None)
        .await
        .expect("simulator");
    let kubeconfig = dir.join("kubeconfig");
    sim.write_kubeconfig(&kubeconfig).expect("kubeconfig");
    let c = connect(&ClusterConfig {
        kubeconfig: Some(kubeconfig),
        context: None,
    })
    .await
    .expect("connect");
    (sim, c.client)
}

async fn pod_names(client: &Client) -> Vec<String> {
    let pods: Api<Pod> = Api::namespaced(client.clone(), "shop");
    let mut names: Vec<String> = pods
        .list(&ListParams::default())
        .await
        .expect("list")
        .items
        .into_iter()
        .filter_map(|p| p.metadata.name)
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn read_only_mode_cannot_get_a_permit() {
    assert!(Mutations::allow(true).is_none());
    assert!(Mutations::allow(false).is_some());
}

#[tokio::test]
async fn a_dry_run_changes_nothing_and_the_action_then_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_sim, client) = start(dir.path()).await;
    let permit = Mutations::allow(false).expect("permit");
    let nodes: Api<Node> = Api::all(client.clone());
    let cordon =
        ActionRequest::new(ActionKind::Cordon, "node/node-a", "shop", None).expect("request");
    let summary = preview(&client, &cordon, &permit).await.expect("preview");
    assert_eq!(summary, "node node-a would be cordoned");
    let node = nodes.get("node-a").await.expect("node");
    assert_ne!(
        node.spec.and_then(|s| s.unschedulable),
        Some(true),
        "the dry run changed nothing"
    );
    let (tx, _rx, _stop) = reporter();
    execute_with_wait(&client, &cordon, &permit, tx, Duration::from_secs(1))
        .await
        .expect("cordon");
    let node = nodes.get("node-a").await.expect("node");
    assert_eq!(node.spec.and_then(|s| s.unschedulable), Some(true));

    let scale =
        ActionRequest::new(ActionKind::Scale, "deployment/web", "shop", Some(5)).expect("request");
    assert_eq!(
        preview(&client, &scale, &permit).await.expect("preview"),
        "deployment shop/web would be scaled from 2 to 5"
    );
    let (tx, _rx, _stop) = reporter();
    execute_with_wait(&client, &scale, &permit, tx, Duration::from_secs(1))
        .await
        .expect("scale");
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), "shop");
    assert_eq!(
        deployments
            .get("web")
            .await
            .expect("web")
            .spec
            .and_then(|s| s.replicas),
        Some(5)
    );

    let delete =
        ActionRequest::new(ActionKind::DeletePod, "pod/batch-1", "shop", None).expect("request");
    preview(&client, &delete, &permit).await.expect("preview");
    assert!(pod_names(&client).await.contains(&"batch-1".to_string()));
    let (tx, _rx, _stop) = reporter();
    execute_with_wait(&client, &delete, &permit, tx, Duration::from_secs(1))
        .await
        .expect("delete");
    assert!(!pod_names(&client).await.contains(&"batch-1".to_string()));
}

#[tokio::test]
async fn drain_respects_the_pod_disruption_budget() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_sim, client) = start(dir.path()).await;
    let permit = Mutations::allow(false).expect("permit");
    let drain =
        ActionRequest::new(ActionKind::Drain, "node/node-a", "shop", None).expect("request");
    let summary = preview(&client, &drain, &permit).await.expect("preview");
    assert!(summary.contains("1 pod(s) evicted: batch-1"), "{summary}");
    assert!(
        !summary.contains("NOT recreated"),
        "batch-1 has a controller: {summary}"
    );
    assert!(
        summary.contains("blocked by a PodDisruptionBudget for now: web-1, web-2"),
        "{summary}"
    );
    assert!(
        summary.contains("left in place: shop/agent-1 (DaemonSet)"),
        "{summary}"
    );
    assert_eq!(
        pod_names(&client).await.len(),
        4,
        "the dry run evicted nothing"
    );

    let (tx, mut rx, _stop) = reporter();
    let result = execute_with_wait(&client, &drain, &permit, tx, Duration::from_secs(1))
        .await
        .expect("drain");
    assert_eq!(
        result,
        "drained node-a: evicted 1, blocked by a PodDisruptionBudget 2, left in place 1"
    );
    assert_eq!(pod_names(&client).await, ["agent-1", "web-1", "web-2"]);
    let record = drain_view(&mut rx).record(false, false);
    assert!(record.cordoned_at.is_some(), "{record:?}");
    let outcomes: Vec<(String, String)> = record
        .pods
        .iter()
        .map(|p| (p.pod.clone(), p.outcome.to_string()))
        .collect();
    let blocked = "blocked by PodDisruptionBudget web".to_string();
    assert_eq!(
        outcomes,
        [
            ("shop/batch-1".to_string(), "evicted".to_string()),
            ("shop/web-1".to_string(), blocked.clone()),
            ("shop/web-2".to_string(), blocked),
        ],
        "the blocking budget is named"
    );
    assert_eq!(record.left_in_place, ["shop/agent-1 (DaemonSet)"]);
}

/// The evictions run side by side, as `kubectl drain` sends them: the
/// second blocked pod is tried while the first still waits on its budget,
/// and however often they are retried, the window has one line per pod.
#[tokio::test]
async fn drain_evicts_side_by_side_with_one_line_per_pod() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_sim, client) = start(dir.path()).await;
    let permit = Mutations::allow(false).expect("permit");
    let drain =
        ActionRequest::new(ActionKind::Drain, "node/node-a", "shop", None).expect("request");
    let (tx, mut rx, _stop) = reporter();
    execute_with_wait(&client, &drain, &permit, tx, Duration::from_secs(5))
        .await
        .expect("drain");
    let mut view = DrainView::default();
    let mut web2_tried_while_web1_waited = false;
    let mut retries = 0;
    while let Ok(p) = rx.try_recv() {
        view.apply(&p);
        if let Progress::Pod { pod, state } = &p {
            if matches!(state, PodState::Retrying { .. }) {
                retries += 1;
            }
            let web1_waiting = view
                .pods
                .iter()
                .any(|(p, s)| p == "shop/web-1" && matches!(s, PodState::Retrying { .. }));
            if pod == "shop/web-2" && matches!(state, PodState::Retrying { .. }) && web1_waiting {
                web2_tried_while_web1_waited = true;
            }
        }
    }
    assert!(
        web2_tried_while_web1_waited,
        "web-2 waited for web-1 to give up: {view:?}"
    );
    assert!(retries > 2, "the budget was retried: {retries}");
    let lines = view.lines();
    assert_eq!(lines.len(), 1 + 3 + 1, "{lines:#?}");
    assert!(lines[0].starts_with("cordoned at "), "{lines:#?}");
    assert_eq!(
        &lines[1..],
        [
            "shop/batch-1: evicted",
            "shop/web-1: blocked by PodDisruptionBudget web",
            "shop/web-2: blocked by PodDisruptionBudget web",
            "shop/agent-1 (DaemonSet): left in place",
        ]
    );
}

/// `x` stops a drain waiting on a budget: the pods not evicted are
/// `stopped`, the node stays cordoned and the summary says so.
#[tokio::test]
async fn a_stopped_drain_leaves_the_node_cordoned_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_sim, client) = start(dir.path()).await;
    let drain =
        ActionRequest::new(ActionKind::Drain, "node/node-a", "shop", None).expect("request");
    let (tx, mut rx, stop) = reporter();
    let draining = {
        let client = client.clone();
        tokio::spawn(async move {
            let permit = Mutations::allow(false).expect("permit");
            execute_with_wait(&client, &drain, &permit, tx, Duration::from_secs(600)).await
        })
    };
    let mut view = DrainView::default();
    while let Some(p) = rx.recv().await {
        view.apply(&p);
        let evicted = view
            .pods
            .iter()
            .any(|(p, s)| p == "shop/batch-1" && *s == PodState::Done(PodOutcome::Evicted));
        let waiting = view
            .pods
            .iter()
            .any(|(p, s)| p == "shop/web-1" && matches!(s, PodState::Retrying { .. }));
        if evicted && waiting {
            break;
        }
    }
    stop.send(true).expect("stop");
    let result = draining.await.expect("join");
    while let Some(p) = rx.recv().await {
        view.apply(&p);
    }
    assert_eq!(
        result.as_deref(),
        Ok(
            "drain of node-a stopped: evicted 1, 2 pod(s) not evicted; node-a stays cordoned (uncordon it to undo)"
        )
    );
    let record = view.record(true, false);
    let stopped: Vec<&str> = record
        .pods
        .iter()
        .filter(|p| p.outcome == PodOutcome::Stopped)
        .map(|p| p.pod.as_str())
        .collect();
    assert_eq!(stopped, ["shop/web-1", "shop/web-2"]);
    let nodes: Api<Node> = Api::all(client.clone());
    let node = nodes.get("node-a").await.expect("node");
    assert_eq!(node.spec.and_then(|s| s.unschedulable), Some(true));
    assert_eq!(pod_names(&client).await, ["agent-1", "web-1", "web-2"]);
}

#[tokio::test]
async fn the_previews_say_a_cordoned_node_is_already_cordoned() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_sim, client) = start(dir.path()).await;
    let permit = Mutations::allow(false).expect("permit");
    let cordon =
        ActionRequest::new(ActionKind::Cordon, "node/node-a", "shop", None).expect("request");
    let (tx, _rx, _stop) = reporter();
    execute_with_wait(&client, &cordon, &permit, tx, Duration::from_secs(1))
        .await
        .expect("cordon");

    let drain =
        ActionRequest::new(ActionKind::Drain, "node/node-a", "shop", None).expect("request");
    let summary = preview(&client, &drain, &permit).await.expect("preview");
    assert!(
        summary.starts_with("node node-a is already cordoned; 1 pod(s) evicted: batch-1"),
        "{summary}"
    );
    assert_eq!(
        preview(&client, &cordon, &permit).await.expect("preview"),
        "node node-a is already cordoned"
    );
    let uncordon =
        ActionRequest::new(ActionKind::Uncordon, "node/node-a", "shop", None).expect("request");
    assert_eq!(
        preview(&client, &uncordon, &permit).await.expect("preview"),
        "node node-a would be uncordoned"
    );

    let (tx, mut rx, _stop) = reporter();
    execute_with_wait(&client, &drain, &permit, tx, Duration::from_millis(10))
        .await
        .expect("drain");
    assert_eq!(rx.try_recv().ok(), Some(Progress::Cordoned(None)));
}

/// A pod deleted while the drain waits on its disruption budget is off the
/// node: the drain is done, not failed, and says what happened.
#[tokio::test]
async fn a_pod_gone_before_its_eviction_counts_as_done() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_sim, client) = start(dir.path()).await;
    let drain =
        ActionRequest::new(ActionKind::Drain, "node/node-a", "shop", None).expect("request");
    let (tx, mut rx, _stop) = reporter();
    let draining = {
        let client = client.clone();
        tokio::spawn(async move {
            let permit = Mutations::allow(false).expect("permit");
            execute_with_wait(&client, &drain, &permit, tx, Duration::from_secs(20)).await
        })
    };
    let mut view = DrainView::default();
    while let Some(p) = rx.recv().await {
        view.apply(&p);
        let waiting = view
            .pods
            .iter()
            .any(|(p, s)| p == "shop/web-1" && matches!(s, PodState::Retrying { .. }));
        if waiting {
            break;
        }
    }
    // Someone else removes both web pods while the drain waits on web-1.
    let pods: Api<Pod> = Api::namespaced(client.clone(), "shop");
    let now = kube::api::DeleteParams {
        grace_period_seconds: Some(0),
        ..Default::default()
    };
    for name in ["web-1", "web-2"] {
        pods.delete(name, &now).await.expect("delete");
    }
    let result = draining.await.expect("join");
    while let Some(p) = rx.recv().await {
        view.apply(&p);
    }
    assert_eq!(
        result.as_deref(),
        Ok(
            "drained node-a: evicted 1, already gone 2, blocked by a PodDisruptionBudget 0, left in place 1"
        ),
        "{view:?}"
    );
    let lines = view.lines();
    assert!(
        lines.iter().any(|l| l == "shop/web-1: gone")
            && lines.iter().any(|l| l == "shop/web-2: gone"),
        "{lines:?}"
    );
}

/// What the resumed session's two keys do after a drain was cut off: the
/// drain taken up again goes on from where the cluster is (the node still
/// cordoned, the evicted pod not tried again), and uncordon undoes it.
#[tokio::test]
async fn a_drain_cut_off_can_be_continued_or_undone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_sim, client) = start(dir.path()).await;
    let permit = Mutations::allow(false).expect("permit");
    let drain =
        ActionRequest::new(ActionKind::Drain, "node/node-a", "shop", None).expect("request");
    // Cut off right after its cordon, before any eviction.
    let (tx, mut rx, stop) = reporter();
    stop.send(true).expect("stop");
    let first = execute_with_wait(&client, &drain, &permit, tx, Duration::from_secs(600))
        .await
        .expect("drain");
    assert!(
        first.starts_with("drain of node-a stopped: evicted 0, 3 pod(s) not evicted"),
        "{first}"
    );
    assert!(drain_view(&mut rx).cordon.is_some());

    let (tx, mut rx, _stop) = reporter();
    let again = execute_with_wait(&client, &drain, &permit, tx, Duration::from_millis(10))
        .await
        .expect("drain again");
    assert_eq!(
        again,
        "drained node-a: evicted 1, blocked by a PodDisruptionBudget 2, left in place 1"
    );
    assert_eq!(drain_view(&mut rx).cordon, Some(None), "still cordoned");

    let uncordon =
        ActionRequest::new(ActionKind::Uncordon, "node/node-a", "shop", None).expect("request");
    let (tx, _rx, _stop) = reporter();
    execute_with_wait(&client, &uncordon, &permit, tx, Duration::from_secs(1))
        .await
        .expect("uncordon");
    let nodes: Api<Node> = Api::all(client.clone());
    let node = nodes.get("node-a").await.expect("node");
    assert_ne!(node.spec.and_then(|s| s.unschedulable), Some(true));
}
