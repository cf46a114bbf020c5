//! The persistent volume controller with a dynamic provisioner for every
//! StorageClass: a claim whose class exists gets a volume made and bound
//! at once; a claim whose class does not exist stays Pending, with the
//! `ProvisioningFailed` event that names the missing class.

use std::sync::Arc;

use serde_json::{Value, json};

use super::{name, namespace, uid};
use crate::sim::cluster::events::{self, Note};
use crate::sim::cluster::{Cluster, Key};

pub const DEFAULT_CLASS: &str = "storageclass.kubernetes.io/is-default-class";

pub(super) fn run(cluster: &mut Cluster) {
    let claims: Vec<Arc<Value>> = cluster
        .store
        .of_kind("PersistentVolumeClaim")
        .cloned()
        .collect();
    for claim in claims {
        if claim["status"]["phase"] == "Bound" {
            continue;
        }
        reconcile(cluster, &claim);
    }
}

fn default_class(cluster: &Cluster) -> Option<String> {
    cluster
        .store
        .of_kind("StorageClass")
        .find(|c| c["metadata"]["annotations"][DEFAULT_CLASS] == "true")
        .map(|c| name(c).to_string())
}

fn reconcile(cluster: &mut Cluster, claim: &Arc<Value>) {
    let mut next = (**claim).clone();
    next["status"]["phase"] = json!("Pending");
    let class = match claim["spec"]["storageClassName"].as_str() {
        Some(c) => Some(c.to_string()),
        None => default_class(cluster),
    };
    let Some(class) = class.filter(|c| !c.is_empty()) else {
        cluster.put(next);
        cluster.event(claim, events::VOLUMES, Note {
            warning: false,
            reason: "FailedBinding",
            message: "no persistent volumes available for this claim and no storage class is set",
            field_path: None,
        });
        return;
    };
    let Some(sc) = cluster.store.get(&Key::new("StorageClass", "", &class)) else {
        cluster.put(next);
        let message = format!("storageclass.storage.k8s.io \"{class}\" not found");
        cluster.event(
            claim,
            events::VOLUMES,
            Note {
                warning: true,
                reason: "ProvisioningFailed",
                message: &message,
                field_path: None,
            },
        );
        return;
    };
    let provisioner = sc["provisioner"]
        .as_str()
        .unwrap_or("kubernetes.io/no-provisioner");
    let volume = format!("pvc-{}", uid(claim));
    let size = claim["spec"]["resources"]["requests"]["storage"].clone();
    let modes = claim["spec"]["accessModes"].clone();
    cluster.put(json!({
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {
            "name": volume,
            "annotations": { "pv.kubernetes.io/provisioned-by": provisioner },
            "finalizers": ["kubernetes.io/pv-protection"],
        },
        "spec": {
            "capacity": { "storage": size },
            "accessModes": modes,
            "persistentVolumeReclaimPolicy": sc["reclaimPolicy"].as_str().unwrap_or("Delete"),
            "storageClassName": class,
            "volumeMode": "Filesystem",
            "claimRef": { "kind": "PersistentVolumeClaim", "namespace": namespace(claim),
                          "name": name(claim), "uid": uid(claim), "apiVersion": "v1" },
            "csi": { "driver": provisioner, "volumeHandle": format!("vol-{}", &uid(claim)[..8.min(uid(claim).len())]) },
        },
        "status": { "phase": "Bound" },
    }));
    next["spec"]["volumeName"] = json!(volume);
    next["spec"]["storageClassName"] = json!(class);
    next["status"] =
        json!({ "phase": "Bound", "capacity": { "storage": size }, "accessModes": modes });
    if let Some(a) = next["metadata"]["annotations"].as_object_mut() {
        a.insert("pv.kubernetes.io/bind-completed".into(), json!("yes"));
    } else {
        next["metadata"]["annotations"] = json!({ "pv.kubernetes.io/bind-completed": "yes" });
    }
    let stored = cluster.put(next);
    let message = format!("Successfully provisioned volume {volume} using {provisioner}");
    cluster.event(
        &stored,
        events::VOLUMES,
        Note {
            warning: false,
            reason: "ProvisioningSucceeded",
            message: &message,
            field_path: None,
        },
    );
}

/// Why a pod cannot be scheduled for its claims, as kube-scheduler's
/// volume binding plugin says it (`None`: every claim is bound).
pub fn claim_problem(cluster: &Cluster, pod: &Value) -> Option<String> {
    for volume in pod["spec"]["volumes"].as_array().into_iter().flatten() {
        let Some(claim) = volume["persistentVolumeClaim"]["claimName"].as_str() else {
            continue;
        };
        match cluster
            .store
            .get(&Key::new("PersistentVolumeClaim", namespace(pod), claim))
        {
            None => return Some(format!("persistentvolumeclaim \"{claim}\" not found")),
            Some(c) if c["status"]["phase"] != "Bound" => {
                return Some("pod has unbound immediate PersistentVolumeClaims".into());
            }
            Some(_) => {}
        }
    }
    None
}
