//! Secrets: names, types and keys; the values are never read (see
//! `keys_only`).

use super::columns::{Width, col, pane};
use super::common;
use super::configmap::{KeysRow, keys_lines};
use super::keys_only::SecretKeys;
use super::schema::{Ctx, Schema, Ty};
use super::{Cell, Column, Kind, Meta, ScopeRule};
use crate::kinds::format::{age_since, list_more};
use crate::kinds::intern::Interner;
use crate::kinds::rows::EventRow;
use crate::sanitize::line;

pub struct Secrets;

pub static SCHEMA: Schema = Schema {
    name: "secrets",
    fields: &[
        ("name", Ty::Any),
        ("namespace", Ty::Any),
        ("type", Ty::Any),
        ("keys", Ty::Any),
    ],
};

const COLUMNS: &[Column] = &[
    col("Name", Width::Name),
    col("Type", Width::Fit(36)),
    col("Data", Width::Fixed(4)),
    pane("Keys", Width::Fill),
    col("Age", Width::Fit(6)),
];

impl Kind for Secrets {
    type Object = SecretKeys;
    type Row = KeysRow;
    const META: Meta = Meta {
        name: "secrets",
        title: "Secrets",
        scope: ScopeRule::Namespaced,
        needs: &[],
    };

    fn project(s: &SecretKeys, strings: &mut Interner) -> KeysRow {
        let (namespace, name, created_at) = common::key(&s.metadata);
        KeysRow {
            namespace: strings.line(&namespace),
            name: name.into(),
            type_: line(s.type_.as_deref().unwrap_or("Opaque")),
            keys: s.keys(),
            created_at,
        }
    }

    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn cells(s: &KeysRow, _: Option<&SecretKeys>, ctx: &Ctx) -> Vec<Cell> {
        vec![
            Cell::text(s.name.as_str()),
            Cell::text(s.type_.as_str()),
            Cell::number(s.keys.len() as i64),
            Cell::text(list_more(&s.keys, 10)),
            Cell::text(age_since(s.created_at, ctx.now)),
        ]
    }

    fn describe(s: &SecretKeys, events: &[EventRow], now: i64) -> Vec<String> {
        let row = Secrets::project(s, &mut Interner::new());
        let mut out = common::header(&s.metadata, now);
        out.push(format!("Type:         {}", row.type_));
        out.push("Data (keys only; values are never read):".into());
        keys_lines(&row.keys, &mut out);
        common::events(events, "Secret", &row.name, now, &mut out);
        out
    }

    fn schema() -> Option<&'static Schema> {
        Some(&SCHEMA)
    }
}
