//! CronJobs: kubectl's printCronJob columns.

use k8s_openapi::api::batch::v1::CronJob;

use super::columns::{Width, col, wide};
use super::common;
use super::schema::{Ctx, Fields, Schema, Ty, Val};
use super::{Cell, Column, Kind, Meta, Row, ScopeRule, Tone};
use crate::kinds::format::{age_since, or_none};
use crate::kinds::intern::{Interner, Text};
use crate::kinds::rows::EventRow;
use crate::sanitize::line;

pub struct CronJobs;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CronJobRow {
    pub namespace: Text,
    pub name: Text,
    pub schedule: String,
    pub timezone: String,
    pub suspend: bool,
    pub active: u32,
    pub last_schedule: Option<i64>,
    pub containers: String,
    pub images: String,
    pub created_at: Option<i64>,
}

pub static SCHEMA: Schema = Schema {
    name: "cronjobs",
    fields: &[
        ("name", Ty::Any),
        ("namespace", Ty::Any),
        ("schedule", Ty::Any),
        ("suspend", Ty::Any),
        ("active", Ty::Any),
        ("lastScheduleAgeSeconds", Ty::Any),
    ],
};

const COLUMNS: &[Column] = &[
    col("Name", Width::Name),
    col("Schedule", Width::Fit(20)),
    col("Timezone", Width::Fit(16)),
    col("Suspend", Width::Fixed(7)),
    col("Active", Width::Fixed(6)),
    col("Last Schedule", Width::Fit(13)),
    col("Age", Width::Fit(6)),
    wide("Containers", Width::Fit(30)),
    wide("Images", Width::Fit(50)),
    wide("Selector", Width::Fit(40)),
];

impl Kind for CronJobs {
    type Object = CronJob;
    type Row = CronJobRow;
    const META: Meta = Meta {
        name: "cronjobs",
        title: "CronJobs",
        scope: ScopeRule::Namespaced,
        needs: &[],
    };

    fn project(c: &CronJob, strings: &mut Interner) -> CronJobRow {
        let (namespace, name, created_at) = common::key(&c.metadata);
        let spec = common::or_default(&c.spec);
        let status = common::or_default(&c.status);
        let (containers, images) = common::template(
            spec.job_template
                .spec
                .as_ref()
                .and_then(|s| s.template.spec.as_ref()),
        );
        CronJobRow {
            namespace: strings.line(&namespace),
            name: name.into(),
            schedule: line(&spec.schedule),
            timezone: or_none(line(spec.time_zone.as_deref().unwrap_or_default())),
            suspend: spec.suspend.unwrap_or(false),
            active: status.active.as_ref().map_or(0, |a| a.len() as u32),
            last_schedule: status.last_schedule_time.as_ref().map(|t| t.0.as_second()),
            containers: line(&containers),
            images: line(&images),
            created_at,
        }
    }

    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn cells(c: &CronJobRow, _: Option<&CronJob>, ctx: &Ctx) -> Vec<Cell> {
        vec![
            Cell::text(c.name.as_str()),
            Cell::text(c.schedule.as_str()),
            Cell::text(c.timezone.as_str()),
            Cell::text(if c.suspend { "True" } else { "False" }).unless(!c.suspend, Tone::Warn),
            Cell::number(c.active),
            Cell::text(
                c.last_schedule
                    .map_or("<none>".into(), |t| crate::kinds::format::age(ctx.now - t)),
            ),
            Cell::text(age_since(c.created_at, ctx.now)),
            Cell::text(c.containers.as_str()),
            Cell::text(c.images.as_str()),
            Cell::text("<none>"),
        ]
    }

    fn describe(c: &CronJob, events: &[EventRow], now: i64) -> Vec<String> {
        let row = CronJobs::project(c, &mut Interner::new());
        let mut out = common::header(&c.metadata, now);
        out.push(format!("Schedule:     {}", row.schedule));
        out.push(format!("Suspend:      {}", row.suspend));
        out.push(format!("Active Jobs:  {}", row.active));
        out.push(format!(
            "Last Schedule Time: {}",
            row.last_schedule
                .map_or("<unset>".into(), |t| crate::kinds::format::age(now - t)
                    + " ago")
        ));
        out.push(format!("Images:       {}", row.images));
        common::events(events, "CronJob", &row.name, now, &mut out);
        out
    }

    fn schema() -> Option<&'static Schema> {
        Some(&SCHEMA)
    }
}

impl Row for CronJobRow {
    fn namespace(&self) -> &str {
        &self.namespace
    }
    fn name(&self) -> &str {
        &self.name
    }
}

impl Fields for CronJobRow {
    fn field<'a>(&'a self, name: &str, ctx: &Ctx<'a>) -> Val<'a> {
        match name {
            "name" => Val::Str(&self.name),
            "namespace" => Val::Str(&self.namespace),
            "schedule" => Val::Str(&self.schedule),
            "suspend" => Val::Bool(self.suspend),
            "active" => Val::Int(self.active.into()),
            "lastScheduleAgeSeconds" => Val::Int(ctx.age(self.last_schedule)),
            _ => Val::Str(""),
        }
    }
}
