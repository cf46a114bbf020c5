//! STATUS, READY and RESTARTS as kubectl prints them, from real object YAML
//! (tests/fixtures/pods/*.yaml carry the expected values as annotations).

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Event, Node, Pod};
use runbook::kinds::format::restarts;
use runbook::kinds::project::{
    WatchedPod, deployment_row, event_row_core, event_row_v1, node_row, pod_row,
};

const NOW: i64 = 1_764_054_000; // 2025-11-25T07:00:00Z

fn yaml<T: serde::de::DeserializeOwned>(text: &str) -> T {
    let value: serde_json::Value = serde_saphyr::from_str(text).expect("yaml");
    serde_json::from_value(value).expect("a valid object")
}

#[test]
fn every_pod_status_matches_kubectl() {
    let mut checked = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir("tests/fixtures/pods")
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    for path in files {
        let pod: Pod = yaml(&std::fs::read_to_string(&path).expect("read"));
        let a = pod.metadata.annotations.clone().expect("expectations");
        let row = pod_row(&pod, NOW);
        let name = path.display();
        // The watcher reads pods sparsely off the wire: the same row.
        let wire: WatchedPod = yaml(&std::fs::read_to_string(&path).expect("read"));
        assert_eq!(
            pod_row(&wire.0, NOW),
            row,
            "{name}: the watcher's sparse pod"
        );
        assert_eq!(row.status, a["runbook.test/status"], "{name}: STATUS");
        assert_eq!(
            format!("{}/{}", row.ready_containers, row.total_containers),
            a["runbook.test/ready"],
            "{name}: READY"
        );
        assert_eq!(
            row.restarts.to_string(),
            a["runbook.test/restarts"],
            "{name}: RESTARTS"
        );
        checked.push(row.status);
    }
    for status in [
        "CrashLoopBackOff",
        "Init:CrashLoopBackOff",
        "Init:0/2",
        "ImagePullBackOff",
        "ErrImagePull",
        "OOMKilled",
        "Completed",
        "Error",
        "Evicted",
        "Pending",
        "ContainerCreating",
        "Terminating",
        "Unknown",
        "Running",
        "NotReady",
        "Init:Error",
        "ExitCode:3",
        "Signal:9",
        "CreateContainerConfigError",
    ] {
        assert!(
            checked.iter().any(|s| s == status),
            "no fixture for {status}"
        );
    }
}

#[test]
fn crashloop_row_keeps_what_checks_need() {
    let pod: Pod =
        yaml(&std::fs::read_to_string("tests/fixtures/pods/crashloopbackoff.yaml").expect("read"));
    let row = pod_row(&pod, NOW);
    assert_eq!(row.node.as_deref(), Some("node-a"));
    assert_eq!(
        row.containers[0].reason.as_deref(),
        Some("CrashLoopBackOff")
    );
    assert_eq!(row.containers[0].last_reason.as_deref(), Some("OOMKilled"));
    assert_eq!(row.containers[0].last_exit_code, Some(137));
    assert_eq!(
        restarts(row.restarts, row.last_restart_at, NOW),
        "7 (80s ago)"
    );
}

#[test]
fn node_status_roles_and_taints() {
    let node: Node = yaml(
        r#"
apiVersion: v1
kind: Node
metadata:
  name: node-b
  creationTimestamp: "2025-10-01T00:00:00Z"
  labels:
    node-role.kubernetes.io/worker: ""
    node-role.kubernetes.io/ingress: ""
spec:
  unschedulable: true
  taints:
  - { key: node.kubernetes.io/unreachable, effect: NoExecute }
  - { key: dedicated, value: gpu, effect: NoSchedule }
status:
  conditions:
  - { type: MemoryPressure, status: "Unknown", reason: NodeStatusUnknown }
  - { type: DiskPressure, status: "True" }
  - type: Ready
    status: "Unknown"
    reason: NodeStatusUnknown
    message: Kubelet stopped posting node status.
  nodeInfo:
    kubeletVersion: v1.34.1
    architecture: amd64
    bootID: x
    containerRuntimeVersion: containerd://2.0.0
    kernelVersion: "6.1"
    kubeProxyVersion: v1.34.1
    machineID: m
    operatingSystem: linux
    osImage: Debian
    systemUUID: u
"#,
    );
    let row = node_row(&node, NOW);
    assert_eq!(row.status, "NotReady,SchedulingDisabled");
    assert_eq!(row.ready, Some(false));
    assert_eq!(row.roles, ["ingress", "worker"]);
    assert_eq!(row.version, "v1.34.1");
    assert_eq!(
        row.taints,
        [
            "node.kubernetes.io/unreachable:NoExecute",
            "dedicated=gpu:NoSchedule"
        ]
    );
    assert_eq!(row.pressure(), ["DiskPressure"]);
}

#[test]
fn both_event_shapes_and_escape_sequences_are_inert() {
    let core: Event = yaml(
        "apiVersion: v1\nkind: Event\nmetadata: { name: e1, namespace: shop }\ninvolvedObject: { kind: Pod, name: checkout-1, namespace: shop }\nreason: BackOff\ntype: Warning\ncount: 12\nlastTimestamp: \"2025-11-25T06:59:00Z\"\nmessage: \"Back-off \\e]0;pwned\\a\\e[2Jrestarting failed container\"\n",
    );
    let row = event_row_core(&core);
    assert_eq!(row.message, "Back-off restarting failed container");
    assert_eq!((row.count, row.last_seen), (12, Some(NOW - 60)));
    assert_eq!(
        (row.kind.as_str(), row.object_name.as_str()),
        ("Pod", "checkout-1")
    );

    let v1: k8s_openapi::api::events::v1::Event = yaml(
        "apiVersion: events.k8s.io/v1\nkind: Event\nmetadata: { name: e2, namespace: shop }\neventTime: \"2025-11-25T06:50:00.000000Z\"\nregarding: { kind: Node, name: node-b }\nreason: NodeNotReady\ntype: Normal\nnote: Node node-b status is now NodeNotReady\nseries: { count: 3, lastObservedTime: \"2025-11-25T06:58:00.000000Z\" }\n",
    );
    let row = event_row_v1(&v1);
    assert_eq!(row.message, "Node node-b status is now NodeNotReady");
    assert_eq!((row.count, row.last_seen), (3, Some(NOW - 120)));
    assert_eq!(row.kind, "Node");
}

#[test]
fn deployment_counts() {
    let d: Deployment = yaml(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: checkout, namespace: shop }\nspec:\n  replicas: 3\n  selector: { matchLabels: { app: checkout } }\n  template:\n    metadata: { labels: { app: checkout } }\n    spec: { containers: [ { name: app, image: \"shop/checkout:1.4.2\" } ] }\nstatus: { replicas: 3, readyReplicas: 1, updatedReplicas: 3, availableReplicas: 1 }\n",
    );
    let row = deployment_row(&d);
    assert_eq!(
        (row.replicas, row.ready, row.updated, row.available),
        (3, 1, 3, 1)
    );
    assert_eq!(*row.images, ["shop/checkout:1.4.2"]);
    assert_eq!(row.selector.get("app"), Some("checkout"));
}
