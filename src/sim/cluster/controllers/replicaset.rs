//! The replicaset controller: as many active pods as `spec.replicas`,
//! made from the template (a deleted pod is replaced, `kubectl scale`
//! makes or removes pods), and the counts in its status.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Value, json};

use super::{
    controller_uid, name, namespace, owner_reference, pod_active, pod_ready, terminating, uid,
};
use crate::sim::cluster::events::{self, Note};
use crate::sim::cluster::store::format_time;
use crate::sim::cluster::writes::delete_pod;
use crate::sim::cluster::{Cluster, Key, defaults};

pub(super) fn run(cluster: &mut Cluster) {
    let sets: Vec<Arc<Value>> = cluster.store.of_kind("ReplicaSet").cloned().collect();
    if sets.is_empty() {
        return;
    }
    let mut pods: HashMap<String, Vec<Arc<Value>>> = HashMap::new();
    for pod in cluster.store.of_kind("Pod") {
        if let Some(owner) = controller_uid(pod) {
            pods.entry(owner.to_string()).or_default().push(pod.clone());
        }
    }
    for rs in sets {
        let owned = pods.remove(uid(&rs)).unwrap_or_default();
        reconcile(cluster, &rs, owned);
    }
}

fn reconcile(cluster: &mut Cluster, rs: &Value, pods: Vec<Arc<Value>>) {
    let desired = rs["spec"]["replicas"].as_i64().unwrap_or(1).max(0) as usize;
    let mut active: Vec<Arc<Value>> = pods.into_iter().filter(|p| pod_active(p)).collect();
    // A set being deleted makes and removes no pods, but its status still
    // follows them (`syncReplicaSet`).
    let manage = !terminating(rs);
    if manage && active.len() < desired {
        let allowed = super::pods_allowed(cluster, uid(rs), desired - active.len());
        for _ in 0..allowed {
            let pod = new_pod(cluster, rs);
            let message = format!("Created pod: {}", name(&pod));
            let stored = cluster.put(pod);
            active.push(stored);
            cluster.event(
                rs,
                events::REPLICASET,
                Note {
                    warning: false,
                    reason: "SuccessfulCreate",
                    message: &message,
                    field_path: None,
                },
            );
        }
    } else if manage && active.len() > desired {
        // The pods that matter least go first: unscheduled, then not
        // ready, then the newest (as `getPodsToDelete` ranks them).
        active.sort_by_key(|p| {
            (
                p["spec"]["nodeName"]
                    .as_str()
                    .is_some_and(|n| !n.is_empty()),
                pod_ready(p),
                std::cmp::Reverse(
                    p["metadata"]["creationTimestamp"]
                        .as_str()
                        .unwrap_or("")
                        .to_string(),
                ),
            )
        });
        let extra = active.len() - desired;
        for pod in active.drain(..extra) {
            let key = Key::of(&pod);
            delete_pod(cluster, &key, None);
            let message = format!("Deleted pod: {}", name(&pod));
            cluster.event(
                rs,
                events::REPLICASET,
                Note {
                    warning: false,
                    reason: "SuccessfulDelete",
                    message: &message,
                    field_path: None,
                },
            );
        }
    }
    let ready = active.iter().filter(|p| pod_ready(p)).count();
    let mut next = rs.clone();
    let terminating = pods_terminating(cluster, rs);
    next["status"] = json!({
        "replicas": active.len(),
        "fullyLabeledReplicas": active.len(),
        "readyReplicas": ready,
        "availableReplicas": ready,
        "terminatingReplicas": terminating,
        "observedGeneration": rs["metadata"]["generation"].as_i64().unwrap_or(1),
    });
    defaults::omit_zeros(
        &mut next["status"],
        &[
            "fullyLabeledReplicas",
            "readyReplicas",
            "availableReplicas",
            "observedGeneration",
        ],
    );
    cluster.put(next);
}

/// The set's pods being deleted (`status.terminatingReplicas`).
fn pods_terminating(cluster: &Cluster, rs: &Value) -> usize {
    cluster
        .store
        .range("Pod", Some(namespace(rs)), None)
        .filter(|p| controller_uid(p) == Some(uid(rs)) && terminating(p))
        .count()
}

/// A pod from the template, as the API server admits it (defaulted, then
/// through the pod admission steps and `PrepareForCreate`).
pub fn new_pod(cluster: &mut Cluster, owner: &Value) -> Value {
    let template = &owner["spec"]["template"];
    let pod_name = format!("{}-{}", name(owner), cluster.suffix(5));
    let mut metadata = json!({
        "name": pod_name,
        "generateName": format!("{}-", name(owner)),
        "namespace": namespace(owner),
        "creationTimestamp": format_time(cluster.now()),
        "ownerReferences": [owner_reference(owner)],
    });
    for field in ["labels", "annotations"] {
        if let Some(v) = template["metadata"].get(field).filter(|v| v.is_object()) {
            metadata[field] = v.clone();
        }
    }
    let mut pod = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": metadata,
        "spec": template["spec"].clone(),
    });
    defaults::apply(&mut pod);
    defaults::admission::create_pod(&mut pod);
    pod
}
