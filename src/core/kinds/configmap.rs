//! ConfigMaps: names and keys (kubectl's printConfigMap: DATA is the count).

use super::columns::{Width, col, pane};
use super::common;
use super::keys_only::ConfigMapKeys;
use super::schema::{Ctx, Fields, Schema, Ty, Val};
use super::{Cell, Column, Kind, Meta, Row, ScopeRule};
use crate::kinds::format::{age_since, list_more};
use crate::kinds::intern::{Interner, Text};
use crate::kinds::rows::EventRow;

pub struct ConfigMaps;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct KeysRow {
    pub namespace: Text,
    pub name: Text,
    /// A Secret's type ("" for ConfigMaps).
    pub type_: String,
    pub keys: Vec<String>,
    pub created_at: Option<i64>,
}

pub static SCHEMA: Schema = Schema {
    name: "configmaps",
    fields: &[("name", Ty::Any), ("namespace", Ty::Any), ("keys", Ty::Any)],
};

const COLUMNS: &[Column] = &[
    col("Name", Width::Name),
    col("Data", Width::Fixed(4)),
    pane("Keys", Width::Fill),
    col("Age", Width::Fit(6)),
];

impl Kind for ConfigMaps {
    type Object = ConfigMapKeys;
    type Row = KeysRow;
    const META: Meta = Meta {
        name: "configmaps",
        title: "ConfigMaps",
        scope: ScopeRule::Namespaced,
        needs: &[],
    };

    fn project(c: &ConfigMapKeys, strings: &mut Interner) -> KeysRow {
        let (namespace, name, created_at) = common::key(&c.metadata);
        KeysRow {
            namespace: strings.line(&namespace),
            name: name.into(),
            type_: String::new(),
            keys: c.keys(),
            created_at,
        }
    }

    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn cells(c: &KeysRow, _: Option<&ConfigMapKeys>, ctx: &Ctx) -> Vec<Cell> {
        vec![
            Cell::text(c.name.as_str()),
            Cell::number(c.keys.len() as i64),
            Cell::text(list_more(&c.keys, 10)),
            Cell::text(age_since(c.created_at, ctx.now)),
        ]
    }

    fn describe(c: &ConfigMapKeys, events: &[EventRow], now: i64) -> Vec<String> {
        let row = ConfigMaps::project(c, &mut Interner::new());
        let mut out = common::header(&c.metadata, now);
        out.push("Data (keys only; values are not shown):".into());
        keys_lines(&row.keys, &mut out);
        common::events(events, "ConfigMap", &row.name, now, &mut out);
        out
    }

    fn schema() -> Option<&'static Schema> {
        Some(&SCHEMA)
    }
}

/// Each key on its own line, or `<none>`.
pub fn keys_lines(keys: &[String], out: &mut Vec<String>) {
    if keys.is_empty() {
        out.push("  <none>".into());
    }
    for k in keys {
        out.push(format!("  {k}"));
    }
}

impl Row for KeysRow {
    fn namespace(&self) -> &str {
        &self.namespace
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn matches(&self, filter: &str) -> bool {
        self.name.contains(filter) || self.keys.iter().any(|k| k.contains(filter))
    }
}

impl Fields for KeysRow {
    fn field<'a>(&'a self, name: &str, _: &Ctx<'a>) -> Val<'a> {
        match name {
            "name" => Val::Str(&self.name),
            "namespace" => Val::Str(&self.namespace),
            "type" => Val::Str(&self.type_),
            "keys" => Val::Strs(self.keys.iter().map(String::as_str).collect()),
            _ => Val::Str(""),
        }
    }
}
