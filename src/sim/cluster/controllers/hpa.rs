//! The horizontal pod autoscaler: each HPA scales its target by the CPU
//! its pods use against what they request (the usage model behind
//! `kubectl top`), bounded by min and max, as the real controller
//! computes it (10 % tolerance, scale-down held for 5 minutes), with its
//! conditions (`ScalingLimited` when pinned at the maximum) and events.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::{namespace, selector_of, set_condition};
use crate::sim::cluster::events::{self, Note};
use crate::sim::cluster::metrics::pod_usage;
use crate::sim::cluster::quantity;
use crate::sim::cluster::store::format_time;
use crate::sim::cluster::{Cluster, Key};

const TOLERANCE: f64 = 0.1;
const DOWNSCALE_WINDOW: i64 = 300;

pub(super) fn run(cluster: &mut Cluster) {
    let hpas: Vec<Arc<Value>> = cluster
        .store
        .of_kind("HorizontalPodAutoscaler")
        .cloned()
        .collect();
    for hpa in hpas {
        reconcile(cluster, &hpa);
    }
}

/// The CPU target (percent of requests), if the HPA scales on CPU.
fn cpu_target(hpa: &Value) -> Option<f64> {
    hpa["spec"]["metrics"]
        .as_array()?
        .iter()
        .find(|m| m["type"] == "Resource" && m["resource"]["name"] == "cpu")
        .and_then(|m| m["resource"]["target"]["averageUtilization"].as_f64())
}

fn reconcile(cluster: &mut Cluster, hpa: &Value) {
    let now = cluster.now();
    let stamp = format_time(now);
    let ns = namespace(hpa).to_string();
    let target_ref = &hpa["spec"]["scaleTargetRef"];
    let kind = target_ref["kind"].as_str().unwrap_or("Deployment");
    let target_name = target_ref["name"].as_str().unwrap_or_default();
    let mut next = hpa.clone();
    let Some(target) = cluster.store.get(&Key::new(kind, &ns, target_name)) else {
        let message = format!("deployments/scale.apps \"{target_name}\" not found");
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
    let current = target["spec"]["replicas"].as_i64().unwrap_or(1);
    let min = hpa["spec"]["minReplicas"].as_i64().unwrap_or(1).max(1);
    let max = hpa["spec"]["maxReplicas"]
        .as_i64()
        .unwrap_or(current)
        .max(min);
    let selector = selector_of(&target);
    let pods: Vec<Arc<Value>> = cluster
        .store
        .range("Pod", Some(&ns), None)
        .filter(|p| selector.matches(p) && p["status"]["phase"] == "Running")
        .cloned()
        .collect();
    let (mut used, mut requested) = (0.0, 0.0);
    for pod in &pods {
        let usage = pod_usage(cluster, pod, now);
        if usage.is_empty() {
            continue;
        }
        used += usage.iter().map(|u| u.cpu).sum::<f64>();
        for c in pod["spec"]["containers"].as_array().into_iter().flatten() {
            requested += quantity::of(&c["resources"]["requests"]["cpu"]).unwrap_or(0.0);
        }
    }
    let (Some(target_pct), true) = (cpu_target(hpa), requested > 0.0) else {
        set_condition(
            &mut next,
            "ScalingActive",
            "False",
            Some("FailedGetResourceMetric"),
            Some(
                "the HPA was unable to compute the replica count: no metrics returned from resource metrics API",
            ),
            &stamp,
        );
        cluster.put(next);
        return;
    };
    let utilization = used / requested * 100.0;
    let ratio = utilization / target_pct;
    let raw = if (ratio - 1.0).abs() <= TOLERANCE {
        current
    } else {
        (current as f64 * ratio).ceil() as i64
    };
    let desired = raw.clamp(min, max);
    let last_scale = hpa["status"]["lastScaleTime"]
        .as_str()
        .and_then(|t| t.parse::<Timestamp>().ok());
    let may_shrink = last_scale
        .is_none_or(|t| now.duration_since(t) >= SignedDuration::from_secs(DOWNSCALE_WINDOW));
    let mut scaled_to = current;
    if desired > current || (desired < current && may_shrink) {
        let mut t = (*target).clone();
        t["spec"]["replicas"] = json!(desired);
        cluster.put(t);
        scaled_to = desired;
        next["status"]["lastScaleTime"] = json!(stamp);
        let direction = if desired > current { "above" } else { "below" };
        let message = format!(
            "New size: {desired}; reason: cpu resource utilization (percentage of request) {direction} target"
        );
        cluster.event(
            hpa,
            events::HPA,
            Note {
                warning: false,
                reason: "SuccessfulRescale",
                message: &message,
                field_path: None,
            },
        );
    } else if desired < current
        && let Some(t) = last_scale
    {
        cluster.wake_at(t + SignedDuration::from_secs(DOWNSCALE_WINDOW));
    }
    next["status"]["currentReplicas"] =
        json!(target["status"]["replicas"].as_i64().unwrap_or(current));
    next["status"]["desiredReplicas"] = json!(scaled_to);
    next["status"]["currentMetrics"] = json!([{ "type": "Resource", "resource": { "name": "cpu",
        "current": { "averageUtilization": utilization.round() as i64,
                     "averageValue": format!("{}m", (used * 1000.0 / pods.len().max(1) as f64).round() as i64) } } }]);
    set_condition(
        &mut next,
        "AbleToScale",
        "True",
        Some("ReadyForNewScale"),
        Some("recommended size matches current size"),
        &stamp,
    );
    set_condition(
        &mut next,
        "ScalingActive",
        "True",
        Some("ValidMetricFound"),
        Some(
            "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)",
        ),
        &stamp,
    );
    if raw > max {
        set_condition(
            &mut next,
            "ScalingLimited",
            "True",
            Some("TooManyReplicas"),
            Some("the desired replica count is more than the maximum replica count"),
            &stamp,
        );
    } else if raw < min {
        set_condition(
            &mut next,
            "ScalingLimited",
            "True",
            Some("TooFewReplicas"),
            Some("the desired replica count is less than the minimum replica count"),
            &stamp,
        );
    } else {
        set_condition(
            &mut next,
            "ScalingLimited",
            "False",
            Some("DesiredWithinRange"),
            Some("the desired count is within the acceptable range"),
            &stamp,
        );
    }
    cluster.put(next);
}
