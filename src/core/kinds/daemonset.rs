//! DaemonSets: kubectl's printDaemonSet columns.

use k8s_openapi::api::apps::v1::DaemonSet;

use super::columns::{Width, col, wide};
use super::common;
use super::schema::{Ctx, Schema};
use super::workload::{DAEMONSETS, SetRow, order};
use super::{Cell, Column, Kind, Meta, ScopeRule, Tone};
use crate::kinds::format::{age_since, or_none, selector};
use crate::kinds::intern::Interner;
use crate::kinds::rows::EventRow;

pub struct DaemonSets;

const COLUMNS: &[Column] = &[
    col("Name", Width::Name),
    col("Desired", Width::Fixed(7)),
    col("Current", Width::Fixed(7)),
    col("Ready", Width::Fixed(5)),
    col("Up-to-date", Width::Fixed(10)),
    col("Available", Width::Fixed(9)),
    col("Node Selector", Width::Fit(30)),
    col("Age", Width::Fit(6)),
    wide("Containers", Width::Fit(30)),
    wide("Images", Width::Fit(50)),
    wide("Selector", Width::Fit(40)),
];

impl Kind for DaemonSets {
    type Object = DaemonSet;
    type Row = SetRow;
    const META: Meta = Meta {
        name: "daemonsets",
        title: "DaemonSets",
        scope: ScopeRule::Namespaced,
        needs: &[],
    };

    fn project(d: &DaemonSet, strings: &mut Interner) -> SetRow {
        let (namespace, name, created_at) = common::key(&d.metadata);
        let spec = common::or_default(&d.spec);
        let status = common::or_default(&d.status);
        let pod_spec = spec.template.spec.as_ref();
        let (containers, images) = common::template(pod_spec);
        let node_selector = common::map(pod_spec.and_then(|s| s.node_selector.as_ref()));
        SetRow {
            namespace: strings.line(&namespace),
            name: name.into(),
            desired: common::count(Some(status.desired_number_scheduled)),
            current: common::count(Some(status.current_number_scheduled)),
            ready: common::count(Some(status.number_ready)),
            updated: common::count(status.updated_number_scheduled),
            available: common::count(status.number_available),
            owner: strings.line(&common::owner(&d.metadata)),
            node_selector: strings.line(&or_none(selector(
                node_selector.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            ))),
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

    fn cells(s: &SetRow, _: Option<&DaemonSet>, ctx: &Ctx) -> Vec<Cell> {
        vec![
            Cell::text(s.name.as_str()),
            Cell::number(s.desired),
            Cell::number(s.current),
            Cell::number(s.ready).unless(s.ready >= s.desired, Tone::Bad),
            Cell::number(s.updated),
            Cell::number(s.available),
            Cell::text(s.node_selector.as_str()),
            Cell::text(age_since(s.created_at, ctx.now)),
            Cell::text(s.containers.as_str()),
            Cell::text(s.images.as_str()),
            Cell::text(&*s.selector),
        ]
    }

    fn describe(d: &DaemonSet, events: &[EventRow], now: i64) -> Vec<String> {
        let row = DaemonSets::project(d, &mut Interner::new());
        let mut out = common::header(&d.metadata, now);
        out.push(format!("Selector:     {}", row.selector));
        out.push(format!("Node-Selector: {}", row.node_selector));
        out.push(format!(
            "Desired Number of Nodes Scheduled: {}\nCurrent Number of Nodes Scheduled: {}\nNumber of Nodes Scheduled with Up-to-date Pods: {}\nNumber of Nodes Scheduled with Available Pods: {}",
            row.desired, row.current, row.updated, row.available
        ));
        out.push(format!("Images:       {}", row.images));
        common::events(events, "DaemonSet", &row.name, now, &mut out);
        out
    }

    fn schema() -> Option<&'static Schema> {
        Some(&DAEMONSETS)
    }
}
