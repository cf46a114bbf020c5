//! The resources the simulator serves, and the discovery documents that list them.

use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resource {
    /// "" for the core group.
    pub group: &'static str,
    pub version: &'static str,
    pub plural: &'static str,
    pub singular: &'static str,
    pub kind: &'static str,
    pub namespaced: bool,
    pub short_names: &'static [&'static str],
    pub verbs: &'static [&'static str],
    /// Subresources, each with its verbs.
    pub subresources: &'static [(&'static str, &'static [&'static str])],
    pub categories: &'static [&'static str],
}

impl Resource {
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }
}

const ALL: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];
const NO_COLLECTION: &[&str] = &[
    "create", "delete", "get", "list", "patch", "update", "watch",
];
const GET_PATCH: &[&str] = &["get", "patch", "update"];

pub const RESOURCES: &[Resource] = &[
    Resource {
        group: "",
        version: "v1",
        plural: "pods",
        singular: "pod",
        kind: "Pod",
        namespaced: true,
        short_names: &["po"],
        verbs: ALL,
        subresources: &[
            ("log", &["get"]),
            ("eviction", &["create"]),
            ("status", GET_PATCH),
        ],
        categories: &["all"],
    },
    Resource {
        group: "",
        version: "v1",
        plural: "nodes",
        singular: "node",
        kind: "Node",
        namespaced: false,
        short_names: &["no"],
        verbs: ALL,
        subresources: &[("status", GET_PATCH)],
        categories: &[],
    },
    Resource {
        group: "",
        version: "v1",
        plural: "events",
        singular: "event",
        kind: "Event",
        namespaced: true,
        short_names: &["ev"],
        verbs: ALL,
        subresources: &[],
        categories: &[],
    },
    Resource {
        group: "",
        version: "v1",
        plural: "namespaces",
        singular: "namespace",
        kind: "Namespace",
        namespaced: false,
        short_names: &["ns"],
        verbs: NO_COLLECTION,
        subresources: &[("status", GET_PATCH)],
        categories: &[],
    },
    Resource {
        group: "",
        version: "v1",
        plural: "services",
        singular: "service",
        kind: "Service",
        namespaced: true,
        short_names: &["svc"],
        verbs: ALL,
        subresources: &[("status", GET_PATCH)],
        categories: &["all"],
    },
    Resource {
        group: "",
        version: "v1",
        plural: "endpoints",
        singular: "endpoints",
        kind: "Endpoints",
        namespaced: true,
        short_names: &["ep"],
        verbs: ALL,
        subresources: &[],
        categories: &[],
    },
    Resource {
        group: "",
        version: "v1",
        plural: "configmaps",
        singular: "configmap",
        kind: "ConfigMap",
        namespaced: true,
        short_names: &["cm"],
        verbs: ALL,
        subresources: &[],
        categories: &[],
    },
    Resource {
        group: "",
        version: "v1",
        plural: "secrets",
        singular: "secret",
        kind: "Secret",
        namespaced: true,
        short_names: &[],
        verbs: ALL,
        subresources: &[],
        categories: &[],
    },
    Resource {
        group: "apps",
        version: "v1",
        plural: "deployments",
        singular: "deployment",
        kind: "Deployment",
        namespaced: true,
        short_names: &["deploy"],
        verbs: ALL,
        subresources: &[("scale", GET_PATCH), ("status", GET_PATCH)],
        categories: &["all"],
    },
    Resource {
        group: "apps",
        version: "v1",
        plural: "replicasets",
        singular: "replicaset",
        kind: "ReplicaSet",
        namespaced: true,
        short_names: &["rs"],
        verbs: ALL,
        subresources: &[("scale", GET_PATCH), ("status", GET_PATCH)],
        categories: &["all"],
    },
    Resource {
        group: "apps",
        version: "v1",
        plural: "statefulsets",
        singular: "statefulset",
        kind: "StatefulSet",
        namespaced: true,
        short_names: &["sts"],
        verbs: ALL,
        subresources: &[("scale", GET_PATCH), ("status", GET_PATCH)],
        categories: &["all"],
    },
    Resource {
        group: "apps",
        version: "v1",
        plural: "daemonsets",
        singular: "daemonset",
        kind: "DaemonSet",
        namespaced: true,
        short_names: &["ds"],
        verbs: ALL,
        subresources: &[("status", GET_PATCH)],
        categories: &["all"],
    },
    Resource {
        group: "events.k8s.io",
        version: "v1",
        plural: "events",
        singular: "event",
        kind: "Event",
        namespaced: true,
        short_names: &["ev"],
        verbs: ALL,
        subresources: &[],
        categories: &[],
    },
    Resource {
        group: "policy",
        version: "v1",
        plural: "poddisruptionbudgets",
        singular: "poddisruptionbudget",
        kind: "PodDisruptionBudget",
        namespaced: true,
        short_names: &["pdb"],
        verbs: ALL,
        subresources: &[("status", GET_PATCH)],
        categories: &[],
    },
    Resource {
        group: "",
        version: "v1",
        plural: "persistentvolumeclaims",
        singular: "persistentvolumeclaim",
        kind: "PersistentVolumeClaim",
        namespaced: true,
        short_names: &["pvc"],
        verbs: ALL,
        subresources: &[("status", GET_PATCH)],
        categories: &[],
    },
    Resource {
        group: "",
        version: "v1",
        plural: "persistentvolumes",
        singular: "persistentvolume",
        kind: "PersistentVolume",
        namespaced: false,
        short_names: &["pv"],
        verbs: ALL,
        subresources: &[("status", GET_PATCH)],
        categories: &[],
    },
    Resource {
        group: "discovery.k8s.io",
        version: "v1",
        plural: "endpointslices",
        singular: "endpointslice",
        kind: "EndpointSlice",
        namespaced: true,
        short_names: &[],
        verbs: ALL,
        subresources: &[],
        categories: &[],
    },
    Resource {
        group: "networking.k8s.io",
        version: "v1",
        plural: "ingresses",
        singular: "ingress",
        kind: "Ingress",
        namespaced: true,
        short_names: &["ing"],
        verbs: ALL,
        subresources: &[("status", GET_PATCH)],
        categories: &[],
    },
    Resource {
        group: "networking.k8s.io",
        version: "v1",
        plural: "networkpolicies",
        singular: "networkpolicy",
        kind: "NetworkPolicy",
        namespaced: true,
        short_names: &["netpol"],
        verbs: ALL,
        subresources: &[],
        categories: &[],
    },
    Resource {
        group: "storage.k8s.io",
        version: "v1",
        plural: "storageclasses",
        singular: "storageclass",
        kind: "StorageClass",
        namespaced: false,
        short_names: &["sc"],
        verbs: ALL,
        subresources: &[],
        categories: &[],
    },
    Resource {
        group: "autoscaling",
        version: "v2",
        plural: "horizontalpodautoscalers",
        singular: "horizontalpodautoscaler",
        kind: "HorizontalPodAutoscaler",
        namespaced: true,
        short_names: &["hpa"],
        verbs: ALL,
        subresources: &[("status", GET_PATCH)],
        categories: &["all"],
    },
    Resource {
        group: "batch",
        version: "v1",
        plural: "jobs",
        singular: "job",
        kind: "Job",
        namespaced: true,
        short_names: &[],
        verbs: ALL,
        subresources: &[("status", GET_PATCH)],
        categories: &["all"],
    },
    Resource {
        group: "batch",
        version: "v1",
        plural: "cronjobs",
        singular: "cronjob",
        kind: "CronJob",
        namespaced: true,
        short_names: &["cj"],
        verbs: ALL,
        subresources: &[("status", GET_PATCH)],
        categories: &["all"],
    },
    // metrics.k8s.io is served from the usage model, not the store
    // (`kubectl top`); kinds that no scenario may write.
    Resource {
        group: "metrics.k8s.io",
        version: "v1beta1",
        plural: "pods",
        singular: "",
        kind: "PodMetrics",
        namespaced: true,
        short_names: &[],
        verbs: &["get", "list"],
        subresources: &[],
        categories: &[],
    },
    Resource {
        group: "metrics.k8s.io",
        version: "v1beta1",
        plural: "nodes",
        singular: "",
        kind: "NodeMetrics",
        namespaced: false,
        short_names: &[],
        verbs: &["get", "list"],
        subresources: &[],
        categories: &[],
    },
];

