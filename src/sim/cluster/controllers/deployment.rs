//! The deployment controller: one ReplicaSet per pod template (found by
//! template, so `rollout undo` revives the old one with a new revision),
//! rolled out by the RollingUpdate or Recreate rules of the real
//! controller, old revisions kept up to `revisionHistoryLimit`, and the
//! status and conditions `kubectl rollout status` reads.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Value, json};

use super::deployment_scale;
use super::deployment_status::write_status;
use super::{controller_uid, name, namespace, owner_reference, scaled, terminating, uid};
use crate::sim::cluster::events::{self, Note};
use crate::sim::cluster::store::format_time;
use crate::sim::cluster::{Cluster, Key, defaults};

pub const REVISION: &str = "deployment.kubernetes.io/revision";
pub const HASH_LABEL: &str = "pod-template-hash";
pub(super) const DESIRED: &str = "deployment.kubernetes.io/desired-replicas";
pub(super) const MAX_REPLICAS: &str = "deployment.kubernetes.io/max-replicas";
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

pub(super) fn run(cluster: &mut Cluster) {
    let deployments: Vec<Arc<Value>> = cluster.store.of_kind("Deployment").cloned().collect();
    if deployments.is_empty() {
        return;
    }
    let mut owned: HashMap<String, Vec<Value>> = HashMap::new();
    for rs in cluster.store.of_kind("ReplicaSet") {
        if let Some(owner) = controller_uid(rs) {
            owned
                .entry(owner.to_string())
                .or_default()
                .push((**rs).clone());
        }
    }
    for d in deployments {
        let rses = owned.remove(uid(&d)).unwrap_or_default();
        if terminating(&d) {
            status_only(cluster, &d, &rses);
            continue;
        }
        reconcile(cluster, &d, rses);
    }
}

pub(super) fn replicas(o: &Value) -> i64 {
    o["spec"]["replicas"].as_i64().unwrap_or(1)
}

pub(super) fn status_count(o: &Value, field: &str) -> i64 {
    o["status"][field].as_i64().unwrap_or(0)
}

pub fn revision(o: &Value) -> i64 {
    o["metadata"]["annotations"][REVISION]
        .as_str()
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
}

/// The pod template a ReplicaSet runs, without the hash label its
/// controller added: what a Deployment's template is compared with.
pub fn template_without_hash(rs: &Value) -> Value {
    let mut t = rs["spec"]["template"].clone();
    if let Some(labels) = t["metadata"]["labels"].as_object_mut() {
        labels.remove(HASH_LABEL);
    }
    t
}

/// The hash of a template as the deployment controller names ReplicaSets
/// with it (FNV-32a, its decimal digits spelled in the safe alphabet).
pub fn template_hash(template: &Value) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut hash: u32 = 0x811c_9dc5;
    for byte in canonical(template).bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash.to_string()
        .bytes()
        .map(|b| ALPHABET[usize::from(b) % ALPHABET.len()] as char)
        .collect()
}

/// JSON with sorted keys, so equal templates hash alike however written.
fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let fields: Vec<String> = keys
                .iter()
                .map(|k| format!("{}:{}", Value::String((*k).clone()), canonical(&map[*k])))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(canonical).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string(),
    }
}

/// maxSurge and maxUnavailable resolved against the replicas, as
/// `ResolveFenceposts` does (both 0 would stall: unavailable becomes 1).
pub(super) fn fenceposts(d: &Value, desired: i64) -> (i64, i64) {
    if d["spec"]["strategy"]["type"] == "Recreate" {
        return (0, 0);
    }
    let rolling = &d["spec"]["strategy"]["rollingUpdate"];
    let surge_spec = rolling.get("maxSurge").cloned().unwrap_or(json!("25%"));
    let unavailable_spec = rolling
        .get("maxUnavailable")
        .cloned()
        .unwrap_or(json!("25%"));
    let surge = scaled(&surge_spec, desired, true).max(0);
    let mut unavailable = scaled(&unavailable_spec, desired, false).max(0);
    if surge == 0 && unavailable == 0 {
        unavailable = 1;
    }
    (surge, unavailable.min(desired))
}

/// `syncStatusOnly`: a Deployment being deleted sizes nothing; its status
/// still follows its ReplicaSets.
fn status_only(cluster: &mut Cluster, d: &Value, rses: &[Value]) {
    let template = &d["spec"]["template"];
    if let Some(new_rs) = rses
        .iter()
        .find(|rs| template_without_hash(rs) == *template)
    {
        let now = format_time(cluster.now());
        let desired = replicas(d).max(0);
        write_status(cluster, d, rses, &new_rs.clone(), desired, false, &now);
    }
}

