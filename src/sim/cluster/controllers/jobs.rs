//! The job controller: pods from the template until `completions`
//! succeed, a new pod after each failure with the controller's back-off
//! (10 s doubling), and `backoffLimit` failures end the Job as Failed
//! (`BackoffLimitExceeded`); counts and conditions in its status.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::replicaset::new_pod;
use super::{controller_uid, name, set_condition, terminating, uid};
use crate::sim::cluster::events::{self, Note};
use crate::sim::cluster::store::format_time;
use crate::sim::cluster::writes::delete_pod;
use crate::sim::cluster::{Cluster, Key};

pub(super) fn run(cluster: &mut Cluster) {
    let jobs: Vec<Arc<Value>> = cluster.store.of_kind("Job").cloned().collect();
    for job in jobs {
        if !terminating(&job) && !finished(&job) {
            reconcile(cluster, &job);
        }
    }
}

/// The Job is Complete or Failed.
pub fn finished(job: &Value) -> bool {
    job["status"]["conditions"].as_array().is_some_and(|cs| {
        cs.iter()
            .any(|c| (c["type"] == "Complete" || c["type"] == "Failed") && c["status"] == "True")
    })
}

fn finished_at(pod: &Value) -> Option<Timestamp> {
    pod["status"]["containerStatuses"]
        .as_array()?
        .iter()
        .filter_map(|s| s["state"]["terminated"]["finishedAt"].as_str())
        .filter_map(|t| t.parse::<Timestamp>().ok())
        .max()
}

fn reconcile(cluster: &mut Cluster, job: &Value) {
    let now = cluster.now();
    let stamp = format_time(now);
    let job_uid = uid(job).to_string();
    let pods: Vec<Arc<Value>> = cluster
        .store
        .range("Pod", Some(super::namespace(job)), None)
        .filter(|p| controller_uid(p) == Some(job_uid.as_str()))
        .cloned()
        .collect();
    let phase = |p: &Arc<Value>| p["status"]["phase"].as_str().unwrap_or("").to_string();
    let succeeded = pods.iter().filter(|p| phase(p) == "Succeeded").count() as i64;
    let failed_pods: Vec<&Arc<Value>> = pods.iter().filter(|p| phase(p) == "Failed").collect();
    let failed = failed_pods.len() as i64;
    let active: Vec<&Arc<Value>> = pods
        .iter()
        .filter(|p| !terminating(p) && !matches!(phase(p).as_str(), "Succeeded" | "Failed"))
        .collect();
    let completions = job["spec"]["completions"].as_i64().unwrap_or(1);
    let parallelism = job["spec"]["parallelism"].as_i64().unwrap_or(1);
    let backoff_limit = job["spec"]["backoffLimit"].as_i64().unwrap_or(6);
    let mut next = job.clone();
    if next["status"]["startTime"].is_null() {
        next["status"]["startTime"] = json!(stamp);
    }
    if succeeded >= completions {
        set_condition(
            &mut next,
            "SuccessCriteriaMet",
            "True",
            Some("CompletionsReached"),
            Some("Reached expected number of succeeded pods"),
            &stamp,
        );
        set_condition(
            &mut next,
            "Complete",
            "True",
            Some("CompletionsReached"),
            Some("Reached expected number of succeeded pods"),
            &stamp,
        );
        next["status"]["completionTime"] = json!(stamp);
        cluster.event(
            job,
            events::JOB,
            Note {
                warning: false,
                reason: "Completed",
                message: "Job completed",
                field_path: None,
            },
        );
    } else if failed > backoff_limit {
        for pod in &active {
            delete_pod(cluster, &Key::of(pod), None);
        }
        let message = "Job has reached the specified backoff limit";
        set_condition(
            &mut next,
            "FailureTarget",
            "True",
            Some("BackoffLimitExceeded"),
            Some(message),
            &stamp,
        );
        set_condition(
            &mut next,
            "Failed",
            "True",
            Some("BackoffLimitExceeded"),
            Some(message),
            &stamp,
        );
        cluster.event(
            job,
            events::JOB,
            Note {
                warning: true,
                reason: "BackoffLimitExceeded",
                message,
                field_path: None,
            },
        );
    } else {
        let wanted = parallelism.min(completions - succeeded).max(0);
        let missing = wanted - active.len() as i64;
        // A new pod after a failure waits out the back-off.
        let last_failure = failed_pods.iter().filter_map(|p| finished_at(p)).max();
        let due = last_failure.map(|t| {
            crate::sim::cluster::later(
                t,
                SignedDuration::from_secs(super::kubelet::back_off(failed)),
            )
        });
        match due {
            Some(due) if missing > 0 && now < due => cluster.wake_at(due),
            _ => {
                let missing = usize::try_from(missing).unwrap_or(0);
                let allowed = if missing > 0 {
                    super::pods_allowed(cluster, &job_uid, missing)
                } else {
                    0
                };
                for _ in 0..allowed {
                    let mut pod = new_pod(cluster, job);
                    for (k, v) in [
                        ("job-name", name(job).to_string()),
                        ("batch.kubernetes.io/job-name", name(job).to_string()),
                        ("controller-uid", job_uid.clone()),
                        ("batch.kubernetes.io/controller-uid", job_uid.clone()),
                    ] {
                        pod["metadata"]["labels"][k] = json!(v);
                    }
                    let message = format!("Created pod: {}", name(&pod));
                    cluster.put(pod);
                    cluster.event(
                        job,
                        events::JOB,
                        Note {
                            warning: false,
                            reason: "SuccessfulCreate",
                            message: &message,
                            field_path: None,
                        },
                    );
                }
            }
        }
    }
    let active_now = if finished(&next) {
        0
    } else {
        active.len() as i64
    };
    next["status"]["active"] = json!(active_now);
    next["status"]["succeeded"] = json!(succeeded);
    next["status"]["failed"] = json!(failed);
    next["status"]["ready"] = json!(active.iter().filter(|p| super::pod_ready(p)).count());
    let terminating = cluster
        .store
        .range("Pod", Some(super::namespace(job)), None)
        .filter(|p| super::controller_uid(p) == Some(super::uid(job)) && super::terminating(p))
        .count();
    next["status"]["terminating"] = json!(terminating);
    if !next["status"]["uncountedTerminatedPods"].is_object() {
        next["status"]["uncountedTerminatedPods"] = json!({});
    }
    for field in ["active", "succeeded", "failed"] {
        if next["status"][field] == 0
            && let Some(s) = next["status"].as_object_mut()
        {
            s.remove(field);
        }
    }
    cluster.put(next);
}
