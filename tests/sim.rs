//! The simulator over loopback, through kube-rs and kubectl as a real cluster.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::core::v1::{Node, Pod};
use kube::api::{Api, ListParams, Patch, PatchParams, WatchEvent, WatchParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::runtime::watcher;
use kube::{Client, Config};
use runbook::sim::{self, Scenario, SimHandle, Simulator};

/// Upper bound for anything that should happen at once; only reached on a hang.
const PATIENCE: Duration = Duration::from_secs(30);

fn loopback() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

fn scenario(yaml: &str) -> Scenario {
    Scenario::from_yaml(yaml, Path::new("test.yaml")).unwrap()
}

async fn client_for(handle: &SimHandle) -> Client {
    let kubeconfig = Kubeconfig::from_yaml(&handle.kubeconfig_yaml()).unwrap();
    let mut config = Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
        .await
        .unwrap();
    // kube-rs retries 429 and 503 by itself; the tests want to see them.
    config.default_retry = false;
    Client::try_from(config).unwrap()
}

async fn start(scenario: Scenario) -> (SimHandle, Client) {
    let handle = Simulator::start(scenario, loopback(), None).await.unwrap();
    let client = client_for(&handle).await;
    (handle, client)
}

async fn soon<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(PATIENCE, future)
        .await
        .expect("the simulator did not answer")
}

const ONE_POD: &str = r#"
apiVersion: runbook/v1
kind: Scenario
metadata: { name: one-pod, params: { namespace: shop } }
objects:
  - apiVersion: v1
    kind: Pod
    metadata: { name: web-1, namespace: shop, labels: { app: web } }
    spec: { containers: [ { name: web, image: web:1 } ] }
    status: { phase: Pending }
phases:
  - when: { step: fix }
    apply:
      - apiVersion: v1
        kind: Pod
        metadata: { name: web-1, namespace: shop }
        status: { phase: Running }
"#;

#[tokio::test]
async fn kube_rs_lists_the_builtin_drill() {
    let (handle, client) = start(sim::load(sim::DEFAULT_SCENARIO).unwrap()).await;
    let pods: Api<Pod> = Api::namespaced(client.clone(), "shop");
    let list = soon(pods.list(&ListParams::default())).await.unwrap();
    let names: Vec<String> = list
        .items
        .iter()
        .map(|p| p.metadata.name.clone().unwrap())
        .collect();
    assert!(
        names.contains(&"checkout-6d8f9c7b5-x2k4q".to_string()),
        "{names:?}"
    );
    let crashing = list
        .items
        .iter()
        .find(|p| p.metadata.name.as_deref() == Some("checkout-6d8f9c7b5-x2k4q"))
        .unwrap();
    let status = &crashing
        .status
        .as_ref()
        .unwrap()
        .container_statuses
        .as_ref()
        .unwrap()[0];
    let last = status
        .last_state
        .as_ref()
        .unwrap()
        .terminated
        .as_ref()
        .unwrap();
    assert_eq!(
        (last.reason.as_deref(), last.exit_code),
        (Some("OOMKilled"), 137)
    );
    assert!(list.metadata.resource_version.is_some());

    let nodes: Api<Node> = Api::all(client);
    let node = soon(nodes.get("node-a")).await.unwrap();
    assert_eq!(
        node.status.unwrap().node_info.unwrap().kubelet_version,
        "v1.33.1"
    );
    let missing = soon(nodes.get("node-z")).await.unwrap_err();
    assert!(missing.to_string().contains("not found"), "{missing}");
    handle.shutdown().await;
}

