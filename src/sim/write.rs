//! The writes actions need: patch, update, delete, create, eviction, scale.
//! Every write honors `dryRun=All` and may fire `{action: ...}` phases.

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

use super::patch;
use super::read::lookup;
use super::scenario::ActionKind;
use super::selectors::LabelSelector;
use super::server::{Params, SimState, Target, dry_run};
use super::status::{ApiError, json_response, status_body};
use super::store::Key;

const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";

fn now() -> jiff::Timestamp {
    jiff::Timestamp::now()
}

fn parse_body(body: &Bytes) -> Result<Value, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("the request body is not valid JSON: {e}")))
}

fn key_of(target: &Target, name: &str) -> Key {
    Key::new(
        target.resource.kind,
        target.namespace.as_deref().unwrap_or(""),
        name,
    )
}

fn named(target: &Target) -> Result<&str, ApiError> {
    target
        .name
        .as_deref()
        .ok_or_else(ApiError::method_not_allowed)
}

/// The actions a change from `old` to `new` amounts to.
fn actions(old: &Value, new: &Value) -> Vec<ActionKind> {
    let mut found = Vec::new();
    match new["kind"].as_str() {
        Some("Node") => {
            let was = old["spec"]["unschedulable"].as_bool() == Some(true);
            let is = new["spec"]["unschedulable"].as_bool() == Some(true);
            if is && !was {
                found.push(ActionKind::Cordon);
            }
            if was && !is {
                found.push(ActionKind::Uncordon);
            }
        }
        Some("Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet") => {
            let restarted =
                |o: &Value| o["spec"]["template"]["metadata"]["annotations"][RESTARTED_AT].clone();
            if restarted(new) != restarted(old) && !restarted(new).is_null() {
                found.push(ActionKind::RolloutRestart);
            }
            if new["spec"]["replicas"] != old["spec"]["replicas"] {
                found.push(ActionKind::Scale);
            }
        }
        _ => {}
    }
    found
}

/// The object must keep its identity through a write.
fn check_identity(old: &Value, new: &Value) -> Result<(), ApiError> {
    for field in ["name", "namespace"] {
        if old["metadata"][field] != new["metadata"][field] {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Invalid",
                format!("metadata.{field}: Invalid value: field is immutable"),
            ));
        }
    }
    if old["kind"] != new["kind"] {
        return Err(ApiError::bad_request("kind cannot be changed"));
    }
    Ok(())
}

/// Store `new` in place of `old` (unless dry run), fire its actions, answer it.
fn commit(
    state: &SimState,
    old: &Value,
    new: Value,
    params: &Params,
    shown: impl Fn(&Value) -> Value,
) -> Result<Response, ApiError> {
    check_identity(old, &new)?;
    if let Some(rv) = new["metadata"]["resourceVersion"].as_str()
        && !rv.is_empty()
        && old["metadata"]["resourceVersion"].as_str() != Some(rv)
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "Conflict",
            "the object has been modified; please apply your changes to the latest version and try again",
        ));
    }
    let kinds = actions(old, &new);
    let pod_spec_changed = old["spec"]["template"]["spec"] != new["spec"]["template"]["spec"];
    let stored = if dry_run(params) {
        state.store().prepare(new, now())
    } else {
        let stored = state.store().upsert(new, now());
        for kind in kinds {
            super::phases::on_action(state, kind);
        }
        if pod_spec_changed {
            super::phases::on_pod_spec_changed(state, &stored);
        }
        (*stored).clone()
    };
    Ok(json_response(StatusCode::OK, &shown(&stored)))
}

