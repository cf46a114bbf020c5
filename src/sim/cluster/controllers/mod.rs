//! The controllers, each a function of the stored objects and the clock
//! that writes what should be (and asks to be woken when it should look
//! again). They run in rounds until none has anything more to write.

mod cron;
mod cronjobs;
mod daemonset;
pub mod deployment;
mod deployment_scale;
mod deployment_status;
mod disruption;
pub mod endpoints;
mod gc;
mod hpa;
mod hpa_metrics;
mod ingress;
pub mod jobs;
pub mod kubelet;
mod namespace;
pub mod netpol;
mod node_lease;
mod nodes;
mod pv_binder;
pub mod replicaset;
mod scheduler;
mod statefulset;
pub mod volumes;

use jiff::SignedDuration;
use serde_json::Value;

use super::Cluster;
use super::selectors::LabelSelector;

pub(super) fn run_all(cluster: &mut Cluster) {
    gc::run(cluster);
    namespace::run(cluster);
    nodes::run(cluster);
    node_lease::run(cluster);
    hpa::run(cluster);
    deployment::run(cluster);
    replicaset::run(cluster);
    statefulset::run(cluster);
    daemonset::run(cluster);
    cronjobs::run(cluster);
    jobs::run(cluster);
    volumes::run(cluster);
    scheduler::run(cluster);
    endpoints::run(cluster);
    if cluster.kubelet {
        kubelet::run(cluster);
    }
    ingress::run(cluster);
    disruption::run(cluster);
}

/// The most pods one sync of a controller makes: the ReplicaSet
/// controller's `burstReplicas` (its slow-start batches, 1, 2, 4 ..., add
/// up to at most this per sync).
pub const BURST: usize = 500;
/// Pods the controller manager can create per second: its API client's
/// default rate (`--kube-api-qps` 20). A burst of 500 takes 25 s.
const CREATES_PER_SECOND: usize = 20;

/// How many of the `missing` pods `owner` (a uid) may create now. A
/// shortfall past one burst is made a burst at a time, each when the one
/// before would have been sent, so `kubectl scale --replicas=100000000`
/// grows over time instead of allocating 10^8 pods at once.
pub fn pods_allowed(cluster: &mut Cluster, owner: &str, missing: usize) -> usize {
    let now = cluster.now();
    if let Some(due) = cluster.bursts.get(owner).copied() {
        if now < due {
            cluster.wake_at(due);
            return 0;
        }
        cluster.bursts.remove(owner);
    }
    if missing <= BURST {
        return missing;
    }
    let wait = SignedDuration::from_secs((BURST / CREATES_PER_SECOND) as i64);
    if let Ok(due) = now.checked_add(wait) {
        cluster.bursts.insert(owner.to_string(), due);
        cluster.wake_at(due);
    }
    BURST
}

/// The uid of the object's controlling owner.
pub fn controller_uid(object: &Value) -> Option<&str> {
    object["metadata"]["ownerReferences"]
        .as_array()?
        .iter()
        .find(|r| r["controller"].as_bool() == Some(true))
        .and_then(|r| r["uid"].as_str())
}

pub fn controller_ref(object: &Value) -> Option<&Value> {
    object["metadata"]["ownerReferences"]
        .as_array()?
        .iter()
        .find(|r| r["controller"].as_bool() == Some(true))
}

pub fn uid(object: &Value) -> &str {
    object["metadata"]["uid"].as_str().unwrap_or_default()
}

pub fn name(object: &Value) -> &str {
    object["metadata"]["name"].as_str().unwrap_or_default()
}

pub fn namespace(object: &Value) -> &str {
    object["metadata"]["namespace"].as_str().unwrap_or_default()
}

pub fn terminating(object: &Value) -> bool {
    object["metadata"]["deletionTimestamp"].is_string()
}

fn condition<'a>(object: &'a Value, kind: &str) -> Option<&'a Value> {
    object["status"]["conditions"]
        .as_array()?
        .iter()
        .find(|c| c["type"] == kind)
}

/// The pod's Ready condition is True.
pub fn pod_ready(pod: &Value) -> bool {
    condition(pod, "Ready").is_some_and(|c| c["status"] == "True")
}

