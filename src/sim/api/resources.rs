//! The resources the simulator serves, and the discovery documents that list them.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{
    APIGroup, APIGroupList, APIResource, APIResourceList, APIVersions, GroupVersionForDiscovery,
    ServerAddressByClientCIDR,
};
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
    ("autoscaling", "v1"),
    ("batch", "v1"),
    ("networking.k8s.io", "v1"),
    ("policy", "v1"),
    ("storage.k8s.io", "v1"),
    ("discovery.k8s.io", "v1"),
    ("rbac.authorization.k8s.io", "v1"),
    ("coordination.k8s.io", "v1"),
    ("admissionregistration.k8s.io", "v1"),
    ("apiextensions.k8s.io", "v1"),
    ("apiregistration.k8s.io", "v1"),
    ("authentication.k8s.io", "v1"),
    ("authorization.k8s.io", "v1"),
    ("certificates.k8s.io", "v1"),
    ("flowcontrol.apiserver.k8s.io", "v1"),
    ("node.k8s.io", "v1"),
    ("resource.k8s.io", "v1"),
    ("scheduling.k8s.io", "v1"),
    ("storagemigration.k8s.io", "v1"),
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
    let typed = APIVersions {
        versions: vec!["v1".into()],
        server_address_by_client_cidrs: vec![ServerAddressByClientCIDR {
            client_cidr: "0.0.0.0/0".into(),
            server_address: server_address.into(),
        }],
    };
    with_kind(&typed, "APIVersions")
}

/// `/apis`: one entry per group, its versions in order, the first preferred.
pub fn api_group_list() -> Value {
    let mut groups: Vec<APIGroup> = Vec::new();
    for (group, version) in GROUPS {
        let gv = GroupVersionForDiscovery {
            group_version: format!("{group}/{version}"),
            version: version.to_string(),
        };
        match groups.iter_mut().find(|g| g.name == *group) {
            Some(g) => g.versions.push(gv),
            None => groups.push(APIGroup {
                name: group.to_string(),
                versions: vec![gv.clone()],
                preferred_version: Some(gv),
                server_address_by_client_cidrs: None,
            }),
        }
    }
    with_kind(&APIGroupList { groups }, "APIGroupList")
}

/// Takes `group` out of an `/apis` answer.
pub fn drop_group(list: &mut Value, group: &str) {
    if let Some(groups) = list["groups"].as_array_mut() {
        groups.retain(|g| g["name"] != group);
    }
}

/// `/api/v1` or `/apis/<group>/<version>`
pub fn api_resource_list(group: &str, version: &str) -> Value {
    let group_version = if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    };
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let listed = |v: &[&str]| (!v.is_empty()).then(|| strings(v));
    let mut resources = Vec::new();
    for r in RESOURCES
        .iter()
        .filter(|r| r.group == group && r.version == version)
    {
        resources.push(APIResource {
            name: r.plural.into(),
            singular_name: r.singular.into(),
            namespaced: r.namespaced,
            kind: r.kind.into(),
            verbs: strings(r.verbs),
            short_names: listed(r.short_names),
            categories: listed(r.categories),
            ..APIResource::default()
        });
        for (sub, verbs) in r.subresources {
            let (kind, group, version) = match *sub {
                "eviction" => ("Eviction", Some("policy"), Some("v1")),
                "scale" => ("Scale", Some("autoscaling"), Some("v1")),
                "log" => ("Pod", None, None),
                _ => (r.kind, None, None),
            };
            resources.push(APIResource {
                name: format!("{}/{sub}", r.plural),
                singular_name: String::new(),
                namespaced: r.namespaced,
                kind: kind.into(),
                verbs: strings(verbs),
                group: group.map(str::to_string),
                version: version.map(str::to_string),
                ..APIResource::default()
            });
        }
    }
    // The API server lists a group version's resources by name (so
    // `kubectl get all` walks apps/v1 as daemonsets, deployments, ...).
    resources.sort_by(|a, b| a.name.cmp(&b.name));
    with_kind(
        &APIResourceList {
            group_version,
            resources,
        },
        "APIResourceList",
    )
}

/// Discovery documents are k8s-openapi's types; their `kind` and
/// `apiVersion` are written as the API server writes them.
fn with_kind(typed: &impl serde::Serialize, kind: &str) -> Value {
    let mut value = serde_json::to_value(typed).unwrap_or_else(|_| json!({}));
    value["kind"] = json!(kind);
    value["apiVersion"] = json!("v1");
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind the app's panes know is served, so `kubectl get` and the
    /// panes work against the simulator alike.
    #[test]
    fn every_registered_kind_is_served() {
        for k in crate::kinds::REGISTRY {
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
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(
            names, sorted,
            "listed by name, as the API server lists them"
        );
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
                "rbac.authorization.k8s.io",
                "coordination.k8s.io",
                "admissionregistration.k8s.io",
                "apiextensions.k8s.io",
                "apiregistration.k8s.io",
                "authentication.k8s.io",
                "authorization.k8s.io",
                "certificates.k8s.io",
                "flowcontrol.apiserver.k8s.io",
                "node.k8s.io",
                "resource.k8s.io",
                "scheduling.k8s.io",
                "storagemigration.k8s.io",
                "metrics.k8s.io"
            ]
        );
        let mut without = groups.clone();
        drop_group(&mut without, "metrics.k8s.io");
        assert_eq!(without["groups"].as_array().unwrap().len() + 1, names.len());
        assert!(group_served("apps", "v1"));
        assert!(group_served("batch", "v1"));
        assert!(!group_served("batch", "v2"));
    }
}
