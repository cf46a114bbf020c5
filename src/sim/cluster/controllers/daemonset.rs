//! The DaemonSet controller: one pod on every node that can run it (its
//! nodeSelector matches and it tolerates the node's taints, with the
//! tolerations every daemon pod gets: not-ready, unreachable, the
//! pressure conditions and cordons), bound to its node directly; pods on
//! nodes that no longer qualify go. Counts in its status.

use std::sync::Arc;

use serde_json::{Value, json};

use super::nodes::tolerates;
use super::replicaset::new_pod;
use super::{controller_uid, name, namespace, pod_active, pod_ready, terminating, uid};
use crate::sim::cluster::events::{self, Note};
use crate::sim::cluster::writes::delete_pod;
use crate::sim::cluster::{Cluster, Key, defaults};

/// The tolerations the DaemonSet controller adds to its pods.
fn daemon_tolerations() -> Vec<Value> {
    let mut out = Vec::new();
    for key in [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ] {
        out.push(json!({ "key": key, "operator": "Exists", "effect": "NoExecute" }));
    }
    for key in [
        "node.kubernetes.io/disk-pressure",
        "node.kubernetes.io/memory-pressure",
        "node.kubernetes.io/pid-pressure",
        "node.kubernetes.io/unschedulable",
    ] {
        out.push(json!({ "key": key, "operator": "Exists", "effect": "NoSchedule" }));
    }
    out
}

pub(super) fn run(cluster: &mut Cluster) {
    let sets: Vec<Arc<Value>> = cluster.store.of_kind("DaemonSet").cloned().collect();
    for set in sets {
        if !terminating(&set) {
            reconcile(cluster, &set);
        }
    }
}

fn runs_on(set: &Value, node: &Value) -> bool {
    let spec = &set["spec"]["template"]["spec"];
    if let Some(selector) = spec["nodeSelector"].as_object()
        && selector
            .iter()
            .any(|(k, v)| node["metadata"]["labels"].get(k) != Some(v))
    {
        return false;
    }
    let mut tolerations = spec["tolerations"].as_array().cloned().unwrap_or_default();
    tolerations.extend(daemon_tolerations());
    node["spec"]["taints"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| t["effect"] != "PreferNoSchedule")
        .all(|taint| tolerations.iter().any(|t| tolerates(t, taint)))
}

fn reconcile(cluster: &mut Cluster, set: &Value) {
    let nodes: Vec<Arc<Value>> = cluster.store.of_kind("Node").cloned().collect();
    let pods: Vec<Arc<Value>> = cluster
        .store
        .range("Pod", Some(namespace(set)), None)
        .filter(|p| controller_uid(p) == Some(uid(set)) && pod_active(p))
        .cloned()
        .collect();
    let on = |node: &str| pods.iter().find(|p| p["spec"]["nodeName"] == node);
    let mut desired = 0;
    for node in &nodes {
        let node_name = name(node);
        let wanted = runs_on(set, node);
        desired += usize::from(wanted);
        match (wanted, on(node_name)) {
            (true, None) => {
                let mut pod = new_pod(cluster, set);
                let labels = &mut pod["metadata"]["labels"];
                labels["controller-revision-hash"] =
                    json!(super::deployment::template_hash(&set["spec"]["template"]));
                labels["pod-template-generation"] = json!(template_generation(set));
                // The real controller leaves the node to the scheduler, whose
                // binding brings the node's topology labels.
                defaults::admission::topology_labels(&mut pod, node);
                pod["spec"]["nodeName"] = json!(node_name);
                let mut tolerations = pod["spec"]["tolerations"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                tolerations.retain(|t| t["tolerationSeconds"].is_null());
                tolerations.extend(daemon_tolerations());
                pod["spec"]["tolerations"] = json!(tolerations);
                let message = format!("Created pod: {}", name(&pod));
                cluster.put(pod);
                cluster.event(
                    set,
                    events::DAEMONSET,
                    Note {
                        warning: false,
                        reason: "SuccessfulCreate",
                        message: &message,
                        field_path: None,
                    },
                );
            }
            (false, Some(pod)) => {
                let message = format!("Deleted pod: {}", name(pod));
                delete_pod(cluster, &Key::of(pod), None);
                cluster.event(
                    set,
                    events::DAEMONSET,
                    Note {
                        warning: false,
                        reason: "SuccessfulDelete",
                        message: &message,
                        field_path: None,
                    },
                );
            }
            _ => {}
        }
    }
    let ready = pods.iter().filter(|p| pod_ready(p)).count();
    let mut next = set.clone();
    next["status"] = json!({
        "observedGeneration": set["metadata"]["generation"].as_i64().unwrap_or(1),
        "desiredNumberScheduled": desired,
        "currentNumberScheduled": pods.len(),
        "updatedNumberScheduled": pods.len(),
        "numberReady": ready,
        "numberAvailable": ready,
        "numberMisscheduled": 0,
    });
    if desired > ready {
        next["status"]["numberUnavailable"] = json!(desired - ready);
    }
    defaults::omit_zeros(
        &mut next["status"],
        &[
            "updatedNumberScheduled",
            "numberAvailable",
            "observedGeneration",
        ],
    );
    cluster.put(next);
}

/// The template generation the API server keeps in the
/// `deprecated.daemonset.template.generation` annotation.
fn template_generation(set: &Value) -> String {
    set["metadata"]["annotations"][defaults::apps::TEMPLATE_GENERATION]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| {
            set["metadata"]["generation"]
                .as_i64()
                .unwrap_or(1)
                .to_string()
        })
}
