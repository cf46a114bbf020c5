//! The node lifecycle controller: a node that stops being Ready is tainted
//! (`not-ready` or `unreachable`, NoSchedule and NoExecute), its pods are
//! marked not ready, and once their toleration of the taint runs out they
//! are marked for deletion (they stay Terminating: no kubelet confirms).
//! A node Ready again loses the taints.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::{name, node_ready, set_condition, terminating};
use crate::sim::cluster::events::{self, Note};
use crate::sim::cluster::store::format_time;
use crate::sim::cluster::{Cluster, Key};

pub const NOT_READY: &str = "node.kubernetes.io/not-ready";
pub const UNREACHABLE: &str = "node.kubernetes.io/unreachable";
pub const UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";
const PRESSURE: [(&str, &str); 3] = [
    ("DiskPressure", "node.kubernetes.io/disk-pressure"),
    ("MemoryPressure", "node.kubernetes.io/memory-pressure"),
    ("PIDPressure", "node.kubernetes.io/pid-pressure"),
];

pub(super) fn run(cluster: &mut Cluster) {
    let nodes: Vec<Arc<Value>> = cluster.store.of_kind("Node").cloned().collect();
    let mut pods: HashMap<String, Vec<Arc<Value>>> = HashMap::new();
    for pod in cluster.store.of_kind("Pod") {
        if let Some(node) = pod["spec"]["nodeName"].as_str() {
            pods.entry(node.to_string()).or_default().push(pod.clone());
        }
    }
    for node in nodes {
        let node = taint(cluster, &node);
        if !node_ready(&node) {
            let on_node = pods.remove(name(&node)).unwrap_or_default();
            for pod in on_node {
                pod_on_lost_node(cluster, &node, &pod);
            }
        }
    }
}

fn ready_status(node: &Value) -> &str {
    node["status"]["conditions"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["type"] == "Ready"))
        .and_then(|c| c["status"].as_str())
        .unwrap_or("Unknown")
}

