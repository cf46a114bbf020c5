//! What the real control plane writes for the storage, namespace, secret,
//! node and budget kinds, as the differential suite found it
//! (tests/conformance): the PV binder, the root CA publisher and service
//! account controller, a Secret's stringData, a Node's lease, beta labels
//! and cordon taint, a budget's DisruptionAllowed condition.

use std::time::Duration;

use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::api::core::v1::{
    ConfigMap, Namespace, Node, PersistentVolume, PersistentVolumeClaim, Secret, ServiceAccount,
};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use kube::api::{Api, Patch, PatchParams, PostParams};

use super::{advance, scenario, soon, start_manual};

const CLUSTER: &str = r#"
apiVersion: runbook/v1
kind: Scenario
metadata: { name: control-plane-kinds, params: { namespace: shop } }
objects:
  - apiVersion: v1
    kind: Namespace
    metadata: { name: shop }
  - apiVersion: v1
    kind: Node
    metadata: { name: node-a, labels: { kubernetes.io/os: linux, kubernetes.io/arch: amd64 } }
    status: { conditions: [ { type: Ready, status: "True" } ], allocatable: { cpu: "4", memory: 16Gi, pods: "110" } }
  - apiVersion: v1
    kind: PersistentVolume
    metadata: { name: manual-big }
    spec: { capacity: { storage: 10Gi }, accessModes: [ ReadWriteOnce ], storageClassName: manual, hostPath: { path: /srv/big } }
  - apiVersion: v1
    kind: PersistentVolume
    metadata: { name: manual-small }
    spec: { capacity: { storage: 2Gi }, accessModes: [ ReadWriteOnce ], storageClassName: manual, hostPath: { path: /srv/small } }
  - apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: { name: web, namespace: shop }
    spec: { minAvailable: 1, selector: { matchLabels: { app: web } } }
"#;

fn claim(name: &str, class: &str, size: &str) -> PersistentVolumeClaim {
    serde_json::from_value(serde_json::json!({
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": { "name": name, "namespace": "shop" },
        "spec": { "accessModes": ["ReadWriteOnce"], "storageClassName": class,
                  "resources": { "requests": { "storage": size } } }
    }))
    .unwrap()
}

#[tokio::test]
async fn a_claim_binds_to_the_smallest_volume_that_fits() {
    let (handle, client) = start_manual(scenario(CLUSTER)).await;
    let claims: Api<PersistentVolumeClaim> = Api::namespaced(client.clone(), "shop");
    soon(claims.create(&PostParams::default(), &claim("reports", "manual", "1Gi")))
        .await
        .unwrap();
    advance(&handle, Duration::from_secs(2), Duration::from_secs(1));
    let bound = soon(claims.get("reports")).await.unwrap();
    let annotations = bound.metadata.annotations.clone().unwrap_or_default();
    assert_eq!(annotations["pv.kubernetes.io/bind-completed"], "yes");
    assert_eq!(annotations["pv.kubernetes.io/bound-by-controller"], "yes");
    assert_eq!(
        bound.metadata.finalizers,
        Some(vec!["kubernetes.io/pvc-protection".to_string()])
    );
    let spec = bound.spec.unwrap();
    assert_eq!(spec.volume_name.as_deref(), Some("manual-small"));
    assert_eq!(spec.volume_mode.as_deref(), Some("Filesystem"));
    let status = bound.status.unwrap();
    assert_eq!(status.phase.as_deref(), Some("Bound"));
    assert_eq!(status.capacity.unwrap()["storage"].0, "2Gi");
    let unused = status.conditions.unwrap_or_default();
    assert_eq!(unused[0].type_, "Unused");
    assert_eq!(unused[0].reason.as_deref(), Some("NoPodsUsingPVC"));

    let volumes: Api<PersistentVolume> = Api::all(client.clone());
    let small = soon(volumes.get("manual-small")).await.unwrap();
    let held = small.spec.unwrap().claim_ref.unwrap();
    assert_eq!(
        (held.namespace.as_deref(), held.name.as_deref()),
        (Some("shop"), Some("reports"))
    );
    assert_eq!(small.status.unwrap().phase.as_deref(), Some("Bound"));
    let big = soon(volumes.get("manual-big")).await.unwrap();
    assert_eq!(big.status.unwrap().phase.as_deref(), Some("Available"));

    // Nothing of class "manual" is 20Gi: the claim waits, and its class
    // has no StorageClass to provision from.
    soon(claims.create(&PostParams::default(), &claim("huge", "manual", "20Gi")))
        .await
        .unwrap();
    advance(&handle, Duration::from_secs(2), Duration::from_secs(1));
    let waiting = soon(claims.get("huge")).await.unwrap();
    assert_eq!(waiting.status.unwrap().phase.as_deref(), Some("Pending"));
}

