//! The autoscaler's metric half (`computeReplicasForMetrics`): refuse a
//! selector more than one HPA controls, ask the usage model behind
//! `kubectl top` for each metric (none without node agents: the real
//! control plane has no metrics API then), and propose a replica count
//! within the bounds, with the conditions and messages the real
//! controller writes.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::{namespace, selector_of, set_condition};
use crate::sim::cluster::Cluster;
use crate::sim::cluster::metrics::pod_usage;
use crate::sim::cluster::quantity;

const TOLERANCE: f64 = 0.1;
const DOWNSCALE_WINDOW: i64 = 300;

pub(super) struct Proposal {
    pub replicas: i64,
    pub reason: String,
    pub statuses: Value,
}

/// Why no replica count came out: the warnings to record, and the
/// metric statuses the HPA's status keeps.
pub(super) struct Failure {
    pub events: Vec<(&'static str, String)>,
    pub statuses: Value,
}

pub(super) fn propose(
    cluster: &Cluster,
    hpa: &Value,
    target: &Value,
    current: i64,
    next: &mut Value,
    stamp: &str,
) -> Result<Proposal, Failure> {
    if let Some(error) = ambiguity(cluster, hpa, target) {
        set_condition(
            next,
            "ScalingActive",
            "False",
            Some("AmbiguousSelector"),
            Some(&error),
            stamp,
        );
        return Err(Failure {
            events: vec![
                ("AmbiguousSelector", error.clone()),
                ("FailedComputeMetricsReplicas", error),
            ],
            statuses: Value::Null,
        });
    }
    let specs = hpa["spec"]["metrics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut statuses = Vec::new();
    let mut events = Vec::new();
    let mut first_error: Option<(&'static str, String, String)> = None;
    let mut invalid = 0;
    let mut best: Option<(i64, String)> = None;
    for spec in &specs {
        match metric(cluster, hpa, target, spec, current) {
            Ok((replicas, name, status)) => {
                statuses.push(status);
                if best.as_ref().is_none_or(|(r, _)| replicas > *r) {
                    best = Some((replicas, name));
                }
            }
            Err((reason, error, wrapped)) => {
                statuses.push(json!({ "type": "" }));
                events.push((reason, error.clone()));
                invalid += 1;
                if first_error.is_none() {
                    first_error = Some((reason, error, wrapped));
                }
            }
        }
    }
    let proposed = best.as_ref().map_or(0, |(r, _)| *r);
    if let Some((reason, error, wrapped)) = first_error
        && (invalid >= specs.len() || proposed < current)
    {
        let message = format!("the HPA was unable to compute the replica count: {error}");
        set_condition(
            next,
            "ScalingActive",
            "False",
            Some(reason),
            Some(&message),
            stamp,
        );
        events.push((
            "FailedComputeMetricsReplicas",
            format!(
                "invalid metrics ({invalid} invalid out of {}), first error is: {wrapped}",
                specs.len()
            ),
        ));
        return Err(Failure {
            events,
            statuses: Value::Array(statuses),
        });
    }
    let (proposed, metric_name) = best.unwrap_or((current, String::new()));
    let message =
        format!("the HPA was able to successfully calculate a replica count from {metric_name}");
    set_condition(
        next,
        "ScalingActive",
        "True",
        Some("ValidMetricFound"),
        Some(&message),
        stamp,
    );
    let replicas = normalize(cluster, hpa, current, proposed, next, stamp);
    let reason = if proposed > current {
        format!("{metric_name} above target")
    } else {
        "All metrics below target".to_string()
    };
    Ok(Proposal {
        replicas,
        reason,
        statuses: Value::Array(statuses),
    })
}

/// `validateAndParseSelector`: the pods this HPA's target selects must
/// not be selected by another HPA's target too.
fn ambiguity(cluster: &Cluster, hpa: &Value, target: &Value) -> Option<String> {
    let ns = namespace(hpa);
    let selector = selector_of(target);
    let pods: Vec<Arc<Value>> = cluster
        .store
        .range("Pod", Some(ns), None)
        .filter(|p| selector.matches(p))
        .cloned()
        .collect();
    if pods.is_empty() {
        return None;
    }
    let mut controlling: Vec<String> = cluster
        .store
        .range("HorizontalPodAutoscaler", Some(ns), None)
        .filter(|other| {
            let r = &other["spec"]["scaleTargetRef"];
            let kind = r["kind"].as_str().unwrap_or_default();
            let name = r["name"].as_str().unwrap_or_default();
            cluster
                .store
                .get(&crate::sim::cluster::Key::new(kind, ns, name))
                .is_some_and(|t| {
                    let s = selector_of(&t);
                    pods.iter().any(|p| s.matches(p))
                })
        })
        .map(|other| {
            format!(
                "{ns}/{}",
                other["metadata"]["name"].as_str().unwrap_or_default()
            )
        })
        .collect();
    if controlling.len() < 2 {
        return None;
    }
    controlling.sort();
    controlling.truncate(2);
    Some(format!(
        "pods by selector {} are controlled by more than one HPA (e.g. [{}])",
        selector_text(target),
        controlling.join(" ")
    ))
}

/// The selector as the scale subresource states it (`app=web,tier=x`).
fn selector_text(target: &Value) -> String {
    target["spec"]["selector"]["matchLabels"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default()
}

type MetricError = (&'static str, String, String);

/// One metric's proposal: replicas, the metric's name in messages, and
/// its status; or the condition reason, the error and the error as
/// `computeReplicasForMetrics` wraps it.
fn metric(
    cluster: &Cluster,
    hpa: &Value,
    target: &Value,
    spec: &Value,
    current: i64,
) -> Result<(i64, String, Value), MetricError> {
    let kind = spec["type"].as_str().unwrap_or_default();
    if kind != "Resource" {
        let reason = match kind {
            "Pods" => "FailedGetPodsMetric",
            "Object" => "FailedGetObjectMetric",
            "External" => "FailedGetExternalMetric",
            _ => "FailedGetContainerResourceMetric",
        };
        let error = "unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered".to_string();
        let wrapped = format!(
            "failed to get {} metric value: {error}",
            kind.to_ascii_lowercase()
        );
        return Err((reason, error, wrapped));
    }
    let resource = spec["resource"]["name"].as_str().unwrap_or("cpu");
    let goal = &spec["resource"]["target"];
    let by_value = goal["averageValue"].is_string() || goal["averageValue"].is_number();
    let fail = |cause: String| {
        let error = if by_value {
            format!("failed to get {resource} usage: {cause}")
        } else {
            format!("failed to get {resource} utilization: {cause}")
        };
        let wrapped = format!("failed to get {resource} resource metric value: {error}");
        ("FailedGetResourceMetric", error, wrapped)
    };
    if !by_value && goal["averageUtilization"].as_f64().is_none() {
        let error = "invalid resource metric source: neither an average utilization target nor an average value (usage) target was set".to_string();
        let wrapped = format!("failed to get {resource} resource metric value: {error}");
        return Err(("FailedGetResourceMetric", error, wrapped));
    }
    // metrics-server scrapes kubelets: without node agents there is none.
    if !cluster.kubelet {
        return Err(fail(format!(
            "unable to get metrics for resource {resource}: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)"
        )));
    }
    let now = cluster.now();
    let selector = selector_of(target);
    let ns = namespace(hpa);
    let (mut used, mut requested, mut measured) = (0.0, 0.0, 0usize);
    for pod in cluster
        .store
        .range("Pod", Some(ns), None)
        .filter(|p| selector.matches(p) && p["status"]["phase"] == "Running")
    {
        let usage = pod_usage(cluster, pod, now);
        if usage.is_empty() {
            continue;
        }
        measured += 1;
        used += usage
            .iter()
            .map(|u| {
                if resource == "memory" {
                    u.memory
                } else {
                    u.cpu
                }
            })
            .sum::<f64>();
        for c in pod["spec"]["containers"].as_array().into_iter().flatten() {
            let Some(request) = quantity::of(&c["resources"]["requests"][resource]) else {
                if by_value {
                    continue;
                }
                return Err(fail(format!(
                    "missing request for {resource} in container {} of Pod {}",
                    c["name"].as_str().unwrap_or_default(),
                    pod["metadata"]["name"].as_str().unwrap_or_default()
                )));
            };
            requested += request;
        }
    }
    if measured == 0 {
        return Err(fail(format!(
            "unable to get metrics for resource {resource}: no metrics returned from resource metrics API"
        )));
    }
    let average = used / measured as f64;
    let shown = if resource == "memory" {
        format!("{}", average.round() as i64)
    } else {
        format!("{}m", (average * 1000.0).round() as i64)
    };
    let (ratio, name, current_value) = if by_value {
        let goal_value = quantity::of(&goal["averageValue"]).unwrap_or(f64::MAX);
        (
            average / goal_value,
            format!("{resource} resource"),
            json!({ "averageValue": shown }),
        )
    } else {
        let utilization = if requested > 0.0 {
            used / requested * 100.0
        } else {
            0.0
        };
        let goal_pct = goal["averageUtilization"].as_f64().unwrap_or(100.0);
        (
            utilization / goal_pct,
            format!("{resource} resource utilization (percentage of request)"),
            json!({ "averageUtilization": utilization.round() as i64, "averageValue": shown }),
        )
    };
    let replicas = if (ratio - 1.0).abs() <= TOLERANCE {
        current
    } else {
        (current as f64 * ratio).ceil() as i64
    };
    let status =
        json!({ "type": "Resource", "resource": { "name": resource, "current": current_value } });
    Ok((replicas, name, status))
}

/// `normalizeDesiredReplicas`: hold a scale-down for the stabilization
/// window, then bound the proposal by min and max, saying which applied.
fn normalize(
    cluster: &Cluster,
    hpa: &Value,
    current: i64,
    proposed: i64,
    next: &mut Value,
    stamp: &str,
) -> i64 {
    let now = cluster.now();
    let last_scale = hpa["status"]["lastScaleTime"]
        .as_str()
        .and_then(|t| t.parse::<Timestamp>().ok());
    let held = proposed < current
        && last_scale
            .is_some_and(|t| now.duration_since(t) < SignedDuration::from_secs(DOWNSCALE_WINDOW));
    let stabilized = if held { current } else { proposed };
    if held {
        set_condition(
            next,
            "AbleToScale",
            "True",
            Some("ScaleDownStabilized"),
            Some(
                "recent recommendations were higher than current one, applying the highest recent recommendation",
            ),
            stamp,
        );
    } else {
        set_condition(
            next,
            "AbleToScale",
            "True",
            Some("ReadyForNewScale"),
            Some("recommended size matches current size"),
            stamp,
        );
    }
    let min = hpa["spec"]["minReplicas"].as_i64().unwrap_or(1);
    let max = hpa["spec"]["maxReplicas"].as_i64().unwrap_or(stabilized);
    let (bounded, limited, reason, message) = if stabilized > max {
        (
            max,
            "True",
            "TooManyReplicas",
            "the desired replica count is more than the maximum replica count",
        )
    } else if stabilized < min {
        (
            min,
            "True",
            "TooFewReplicas",
            "the desired replica count is less than the minimum replica count",
        )
    } else {
        (
            stabilized,
            "False",
            "DesiredWithinRange",
            "the desired count is within the acceptable range",
        )
    };
    set_condition(
        next,
        "ScalingLimited",
        limited,
        Some(reason),
        Some(message),
        stamp,
    );
    bounded
}