/// Puts on (or takes off) the taints that say why the node is out.
fn taint(cluster: &mut Cluster, node: &Arc<Value>) -> Arc<Value> {
    let ready = node_ready(node);
    let wanted = match ready_status(node) {
        "True" => None,
        "False" => Some(NOT_READY),
        _ => Some(UNREACHABLE),
    };
    let taints = node["spec"]["taints"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut next: Vec<Value> = taints
        .iter()
        .filter(|t| {
            let key = t["key"].as_str().unwrap_or_default();
            (key != NOT_READY && key != UNREACHABLE) || Some(key) == wanted
        })
        .cloned()
        .collect();
    // Taint by condition: pressure keeps new pods off (NoSchedule).
    for (condition, key) in PRESSURE {
        let under = node["status"]["conditions"].as_array().is_some_and(|cs| {
            cs.iter()
                .any(|c| c["type"] == condition && c["status"] == "True")
        });
        let has = next.iter().any(|t| t["key"] == key);
        if under && !has {
            next.push(json!({ "key": key, "effect": "NoSchedule" }));
        } else if !under && has {
            next.retain(|t| t["key"] != key);
        }
    }
    // TaintNodesByCondition: a cordoned node carries the unschedulable
    // taint (daemon set pods tolerate it), taken off when uncordoned.
    let cordoned = node["spec"]["unschedulable"].as_bool() == Some(true);
    let has = next.iter().any(|t| t["key"] == UNSCHEDULABLE);
    if cordoned && !has {
        next.push(json!({ "key": UNSCHEDULABLE, "effect": "NoSchedule", "timeAdded": format_time(cluster.now()) }));
    } else if !cordoned && has {
        next.retain(|t| t["key"] != UNSCHEDULABLE);
    }
    let mut added = false;
    if let Some(key) = wanted {
        for effect in ["NoSchedule", "NoExecute"] {
            if !next
                .iter()
                .any(|t| t["key"] == key && t["effect"] == effect)
            {
                next.push(json!({ "key": key, "effect": effect, "timeAdded": format_time(cluster.now()) }));
                added = true;
            }
        }
    }
    if next == taints {
        return node.clone();
    }
    let mut changed = (**node).clone();
    if next.is_empty() {
        if let Some(spec) = changed["spec"].as_object_mut() {
            spec.remove("taints");
        }
    } else {
        changed["spec"]["taints"] = json!(next);
    }
    let stored = cluster.put(changed);
    if added && !ready {
        let message = format!("Node {} status is now: NodeNotReady", name(node));
        cluster.event(
            &stored,
            events::NODE_CONTROLLER,
            Note {
                warning: false,
                reason: "NodeNotReady",
                message: &message,
                field_path: None,
            },
        );
    }
    stored
}

fn pod_on_lost_node(cluster: &mut Cluster, node: &Value, pod: &Arc<Value>) {
    let now = format_time(cluster.now());
    let mut next = (**pod).clone();
    set_condition(&mut next, "Ready", "False", None, None, &now);
    if let Some(statuses) = next["status"]["containerStatuses"].as_array_mut() {
        for s in statuses {
            s["ready"] = json!(false);
        }
    }
    let was_ready = super::pod_ready(pod);
    let stored = cluster.put(next);
    if was_ready {
        cluster.event(
            &stored,
            events::NODE_CONTROLLER,
            Note {
                warning: true,
                reason: "NodeNotReady",
                message: "Node is not ready",
                field_path: None,
            },
        );
    }
    if terminating(&stored) {
        return;
    }
    let Some(deadline) = eviction_time(node, &stored) else {
        return;
    };
    if cluster.now() < deadline {
        cluster.wake_at(deadline);
        return;
    }
    let message = format!(
        "Marking for deletion Pod {}/{}",
        super::namespace(&stored),
        name(&stored)
    );
    cluster.event(
        &stored,
        events::TAINT_EVICTION,
        Note {
            warning: false,
            reason: "TaintManagerEviction",
            message: &message,
            field_path: None,
        },
    );
    crate::sim::cluster::writes::delete_pod(cluster, &Key::of(&stored), None);
}

/// When the pod's toleration of the node's NoExecute taints runs out
/// (`None`: it tolerates them for good).
fn eviction_time(node: &Value, pod: &Value) -> Option<Timestamp> {
    let taints = node["spec"]["taints"].as_array()?;
    let tolerations = pod["spec"]["tolerations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut earliest: Option<Timestamp> = None;
    for taint in taints.iter().filter(|t| t["effect"] == "NoExecute") {
        let added = taint["timeAdded"]
            .as_str()
            .and_then(|t| t.parse::<Timestamp>().ok())
            .unwrap_or(Timestamp::UNIX_EPOCH);
        let toleration = tolerations.iter().find(|t| tolerates(t, taint));
        let at = match toleration {
            None => added,
            Some(t) => match t["tolerationSeconds"].as_i64() {
                Some(s) => crate::sim::cluster::later(added, SignedDuration::from_secs(s.max(0))),
                None => continue,
            },
        };
        earliest = Some(earliest.map_or(at, |e| e.min(at)));
    }
    earliest
}

/// Whether a toleration matches a taint (key, operator, value, effect).
pub fn tolerates(toleration: &Value, taint: &Value) -> bool {
    let effect_ok = toleration["effect"]
        .as_str()
        .is_none_or(|e| e.is_empty() || taint["effect"] == e);
    let key = toleration["key"].as_str().unwrap_or_default();
    let exists = toleration["operator"] == "Exists";
    if key.is_empty() {
        return exists && effect_ok;
    }
    let value_ok = exists
        || toleration["value"].as_str().unwrap_or_default()
            == taint["value"].as_str().unwrap_or_default();
    effect_ok && taint["key"] == key && value_ok
}
