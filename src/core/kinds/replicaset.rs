//! ReplicaSets: kubectl's printReplicaSet columns. At 50,000 of them (old
//! revisions kept by Deployments) their text is interned like pods'.

use k8s_openapi::api::apps::v1::ReplicaSet;

use super::columns::{Width, col, pane, wide};
use super::common;
use super::schema::{Ctx, Schema};
use super::workload::{REPLICASETS, SetRow, order};
use super::{Cell, Column, Kind, Meta, ScopeRule, Tone};
use crate::kinds::format::age_since;
use crate::kinds::intern::{Interner, Text};
use crate::kinds::rows::EventRow;

pub struct ReplicaSets;

const COLUMNS: &[Column] = &[
    col("Name", Width::Name),
    col("Desired", Width::Fixed(7)),
    col("Current", Width::Fixed(7)),
    col("Ready", Width::Fixed(5)),
    col("Age", Width::Fit(6)),
    pane("Owner", Width::Fit(40)),
    wide("Containers", Width::Fit(30)),
    wide("Images", Width::Fit(50)),
    wide("Selector", Width::Fit(40)),
];

impl Kind for ReplicaSets {
    type Object = ReplicaSet;
    type Row = SetRow;
    const META: Meta = Meta {
        name: "replicasets",
        title: "ReplicaSets",
        scope: ScopeRule::Namespaced,
        needs: &[],
    };

    fn project(r: &ReplicaSet, strings: &mut Interner) -> SetRow {
        let (namespace, name, created_at) = common::key(&r.metadata);
        let spec = common::or_default(&r.spec);
        let status = common::or_default(&r.status);
        let (containers, images) =
            common::template(spec.template.as_ref().and_then(|t| t.spec.as_ref()));
        SetRow {
            namespace: strings.line(&namespace),
            name: name.into(),
            desired: common::count(spec.replicas.or(Some(1))),
            current: common::count(Some(status.replicas)),
            ready: common::count(status.ready_replicas),
            updated: common::count(status.fully_labeled_replicas),
            available: common::count(status.available_replicas),
            owner: strings.line(&common::owner(&r.metadata)),
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

    fn cells(s: &SetRow, _: Option<&ReplicaSet>, ctx: &Ctx) -> Vec<Cell> {
        vec![
            Cell::text(s.name.as_str()),
            Cell::number(s.desired),
            Cell::number(s.current),
            Cell::number(s.ready).unless(s.ready >= s.desired, Tone::Bad),
            Cell::text(age_since(s.created_at, ctx.now)),
            Cell::text(if s.owner.is_empty() {
                "<none>"
            } else {
                &s.owner
            }),
            Cell::text(s.containers.as_str()),
            Cell::text(s.images.as_str()),
            Cell::text(&*s.selector),
        ]
    }

    fn describe(r: &ReplicaSet, events: &[EventRow], now: i64) -> Vec<String> {
        let row = ReplicaSets::project(r, &mut Interner::new());
        let mut out = common::header(&r.metadata, now);
        out.push(format!("Selector:     {}", row.selector));
        out.push(format!(
            "Replicas:     {} current / {} desired",
            row.current, row.desired
        ));
        out.push(format!(
            "Pods Status:  {} Ready / {} Available",
            row.ready, row.available
        ));
        out.push(format!("Images:       {}", row.images));
        common::events(events, "ReplicaSet", &row.name, now, &mut out);
        out
    }

    fn schema() -> Option<&'static Schema> {
        Some(&REPLICASETS)
    }
}
