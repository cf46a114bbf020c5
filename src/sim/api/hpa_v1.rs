//! autoscaling/v1 HorizontalPodAutoscalers: the stored autoscaling/v2
//! objects shown and written in v1 terms, as the API server converts one
//! storage between its versions (k8s.io/kubernetes pkg/apis/autoscaling/v1
//! conversion): v1's `targetCPUUtilizationPercentage` is v2's CPU
//! Utilization metric, `currentCPUUtilizationPercentage` its current value.
//! A v1 write keeps the v2 object's other metrics (the real one keeps them
//! in an annotation).

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::patch::{self, PatchKind};
use super::resources::{self, Resource};
use super::status::{ApiError, json_response};
use super::{Params, SimState, Target, write};

pub const VERSION: &str = "v1";

/// Whether `r` is the v1 view of HPAs.
pub fn is_v1(r: &Resource) -> bool {
    r.group == "autoscaling" && r.version == VERSION && r.kind == "HorizontalPodAutoscaler"
}

fn is_cpu_utilization(metric: &Value) -> bool {
    metric["type"] == "Resource"
        && metric["resource"]["name"] == "cpu"
        && metric["resource"]["target"]["type"] == "Utilization"
}

/// A stored (v2) HPA as autoscaling/v1 shows it.
pub fn from_v2(v2: &Value) -> Value {
    let spec = &v2["spec"];
    let mut out_spec = Map::new();
    for field in ["scaleTargetRef", "minReplicas", "maxReplicas"] {
        if !spec[field].is_null() {
            out_spec.insert(field.into(), spec[field].clone());
        }
    }
    if let Some(cpu) = spec["metrics"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|m| is_cpu_utilization(m))
        .map(|m| &m["resource"]["target"]["averageUtilization"])
        .filter(|v| !v.is_null())
    {
        out_spec.insert("targetCPUUtilizationPercentage".into(), cpu.clone());
    }
    let status = &v2["status"];
    let mut out_status = Map::new();
    for field in [
        "observedGeneration",
        "lastScaleTime",
        "currentReplicas",
        "desiredReplicas",
    ] {
        if !status[field].is_null() {
            out_status.insert(field.into(), status[field].clone());
        }
    }
    if let Some(cpu) = status["currentMetrics"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|m| m["type"] == "Resource" && m["resource"]["name"] == "cpu")
        .map(|m| &m["resource"]["current"]["averageUtilization"])
        .filter(|v| !v.is_null())
    {
        out_status.insert("currentCPUUtilizationPercentage".into(), cpu.clone());
    }
    if !out_status.contains_key("desiredReplicas") {
        out_status.insert("desiredReplicas".into(), json!(0));
    }
    json!({
        "kind": "HorizontalPodAutoscaler",
        "apiVersion": "autoscaling/v1",
        "metadata": v2["metadata"],
        "spec": out_spec,
        "status": out_status,
    })
}

/// A v1 HPA as stored (v2); `old` is the stored object it replaces, whose
/// other metrics and status it keeps.
pub fn to_v2(v1: &Value, old: Option<&Value>) -> Value {
    let mut out = old.cloned().unwrap_or_else(|| json!({}));
    out["kind"] = json!("HorizontalPodAutoscaler");
    out["apiVersion"] = json!("autoscaling/v2");
    out["metadata"] = v1["metadata"].clone();
    let spec = &v1["spec"];
    let mut metrics: Vec<Value> = old
        .and_then(|o| o["spec"]["metrics"].as_array())
        .into_iter()
        .flatten()
        .filter(|m| !is_cpu_utilization(m))
        .cloned()
        .collect();
    if let Some(cpu) = spec["targetCPUUtilizationPercentage"].as_i64() {
        metrics.insert(
            0,
            json!({ "type": "Resource", "resource": { "name": "cpu",
                    "target": { "type": "Utilization", "averageUtilization": cpu } } }),
        );
    }
    let mut out_spec = json!({
        "scaleTargetRef": spec["scaleTargetRef"],
        "minReplicas": spec["minReplicas"],
        "maxReplicas": spec["maxReplicas"],
    });
    if !metrics.is_empty() {
        out_spec["metrics"] = json!(metrics);
    }
    if let Some(behavior) = old.map(|o| &o["spec"]["behavior"]).filter(|b| !b.is_null()) {
        out_spec["behavior"] = behavior.clone();
    }
    crate::sim::cluster::writes::strip_nulls(&mut out_spec);
    out["spec"] = out_spec;
    out
}

