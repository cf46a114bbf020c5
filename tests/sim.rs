//! The simulator over loopback, through kube-rs and kubectl as a real cluster.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::core::v1::{Node, Pod};
use kube::api::{Api, ListParams, WatchEvent, WatchParams};
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
    let config = Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
        .await
        .unwrap();
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
