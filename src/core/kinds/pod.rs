//! Pods: kubectl's printPod columns (STATUS, READY and RESTARTS from
//! `project::pod_row`, a port of its rules), the describe view, the check
//! fields, and the count of pods per node the nodes pane shows.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use k8s_openapi::api::core::v1::Pod;

use super::Key;
use super::columns::{Width, col, pane, wide};
use super::schema::{Ctx, Fields, Schema, Ty, Val};
use super::{Cell, Column, Kind, Meta, Row, ScopeRule, Tone};
use crate::kinds::format::{age_since, or_none, restarts};
use crate::kinds::intern::{Interner, Text};
use crate::kinds::labels::Labels;
use crate::kinds::rows::{ContainerRow, EventRow, PodRow};
use crate::kinds::snapshot::{Rows, Snapshot};

pub struct Pods;

pub static CONTAINER: Schema = Schema {
    name: "containers",
    fields: &[
        ("name", Ty::Any),
        ("image", Ty::Any),
        ("ready", Ty::Any),
        ("restarts", Ty::Any),
        ("state", Ty::Any),
        ("reason", Ty::Any),
        ("exitCode", Ty::Any),
        ("lastReason", Ty::Any),
        ("lastExitCode", Ty::Any),
    ],
};

pub static SCHEMA: Schema = Schema {
    name: "pods",
    fields: &[
        ("name", Ty::Any),
        ("namespace", Ty::Any),
        ("node", Ty::Any),
        ("phase", Ty::Any),
        ("status", Ty::Any),
        ("reason", Ty::Any),
        ("ready", Ty::Any),
        ("readyContainers", Ty::Any),
        ("totalContainers", Ty::Any),
        ("restarts", Ty::Any),
        ("ageSeconds", Ty::Any),
        ("labels", Ty::Map),
        ("owner", Ty::Any),
        ("containers", Ty::List(&CONTAINER)),
    ],
};

const COLUMNS: &[Column] = &[
    col("Name", Width::Name),
    col("Ready", Width::Fixed(5)),
    col("Status", Width::Fit(26)).kept(),
    // "123 (59m59s ago)": the count and how long since the last restart.
    col("Restarts", Width::Fit(17)).kept(),
    col("Age", Width::Fit(6)),
    wide("IP", Width::Fit(15)),
    Column {
        name: "Node",
        width: Width::Fit(40),
        kubectl: Some(1),
        pane: true,
        keep: 0,
    },
    wide("Nominated Node", Width::Fit(20)),
    wide("Readiness Gates", Width::Fit(20)),
    pane("Owner", Width::Fit(40)),
];

impl Kind for Pods {
    type Object = Pod;
    type Row = PodRow;
    const META: Meta = Meta {
        name: "pods",
        title: "Pods",
        scope: ScopeRule::Selected,
        needs: &[],
    };

    fn project(pod: &Pod, strings: &mut Interner) -> PodRow {
        crate::kinds::project::pod_row_in(pod, strings)
    }

