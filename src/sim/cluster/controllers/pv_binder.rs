//! The persistent volume controller's binder (`pkg/controller/volume/
//! persistentvolume`): a claim is bound to the smallest Available volume
//! of its class that has its access modes, its volume mode and at least
//! its size; the volume gets a `claimRef` and the claim the volume's
//! name, both marked bound by the controller. Volumes no claim holds are
//! Available. And the PVC protection controller's `Unused` condition on
//! bound claims (the PersistentVolumeClaimUnusedSinceTime gate, on in 1.37).

use std::sync::Arc;

use serde_json::{Value, json};

use super::{name, namespace, pod_active, set_condition, terminating, uid};
use crate::sim::cluster::quantity;
use crate::sim::cluster::store::format_time;
use crate::sim::cluster::{Cluster, Key};

const BOUND_BY_CONTROLLER: &str = "pv.kubernetes.io/bound-by-controller";
const BIND_COMPLETED: &str = "pv.kubernetes.io/bind-completed";

/// Whether `volume` may hold `claim` (of storage class `class`).
pub fn matches(volume: &Value, claim: &Value, class: &str) -> bool {
    if terminating(volume) {
        return false;
    }
    match volume["spec"]["claimRef"].as_object() {
        Some(held) if held.get("uid").and_then(Value::as_str) != Some(uid(claim)) => {
            let same_name = held.get("name").and_then(Value::as_str) == Some(name(claim))
                && held.get("namespace").and_then(Value::as_str) == Some(namespace(claim))
                && held.get("uid").is_none();
            if !same_name {
                return false;
            }
        }
        _ => {}
    }
    if volume["spec"]["storageClassName"]
        .as_str()
        .unwrap_or_default()
        != class
    {
        return false;
    }
    let mode = |v: &Value| v.as_str().unwrap_or("Filesystem").to_string();
    if mode(&volume["spec"]["volumeMode"]) != mode(&claim["spec"]["volumeMode"]) {
        return false;
    }
    let offered = volume["spec"]["accessModes"].as_array();
    let wanted = claim["spec"]["accessModes"].as_array();
    if !wanted
        .into_iter()
        .flatten()
        .all(|m| offered.is_some_and(|o| o.contains(m)))
    {
        return false;
    }
    let size = |v: &Value| quantity::of(v).unwrap_or(0.0);
    size(&volume["spec"]["capacity"]["storage"])
        >= size(&claim["spec"]["resources"]["requests"]["storage"])
}

/// The smallest volume that may hold the claim.
pub fn find(cluster: &Cluster, claim: &Value, class: &str) -> Option<Arc<Value>> {
    let size = |v: &Value| quantity::of(&v["spec"]["capacity"]["storage"]).unwrap_or(0.0);
    cluster
        .store
        .of_kind("PersistentVolume")
        .filter(|v| matches(v, claim, class))
        .min_by(|a, b| size(a).total_cmp(&size(b)))
        .cloned()
}

/// Binds `claim` to `volume` both ways.
pub fn bind(cluster: &mut Cluster, claim: &Value, volume: &Value) {
    let now = format_time(cluster.now());
    let mut pv = volume.clone();
    pv["spec"]["claimRef"] = json!({
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "name": name(claim),
        "namespace": namespace(claim),
        "resourceVersion": claim["metadata"]["resourceVersion"],
        "uid": uid(claim),
    });
    pv["metadata"]["annotations"][BOUND_BY_CONTROLLER] = json!("yes");
    pv["status"] = json!({ "phase": "Bound", "lastPhaseTransitionTime": now });
    let pv = cluster.put(pv);
    let mut next = claim.clone();
    next["spec"]["volumeName"] = json!(name(&pv));
    next["metadata"]["annotations"][BIND_COMPLETED] = json!("yes");
    next["metadata"]["annotations"][BOUND_BY_CONTROLLER] = json!("yes");
    next["status"]["phase"] = json!("Bound");
    next["status"]["accessModes"] = pv["spec"]["accessModes"].clone();
    next["status"]["capacity"] = pv["spec"]["capacity"].clone();
    cluster.put(next);
}

/// Volumes no claim holds are Available (the controller's first sync of a
/// new volume moves it there from Pending).
pub fn mark_available(cluster: &mut Cluster) {
    let fresh: Vec<Arc<Value>> = cluster
        .store
        .of_kind("PersistentVolume")
        .filter(|v| {
            v["spec"]["claimRef"].is_null()
                && (v["status"]["phase"].is_null() || v["status"]["phase"] == "Pending")
        })
        .cloned()
        .collect();
    let now = format_time(cluster.now());
    for volume in fresh {
        let mut next = (*volume).clone();
        next["status"] = json!({ "phase": "Available", "lastPhaseTransitionTime": now });
        cluster.put(next);
    }
}

