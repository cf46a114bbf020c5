//! The built-in actions on real objects, with the real controllers
//! reacting: cordon, drain through the eviction API (a budget that allows
//! no disruption answers 429 and the drain says which budget), scale (the
//! ReplicaSet follows), rollout restart (restartedAt, a new ReplicaSet) and
//! delete pod (the ReplicaSet replaces it). No kubelet runs, so the pods
//! the budget counts are marked Running and Ready through their status.

use std::time::Duration;

use ::kube::Api;
use ::kube::api::ListParams;
use k8s_openapi::api::core::v1::{Node, Pod};
use runbook::cluster::actions::{ActionKind, ActionRequest, Mutations, execute_with_wait, preview};
use runbook::cluster::drain::{DrainView, Progress, Reporter};
use tokio::sync::{mpsc, watch as tokio_watch};

use super::*;

const CLUSTER: &str = r#"
apiVersion: v1
kind: Node
metadata: { name: NODE, labels: { kubernetes.io/hostname: NODE } }
spec:
  # Only this test's pods, bound by name, are on it.
  taints: [ { key: runbook.test/actions, effect: NoSchedule } ]
status:
  conditions: [ { type: Ready, status: "True", reason: KubeletReady, message: ready } ]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: NS }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      nodeName: NODE
      containers: [ { name: web, image: "registry.example/web:1" } ]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: web, namespace: NS }
spec:
  maxUnavailable: 0
  selector: { matchLabels: { app: web } }
---
apiVersion: v1
kind: Pod
metadata: { name: batch-1, namespace: NS, labels: { app: batch } }
spec:
  nodeName: NODE
  containers: [ { name: batch, image: "registry.example/batch:1" } ]
"#;

/// Made after the drain, which would otherwise evict it too.
const API: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: NS }
spec:
  replicas: 1
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      nodeName: NODE
      containers: [ { name: api, image: "registry.example/api:1" } ]
"#;

fn reporter() -> (
    Reporter,
    mpsc::Receiver<Progress>,
    tokio_watch::Sender<bool>,
) {
    let (tx, rx) = mpsc::channel(256);
    let (stop, stopped) = tokio_watch::channel(false);
    (Reporter::new(tx, stopped), rx, stop)
}

