//! The app's cluster side (kube-rs watchers → rows → store → snapshots)
//! against the simulator over loopback.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use kube::Api;
use kube::api::{Patch, PatchParams};
use runbook::checks::{CheckSet, Scope};
use runbook::cluster::connect::{ClusterConfig, connect};
use runbook::cluster::watch::{ClusterHandle, Focus, spawn};
use runbook::engine::CheckResult;
use runbook::kinds::snapshot::{Connection, ResourceState, Snapshot};
use runbook::sim::{self, Scenario, SimHandle, SimOptions, Simulator};
use tokio::sync::watch;

async fn start(scenario: Scenario, dir: &Path) -> (SimHandle, ClusterHandle) {
    let shop = Focus {
        namespace: Some("shop".into()),
        ..Focus::default()
    };
    start_with(scenario, dir, shop).await
}

async fn start_with(scenario: Scenario, dir: &Path, focus: Focus) -> (SimHandle, ClusterHandle) {
    start_with_options(scenario, dir, focus, SimOptions::default()).await
}

async fn start_with_options(
    scenario: Scenario,
    dir: &Path,
    focus: Focus,
    options: SimOptions,
) -> (SimHandle, ClusterHandle) {
    let sim = Simulator::start_with(
        scenario,
        SocketAddr::from(([127, 0, 0, 1], 0)),
        None,
        options,
    )
    .await
    .expect("simulator");
    let kubeconfig = dir.join("kubeconfig");
    sim.write_kubeconfig(&kubeconfig).expect("kubeconfig");
    let connected = connect(&ClusterConfig {
        kubeconfig: Some(kubeconfig),
        context: None,
    })
    .await
    .expect("connect");
    let handle = spawn(connected.client, connected.context, focus);
    (sim, handle)
}

/// Waits for a snapshot that satisfies `ok`; the deadline only bounds a hang.
async fn until(
    rx: &mut watch::Receiver<Snapshot>,
    what: &str,
    ok: impl Fn(&Snapshot) -> bool,
) -> Snapshot {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        {
            let s = rx.borrow_and_update();
            if ok(&s) {
                return s.clone();
            }
        }
        if tokio::time::timeout_at(deadline, rx.changed())
            .await
            .is_err()
        {
            let s = rx.borrow();
            panic!(
                "never saw {what}: {:?} pods={:?} nodes={:?} events={:?} deployments={:?}",
                s.connection,
                s.pods().state,
                s.nodes().state,
                s.events().state,
                s.deployments().state
            );
        }
    }
}

