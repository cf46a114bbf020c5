//! A Deployment's status and conditions, as `kubectl rollout status` and
//! the checks read them: counts summed over its ReplicaSets, Available by
//! maxUnavailable, Progressing until complete or past its deadline.

use serde_json::{Value, json};

use super::deployment::{REVISION, fenceposts, replicas, revision, status_count};
use crate::sim::cluster::controllers::name;
use crate::sim::cluster::{Cluster, defaults};

#[allow(clippy::too_many_arguments)]
pub(super) fn write_status(
    cluster: &mut Cluster,
    d: &Value,
    rses: &[Value],
    new_rs: &Value,
    desired: i64,
    progressed: bool,
    now: &str,
) {
    let sum = |field: &str| -> i64 { rses.iter().map(|r| status_count(r, field)).sum() };
    let spec_total: i64 = rses.iter().map(replicas).sum();
    let available = sum("availableReplicas");
    let updated = status_count(new_rs, "replicas");
    let status_replicas = sum("replicas");
    let generation = d["metadata"]["generation"].as_i64().unwrap_or(1);
    let (_, max_unavailable) = fenceposts(d, desired);
    let mut next = d.clone();
    next["metadata"]["annotations"][REVISION] = json!(revision(new_rs).to_string());
    let previous_status = d["status"].clone();
    next["status"] = json!({
        "observedGeneration": generation,
        "replicas": status_replicas,
        "updatedReplicas": updated,
        "readyReplicas": sum("readyReplicas"),
        "availableReplicas": available,
        "unavailableReplicas": (spec_total - available).max(0),
        "terminatingReplicas": sum("terminatingReplicas"),
        "conditions": previous_status["conditions"].clone(),
    });
    defaults::omit_zeros(
        &mut next["status"],
        &[
            "observedGeneration",
            "replicas",
            "updatedReplicas",
            "readyReplicas",
            "availableReplicas",
            "unavailableReplicas",
        ],
    );
    if next["status"]["conditions"].is_null() {
        next["status"]["conditions"] = json!([]);
    }
    let (status, reason, message) = if available >= desired - max_unavailable {
        (
            "True",
            "MinimumReplicasAvailable",
            "Deployment has minimum availability.",
        )
    } else {
        (
            "False",
            "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.",
        )
    };
    deployment_condition(
        &mut next,
        "Available",
        status,
        reason,
        message.to_string(),
        now,
        false,
    );
    let rs_name = name(new_rs);
    let complete = updated == desired && status_replicas == desired && available >= desired;
    let current = progressing(&next);
    if complete {
        let message = format!("ReplicaSet \"{rs_name}\" has successfully progressed.");
        let changed = current.0 != "NewReplicaSetAvailable";
        deployment_condition(
            &mut next,
            "Progressing",
            "True",
            "NewReplicaSetAvailable",
            message,
            now,
            changed,
        );
    } else if progressed {
        let message = format!("ReplicaSet \"{rs_name}\" is progressing.");
        deployment_condition(
            &mut next,
            "Progressing",
            "True",
            "ReplicaSetUpdated",
            message,
            now,
            true,
        );
    } else if current.0 == "ReplicaSetUpdated" {
        let deadline = d["spec"]["progressDeadlineSeconds"].as_i64().unwrap_or(600);
        let since = current.1.and_then(|t| t.parse::<jiff::Timestamp>().ok());
        if let Some(since) = since {
            let due = crate::sim::cluster::later(since, jiff::SignedDuration::from_secs(deadline));
            if cluster.now() >= due {
                let message = format!("ReplicaSet \"{rs_name}\" has timed out progressing.");
                deployment_condition(
                    &mut next,
                    "Progressing",
                    "False",
                    "ProgressDeadlineExceeded",
                    message,
                    now,
                    true,
                );
            } else {
                cluster.wake_at(due);
            }
        }
    }
    cluster.put(next);
}

/// (reason, lastUpdateTime) of the Progressing condition.
fn progressing(d: &Value) -> (String, Option<String>) {
    d["status"]["conditions"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["type"] == "Progressing"))
        .map(|c| {
            (
                c["reason"].as_str().unwrap_or_default().to_string(),
                c["lastUpdateTime"].as_str().map(str::to_string),
            )
        })
        .unwrap_or_default()
}

fn deployment_condition(
    d: &mut Value,
    kind: &str,
    status: &str,
    reason: &str,
    message: String,
    now: &str,
    update: bool,
) {
    let Some(conditions) = d["status"]["conditions"].as_array_mut() else {
        return;
    };
    let existing = conditions.iter().position(|c| c["type"] == kind);
    let mut fresh = json!({
        "type": kind, "status": status, "reason": reason, "message": message,
        "lastUpdateTime": now, "lastTransitionTime": now,
    });
    match existing {
        Some(i) => {
            let old = &conditions[i];
            if old["status"] == status {
                fresh["lastTransitionTime"] = old["lastTransitionTime"].clone();
            }
            let same = old["reason"] == reason && old["message"] == fresh["message"];
            if same && !update {
                fresh["lastUpdateTime"] = old["lastUpdateTime"].clone();
            }
            conditions[i] = fresh;
        }
        None => conditions.push(fresh),
    }
}
