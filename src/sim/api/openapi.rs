//! The OpenAPI documents kubectl reads before it writes and when it
//! explains: `/openapi/v3` (a root naming one document per group-version)
//! and `/openapi/v2`.
//!
//! Each v3 document declares, for every served kind, the PATCH operation
//! with its `fieldValidation` parameter and the kind's
//! `x-kubernetes-group-version-kind`. That is what kubectl 1.27+ looks for
//! to leave validation to the server (as with any real API server of those
//! versions), so `kubectl apply`, `create` and `edit` work without
//! `--validate=false`; the server then checks the fields itself
//! (`api::strict`). Its `components.schemas` are the real API server's
//! (v1.37.2) for the kinds of that group-version and every type they
//! reach, so `kubectl explain` prints what it prints against a cluster and
//! strategic merge patches take their merge keys from the same schemas.
//! `openapi_schemas.json` holds them, one type a line; to refresh it
//! (after a Kubernetes upgrade or a new served kind), start
//! `tests/controlplane/up DIR`, save `kubectl get --raw
//! /openapi/v3/<group-version>` of each served group-version and keep the
//! `components.schemas` entries reachable from the served kinds.

use std::sync::LazyLock;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::resources::{RESOURCES, Resource};

// As kube-apiserver v1.37.2 writes it (major.minor only).
const INFO: &str = "1.37";

fn served(r: &Resource) -> bool {
    r.group != super::metrics::GROUP
}

/// `api/v1` or `apis/GROUP/VERSION`.
fn gv_path(group: &str, version: &str) -> String {
    if group.is_empty() {
        format!("api/{version}")
    } else {
        format!("apis/{group}/{version}")
    }
}

fn group_versions() -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for r in RESOURCES.iter().filter(|r| served(r)) {
        if !out.contains(&(r.group, r.version)) {
            out.push((r.group, r.version));
        }
    }
    out
}

/// The operations of one group-version's objects, keyed by path.
fn paths(group: &str, version: &str) -> serde_json::Map<String, Value> {
    let mut paths = serde_json::Map::new();
    for r in RESOURCES
        .iter()
        .filter(|r| served(r) && r.group == group && r.version == version)
    {
        let gvk = json!({ "group": r.group, "version": r.version, "kind": r.kind });
        let base = format!("/{}", gv_path(group, version));
        let collection = if r.namespaced {
            format!("{base}/namespaces/{{namespace}}/{}", r.plural)
        } else {
            format!("{base}/{}", r.plural)
        };
        let operation = |verb: &str| {
            json!({
                "operationId": format!("{verb}{}", r.kind),
                "x-kubernetes-action": verb,
                "x-kubernetes-group-version-kind": gvk,
                "parameters": [
                    { "name": "dryRun", "in": "query", "schema": { "type": "string" } },
                    { "name": "fieldManager", "in": "query", "schema": { "type": "string" } },
                    { "name": "fieldValidation", "in": "query", "schema": { "type": "string" } }
                ],
                "responses": { "200": { "description": "OK" } }
            })
        };
        paths.insert(
            format!("{collection}/{{name}}"),
            json!({ "patch": operation("patch"), "put": operation("put") }),
        );
        paths.insert(collection, json!({ "post": operation("post") }));
    }
    paths
}

/// The real API server's schemas of the served kinds, by name.
static SCHEMAS: LazyLock<Map<String, Value>> = LazyLock::new(|| {
    serde_json::from_str(include_str!("openapi_schemas.json")).unwrap_or_else(|e| {
        tracing::error!("the embedded OpenAPI schemas do not parse: {e}");
        Map::new()
    })
});

/// Each group-version's v3 document with its hash, made once.
static V3: LazyLock<Vec<(String, Value, String)>> = LazyLock::new(|| {
    group_versions()
        .into_iter()
        .map(|(group, version)| {
            let doc = v3_document(group, version);
            let hash = hash(&doc);
            (gv_path(group, version), doc, hash)
        })
        .collect()
});

/// `/openapi/v3`: where each group-version's document is.
pub fn v3_root() -> Value {
    let mut paths = serde_json::Map::new();
    for (path, _, hash) in V3.iter() {
        paths.insert(
            path.clone(),
            json!({ "serverRelativeURL": format!("/openapi/v3/{path}?hash={hash}") }),
        );
    }
    json!({ "paths": paths })
}

/// `/openapi/v3/api/v1`, `/openapi/v3/apis/apps/v1`, ...
pub fn v3_for(path: &str) -> Option<Value> {
    V3.iter()
        .find(|(p, _, _)| p == path)
        .map(|(_, doc, _)| doc.clone())
}

