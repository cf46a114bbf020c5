//! Hostile writes (issue 20): type-confused patches, huge replicas and
//! long names are answered as a real API server answers them, are never
//! stored, and never panic the simulator. Sent in process
//! (`SimHandle::request`), so a panic fails the test where it happens.

use super::*;
use serde_json::{Value, json};

const CHECKOUT: &str = "/apis/apps/v1/namespaces/shop/deployments/checkout";
const MERGE: &str = "application/merge-patch+json";
const STRATEGIC: &str = "application/strategic-merge-patch+json";
const JSON_PATCH: &str = "application/json-patch+json";

async fn send(
    handle: &SimHandle,
    method: &str,
    path: &str,
    kind: &str,
    body: Value,
) -> (u16, Value) {
    handle
        .request(method, path, kind, serde_json::to_vec(&body).unwrap())
        .await
}

async fn get(handle: &SimHandle, path: &str) -> Value {
    let (status, body) = handle.request("GET", path, "", Vec::new()).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// The command: `kubectl -n shop patch deployment checkout --type
/// merge -p '{"spec":{"template":{"metadata":"x"}}}'` panicked the
/// simulator ("cannot access key labels in JSON string").
#[tokio::test]
async fn a_template_whose_metadata_is_a_string_is_refused_not_stored() {
    let (handle, _client) = start_manual(sim::load("checkout-oom").unwrap()).await;
    let before = get(&handle, CHECKOUT).await;
    let patch = json!({ "spec": { "template": { "metadata": "x" } } });
    for kind in [MERGE, STRATEGIC] {
        let (status, body) = send(&handle, "PATCH", CHECKOUT, kind, patch.clone()).await;
        assert_eq!(status, 422, "{kind}: {body}");
        assert_eq!(body["kind"], "Status");
        assert_eq!(body["reason"], "Invalid");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("spec.template.metadata"),
            "{body}"
        );
    }
    let (status, body) = send(
        &handle,
        "PATCH",
        CHECKOUT,
        JSON_PATCH,
        json!([{ "op": "replace", "path": "/spec/template/metadata", "value": "x" }]),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    handle.advance(Duration::from_secs(5));
    let after = get(&handle, CHECKOUT).await;
    assert_eq!(after["spec"], before["spec"], "nothing was stored");
    assert_eq!(
        after["metadata"]["resourceVersion"],
        before["metadata"]["resourceVersion"]
    );
}

/// Strings where objects are, objects where strings are, numbers as
/// strings, arrays as maps: 422, and the object stays as it was.
#[tokio::test]
async fn type_confused_patches_are_422_and_change_nothing() {
    let (handle, _client) = start_manual(sim::load("checkout-oom").unwrap()).await;
    let before = get(&handle, CHECKOUT).await;
    let confused = [
        json!({ "spec": "x" }),
        json!({ "metadata": { "labels": "x" } }),
        json!({ "metadata": { "labels": { "app": { "nested": 1 } } } }),
        json!({ "spec": { "replicas": "3" } }),
        json!({ "spec": { "selector": ["app"] } }),
        json!({ "spec": { "template": { "spec": { "containers": { "name": "x" } } } } }),
        json!({ "spec": { "template": { "spec": { "containers": [ { "name": 7, "image": [] } ] } } } }),
        json!({ "spec": { "strategy": { "rollingUpdate": { "maxSurge": { "a": 1 } } } } }),
    ];
    for patch in confused {
        let (status, body) = send(&handle, "PATCH", CHECKOUT, MERGE, patch.clone()).await;
        assert!(status == 422 || status == 400, "{patch}: {status} {body}");
        assert_eq!(body["kind"], "Status", "{patch}");
    }
    handle.advance(Duration::from_secs(5));
    let after = get(&handle, CHECKOUT).await;
    assert_eq!(after["spec"], before["spec"]);
    assert_eq!(after["metadata"]["labels"], before["metadata"]["labels"]);
}

/// A create or replace whose body is not the kind is 400, as a body the
/// API server cannot decode.
#[tokio::test]
async fn a_body_that_is_not_the_kind_is_400() {
    let (handle, _client) = start_manual(sim::load("checkout-oom").unwrap()).await;
    let (status, body) = send(
        &handle,
        "POST",
        "/api/v1/namespaces/shop/pods",
        "application/json",
        json!({ "apiVersion": "v1", "kind": "Pod", "metadata": { "name": "p", "labels": "x" },
                "spec": { "containers": [ { "name": "c", "image": "i" } ] } }),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let mut checkout = get(&handle, CHECKOUT).await;
    checkout["spec"]["template"]["metadata"] = json!("x");
    let (status, body) = send(&handle, "PUT", CHECKOUT, "application/json", checkout).await;
    assert_eq!(status, 400, "{body}");
}
