//! The CronJob controller: a Job from the template at each scheduled
//! minute (the latest one missed, if several were), its concurrency
//! policy, `suspend`, and the history limits that delete old Jobs.

use std::sync::Arc;

use jiff::Timestamp;
use serde_json::{Value, json};

use super::cron::Schedule;
use super::jobs::finished;
use super::{controller_uid, name, namespace, owner_reference, uid};
use crate::sim::cluster::events::{self, Note};
use crate::sim::cluster::store::format_time;
use crate::sim::cluster::{Cluster, Key};

pub(super) fn run(cluster: &mut Cluster) {
    let crons: Vec<Arc<Value>> = cluster.store.of_kind("CronJob").cloned().collect();
    for cron in crons {
        reconcile(cluster, &cron);
    }
}

fn time(v: &Value) -> Option<Timestamp> {
    v.as_str().and_then(|t| t.parse().ok())
}

fn reconcile(cluster: &mut Cluster, cron: &Value) {
    let Ok(schedule) = Schedule::parse(cron["spec"]["schedule"].as_str().unwrap_or_default())
    else {
        return;
    };
    let now = cluster.now();
    let ns = namespace(cron).to_string();
    let cron_uid = uid(cron).to_string();
    let mut jobs: Vec<Arc<Value>> = cluster
        .store
        .range("Job", Some(&ns), None)
        .filter(|j| controller_uid(j) == Some(cron_uid.as_str()))
        .cloned()
        .collect();
    jobs.sort_by_key(|j| {
        j["metadata"]["creationTimestamp"]
            .as_str()
            .unwrap_or("")
            .to_string()
    });
    let mut next = cron.clone();
    let active: Vec<&Arc<Value>> = jobs.iter().filter(|j| !finished(j)).collect();
    // Jobs finished since last seen are reported, then kept within the limits.
    let was_active = |job: &Value| {
        cron["status"]["active"]
            .as_array()
            .is_some_and(|refs| refs.iter().any(|r| r["uid"] == uid(job)))
    };
    for job in jobs.iter().filter(|j| finished(j) && was_active(j)) {
        let done = job["status"]["conditions"]
            .as_array()
            .and_then(|cs| {
                cs.iter().find(|c| {
                    c["status"] == "True" && (c["type"] == "Complete" || c["type"] == "Failed")
                })
            })
            .and_then(|c| c["type"].as_str())
            .unwrap_or("Complete");
        let message = format!("Saw completed job: {}, status: {done}", name(job));
        cluster.event(
            cron,
            events::CRONJOB,
            Note {
                warning: false,
                reason: "SawCompletedJob",
                message: &message,
                field_path: None,
            },
        );
        if done == "Complete" {
            next["status"]["lastSuccessfulTime"] = job["status"]["completionTime"].clone();
        }
    }
    prune(cluster, cron, &jobs);
    let last = time(&cron["status"]["lastScheduleTime"])
        .or_else(|| time(&cron["metadata"]["creationTimestamp"]))
        .unwrap_or(now);
    let suspended = cron["spec"]["suspend"].as_bool() == Some(true);
    let mut due = None;
    let mut at = schedule.next_after(last);
    while let Some(t) = at.filter(|t| *t <= now) {
        due = Some(t);
        at = schedule.next_after(t);
    }
    if let Some(t) = due
        && !suspended
    {
        let policy = cron["spec"]["concurrencyPolicy"]
            .as_str()
            .unwrap_or("Allow");
        if policy == "Replace" {
            for job in &active {
                cluster.remove(&Key::of(job));
            }
        }
        if policy != "Forbid" || active.is_empty() {
            let job = job_from(cron, t);
            let message = format!("Created job {}", name(&job));
            cluster.create(job);
            cluster.event(
                cron,
                events::CRONJOB,
                Note {
                    warning: false,
                    reason: "SuccessfulCreate",
                    message: &message,
                    field_path: None,
                },
            );
        }
        next["status"]["lastScheduleTime"] = json!(format_time(t));
    }
    if let Some(t) = at {
        cluster.wake_at(t);
    }
    let active_refs: Vec<Value> = cluster
        .store
        .range("Job", Some(&ns), None)
        .filter(|j| controller_uid(j) == Some(cron_uid.as_str()) && !finished(j))
        .map(|j| json!({ "apiVersion": "batch/v1", "kind": "Job", "name": name(j), "namespace": ns, "uid": uid(j) }))
        .collect();
    if !next["status"].is_object() {
        // A struct in Go: `status: {}` however empty.
        next["status"] = json!({});
    }
    if active_refs.is_empty() {
        if let Some(s) = next["status"].as_object_mut() {
            s.remove("active");
        }
    } else {
        next["status"]["active"] = json!(active_refs);
    }
    cluster.put(next);
}

/// The Job for the run scheduled at `t`, named as the controller names it
/// (the scheduled time in minutes).
fn job_from(cron: &Value, t: Timestamp) -> Value {
    let template = &cron["spec"]["jobTemplate"];
    let mut metadata = json!({
        "name": format!("{}-{}", name(cron), t.as_second() / 60),
        "namespace": namespace(cron),
        "ownerReferences": [owner_reference(cron)],
        "annotations": { "batch.kubernetes.io/cronjob-scheduled-timestamp": format_time(t) },
    });
    if let Some(labels) = template["metadata"].get("labels").filter(|l| l.is_object()) {
        metadata["labels"] = labels.clone();
    }
    json!({
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": metadata,
        "spec": template["spec"],
    })
}

fn prune(cluster: &mut Cluster, cron: &Value, jobs: &[Arc<Value>]) {
    for (status, limit) in [
        (
            "Complete",
            cron["spec"]["successfulJobsHistoryLimit"]
                .as_u64()
                .unwrap_or(3),
        ),
        (
            "Failed",
            cron["spec"]["failedJobsHistoryLimit"].as_u64().unwrap_or(1),
        ),
    ] {
        let done: Vec<&Arc<Value>> = jobs
            .iter()
            .filter(|j| {
                j["status"]["conditions"].as_array().is_some_and(|cs| {
                    cs.iter()
                        .any(|c| c["type"] == status && c["status"] == "True")
                })
            })
            .collect();
        let extra = done.len().saturating_sub(limit as usize);
        for job in done.into_iter().take(extra) {
            let message = format!("Deleted job {}", name(job));
            cluster.remove(&Key::of(job));
            cluster.event(
                cron,
                events::CRONJOB,
                Note {
                    warning: false,
                    reason: "SuccessfulDelete",
                    message: &message,
                    field_path: None,
                },
            );
        }
    }
}
