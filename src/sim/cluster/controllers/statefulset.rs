//! The StatefulSet controller: pods `NAME-0` ... `NAME-(n-1)`, made in
//! order (the next only once the one before is Running and ready, with
//! the default `OrderedReady`), each with the claims its
//! `volumeClaimTemplates` name (`TEMPLATE-NAME-i`, kept when pods go),
//! removed from the highest ordinal down; counts in its status.

use std::sync::Arc;

use serde_json::{Value, json};

use super::replicaset::new_pod;
use super::{controller_uid, name, namespace, pod_active, pod_ready, terminating, uid};
use crate::sim::cluster::events::{self, Note};
use crate::sim::cluster::writes::delete_pod;
use crate::sim::cluster::{Cluster, Key, defaults};

pub(super) fn run(cluster: &mut Cluster) {
    let sets: Vec<Arc<Value>> = cluster.store.of_kind("StatefulSet").cloned().collect();
    for set in sets {
        if !terminating(&set) {
            reconcile(cluster, &set);
        }
    }
}

fn ordinal(set: &str, pod: &Value) -> Option<i64> {
    name(pod).strip_prefix(&format!("{set}-"))?.parse().ok()
}

fn reconcile(cluster: &mut Cluster, set: &Value) {
    let set_name = name(set).to_string();
    let ns = namespace(set).to_string();
    let replicas = set["spec"]["replicas"].as_i64().unwrap_or(1).max(0);
    let parallel = set["spec"]["podManagementPolicy"] == "Parallel";
    let pods: Vec<Arc<Value>> = cluster
        .store
        .range("Pod", Some(&ns), None)
        .filter(|p| controller_uid(p) == Some(uid(set)))
        .cloned()
        .collect();
    let find = |i: i64| pods.iter().find(|p| ordinal(&set_name, p) == Some(i));
    let present = pods.iter().filter(|p| pod_active(p)).count();
    let missing = usize::try_from(replicas)
        .unwrap_or(0)
        .saturating_sub(present);
    // Ordered: one pod at a time, each once the one before is ready.
    let missing = if parallel { missing } else { missing.min(1) };
    let mut allowed = if missing > 0 {
        super::pods_allowed(cluster, uid(set), missing)
    } else {
        0
    };
    for i in 0..replicas {
        if let Some(p) = find(i).filter(|p| pod_active(p)) {
            if parallel || pod_ready(p) {
                continue;
            }
            break;
        }
        if find(i).is_some() {
            // Still going (terminating or finished): replaced once gone.
            break;
        }
        if allowed == 0 {
            break;
        }
        allowed -= 1;
        claims_for(cluster, set, i);
        let mut pod = new_pod(cluster, set);
        let pod_name = format!("{set_name}-{i}");
        pod["metadata"]["name"] = json!(pod_name);
        if let Some(m) = pod["metadata"].as_object_mut() {
            m.remove("generateName");
        }
        pod["metadata"]["labels"]["statefulset.kubernetes.io/pod-name"] = json!(pod_name);
        pod["metadata"]["labels"]["apps.kubernetes.io/pod-index"] = json!(i.to_string());
        pod["spec"]["hostname"] = json!(pod_name);
        if let Some(svc) = set["spec"]["serviceName"].as_str() {
            pod["spec"]["subdomain"] = json!(svc);
        }
        pod["metadata"]["labels"]["controller-revision-hash"] = json!(revision(set));
        // The claims first, then the template's other volumes, then what
        // admission added (as `updateStorage` and the API server order them).
        let mut volumes: Vec<Value> = Vec::new();
        for t in set["spec"]["volumeClaimTemplates"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let tpl = name(t);
            volumes.push(json!({ "name": tpl, "persistentVolumeClaim": { "claimName": format!("{tpl}-{set_name}-{i}") } }));
        }
        let claimed: Vec<Value> = volumes.iter().map(|v| v["name"].clone()).collect();
        volumes.extend(
            pod["spec"]["volumes"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|v| !claimed.contains(&v["name"]))
                .cloned(),
        );
        if !volumes.is_empty() {
            pod["spec"]["volumes"] = json!(volumes);
        }
        let message = format!("Create Pod {pod_name} in StatefulSet {set_name} successful");
        cluster.put(pod);
        cluster.event(
            set,
            events::STATEFULSET,
            Note {
                warning: false,
                reason: "SuccessfulCreate",
                message: &message,
                field_path: None,
            },
        );
        if !parallel {
            break;
        }
    }
    // Ordered: wait for each pod to be ready before the next (checked above
    // by breaking when one is missing); scale down from the top.
    let mut extra: Vec<&Arc<Value>> = pods
        .iter()
        .filter(|p| ordinal(&set_name, p).is_some_and(|i| i >= replicas) && !terminating(p))
        .collect();
    extra.sort_by_key(|p| std::cmp::Reverse(ordinal(&set_name, p)));
    if let Some(pod) = extra.first() {
        let message = format!(
            "Delete Pod {} in StatefulSet {set_name} successful",
            name(pod)
        );
        delete_pod(cluster, &Key::of(pod), None);
        cluster.event(
            set,
            events::STATEFULSET,
            Note {
                warning: false,
                reason: "SuccessfulDelete",
                message: &message,
                field_path: None,
            },
        );
    }
    let active: Vec<&Arc<Value>> = pods.iter().filter(|p| pod_active(p)).collect();
    let ready = active.iter().filter(|p| pod_ready(p)).count();
    let mut next = set.clone();
    let revision = revision(set);
    next["status"] = json!({
        "observedGeneration": set["metadata"]["generation"].as_i64().unwrap_or(1),
        "replicas": active.len(),
        "readyReplicas": ready,
        "currentReplicas": active.len(),
        "updatedReplicas": active.len(),
        "availableReplicas": ready,
        "collisionCount": 0,
        "currentRevision": revision,
        "updateRevision": revision,
    });
    defaults::omit_zeros(
        &mut next["status"],
        &[
            "readyReplicas",
            "currentReplicas",
            "updatedReplicas",
            "observedGeneration",
        ],
    );
    cluster.put(next);
}

/// The pod's claims from the templates, made if missing (and kept after
/// the pod goes, as the default retention policy keeps them).
fn claims_for(cluster: &mut Cluster, set: &Value, i: i64) {
    let set_name = name(set);
    let ns = namespace(set);
    for t in set["spec"]["volumeClaimTemplates"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let claim_name = format!("{}-{set_name}-{i}", name(t));
        if cluster
            .store
            .get(&Key::new("PersistentVolumeClaim", ns, &claim_name))
            .is_some()
        {
            continue;
        }
        let mut labels = t["metadata"]["labels"].clone();
        if !labels.is_object() {
            labels = set["spec"]["selector"]["matchLabels"].clone();
        }
        let mut claim = json!({
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": { "name": claim_name, "namespace": ns, "labels": labels },
            "spec": t["spec"],
        });
        crate::sim::cluster::defaults::kinds::on_create(&mut claim);
        cluster.put(claim);
        let message = format!(
            "Create Claim {claim_name} Pod {set_name}-{i} in StatefulSet {set_name} success"
        );
        cluster.event(
            set,
            events::STATEFULSET,
            Note {
                warning: false,
                reason: "SuccessfulCreate",
                message: &message,
                field_path: None,
            },
        );
    }
}

/// The name of the ControllerRevision of the set's template
/// (`<set>-<hash>`), as its pods' `controller-revision-hash` label and its
/// status name it.
fn revision(set: &Value) -> String {
    format!(
        "{}-{}",
        name(set),
        super::deployment::template_hash(&set["spec"]["template"])
    )
}
