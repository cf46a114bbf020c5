//! PersistentVolumeClaims: kubectl's printPersistentVolumeClaim columns; a
//! claim that never binds stays Pending. The worked example of adding a
//! kind in docs/architecture.md.

use k8s_openapi::api::core::v1::PersistentVolumeClaim;

use super::columns::{Width, col, wide};
use super::common;
use super::schema::{Ctx, Fields, Schema, Ty, Val};
use super::{Cell, Column, Kind, Meta, Row, ScopeRule, Tone};
use crate::kinds::format::age_since;
use crate::kinds::intern::{Interner, Text};
use crate::kinds::rows::EventRow;
use crate::sanitize::line;

pub struct Pvcs;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PvcRow {
    pub namespace: Text,
    pub name: Text,
    /// Pending, Bound, Lost; Terminating once deleted.
    pub phase: String,
    pub volume: String,
    pub requested: String,
    pub capacity: String,
    /// RWO, ROX, RWX, RWOP, as kubectl abbreviates them.
    pub access_modes: Vec<String>,
    pub storage_class: String,
    pub volume_mode: String,
    pub created_at: Option<i64>,
}

pub static SCHEMA: Schema = Schema {
    name: "pvcs",
    fields: &[
        ("name", Ty::Any),
        ("namespace", Ty::Any),
        ("phase", Ty::Any),
        ("storageClass", Ty::Any),
        ("requested", Ty::Any),
        ("capacity", Ty::Any),
        ("accessModes", Ty::Any),
        ("volume", Ty::Any),
    ],
};

const COLUMNS: &[Column] = &[
    col("Name", Width::Name),
    col("Status", Width::Fit(11)),
    col("Volume", Width::Fit(40)),
    col("Capacity", Width::Fit(8)),
    col("Access Modes", Width::Fit(12)),
    col("StorageClass", Width::Fit(20)),
    Column {
        name: "VolumeAttributesClass",
        width: Width::Fit(21),
        kubectl: Some(0),
        pane: false,
        keep: 0,
    },
    col("Age", Width::Fit(6)),
    wide("VolumeMode", Width::Fit(10)),
];

/// kubectl's GetAccessModesAsString, in its order.
pub fn access_modes(modes: &[String]) -> Vec<String> {
    [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ]
    .iter()
    .filter(|(m, _)| modes.iter().any(|x| x == m))
    .map(|(_, short)| short.to_string())
    .collect()
}

impl Kind for Pvcs {
    type Object = PersistentVolumeClaim;
    type Row = PvcRow;
    const META: Meta = Meta {
        name: "pvcs",
        title: "PVCs",
        scope: ScopeRule::Namespaced,
        needs: &[],
    };

    fn project(c: &PersistentVolumeClaim, strings: &mut Interner) -> PvcRow {
        let (namespace, name, created_at) = common::key(&c.metadata);
        let spec = common::or_default(&c.spec);
        let status = common::or_default(&c.status);
        let phase = if c.metadata.deletion_timestamp.is_some() {
            "Terminating".to_string()
        } else {
            line(status.phase.as_deref().unwrap_or_default())
        };
        let volume = line(spec.volume_name.as_deref().unwrap_or_default());
        // kubectl shows capacity and modes from the status once bound.
        let bound = !volume.is_empty();
        let modes = if bound {
            status.access_modes.clone().unwrap_or_default()
        } else {
            Vec::new()
        };
        let class = spec.storage_class_name.clone().or_else(|| {
            c.metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get("volume.beta.kubernetes.io/storage-class").cloned())
        });
        PvcRow {
            namespace: strings.line(&namespace),
            name: name.into(),
            phase,
            volume,
            requested: common::quantity(
                spec.resources.as_ref().and_then(|r| r.requests.as_ref()),
                "storage",
            ),
            capacity: if bound {
                common::quantity(status.capacity.as_ref(), "storage")
            } else {
                String::new()
            },
            access_modes: access_modes(&modes),
            storage_class: line(class.as_deref().unwrap_or_default()),
            volume_mode: line(spec.volume_mode.as_deref().unwrap_or("<unset>")),
            created_at,
        }
    }

    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn cells(c: &PvcRow, _: Option<&PersistentVolumeClaim>, ctx: &Ctx) -> Vec<Cell> {
        vec![
            Cell::text(c.name.as_str()),
            Cell::text(c.phase.as_str()).unless(c.phase == "Bound", Tone::Bad),
            Cell::text(c.volume.as_str()),
            Cell::text(c.capacity.as_str()),
            Cell::text(c.access_modes.join(",")),
            Cell::text(if c.storage_class.is_empty() {
                "<unset>"
            } else {
                &c.storage_class
            }),
            Cell::text("<unset>"),
            Cell::text(age_since(c.created_at, ctx.now)),
            Cell::text(c.volume_mode.as_str()),
        ]
    }

    fn describe(c: &PersistentVolumeClaim, events: &[EventRow], now: i64) -> Vec<String> {
        let row = Pvcs::project(c, &mut Interner::new());
        let mut out = common::header(&c.metadata, now);
        out.push(format!("StorageClass: {}", row.storage_class));
        out.push(format!("Status:       {}", row.phase));
        out.push(format!("Volume:       {}", row.volume));
        out.push(format!("Requested:    {}", row.requested));
        out.push(format!("Capacity:     {}", row.capacity));
        out.push(format!("Access Modes: {}", row.access_modes.join(",")));
        out.push(format!("VolumeMode:   {}", row.volume_mode));
        common::events(events, "PersistentVolumeClaim", &row.name, now, &mut out);
        out
    }

    fn schema() -> Option<&'static Schema> {
        Some(&SCHEMA)
    }
}

impl Row for PvcRow {
    fn namespace(&self) -> &str {
        &self.namespace
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn matches(&self, filter: &str) -> bool {
        self.name.contains(filter) || self.phase.contains(filter)
    }
}

impl Fields for PvcRow {
    fn field<'a>(&'a self, name: &str, _: &Ctx<'a>) -> Val<'a> {
        match name {
            "name" => Val::Str(&self.name),
            "namespace" => Val::Str(&self.namespace),
            "phase" => Val::Str(&self.phase),
            "storageClass" => Val::Str(&self.storage_class),
            "requested" => Val::Str(&self.requested),
            "capacity" => Val::Str(&self.capacity),
            "accessModes" => Val::Strs(self.access_modes.iter().map(String::as_str).collect()),
            "volume" => Val::Str(&self.volume),
            _ => Val::Str(""),
        }
    }
}