fn reconcile(cluster: &mut Cluster, d: &Value, mut rses: Vec<Value>) {
    let now = format_time(cluster.now());
    let desired = replicas(d).max(0);
    rses.sort_by(|a, b| {
        let created = |o: &Value| {
            o["metadata"]["creationTimestamp"]
                .as_str()
                .unwrap_or("")
                .to_string()
        };
        created(a)
            .cmp(&created(b))
            .then_with(|| name(a).cmp(name(b)))
    });
    let max_revision = rses.iter().map(revision).max().unwrap_or(0);
    let template = &d["spec"]["template"];
    let mut progressed = false;
    let new_index = match rses
        .iter()
        .position(|rs| template_without_hash(rs) == *template)
    {
        Some(i) => {
            // An old template again (`rollout undo`, a revert): its
            // ReplicaSet is the newest revision now.
            if revision(&rses[i]) < max_revision || revision(&rses[i]) == 0 {
                let next = (max_revision + 1).max(1).to_string();
                rses[i]["metadata"]["annotations"][REVISION] = json!(next);
                progressed = true;
            }
            i
        }
        None => {
            rses.push(new_replica_set(cluster, d, max_revision + 1, &now));
            progressed = true;
            rses.len() - 1
        }
    };
    let before: Vec<i64> = rses.iter().map(replicas).collect();
    let paused = d["spec"]["paused"].as_bool() == Some(true);
    // `syncDeployment`: paused, or resized since the ReplicaSets were
    // sized, the replicas are shared out in proportion; else it rolls.
    if paused || deployment_scale::is_scaling_event(&rses, desired) {
        let status_replicas = d["status"]["replicas"].as_i64().unwrap_or(0);
        deployment_scale::scale(d, status_replicas, &mut rses, new_index, desired);
    } else {
        if d["spec"]["strategy"]["type"] == "Recreate" {
            recreate(&mut rses, new_index, desired);
        } else {
            rolling(d, &mut rses, new_index, desired);
        }
    }
    let (surge, _) = fenceposts(d, desired);
    for (i, rs) in rses.iter_mut().enumerate() {
        let was = before[i];
        let is = replicas(rs);
        // The controller annotates each ReplicaSet it sizes with the
        // count it sized it for (`scaleReplicaSet`).
        if i == new_index || was != is {
            let annotations = &mut rs["metadata"]["annotations"];
            annotations[DESIRED] = json!(desired.to_string());
            annotations[MAX_REPLICAS] = json!((desired + surge).to_string());
        }
        if was != is {
            progressed = true;
            let verb = if is > was { "up" } else { "down" };
            let message = format!("Scaled {verb} replica set {} from {was} to {is}", name(rs));
            cluster.event(
                d,
                events::DEPLOYMENT,
                Note {
                    warning: false,
                    reason: "ScalingReplicaSet",
                    message: &message,
                    field_path: None,
                },
            );
        }
        cluster.put(rs.clone());
    }
    clean_history(cluster, d, &rses, new_index);
    let new_rs = rses[new_index].clone();
    write_status(cluster, d, &rses, &new_rs, desired, progressed, &now);
}

fn new_replica_set(cluster: &mut Cluster, d: &Value, revision: i64, now: &str) -> Value {
    let template = &d["spec"]["template"];
    let hash = template_hash(template);
    let mut rs_name = format!("{}-{hash}", name(d));
    if cluster
        .store
        .get(&Key::new("ReplicaSet", namespace(d), &rs_name))
        .is_some()
    {
        // Taken by a ReplicaSet of another template (a hash collision).
        rs_name = format!("{rs_name}{}", cluster.suffix(2));
    }
    let mut template = template.clone();
    template["metadata"]["labels"][HASH_LABEL] = json!(hash);
    let mut selector = d["spec"]["selector"].clone();
    selector["matchLabels"][HASH_LABEL] = json!(hash);
    let mut annotations = serde_json::Map::new();
    if let Some(own) = d["metadata"]["annotations"].as_object() {
        for (k, v) in own {
            if k != LAST_APPLIED && !k.starts_with("deployment.kubernetes.io/") {
                annotations.insert(k.clone(), v.clone());
            }
        }
    }
    annotations.insert(REVISION.into(), json!(revision.to_string()));
    let labels = template["metadata"]["labels"].clone();
    let mut rs = json!({
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": rs_name,
            "namespace": namespace(d),
            "creationTimestamp": now,
            "generation": 1,
            "labels": labels,
            "annotations": annotations,
            "ownerReferences": [owner_reference(d)],
        },
        "spec": {
            "replicas": 0,
            "minReadySeconds": d["spec"]["minReadySeconds"].as_i64().unwrap_or(0),
            "selector": selector,
            "template": template,
        },
        "status": { "replicas": 0 }
    });
    // An int32 Go leaves out at 0.
    defaults::omit_zeros(&mut rs["spec"], &["minReadySeconds"]);
    rs
}

fn set_replicas(rs: &mut Value, n: i64) {
    rs["spec"]["replicas"] = json!(n.max(0));
}

