//! Write requests: decode, patch, and hand to the cluster's write rules
//! (`cluster::writes`); then the controllers answer at once. Every write
//! honours `dryRun=All`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

use super::patch::{self, PatchKind};
use super::status::{ApiError, json_response, status_body};
use super::validation::{self, Refusal};
use super::{Params, SimState, Target, dry_run};
use crate::sim::cluster::writes::{self, DeleteOptions, WriteError};
use crate::sim::cluster::{Cluster, Key};

/// The body as JSON: a JSON body, or a protobuf one (kubectl's for the
/// built-in kinds) decoded into the object a JSON body would carry. `into`
/// is the `(apiVersion, kind)` the request takes.
fn parse_body(body: &Bytes, into: (&str, &str)) -> Result<Value, ApiError> {
    if super::protobuf::is_protobuf(body) {
        return super::protobuf::decode(body, into);
    }
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("the request body is not valid JSON: {e}")))
}

/// What a write to `target` is decoded as when its body does not say.
fn body_kind(target: &Target) -> (String, &'static str) {
    match target.subresource.as_deref() {
        Some("scale") => ("autoscaling/v1".into(), "Scale"),
        _ => (target.resource.api_version(), target.resource.kind),
    }
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

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "Invalid", message)
}

/// The API error a refused write answers.
fn refused(err: WriteError, target: &Target, name: &str) -> ApiError {
    let r = target.resource;
    match err {
        WriteError::NotFound => ApiError::not_found(r.group, r.plural, name),
        WriteError::AlreadyExists => ApiError::new(
            StatusCode::CONFLICT,
            "AlreadyExists",
            format!("{} \"{name}\" already exists", r.plural),
        ),
        WriteError::Conflict(m) => ApiError::new(StatusCode::CONFLICT, "Conflict", m),
        WriteError::Invalid(m) => invalid(m),
        WriteError::Immutable(fields) => {
            let message = crate::sim::cluster::immutable::summary(&fields);
            let qualified = if r.group.is_empty() {
                r.kind.to_string()
            } else {
                format!("{}.{}", r.kind, r.group)
            };
            let causes: Vec<Value> = fields
                .iter()
                .map(|f| json!({ "reason": f.reason, "message": f.message, "field": f.field }))
                .collect();
            let mut details =
                json!({ "name": name, "group": r.group, "kind": r.kind, "causes": causes });
            if r.group.is_empty() {
                details.as_object_mut().map(|d| d.remove("group"));
            }
            invalid(format!("{qualified} \"{name}\" is invalid: {message}")).with_details(details)
        }
        WriteError::BadRequest(m) => ApiError::bad_request(m),
        WriteError::Budget(cause) => ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "TooManyRequests",
            "Cannot evict pod as it would violate the pod's disruption budget.",
        )
        .with_details(json!({ "causes": [ { "reason": "DisruptionBudget", "message": cause } ] })),
    }
}

fn lookup(cluster: &Cluster, target: &Target, name: &str) -> Result<Arc<Value>, ApiError> {
    cluster
        .store
        .get(&key_of(target, name))
        .ok_or_else(|| ApiError::not_found(target.resource.group, target.resource.plural, name))
}

/// `fieldValidation=Strict` (kubectl's default): fields the kind does not
/// have are refused, as the API server's strict decoding refuses them.
fn validate(params: &Params, object: &Value) -> Result<(), ApiError> {
    if params.get("fieldValidation").map(String::as_str) != Some("Strict") {
        return Ok(());
    }
    match super::strict::problems(object) {
        Some(problem) => Err(ApiError::bad_request(problem)),
        None => Ok(()),
    }
}

