//! kubectl 1.37 sends the built-in kinds it creates as protobuf
//! (`application/vnd.kubernetes.protobuf`); the simulator decodes them as
//! an API server does (it answered 415 before, so `create configmap`,
//! `create service` and cronjob-failing's own `create job --from=cronjob`
//! failed). Each object is read back with `kubectl get -o json` and
//! checked field by field.

use super::kube_support;
use super::tools::serve_with_kubeconfig;
use super::*;
use serde_json::{Value, json};

/// The built kubectl against `kubeconfig`: its stdout, or what it said
/// when it failed.
async fn kubectl(kubeconfig: &Path, args: &[&str]) -> Result<String, String> {
    let output = tokio::process::Command::new(kube_support::kubectl())
        .args(args)
        .env("KUBECONFIG", kubeconfig)
        .env_remove("KUBERNETES_SERVICE_HOST")
        .output();
    let output = soon(output).await.expect("kubectl runs");
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

async fn ok(kubeconfig: &Path, args: &[&str]) -> String {
    kubectl(kubeconfig, args)
        .await
        .unwrap_or_else(|e| panic!("kubectl {args:?} failed: {e}"))
}

/// `kubectl -n shop get <what> -o json`.
async fn get(kubeconfig: &Path, what: &str) -> Value {
    let text = ok(kubeconfig, &["-n", "shop", "get", what, "-o", "json"]).await;
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: {e}: {text}"))
}

/// A simulator of `scenario` and its kubeconfig; `None` when the tests
/// that need the built kubectl are skipped on purpose.
async fn serve(scenario: &str) -> Option<(SimHandle, tempfile::TempDir, std::path::PathBuf)> {
    if kube_support::skipped("the protobuf tests need kubectl 1.37") {
        return None;
    }
    Some(serve_with_kubeconfig(scenario).await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_configmap_and_secret_from_literals() {
    let Some((handle, _dir, kc)) = serve("cronjob-failing").await else {
        return;
    };
    // `-o json` prints the server's answer: a JSON answer to a protobuf
    // request (Accept: protobuf, then JSON) is read.
    let answer = ok(
        &kc,
        &[
            "-n",
            "shop",
            "create",
            "configmap",
            "settings",
            "--from-literal=mode=fast",
            "--from-literal=level=3",
            "-o",
            "json",
        ],
    )
    .await;
    let answer: Value = serde_json::from_str(&answer).expect("a JSON answer");
    assert_eq!(answer["metadata"]["name"], "settings");
    let cm = get(&kc, "configmap/settings").await;
    assert_eq!(cm["kind"], "ConfigMap");
    assert_eq!(cm["metadata"]["namespace"], "shop");
    assert_eq!(cm["data"], json!({ "mode": "fast", "level": "3" }));
    assert!(cm.get("binaryData").is_none(), "{cm}");

    ok(
        &kc,
        &[
            "-n",
            "shop",
            "create",
            "secret",
            "generic",
            "db",
            "--from-literal=user=admin",
            "--from-literal=pass=s3cr3t",
        ],
    )
    .await;
    let secret = get(&kc, "secret/db").await;
    assert_eq!(
        secret["data"],
        json!({ "user": "YWRtaW4=", "pass": "czNjcjN0" }),
        "values base64, as sent"
    );
    handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_service_clusterip_with_tcp_ports() {
    let Some((handle, _dir, kc)) = serve("cronjob-failing").await else {
        return;
    };
    ok(
        &kc,
        &[
            "-n",
            "shop",
            "create",
            "service",
            "clusterip",
            "api",
            "--tcp=80:8080",
            "--tcp=443",
        ],
    )
    .await;
    let svc = get(&kc, "service/api").await;
    assert_eq!(svc["spec"]["type"], "ClusterIP");
    assert_eq!(svc["spec"]["selector"], json!({ "app": "api" }));
    assert_eq!(svc["metadata"]["labels"], json!({ "app": "api" }));
    let ports = &svc["spec"]["ports"];
    assert_eq!(ports[0]["name"], "80-8080");
    assert_eq!(ports[0]["port"], 80);
    assert_eq!(ports[0]["targetPort"], 8080, "an int, not a string");
    assert_eq!(ports[0]["protocol"], "TCP");
    assert_eq!(ports[1]["port"], 443);
    assert_eq!(ports[1]["targetPort"], 443);

    ok(
        &kc,
        &[
            "-n",
            "shop",
            "create",
            "service",
            "nodeport",
            "edge",
            "--tcp=80:8080",
            "--node-port=30080",
        ],
    )
    .await;
    let edge = get(&kc, "service/edge").await;
    assert_eq!(edge["spec"]["type"], "NodePort");
    assert_eq!(edge["spec"]["ports"][0]["nodePort"], 30080);
    handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_deployment_with_image_and_replicas() {
    let Some((handle, _dir, kc)) = serve("cronjob-failing").await else {
        return;
    };
    ok(
        &kc,
        &[
            "-n",
            "shop",
            "create",
            "deployment",
            "web",
            "--image=nginx:1.27",
            "--replicas=3",
            "--port=8080",
        ],
    )
    .await;
    let deploy = get(&kc, "deployment/web").await;
    assert_eq!(deploy["spec"]["replicas"], 3);
    assert_eq!(deploy["metadata"]["labels"], json!({ "app": "web" }));
    assert_eq!(
        deploy["spec"]["selector"],
        json!({ "matchLabels": { "app": "web" } })
    );
    let template = &deploy["spec"]["template"];
    assert_eq!(template["metadata"]["labels"], json!({ "app": "web" }));
    let container = &template["spec"]["containers"][0];
    assert_eq!(container["name"], "nginx");
    assert_eq!(container["image"], "nginx:1.27");
    assert_eq!(container["ports"][0]["containerPort"], 8080);
    // The controllers took it as a JSON create: its pods exist.
    let pods = get(&kc, "pods").await;
    let web = pods["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|p| p["metadata"]["labels"]["app"] == "web")
        .count();
    assert_eq!(web, 3, "{pods}");
    handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_job_from_cronjob_as_the_playbook_does() {
    let Some((handle, _dir, kc)) = serve("cronjob-failing").await else {
        return;
    };
    // playbooks/cronjob-failing.yaml's own command.
    ok(
        &kc,
        &[
            "-n",
            "shop",
            "create",
            "job",
            "--from=cronjob/nightly-report",
            "nightly-report-manual",
        ],
    )
    .await;
    let cronjob = get(&kc, "cronjob/nightly-report").await;
    let job = get(&kc, "job/nightly-report-manual").await;
    assert_eq!(
        job["metadata"]["annotations"]["cronjob.kubernetes.io/instantiate"],
        "manual"
    );
    let owner = &job["metadata"]["ownerReferences"][0];
    assert_eq!(owner["kind"], "CronJob");
    assert_eq!(owner["name"], "nightly-report");
    assert_eq!(owner["uid"], cronjob["metadata"]["uid"]);
    assert_eq!(owner["controller"], true);
    let want = &cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0];
    let got = &job["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(got["name"], want["name"]);
    assert_eq!(got["image"], want["image"]);
    assert_eq!(got["command"], want["command"]);
    handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_namespace_and_pdbs() {
    let Some((handle, _dir, kc)) = serve("cronjob-failing").await else {
        return;
    };
    ok(&kc, &["create", "namespace", "staging"]).await;
    let ns = get(&kc, "namespace/staging").await;
    assert_eq!(ns["metadata"]["name"], "staging");
    assert!(ns["metadata"].get("namespace").is_none(), "{ns}");

    ok(
        &kc,
        &[
            "-n",
            "shop",
            "create",
            "pdb",
            "half",
            "--selector=app=web",
            "--min-available=50%",
        ],
    )
    .await;
    ok(
        &kc,
        &[
            "-n",
            "shop",
            "create",
            "pdb",
            "one",
            "--selector=app=web",
            "--max-unavailable=1",
        ],
    )
    .await;
    let half = get(&kc, "pdb/half").await;
    assert_eq!(half["spec"]["minAvailable"], "50%", "a string IntOrString");
    assert!(half["spec"].get("maxUnavailable").is_none(), "{half}");
    assert_eq!(
        half["spec"]["selector"],
        json!({ "matchLabels": { "app": "web" } })
    );
    let one = get(&kc, "pdb/one").await;
    assert_eq!(one["spec"]["maxUnavailable"], 1, "an int IntOrString");
    handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expose_autoscale_and_run() {
    let Some((handle, _dir, kc)) = serve("checkout-oom").await else {
        return;
    };
    ok(
        &kc,
        &[
            "-n",
            "shop",
            "expose",
            "deployment",
            "checkout",
            "--name=checkout-lb",
            "--port=80",
            "--target-port=8080",
        ],
    )
    .await;
    let svc = get(&kc, "service/checkout-lb").await;
    assert_eq!(svc["spec"]["selector"], json!({ "app": "checkout" }));
    assert_eq!(svc["spec"]["ports"][0]["port"], 80);
    assert_eq!(svc["spec"]["ports"][0]["targetPort"], 8080);

    // autoscaling/v2, as protobuf.
    ok(
        &kc,
        &[
            "-n",
            "shop",
            "autoscale",
            "deployment",
            "frontend",
            "--min=2",
            "--max=5",
            "--cpu=80%",
        ],
    )
    .await;
    let hpa = get(&kc, "hpa/frontend").await;
    assert_eq!(hpa["apiVersion"], "autoscaling/v2");
    assert_eq!(hpa["spec"]["minReplicas"], 2);
    assert_eq!(hpa["spec"]["maxReplicas"], 5);
    assert_eq!(
        hpa["spec"]["scaleTargetRef"],
        json!({ "apiVersion": "apps/v1", "kind": "Deployment", "name": "frontend" })
    );
    assert_eq!(
        hpa["spec"]["metrics"],
        json!([{
            "type": "Resource",
            "resource": { "name": "cpu", "target": { "type": "Utilization", "averageUtilization": 80 } }
        }])
    );

    ok(
        &kc,
        &[
            "-n",
            "shop",
            "run",
            "probe",
            "--image=busybox:1.36",
            "--labels=app=probe,tier=debug",
            "--env=MODE=once",
            "--port=9000",
            "--",
            "sleep",
            "3600",
        ],
    )
    .await;
    let pod = get(&kc, "pod/probe").await;
    // With the zone its node gave it on binding, as the real one.
    let mut labels = pod["metadata"]["labels"].clone();
    labels
        .as_object_mut()
        .unwrap()
        .remove("topology.kubernetes.io/zone");
    assert_eq!(labels, json!({ "app": "probe", "tier": "debug" }));
    let c = &pod["spec"]["containers"][0];
    assert_eq!(c["image"], "busybox:1.36");
    assert_eq!(c["args"], json!(["sleep", "3600"]));
    assert_eq!(c["env"], json!([{ "name": "MODE", "value": "once" }]));
    assert_eq!(c["ports"][0]["containerPort"], 9000);
    handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_ingress_and_cronjob() {
    let Some((handle, _dir, kc)) = serve("cronjob-failing").await else {
        return;
    };
    ok(
        &kc,
        &[
            "-n",
            "shop",
            "create",
            "ingress",
            "shop",
            "--rule=shop.example.com/cart*=cart:8080",
        ],
    )
    .await;
    let ing = get(&kc, "ingress/shop").await;
    let rule = &ing["spec"]["rules"][0];
    assert_eq!(rule["host"], "shop.example.com");
    let path = &rule["http"]["paths"][0];
    assert_eq!(path["path"], "/cart");
    assert_eq!(path["pathType"], "Prefix");
    assert_eq!(
        path["backend"],
        json!({ "service": { "name": "cart", "port": { "number": 8080 } } })
    );

    ok(
        &kc,
        &[
            "-n",
            "shop",
            "create",
            "cronjob",
            "cleanup",
            "--image=busybox:1.36",
            "--schedule=*/5 * * * *",
            "--",
            "echo",
            "hi",
        ],
    )
    .await;
    let cj = get(&kc, "cronjob/cleanup").await;
    assert_eq!(cj["spec"]["schedule"], "*/5 * * * *");
    let pod = &cj["spec"]["jobTemplate"]["spec"]["template"]["spec"];
    assert_eq!(pod["restartPolicy"], "OnFailure");
    assert_eq!(pod["containers"][0]["image"], "busybox:1.36");
    assert_eq!(pod["containers"][0]["command"], json!(["echo", "hi"]));
    handle.shutdown().await;
}

/// A body as client-go sends it: the magic, then a runtime.Unknown.
fn protobuf_body(api_version: &str, kind: &str, raw: Vec<u8>) -> Vec<u8> {
    use k8s_pb::apimachinery::pkg::runtime::{TypeMeta, Unknown};
    use prost::Message;
    let unknown = Unknown {
        type_meta: Some(TypeMeta {
            api_version: Some(api_version.into()),
            kind: Some(kind.into()),
        }),
        raw: Some(raw),
        content_encoding: Some(String::new()),
        content_type: Some(String::new()),
    };
    [b"k8s\0".as_slice(), &unknown.encode_to_vec()].concat()
}

async fn send(client: &Client, method: &str, path: &str, body: Vec<u8>) -> (u16, Value) {
    let request = http::Request::builder()
        .method(method)
        .uri(path)
        .header("Content-Type", "application/vnd.kubernetes.protobuf")
        .header(
            "Accept",
            "application/vnd.kubernetes.protobuf, application/json",
        )
        .body(body)
        .expect("a request");
    let response = soon(client.send(request.map(kube::client::Body::from)))
        .await
        .expect("an answer");
    let status = response.status().as_u16();
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("a body")
        .to_bytes();
    let value = serde_json::from_slice(&bytes).expect("a JSON answer");
    (status, value)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn protobuf_delete_options_and_a_wrong_kind() {
    use k8s_pb::apimachinery::pkg::apis::meta::v1::{DeleteOptions, ObjectMeta};
    use prost::Message;
    let (handle, client) = start(scenario(ONE_POD)).await;
    // A dry run said in a protobuf DeleteOptions leaves the pod.
    let options = DeleteOptions {
        grace_period_seconds: Some(0),
        dry_run: vec!["All".into()],
        ..DeleteOptions::default()
    };
    let body = protobuf_body("v1", "DeleteOptions", options.encode_to_vec());
    let (status, _) = send(
        &client,
        "DELETE",
        "/api/v1/namespaces/shop/pods/web-1",
        body,
    )
    .await;
    assert_eq!(status, 200);
    let pods: Api<Pod> = Api::namespaced(client.clone(), "shop");
    assert!(
        pods.get_opt("web-1").await.expect("get").is_some(),
        "dry run"
    );

    // A ConfigMap posted to services: the API server's 400, word for word.
    let configmap = k8s_pb::api::core::v1::ConfigMap {
        metadata: Some(ObjectMeta {
            name: Some("x".into()),
            ..ObjectMeta::default()
        }),
        ..Default::default()
    };
    let body = protobuf_body("v1", "ConfigMap", configmap.encode_to_vec());
    let (status, answer) = send(&client, "POST", "/api/v1/namespaces/shop/services", body).await;
    assert_eq!(status, 400);
    assert_eq!(answer["reason"], "BadRequest");
    assert_eq!(
        answer["message"],
        "ConfigMap in version \"v1\" cannot be handled as a Service: converting (v1.ConfigMap) to (core.Service): unknown conversion"
    );
    handle.shutdown().await;
}
