//! Deployments: kubectl's printDeployment columns.

use k8s_openapi::api::apps::v1::Deployment;

use super::Key;
use super::columns::{Width, col, wide};
use super::schema::{Ctx, Fields, Schema, Ty, Val};
use super::{Cell, Column, Kind, Meta, Row, ScopeRule, Tone};
use crate::kinds::format::{age_since, selector};
use crate::kinds::intern::{Interner, Text};
use crate::kinds::rows::{DeploymentRow, EventRow};

pub struct Deployments;

pub static SCHEMA: Schema = Schema {
    name: "deployments",
    fields: &[
        ("name", Ty::Any),
        ("namespace", Ty::Any),
        ("replicas", Ty::Any),
        ("ready", Ty::Any),
        ("updated", Ty::Any),
        ("available", Ty::Any),
        ("images", Ty::Any),
    ],
};

const COLUMNS: &[Column] = &[
    col("Name", Width::Name),
    col("Ready", Width::Fit(9)),
    col("Up-to-date", Width::Fixed(10)),
    col("Available", Width::Fixed(9)),
    col("Age", Width::Fit(6)),
    wide("Containers", Width::Fit(30)),
    wide("Images", Width::Fit(50)),
    wide("Selector", Width::Fit(40)),
];

/// Container names of a pod template, comma-separated (kubectl's wide
/// CONTAINERS), from the object: rows keep only the images.
pub fn container_names(spec: Option<&k8s_openapi::api::core::v1::PodSpec>) -> String {
    spec.map(|s| {
        s.containers
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(",")
    })
    .unwrap_or_default()
}

impl Kind for Deployments {
    type Object = Deployment;
    type Row = DeploymentRow;
    const META: Meta = Meta {
        name: "deployments",
        title: "Deployments",
        scope: ScopeRule::Namespaced,
        needs: &[],
    };

    fn project(d: &Deployment, strings: &mut Interner) -> DeploymentRow {
        crate::kinds::project::deployment_row_in(d, strings)
    }

    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn cells(d: &DeploymentRow, object: Option<&Deployment>, ctx: &Ctx) -> Vec<Cell> {
        let template = object
            .and_then(|o| o.spec.as_ref())
            .and_then(|s| s.template.spec.as_ref());
        vec![
            Cell::text(d.name.as_str()),
            Cell::text(format!("{}/{}", d.ready, d.replicas))
                .unless(d.ready >= d.replicas, Tone::Bad),
            Cell::number(d.updated),
            Cell::number(d.available),
            Cell::text(age_since(d.created_at, ctx.now)),
            Cell::text(container_names(template)),
            Cell::text(d.images.join(",")),
            Cell::text(selector(d.selector.iter())),
        ]
    }

    fn describe(d: &Deployment, events: &[EventRow], now: i64) -> Vec<String> {
        crate::kinds::describe::describe_deployment(d, events, now)
    }

    fn schema() -> Option<&'static Schema> {
        Some(&SCHEMA)
    }
}

impl Row for DeploymentRow {
    fn namespace(&self) -> &str {
        &self.namespace
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn key(&self) -> Key {
        (self.namespace.clone(), self.name.clone())
    }
}

impl Fields for DeploymentRow {
    fn field<'a>(&'a self, name: &str, _: &Ctx<'a>) -> Val<'a> {
        match name {
            "name" => Val::Str(&self.name),
            "namespace" => Val::Str(&self.namespace),
            "replicas" => Val::Int(self.replicas.into()),
            "ready" => Val::Int(self.ready.into()),
            "updated" => Val::Int(self.updated.into()),
            "available" => Val::Int(self.available.into()),
            "images" => Val::Strs(self.images.iter().map(Text::as_str).collect()),
            _ => Val::Str(""),
        }
    }
}