/// The groups in discovery order (core is served under /api, the rest under /apis).
const GROUPS: &[(&str, &str)] = &[
    ("apps", "v1"),
    ("events.k8s.io", "v1"),
    ("policy", "v1"),
    ("batch", "v1"),
    ("autoscaling", "v2"),
    ("networking.k8s.io", "v1"),
    ("storage.k8s.io", "v1"),
    ("discovery.k8s.io", "v1"),
    ("metrics.k8s.io", "v1beta1"),
];

/// The resource stored under `kind` (core/v1 for events).
pub fn by_kind(kind: &str) -> Option<&'static Resource> {
    RESOURCES
        .iter()
        .find(|r| r.kind == kind && r.group != super::metrics::GROUP)
}

pub fn find(group: &str, version: &str, plural: &str) -> Option<&'static Resource> {
    RESOURCES
        .iter()
        .find(|r| r.group == group && r.version == version && r.plural == plural)
}

pub fn group_served(group: &str, version: &str) -> bool {
    (group.is_empty() && version == "v1") || GROUPS.contains(&(group, version))
}

/// `/api`
pub fn api_versions(server_address: &str) -> Value {
    json!({
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [
            { "clientCIDR": "0.0.0.0/0", "serverAddress": server_address }
        ]
    })
}

/// `/apis`
pub fn api_group_list() -> Value {
    let groups: Vec<Value> = GROUPS
        .iter()
        .map(|(group, version)| {
            let gv = json!({ "groupVersion": format!("{group}/{version}"), "version": version });
            json!({ "name": group, "versions": [gv.clone()], "preferredVersion": gv })
        })
        .collect();
    json!({ "kind": "APIGroupList", "apiVersion": "v1", "groups": groups })
}

