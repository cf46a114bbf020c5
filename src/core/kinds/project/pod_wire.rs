//! A pod as the pods watcher reads it off the wire: only the fields its row
//! is made from. Everything else in the JSON (managed fields, annotations,
//! volumes, env, probes, resources, affinity, tolerations...) is skipped by
//! the parser instead of being built into strings and maps and dropped.
//! In a real cluster most of a pod's bytes are those; in the generated
//! 150,000-pod cluster, deserializing was the app's largest cost while the
//! first list came in.
//!
//! The result is an ordinary `Pod` with those fields filled in, so the
//! projection (`pod_row_in`) is the same code for both paths, and a test
//! holds the two paths to the same rows.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, Pod, PodSpec, PodStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference, Time};
use serde::{Deserialize, Deserializer};

/// `Pod`, deserialized sparsely. kube's watcher needs a `Resource`, which
/// k8s-openapi's two traits below give it.
#[derive(Debug, Clone, Default)]
pub struct WatchedPod(pub Pod);

impl k8s_openapi::Resource for WatchedPod {
    const API_VERSION: &'static str = <Pod as k8s_openapi::Resource>::API_VERSION;
    const GROUP: &'static str = <Pod as k8s_openapi::Resource>::GROUP;
    const KIND: &'static str = <Pod as k8s_openapi::Resource>::KIND;
    const VERSION: &'static str = <Pod as k8s_openapi::Resource>::VERSION;
    const URL_PATH_SEGMENT: &'static str = <Pod as k8s_openapi::Resource>::URL_PATH_SEGMENT;
    type Scope = <Pod as k8s_openapi::Resource>::Scope;
}

impl k8s_openapi::Metadata for WatchedPod {
    type Ty = ObjectMeta;

    fn metadata(&self) -> &ObjectMeta {
        &self.0.metadata
    }