    /// Unhealthy first, then by namespace and name.
    fn order(a: &PodRow, b: &PodRow) -> Ordering {
        a.is_healthy()
            .cmp(&b.is_healthy())
            .then_with(|| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)))
    }

    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn cells(p: &PodRow, pod: Option<&Pod>, ctx: &Ctx) -> Vec<Cell> {
        let status = pod.and_then(|p| p.status.as_ref());
        let spec = pod.and_then(|p| p.spec.as_ref());
        let gates = spec.and_then(|s| s.readiness_gates.as_ref()).map(|gates| {
            let conditions = status.and_then(|s| s.conditions.as_ref());
            let met = gates
                .iter()
                .filter(|g| {
                    conditions.is_some_and(|cs| {
                        cs.iter()
                            .any(|c| c.type_ == g.condition_type && c.status == "True")
                    })
                })
                .count();
            format!("{met}/{}", gates.len())
        });
        vec![
            Cell::text(p.name.as_str()),
            Cell::text(format!("{}/{}", p.ready_containers, p.total_containers)),
            Cell::text(p.status.as_str()).unless(p.is_healthy(), Tone::Bad),
            Cell::text(restarts(p.restarts, p.last_restart_at, ctx.now)),
            Cell::text(age_since(p.created_at, ctx.now)),
            Cell::text(or_none(
                status.and_then(|s| s.pod_ip.clone()).unwrap_or_default(),
            )),
            Cell::text(or_none(p.node.as_deref().unwrap_or_default())),
            Cell::text(or_none(
                status
                    .and_then(|s| s.nominated_node_name.clone())
                    .unwrap_or_default(),
            )),
            Cell::text(gates.unwrap_or_else(|| "<none>".into())),
            Cell::text(p.owner.as_deref().unwrap_or("<none>")),
        ]
    }

    fn describe(pod: &Pod, events: &[EventRow], now: i64) -> Vec<String> {
        crate::kinds::describe::describe_pod(pod, events, now)
    }

    fn schema() -> Option<&'static Schema> {
        Some(&SCHEMA)
    }

    /// Non-terminated pods per node among the pods watched, counted once
    /// per publish so the nodes pane never scans every pod per frame.
    fn publish(rows: &Rows<PodRow>, snapshot: &mut Snapshot) {
        let mut per_node: HashMap<Text, u32> = HashMap::new();
        for p in rows
            .rows
            .iter()
            .filter(|p| !matches!(p.phase.as_str(), "Succeeded" | "Failed"))
        {
            if let Some(node) = &p.node {
                *per_node.entry(node.clone()).or_default() += 1;
            }
        }
        snapshot.pods_per_node = Arc::new(per_node);
    }
}

impl Row for PodRow {
    fn namespace(&self) -> &str {
        &self.namespace
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn key(&self) -> Key {
        (self.namespace.clone(), self.name.clone())
    }
    fn labels(&self) -> Option<&Labels> {
        Some(&self.labels)
    }
    fn matches(&self, filter: &str) -> bool {
        [
            &*self.name,
            &*self.status,
            self.node.as_deref().unwrap_or(""),
        ]
        .iter()
        .any(|f| f.contains(filter))
    }
}

impl Fields for PodRow {
    fn field<'a>(&'a self, name: &str, ctx: &Ctx<'a>) -> Val<'a> {
        match name {
            "name" => Val::Str(&self.name),
            "namespace" => Val::Str(&self.namespace),
            "node" => Val::Str(self.node.as_deref().unwrap_or("")),
            "phase" => Val::Str(&self.phase),
            "status" => Val::Str(&self.status),
            "reason" => Val::Str(self.reason.as_deref().unwrap_or("")),
            "ready" => Val::Bool(
                self.total_containers > 0 && self.ready_containers == self.total_containers,
            ),
            "readyContainers" => Val::Int(self.ready_containers.into()),
            "totalContainers" => Val::Int(self.total_containers.into()),
            "restarts" => Val::Int(self.restarts.into()),
            "ageSeconds" => Val::Int(ctx.age(self.created_at)),
            "labels" => Val::Map(self.labels.iter().collect()),
            "owner" => Val::Str(self.owner.as_deref().unwrap_or("")),
            "containers" => Val::Objects(
                &CONTAINER,
                self.containers
                    .iter()
                    .filter(|c| !c.init)
                    .map(|c| c as &dyn Fields)
                    .collect(),
            ),
            _ => Val::Str(""),
        }
    }
}

impl Fields for ContainerRow {
    fn field<'a>(&'a self, name: &str, _: &Ctx<'a>) -> Val<'a> {
        match name {
            "name" => Val::Str(&self.name),
            "image" => Val::Str(&self.image),
            "ready" => Val::Bool(self.ready),
            "restarts" => Val::Int(self.restarts.into()),
            "state" => Val::Str(&self.state),
            "reason" => Val::Str(self.reason.as_deref().unwrap_or("")),
            "exitCode" => Val::Int(self.exit_code.unwrap_or(0).into()),
            "lastReason" => Val::Str(self.last_reason.as_deref().unwrap_or("")),
            "lastExitCode" => Val::Int(self.last_exit_code.unwrap_or(0).into()),
            _ => Val::Str(""),
        }
    }
}
