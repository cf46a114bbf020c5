//! The persistent volume controller: a claim is first bound to a volume
//! that fits it (`pv_binder`); failing that, a claim whose class exists is
//! provisioned for: with the kubelet running (the provisioner is a pod
//! like any other) a volume is made and bound at once; without it, the
//! claim waits for its external provisioner with the `ExternalProvisioning`
//! event the real controller sends. A claim whose class does not exist
//! stays Pending, with the `ProvisioningFailed` event that names it.

use std::sync::Arc;

use serde_json::{Value, json};

use super::{name, namespace, pv_binder, uid};
use crate::sim::cluster::events::{self, Note};
use crate::sim::cluster::{Cluster, Key};

pub const DEFAULT_CLASS: &str = "storageclass.kubernetes.io/is-default-class";

pub(super) fn run(cluster: &mut Cluster) {
    let claims: Vec<Arc<Value>> = cluster
        .store
        .of_kind("PersistentVolumeClaim")
        .cloned()
        .collect();
    pv_binder::mark_available(cluster);
    for claim in claims {
        if claim["status"]["phase"] == "Bound" {
            continue;
        }
        reconcile(cluster, &claim);
    }
    pv_binder::mark_unused(cluster);
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
    let bound = pv_binder::bound_volume(cluster, claim)
        .or_else(|| pv_binder::find(cluster, claim, class.as_deref().unwrap_or_default()));
    if let Some(volume) = bound {
        pv_binder::bind(cluster, claim, &volume);
        return;
    }
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
    if !cluster.kubelet {
        wait_for_provisioner(cluster, next, provisioner);
        return;
    }
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

/// No provisioner runs (no kubelet runs its pod): the claim is annotated
/// with the provisioner it waits for, as the controller does before it
/// hands a claim to an external provisioner, and the event says so.
fn wait_for_provisioner(cluster: &mut Cluster, mut claim: Value, provisioner: &str) {
    for key in [
        "volume.beta.kubernetes.io/storage-provisioner",
        "volume.kubernetes.io/storage-provisioner",
    ] {
        claim["metadata"]["annotations"][key] = json!(provisioner);
    }
    let stored = cluster.put(claim);
    let message = format!(
        "Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered."
    );
    cluster.event(
        &stored,
        events::VOLUMES,
        Note {
            warning: false,
            reason: "ExternalProvisioning",
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
