//! Nodes: kubectl's printNode columns, plus the pane's PRESSURE and PODS.

use std::cmp::Ordering;

use k8s_openapi::api::core::v1::Node;

use super::columns::{Width, col, pane, wide};
use super::schema::{Ctx, Fields, Schema, Ty, Val};
use super::{Cell, Column, Kind, Meta, Row, ScopeRule, Tone};
use crate::kinds::format::{age_since, or_none};
use crate::kinds::intern::Interner;
use crate::kinds::labels::Labels;
use crate::kinds::rows::{EventRow, NodeRow};

pub struct Nodes;

pub static SCHEMA: Schema = Schema {
    name: "nodes",
    fields: &[
        ("name", Ty::Any),
        ("status", Ty::Any),
        ("ready", Ty::Any),
        ("unschedulable", Ty::Any),
        ("conditions", Ty::Map),
        ("roles", Ty::Any),
        ("version", Ty::Any),
        ("labels", Ty::Map),
        ("taints", Ty::Any),
    ],
};

const COLUMNS: &[Column] = &[
    col("Name", Width::Name),
    col("Status", Width::Fit(27)).kept(),
    pane("Pressure", Width::Fit(60)),
    col("Roles", Width::Fit(20)),
    col("Age", Width::Fit(6)),
    col("Version", Width::Fit(12)),
    pane("Pods", Width::Fixed(4)),
    wide("Internal-IP", Width::Fit(15)),
    wide("External-IP", Width::Fit(15)),
    wide("OS-Image", Width::Fit(30)),
    wide("Kernel-Version", Width::Fit(30)),
    wide("Container-Runtime", Width::Fit(30)),
];

fn address(node: Option<&Node>, kind: &str) -> String {
    or_none(
        node.and_then(|n| n.status.as_ref())
            .and_then(|s| s.addresses.as_ref())
            .and_then(|a| a.iter().find(|a| a.type_ == kind))
            .map(|a| a.address.clone())
            .unwrap_or_default(),
    )
}

impl Kind for Nodes {
    type Object = Node;
    type Row = NodeRow;
    const META: Meta = Meta {
        name: "nodes",
        title: "Nodes",
        scope: ScopeRule::Cluster,
        needs: &[],
    };

    fn project(node: &Node, strings: &mut Interner) -> NodeRow {
        crate::kinds::project::node_row_in(node, strings)
    }

    /// Not ready first, then by name.
    fn order(a: &NodeRow, b: &NodeRow) -> Ordering {
        (a.ready == Some(true))
            .cmp(&(b.ready == Some(true)))
            .then_with(|| a.name.cmp(&b.name))
    }

    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn cells(n: &NodeRow, node: Option<&Node>, ctx: &Ctx) -> Vec<Cell> {
        let info = node
            .and_then(|n| n.status.as_ref())
            .and_then(|s| s.node_info.as_ref());
        let pressure = n.pressure().join(",");
        // The API server's count of every pod on the node when there is
        // one (`node_pods`), else the watched pods'.
        let pods = ctx
            .snapshot
            .and_then(|s| {
                s.node_pods
                    .get(n.name.as_str())
                    .or_else(|| s.pods_per_node.get(n.name.as_str()))
                    .copied()
            })
            .unwrap_or(0);
        vec![
            Cell::text(n.name.as_str()),
            Cell::text(n.status.as_str()).unless(n.ready == Some(true), Tone::Bad),
            if pressure.is_empty() {
                Cell::text("-")
            } else {
                Cell::text(pressure).unless(false, Tone::Warn)
            },
            Cell::text(or_none(n.roles.join(","))),
            Cell::text(age_since(n.created_at, ctx.now)),
            Cell::text(n.version.as_str()),
            Cell::number(pods),
            Cell::text(address(node, "InternalIP")),
            Cell::text(address(node, "ExternalIP")),
            Cell::text(info.map(|i| i.os_image.clone()).unwrap_or_default()),
            Cell::text(info.map(kernel_with_arch).unwrap_or_default()),
            Cell::text(
                info.map(|i| i.container_runtime_version.clone())
                    .unwrap_or_default(),
            ),
        ]
    }

    fn describe(node: &Node, events: &[EventRow], now: i64) -> Vec<String> {
        crate::kinds::describe::describe_node(node, events, now)
    }

    fn schema() -> Option<&'static Schema> {
        Some(&SCHEMA)
    }
}

impl Row for NodeRow {
    fn namespace(&self) -> &str {
        ""
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn labels(&self) -> Option<&Labels> {
        Some(&self.labels)
    }
    fn matches(&self, filter: &str) -> bool {
        self.name.contains(filter) || self.status.contains(filter)
    }
}

impl Fields for NodeRow {
    fn field<'a>(&'a self, name: &str, _: &Ctx<'a>) -> Val<'a> {
        match name {
            "name" => Val::Str(&self.name),
            "status" => Val::Str(&self.status),
            "ready" => Val::Bool(self.ready == Some(true)),
            "unschedulable" => Val::Bool(self.unschedulable),
            // A condition the kubelet does not report reads as "", like any
            // missing value, so `n.conditions.NetworkUnavailable == "True"`
            // is false rather than an error on clusters without it.
            "conditions" => {
                let missing = ["Ready"]
                    .iter()
                    .chain(&crate::kinds::project::PRESSURE_CONDITIONS)
                    .filter(|c| !self.conditions.contains_key(**c))
                    .map(|c| (*c, ""));
                Val::Map(
                    self.conditions
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .chain(missing)
                        .collect(),
                )
            }
            "roles" => Val::Strs(self.roles.iter().map(String::as_str).collect()),
            "version" => Val::Str(&self.version),
            "labels" => Val::Map(self.labels.iter().collect()),
            "taints" => Val::Strs(self.taints.iter().map(String::as_str).collect()),
            _ => Val::Str(""),
        }
    }
}

/// kubectl's printer appends the architecture to the kernel version
/// (`printNode`: "6.1.0-28-amd64 (amd64)").
fn kernel_with_arch(info: &k8s_openapi::api::core::v1::NodeSystemInfo) -> String {
    if info.architecture.is_empty() {
        info.kernel_version.clone()
    } else {
        format!("{} ({})", info.kernel_version, info.architecture)
    }
}
