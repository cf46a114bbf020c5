//! StatefulSets: kubectl's printStatefulSet columns.

use k8s_openapi::api::apps::v1::StatefulSet;

use super::columns::{Width, col, pane, wide};
use super::common;
use super::schema::{Ctx, Schema};
use super::workload::{STATEFULSETS, SetRow, order};
use super::{Cell, Column, Kind, Meta, ScopeRule, Tone};
use crate::kinds::format::age_since;
use crate::kinds::intern::{Interner, Text};
use crate::kinds::rows::EventRow;
use crate::sanitize::line;

pub struct StatefulSets;

const COLUMNS: &[Column] = &[
    col("Name", Width::Name),
    col("Ready", Width::Fit(9)),
    pane("Updated", Width::Fixed(7)),
    col("Age", Width::Fit(6)),
    wide("Containers", Width::Fit(30)),
    wide("Images", Width::Fit(50)),
];

impl Kind for StatefulSets {
    type Object = StatefulSet;
    type Row = SetRow;
    const META: Meta = Meta {
        name: "statefulsets",
        title: "StatefulSets",
        scope: ScopeRule::Namespaced,
        needs: &[],
    };

    fn project(s: &StatefulSet, strings: &mut Interner) -> SetRow {
        let (namespace, name, created_at) = common::key(&s.metadata);
        let spec = common::or_default(&s.spec);
        let status = common::or_default(&s.status);
        let (containers, images) = common::template(spec.template.spec.as_ref());
        SetRow {
            namespace: strings.line(&namespace),
            name: name.into(),
            desired: common::count(spec.replicas.or(Some(1))),
            current: common::count(status.current_replicas),
            ready: common::count(status.ready_replicas),
            updated: common::count(status.updated_replicas),
            available: common::count(status.available_replicas),
            owner: strings.line(&common::owner(&s.metadata)),
            node_selector: Text::default(),
            containers: strings.line(&containers),
            images: strings.line(&images),
            selector: common::label_selector(Some(&spec.selector)).into_boxed_str(),
            created_at,
        }
    }

    fn order(a: &SetRow, b: &SetRow) -> std::cmp::Ordering {
        order(a, b)
    }

    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn cells(s: &SetRow, _: Option<&StatefulSet>, ctx: &Ctx) -> Vec<Cell> {
        vec![
            Cell::text(s.name.as_str()),
            Cell::text(format!("{}/{}", s.ready, s.desired))
                .unless(s.ready >= s.desired, Tone::Bad),
            Cell::number(s.updated),
            Cell::text(age_since(s.created_at, ctx.now)),
            Cell::text(s.containers.as_str()),
            Cell::text(s.images.as_str()),
        ]
    }

    fn describe(s: &StatefulSet, events: &[EventRow], now: i64) -> Vec<String> {
        let row = StatefulSets::project(s, &mut Interner::new());
        let mut out = common::header(&s.metadata, now);
        out.push(format!("Selector:     {}", row.selector));
        out.push(format!(
            "Replicas:     {} desired | {} total | {} ready | {} updated",
            row.desired, row.current, row.ready, row.updated
        ));
        out.push(format!("Images:       {}", line(&row.images)));
        common::events(events, "StatefulSet", &row.name, now, &mut out);
        out
    }

    fn schema() -> Option<&'static Schema> {
        Some(&STATEFULSETS)
    }
}