pub(crate) fn patch(
    state: &Arc<SimState>,
    target: &Target,
    params: &Params,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Response, ApiError> {
    let name = named(target)?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let patch_body = parse_body(body)?;
    let apply = |doc: &mut Value| -> Result<(), ApiError> {
        if content_type.starts_with("application/json-patch+json") {
            patch::json_patch(doc, &patch_body)
                .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "Invalid", e.0))
        } else if content_type.starts_with("application/merge-patch+json")
            || content_type.starts_with("application/strategic-merge-patch+json")
        {
            patch::merge(doc, &patch_body);
            Ok(())
        } else {
            Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UnsupportedMediaType",
                format!(
                    "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got {content_type:?})"
                ),
            ))
        }
    };
    let old = lookup(state, target, name)?;
    // The patch must not carry a stale resourceVersion check by accident.
    let mut new = (*old).clone();
    match target.subresource.as_deref() {
        Some("scale") => {
            let mut scale = scale_of(&old);
            apply(&mut scale)?;
            set_replicas(&mut new, &scale)?;
        }
        _ => {
            apply(&mut new)?;
            if !patch_body["metadata"]["resourceVersion"].is_string() {
                new["metadata"]["resourceVersion"] = old["metadata"]["resourceVersion"].clone();
            }
        }
    }
    let scale = target.subresource.as_deref() == Some("scale");
    commit(state, &old, new, params, |o| {
        if scale { scale_of(o) } else { o.clone() }
    })
}

pub(crate) fn update(
    state: &Arc<SimState>,
    target: &Target,
    params: &Params,
    body: &Bytes,
) -> Result<Response, ApiError> {
    let name = named(target)?;
    let body = parse_body(body)?;
    let old = lookup(state, target, name)?;
    let scale = target.subresource.as_deref() == Some("scale");
    let new = if scale {
        let mut new = (*old).clone();
        set_replicas(&mut new, &body)?;
        new
    } else {
        let mut new = body;
        if new["metadata"]["resourceVersion"]
            .as_str()
            .is_none_or(str::is_empty)
        {
            new["metadata"]["resourceVersion"] = old["metadata"]["resourceVersion"].clone();
        }
        new
    };
    commit(state, &old, new, params, |o| {
        if scale { scale_of(o) } else { o.clone() }
    })
}

fn set_replicas(object: &mut Value, scale: &Value) -> Result<(), ApiError> {
    let replicas = scale["spec"]["replicas"]
        .as_i64()
        .filter(|r| *r >= 0)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Invalid",
                "spec.replicas: Invalid value: must be a non-negative integer",
            )
        })?;
    object["spec"]["replicas"] = json!(replicas);
    Ok(())
}

