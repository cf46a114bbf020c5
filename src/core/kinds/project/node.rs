//! A node's row: STATUS and ROLES as `kubectl get nodes` prints them.

use k8s_openapi::api::core::v1::Node;

use crate::kinds::intern::Interner;
use crate::kinds::labels::Labels;
use crate::kinds::rows::NodeRow;
use crate::sanitize::line;

/// One node's row, on its own. Watchers use `node_row_in` so rows share text.
pub fn node_row(node: &Node, _now: i64) -> NodeRow {
    node_row_in(node, &mut Interner::new())
}

pub fn node_row_in(node: &Node, strings: &mut Interner) -> NodeRow {
    let meta = &node.metadata;
    let status = crate::kinds::common::or_default(&node.status);
    let conditions: std::collections::BTreeMap<String, String> = status
        .conditions
        .iter()
        .flatten()
        .map(|c| (line(&c.type_), line(&c.status)))
        .collect();
    let ready = conditions.get("Ready").map(|s| s == "True");
    let unschedulable = node
        .spec
        .as_ref()
        .and_then(|s| s.unschedulable)
        .unwrap_or(false);
    let mut words = vec![match ready {
        Some(true) => "Ready",
        Some(false) => "NotReady",
        None => "Unknown",
    }];
    if unschedulable {
        words.push("SchedulingDisabled");
    }
    let labels = Labels::project(meta.labels.as_ref(), strings);
    let mut roles: Vec<String> = labels
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("node-role.kubernetes.io/")
                .filter(|r| !r.is_empty())
                .map(str::to_string)
                .or_else(|| (k == "kubernetes.io/role").then(|| v.to_string()))
        })
        .collect();
    roles.sort();
    roles.dedup();
    let taints = node
        .spec
        .as_ref()
        .and_then(|s| s.taints.clone())
        .unwrap_or_default()
        .into_iter()
        .map(|t| match t.value.filter(|v| !v.is_empty()) {
            Some(v) => line(&format!("{}={v}:{}", t.key, t.effect)),
            None => line(&format!("{}:{}", t.key, t.effect)),
        })
        .collect();
    NodeRow {
        name: line(meta.name.as_deref().unwrap_or_default()),
        status: words.join(","),
        ready,
        unschedulable,
        conditions,
        roles,
        version: line(
            status
                .node_info
                .as_ref()
                .map_or("", |i| i.kubelet_version.as_str()),
        ),
        created_at: meta.creation_timestamp.as_ref().map(|t| t.0.as_second()),
        labels,
        taints,
    }
}

/// The condition types a kubelet reports besides Ready; True is trouble.
pub const PRESSURE_CONDITIONS: [&str; 4] = [
    "MemoryPressure",
    "DiskPressure",
    "PIDPressure",
    "NetworkUnavailable",
];

impl NodeRow {
    /// Pressure conditions that are True.
    pub fn pressure(&self) -> Vec<&str> {
        PRESSURE_CONDITIONS
            .into_iter()
            .filter(|c| self.conditions.get(*c).is_some_and(|s| s == "True"))
            .collect()
    }
}
