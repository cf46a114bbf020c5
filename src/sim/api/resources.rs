//! The resources the simulator serves, and the discovery documents that list them.

use serde_json::{Value, json};

pub use super::kinds::RESOURCES;

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

/// The groups in discovery order (core is served under /api, the rest under /apis).
const GROUPS: &[(&str, &str)] = &[
    ("apps", "v1"),
    ("events.k8s.io", "v1"),
    ("autoscaling", "v2"),
    ("batch", "v1"),
    ("networking.k8s.io", "v1"),
    ("policy", "v1"),
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
                "autoscaling",
                "batch",
                "networking.k8s.io",
                "policy",
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
