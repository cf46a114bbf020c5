//! Jobs: kubectl's printJob columns (STATUS, COMPLETIONS, DURATION); a job
//! that gave up is Failed with its reason.

use k8s_openapi::api::batch::v1::Job;

use super::columns::{Width, col, wide};
use super::common;
use super::schema::{Ctx, Fields, Schema, Ty, Val};
use super::{Cell, Column, Kind, Meta, Row, ScopeRule, Tone};
use crate::kinds::format::{age, age_since};
use crate::kinds::intern::{Interner, Text};
use crate::kinds::rows::EventRow;
use crate::sanitize::line;

pub struct Jobs;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct JobRow {
    pub namespace: Text,
    pub name: Text,
    /// `CronJob/nightly` ("" when none).
    pub owner: String,
    /// Complete, Failed, Terminating, Suspended, FailureTarget,
    /// SuccessCriteriaMet or Running.
    pub status: String,
    pub completions_text: String,
    pub completions: u32,
    pub active: u32,
    pub succeeded: u32,
    pub failed: u32,
    pub failed_reason: String,
    pub started_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub containers: String,
    pub images: String,
    pub selector: String,
    pub created_at: Option<i64>,
}

pub static SCHEMA: Schema = Schema {
    name: "jobs",
    fields: &[
        ("name", Ty::Any),
        ("namespace", Ty::Any),
        ("owner", Ty::Any),
        ("active", Ty::Any),
        ("succeeded", Ty::Any),
        ("failed", Ty::Any),
        ("completions", Ty::Any),
        ("complete", Ty::Any),
        ("failedReason", Ty::Any),
    ],
};

const COLUMNS: &[Column] = &[
    col("Name", Width::Name),
    col("Status", Width::Fit(18)),
    col("Completions", Width::Fit(11)),
    col("Duration", Width::Fit(8)),
    col("Age", Width::Fit(6)),
    wide("Containers", Width::Fit(30)),
    wide("Images", Width::Fit(50)),
    wide("Selector", Width::Fit(40)),
];

impl Kind for Jobs {
    type Object = Job;
    type Row = JobRow;
    const META: Meta = Meta {
        name: "jobs",
        title: "Jobs",
        scope: ScopeRule::Namespaced,
        needs: &[],
    };

    fn project(j: &Job, strings: &mut Interner) -> JobRow {
        let (namespace, name, created_at) = common::key(&j.metadata);
        let spec = common::or_default(&j.spec);
        let status = common::or_default(&j.status);
        let conditions = status.conditions.clone().unwrap_or_default();
        let has = |t: &str| {
            conditions
                .iter()
                .any(|c| c.type_ == t && c.status == "True")
        };
        let state = if has("Complete") {
            "Complete"
        } else if has("Failed") {
            "Failed"
        } else if j.metadata.deletion_timestamp.is_some() {
            "Terminating"
        } else if has("Suspended") {
            "Suspended"
        } else if has("FailureTarget") {
            "FailureTarget"
        } else if has("SuccessCriteriaMet") {
            "SuccessCriteriaMet"
        } else {
            "Running"
        };
        let succeeded = common::count(status.succeeded);
        let completions_text = match spec.completions {
            Some(c) => format!("{succeeded}/{c}"),
            None => match spec.parallelism.unwrap_or(0) {
                p if p > 1 => format!("{succeeded}/1 of {p}"),
                _ => format!("{succeeded}/1"),
            },
        };
        let (containers, images) = common::template(spec.template.spec.as_ref());
        JobRow {
            namespace: strings.line(&namespace),
            name: name.into(),
            owner: common::owner(&j.metadata),
            status: state.into(),
            completions_text,
            completions: common::count(spec.completions.or(Some(1))),
            active: common::count(status.active),
            succeeded,
            failed: common::count(status.failed),
            failed_reason: conditions
                .iter()
                .find(|c| c.type_ == "Failed" && c.status == "True")
                .and_then(|c| c.reason.as_deref())
                .map(line)
                .unwrap_or_default(),
            started_at: status.start_time.as_ref().map(|t| t.0.as_second()),
            completed_at: status.completion_time.as_ref().map(|t| t.0.as_second()),
            containers: line(&containers),
            images: line(&images),
            selector: common::label_selector(spec.selector.as_ref()),
            created_at,
        }
    }

    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn cells(j: &JobRow, _: Option<&Job>, ctx: &Ctx) -> Vec<Cell> {
        let duration = match (j.started_at, j.completed_at) {
            (None, _) => String::new(),
            (Some(s), None) => age(ctx.now - s),
            (Some(s), Some(c)) => age(c - s),
        };
        vec![
            Cell::text(j.name.as_str()),
            Cell::text(j.status.as_str()).unless(j.status != "Failed", Tone::Bad),
            Cell::text(j.completions_text.as_str()),
            Cell::text(duration),
            Cell::text(age_since(j.created_at, ctx.now)),
            Cell::text(j.containers.as_str()),
            Cell::text(j.images.as_str()),
            Cell::text(j.selector.as_str()),
        ]
    }

    fn describe(j: &Job, events: &[EventRow], now: i64) -> Vec<String> {
        let row = Jobs::project(j, &mut Interner::new());
        let mut out = common::header(&j.metadata, now);
        out.push(format!("Status:       {}", row.status));
        out.push(format!("Completions:  {}", row.completions_text));
        out.push(format!(
            "Pods Statuses: {} Active / {} Succeeded / {} Failed",
            row.active, row.succeeded, row.failed
        ));
        if !row.failed_reason.is_empty() {
            out.push(format!("Failed:       {}", row.failed_reason));
        }
        out.push(format!("Images:       {}", row.images));
        common::events(events, "Job", &row.name, now, &mut out);
        out
    }

    fn schema() -> Option<&'static Schema> {
        Some(&SCHEMA)
    }
}

impl Row for JobRow {
    fn namespace(&self) -> &str {
        &self.namespace
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn matches(&self, filter: &str) -> bool {
        self.name.contains(filter) || self.status.contains(filter)
    }
}

impl Fields for JobRow {
    fn field<'a>(&'a self, name: &str, _: &Ctx<'a>) -> Val<'a> {
        match name {
            "name" => Val::Str(&self.name),
            "namespace" => Val::Str(&self.namespace),
            "owner" => Val::Str(&self.owner),
            "active" => Val::Int(self.active.into()),
            "succeeded" => Val::Int(self.succeeded.into()),
            "failed" => Val::Int(self.failed.into()),
            "completions" => Val::Int(self.completions.into()),
            "complete" => Val::Bool(self.status == "Complete"),
            "failedReason" => Val::Str(&self.failed_reason),
            _ => Val::Str(""),
        }
    }
}