/// Refuses what the API server would not store (`validation`): a value
/// the kind's type cannot hold is 400 in a body it decodes and 422 in a
/// patch's result (it answers `patch: Invalid value`); a broken rule is
/// 422 Invalid. Nothing refused reaches the store or a controller.
fn admit(target: &Target, object: &mut Value, patched: bool) -> Result<(), ApiError> {
    let r = target.resource;
    // A body without them is meant as the URL's kind (as the API server defaults them).
    if object.is_object() {
        if object.get("apiVersion").is_none_or(Value::is_null) {
            object["apiVersion"] = json!(r.api_version());
        }
        if object.get("kind").is_none_or(Value::is_null) {
            object["kind"] = json!(r.kind);
        }
    }
    let qualified = if r.group.is_empty() {
        r.kind.to_string()
    } else {
        format!("{}.{}", r.kind, r.group)
    };
    let name = object["metadata"]["name"]
        .as_str()
        .or(target.name.as_deref())
        .unwrap_or_default()
        .chars()
        .take(253)
        .collect::<String>();
    let refused = if !object.is_object() {
        Err(Refusal::Decode(format!(
            "the object is a JSON {}, not a {}",
            json_type(object),
            r.kind
        )))
    } else if !object["metadata"].is_object() {
        Err(Refusal::Decode(format!(
            "metadata: the object's metadata is a JSON {}",
            json_type(&object["metadata"])
        )))
    } else if object["kind"] != r.kind || object["apiVersion"] != r.api_version().as_str() {
        Err(Refusal::Decode(format!(
            "the object is a {} {}, not a {} {}",
            object["apiVersion"],
            object["kind"],
            r.api_version(),
            r.kind
        )))
    } else {
        validation::check(object)
    };
    match refused {
        Ok(()) => Ok(()),
        Err(Refusal::Decode(e)) if patched => Err(invalid(format!(
            "{qualified} \"{name}\" is invalid: patch: Invalid value: {e}"
        ))),
        Err(Refusal::Decode(e)) => Err(ApiError::bad_request(format!(
            "{kind} in version \"{version}\" cannot be handled as a {kind}: {e}",
            kind = r.kind,
            version = r.version
        ))),
        Err(Refusal::Invalid(m)) => {
            // Several causes are one per line; the server lists them in brackets.
            let causes: Vec<&str> = m.lines().collect();
            let listed = if causes.len() > 1 {
                format!("[{}]", causes.join(", "))
            } else {
                m.clone()
            };
            Err(
                invalid(format!("{qualified} \"{name}\" is invalid: {listed}"))
                    .with_details(invalid_details(r, &name, &causes)),
            )
        }
    }
}

/// The Status details kubectl reads to print `The Kind "name" is invalid:
/// field: message` (as the real server sends them with every 422).
fn invalid_details(r: &super::resources::Resource, name: &str, messages: &[&str]) -> Value {
    let causes: Vec<Value> = messages
        .iter()
        .map(|message| {
            let (field, what) = message.split_once(": ").unwrap_or(("", message));
            let reason = if what.starts_with("Unsupported value") {
                "FieldValueNotSupported"
            } else if what.starts_with("Required value") {
                "FieldValueRequired"
            } else {
                "FieldValueInvalid"
            };
            json!({ "reason": reason, "message": what, "field": field })
        })
        .collect();
    let mut details = json!({
        "name": name,
        "group": r.group,
        "kind": r.kind,
        "causes": causes,
    });
    if r.group.is_empty() {
        details.as_object_mut().map(|d| d.remove("group"));
    }
    details
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// After a real write the controllers answer before the next request.
fn settle(cluster: &mut Cluster, dry: bool) {
    if !dry {
        cluster.touch();
        cluster.settle();
    }
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
    let Some(kind) = PatchKind::from_content_type(content_type) else {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaType",
            format!(
                "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got {content_type:?})"
            ),
        ));
    };
    let patch_body = patch::parse_body(kind, body).map_err(|e| ApiError::bad_request(e.0))?;
    let dry = dry_run(params);
    let scale = target.subresource.as_deref() == Some("scale");
    let mut cluster = state.cluster();
    if kind == PatchKind::Apply {
        return server_side_apply(&mut cluster, target, params, name, patch_body, dry);
    }
    let old = lookup(&cluster, target, name)?;
    let mut new = (*old).clone();
    // kube-apiserver answers any JSON patch that does not apply with
    // `NewGenericServerResponse(422)`: the generic message, not the cause.
    if kind == PatchKind::Json {
        patch::json_ops(&patch_body).map_err(|e| ApiError::bad_request(e.0))?;
    }
    let fail = |e: patch::PatchError| {
        if kind == PatchKind::Json {
            invalid("the server rejected our request due to an error in our request")
        } else {
            invalid(e.0)
        }
    };
    if scale {
        let mut scale = scale_of(&old);
        patch::patch(kind, &mut scale, &patch_body).map_err(fail)?;
        set_replicas(&mut new, &scale)?;
        admit(target, &mut new, true)?;
    } else {
        patch::patch(kind, &mut new, &patch_body).map_err(fail)?;
        admit(target, &mut new, true)?;
        validate(params, &new)?;
        // A patch checks the resourceVersion only when it names one.
        if !patch_body["metadata"]["resourceVersion"].is_string() {
            new["metadata"]["resourceVersion"] = old["metadata"]["resourceVersion"].clone();
        }
    }
    let stored =
        writes::update(&mut cluster, &old, new, dry).map_err(|e| refused(e, target, name))?;
    settle(&mut cluster, dry);
    Ok(json_response(
        StatusCode::OK,
        &if scale { scale_of(&stored) } else { stored },
    ))
}

