//! The kubelet's node lease: each node whose kubelet is heartbeating holds
//! `kube-node-lease/<node>` (coordination.k8s.io/v1), renewed every 10 s as
//! the real kubelet renews it, so `kubectl describe node` finds its Lease.
//!
//! A node whose Ready condition is Unknown has a kubelet that stopped
//! posting: its lease keeps the last renewal (its Ready condition's last
//! heartbeat). Renewals are made when the cluster next runs, not on a
//! timer of their own: a lease is never more than 10 s stale at a moment
//! anything happens, and an idle cluster is not woken every 10 s.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::{condition, name, uid};
use crate::sim::cluster::{Cluster, Key};

pub const NAMESPACE: &str = "kube-node-lease";
/// The kubelet's `nodeLeaseDurationSeconds`.
const DURATION_SECONDS: i64 = 40;
/// How often the kubelet renews: a quarter of the duration.
const RENEW_EVERY: SignedDuration = SignedDuration::from_secs(10);

pub(super) fn run(cluster: &mut Cluster) {
    let nodes: Vec<Arc<Value>> = cluster.store.of_kind("Node").cloned().collect();
    let now = cluster.now();
    for node in nodes {
        let key = Key::new("Lease", NAMESPACE, name(&node));
        let existing = cluster.store.get(&key);
        let heartbeating = condition(&node, "Ready").is_none_or(|c| c["status"] != "Unknown");
        let renewed = match &existing {
            Some(lease) => lease["spec"]["renewTime"]
                .as_str()
                .and_then(|t| t.parse::<Timestamp>().ok()),
            None => None,
        };
        let renew_time = match (heartbeating, renewed) {
            (true, Some(t)) if now.duration_since(t) < RENEW_EVERY => continue,
            (true, _) => now,
            (false, Some(_)) => continue,
            // A kubelet that stopped before the simulation began renewed
            // last at its final heartbeat.
            (false, None) => condition(&node, "Ready")
                .and_then(|c| c["lastHeartbeatTime"].as_str())
                .and_then(|t| t.parse::<Timestamp>().ok())
                .unwrap_or(now),
        };
        let mut lease = match existing {
            Some(lease) => (*lease).clone(),
            None => json!({
                "apiVersion": "coordination.k8s.io/v1",
                "kind": "Lease",
                "metadata": {
                    "name": name(&node),
                    "namespace": NAMESPACE,
                    "ownerReferences": [ {
                        "apiVersion": "v1",
                        "kind": "Node",
                        "name": name(&node),
                        "uid": uid(&node),
                    } ],
                },
                "spec": {
                    "holderIdentity": name(&node),
                    "leaseDurationSeconds": DURATION_SECONDS,
                },
            }),
        };
        lease["spec"]["renewTime"] = json!(micro_time(renew_time));
        cluster.put(lease);
    }
}

/// A `MicroTime` as the API server writes it.
fn micro_time(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}
