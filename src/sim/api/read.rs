//! GET of one object or a list, as JSON or as a `kubectl get` Table.

use std::sync::Arc;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{Value, json};

use super::events_v1;
use super::resources::Resource;
use super::status::{ApiError, json_response};
use super::table;
use super::{Params, SimState, Target};
use crate::sim::cluster::Key;
use crate::sim::cluster::selectors::{FieldSelector, LabelSelector};

/// The filters of a list or watch request.
pub(crate) struct Filter {
    pub labels: LabelSelector,
    pub fields: FieldSelector,
}

impl Filter {
    pub fn from_params(params: &Params) -> Result<Filter, ApiError> {
        let labels = LabelSelector::parse(params.get("labelSelector").map_or("", String::as_str))
            .map_err(|e| ApiError::bad_request(e.to_string()))?;
        let fields = FieldSelector::parse(params.get("fieldSelector").map_or("", String::as_str))
            .map_err(|e| ApiError::bad_request(e.to_string()))?;
        Ok(Filter { labels, fields })
    }

    pub fn matches(&self, object: &Value) -> bool {
        self.labels.matches(object) && self.fields.matches(object)
    }
}

/// An object as the requested API version shows it.
pub(crate) fn present(resource: &Resource, object: &Value) -> Value {
    if resource.group == "events.k8s.io" {
        events_v1::from_core(object)
    } else if super::hpa_v1::is_v1(resource) {
        super::hpa_v1::from_v2(object)
    } else {
        object.clone()
    }
}

pub(crate) fn serve(
    state: &Arc<SimState>,
    target: &Target,
    params: &Params,
    table: bool,
    metadata_only: bool,
) -> Result<Response, ApiError> {
    match (&target.name, target.subresource.as_deref()) {
        (Some(name), None) => get(state, target, name, table),
        (Some(name), Some("scale")) => {
            let object = lookup(state, target, name)?;
            Ok(json_response(
                StatusCode::OK,
                &super::write::scale_of(&object),
            ))
        }
        (Some(name), Some(_)) => get(state, target, name, false),
        (None, _) => list(state, target, params, table, metadata_only),
    }
}

pub(crate) fn lookup(
    state: &SimState,
    target: &Target,
    name: &str,
) -> Result<Arc<Value>, ApiError> {
    let r = target.resource;
    let key = Key::new(r.kind, target.namespace.as_deref().unwrap_or(""), name);
    state
        .cluster()
        .store
        .get(&key)
        .ok_or_else(|| ApiError::not_found(r.group, r.plural, name))
}

fn get(state: &SimState, target: &Target, name: &str, table: bool) -> Result<Response, ApiError> {
    let object = lookup(state, target, name)?;
    let object = present(target.resource, &object);
    if table {
        let rv = object["metadata"]["resourceVersion"].as_str().unwrap_or("");
        let t = table::table(
            target.resource,
            std::slice::from_ref(&object),
            rv,
            None,
            state.cluster().now(),
        );
        return Ok(json_response(StatusCode::OK, &t));
    }
    Ok(json_response(StatusCode::OK, &object))
}

fn list(
    state: &SimState,
    target: &Target,
    params: &Params,
    table: bool,
    metadata_only: bool,
) -> Result<Response, ApiError> {
    let r = target.resource;
    let filter = Filter::from_params(params)?;
    let limit = match params.get("limit").map(|l| l.parse::<usize>()) {
        None | Some(Ok(0)) => usize::MAX,
        Some(Ok(n)) => n,
        Some(Err(_)) => return Err(ApiError::bad_request("limit must be a number")),
    };
    let cluster = state.cluster();
    let store = &cluster.store;
    let now = cluster.now();
    let position = match params.get("continue").filter(|c| !c.is_empty()) {
        Some(token) => {
            let (rv, ns, name) = decode_continue(token)?;
            if rv < store.compacted() {
                return Err(ApiError::gone(
                    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.",
                ));
            }
            Some((ns, name))
        }
        None => None,
    };
    let ns = target.namespace.as_deref();
    let mut items: Vec<Arc<Value>> = Vec::new();
    // Whether anything matches past this page. Counting all of it (for
    // remainingItemCount, which is optional) would make every page of a
    // 100,000-pod list cost as much as the whole list.
    let mut more = false;
    let mut last: Option<Key> = None;
    let after = position
        .as_ref()
        .map(|(ns, name)| (ns.as_str(), name.as_str()));
    for object in store.range(r.kind, ns, after) {
        if !filter.matches(object) {
            continue;
        }
        if items.len() < limit {
            items.push(object.clone());
            last = Some(Key::of(object));
        } else {
            more = true;
            break;
        }
    }
    let rv = store.resource_version();
    drop(cluster);

    let mut metadata = json!({ "resourceVersion": rv.to_string() });
    if more && let Some(last) = last {
        metadata["continue"] = json!(encode_continue(rv, &last.namespace, &last.name));
    }
    if table {
        let objects: Vec<Value> = items.iter().map(|o| present(r, o)).collect();
        let t = table::table(r, &objects, &rv.to_string(), metadata.get("continue"), now);
        return Ok(json_response(StatusCode::OK, &t));
    }
    // Written item by item: a scale list is large, and cloning it into one
    // Value first would double its memory.
    let mut out = Vec::with_capacity(items.len() * 1024 + 256);
    let (list_kind, api_version) = if metadata_only {
        (
            "PartialObjectMetadataList".to_string(),
            "meta.k8s.io/v1".to_string(),
        )
    } else {
        (format!("{}List", r.kind), r.api_version())
    };
    out.extend_from_slice(
        format!(
            "{{\"kind\":\"{list_kind}\",\"apiVersion\":\"{api_version}\",\"metadata\":{metadata},\"items\":["
        )
        .as_bytes(),
    );
    for (i, object) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let written = if metadata_only {
            // Only the metadata: a node's pods are counted, not read.
            serde_json::to_writer(
                &mut out,
                &json!({
                    "apiVersion": "meta.k8s.io/v1",
                    "kind": "PartialObjectMetadata",
                    "metadata": object["metadata"],
                }),
            )
        } else if r.group == "events.k8s.io" || super::hpa_v1::is_v1(r) {
            serde_json::to_writer(&mut out, &present(r, object))
        } else {
            serde_json::to_writer(&mut out, object.as_ref())
        };
        if let Err(err) = written {
            return Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalError",
                err.to_string(),
            ));
        }
    }
    out.extend_from_slice(b"]}");
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        out,
    )
        .into_response())
}

fn encode_continue(rv: u64, namespace: &str, name: &str) -> String {
    let token = json!({ "rv": rv, "ns": namespace, "name": name }).to_string();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(token)
}

fn decode_continue(token: &str) -> Result<(u64, String, String), ApiError> {
    let bad = || ApiError::bad_request("invalid continue token");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .map_err(|_| bad())?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    let rv = value["rv"].as_u64().ok_or_else(bad)?;
    let ns = value["ns"].as_str().ok_or_else(bad)?.to_string();
    let name = value["name"].as_str().ok_or_else(bad)?.to_string();
    Ok((rv, ns, name))
}