#[tokio::test]
async fn the_drill_is_projected_and_its_checks_flip_when_the_fix_lands() {
    let dir = tempfile::tempdir().expect("tempdir");
    let scenario = sim::load("checkout-oom").expect("built-in scenario");
    let shop = Focus {
        namespace: Some("shop".into()),
        ..Focus::default()
    };
    // The simulated clock moves only when the test steps it.
    let manual = SimOptions {
        manual_clock: true,
        ..SimOptions::default()
    };
    let (sim, cluster) = start_with_options(scenario, dir.path(), shop, manual).await;
    let mut rx = cluster.snapshots.clone();
    let snap = until(&mut rx, "crashing pods", |s| {
        s.connection == Connection::Live
            && s.pods().rows.iter().any(|p| p.status == "CrashLoopBackOff")
    })
    .await;
    let crashing = snap
        .pods()
        .rows
        .iter()
        .find(|p| p.status == "CrashLoopBackOff")
        .expect("a crashing pod");
    assert_eq!(
        crashing.containers[0].last_reason.as_deref(),
        Some("OOMKilled")
    );
    assert!(
        !snap.pods().rows[0].is_healthy(),
        "unhealthy pods sort first"
    );

    let text = runbook::playbook::catalog::BUILTIN
        .iter()
        .find(|(f, _)| *f == "pod-crashloop.yaml")
        .expect("built-in")
        .1;
    let pb = runbook::playbook::parse(text, Path::new("pod-crashloop.yaml")).expect("parses");
    let (checks, errors) = CheckSet::compile(&pb);
    assert!(errors.is_empty());
    let scope = Scope::new(Some("shop".into()), Some("app=checkout"), None).expect("scope");
    let params = [
        ("namespace".to_string(), "shop".to_string()),
        ("deployment".to_string(), "checkout".to_string()),
    ]
    .into();
    let now = jiff::Timestamp::now().as_second();
    let before = checks.evaluate_all(&snap, &scope, &params, now);
    assert_eq!(before["crashlooping"].result, CheckResult::Pass);
    assert_eq!(before["oomkilled"].result, CheckResult::Pass);
    assert_eq!(before["recovered"].result, CheckResult::Fail);

    // The fix: a memory limit above what checkout needs, as `kubectl set
    // resources` sends it. (A rollout restart used to "fix" this drill: the
    // bug of issue #13; it now makes pods that crash the same way.)
    let api: Api<Deployment> = Api::namespaced(cluster.client.clone(), "shop");
    let patch = serde_json::json!({"spec": {"template": {"spec": {"containers": [
        {"name": "checkout", "resources": {"limits": {"memory": "512Mi"}}}]}}}});
    api.patch(
        "checkout",
        &PatchParams::default(),
        &Patch::Strategic(&patch),
    )
    .await
    .expect("set resources");
    for _ in 0..12 {
        sim.advance(Duration::from_secs(5));
    }
    let snap = until(&mut rx, "recovered pods", |s| {
        s.pods()
            .rows
            .iter()
            .filter(|p| p.labels.get("app").is_some_and(|a| a == "checkout"))
            .all(|p| p.is_healthy())
    })
    .await;
    let after = checks.evaluate_all(&snap, &scope, &params, now);
    assert_eq!(after["recovered"].result, CheckResult::Pass);
    assert_eq!(after["crashlooping"].result, CheckResult::Fail);
}

const FAULTY: &str = r#"
apiVersion: runbook/v1
kind: Scenario
metadata: { name: faulty, title: Faulty API }
objects:
  - apiVersion: v1
    kind: Pod
    metadata: { name: web-1, namespace: shop, labels: { app: web } }
    spec: { containers: [ { name: web, image: nginx } ], nodeName: node-a }
    status:
      phase: Running
      conditions: [ { type: Ready, status: "True" } ]
      containerStatuses:
        - { name: web, image: nginx, ready: true, restartCount: 0, state: { running: { startedAt: "2025-11-25T06:00:00Z" } } }
faults:
  forbidden: [nodes]
  outages: [ { after: 1s, for: 4s } ]
"#;

#[tokio::test]
async fn a_forbidden_resource_stays_in_its_pane_and_an_outage_is_survived() {
    let dir = tempfile::tempdir().expect("tempdir");
    let scenario = Scenario::from_yaml(FAULTY, Path::new("faulty.yaml")).expect("scenario");
    let (_sim, cluster) = start(scenario, dir.path()).await;
    let mut rx = cluster.snapshots.clone();
    let snap = until(&mut rx, "pods live and nodes forbidden", |s| {
        s.pods().state == ResourceState::Live
            && matches!(s.nodes().state, ResourceState::Forbidden(_))
    })
    .await;
    assert_eq!(snap.pods().rows.len(), 1);
    let ResourceState::Forbidden(message) = &snap.nodes().state else {
        unreachable!()
    };
    assert_eq!(
        message,
        "forbidden: cannot list nodes at cluster scope (the role lacks list/watch on nodes)"
    );
    assert_eq!(
        snap.connection,
        Connection::Live,
        "one forbidden resource is not a dead connection"
    );

    // During the outage the data is kept and marked stale; afterwards it is live again.
    let during = until(&mut rx, "the outage", |s| {
        matches!(s.connection, Connection::Reconnecting { .. })
    })
    .await;
    assert_eq!(during.pods().rows.len(), 1, "rows survive an outage");
    let after = until(&mut rx, "recovery", |s| {
        s.connection == Connection::Live && s.pods().state == ResourceState::Live
    })
    .await;
    assert_eq!(after.pods().rows.len(), 1);
}