fn v3_document(group: &str, version: &str) -> Value {
    json!({
        "openapi": "3.0.0",
        "info": { "title": "Kubernetes", "version": INFO },
        "paths": paths(group, version),
        "components": { "schemas": schemas(group, version) }
    })
}

/// The schemas of the group-version's served kinds and of every type
/// they reach through `$ref`.
fn schemas(group: &str, version: &str) -> Map<String, Value> {
    let kinds: Vec<&str> = RESOURCES
        .iter()
        .filter(|r| served(r) && r.group == group && r.version == version)
        .map(|r| r.kind)
        .collect();
    let mut wanted: Vec<String> = SCHEMAS
        .iter()
        .filter(
            |(_, s)| match s["x-kubernetes-group-version-kind"].as_array() {
                Some(gvks) if gvks.len() == 1 => {
                    let gvk = &gvks[0];
                    gvk["group"] == group
                        && gvk["version"] == version
                        && gvk["kind"].as_str().is_some_and(|k| kinds.contains(&k))
                }
                _ => false,
            },
        )
        .map(|(name, _)| name.clone())
        .collect();
    let mut out = Map::new();
    while let Some(name) = wanted.pop() {
        if out.contains_key(&name) {
            continue;
        }
        let Some(schema) = SCHEMAS.get(&name) else {
            continue;
        };
        refs(schema, &mut wanted);
        out.insert(name, schema.clone());
    }
    out
}

/// The schema names `value` refers to (`#/components/schemas/NAME`).
fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v.as_str()) {
                    ("$ref", Some(target)) => {
                        if let Some(name) = target.rsplit('/').next() {
                            out.push(name.to_string());
                        }
                    }
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

/// `/openapi/v2`: every operation, no definitions (client-side
/// validation finds no schema and leaves the object to the server).
pub fn v2() -> Value {
    let mut all = serde_json::Map::new();
    for (group, version) in group_versions() {
        all.extend(paths(group, version));
    }
    json!({
        "swagger": "2.0",
        "info": { "title": "Kubernetes", "version": INFO },
        "paths": all,
        "definitions": {}
    })
}

fn hash(doc: &Value) -> String {
    let digest = Sha256::digest(doc.to_string());
    digest.iter().take(16).map(|b| format!("{b:02X}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_declares_field_validation_on_patch() {
        let root = v3_root();
        let apps = root["paths"]["apis/apps/v1"]["serverRelativeURL"]
            .as_str()
            .unwrap();
        assert!(apps.starts_with("/openapi/v3/apis/apps/v1?hash="));
        let doc = v3_for("apis/apps/v1").unwrap();
        let patch =
            &doc["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]["patch"];
        assert_eq!(
            patch["x-kubernetes-group-version-kind"]["kind"],
            "Deployment"
        );
        assert!(
            patch["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["name"] == "fieldValidation" && p["in"] == "query")
        );
        assert!(v3_for("api/v1").unwrap()["paths"]["/api/v1/nodes/{name}"].is_object());
        assert!(v3_for("apis/metrics.k8s.io/v1beta1").is_none());
        assert_eq!(v2()["swagger"], "2.0");
    }

    #[test]
    fn documents_carry_the_schemas_their_kinds_reach() {
        let apps = v3_for("apis/apps/v1").unwrap();
        let schemas = apps["components"]["schemas"].as_object().unwrap();
        let deployment = &schemas["io.k8s.api.apps.v1.Deployment"];
        assert_eq!(
            deployment["x-kubernetes-group-version-kind"][0]["kind"],
            "Deployment"
        );
        assert!(
            schemas.contains_key("io.k8s.api.core.v1.PodSpec"),
            "reached through the template"
        );
        assert!(!schemas.contains_key("io.k8s.api.batch.v1.Job"));
        let core = v3_for("api/v1").unwrap();
        let replicas = &schemas["io.k8s.api.apps.v1.DeploymentSpec"]["properties"]["replicas"];
        assert_eq!(replicas["type"], "integer");
        assert!(
            core["components"]["schemas"]["io.k8s.api.core.v1.ResourceRequirements"].is_object()
        );
    }

    #[test]
    fn refs_are_found_at_any_depth() {
        let mut out = Vec::new();
        refs(
            &json!({ "a": { "allOf": [ { "$ref": "#/components/schemas/x.Y" } ] }, "b": [ { "$ref": "#/components/schemas/z.W" } ] }),
            &mut out,
        );
        out.sort();
        assert_eq!(out, ["x.Y", "z.W"]);
    }
}
