//! What StatefulSets, DaemonSets and ReplicaSets share: a row of replica
//! counts (desired, current, ready, updated, available) with an owner, and
//! the check fields over it.

use super::Key;
use super::Row;
use super::schema::{Ctx, Fields, Schema, Ty, Val};
use crate::kinds::intern::Text;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SetRow {
    pub namespace: Text,
    pub name: Text,
    pub desired: u32,
    pub current: u32,
    pub ready: u32,
    pub updated: u32,
    pub available: u32,
    /// `Deployment/checkout` ("" when none).
    pub owner: Text,
    /// DaemonSets' node selector, as kubectl prints it ("" for the others).
    pub node_selector: Text,
    pub containers: Text,
    pub images: Text,
    /// kubectl's SELECTOR: a ReplicaSet's holds its pod-template-hash, so
    /// it is unique, boxed rather than interned.
    pub selector: Box<str>,
    pub created_at: Option<i64>,
}

/// The fields of each of the three (`statefulsets[]`, ...).
pub const FIELDS: &[(&str, Ty)] = &[
    ("name", Ty::Any),
    ("namespace", Ty::Any),
    ("desired", Ty::Any),
    ("ready", Ty::Any),
    ("updated", Ty::Any),
    ("available", Ty::Any),
    ("owner", Ty::Any),
];

pub static STATEFULSETS: Schema = Schema {
    name: "statefulsets",
    fields: FIELDS,
};
pub static DAEMONSETS: Schema = Schema {
    name: "daemonsets",
    fields: FIELDS,
};
pub static REPLICASETS: Schema = Schema {
    name: "replicasets",
    fields: FIELDS,
};

impl Row for SetRow {
    fn namespace(&self) -> &str {
        &self.namespace
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn key(&self) -> Key {
        (self.namespace.clone(), self.name.clone())
    }
    fn matches(&self, filter: &str) -> bool {
        self.name.contains(filter) || self.owner.contains(filter)
    }
}

impl Fields for SetRow {
    fn field<'a>(&'a self, name: &str, _: &Ctx<'a>) -> Val<'a> {
        match name {
            "name" => Val::Str(&self.name),
            "namespace" => Val::Str(&self.namespace),
            "desired" => Val::Int(self.desired.into()),
            "ready" => Val::Int(self.ready.into()),
            "updated" => Val::Int(self.updated.into()),
            "available" => Val::Int(self.available.into()),
            "owner" => Val::Str(&self.owner),
            _ => Val::Str(""),
        }
    }
}

/// Trouble first (fewer ready than desired), then by namespace and name.
pub fn order(a: &SetRow, b: &SetRow) -> std::cmp::Ordering {
    (a.ready >= a.desired)
        .cmp(&(b.ready >= b.desired))
        .then_with(|| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)))
}