/// The RollingUpdate rules of the deployment controller
/// (`reconcileNewReplicaSet`, then `reconcileOldReplicaSets` with its
/// clean-up of unhealthy old pods first).
fn rolling(d: &Value, rses: &mut [Value], new: usize, desired: i64) {
    let (surge, max_unavailable) = fenceposts(d, desired);
    let total: i64 = rses.iter().map(replicas).sum();
    let new_replicas = replicas(&rses[new]);
    if new_replicas > desired {
        set_replicas(&mut rses[new], desired);
    } else if new_replicas < desired {
        let max_total = desired + surge;
        if total < max_total {
            let up = (max_total - total).min(desired - new_replicas);
            set_replicas(&mut rses[new], new_replicas + up);
        }
    }
    let old_count: i64 = rses
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != new)
        .map(|(_, r)| replicas(r))
        .sum();
    if old_count == 0 {
        return;
    }
    let all: i64 = rses.iter().map(replicas).sum();
    let min_available = desired - max_unavailable;
    let new_unavailable = replicas(&rses[new]) - status_count(&rses[new], "availableReplicas");
    let max_scaled_down = all - min_available - new_unavailable.max(0);
    if max_scaled_down <= 0 {
        return;
    }
    let mut cleaned = 0;
    for i in (0..rses.len()).filter(|i| *i != new) {
        if cleaned >= max_scaled_down {
            break;
        }
        let r = replicas(&rses[i]);
        let available = status_count(&rses[i], "availableReplicas");
        if r == 0 || r <= available {
            continue;
        }
        let down = (max_scaled_down - cleaned).min(r - available);
        set_replicas(&mut rses[i], r - down);
        cleaned += down;
    }
    let available_all: i64 = rses
        .iter()
        .map(|r| status_count(r, "availableReplicas").min(replicas(r)))
        .sum();
    if available_all <= min_available {
        return;
    }
    let mut to_scale = (available_all - min_available).min(max_scaled_down - cleaned);
    for i in (0..rses.len()).filter(|i| *i != new) {
        if to_scale <= 0 {
            break;
        }
        let r = replicas(&rses[i]);
        if r == 0 {
            continue;
        }
        let down = r.min(to_scale);
        set_replicas(&mut rses[i], r - down);
        to_scale -= down;
    }
}

/// Recreate: every old pod gone before the new ReplicaSet scales up.
fn recreate(rses: &mut [Value], new: usize, desired: i64) {
    let mut old_left = false;
    for (i, rs) in rses.iter_mut().enumerate() {
        if i != new && (replicas(rs) > 0 || status_count(rs, "replicas") > 0) {
            set_replicas(rs, 0);
            old_left = true;
        }
    }
    if !old_left {
        set_replicas(&mut rses[new], desired);
    }
}

fn clean_history(cluster: &mut Cluster, d: &Value, rses: &[Value], new: usize) {
    let limit = d["spec"]["revisionHistoryLimit"]
        .as_i64()
        .unwrap_or(10)
        .max(0) as usize;
    let mut idle: Vec<&Value> = rses
        .iter()
        .enumerate()
        .filter(|(i, rs)| *i != new && replicas(rs) == 0 && status_count(rs, "replicas") == 0)
        .map(|(_, rs)| rs)
        .collect();
    if idle.len() <= limit {
        return;
    }
    idle.sort_by_key(|rs| revision(rs));
    let extra = idle.len() - limit;
    for rs in idle.into_iter().take(extra) {
        cluster.remove(&Key::of(rs));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable_and_spelled_like_kubernetes() {
        let a = json!({ "metadata": { "labels": { "app": "x" } }, "spec": { "containers": [ { "name": "x", "image": "x:1" } ] } });
        let b = json!({ "spec": { "containers": [ { "image": "x:1", "name": "x" } ] }, "metadata": { "labels": { "app": "x" } } });
        assert_eq!(template_hash(&a), template_hash(&b));
        let hash = template_hash(&a);
        assert!(hash.chars().all(|c| "456789bcdf".contains(c)), "{hash}");
        let c = json!({ "metadata": { "labels": { "app": "x" } }, "spec": { "containers": [ { "name": "x", "image": "x:2" } ] } });
        assert_ne!(template_hash(&a), template_hash(&c));
    }

    #[test]
    fn fenceposts_round_as_the_controller() {
        let d = json!({ "spec": { "replicas": 3 } });
        assert_eq!(fenceposts(&d, 3), (1, 0));
        let d = json!({ "spec": { "strategy": { "rollingUpdate": { "maxSurge": 0, "maxUnavailable": 0 } } } });
        assert_eq!(fenceposts(&d, 4), (0, 1));
        let d = json!({ "spec": { "strategy": { "rollingUpdate": { "maxSurge": "50%", "maxUnavailable": "50%" } } } });
        assert_eq!(fenceposts(&d, 3), (2, 1));
    }
}