#[tokio::test]
async fn detail_and_logs_are_fetched_on_demand() {
    let dir = tempfile::tempdir().expect("tempdir");
    let scenario = sim::load("checkout-oom").expect("built-in scenario");
    let shop = Focus {
        namespace: Some("shop".into()),
        ..Focus::default()
    };
    // The simulated clock moves only when the test steps it.
    let manual = SimOptions {
        manual_clock: true,
        ..SimOptions::default()
    };
    let (_sim, cluster) = start_with_options(scenario, dir.path(), shop, manual).await;
    let mut rx = cluster.snapshots.clone();
    let snap = until(&mut rx, "crashing pods", |s| {
        s.pods().rows.iter().any(|p| p.status == "CrashLoopBackOff")
    })
    .await;
    let pod = snap
        .pods()
        .rows
        .iter()
        .find(|p| p.status == "CrashLoopBackOff")
        .expect("pod")
        .name
        .clone();
    let events: Vec<_> = snap.events().rows.iter().map(|e| (**e).clone()).collect();
    let now = jiff::Timestamp::now().as_second();
    let lines = runbook::cluster::fetch::detail(&cluster.client, "Pod", "shop", &pod, &events, now)
        .await
        .expect("detail");
    let text = lines.join("\n");
    assert!(text.contains("Status:       CrashLoopBackOff"), "{text}");
    assert!(
        text.contains("Terminated (OOMKilled, exit code 137"),
        "{text}"
    );
    let logs = runbook::cluster::fetch::logs(&cluster.client, "shop", &pod, true)
        .await
        .expect("logs");
    assert!(!logs.is_empty());
    let err = runbook::cluster::fetch::detail(&cluster.client, "Pod", "shop", "nope", &events, now)
        .await
        .expect_err("404");
    assert!(err.contains("not found"), "{err}");
    // #24 (4): a node as `kubectl describe node` shows it: its pods with
    // their requests, addresses, allocatable, and its Lease.
    let node = snap
        .pods()
        .rows
        .iter()
        .find_map(|p| p.node.clone())
        .expect("a scheduled pod");
    let lines = runbook::cluster::fetch::detail(&cluster.client, "Node", "", &node, &events, now)
        .await
        .expect("node detail");
    let text = lines.join("\n");
    for want in [
        "Addresses:",
        "Allocatable:",
        "Non-terminated Pods: (",
        &pod,
        "Lease:",
        "HolderIdentity:",
    ] {
        assert!(text.contains(want), "{want} missing:\n{text}");
    }
    let events_at = text.find("Events:").expect("events");
    assert!(
        text.find("Lease:").is_some_and(|l| l < events_at),
        "events last:\n{text}"
    );
}

const LOGGING_POD: &str = r#"
apiVersion: runbook/v1
kind: Scenario
metadata: { name: logging, params: { namespace: shop } }
objects:
  - apiVersion: v1
    kind: Pod
    metadata: { name: web-1, namespace: shop }
    spec: { containers: [ { name: web, image: web:1 } ] }
    status:
      phase: Running
      containerStatuses: [ { name: web, image: web:1, ready: true, restartCount: 0, state: { running: {} } } ]
logs:
  shop/web-1: "GET / 200\nGET /cart 200\n"
phases:
  - when: { step: busy }
    logs:
      shop/web-1: "GET /pay 500 \u001b]0;owned\u0007boom\nGET /pay 200\n"
"#;

#[tokio::test]
async fn followed_logs_stream_what_the_pod_writes_next_inert() {
    use futures::StreamExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let scenario = Scenario::from_yaml(LOGGING_POD, Path::new("logging.yaml")).expect("scenario");
    let (sim, cluster) = start(scenario, dir.path()).await;
    let stream = runbook::cluster::fetch::follow_logs(&cluster.client, "shop", "web-1")
        .await
        .expect("follow");
    futures::pin_mut!(stream);
    let mut seen: Vec<String> = Vec::new();
    let mut read_until = async |seen: &mut Vec<String>, last: &str| {
        while !seen.iter().any(|l| l.contains(last)) {
            let batch = tokio::time::timeout(Duration::from_secs(30), stream.next())
                .await
                .unwrap_or_else(|_| panic!("never saw {last}: {seen:?}"))
                .expect("the stream stays open")
                .expect("lines");
            seen.extend(batch);
        }
    };
    read_until(&mut seen, "GET /cart 200").await;
    assert_eq!(seen, ["GET / 200", "GET /cart 200"]);
    // The pod writes more while the responder watches.
    sim.reached_step("busy");
    read_until(&mut seen, "GET /pay 200").await;
    assert_eq!(seen[2..], ["GET /pay 500 boom", "GET /pay 200"]);
    assert!(
        seen.iter()
            .all(|l| !l.contains('\u{1b}') && !l.contains('\u{7}'))
    );
}

