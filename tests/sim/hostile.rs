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

/// Resident memory of this process, in bytes (Linux).
fn rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|l| l.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS");
    kb * 1024
}

async fn pods_of(handle: &SimHandle, selector: &str) -> usize {
    let list = get(
        handle,
        &format!("/api/v1/namespaces/shop/pods?labelSelector={selector}"),
    )
    .await;
    list["items"].as_array().map_or(0, Vec::len)
}

/// `kubectl -n shop scale deployment frontend --replicas=100000000`
/// allocated until the drill died. Pods are made in bursts of at most
/// 500 per sync, as fast as the controller manager's client may send
/// them: the deployment grows and memory stays bounded.
#[tokio::test]
async fn a_huge_scale_grows_in_bounded_bursts() {
    let (handle, _client) = start_manual(sim::load("checkout-oom").unwrap()).await;
    let scale = "/apis/apps/v1/namespaces/shop/deployments/frontend/scale";
    let (status, body) = send(
        &handle,
        "PATCH",
        scale,
        MERGE,
        json!({ "spec": { "replicas": 100_000_000 } }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["spec"]["replicas"], 100_000_000);
    let first = pods_of(&handle, "app=frontend").await;
    // The two it had, and one burst.
    assert_eq!(first, 2 + 500, "one burst at once");
    advance(&handle, Duration::from_secs(30), Duration::from_secs(1));
    let later = pods_of(&handle, "app=frontend").await;
    assert!(later > first, "it keeps growing: {first} then {later}");
    assert!(later <= 5_000, "bounded: {later} pods after 30 s");
    assert!(rss() < 500 << 20, "RSS {} MiB", rss() >> 20);
    // Past an int32 is what the API server cannot decode.
    let (status, body) = send(
        &handle,
        "PATCH",
        scale,
        MERGE,
        json!({ "spec": { "replicas": 4_294_967_296_i64 } }),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = send(
        &handle,
        "PATCH",
        "/apis/apps/v1/namespaces/shop/deployments/frontend",
        MERGE,
        json!({ "spec": { "replicas": -1 } }),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["message"],
        "Deployment.apps \"frontend\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"
    );
}

/// A StatefulSet with Parallel pod management and a Job with a huge
/// parallelism make their pods in the same bounded bursts.
#[tokio::test]
async fn statefulsets_and_jobs_burst_too() {
    let (handle, _client) = start_manual(sim::load("checkout-oom").unwrap()).await;
    let template = json!({ "metadata": { "labels": { "app": "many" } },
        "spec": { "containers": [ { "name": "c", "image": "busybox" } ] } });
    let (status, body) = send(&handle, "POST", "/apis/apps/v1/namespaces/shop/statefulsets", "application/json",
        json!({ "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": { "name": "many" },
               "spec": { "replicas": 2_000_000_000, "podManagementPolicy": "Parallel", "serviceName": "many",
                         "selector": { "matchLabels": { "app": "many" } }, "template": template } })).await;
    assert_eq!(status, 201, "{body}");
    assert!(pods_of(&handle, "app=many").await <= 500);
    let mut job_template = template.clone();
    job_template["metadata"]["labels"]["app"] = json!("work");
    job_template["spec"]["restartPolicy"] = json!("Never");
    let (status, body) = send(&handle, "POST", "/apis/batch/v1/namespaces/shop/jobs", "application/json",
        json!({ "apiVersion": "batch/v1", "kind": "Job", "metadata": { "name": "work" },
               "spec": { "parallelism": 2_000_000_000, "completions": 2_000_000_000, "template": job_template } })).await;
    assert_eq!(status, 201, "{body}");
    assert!(pods_of(&handle, "app=work").await <= 500);
    advance(&handle, Duration::from_secs(10), Duration::from_secs(1));
    assert!(pods_of(&handle, "app=many").await <= 1_000);
    assert!(pods_of(&handle, "app=work").await <= 1_000);
}

/// A bug that still panics inside the simulator ends the simulation with
/// its reason (500 once, then 503 to every request, which the app's panes
/// show as their connection state); the process, the server and the
/// state export go on.
#[tokio::test]
async fn a_panic_in_the_simulator_stops_the_simulation_not_the_process() {
    let (handle, client) = start_manual(sim::load("checkout-oom").unwrap()).await;
    let pods: Api<Pod> = Api::namespaced(client, "shop");
    assert!(soon(pods.list(&ListParams::default())).await.is_ok());
    handle.panic_on_next_request("cannot access key \"labels\" in JSON string");
    let first = api_error(soon(pods.list(&ListParams::default())).await.unwrap_err());
    assert_eq!(first.code, 500);
    assert_eq!(
        first.message,
        "simulator stopped: cannot access key \"labels\" in JSON string"
    );
    let then = api_error(soon(pods.list(&ListParams::default())).await.unwrap_err());
    assert_eq!(then.code, 503);
    assert_eq!(then.message, first.message);
    assert_eq!(
        handle.stopped().as_deref(),
        Some("cannot access key \"labels\" in JSON string")
    );
    // The cluster is not run again, but it can still be saved.
    handle.advance(Duration::from_secs(5));
    assert!(!handle.export_state().objects.is_empty());
    handle.shutdown().await;
}

/// Times from a client's numbers (a grace period, a toleration's
/// seconds) past the end of time are held at its end, not an overflow.
#[tokio::test]
async fn huge_grace_periods_and_toleration_seconds_do_not_overflow() {
    let (handle, _client) = start_manual(sim::load("node-down").unwrap()).await;
    let pods = "/api/v1/namespaces/shop/pods";
    let list = get(&handle, pods).await;
    let names: Vec<String> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["metadata"]["name"].as_str().unwrap().to_string())
        .collect();
    let (status, body) = send(
        &handle,
        "DELETE",
        &format!("{pods}/{}?gracePeriodSeconds=9223372036854775807", names[0]),
        "application/json",
        Value::Null,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = send(
        &handle,
        "PATCH",
        &format!("{pods}/{}", names[1]),
        MERGE,
        json!({ "spec": { "tolerations": [ { "key": "node.kubernetes.io/unreachable", "operator": "Exists",
            "effect": "NoExecute", "tolerationSeconds": 9_223_372_036_854_775_807_i64 } ] } }),
    )
    .await;
    assert!(status == 200 || status == 422, "{status} {body}");
    advance(&handle, Duration::from_secs(60), Duration::from_secs(10));
    get(&handle, pods).await;
}

/// A 100 KB namespace took 3.2 GB; names past their Kubernetes lengths are 422.
#[tokio::test]
async fn names_past_their_length_are_422() {
    let (handle, _client) = start_manual(sim::load("checkout-oom").unwrap()).await;
    // (A URL past 64 KB is refused before any handler, as by hyper.)
    let long_ns = "n".repeat(60_000);
    let (status, body) = send(
        &handle,
        "POST",
        &format!("/api/v1/namespaces/{long_ns}/configmaps"),
        "application/json",
        json!({ "apiVersion": "v1", "kind": "ConfigMap", "metadata": { "name": "c" } }),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["message"].as_str().unwrap().len() < 400,
        "the name is not echoed whole"
    );
    let cases = [
        (
            "/api/v1/namespaces",
            json!({ "apiVersion": "v1", "kind": "Namespace", "metadata": { "name": "x".repeat(64) } }),
        ),
        (
            "/api/v1/namespaces/shop/configmaps",
            json!({ "apiVersion": "v1", "kind": "ConfigMap", "metadata": { "name": "x".repeat(254) } }),
        ),
        (
            "/api/v1/namespaces/shop/configmaps",
            json!({ "apiVersion": "v1", "kind": "ConfigMap", "metadata": { "name": "ok", "labels": { "k": "v".repeat(64) } } }),
        ),
    ];
    for (url, object) in cases {
        let (status, body) = send(&handle, "POST", url, "application/json", object).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["reason"], "Invalid");
    }
    let (status, body) = send(
        &handle,
        "POST",
        "/api/v1/namespaces/shop/configmaps",
        "application/json",
        json!({ "apiVersion": "v1", "kind": "ConfigMap", "metadata": { "name": "x".repeat(253) } }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
}
