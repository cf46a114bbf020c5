//! HorizontalPodAutoscalers (autoscaling/v2): kubectl's printer columns;
//! an autoscaler pinned at its maximum is marked.

use k8s_openapi::api::autoscaling::v2::{HorizontalPodAutoscaler, MetricSpec, MetricStatus};

use super::columns::{Width, col};
use super::common;
use super::schema::{Ctx, Fields, Schema, Ty, Val};
use super::{Cell, Column, Kind, Meta, Row, ScopeRule, Tone};
use crate::kinds::format::age_since;
use crate::kinds::intern::{Interner, Text};
use crate::kinds::rows::EventRow;
use crate::sanitize::line;

pub struct Hpas;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct HpaRow {
    pub namespace: Text,
    pub name: Text,
    /// `Deployment/checkout`.
    pub target: String,
    /// kubectl's TARGETS: `cpu: 45%/80%`.
    pub metrics: String,
    pub min_replicas: Option<u32>,
    pub max_replicas: u32,
    pub current_replicas: u32,
    pub desired_replicas: u32,
    /// Condition type → status.
    pub conditions: Vec<(String, String)>,
    pub created_at: Option<i64>,
}

pub static SCHEMA: Schema = Schema {
    name: "hpas",
    fields: &[
        ("name", Ty::Any),
        ("namespace", Ty::Any),
        ("target", Ty::Any),
        ("minReplicas", Ty::Any),
        ("maxReplicas", Ty::Any),
        ("currentReplicas", Ty::Any),
        ("desiredReplicas", Ty::Any),
        ("conditions", Ty::Map),
    ],
};

const COLUMNS: &[Column] = &[
    col("Name", Width::Name),
    col("Reference", Width::Fit(40)),
    col("Targets", Width::Fit(40)),
    col("MinPods", Width::Fit(7)),
    col("MaxPods", Width::Fit(7)),
    col("Replicas", Width::Fit(8)),
    col("Age", Width::Fit(6)),
];

/// One metric as kubectl's formatHPAMetrics prints it.
fn metric(spec: &MetricSpec, status: Option<&MetricStatus>) -> String {
    let Some(r) = &spec.resource else {
        return format!("{}: <unknown>", spec.type_.to_lowercase());
    };
    let current = status.and_then(|s| s.resource.as_ref());
    let (current, target) = match (r.target.average_utilization, &r.target.average_value) {
        (Some(t), _) => (
            current
                .and_then(|c| c.current.average_utilization)
                .map_or("<unknown>".to_string(), |c| format!("{c}%")),
            format!("{t}%"),
        ),
        (None, Some(v)) => (
            current
                .and_then(|c| c.current.average_value.as_ref())
                .map_or("<unknown>".to_string(), |c| c.0.clone()),
            v.0.clone(),
        ),
        _ => ("<unknown>".to_string(), "<auto>".to_string()),
    };
    format!("{}: {current}/{target}", r.name)
}

impl Kind for Hpas {
    type Object = HorizontalPodAutoscaler;
    type Row = HpaRow;
    const META: Meta = Meta {
        name: "hpas",
        title: "HPAs",
        scope: ScopeRule::Namespaced,
        needs: &[],
    };

    fn project(h: &HorizontalPodAutoscaler, strings: &mut Interner) -> HpaRow {
        let (namespace, name, created_at) = common::key(&h.metadata);
        let spec = common::or_default(&h.spec);
        let status = common::or_default(&h.status);
        let specs = spec.metrics.clone().unwrap_or_default();
        let statuses = status.current_metrics.clone().unwrap_or_default();
        let mut list: Vec<String> = specs
            .iter()
            .enumerate()
            .take(2)
            .map(|(i, m)| metric(m, statuses.get(i)))
            .collect();
        if specs.len() > 2 {
            list.push(format!("+ {} more...", specs.len() - 2));
        }
        HpaRow {
            namespace: strings.line(&namespace),
            name: name.into(),
            target: line(&format!(
                "{}/{}",
                spec.scale_target_ref.kind, spec.scale_target_ref.name
            )),
            metrics: if list.is_empty() {
                "<none>".into()
            } else {
                line(&list.join(", "))
            },
            min_replicas: spec.min_replicas.map(|n| common::count(Some(n))),
            max_replicas: common::count(Some(spec.max_replicas)),
            current_replicas: common::count(status.current_replicas),
            desired_replicas: common::count(Some(status.desired_replicas)),
            conditions: status
                .conditions
                .iter()
                .flatten()
                .map(|c| (line(&c.type_), line(&c.status)))
                .collect(),
            created_at,
        }
    }

    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn cells(h: &HpaRow, _: Option<&HorizontalPodAutoscaler>, ctx: &Ctx) -> Vec<Cell> {
        let pinned = h.max_replicas > 0 && h.current_replicas >= h.max_replicas;
        vec![
            Cell::text(h.name.as_str()),
            Cell::text(h.target.as_str()),
            Cell::text(h.metrics.as_str()),
            Cell::text(h.min_replicas.map_or("<unset>".into(), |n| n.to_string())),
            Cell::number(h.max_replicas),
            Cell::number(h.current_replicas).unless(!pinned, Tone::Warn),
            Cell::text(age_since(h.created_at, ctx.now)),
        ]
    }

    fn describe(h: &HorizontalPodAutoscaler, events: &[EventRow], now: i64) -> Vec<String> {
        let row = Hpas::project(h, &mut Interner::new());
        let mut out = common::header(&h.metadata, now);
        out.push(format!("Reference:    {}", row.target));
        out.push(format!("Metrics:      {}", row.metrics));
        out.push(format!(
            "Min replicas: {}",
            row.min_replicas.map_or("<unset>".into(), |n| n.to_string())
        ));
        out.push(format!("Max replicas: {}", row.max_replicas));
        out.push(format!(
            "Deployment pods: {} current / {} desired",
            row.current_replicas, row.desired_replicas
        ));
        out.push("Conditions:".into());
        for (t, s) in &row.conditions {
            out.push(format!("  {t:<16} {s}"));
        }
        common::events(events, "HorizontalPodAutoscaler", &row.name, now, &mut out);
        out
    }

    fn schema() -> Option<&'static Schema> {
        Some(&SCHEMA)
    }
}

impl Row for HpaRow {
    fn namespace(&self) -> &str {
        &self.namespace
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn matches(&self, filter: &str) -> bool {
        self.name.contains(filter) || self.target.contains(filter)
    }
}

impl Fields for HpaRow {
    fn field<'a>(&'a self, name: &str, _: &Ctx<'a>) -> Val<'a> {
        match name {
            "name" => Val::Str(&self.name),
            "namespace" => Val::Str(&self.namespace),
            "target" => Val::Str(&self.target),
            "minReplicas" => Val::Int(self.min_replicas.unwrap_or(1).into()),
            "maxReplicas" => Val::Int(self.max_replicas.into()),
            "currentReplicas" => Val::Int(self.current_replicas.into()),
            "desiredReplicas" => Val::Int(self.desired_replicas.into()),
            "conditions" => Val::Map(
                self.conditions
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect(),
            ),
            _ => Val::Str(""),
        }
    }
}