fn server_side_apply(
    cluster: &mut Cluster,
    target: &Target,
    params: &Params,
    name: &str,
    applied: Value,
    dry: bool,
) -> Result<Response, ApiError> {
    let Some(manager) = params.get("fieldManager").filter(|m| !m.is_empty()) else {
        return Err(ApiError::bad_request(
            "PATCH requests with apply content type require fieldManager",
        ));
    };
    if applied["metadata"]["name"]
        .as_str()
        .is_some_and(|n| n != name)
    {
        return Err(ApiError::bad_request(
            "the name of the object does not match the name on the URL",
        ));
    }
    let key = key_of(target, name);
    let memory = format!("{}/{}/{}/{manager}", key.kind, key.namespace, key.name);
    let Some(old) = cluster.store.get(&key) else {
        let mut object = applied.clone();
        object["metadata"]["name"] = json!(name);
        if let Some(ns) = &target.namespace {
            object["metadata"]["namespace"] = json!(ns);
        }
        admit(target, &mut object, true)?;
        validate(params, &object)?;
        let created = writes::create(cluster, object, dry).map_err(|e| refused(e, target, name))?;
        if !dry {
            cluster.applied.insert(memory, applied);
        }
        settle(cluster, dry);
        return Ok(json_response(StatusCode::CREATED, &created));
    };
    let previous = cluster.applied.get(&memory).cloned();
    // kubectl's own manager takes over what its client-side apply set
    // (kubectl migrates those fields before it applies: csaupgrade).
    if params.get("force").map(String::as_str) != Some("true")
        && manager.as_str() != "kubectl"
        && let Some(conflict) = patch::conflicts::check(&old, &applied, previous.as_ref())
    {
        return Err(conflict);
    }
    let mut new = (*old).clone();
    let merged = patch::apply::patch_for(previous.as_ref(), &applied);
    patch::patch(PatchKind::Apply, &mut new, &merged).map_err(|e| invalid(e.0))?;
    admit(target, &mut new, true)?;
    validate(params, &new)?;
    new["metadata"]["resourceVersion"] = old["metadata"]["resourceVersion"].clone();
    let stored = writes::update(cluster, &old, new, dry).map_err(|e| refused(e, target, name))?;
    if !dry {
        cluster.applied.insert(memory, applied);
    }
    settle(cluster, dry);
    Ok(json_response(StatusCode::OK, &stored))
}

pub(crate) fn update(
    state: &Arc<SimState>,
    target: &Target,
    params: &Params,
    body: &Bytes,
) -> Result<Response, ApiError> {
    let name = named(target)?;
    let (version, kind) = body_kind(target);
    let body = parse_body(body, (&version, kind))?;
    let dry = dry_run(params);
    let mut cluster = state.cluster();
    let old = lookup(&cluster, target, name)?;
    let scale = target.subresource.as_deref() == Some("scale");
    let new = if scale {
        let mut new = (*old).clone();
        set_replicas(&mut new, &body)?;
        admit(target, &mut new, true)?;
        new
    } else {
        let mut body = body;
        admit(target, &mut body, false)?;
        validate(params, &body)?;
        body
    };
    let stored =
        writes::update(&mut cluster, &old, new, dry).map_err(|e| refused(e, target, name))?;
    settle(&mut cluster, dry);
    Ok(json_response(
        StatusCode::OK,
        &if scale { scale_of(&stored) } else { stored },
    ))
}