    fn metadata_mut(&mut self) -> &mut ObjectMeta {
        &mut self.0.metadata
    }
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct WireMeta {
    name: Option<String>,
    namespace: Option<String>,
    uid: Option<String>,
    /// kube's watcher resumes from the last object's version.
    resource_version: Option<String>,
    creation_timestamp: Option<Time>,
    deletion_timestamp: Option<Time>,
    labels: Option<BTreeMap<String, String>>,
    owner_references: Option<Vec<OwnerReference>>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct WireContainer {
    name: String,
    image: Option<String>,
    /// `Always` marks a sidecar among the init containers.
    restart_policy: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct WireSpec {
    containers: Vec<WireContainer>,
    init_containers: Option<Vec<WireContainer>>,
    node_name: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WirePod {
    metadata: WireMeta,
    spec: Option<WireSpec>,
    status: Option<PodStatus>,
}

fn container(c: WireContainer) -> Container {
    Container {
        name: c.name,
        image: c.image,
        restart_policy: c.restart_policy,
        ..Container::default()
    }
}

impl From<WirePod> for Pod {
    fn from(w: WirePod) -> Pod {
        let m = w.metadata;
        Pod {
            metadata: ObjectMeta {
                name: m.name,
                namespace: m.namespace,
                uid: m.uid,
                resource_version: m.resource_version,
                creation_timestamp: m.creation_timestamp,
                deletion_timestamp: m.deletion_timestamp,
                labels: m.labels,
                owner_references: m.owner_references,
                ..ObjectMeta::default()
            },
            spec: w.spec.map(|s| PodSpec {
                containers: s.containers.into_iter().map(container).collect(),
                init_containers: s
                    .init_containers
                    .map(|c| c.into_iter().map(container).collect()),
                node_name: s.node_name,
                ..PodSpec::default()
            }),
            status: w.status,
        }
    }
}

impl<'de> Deserialize<'de> for WatchedPod {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        WirePod::deserialize(d).map(|w| WatchedPod(w.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::intern::Interner;
    use crate::kinds::project::pod_row_in;

    fn both(json: serde_json::Value) {
        let full: Pod = serde_json::from_value(json.clone()).expect("pod");
        let wire: WatchedPod = serde_json::from_value(json).expect("wire pod");
        assert_eq!(
            pod_row_in(&full, &mut Interner::new()),
            pod_row_in(&wire.0, &mut Interner::new())
        );
        assert_eq!(
            wire.0.metadata.resource_version,
            full.metadata.resource_version
        );
    }

    #[test]
    fn the_sparse_pod_projects_to_the_same_row_as_the_whole_one() {
        both(serde_json::json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {
                "name": "checkout-6d8f9c7b5-q9dtn", "namespace": "shop", "uid": "u1",
                "resourceVersion": "42",
                "creationTimestamp": "2026-12-01T10:00:00Z",
                "labels": { "app": "checkout", "pod-template-hash": "6d8f9c7b5" },
                "annotations": { "kubectl.kubernetes.io/restartedAt": "x" },
                "ownerReferences": [{ "apiVersion": "apps/v1", "kind": "ReplicaSet",
                    "name": "checkout-6d8f9c7b5", "uid": "rs1", "controller": true }],
                "managedFields": [{ "manager": "kubelet", "operation": "Update",
                    "fieldsType": "FieldsV1", "fieldsV1": { "f:status": { "f:phase": {} } } }]
            },
            "spec": {
                "nodeName": "node-a",
                "initContainers": [
                    { "name": "migrate", "image": "shop/migrate:1" },
                    { "name": "proxy", "image": "envoy:1.30", "restartPolicy": "Always" }
                ],
                "containers": [{
                    "name": "app", "image": "shop/checkout:2",
                    "env": [{ "name": "A", "value": "b" }],
                    "resources": { "limits": { "memory": "256Mi" } },
                    "livenessProbe": { "httpGet": { "path": "/healthz", "port": 8080 } },
                    "volumeMounts": [{ "name": "data", "mountPath": "/data" }]
                }, { "name": "log", "image": "fluent-bit:3" }],
                "volumes": [{ "name": "data", "emptyDir": {} }],
                "tolerations": [{ "key": "k", "operator": "Exists" }]
            },
            "status": {
                "phase": "Running",
                "conditions": [{ "type": "Ready", "status": "False" },
                               { "type": "Initialized", "status": "True" }],
                "initContainerStatuses": [
                    { "name": "migrate", "image": "shop/migrate:1", "imageID": "", "ready": false,
                      "restartCount": 0, "state": { "terminated": { "exitCode": 0, "reason": "Completed" } } },
                    { "name": "proxy", "image": "envoy:1.30", "imageID": "", "ready": true, "started": true,
                      "restartCount": 1, "state": { "running": {} } }
                ],
                "containerStatuses": [
                    { "name": "app", "image": "shop/checkout:2", "imageID": "", "ready": false,
                      "restartCount": 7,
                      "state": { "waiting": { "reason": "CrashLoopBackOff" } },
                      "lastState": { "terminated": { "exitCode": 137, "reason": "OOMKilled",
                          "finishedAt": "2026-12-01T10:05:00Z" } } }
                ]
            }
        }));
    }

    #[test]
    fn terminating_pending_and_bare_pods_agree_too() {
        both(serde_json::json!({
            "metadata": { "name": "a", "namespace": "n",
                          "deletionTimestamp": "2026-12-01T10:00:00Z" },
            "spec": { "containers": [{ "name": "c", "image": "i" }] },
            "status": { "phase": "Running" }
        }));
        both(serde_json::json!({
            "metadata": { "name": "b", "namespace": "n" },
            "spec": { "containers": [{ "name": "c" }] },
            "status": { "phase": "Pending", "conditions": [{ "type": "PodScheduled",
                "status": "False", "reason": "SchedulingGated" }] }
        }));
        both(serde_json::json!({ "metadata": { "name": "c" } }));
    }
}