#[tokio::test]
async fn namespaces_get_their_ca_bundle_account_and_phase() {
    let (handle, client) = start_manual(scenario(CLUSTER)).await;
    let namespaces: Api<Namespace> = Api::all(client.clone());
    let ns: Namespace = serde_json::from_value(
        serde_json::json!({ "apiVersion": "v1", "kind": "Namespace", "metadata": { "name": "extra" } }),
    )
    .unwrap();
    soon(namespaces.create(&PostParams::default(), &ns))
        .await
        .unwrap();
    advance(&handle, Duration::from_secs(1), Duration::from_secs(1));
    for name in ["shop", "extra"] {
        let ns = soon(namespaces.get(name)).await.unwrap();
        assert_eq!(
            ns.metadata.labels.unwrap_or_default()["kubernetes.io/metadata.name"],
            name
        );
        assert_eq!(ns.status.unwrap().phase.as_deref(), Some("Active"));
        let configmaps: Api<ConfigMap> = Api::namespaced(client.clone(), name);
        let ca = soon(configmaps.get("kube-root-ca.crt")).await.unwrap();
        assert!(ca.data.unwrap()["ca.crt"].starts_with("-----BEGIN CERTIFICATE-----"));
        let accounts: Api<ServiceAccount> = Api::namespaced(client.clone(), name);
        soon(accounts.get("default")).await.unwrap();
    }
}

#[tokio::test]
async fn a_secrets_string_data_is_stored_as_data() {
    let (_handle, client) = start_manual(scenario(CLUSTER)).await;
    let secrets: Api<Secret> = Api::namespaced(client.clone(), "shop");
    let secret: Secret = serde_json::from_value(serde_json::json!({
        "apiVersion": "v1", "kind": "Secret",
        "metadata": { "name": "web", "namespace": "shop" },
        "stringData": { "password": "hunter2" }
    }))
    .unwrap();
    let stored = soon(secrets.create(&PostParams::default(), &secret))
        .await
        .unwrap();
    assert_eq!(stored.data.unwrap()["password"].0, b"hunter2");
    assert!(stored.string_data.is_none());
}

#[tokio::test]
async fn nodes_are_registered_leased_and_tainted_when_cordoned() {
    let (handle, client) = start_manual(scenario(CLUSTER)).await;
    advance(&handle, Duration::from_secs(1), Duration::from_secs(1));
    let nodes: Api<Node> = Api::all(client.clone());
    let node = soon(nodes.get("node-a")).await.unwrap();
    let labels = node.metadata.labels.unwrap_or_default();
    assert_eq!(labels["beta.kubernetes.io/os"], "linux");
    assert_eq!(labels["beta.kubernetes.io/arch"], "amd64");
    assert_eq!(
        node.metadata.annotations.unwrap_or_default()["node.alpha.kubernetes.io/ttl"],
        "0"
    );
    let leases: Api<Lease> = Api::namespaced(client.clone(), "kube-node-lease");
    let lease = soon(leases.get("node-a")).await.unwrap().spec.unwrap();
    assert_eq!(lease.holder_identity.as_deref(), Some("node-a"));
    assert!(lease.renew_time.is_some());

    let cordon = serde_json::json!({ "spec": { "unschedulable": true } });
    soon(nodes.patch("node-a", &PatchParams::default(), &Patch::Merge(&cordon)))
        .await
        .unwrap();
    advance(&handle, Duration::from_secs(1), Duration::from_secs(1));
    let taints = soon(nodes.get("node-a"))
        .await
        .unwrap()
        .spec
        .unwrap()
        .taints;
    let taint = &taints.unwrap()[0];
    assert_eq!(
        (taint.key.as_str(), taint.effect.as_str()),
        ("node.kubernetes.io/unschedulable", "NoSchedule")
    );
    let uncordon = serde_json::json!({ "spec": { "unschedulable": null } });
    soon(nodes.patch("node-a", &PatchParams::default(), &Patch::Merge(&uncordon)))
        .await
        .unwrap();
    advance(&handle, Duration::from_secs(1), Duration::from_secs(1));
    let spec = soon(nodes.get("node-a")).await.unwrap().spec.unwrap();
    assert!(spec.taints.unwrap_or_default().is_empty());
}

#[tokio::test]
async fn a_budget_says_whether_disruption_is_allowed() {
    let (handle, client) = start_manual(scenario(CLUSTER)).await;
    advance(&handle, Duration::from_secs(1), Duration::from_secs(1));
    let budgets: Api<PodDisruptionBudget> = Api::namespaced(client.clone(), "shop");
    let status = soon(budgets.get("web")).await.unwrap().status.unwrap();
    let condition = &status.conditions.unwrap()[0];
    assert_eq!(condition.type_, "DisruptionAllowed");
    assert_eq!(condition.status, "False");
    assert_eq!(condition.reason, "InsufficientPods");
}