/// The `Unused` condition of each bound claim: whether any pod that has
/// not finished names it.
pub fn mark_unused(cluster: &mut Cluster) {
    let claims: Vec<Arc<Value>> = cluster
        .store
        .of_kind("PersistentVolumeClaim")
        .filter(|c| c["status"]["phase"] == "Bound" && !terminating(c))
        .cloned()
        .collect();
    for claim in claims {
        let used = cluster
            .store
            .range("Pod", Some(namespace(&claim)), None)
            .filter(|p| pod_active(p))
            .any(|p| uses(p, name(&claim)));
        let (status, reason, message) = if used {
            (
                "False",
                "PodUsingPVC",
                "A pod is currently referencing this PVC",
            )
        } else {
            (
                "True",
                "NoPodsUsingPVC",
                "No pods are currently referencing this PVC",
            )
        };
        let current = claim["status"]["conditions"]
            .as_array()
            .and_then(|cs| cs.iter().find(|c| c["type"] == "Unused"))
            .and_then(|c| c["status"].as_str());
        if current == Some(status) {
            continue;
        }
        let mut next = (*claim).clone();
        set_condition(
            &mut next,
            "Unused",
            status,
            Some(reason),
            Some(message),
            &format_time(cluster.now()),
        );
        if let Some(c) = next["status"]["conditions"]
            .as_array_mut()
            .and_then(|cs| cs.iter_mut().find(|c| c["type"] == "Unused"))
        {
            c["lastProbeTime"] = Value::Null;
        }
        cluster.put(next);
    }
}

fn uses(pod: &Value, claim: &str) -> bool {
    pod["spec"]["volumes"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|v| v["persistentVolumeClaim"]["claimName"] == claim)
}

/// The volume a claim is bound to, when its `volumeName` is one.
pub fn bound_volume(cluster: &Cluster, claim: &Value) -> Option<Arc<Value>> {
    let volume = claim["spec"]["volumeName"].as_str()?;
    cluster.store.get(&Key::new("PersistentVolume", "", volume))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn volume(class: &str, size: &str, modes: &[&str]) -> Value {
        json!({ "kind": "PersistentVolume", "metadata": { "name": "v" },
                "spec": { "storageClassName": class, "capacity": { "storage": size },
                          "accessModes": modes, "volumeMode": "Filesystem" } })
    }

    fn claim() -> Value {
        json!({ "kind": "PersistentVolumeClaim",
                "metadata": { "name": "reports", "namespace": "conf", "uid": "u1" },
                "spec": { "storageClassName": "manual", "accessModes": ["ReadWriteOnce"],
                          "resources": { "requests": { "storage": "1Gi" } } } })
    }

    #[test]
    fn a_volume_matches_by_class_modes_and_size() {
        let c = claim();
        assert!(matches(
            &volume("manual", "5Gi", &["ReadWriteOnce"]),
            &c,
            "manual"
        ));
        assert!(!matches(
            &volume("other", "5Gi", &["ReadWriteOnce"]),
            &c,
            "manual"
        ));
        assert!(!matches(
            &volume("manual", "512Mi", &["ReadWriteOnce"]),
            &c,
            "manual"
        ));
        assert!(!matches(
            &volume("manual", "5Gi", &["ReadOnlyMany"]),
            &c,
            "manual"
        ));
    }

    #[test]
    fn a_volume_held_by_another_claim_does_not_match() {
        let mut v = volume("manual", "5Gi", &["ReadWriteOnce"]);
        v["spec"]["claimRef"] = json!({ "name": "other", "namespace": "conf", "uid": "u2" });
        assert!(!matches(&v, &claim(), "manual"));
        v["spec"]["claimRef"] = json!({ "name": "reports", "namespace": "conf" });
        assert!(matches(&v, &claim(), "manual"), "pre-bound by name");
    }

    #[test]
    fn pods_use_claims_by_name() {
        let pod = json!({ "spec": { "volumes": [ { "name": "d", "persistentVolumeClaim": { "claimName": "reports" } } ] } });
        assert!(uses(&pod, "reports"));
        assert!(!uses(&pod, "data"));
    }
}
