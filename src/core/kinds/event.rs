//! Events (read from core/v1 or events.k8s.io/v1: `cluster::sources`);
//! kubectl's printEvent columns; newest first.

use std::cmp::Ordering;

use k8s_openapi::api::core::v1::Event as CoreEvent;

use super::columns::{Width, col, wide};
use super::schema::{Ctx, Fields, Schema, Ty, Val};
use super::{Cell, Column, Kind, Meta, Row, ScopeRule, Tone};
use crate::kinds::format::age_since;
use crate::kinds::intern::Interner;
use crate::kinds::rows::EventRow;

pub struct Events;

pub static SCHEMA: Schema = Schema {
    name: "events",
    fields: &[
        ("type", Ty::Any),
        ("reason", Ty::Any),
        ("message", Ty::Any),
        ("kind", Ty::Any),
        ("name", Ty::Any),
        ("namespace", Ty::Any),
        ("count", Ty::Any),
        ("ageSeconds", Ty::Any),
    ],
};

const COLUMNS: &[Column] = &[
    col("Last Seen", Width::Fixed(9)).kept_next(),
    col("Type", Width::Fixed(7)).kept_next(),
    col("Reason", Width::Fit(22)).kept(),
    col("Object", Width::Name),
    wide("Subobject", Width::Fit(20)),
    wide("Source", Width::Fit(20)),
    col("Message", Width::Fill).kept(),
    wide("First Seen", Width::Fixed(9)),
    wide("Count", Width::Fixed(5)),
    wide("Name", Width::Fit(40)),
];

fn secs(t: &k8s_openapi::apimachinery::pkg::apis::meta::v1::Time) -> i64 {
    t.0.as_second()
}

impl Kind for Events {
    type Object = CoreEvent;
    type Row = EventRow;
    const META: Meta = Meta {
        name: "events",
        title: "Events",
        scope: ScopeRule::Regarding,
        needs: &[],
    };

    fn project(e: &CoreEvent, _: &mut Interner) -> EventRow {
        crate::kinds::project::event_row_core(e)
    }

    /// Newest first, warnings before the rest.
    fn order(a: &EventRow, b: &EventRow) -> Ordering {
        b.last_seen
            .cmp(&a.last_seen)
            .then_with(|| (b.type_ == "Warning").cmp(&(a.type_ == "Warning")))
            .then_with(|| a.name.cmp(&b.name))
    }

    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn cells(e: &EventRow, object: Option<&CoreEvent>, ctx: &Ctx) -> Vec<Cell> {
        let first = object.and_then(|o| {
            o.first_timestamp
                .as_ref()
                .map(secs)
                .or_else(|| o.event_time.as_ref().map(|t| t.0.as_second()))
        });
        let source = object.map(|o| {
            let s = o.source.clone().unwrap_or_default();
            let (component, host) = match s.component.filter(|c| !c.is_empty()) {
                Some(c) => (c, s.host),
                None => (
                    o.reporting_component.clone().unwrap_or_default(),
                    o.reporting_instance.clone(),
                ),
            };
            match host.filter(|h| !h.is_empty()) {
                Some(h) => format!("{component}, {h}"),
                None => component,
            }
        });
        let target = if e.object_name.is_empty() {
            e.kind.to_lowercase()
        } else {
            format!("{}/{}", e.kind.to_lowercase(), e.object_name)
        };
        let message = if e.count > 1 && object.is_none() {
            format!("{} (x{})", e.message.trim(), e.count)
        } else {
            e.message.trim().to_string()
        };
        vec![
            Cell::text(age_since(e.last_seen, ctx.now)),
            Cell::text(e.type_.as_str()).unless(e.type_ != "Warning", Tone::Warn),
            Cell::text(e.reason.as_str()),
            Cell::text(target),
            Cell::text(
                object
                    .and_then(|o| o.involved_object.field_path.clone())
                    .unwrap_or_default(),
            ),
            Cell::text(source.unwrap_or_default()),
            Cell::text(message),
            Cell::text(age_since(first.or(e.last_seen), ctx.now)),
            Cell::number(e.count),
            Cell::text(e.name.as_str()),
        ]
    }

    fn describe(e: &CoreEvent, _: &[EventRow], now: i64) -> Vec<String> {
        let row = crate::kinds::project::event_row_core(e);
        vec![
            format!("Name:         {}", row.name),
            format!("Namespace:    {}", row.namespace),
            format!("Type:         {}", row.type_),
            format!("Reason:       {}", row.reason),
            format!("Object:       {}/{}", row.kind, row.object_name),
            format!("Count:        {}", row.count),
            format!("Last Seen:    {}", age_since(row.last_seen, now)),
            format!("Message:      {}", row.message),
        ]
    }

    fn schema() -> Option<&'static Schema> {
        Some(&SCHEMA)
    }
}

impl Row for EventRow {
    fn namespace(&self) -> &str {
        &self.namespace
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn regarding(&self) -> Option<(&str, &str)> {
        Some((&self.kind, &self.object_name))
    }
    fn matches(&self, filter: &str) -> bool {
        [&self.reason, &self.object_name, &self.message]
            .iter()
            .any(|f| f.contains(filter))
    }
}

impl Fields for EventRow {
    fn field<'a>(&'a self, name: &str, ctx: &Ctx<'a>) -> Val<'a> {
        match name {
            "type" => Val::Str(&self.type_),
            "reason" => Val::Str(&self.reason),
            "message" => Val::Str(&self.message),
            "kind" => Val::Str(&self.kind),
            "name" => Val::Str(&self.object_name),
            "namespace" => Val::Str(&self.namespace),
            "count" => Val::Int(self.count.into()),
            "ageSeconds" => Val::Int(ctx.age(self.last_seen)),
            _ => Val::Str(""),
        }
    }
}