/// A pod that still counts for its controller: not being deleted, not finished.
pub fn pod_active(pod: &Value) -> bool {
    !terminating(pod)
        && !matches!(
            pod["status"]["phase"].as_str(),
            Some("Succeeded" | "Failed")
        )
}

/// The node's Ready condition is True.
pub fn node_ready(node: &Value) -> bool {
    condition(node, "Ready").is_some_and(|c| c["status"] == "True")
}

/// `spec.selector` of a workload.
pub fn selector_of(object: &Value) -> LabelSelector {
    LabelSelector::from_match_labels(&object["spec"]["selector"])
}

/// An owner reference naming `owner` as the controller.
pub fn owner_reference(owner: &Value) -> Value {
    serde_json::json!({
        "apiVersion": owner["apiVersion"],
        "kind": owner["kind"],
        "name": owner["metadata"]["name"],
        "uid": owner["metadata"]["uid"],
        "controller": true,
        "blockOwnerDeletion": true,
    })
}

/// Sets a condition of `status.conditions`, keeping `lastTransitionTime`
/// when the status does not change.
pub fn set_condition(
    object: &mut Value,
    kind: &str,
    status: &str,
    reason: Option<&str>,
    message: Option<&str>,
    now: &str,
) {
    if !object["status"].is_object() {
        object["status"] = serde_json::json!({});
    }
    if !object["status"]["conditions"].is_array() {
        object["status"]["conditions"] = serde_json::json!([]);
    }
    let Some(conditions) = object["status"]["conditions"].as_array_mut() else {
        return;
    };
    let mut fresh = serde_json::json!({ "type": kind, "status": status });
    if let Some(r) = reason {
        fresh["reason"] = serde_json::json!(r);
    }
    if let Some(m) = message {
        fresh["message"] = serde_json::json!(m);
    }
    match conditions.iter_mut().find(|c| c["type"] == kind) {
        Some(c) => {
            let since = if c["status"] == status && c["lastTransitionTime"].is_string() {
                c["lastTransitionTime"].clone()
            } else {
                serde_json::json!(now)
            };
            for extra in [
                "lastProbeTime",
                "lastHeartbeatTime",
                "lastUpdateTime",
                "observedGeneration",
            ] {
                if let Some(v) = c.get(extra).filter(|v| !v.is_null()) {
                    fresh[extra] = v.clone();
                }
            }
            fresh["lastTransitionTime"] = since;
            *c = fresh;
        }
        None => {
            fresh["lastTransitionTime"] = serde_json::json!(now);
            conditions.push(fresh);
        }
    }
}

/// The name of the workload a pod belongs to (its Deployment through its
/// ReplicaSet, its StatefulSet, ...), or its own name.
pub fn workload_of(cluster: &Cluster, pod: &Value) -> String {
    let Some(owner) = controller_ref(pod) else {
        return name(pod).to_string();
    };
    let owner_name = owner["name"].as_str().unwrap_or_default();
    // A Deployment's pods through their ReplicaSet, a CronJob's through its Job.
    if owner["kind"] == "ReplicaSet" || owner["kind"] == "Job" {
        let kind = owner["kind"].as_str().unwrap_or_default();
        let key = super::Key::new(kind, namespace(pod), owner_name);
        if let Some(rs) = cluster.store.get(&key)
            && let Some(deployment) = controller_ref(&rs)
        {
            return deployment["name"]
                .as_str()
                .unwrap_or(owner_name)
                .to_string();
        }
    }
    owner_name.to_string()
}

/// An int-or-percent against `total` (percentages round up or down as
/// the Kubernetes controllers do for each field).
pub fn scaled(value: &Value, total: i64, round_up: bool) -> i64 {
    if let Some(n) = value.as_i64() {
        return n;
    }
    let Some(percent) = value
        .as_str()
        .and_then(|s| s.strip_suffix('%'))
        .and_then(|p| p.parse::<i64>().ok())
    else {
        return 0;
    };
    let scaled = total.saturating_mul(percent);
    if round_up {
        scaled.saturating_add(99) / 100
    } else {
        scaled / 100
    }
}