/// The autoscaling/v1 Scale of a workload.
pub(crate) fn scale_of(object: &Value) -> Value {
    let meta = &object["metadata"];
    let selector = object["spec"]["selector"]["matchLabels"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default();
    json!({
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {
            "name": meta["name"],
            "namespace": meta["namespace"],
            "uid": meta["uid"],
            "resourceVersion": meta["resourceVersion"],
            "creationTimestamp": meta["creationTimestamp"],
        },
        "spec": { "replicas": object["spec"]["replicas"].as_i64().unwrap_or(1) },
        "status": {
            "replicas": object["status"]["replicas"].as_i64().unwrap_or(0),
            "selector": selector,
        }
    })
}

pub(crate) fn delete(
    state: &Arc<SimState>,
    target: &Target,
    params: &Params,
    body: &Bytes,
) -> Result<Response, ApiError> {
    let name = named(target)?;
    if target.subresource.is_some() {
        return Err(ApiError::method_not_allowed());
    }
    let options: Value = if body.is_empty() {
        Value::Null
    } else {
        parse_body(body)?
    };
    let dry = dry_run(params) || body_dry_run(&options);
    let old = lookup(state, target, name)?;
    if dry {
        return Ok(json_response(StatusCode::OK, &old));
    }
    let gone = state.store().delete(&key_of(target, name));
    if target.resource.kind == "Pod" && gone.is_some() {
        super::phases::on_action(state, ActionKind::DeletePod);
    }
    let shown = gone.map(|g| (*g).clone()).unwrap_or_else(|| (*old).clone());
    Ok(json_response(StatusCode::OK, &shown))
}

fn body_dry_run(options: &Value) -> bool {
    options["dryRun"]
        .as_array()
        .is_some_and(|d| d.iter().any(|v| v == "All"))
}

pub(crate) fn create(
    state: &Arc<SimState>,
    target: &Target,
    params: &Params,
    body: &Bytes,
) -> Result<Response, ApiError> {
    if target.name.is_some() {
        return Err(ApiError::method_not_allowed());
    }
    let r = target.resource;
    let mut object = parse_body(body)?;
    if object["kind"].as_str() != Some(r.kind) {
        return Err(ApiError::bad_request(format!(
            "the body must be a {} object",
            r.kind
        )));
    }
    let Some(name) = object["metadata"]["name"].as_str().map(str::to_string) else {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Invalid",
            "metadata.name: Required value: name is required",
        ));
    };
    if r.namespaced {
        let Some(ns) = &target.namespace else {
            return Err(ApiError::method_not_allowed());
        };
        match object["metadata"]["namespace"].as_str() {
            None => object["metadata"]["namespace"] = json!(ns),
            Some(given) if given == ns => {}
            Some(_) => {
                return Err(ApiError::bad_request(
                    "the namespace of the provided object does not match the namespace sent on the request",
                ));
            }
        }
    }
    object["metadata"]
        .as_object_mut()
        .map(|m| m.remove("resourceVersion"));
    let key = key_of(target, &name);
    let mut store = state.store();
    if store.get(&key).is_some() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "AlreadyExists",
            format!("{} \"{name}\" already exists", r.plural),
        ));
    }
    let stored = if dry_run(params) {
        store.prepare(object, now())
    } else {
        (*store.upsert(object, now())).clone()
    };
    Ok(json_response(StatusCode::CREATED, &stored))
}

/// `POST pods/{name}/eviction`: a delete that respects disruption budgets.
pub(crate) fn evict(
    state: &Arc<SimState>,
    target: &Target,
    params: &Params,
    body: &Bytes,
) -> Result<Response, ApiError> {
    let name = named(target)?;
    let eviction: Value = if body.is_empty() {
        Value::Null
    } else {
        parse_body(body)?
    };
    let dry = dry_run(params) || body_dry_run(&eviction["deleteOptions"]);
    let namespace = target.namespace.as_deref().unwrap_or_default();
    let key = key_of(target, name);
    let mut store = state.store();
    let Some(pod) = store.get(&key) else {
        return Err(ApiError::not_found("", "pods", name));
    };
    if is_healthy(&pod) {
        let pods: Vec<Arc<Value>> = store.range("Pod", Some(namespace), None).cloned().collect();
        for pdb in store.range("PodDisruptionBudget", Some(namespace), None) {
            let selector = LabelSelector::from_match_labels(&pdb["spec"]["selector"]);
            if selector.is_empty() || !selector.matches(&pod) {
                continue;
            }
            let matching: Vec<&Arc<Value>> = pods.iter().filter(|p| selector.matches(p)).collect();
            if let Some(message) = budget_violation(pdb, &matching) {
                return Err(ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "TooManyRequests",
                    "Cannot evict pod as it would violate the pod's disruption budget.",
                )
                .with_details(json!({
                    "causes": [ { "reason": "DisruptionBudget", "message": message } ]
                })));
            }
        }
    }
    if !dry {
        store.delete(&key);
        drop(store);
        super::phases::on_action(state, ActionKind::Drain);
    }
    Ok(json_response(
        StatusCode::CREATED,
        &status_body(201, "", "", None),
    ))
}

fn is_healthy(pod: &Value) -> bool {
    pod["metadata"]["deletionTimestamp"].is_null()
        && pod["status"]["conditions"].as_array().is_some_and(|cs| {
            cs.iter()
                .any(|c| c["type"] == "Ready" && c["status"] == "True")
        })
}

