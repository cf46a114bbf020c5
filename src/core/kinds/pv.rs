//! PersistentVolumes: kubectl's printPersistentVolume columns.

use k8s_openapi::api::core::v1::PersistentVolume;

use super::columns::{Width, col, wide};
use super::common;
use super::pvc::access_modes;
use super::schema::{Ctx, Fields, Schema, Ty, Val};
use super::{Cell, Column, Kind, Meta, Row, ScopeRule, Tone};
use crate::kinds::format::age_since;
use crate::kinds::intern::{Interner, Text};
use crate::kinds::rows::EventRow;
use crate::sanitize::line;

pub struct Pvs;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PvRow {
    pub name: Text,
    pub capacity: String,
    pub access_modes: Vec<String>,
    pub reclaim_policy: String,
    /// Available, Bound, Released, Failed, Pending; Terminating once deleted.
    pub phase: String,
    /// `namespace/name` of the claim bound to it ("" when none).
    pub claim: String,
    pub storage_class: String,
    pub reason: String,
    pub volume_mode: String,
    pub created_at: Option<i64>,
}

pub static SCHEMA: Schema = Schema {
    name: "pvs",
    fields: &[
        ("name", Ty::Any),
        ("phase", Ty::Any),
        ("capacity", Ty::Any),
        ("storageClass", Ty::Any),
        ("claim", Ty::Any),
        ("reclaimPolicy", Ty::Any),
    ],
};

const COLUMNS: &[Column] = &[
    col("Name", Width::Name),
    col("Capacity", Width::Fit(8)),
    col("Access Modes", Width::Fit(12)),
    col("Reclaim Policy", Width::Fit(14)),
    col("Status", Width::Fit(11)),
    col("Claim", Width::Fit(40)),
    col("StorageClass", Width::Fit(20)),
    Column {
        name: "VolumeAttributesClass",
        width: Width::Fit(21),
        kubectl: Some(0),
        pane: false,
        keep: 0,
    },
    col("Reason", Width::Fit(20)),
    col("Age", Width::Fit(6)),
    wide("VolumeMode", Width::Fit(10)),
];

impl Kind for Pvs {
    type Object = PersistentVolume;
    type Row = PvRow;
    const META: Meta = Meta {
        name: "pvs",
        title: "PVs",
        scope: ScopeRule::Cluster,
        needs: &[],
    };

    fn project(v: &PersistentVolume, _: &mut Interner) -> PvRow {
        let (_, name, created_at) = common::key(&v.metadata);
        let spec = common::or_default(&v.spec);
        let status = common::or_default(&v.status);
        let claim = spec
            .claim_ref
            .as_ref()
            .map(|c| {
                line(&format!(
                    "{}/{}",
                    c.namespace.as_deref().unwrap_or_default(),
                    c.name.as_deref().unwrap_or_default()
                ))
            })
            .unwrap_or_default();
        PvRow {
            name: name.into(),
            capacity: common::quantity(spec.capacity.as_ref(), "storage"),
            access_modes: access_modes(&spec.access_modes.clone().unwrap_or_default()),
            reclaim_policy: line(
                spec.persistent_volume_reclaim_policy
                    .as_deref()
                    .unwrap_or_default(),
            ),
            phase: if v.metadata.deletion_timestamp.is_some() {
                "Terminating".into()
            } else {
                line(status.phase.as_deref().unwrap_or_default())
            },
            claim,
            storage_class: line(spec.storage_class_name.as_deref().unwrap_or_default()),
            reason: line(status.reason.as_deref().unwrap_or_default()),
            volume_mode: line(spec.volume_mode.as_deref().unwrap_or("<unset>")),
            created_at,
        }
    }

    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn cells(v: &PvRow, _: Option<&PersistentVolume>, ctx: &Ctx) -> Vec<Cell> {
        vec![
            Cell::text(v.name.as_str()),
            Cell::text(v.capacity.as_str()),
            Cell::text(v.access_modes.join(",")),
            Cell::text(v.reclaim_policy.as_str()),
            Cell::text(v.phase.as_str())
                .unless(matches!(v.phase.as_str(), "Bound" | "Available"), Tone::Bad),
            Cell::text(v.claim.as_str()),
            Cell::text(v.storage_class.as_str()),
            Cell::text("<unset>"),
            Cell::text(v.reason.as_str()),
            Cell::text(age_since(v.created_at, ctx.now)),
            Cell::text(v.volume_mode.as_str()),
        ]
    }

    fn describe(v: &PersistentVolume, events: &[EventRow], now: i64) -> Vec<String> {
        let row = Pvs::project(v, &mut Interner::new());
        let mut out = common::header(&v.metadata, now);
        out.push(format!("StorageClass:   {}", row.storage_class));
        out.push(format!("Status:         {}", row.phase));
        out.push(format!("Claim:          {}", row.claim));
        out.push(format!("Reclaim Policy: {}", row.reclaim_policy));
        out.push(format!("Access Modes:   {}", row.access_modes.join(",")));
        out.push(format!("Capacity:       {}", row.capacity));
        if !row.reason.is_empty() {
            out.push(format!("Reason:         {}", row.reason));
        }
        common::events(events, "PersistentVolume", &row.name, now, &mut out);
        out
    }

    fn schema() -> Option<&'static Schema> {
        Some(&SCHEMA)
    }
}

impl Row for PvRow {
    fn namespace(&self) -> &str {
        ""
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn matches(&self, filter: &str) -> bool {
        self.name.contains(filter) || self.claim.contains(filter) || self.phase.contains(filter)
    }
}

impl Fields for PvRow {
    fn field<'a>(&'a self, name: &str, _: &Ctx<'a>) -> Val<'a> {
        match name {
            "name" => Val::Str(&self.name),
            "phase" => Val::Str(&self.phase),
            "capacity" => Val::Str(&self.capacity),
            "storageClass" => Val::Str(&self.storage_class),
            "claim" => Val::Str(&self.claim),
            "reclaimPolicy" => Val::Str(&self.reclaim_policy),
            _ => Val::Str(""),
        }
    }
}