#[tokio::test]
async fn watcher_sees_added_then_modified_after_a_phase() {
    let (handle, client) = start(scenario(ONE_POD)).await;
    let pods: Api<Pod> = Api::namespaced(client, "shop");

    // The raw watch from "0": the current objects as ADDED, then changes.
    let mut raw = soon(pods.watch(&WatchParams::default(), "0"))
        .await
        .unwrap()
        .boxed();
    match soon(raw.try_next()).await.unwrap() {
        Some(WatchEvent::Added(pod)) => {
            assert_eq!(pod.status.unwrap().phase.as_deref(), Some("Pending"))
        }
        other => panic!("expected ADDED, got {other:?}"),
    }

    // kube-rs's watcher: list, then watch.
    let mut events = watcher(pods.clone(), watcher::Config::default()).boxed();
    loop {
        match soon(events.try_next()).await.unwrap() {
            Some(watcher::Event::InitDone) => break,
            Some(_) => {}
            None => panic!("the watcher ended"),
        }
    }

    handle.reached_step("fix");

    match soon(raw.try_next()).await.unwrap() {
        Some(WatchEvent::Modified(pod)) => {
            assert_eq!(pod.status.unwrap().phase.as_deref(), Some("Running"))
        }
        other => panic!("expected MODIFIED, got {other:?}"),
    }
    match soon(events.try_next()).await.unwrap() {
        Some(watcher::Event::Apply(pod)) => {
            assert_eq!(pod.status.unwrap().phase.as_deref(), Some("Running"));
            // The phase merged into the pod: its labels survive.
            assert_eq!(pod.metadata.labels.unwrap()["app"], "web");
        }
        other => panic!("expected Apply, got {other:?}"),
    }
    // A phase fires once.
    handle.reached_step("fix");
    let rv = handle.resource_version();
    handle.reached_step("fix");
    assert_eq!(handle.resource_version(), rv);
    handle.shutdown().await;
}

fn api_error(err: kube::Error) -> kube::core::Status {
    match err {
        kube::Error::Api(status) => *status,
        other => panic!("expected an API error, got {other}"),
    }
}

#[tokio::test]
async fn an_expired_resource_version_gets_410_gone() {
    let (handle, client) = start(scenario(ONE_POD)).await;
    let pods: Api<Pod> = Api::namespaced(client, "shop");
    let list = soon(pods.list(&ListParams::default())).await.unwrap();
    let old = list.metadata.resource_version.unwrap();
    handle.reached_step("fix");

    // Still in the history: the change since `old` is replayed.
    let mut replay = soon(pods.watch(&WatchParams::default(), &old))
        .await
        .unwrap()
        .boxed();
    match soon(replay.try_next()).await.unwrap() {
        Some(WatchEvent::Modified(pod)) => {
            assert_eq!(pod.status.unwrap().phase.as_deref(), Some("Running"))
        }
        other => panic!("expected MODIFIED, got {other:?}"),
    }

    handle.compact_history();
    let mut expired = soon(pods.watch(&WatchParams::default(), &old))
        .await
        .unwrap()
        .boxed();
    match soon(expired.try_next()).await.unwrap() {
        Some(WatchEvent::Error(status)) => {
            assert_eq!(status.code, 410);
            assert_eq!(status.reason, "Expired");
            assert!(
                status.message.contains("too old resource version"),
                "{}",
                status.message
            );
        }
        other => panic!("expected an ERROR event, got {other:?}"),
    }
    assert!(
        soon(expired.try_next()).await.unwrap().is_none(),
        "the stream ends after the error"
    );

    // kube-rs's watcher re-lists on 410 and carries on.
    let mut events = watcher(pods, watcher::Config::default()).boxed();
    let mut seen = Vec::new();
    while let Some(event) = soon(events.try_next()).await.unwrap() {
        match event {
            watcher::Event::InitApply(pod) => seen.push(pod.status.unwrap().phase.unwrap()),
            watcher::Event::InitDone => break,
            _ => {}
        }
    }
    assert_eq!(seen, ["Running"]);
    handle.shutdown().await;
}

const FORBIDDEN_NODES: &str = r#"
apiVersion: runbook/v1
kind: Scenario
metadata: { name: rbac }
objects:
  - { apiVersion: v1, kind: Node, metadata: { name: node-a } }
  - { apiVersion: v1, kind: Pod, metadata: { name: web-1, namespace: shop } }
faults:
  forbidden: [nodes]
"#;

