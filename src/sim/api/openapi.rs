//! The OpenAPI documents kubectl reads before it writes: `/openapi/v3`
//! (a root naming one document per group-version) and `/openapi/v2`.
//!
//! Not a schema of every kind: each document declares, for every served
//! kind, the PATCH operation with its `fieldValidation` parameter and the
//! kind's `x-kubernetes-group-version-kind`. That is what kubectl 1.27+
//! looks for to leave validation to the server (as with any real API
//! server of those versions), so `kubectl apply`, `create` and `edit` work
//! without `--validate=false`; the server then checks the fields itself
//! (`api::strict`). Patches without a request body in the document make
//! kubectl compute strategic merge patches from its compiled-in types,
//! the same merge keys a full document would give. A static subset of a
//! real cluster's document would be megabytes of text kept by hand;
//! k8s-openapi carries the types, not the document.

use serde_json::{Value, json};
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

/// `/openapi/v3`: where each group-version's document is.
pub fn v3_root() -> Value {
    let mut paths = serde_json::Map::new();
    for (group, version) in group_versions() {
        let path = gv_path(group, version);
        let hash = hash(&v3_document(group, version));
        paths.insert(
            path.clone(),
            json!({ "serverRelativeURL": format!("/openapi/v3/{path}?hash={hash}") }),
        );
    }
    json!({ "paths": paths })
}

/// `/openapi/v3/api/v1`, `/openapi/v3/apis/apps/v1`, ...
pub fn v3_for(path: &str) -> Option<Value> {
    group_versions()
        .into_iter()
        .find(|(g, v)| gv_path(g, v) == path)
        .map(|(g, v)| v3_document(g, v))
}

fn v3_document(group: &str, version: &str) -> Value {
    json!({
        "openapi": "3.0.0",
        "info": { "title": "Kubernetes", "version": INFO },
        "paths": paths(group, version),
        "components": { "schemas": {} }
    })
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
}