/// `Some(cause)` when one more healthy pod gone would break the budget.
fn budget_violation(pdb: &Value, pods: &[&Arc<Value>]) -> Option<String> {
    let expected = pods.len() as i64;
    let healthy = pods.iter().filter(|p| is_healthy(p)).count() as i64;
    let name = pdb["metadata"]["name"].as_str().unwrap_or_default();
    let desired = if let Some(min) = pdb["spec"].get("minAvailable") {
        resolve(min, expected, true)
    } else if let Some(max) = pdb["spec"].get("maxUnavailable") {
        (expected - resolve(max, expected, false)).max(0)
    } else {
        return None;
    };
    (healthy - 1 < desired).then(|| {
        format!(
            "The disruption budget {name} needs {desired} healthy pods and has {healthy} currently"
        )
    })
}

/// An int-or-percent against `total` (percentages round up for
/// minAvailable and down for maxUnavailable, as the disruption controller does).
fn resolve(value: &Value, total: i64, round_up: bool) -> i64 {
    if let Some(n) = value.as_i64() {
        return n;
    }
    let Some(percent) = value
        .as_str()
        .and_then(|s| s.strip_suffix('%'))
        .and_then(|p| p.parse::<i64>().ok())
    else {
        return 0;
    };
    let scaled = total * percent;
    if round_up {
        (scaled + 99) / 100
    } else {
        scaled / 100
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(ready: bool) -> Arc<Value> {
        Arc::new(json!({
            "metadata": { "name": "p" },
            "status": { "conditions": [ { "type": "Ready", "status": if ready { "True" } else { "False" } } ] }
        }))
    }

    #[test]
    fn min_available_blocks_the_last_healthy_pods() {
        let pods = [pod(true), pod(true), pod(false)];
        let refs: Vec<&Arc<Value>> = pods.iter().collect();
        let pdb = json!({ "metadata": { "name": "web" }, "spec": { "minAvailable": 2 } });
        let cause = budget_violation(&pdb, &refs).unwrap();
        assert_eq!(
            cause,
            "The disruption budget web needs 2 healthy pods and has 2 currently"
        );
        let pdb = json!({ "metadata": { "name": "web" }, "spec": { "minAvailable": 1 } });
        assert!(budget_violation(&pdb, &refs).is_none());
    }

    #[test]
    fn max_unavailable_and_percentages() {
        let pods = [pod(true), pod(true), pod(true), pod(true)];
        let refs: Vec<&Arc<Value>> = pods.iter().collect();
        let pdb = json!({ "metadata": { "name": "w" }, "spec": { "maxUnavailable": 0 } });
        assert!(budget_violation(&pdb, &refs).is_some());
        let pdb = json!({ "metadata": { "name": "w" }, "spec": { "maxUnavailable": "25%" } });
        assert!(budget_violation(&pdb, &refs).is_none());
        let pdb = json!({ "metadata": { "name": "w" }, "spec": { "minAvailable": "100%" } });
        assert!(budget_violation(&pdb, &refs).is_some());
    }

    #[test]
    fn actions_are_read_from_the_change() {
        let node = json!({ "kind": "Node", "spec": {} });
        let cordoned = json!({ "kind": "Node", "spec": { "unschedulable": true } });
        assert_eq!(actions(&node, &cordoned), [ActionKind::Cordon]);
        assert_eq!(actions(&cordoned, &node), [ActionKind::Uncordon]);
        let d = json!({ "kind": "Deployment", "spec": { "replicas": 3, "template": { "metadata": {} } } });
        let mut restarted = d.clone();
        restarted["spec"]["template"]["metadata"]["annotations"] = json!({ RESTARTED_AT: "now" });
        assert_eq!(actions(&d, &restarted), [ActionKind::RolloutRestart]);
        let mut scaled = d.clone();
        scaled["spec"]["replicas"] = json!(5);
        assert_eq!(actions(&d, &scaled), [ActionKind::Scale]);
        assert!(actions(&d, &d).is_empty());
    }
}
