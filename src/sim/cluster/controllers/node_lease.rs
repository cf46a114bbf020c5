//! What a Node gains beside its status once it is registered: the node
//! lifecycle controller's `RegisteredNode` event and its beta OS and arch
//! labels (copied from the stable ones, `reconcileNodeLabels`), the TTL
//! controller's `node.alpha.kubernetes.io/ttl` annotation (0 s below 100
//! nodes), and the heartbeat Lease in `kube-node-lease` that the node's
//! agent renews every 10 s while the node is Ready (`kubectl describe
//! node` reads it). The simulator's nodes report their own conditions, so
//! their heartbeat is kept here, with or without the simulated kubelet.

use std::sync::Arc;

use jiff::SignedDuration;
use serde_json::{Value, json};

use super::{name, node_ready, terminating, uid};
use crate::sim::cluster::events::{self, Note};
use crate::sim::cluster::{Cluster, Key};

pub const LEASE_NAMESPACE: &str = "kube-node-lease";
const TTL_ANNOTATION: &str = "node.alpha.kubernetes.io/ttl";
/// `(stable, beta)` label pairs the lifecycle controller keeps equal.
const BETA_LABELS: [(&str, &str); 2] = [
    ("kubernetes.io/os", "beta.kubernetes.io/os"),
    ("kubernetes.io/arch", "beta.kubernetes.io/arch"),
];
/// The kubelet's renew interval (a quarter of the 40 s lease).
const RENEW_EVERY: i64 = 10;
const LEASE_SECONDS: i64 = 40;

pub(super) fn run(cluster: &mut Cluster) {
    let nodes: Vec<Arc<Value>> = cluster
        .store
        .of_kind("Node")
        .filter(|n| !terminating(n))
        .cloned()
        .collect();
    for node in nodes {
        let node = register(cluster, &node);
        if node_ready(&node) {
            heartbeat(cluster, &node);
        } else {
            last_heard(cluster, &node);
        }
    }
}

/// The labels and annotation a registered node carries; the event the
/// first time the controllers see it.
fn register(cluster: &mut Cluster, node: &Arc<Value>) -> Arc<Value> {
    let mut next = (**node).clone();
    let first = next["metadata"]["annotations"][TTL_ANNOTATION].is_null();
    if first {
        next["metadata"]["annotations"][TTL_ANNOTATION] = json!("0");
    }
    reconcile_labels(&mut next);
    if next == **node {
        return node.clone();
    }
    let stored = cluster.put(next);
    if first {
        let message = format!(
            "Node {0} event: Registered Node {0} in Controller",
            name(&stored)
        );
        cluster.event(
            &stored,
            events::NODE_CONTROLLER,
            Note {
                warning: false,
                reason: "RegisteredNode",
                message: &message,
                field_path: None,
            },
        );
    }
    stored
}

/// Each beta label follows its stable label (added when missing).
pub fn reconcile_labels(node: &mut Value) {
    let Some(labels) = node["metadata"]["labels"].as_object_mut() else {
        return;
    };
    for (stable, beta) in BETA_LABELS {
        if let Some(value) = labels.get(stable).cloned() {
            labels.insert(beta.to_string(), value);
        }
    }
}

/// A node whose agent stopped before the cluster was captured still has
/// the Lease it last renewed (a real cluster keeps it): made once, renewed
/// at the Ready condition's last heartbeat, and never again.
fn last_heard(cluster: &mut Cluster, node: &Value) {
    let key = Key::new("Lease", LEASE_NAMESPACE, name(node));
    if cluster.store.get(&key).is_some() {
        return;
    }
    let heard = node["status"]["conditions"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["type"] == "Ready"))
        .and_then(|c| c["lastHeartbeatTime"].as_str())
        .and_then(|t| t.parse::<jiff::Timestamp>().ok());
    if let Some(at) = heard {
        renew(cluster, node, None, at);
    }
}

/// Makes or renews the node's Lease when the last renewal is 10 s old.
fn heartbeat(cluster: &mut Cluster, node: &Value) {
    let now = cluster.now();
    let key = Key::new("Lease", LEASE_NAMESPACE, name(node));
    let existing = cluster.store.get(&key);
    let renewed = existing
        .as_ref()
        .and_then(|l| l["spec"]["renewTime"].as_str())
        .and_then(|t| t.parse::<jiff::Timestamp>().ok());
    if let Some(at) = renewed
        && now.duration_since(at) < SignedDuration::from_secs(RENEW_EVERY)
    {
        return;
    }
    renew(cluster, node, existing, now);
}

fn renew(cluster: &mut Cluster, node: &Value, existing: Option<Arc<Value>>, at: jiff::Timestamp) {
    let mut lease = existing.map(|l| (*l).clone()).unwrap_or_else(|| {
        json!({
            "apiVersion": "coordination.k8s.io/v1",
            "kind": "Lease",
            "metadata": {
                "name": name(node),
                "namespace": LEASE_NAMESPACE,
                "ownerReferences": [{
                    "apiVersion": "v1",
                    "kind": "Node",
                    "name": name(node),
                    "uid": uid(node),
                }],
            },
            "spec": { "holderIdentity": name(node), "leaseDurationSeconds": LEASE_SECONDS },
        })
    });
    lease["spec"]["renewTime"] = json!(at.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string());
    cluster.put(lease);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beta_labels_follow_the_stable_ones() {
        let mut node = json!({ "metadata": { "labels": {
            "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
            "beta.kubernetes.io/arch": "arm64" } } });
        reconcile_labels(&mut node);
        let labels = &node["metadata"]["labels"];
        assert_eq!(labels["beta.kubernetes.io/os"], "linux");
        assert_eq!(labels["beta.kubernetes.io/arch"], "amd64");
        let mut bare = json!({ "metadata": { "labels": { "zone": "a" } } });
        reconcile_labels(&mut bare);
        assert_eq!(bare["metadata"]["labels"], json!({ "zone": "a" }));
    }
}