fn set_replicas(object: &mut Value, scale: &Value) -> Result<(), ApiError> {
    // The Scale's replicas are an int32, as the workload's.
    let replicas = scale["spec"]["replicas"]
        .as_i64()
        .filter(|r| (0..=i64::from(i32::MAX)).contains(r))
        .ok_or_else(|| {
            invalid(format!(
                "spec.replicas: Invalid value: {}: must be an integer from 0 to {}",
                scale["spec"]["replicas"],
                i32::MAX
            ))
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
        parse_body(body, (&target.resource.api_version(), "DeleteOptions"))?
    };
    let dry = dry_run(params) || body_dry_run(&options);
    let propagation = options["propagationPolicy"]
        .as_str()
        .map(str::to_string)
        .or_else(|| params.get("propagationPolicy").cloned());
    let grace_seconds = options["gracePeriodSeconds"].as_i64().or_else(|| {
        params
            .get("gracePeriodSeconds")
            .and_then(|g| g.parse().ok())
    });
    let mut cluster = state.cluster();
    let gone = writes::delete(
        &mut cluster,
        &key_of(target, name),
        &DeleteOptions {
            propagation,
            grace_seconds,
        },
        dry,
    )
    .map_err(|e| refused(e, target, name))?;
    settle(&mut cluster, dry);
    Ok(json_response(StatusCode::OK, &gone))
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
    let (version, kind) = body_kind(target);
    let mut object = parse_body(body, (&version, kind))?;
    if object["kind"].as_str() != Some(r.kind) || !object["metadata"].is_object() {
        return Err(ApiError::bad_request(format!(
            "the body must be a {} object",
            r.kind
        )));
    }
    let name = match object["metadata"]["name"].as_str() {
        Some(n) if !n.is_empty() => n.to_string(),
        _ => match object["metadata"]["generateName"].as_str() {
            Some(prefix) if !prefix.is_empty() => {
                let name = format!("{prefix}{}", state.cluster().suffix(5));
                object["metadata"]["name"] = json!(name);
                name
            }
            _ => {
                return Err(invalid(
                    "metadata.name: Required value: name or generateName is required",
                ));
            }
        },
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
    admit(target, &mut object, false)?;
    validate(params, &object)?;
    let dry = dry_run(params);
    let mut cluster = state.cluster();
    let stored =
        writes::create(&mut cluster, object, dry).map_err(|e| refused(e, target, &name))?;
    settle(&mut cluster, dry);
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
        parse_body(body, ("policy/v1", "Eviction"))?
    };
    let dry = dry_run(params) || body_dry_run(&eviction["deleteOptions"]);
    let mut cluster = state.cluster();
    writes::evict(&mut cluster, &key_of(target, name), dry)
        .map_err(|e| refused(e, target, name))?;
    settle(&mut cluster, dry);
    Ok(json_response(
        StatusCode::CREATED,
        &status_body(201, "", "", None),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_protobuf_body_decodes_as_json_would_and_json_parses() {
        let into = ("v1", "Service");
        // kubectl's envelope with a Service holding only its name.
        let proto =
            Bytes::from_static(b"k8s\0\n\x0d\n\x02v1\x12\x07Service\x12\x07\n\x05\n\x03web");
        let object = parse_body(&proto, into).expect("protobuf decodes");
        assert_eq!(object["kind"], "Service");
        assert_eq!(object["apiVersion"], "v1");
        assert_eq!(object["metadata"]["name"], "web");
        let bad = parse_body(&Bytes::from_static(b"{nope"), into).expect_err("bad JSON");
        assert_eq!(bad.code, StatusCode::BAD_REQUEST);
        assert!(parse_body(&Bytes::from_static(b"{\"kind\":\"Service\"}"), into).is_ok());
    }
}
