//! PodDisruptionBudgets: kubectl's printPodDisruptionBudget columns; a
//! budget that allows no disruption blocks a drain.

use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::columns::{Width, col};
use super::common;
use super::schema::{Ctx, Fields, Schema, Ty, Val};
use super::{Cell, Column, Kind, Meta, Row, ScopeRule, Tone};
use crate::kinds::format::age_since;
use crate::kinds::intern::{Interner, Text};
use crate::kinds::rows::EventRow;
use crate::sanitize::line;

pub struct Pdbs;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PdbRow {
    pub namespace: Text,
    pub name: Text,
    /// As written (`2`, `50%`), "" when not set.
    pub min_available: String,
    pub max_unavailable: String,
    pub disruptions_allowed: u32,
    pub current_healthy: u32,
    pub desired_healthy: u32,
    pub created_at: Option<i64>,
}

pub static SCHEMA: Schema = Schema {
    name: "pdbs",
    fields: &[
        ("name", Ty::Any),
        ("namespace", Ty::Any),
        ("minAvailable", Ty::Any),
        ("maxUnavailable", Ty::Any),
        ("disruptionsAllowed", Ty::Any),
        ("currentHealthy", Ty::Any),
        ("desiredHealthy", Ty::Any),
    ],
};

const COLUMNS: &[Column] = &[
    col("Name", Width::Name),
    col("Min Available", Width::Fixed(13)),
    col("Max Unavailable", Width::Fixed(15)),
    col("Allowed Disruptions", Width::Fixed(19)),
    col("Age", Width::Fit(6)),
];

fn written(v: Option<&IntOrString>) -> String {
    match v {
        Some(IntOrString::Int(n)) => n.to_string(),
        Some(IntOrString::String(s)) => line(s),
        None => String::new(),
    }
}

fn or_na(s: &str) -> &str {
    if s.is_empty() { "N/A" } else { s }
}

impl Kind for Pdbs {
    type Object = PodDisruptionBudget;
    type Row = PdbRow;
    const META: Meta = Meta {
        name: "pdbs",
        title: "PDBs",
        scope: ScopeRule::Namespaced,
        needs: &[],
    };

    fn project(p: &PodDisruptionBudget, strings: &mut Interner) -> PdbRow {
        let (namespace, name, created_at) = common::key(&p.metadata);
        let spec = common::or_default(&p.spec);
        let status = common::or_default(&p.status);
        PdbRow {
            namespace: strings.line(&namespace),
            name: name.into(),
            min_available: written(spec.min_available.as_ref()),
            max_unavailable: written(spec.max_unavailable.as_ref()),
            disruptions_allowed: common::count(Some(status.disruptions_allowed)),
            current_healthy: common::count(Some(status.current_healthy)),
            desired_healthy: common::count(Some(status.desired_healthy)),
            created_at,
        }
    }

    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn cells(p: &PdbRow, _: Option<&PodDisruptionBudget>, ctx: &Ctx) -> Vec<Cell> {
        vec![
            Cell::text(p.name.as_str()),
            Cell::text(or_na(&p.min_available)),
            Cell::text(or_na(&p.max_unavailable)),
            Cell::number(p.disruptions_allowed).unless(p.disruptions_allowed > 0, Tone::Warn),
            Cell::text(age_since(p.created_at, ctx.now)),
        ]
    }

    fn describe(p: &PodDisruptionBudget, events: &[EventRow], now: i64) -> Vec<String> {
        let row = Pdbs::project(p, &mut Interner::new());
        let mut out = common::header(&p.metadata, now);
        if !row.min_available.is_empty() {
            out.push(format!("Min available:   {}", row.min_available));
        }
        if !row.max_unavailable.is_empty() {
            out.push(format!("Max unavailable: {}", row.max_unavailable));
        }
        out.push(format!(
            "Selector:        {}",
            common::label_selector(p.spec.as_ref().and_then(|s| s.selector.as_ref()))
        ));
        out.push("Status:".into());
        out.push(format!(
            "    Allowed disruptions:  {}",
            row.disruptions_allowed
        ));
        out.push(format!("    Current:              {}", row.current_healthy));
        out.push(format!("    Desired:              {}", row.desired_healthy));
        common::events(events, "PodDisruptionBudget", &row.name, now, &mut out);
        out
    }

    fn schema() -> Option<&'static Schema> {
        Some(&SCHEMA)
    }
}

impl Row for PdbRow {
    fn namespace(&self) -> &str {
        &self.namespace
    }
    fn name(&self) -> &str {
        &self.name
    }
}

impl Fields for PdbRow {
    fn field<'a>(&'a self, name: &str, _: &Ctx<'a>) -> Val<'a> {
        match name {
            "name" => Val::Str(&self.name),
            "namespace" => Val::Str(&self.namespace),
            "minAvailable" => Val::Str(&self.min_available),
            "maxUnavailable" => Val::Str(&self.max_unavailable),
            "disruptionsAllowed" => Val::Int(self.disruptions_allowed.into()),
            "currentHealthy" => Val::Int(self.current_healthy.into()),
            "desiredHealthy" => Val::Int(self.desired_healthy.into()),
            _ => Val::Str(""),
        }
    }
}
