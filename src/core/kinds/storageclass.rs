//! StorageClasses: kubectl's printStorageClass columns, the default marked.

use k8s_openapi::api::storage::v1::StorageClass;

use super::columns::{Width, col};
use super::common;
use super::schema::{Ctx, Fields, Schema, Ty, Val};
use super::{Cell, Column, Kind, Meta, Row, ScopeRule};
use crate::kinds::format::age_since;
use crate::kinds::intern::{Interner, Text};
use crate::kinds::rows::EventRow;
use crate::sanitize::line;

pub struct StorageClasses;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct StorageClassRow {
    pub name: Text,
    pub provisioner: String,
    pub is_default: bool,
    pub reclaim_policy: String,
    pub binding_mode: String,
    pub expansion: bool,
    pub created_at: Option<i64>,
}

pub static SCHEMA: Schema = Schema {
    name: "storageClasses",
    fields: &[
        ("name", Ty::Any),
        ("provisioner", Ty::Any),
        ("isDefault", Ty::Any),
    ],
};

const COLUMNS: &[Column] = &[
    col("Name", Width::Name),
    col("Provisioner", Width::Fit(30)),
    col("ReclaimPolicy", Width::Fit(13)),
    col("VolumeBindingMode", Width::Fit(20)),
    col("AllowVolumeExpansion", Width::Fit(20)),
    col("Age", Width::Fit(6)),
];

/// kubectl's IsDefaultAnnotation (and its beta spelling).
fn is_default(s: &StorageClass) -> bool {
    s.metadata.annotations.as_ref().is_some_and(|a| {
        [
            "storageclass.kubernetes.io/is-default-class",
            "storageclass.beta.kubernetes.io/is-default-class",
        ]
        .iter()
        .any(|k| a.get(*k).is_some_and(|v| v == "true"))
    })
}

impl Kind for StorageClasses {
    type Object = StorageClass;
    type Row = StorageClassRow;
    const META: Meta = Meta {
        name: "storageClasses",
        title: "StorageClasses",
        scope: ScopeRule::Cluster,
        needs: &[],
    };

    fn project(s: &StorageClass, _: &mut Interner) -> StorageClassRow {
        let (_, name, created_at) = common::key(&s.metadata);
        StorageClassRow {
            name: name.into(),
            provisioner: line(&s.provisioner),
            is_default: is_default(s),
            reclaim_policy: line(s.reclaim_policy.as_deref().unwrap_or("Delete")),
            binding_mode: line(s.volume_binding_mode.as_deref().unwrap_or("Immediate")),
            expansion: s.allow_volume_expansion.unwrap_or(false),
            created_at,
        }
    }

    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn cells(s: &StorageClassRow, _: Option<&StorageClass>, ctx: &Ctx) -> Vec<Cell> {
        vec![
            Cell::text(if s.is_default {
                format!("{} (default)", s.name)
            } else {
                s.name.to_string()
            }),
            Cell::text(s.provisioner.as_str()),
            Cell::text(s.reclaim_policy.as_str()),
            Cell::text(s.binding_mode.as_str()),
            Cell::text(s.expansion.to_string()),
            Cell::text(age_since(s.created_at, ctx.now)),
        ]
    }

    fn describe(s: &StorageClass, events: &[EventRow], now: i64) -> Vec<String> {
        let row = StorageClasses::project(s, &mut Interner::new());
        let mut out = common::header(&s.metadata, now);
        out.push(format!(
            "IsDefaultClass:        {}",
            if row.is_default { "Yes" } else { "No" }
        ));
        out.push(format!("Provisioner:           {}", row.provisioner));
        out.push(format!("ReclaimPolicy:         {}", row.reclaim_policy));
        out.push(format!("VolumeBindingMode:     {}", row.binding_mode));
        out.push(format!("AllowVolumeExpansion:  {}", row.expansion));
        common::events(events, "StorageClass", &row.name, now, &mut out);
        out
    }

    fn schema() -> Option<&'static Schema> {
        Some(&SCHEMA)
    }
}

impl Row for StorageClassRow {
    fn namespace(&self) -> &str {
        ""
    }
    fn name(&self) -> &str {
        &self.name
    }
}

impl Fields for StorageClassRow {
    fn field<'a>(&'a self, name: &str, _: &Ctx<'a>) -> Val<'a> {
        match name {
            "name" => Val::Str(&self.name),
            "provisioner" => Val::Str(&self.provisioner),
            "isDefault" => Val::Bool(self.is_default),
            _ => Val::Str(""),
        }
    }
}