fn v2_target(target: &Target) -> Target {
    Target {
        resource: resources::by_kind("HorizontalPodAutoscaler").unwrap_or(target.resource),
        ..target.clone()
    }
}

/// A handler's answer (a v2 object or Status) as v1 shows it.
async fn answered_as_v1(response: Response) -> Response {
    let status = response.status();
    let Ok(bytes) = axum::body::to_bytes(response.into_body(), usize::MAX).await else {
        return ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
            "unreadable answer",
        )
        .into_response();
    };
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(v) if v["kind"] == "HorizontalPodAutoscaler" => json_response(status, &from_v2(&v)),
        _ => (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
    }
}

/// A write to `autoscaling/v1/.../horizontalpodautoscalers`: converted to
/// v2, written as any v2 write, answered in v1.
pub async fn write(
    state: &Arc<SimState>,
    method: &Method,
    target: &Target,
    params: &Params,
    headers: &HeaderMap,
    body: &Bytes,
) -> Response {
    let v2 = v2_target(target);
    let lookup = |name: &str| super::read::lookup(state, &v2, name).ok();
    let result = match method.clone() {
        Method::POST | Method::PUT => match serde_json::from_slice::<Value>(body) {
            Err(e) => Err(ApiError::bad_request(format!(
                "the request body is not valid JSON: {e}"
            ))),
            Ok(v1) => {
                let old = target.name.as_deref().and_then(lookup);
                let converted = to_v2(&v1, old.as_deref());
                let bytes = Bytes::from(converted.to_string());
                if *method == Method::POST {
                    write::create(state, &v2, params, &bytes)
                } else {
                    write::update(state, &v2, params, &bytes)
                }
            }
        },
        Method::PATCH => patch(state, &v2, params, headers, body),
        _ => Err(ApiError::method_not_allowed()),
    };
    match result {
        Ok(response) => answered_as_v1(response).await,
        Err(err) => err.into_response(),
    }
}

/// A v1 patch: made to the v1 view of the stored object, written back as
/// a replacement (server-side apply is refused in v1 here).
fn patch(
    state: &Arc<SimState>,
    v2: &Target,
    params: &Params,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Response, ApiError> {
    let name = v2
        .name
        .as_deref()
        .ok_or_else(ApiError::method_not_allowed)?;
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(PatchKind::from_content_type)
        .filter(|k| *k != PatchKind::Apply)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UnsupportedMediaType",
                "the body of the request was in an unknown format",
            )
        })?;
    let stored = super::read::lookup(state, v2, name)?;
    let patch_body = patch::parse_body(kind, body).map_err(|e| ApiError::bad_request(e.0))?;
    let mut v1 = from_v2(&stored);
    patch::patch(kind, &mut v1, &patch_body)
        .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "Invalid", e.0))?;
    if !patch_body["metadata"]["resourceVersion"].is_string() {
        v1["metadata"]["resourceVersion"] = stored["metadata"]["resourceVersion"].clone();
    }
    let converted = to_v2(&v1, Some(&stored));
    write::update(state, v2, params, &Bytes::from(converted.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_utilization_is_the_v1_target() {
        let v2 = json!({
            "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": { "name": "web" },
            "spec": { "scaleTargetRef": { "apiVersion": "apps/v1", "kind": "Deployment", "name": "web" },
                      "minReplicas": 1, "maxReplicas": 5,
                      "metrics": [ { "type": "Resource", "resource": { "name": "memory", "target": { "type": "Utilization", "averageUtilization": 60 } } },
                                   { "type": "Resource", "resource": { "name": "cpu", "target": { "type": "Utilization", "averageUtilization": 70 } } } ] },
            "status": { "currentReplicas": 2, "desiredReplicas": 3,
                        "currentMetrics": [ { "type": "Resource", "resource": { "name": "cpu", "current": { "averageUtilization": 95, "averageValue": "190m" } } } ] }
        });
        let v1 = from_v2(&v2);
        assert_eq!(v1["apiVersion"], "autoscaling/v1");
        assert_eq!(v1["spec"]["targetCPUUtilizationPercentage"], 70);
        assert_eq!(v1["status"]["currentCPUUtilizationPercentage"], 95);
        let mut changed = v1.clone();
        changed["spec"]["targetCPUUtilizationPercentage"] = json!(50);
        let back = to_v2(&changed, Some(&v2));
        let metrics = back["spec"]["metrics"].as_array().unwrap();
        assert_eq!(metrics.len(), 2, "memory kept: {metrics:?}");
        assert_eq!(metrics[0]["resource"]["target"]["averageUtilization"], 50);
        assert_eq!(back["status"], v2["status"]);
    }
}
