//! metrics.k8s.io/v1beta1, what `kubectl top pods` and `kubectl top
//! nodes` read, from the cluster's usage model.

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use axum::response::Response;
use jiff::Timestamp;
use serde_json::{Value, json};

use super::read::Filter;
use super::status::{ApiError, json_response};
use super::{Params, SimState, Target};
use crate::sim::cluster::metrics::{node_usage, pod_usage};
use crate::sim::cluster::quantity::{format_cpu, format_memory};
use crate::sim::cluster::store::format_time;
use crate::sim::cluster::{Cluster, Key};

pub const GROUP: &str = "metrics.k8s.io";
const API_VERSION: &str = "metrics.k8s.io/v1beta1";
/// The metrics server's scrape window.
const WINDOW: &str = "15s";

pub(crate) fn serve(
    state: &Arc<SimState>,
    method: &Method,
    target: &Target,
    params: &Params,
) -> Result<Response, ApiError> {
    if *method != Method::GET || params.get("watch").is_some_and(|w| w == "true" || w == "1") {
        return Err(ApiError::method_not_allowed());
    }
    let filter = Filter::from_params(params)?;
    let cluster = state.cluster();
    let now = cluster.now();
    let nodes = target.resource.plural == "nodes";
    let kind = if nodes { "Node" } else { "Pod" };
    if let Some(name) = &target.name {
        let key = Key::new(kind, target.namespace.as_deref().unwrap_or(""), name);
        let metrics = cluster.store.get(&key).and_then(|o| {
            if nodes {
                let name = o["metadata"]["name"].as_str().unwrap_or_default();
                node_metrics(&o, node_usage(&cluster, name, now), now)
            } else {
                pod_metrics(&cluster, &o, now)
            }
        });
        return match metrics {
            Some(m) => Ok(json_response(StatusCode::OK, &m)),
            None => Err(ApiError::not_found(GROUP, target.resource.plural, name)),
        };
    }
    let per_node = if nodes {
        crate::sim::cluster::metrics::nodes_usage(&cluster, now)
    } else {
        Default::default()
    };
    let idle = (
        crate::sim::cluster::metrics::SYSTEM_CPU,
        crate::sim::cluster::metrics::SYSTEM_MEMORY,
    );
    let items: Vec<Value> = cluster
        .store
        .range(kind, target.namespace.as_deref(), None)
        .filter(|o| filter.labels.matches(o))
        .filter_map(|o| {
            if nodes {
                let name = o["metadata"]["name"].as_str().unwrap_or_default();
                node_metrics(o, per_node.get(name).copied().unwrap_or(idle), now)
            } else {
                pod_metrics(&cluster, o, now)
            }
        })
        .collect();
    let list_kind = if nodes {
        "NodeMetricsList"
    } else {
        "PodMetricsList"
    };
    Ok(json_response(
        StatusCode::OK,
        &json!({ "kind": list_kind, "apiVersion": API_VERSION, "metadata": {}, "items": items }),
    ))
}

fn metadata(object: &Value, now: Timestamp) -> Value {
    let meta = &object["metadata"];
    let mut out = json!({ "name": meta["name"], "creationTimestamp": format_time(now) });
    if let Some(ns) = meta["namespace"].as_str() {
        out["namespace"] = json!(ns);
    }
    if meta["labels"].is_object() {
        out["labels"] = meta["labels"].clone();
    }
    out
}

/// A pod's metrics; none for a pod with no running container (as the
/// metrics server has nothing scraped for it).
fn pod_metrics(cluster: &Cluster, pod: &Value, now: Timestamp) -> Option<Value> {
    let usage = pod_usage(cluster, pod, now);
    if usage.is_empty() {
        return None;
    }
    let containers: Vec<Value> = usage
        .iter()
        .map(|u| json!({ "name": u.container, "usage": { "cpu": format_cpu(u.cpu), "memory": format_memory(u.memory) } }))
        .collect();
    Some(json!({
        "kind": "PodMetrics",
        "apiVersion": API_VERSION,
        "metadata": metadata(pod, now),
        "timestamp": format_time(now),
        "window": WINDOW,
        "containers": containers,
    }))
}

/// A node's metrics; none for a node that is not Ready (its kubelet is
/// not scraped: `kubectl top nodes` shows `<unknown>`).
fn node_metrics(node: &Value, (cpu, memory): (f64, f64), now: Timestamp) -> Option<Value> {
    if !crate::sim::cluster::controllers::node_ready(node) {
        return None;
    }
    Some(json!({
        "kind": "NodeMetrics",
        "apiVersion": API_VERSION,
        "metadata": metadata(node, now),
        "timestamp": format_time(now),
        "window": WINDOW,
        "usage": { "cpu": format_cpu(cpu), "memory": format_memory(memory) },
    }))
}
