//! The horizontal pod autoscaler, in the order kube-controller-manager's
//! `reconcileAutoscaler` works: read the target's scale; outside
//! `[min, max]` scale straight to the bound; otherwise compute the
//! replicas from the metrics (`hpa_metrics`), refusing a selector that
//! more than one HPA controls and saying why when no metrics answer.
//! Each HPA is synced when it appears or its spec changes and then every
//! 15 s (`--horizontal-pod-autoscaler-sync-period`), so its warnings
//! repeat at the real cadence.

use std::sync::Arc;

use jiff::SignedDuration;
use serde_json::{Value, json};

use super::hpa_metrics::{self, Proposal};
use super::{namespace, set_condition};
use crate::sim::cluster::events::{self, Note};
use crate::sim::cluster::store::format_time;
use crate::sim::cluster::{Cluster, Key, later};

const SYNC_PERIOD: SignedDuration = SignedDuration::from_secs(15);

pub(super) fn run(cluster: &mut Cluster) {
    let hpas: Vec<Arc<Value>> = cluster
        .store
        .of_kind("HorizontalPodAutoscaler")
        .cloned()
        .collect();
    let now = cluster.now();
    let mut alive = std::collections::HashSet::new();
    for hpa in hpas {
        let uid = hpa["metadata"]["uid"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let generation = hpa["metadata"]["generation"].as_i64().unwrap_or(1);
        alive.insert(uid.clone());
        let due = match cluster.hpa_synced.get(&uid) {
            Some(&(at, seen)) if seen == generation && now < later(at, SYNC_PERIOD) => {
                cluster.wake_at(later(at, SYNC_PERIOD));
                false
            }
            _ => true,
        };
        if due {
            cluster.hpa_synced.insert(uid, (now, generation));
            cluster.wake_at(later(now, SYNC_PERIOD));
            reconcile(cluster, &hpa);
        }
    }
    cluster.hpa_synced.retain(|uid, _| alive.contains(uid));
}

fn reconcile(cluster: &mut Cluster, hpa: &Value) {
    let stamp = format_time(cluster.now());
    let ns = namespace(hpa).to_string();
    let target_ref = &hpa["spec"]["scaleTargetRef"];
    let kind = target_ref["kind"].as_str().unwrap_or("Deployment");
    let target_name = target_ref["name"].as_str().unwrap_or_default();
    let mut next = hpa.clone();
    let Some(target) = cluster.store.get(&Key::new(kind, &ns, target_name)) else {
        let error = format!(
            "{}s/scale.apps \"{target_name}\" not found",
            kind.to_ascii_lowercase()
        );
        warn(cluster, hpa, "FailedGetScale", &error);
        let message =
            format!("the HPA controller was unable to get the target's current scale: {error}");
        set_condition(
            &mut next,
            "AbleToScale",
            "False",
            Some("FailedGetScale"),
            Some(&message),
            &stamp,
        );
        cluster.put(next);
        return;
    };
    set_condition(
        &mut next,
        "AbleToScale",
        "True",
        Some("SucceededGetScale"),
        Some("the HPA controller was able to get the target's current scale"),
        &stamp,
    );
    let current = target["spec"]["replicas"].as_i64().unwrap_or(1);
    let min = hpa["spec"]["minReplicas"].as_i64().unwrap_or(1);
    let max = hpa["spec"]["maxReplicas"].as_i64().unwrap_or(current);
    let previous_desired = hpa["status"]["desiredReplicas"].as_i64().unwrap_or(0);
    let mut statuses = Value::Null;
    let (desired, reason) = if current == 0 {
        set_condition(
            &mut next,
            "ScalingActive",
            "False",
            Some("ScalingDisabled"),
            Some("scaling is disabled since the replica count of the target is zero"),
            &stamp,
        );
        (0, None)
    } else if current > max {
        (
            max,
            Some("Current number of replicas above Spec.MaxReplicas".to_string()),
        )
    } else if current < min {
        (
            min,
            Some("Current number of replicas below Spec.MinReplicas".to_string()),
        )
    } else {
        match hpa_metrics::propose(cluster, hpa, &target, current, &mut next, &stamp) {
            Err(failure) => {
                for (reason, message) in &failure.events {
                    warn(cluster, hpa, reason, message);
                }
                set_status(
                    &mut next,
                    current,
                    previous_desired,
                    failure.statuses,
                    false,
                    &stamp,
                );
                cluster.put(next);
                return;
            }
            Ok(Proposal {
                replicas,
                reason,
                statuses: s,
            }) => {
                statuses = s;
                (replicas, Some(reason))
            }
        }
    };
    let rescale = reason.is_some() && desired != current;
    if rescale {
        let mut scaled = (*target).clone();
        scaled["spec"]["replicas"] = json!(desired);
        cluster.put(scaled);
        let message =
            format!("the HPA controller was able to update the target scale to {desired}");
        set_condition(
            &mut next,
            "AbleToScale",
            "True",
            Some("SucceededRescale"),
            Some(&message),
            &stamp,
        );
        let note = format!(
            "New size: {desired}; reason: {}",
            reason.as_deref().unwrap_or_default()
        );
        cluster.event(
            hpa,
            events::HPA,
            Note {
                warning: false,
                reason: "SuccessfulRescale",
                message: &note,
                field_path: None,
            },
        );
    }
    let desired = if rescale || current == 0 {
        desired
    } else {
        current
    };
    set_status(&mut next, current, desired, statuses, rescale, &stamp);
    cluster.put(next);
}

/// `setStatus`: the status is rebuilt from these, keeping the conditions
/// and the last scale time.
fn set_status(
    hpa: &mut Value,
    current: i64,
    desired: i64,
    metrics: Value,
    rescaled: bool,
    stamp: &str,
) {
    let conditions = hpa["status"]["conditions"].take();
    let mut last_scale = hpa["status"]["lastScaleTime"].take();
    if rescaled {
        last_scale = json!(stamp);
    }
    let mut status = json!({
        "currentReplicas": current,
        "desiredReplicas": desired,
        "currentMetrics": metrics,
        "conditions": conditions,
        "observedGeneration": hpa["metadata"]["generation"].as_i64().unwrap_or(1),
    });
    if !last_scale.is_null() {
        status["lastScaleTime"] = last_scale;
    }
    hpa["status"] = status;
}

fn warn(cluster: &mut Cluster, hpa: &Value, reason: &str, message: &str) {
    cluster.event(
        hpa,
        events::HPA,
        Note {
            warning: true,
            reason,
            message,
            field_path: None,
        },
    );
}