fn two_context_kubeconfig(dir: &Path, alpha: &SimHandle, beta: &SimHandle) -> std::path::PathBuf {
    let path = dir.join("two-contexts");
    let text = format!(
        "apiVersion: v1
kind: Config
clusters:
- {{ name: alpha, cluster: {{ server: '{a}' }} }}
- {{ name: beta, cluster: {{ server: '{b}' }} }}
users:
- {{ name: drill, user: {{ token: drill-token }} }}
contexts:
- {{ name: alpha, context: {{ cluster: alpha, user: drill, namespace: shop }} }}
- {{ name: beta, context: {{ cluster: beta, user: drill, namespace: shop }} }}
current-context: alpha
",
        a = alpha.url(),
        b = beta.url()
    );
    std::fs::write(&path, text).expect("kubeconfig");
    path
}

#[tokio::test]
async fn a_context_switch_moves_the_panes_to_the_other_cluster() {
    use runbook::cluster::switchboard::Switchboard;
    let dir = tempfile::tempdir().expect("tempdir");
    let loopback = SocketAddr::from(([127, 0, 0, 1], 0));
    let alpha = Simulator::start(sim::load("checkout-oom").expect("scenario"), loopback, None)
        .await
        .expect("alpha");
    let beta = Simulator::start(sim::load("node-down").expect("scenario"), loopback, None)
        .await
        .expect("beta");
    let kubeconfig = two_context_kubeconfig(dir.path(), &alpha, &beta);
    let board = Switchboard::start(
        tokio::runtime::Handle::current(),
        ClusterConfig {
            kubeconfig: Some(kubeconfig),
            context: None,
        },
        Focus::default(),
    );
    let mut rx = board.snapshots();
    let on_alpha = until(&mut rx, "alpha's crashing pods", |s| {
        s.context.as_deref() == Some("alpha")
            && s.connection == Connection::Live
            && s.pods().rows.iter().any(|p| p.status == "CrashLoopBackOff")
    })
    .await;
    assert!(board.clients().borrow().is_some(), "a client for actions");

    board.switch(Some("beta".into()));
    let on_beta = until(&mut rx, "beta's NotReady node", |s| {
        s.context.as_deref() == Some("beta")
            && s.nodes()
                .rows
                .iter()
                .any(|n| n.name == "node-b" && n.ready != Some(true))
    })
    .await;
    assert!(
        on_beta.generation > on_alpha.generation,
        "generations only go up across a switch"
    );
    assert!(
        !on_beta
            .pods()
            .rows
            .iter()
            .any(|p| p.status == "CrashLoopBackOff"),
        "nothing of alpha is left in the panes"
    );

    board.switch(Some("gamma".into()));
    let failed = until(&mut rx, "a failed switch", |s| {
        matches!(&s.connection, Connection::Failed(_))
    })
    .await;
    assert_eq!(
        failed.connection,
        Connection::Failed("context `gamma` is not in the kubeconfig".into())
    );
    assert!(
        board.clients().borrow().is_none(),
        "no client for a failed context"
    );
    board.stop();
}