/// `/api/v1` or `/apis/<group>/<version>`
pub fn api_resource_list(group: &str, version: &str) -> Value {
    let group_version = if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    };
    let mut list = Vec::new();
    for r in RESOURCES
        .iter()
        .filter(|r| r.group == group && r.version == version)
    {
        let mut entry = json!({
            "name": r.plural,
            "singularName": r.singular,
            "namespaced": r.namespaced,
            "kind": r.kind,
            "verbs": r.verbs,
        });
        if !r.short_names.is_empty() {
            entry["shortNames"] = json!(r.short_names);
        }
        if !r.categories.is_empty() {
            entry["categories"] = json!(r.categories);
        }
        list.push(entry);
        for (sub, verbs) in r.subresources {
            let kind = match *sub {
                "eviction" => "Eviction",
                "scale" => "Scale",
                "log" => "Pod",
                _ => r.kind,
            };
            let mut entry = json!({
                "name": format!("{}/{sub}", r.plural),
                "singularName": "",
                "namespaced": r.namespaced,
                "kind": kind,
                "verbs": verbs,
            });
            match *sub {
                "eviction" => {
                    entry["group"] = json!("policy");
                    entry["version"] = json!("v1");
                }
                "scale" => {
                    entry["group"] = json!("autoscaling");
                    entry["version"] = json!("v1");
                }
                _ => {}
            }
            list.push(entry);
        }
    }
    json!({
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": group_version,
        "resources": list,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind the app's panes know is served, so `kubectl get` and the
    /// panes work against the simulator alike.
    #[test]
    fn every_registered_kind_is_served() {
        for k in crate::cluster::kinds::REGISTRY {
            let r = by_kind(k.kind()).unwrap_or_else(|| panic!("{} is not served", k.kind()));
            assert_eq!((r.group, r.plural), (k.group(), k.plural()), "{}", k.kind());
            assert_eq!(r.namespaced, k.namespaced(), "{}", k.kind());
        }
    }

    #[test]
    fn core_list_has_pods_with_log_and_eviction() {
        let list = api_resource_list("", "v1");
        let names: Vec<&str> = list["resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        for name in [
            "pods",
            "pods/log",
            "pods/eviction",
            "nodes",
            "events",
            "namespaces",
        ] {
            assert!(names.contains(&name), "{name} missing from {names:?}");
        }
        assert!(!names.contains(&"deployments"));
    }

    #[test]
    fn groups_list_apps_policy_and_events() {
        let groups = api_group_list();
        let names: Vec<&str> = groups["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "apps",
                "events.k8s.io",
                "policy",
                "batch",
                "autoscaling",
                "networking.k8s.io",
                "storage.k8s.io",
                "discovery.k8s.io",
                "metrics.k8s.io"
            ]
        );
        assert!(group_served("apps", "v1"));
        assert!(group_served("batch", "v1"));
        assert!(!group_served("batch", "v2"));
    }
}