/// Waits until `ok` holds for the pods of `ns` with `selector`.
async fn pods_until(
    client: &::kube::Client,
    ns: &str,
    selector: &str,
    what: &str,
    ok: impl Fn(&[Pod]) -> bool,
) -> Vec<Pod> {
    let api: Api<Pod> = Api::namespaced(client.clone(), ns);
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let pods = api
            .list(&ListParams::default().labels(selector))
            .await
            .expect("list pods")
            .items;
        if ok(&pods) {
            return pods;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never saw {what}: {pods:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn name(p: &Pod) -> String {
    p.metadata.name.clone().unwrap_or_default()
}

fn terminating(p: &Pod) -> bool {
    p.metadata.deletion_timestamp.is_some()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_actions_do_what_kubectl_would_with_the_controllers_reacting() {
    let Some(cp) = control_plane() else { return };
    let ns = namespace(cp, "real-actions");
    let node = format!("{ns}-node");
    cp.apply(&CLUSTER.replace("NODE", &node).replace("NS", &ns));
    let client = client(&cp.admin()).await;
    let permit = Mutations::allow(false).expect("permit");

    // The budget's pods, Running and Ready as a kubelet would report them.
    let web = pods_until(&client, &ns, "app=web", "two web pods", |p| p.len() == 2).await;
    for pod in &web {
        cp.kubectl_ok(&[
            "patch",
            "pod",
            &name(pod),
            "-n",
            &ns,
            "--subresource=status",
            "--type=merge",
            "-p",
            r#"{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}"#,
        ]);
    }
    cp.kubectl_ok(&[
        "wait",
        "-n",
        &ns,
        "pdb/web",
        "--for=jsonpath={.status.currentHealthy}=2",
        "--timeout=90s",
    ]);

    // Cordon: what `kubectl cordon` does.
    let cordon = ActionRequest::new(ActionKind::Cordon, &format!("node/{node}"), &ns, None)
        .expect("request");
    assert_eq!(
        preview(&client, &cordon, &permit).await.expect("preview"),
        format!("node {node} would be cordoned")
    );
    let (tx, _rx, _stop) = reporter();
    execute_with_wait(&client, &cordon, &permit, tx, Duration::from_secs(1))
        .await
        .expect("cordon");
    let nodes: Api<Node> = Api::all(client.clone());
    let spec = nodes
        .get(&node)
        .await
        .expect("node")
        .spec
        .unwrap_or_default();
    assert_eq!(spec.unschedulable, Some(true));

    // Drain: batch-1 is evicted; the budget allows no disruption, so the
    // eviction API answers 429 for the web pods and the drain names it.
    let drain =
        ActionRequest::new(ActionKind::Drain, &format!("node/{node}"), &ns, None).expect("request");
    // batch-1 has no controller: kubectl drain refuses it without --force;
    // the preview the responder confirms says it will not come back.
    let summary = preview(&client, &drain, &permit).await.expect("preview");
    assert!(
        summary.contains("NOT recreated (no controller owns them): batch-1"),
        "{summary}"
    );
    let (tx, mut rx, _stop) = reporter();
    let result = execute_with_wait(&client, &drain, &permit, tx, Duration::from_secs(3))
        .await
        .expect("drain");
    assert!(
        result.starts_with(&format!(
            "drained {node}: evicted 1, blocked by a PodDisruptionBudget 2"
        )),
        "{result}"
    );
    let mut view = DrainView::default();
    while let Ok(p) = rx.try_recv() {
        view.apply(&p);
    }
    let record = view.record(false, false);
    let mut outcomes: Vec<(String, String)> = record
        .pods
        .iter()
        .map(|p| (p.pod.clone(), p.outcome.to_string()))
        .collect();
    outcomes.sort();
    let mut want = vec![(format!("{ns}/batch-1"), "evicted".to_string())];
    for pod in &web {
        want.push((
            format!("{ns}/{}", name(pod)),
            "blocked by PodDisruptionBudget web".into(),
        ));
    }
    want.sort();
    assert_eq!(outcomes, want);
    // The API server's word: 429s from the eviction subresource, a 201 for batch-1.
    let evictions: Vec<(String, i64)> = audit_events(cp)
        .iter()
        .filter(|e| {
            e["objectRef"]["subresource"] == "eviction"
                && e["objectRef"]["namespace"] == ns.as_str()
        })
        .map(|e| {
            (
                e["objectRef"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                e["responseStatus"]["code"].as_i64().unwrap_or_default(),
            )
        })
        .collect();
    assert!(
        evictions.contains(&("batch-1".into(), 201)),
        "{evictions:?}"
    );
    for pod in &web {
        assert!(evictions.contains(&(name(pod), 429)), "{evictions:?}");
    }
    // Evicted: deleted gracefully (no kubelet ends it, so it stays Terminating).
    let batch: Api<Pod> = Api::namespaced(client.clone(), &ns);
    let evicted = batch.get_opt("batch-1").await.expect("get");
    assert!(evicted.as_ref().is_none_or(terminating), "{evicted:?}");

    // Scale: the Deployment's ReplicaSet follows.
    let scale =
        ActionRequest::new(ActionKind::Scale, "deployment/web", &ns, Some(3)).expect("request");
    assert_eq!(
        preview(&client, &scale, &permit).await.expect("preview"),
        format!("deployment {ns}/web would be scaled from 2 to 3")
    );
    let (tx, _rx, _stop) = reporter();
    execute_with_wait(&client, &scale, &permit, tx, Duration::from_secs(1))
        .await
        .expect("scale");
    cp.kubectl_ok(&[
        "wait",
        "-n",
        &ns,
        "rs",
        "-l",
        "app=web",
        "--for=jsonpath={.spec.replicas}=3",
        "--timeout=90s",
    ]);
    pods_until(&client, &ns, "app=web", "a third web pod", |p| p.len() == 3).await;

    // Rollout restart: restartedAt in the template, and a new ReplicaSet.
    let restart = ActionRequest::new(ActionKind::RolloutRestart, "deployment/web", &ns, None)
        .expect("request");
    let (tx, _rx, _stop) = reporter();
    execute_with_wait(&client, &restart, &permit, tx, Duration::from_secs(1))
        .await
        .expect("restart");
    let restarted_at = cp.kubectl_ok(&[
        "get",
        "deployment",
        "web",
        "-n",
        &ns,
        "-o",
        r#"jsonpath={.spec.template.metadata.annotations.kubectl\.kubernetes\.io/restartedAt}"#,
    ]);
    assert!(
        restarted_at.parse::<jiff::Timestamp>().is_ok(),
        "restartedAt is a time: {restarted_at:?}"
    );
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        let sets = cp.kubectl_ok(&["get", "rs", "-n", &ns, "-l", "app=web", "-o", "name"]);
        if sets.lines().count() == 2 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no new ReplicaSet: {sets}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // Delete pod: graceful, as `kubectl delete pod`; the ReplicaSet makes another.
    cp.apply(&API.replace("NODE", &node).replace("NS", &ns));
    let api = pods_until(&client, &ns, "app=api", "the api pod", |p| p.len() == 1).await;
    let first = name(&api[0]);
    let delete = ActionRequest::new(ActionKind::DeletePod, &format!("pod/{first}"), &ns, None)
        .expect("request");
    let (tx, _rx, _stop) = reporter();
    execute_with_wait(&client, &delete, &permit, tx, Duration::from_secs(1))
        .await
        .expect("delete");
    let after = pods_until(&client, &ns, "app=api", "a replacement api pod", |p| {
        p.iter().any(|p| name(p) != first && !terminating(p))
    })
    .await;
    let gone = after.iter().find(|p| name(p) == first);
    assert!(gone.is_none_or(terminating), "{gone:?}");
}