#[tokio::test]
async fn forbidden_nodes_answer_403_while_pods_work() {
    let (handle, client) = start(scenario(FORBIDDEN_NODES)).await;
    let nodes: Api<Node> = Api::all(client.clone());
    let status = api_error(soon(nodes.list(&ListParams::default())).await.unwrap_err());
    assert_eq!(status.code, 403);
    assert_eq!(status.reason, "Forbidden");
    assert_eq!(
        status.message,
        r#"nodes is forbidden: User "drill" cannot list resource "nodes" in API group "" at the cluster scope"#
    );
    let status = api_error(soon(nodes.get("node-a")).await.unwrap_err());
    assert!(
        status.message.contains(r#"cannot get resource "nodes""#),
        "{}",
        status.message
    );

    let pods: Api<Pod> = Api::namespaced(client, "shop");
    let list = soon(pods.list(&ListParams::default())).await.unwrap();
    assert_eq!(list.items.len(), 1);
    handle.shutdown().await;
}

const OUTAGE: &str = r#"
apiVersion: runbook/v1
kind: Scenario
metadata: { name: outage }
objects:
  - { apiVersion: v1, kind: Pod, metadata: { name: web-1, namespace: shop } }
faults:
  outages: [ { after: 0s, for: 3s } ]
"#;

#[tokio::test]
async fn an_outage_answers_503_and_then_recovers() {
    let (handle, client) = start(scenario(OUTAGE)).await;
    let pods: Api<Pod> = Api::namespaced(client, "shop");
    let status = api_error(soon(pods.list(&ListParams::default())).await.unwrap_err());
    assert_eq!(status.code, 503);
    assert_eq!(status.reason, "ServiceUnavailable");

    // After the window the same request works again, and a watcher with
    // backoff gets through.
    let recovered = soon(async {
        loop {
            match pods.list(&ListParams::default()).await {
                Ok(list) => break list,
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
    })
    .await;
    assert_eq!(recovered.items.len(), 1);
    let mut events = watcher(pods, watcher::Config::default()).boxed();
    loop {
        match soon(events.try_next()).await {
            Ok(Some(watcher::Event::InitDone)) => break,
            Ok(Some(_)) => {}
            other => panic!("the watcher failed after recovery: {other:?}"),
        }
    }
    handle.shutdown().await;
}

fn names(pods: &[Pod]) -> Vec<String> {
    let mut names: Vec<String> = pods
        .iter()
        .map(|p| p.metadata.name.clone().unwrap())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn label_and_field_selectors_filter_lists() {
    let (handle, client) = start(sim::load("checkout-oom").unwrap()).await;
    let pods: Api<Pod> = Api::namespaced(client.clone(), "shop");
    let list = |labels: &str, fields: &str| {
        let pods = pods.clone();
        let params = ListParams::default().labels(labels).fields(fields);
        async move { soon(pods.list(&params)).await.map(|l| names(&l.items)) }
    };
    assert_eq!(list("app=checkout", "").await.unwrap().len(), 3);
    assert_eq!(
        list("app!=checkout", "").await.unwrap(),
        ["frontend-5c7d9f8b6-h4jxv", "frontend-5c7d9f8b6-p8nrt"]
    );
    assert_eq!(list("app in (frontend, nope)", "").await.unwrap().len(), 2);
    assert_eq!(list("app notin (frontend)", "").await.unwrap().len(), 3);
    assert_eq!(list("pod-template-hash", "").await.unwrap().len(), 5);
    assert_eq!(list("!team", "").await.unwrap().len(), 5);
    assert_eq!(
        list("app=checkout", "spec.nodeName=node-b").await.unwrap(),
        ["checkout-6d8f9c7b5-m7wzp"]
    );
    assert_eq!(
        list(
            "",
            "metadata.name=frontend-5c7d9f8b6-h4jxv,status.phase==Running"
        )
        .await
        .unwrap(),
        ["frontend-5c7d9f8b6-h4jxv"]
    );
    assert_eq!(list("", "status.phase!=Running").await.unwrap().len(), 0);
    let bad = api_error(list("app in frontend", "").await.unwrap_err());
    assert_eq!(bad.code, 400);

    let events: Api<k8s_openapi::api::core::v1::Event> = Api::namespaced(client.clone(), "shop");
    let params = ListParams::default().fields("involvedObject.name=checkout-6d8f9c7b5-x2k4q");
    let found = soon(events.list(&params)).await.unwrap();
    let reasons: Vec<String> = found
        .items
        .iter()
        .map(|e| e.reason.clone().unwrap())
        .collect();
    assert_eq!(reasons, ["BackOff", "Pulled"]);

    let everywhere: Api<Pod> = Api::all(client);
    let all = soon(everywhere.list(&ListParams::default().fields("metadata.namespace=shop")))
        .await
        .unwrap();
    assert_eq!(all.items.len(), 5);
    handle.shutdown().await;
}

#[tokio::test]
async fn paging_with_limit_and_continue() {
    let (handle, client) = start(sim::load("checkout-oom").unwrap()).await;
    let pods: Api<Pod> = Api::all(client);
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut params = ListParams::default().limit(2);
        if let Some(t) = &token {
            params = params.continue_token(t);
        }
        let page = soon(pods.list(&params)).await.unwrap();
        assert!(page.items.len() <= 2);
        pages += 1;
        seen.extend(names(&page.items));
        token = page.metadata.continue_.filter(|t| !t.is_empty());
        if let Some(remaining) = page.metadata.remaining_item_count {
            assert!(token.is_some());
            assert_eq!(remaining as usize, 5 - seen.len());
        }
        if token.is_none() {
            break;
        }
    }
    assert_eq!(pages, 3);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 5, "{seen:?}");

    // A continue token from before a compaction has expired.
    let first = soon(pods.list(&ListParams::default().limit(2)))
        .await
        .unwrap();
    let nodes: Api<Node> = Api::all(pods.clone().into_client());
    let label = serde_json::json!({ "metadata": { "labels": { "drill": "yes" } } });
    soon(nodes.patch("node-a", &PatchParams::default(), &Patch::Merge(&label)))
        .await
        .unwrap();
    handle.compact_history();
    let token = first.metadata.continue_.unwrap();
    let status = api_error(
        soon(pods.list(&ListParams::default().limit(2).continue_token(&token)))
            .await
            .unwrap_err(),
    );
    assert_eq!((status.code, status.reason.as_str()), (410, "Expired"));
    handle.shutdown().await;
}

#[tokio::test]
async fn dry_run_writes_answer_but_change_nothing() {
    let (handle, client) = start(sim::load("checkout-oom").unwrap()).await;
    let before = handle.resource_version();
    let dry = PatchParams {
        dry_run: true,
        ..PatchParams::default()
    };

    let nodes: Api<Node> = Api::all(client.clone());
    let cordon = serde_json::json!({ "spec": { "unschedulable": true } });
    let answered = soon(nodes.patch("node-a", &dry, &Patch::Strategic(&cordon)))
        .await
        .unwrap();
    assert_eq!(answered.spec.unwrap().unschedulable, Some(true));
    let stored = soon(nodes.get("node-a")).await.unwrap();
    assert_eq!(stored.spec.unwrap().unschedulable, None);

    // A dry-run restart fires no phase: the crashing pods stay.
    let deployments: Api<k8s_openapi::api::apps::v1::Deployment> =
        Api::namespaced(client.clone(), "shop");
    let restart = serde_json::json!({ "spec": { "template": { "metadata": { "annotations": {
        "kubectl.kubernetes.io/restartedAt": "2025-06-01T12:00:00Z" } } } } });
    soon(deployments.patch("checkout", &dry, &Patch::Merge(&restart)))
        .await
        .unwrap();

    let pods: Api<Pod> = Api::namespaced(client, "shop");
    let delete = kube::api::DeleteParams::default().dry_run();
    soon(pods.delete("checkout-6d8f9c7b5-x2k4q", &delete))
        .await
        .unwrap();
    // Dry run goes in the query: kube-rs sends `deleteOptions` as
    // `delete_options`, which a real API server ignores too.
    let evict = kube::api::EvictParams {
        post_options: kube::api::PostParams {
            dry_run: true,
            ..Default::default()
        },
        ..Default::default()
    };
    soon(pods.evict("frontend-5c7d9f8b6-h4jxv", &evict))
        .await
        .unwrap();

    assert_eq!(handle.resource_version(), before, "nothing was stored");
    let left = soon(pods.list(&ListParams::default())).await.unwrap();
    assert_eq!(
        names(&left.items),
        [
            "checkout-6d8f9c7b5-m7wzp",
            "checkout-6d8f9c7b5-q9dtn",
            "checkout-6d8f9c7b5-x2k4q",
            "frontend-5c7d9f8b6-h4jxv",
            "frontend-5c7d9f8b6-p8nrt"
        ]
    );

    // The real restart does fire the phase: new healthy pods replace the old.
    soon(deployments.patch("checkout", &PatchParams::default(), &Patch::Merge(&restart)))
        .await
        .unwrap();
    let after = soon(pods.list(&ListParams::default().labels("app=checkout")))
        .await
        .unwrap();
    assert_eq!(
        names(&after.items),
        [
            "checkout-7f4b8d6c9-b5vkr",
            "checkout-7f4b8d6c9-wq2hn",
            "checkout-7f4b8d6c9-zr8tm"
        ]
    );
    let checkout = soon(deployments.get("checkout")).await.unwrap();
    assert_eq!(checkout.status.unwrap().ready_replicas, Some(3));
    let annotations = checkout
        .spec
        .unwrap()
        .template
        .metadata
        .unwrap()
        .annotations
        .unwrap();
    assert!(annotations.contains_key("kubectl.kubernetes.io/restartedAt"));
    handle.shutdown().await;
}

#[tokio::test]
async fn eviction_respects_the_disruption_budget() {
    let (handle, client) = start(sim::load("node-down").unwrap()).await;
    let pods: Api<Pod> = Api::namespaced(client, "shop");
    let evict = kube::api::EvictParams::default();

    // A pod that is not healthy (stuck on the dead node) may always go; the
    // first eviction is the drain, whose phase clears node-b.
    soon(pods.evict("checkout-6d8f9c7b5-m7wzp", &evict))
        .await
        .unwrap();
    let status = api_error(
        soon(pods.get("checkout-6d8f9c7b5-m7wzp"))
            .await
            .unwrap_err(),
    );
    assert_eq!(status.code, 404);
    let status = api_error(soon(pods.get("cart-84c9d6f7b-wn6sd")).await.unwrap_err());
    assert_eq!(status.code, 404);

    // checkout: 3 healthy pods, minAvailable 2. One may go, the next may not.
    soon(pods.evict("checkout-6d8f9c7b5-x2k4q", &evict))
        .await
        .unwrap();
    let status = api_error(
        soon(pods.evict("checkout-6d8f9c7b5-q9dtn", &evict))
            .await
            .unwrap_err(),
    );
    assert_eq!(status.code, 429);
    assert_eq!(status.reason, "TooManyRequests");
    assert_eq!(
        status.message,
        "Cannot evict pod as it would violate the pod's disruption budget."
    );
    let cause = &status.details.unwrap().causes[0];
    assert_eq!(cause.reason, "DisruptionBudget");
    assert_eq!(
        cause.message,
        "The disruption budget checkout needs 2 healthy pods and has 2 currently"
    );
    assert!(soon(pods.get("checkout-6d8f9c7b5-q9dtn")).await.is_ok());
    handle.shutdown().await;
}

#[tokio::test]
async fn the_audit_log_has_a_line_per_request() {
    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("audit.log");
    let handle = Simulator::start(scenario(ONE_POD), loopback(), Some(audit.clone()))
        .await
        .unwrap();
    let client = client_for(&handle).await;
    let pods: Api<Pod> = Api::namespaced(client, "shop");
    soon(pods.list(&ListParams::default().labels("app=web")))
        .await
        .unwrap();
    soon(pods.get("nope")).await.unwrap_err();
    let params = WatchParams::default().timeout(1);
    let stream = soon(pods.watch(&params, "0")).await.unwrap();
    let events: Vec<_> = soon(stream.collect::<Vec<_>>()).await;
    assert_eq!(
        events.len(),
        1,
        "one ADDED, then the timeout ends the watch"
    );
    let label = serde_json::json!({ "metadata": { "labels": { "seen": "yes" } } });
    soon(pods.patch("web-1", &PatchParams::default(), &Patch::Merge(&label)))
        .await
        .unwrap();
    soon(pods.delete("web-1", &Default::default()))
        .await
        .unwrap();
    handle.shutdown().await;

    let text = std::fs::read_to_string(&audit).unwrap();
    let lines: Vec<(&str, &str, &str)> = text
        .lines()
        .map(|line| {
            let parts: Vec<&str> = line.split(' ').collect();
            assert_eq!(parts.len(), 4, "{line}");
            assert!(parts[0].parse::<jiff::Timestamp>().is_ok(), "{line}");
            (parts[1], parts[2], parts[3])
        })
        .collect();
    assert_eq!(
        lines,
        [
            (
                "list",
                "/api/v1/namespaces/shop/pods?&labelSelector=app%3Dweb",
                "200"
            ),
            ("get", "/api/v1/namespaces/shop/pods/nope", "404"),
            (
                "watch",
                "/api/v1/namespaces/shop/pods?&watch=true&timeoutSeconds=1&allowWatchBookmarks=true&resourceVersion=0",
                "200"
            ),
            ("patch", "/api/v1/namespaces/shop/pods/web-1?", "200"),
            ("delete", "/api/v1/namespaces/shop/pods/web-1?", "200"),
        ]
    );
}

/// kubectl against the written kubeconfig; `None` when kubectl is not installed.
async fn kubectl(kubeconfig: &Path, args: &[&str]) -> Option<String> {
    let output = tokio::process::Command::new("kubectl")
        .args(args)
        .env("KUBECONFIG", kubeconfig)
        .env_remove("KUBERNETES_SERVICE_HOST")
        .output();
    let output = match soon(output).await {
        Ok(output) => output,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return None,
        Err(err) => panic!("kubectl: {err}"),
    };
    assert!(
        output.status.success(),
        "kubectl {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8(output.stdout).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_reads_the_drill() {
    let handle = Simulator::start(sim::load("checkout-oom").unwrap(), loopback(), None)
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    handle.write_kubeconfig(&kubeconfig).unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&kubeconfig).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let Some(pods) = kubectl(&kubeconfig, &["get", "pods", "-n", "shop"]).await else {
        eprintln!("kubectl is not installed; skipping the kubectl checks");
        return;
    };
    let header = pods.lines().next().unwrap();
    for column in ["NAME", "READY", "STATUS", "RESTARTS", "AGE"] {
        assert!(header.contains(column), "{pods}");
    }
    let row = pods
        .lines()
        .find(|l| l.starts_with("checkout-6d8f9c7b5-x2k4q"))
        .unwrap_or_else(|| panic!("{pods}"));
    assert!(
        row.contains("0/1") && row.contains("CrashLoopBackOff"),
        "{row}"
    );
    assert!(
        row.contains("9 ("),
        "restarts with the last restart's age: {row}"
    );

    let nodes = kubectl(&kubeconfig, &["get", "nodes"]).await.unwrap();
    assert!(
        nodes
            .lines()
            .any(|l| l.starts_with("node-a") && l.contains("Ready") && l.contains("v1.33.1")),
        "{nodes}"
    );

    let events = kubectl(&kubeconfig, &["get", "events", "-n", "shop"])
        .await
        .unwrap();
    assert!(
        events
            .lines()
            .any(|l| l.contains("BackOff") && l.contains("pod/checkout-6d8f9c7b5-x2k4q")),
        "{events}"
    );

    let namespaces = kubectl(&kubeconfig, &["get", "namespaces"]).await.unwrap();
    assert!(
        namespaces
            .lines()
            .any(|l| l.starts_with("shop") && l.contains("Active")),
        "{namespaces}"
    );

    let logs = kubectl(
        &kubeconfig,
        &[
            "logs",
            "-n",
            "shop",
            "checkout-6d8f9c7b5-x2k4q",
            "--previous",
        ],
    )
    .await
    .unwrap();
    assert_eq!(
        logs.lines().last(),
        Some("fatal error: runtime: out of memory")
    );

    // The kubeconfig's context names the scenario's namespace.
    let default_ns = kubectl(&kubeconfig, &["get", "deployments"]).await.unwrap();
    assert!(
        default_ns
            .lines()
            .any(|l| l.starts_with("checkout") && l.contains("0/3")),
        "{default_ns}"
    );
    handle.shutdown().await;
}

#[test]
fn runbook_sim_serves_until_sigterm() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kc");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args([
            "sim",
            "image-typo",
            "--listen",
            "127.0.0.1:0",
            "--kubeconfig",
        ])
        .arg(&kubeconfig)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    // Kept open until the child exits: it prints when it stops.
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    stdout.read_line(&mut first).unwrap();
    assert!(first.contains("listening on http://127.0.0.1:"), "{first}");
    let written = std::fs::read_to_string(&kubeconfig).unwrap();
    let port = first
        .split("127.0.0.1:")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap();
    assert!(
        written.contains(&format!("server: http://127.0.0.1:{port}")),
        "{written}"
    );
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    assert!(child.wait().unwrap().success());
    assert!(rest.contains("stopping"), "{rest}");

    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["sim", "no-such-drill", "--kubeconfig"])
        .arg(&kubeconfig)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("no-such-drill") && stderr.contains("checkout-oom"),
        "{stderr}"
    );
}