#[tokio::test]
async fn a_node_focus_watches_that_nodes_pods_in_every_namespace() {
    let dir = tempfile::tempdir().expect("tempdir");
    let scenario = sim::load("node-down").expect("built-in scenario");
    let focus = Focus {
        node: Some("node-b".into()),
        ..Focus::default()
    };
    let (_sim, cluster) = start_with(scenario, dir.path(), focus).await;
    let mut rx = cluster.snapshots.clone();
    let snap = until(&mut rx, "node-b's pods", |s| {
        s.connection == Connection::Live && s.pods().state == ResourceState::Live
    })
    .await;
    let mut on_b: Vec<(String, String)> = snap
        .pods()
        .rows
        .iter()
        .map(|p| {
            (
                p.namespace.to_string(),
                p.node.as_deref().unwrap_or("").to_string(),
            )
        })
        .collect();
    on_b.dedup();
    assert_eq!(
        on_b,
        [("shop".to_string(), "node-b".to_string())],
        "only node-b's pods, found in namespace shop though the focus names none"
    );
    assert_eq!(snap.pods().rows.len(), 2);
    // Events about those pods live in their namespace; the node's own in default.
    let events = until(&mut rx, "events in both namespaces", |s| {
        let ns: std::collections::BTreeSet<&str> = s
            .events()
            .rows
            .iter()
            .map(|e| e.namespace.as_str())
            .collect();
        ns.contains("shop") && ns.contains("default")
    })
    .await;
    assert!(events.events().rows.len() >= 2);
    // Widening drops the node's field selector: all seven pods.
    cluster.set_all_namespaces(true);
    until(&mut rx, "all pods", |s| s.pods().rows.len() == 7).await;
}

#[tokio::test]
async fn the_switchboard_keeps_a_node_focus_off_the_default_namespace() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sim = Simulator::start(
        sim::load("node-down").expect("scenario"),
        SocketAddr::from(([127, 0, 0, 1], 0)),
        None,
    )
    .await
    .expect("simulator");
    let kubeconfig = dir.path().join("kubeconfig");
    sim.write_kubeconfig(&kubeconfig).expect("kubeconfig");
    let board = runbook::cluster::switchboard::Switchboard::start(
        tokio::runtime::Handle::current(),
        ClusterConfig {
            kubeconfig: Some(kubeconfig),
            context: None,
        },
        Focus {
            node: Some("node-b".into()),
            ..Focus::default()
        },
    );
    let mut rx = board.snapshots();
    let snap = until(&mut rx, "node-b's two pods", |s| {
        s.connection == Connection::Live && s.pods().rows.len() == 2
    })
    .await;
    assert!(
        snap.pods()
            .rows
            .iter()
            .all(|p| p.node.as_deref() == Some("node-b"))
    );
    board.stop();
}

mod auth;
mod drill_checks;
mod kinds;

#[tokio::test]
async fn events_come_from_events_k8s_io_when_core_events_are_forbidden() {
    let dir = tempfile::tempdir().expect("tempdir");
    let yaml = r#"
apiVersion: runbook/v1
kind: Scenario
metadata: { name: rbac-events }
objects:
  - apiVersion: v1
    kind: Event
    metadata: { name: web-1.1, namespace: shop }
    involvedObject: { kind: Pod, name: web-1, namespace: shop }
    type: Warning
    reason: BackOff
    message: "Back-off restarting failed container"
    count: 4
    lastTimestamp: "2025-06-01T12:00:00Z"
faults:
  forbidden: [events]
"#;
    let scenario = Scenario::from_yaml(yaml, Path::new("rbac.yaml")).expect("scenario");
    let (_sim, cluster) = start(scenario, dir.path()).await;
    let mut rx = cluster.snapshots.clone();
    let snap = until(&mut rx, "events through events.k8s.io/v1", |s| {
        s.events().state == ResourceState::Live && !s.events().rows.is_empty()
    })
    .await;
    let e = &snap.events().rows[0];
    assert_eq!(
        (e.reason.as_str(), e.object_name.as_str(), e.type_.as_str()),
        ("BackOff", "web-1", "Warning")
    );
    // Both forbidden: the pane says what the role lacks, as before.
    let both = yaml.replace("[events]", "[events, events.events.k8s.io]");
    let scenario = Scenario::from_yaml(&both, Path::new("rbac.yaml")).expect("scenario");
    let (_sim, cluster) = start(scenario, dir.path()).await;
    let mut rx = cluster.snapshots.clone();
    until(&mut rx, "events forbidden", |s| {
        matches!(&s.events().state, ResourceState::Forbidden(m) if m.contains("cannot list events in namespace shop"))
    })
    .await;
}
