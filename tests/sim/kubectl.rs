//! kubectl's writes against the simulator keep objects whole and get the
//! controllers' answers: set image/resources, patch of every type, client-
//! side apply, scale, delete (replaced), and what describe and top show.

use super::tools::{kubectl, serve_with_kubeconfig};
use super::*;

/// The kubectl every test runs is the one built from source, v1.37.2: run
/// directly (`kube_support::kubectl()`), and found by name through the PATH
/// the tests give runbook and its children (`kube_support::path_env()`),
/// also from a shell. A machine's own kubectl never stands in for it.
#[test]
fn the_kubectl_the_tests_run_is_the_built_v1_37_2() {
    if !kube_support::need_kubectl("the version of the tests' kubectl") {
        return;
    }
    let client_version = |out: std::process::Output| {
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        text.lines()
            .find_map(|l| l.strip_prefix("Client Version: "))
            .unwrap_or_else(|| panic!("no client version in {text:?}"))
            .to_string()
    };
    let direct = std::process::Command::new(kube_support::kubectl())
        .args(["version", "--client"])
        .output()
        .expect("run the built kubectl");
    assert_eq!(client_version(direct), "v1.37.2");
    let by_name = std::process::Command::new("kubectl")
        .args(["version", "--client"])
        .env("PATH", kube_support::path_env())
        .output()
        .expect("run kubectl by name");
    assert_eq!(client_version(by_name), "v1.37.2");
    let from_a_shell = std::process::Command::new("sh")
        .args(["-c", "command -v kubectl; kubectl version --client"])
        .env("PATH", kube_support::path_env())
        .output()
        .expect("run sh");
    let found = String::from_utf8_lossy(&from_a_shell.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    assert_eq!(found, kube_support::kubectl().display().to_string());
    assert_eq!(client_version(from_a_shell), "v1.37.2");
}

async fn container_json(kubeconfig: &Path, deployment: &str) -> serde_json::Value {
    let text = kubectl(
        kubeconfig,
        &[
            "-n",
            "shop",
            "get",
            "deployment",
            deployment,
            "-o",
            "jsonpath={.spec.template.spec.containers[0]}",
        ],
    )
    .await
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_image_and_set_resources_keep_the_rest_of_the_container() {
    let (handle, _dir, kubeconfig) = serve_with_kubeconfig("checkout-oom").await;
    let Some(_) = kubectl(
        &kubeconfig,
        &[
            "-n",
            "shop",
            "set",
            "image",
            "deployment/checkout",
            "checkout=registry.example.com/checkout:v4.11.2",
        ],
    )
    .await
    else {
        return; // skipped: RUNBOOK_SKIP_CONTROLPLANE=1
    };
    kubectl(
        &kubeconfig,
        &[
            "-n",
            "shop",
            "set",
            "resources",
            "deployment/checkout",
            "--limits=memory=640Mi",
        ],
    )
    .await
    .unwrap();
    let c = container_json(&kubeconfig, "checkout").await;
    assert_eq!(c["image"], "registry.example.com/checkout:v4.11.2");
    assert_eq!(c["resources"]["limits"]["memory"], "640Mi");
    assert_eq!(c["resources"]["requests"]["cpu"], "250m", "requests kept");
    assert_eq!(c["ports"][0]["containerPort"], 8080, "ports kept");
    assert_eq!(
        c["readinessProbe"]["httpGet"]["path"], "/healthz",
        "probe kept"
    );
    handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patch_types_and_client_side_apply() {
    let (handle, dir, kubeconfig) = serve_with_kubeconfig("checkout-oom").await;
    let Some(_) = kubectl(
        &kubeconfig,
        &[
            "-n",
            "shop",
            "patch",
            "deployment",
            "frontend",
            "--type",
            "merge",
            "-p",
            r#"{"metadata":{"labels":{"tier":"web"}}}"#,
        ],
    )
    .await
    else {
        return; // skipped: RUNBOOK_SKIP_CONTROLPLANE=1
    };
    kubectl(&kubeconfig, &["-n", "shop", "patch", "deployment", "frontend", "--type", "strategic", "-p",
        r#"{"spec":{"template":{"spec":{"containers":[{"name":"frontend","env":[{"name":"MODE","value":"calm"}]}]}}}}"#]).await.unwrap();
    kubectl(&kubeconfig, &["-n", "shop", "patch", "deployment", "frontend", "--type", "json", "-p",
        r#"[{"op":"add","path":"/spec/template/spec/containers/0/env/-","value":{"name":"LEVEL","value":"2"}}]"#]).await.unwrap();
    let c = container_json(&kubeconfig, "frontend").await;
    assert_eq!(c["image"], "registry.example.com/frontend:v2.8.3");
    assert_eq!(
        c["env"],
        serde_json::json!([{ "name": "MODE", "value": "calm" }, { "name": "LEVEL", "value": "2" }])
    );
    assert_eq!(c["resources"]["limits"]["memory"], "256Mi");
    let labels = kubectl(
        &kubeconfig,
        &[
            "-n",
            "shop",
            "get",
            "deployment",
            "frontend",
            "-o",
            "jsonpath={.metadata.labels.tier}",
        ],
    )
    .await
    .unwrap();
    assert_eq!(labels, "web");

    // Client-side apply: create, then apply a change, then apply without a field.
    let manifest = dir.path().join("cm.yaml");
    let write = |data: &str| {
        std::fs::write(&manifest, format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\n  namespace: shop\ndata:\n{data}")).unwrap();
    };
    let path = manifest.display().to_string();
    write("  a: \"1\"\n  b: \"2\"\n");
    let created = kubectl(&kubeconfig, &["apply", "-f", &path]).await.unwrap();
    assert!(created.contains("created"), "{created}");
    write("  a: \"10\"\n");
    let configured = kubectl(&kubeconfig, &["apply", "-f", &path]).await.unwrap();
    assert!(configured.contains("configured"), "{configured}");
    // Validated without --validate=false, as by a real server: a field
    // the kind does not have is refused by strict decoding.
    let typo = dir.path().join("typo.yaml");
    std::fs::write(
        &typo,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typo\n  namespace: shop\ndataa:\n  a: \"1\"\n",
    )
    .unwrap();
    let refused =
        super::tools::kubectl_status(&kubeconfig, &["apply", "-f", &typo.display().to_string()])
            .await
            .unwrap();
    assert!(!refused.0, "a typo was accepted");
    assert!(
        refused
            .1
            .contains("strict decoding error: unknown field \"dataa\""),
        "{}",
        refused.1
    );
    let data = kubectl(
        &kubeconfig,
        &[
            "-n",
            "shop",
            "get",
            "configmap",
            "flags",
            "-o",
            "jsonpath={.data}",
        ],
    )
    .await
    .unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&data).unwrap(),
        serde_json::json!({ "a": "10" })
    );
    handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scale_and_delete_are_answered_by_the_replicaset() {
    let (handle, _dir, kubeconfig) = serve_with_kubeconfig("checkout-oom").await;
    let Some(_) = kubectl(
        &kubeconfig,
        &["-n", "shop", "scale", "deployment/frontend", "--replicas=4"],
    )
    .await
    else {
        return; // skipped: RUNBOOK_SKIP_CONTROLPLANE=1
    };
    advance(&handle, Duration::from_secs(20), Duration::from_secs(5));
    let pods = kubectl(
        &kubeconfig,
        &[
            "-n",
            "shop",
            "get",
            "pods",
            "-l",
            "app=frontend",
            "--no-headers",
        ],
    )
    .await
    .unwrap();
    assert_eq!(pods.lines().count(), 4, "{pods}");
    assert!(
        pods.lines()
            .all(|l| l.contains("1/1") && l.contains("Running")),
        "{pods}"
    );

    kubectl(
        &kubeconfig,
        &["-n", "shop", "delete", "pod", "frontend-5c7d9f8b6-h4jxv"],
    )
    .await
    .unwrap();
    advance(&handle, Duration::from_secs(20), Duration::from_secs(5));
    let pods = kubectl(
        &kubeconfig,
        &[
            "-n",
            "shop",
            "get",
            "pods",
            "-l",
            "app=frontend",
            "--no-headers",
        ],
    )
    .await
    .unwrap();
    assert_eq!(pods.lines().count(), 4, "replaced: {pods}");
    assert!(!pods.contains("frontend-5c7d9f8b6-h4jxv"), "{pods}");

    kubectl(
        &kubeconfig,
        &["-n", "shop", "scale", "deployment/frontend", "--replicas=1"],
    )
    .await
    .unwrap();
    let pods = kubectl(
        &kubeconfig,
        &[
            "-n",
            "shop",
            "get",
            "pods",
            "-l",
            "app=frontend",
            "--no-headers",
        ],
    )
    .await
    .unwrap();
    assert_eq!(pods.lines().count(), 1, "{pods}");

    // Deleting the Deployment takes its ReplicaSets and pods with it.
    kubectl(
        &kubeconfig,
        &["-n", "shop", "delete", "deployment", "frontend"],
    )
    .await
    .unwrap();
    let left = kubectl(
        &kubeconfig,
        &[
            "-n",
            "shop",
            "get",
            "rs,pods",
            "-l",
            "app=frontend",
            "--no-headers",
        ],
    )
    .await
    .unwrap();
    assert_eq!(left.trim(), "", "{left}");
    handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn describe_lists_events_and_top_reads_the_usage_model() {
    let (handle, _dir, kubeconfig) = serve_with_kubeconfig("checkout-oom").await;
    let Some(described) = kubectl(
        &kubeconfig,
        &["-n", "shop", "describe", "pod", "checkout-6d8f9c7b5-x2k4q"],
    )
    .await
    else {
        return; // skipped: RUNBOOK_SKIP_CONTROLPLANE=1
    };
    assert!(
        !described.contains("Events:  <none>") && !described.contains("Events:         <none>"),
        "{described}"
    );
    assert!(described.contains("BackOff"), "{described}");
    assert!(described.contains("OOMKilled"), "{described}");
    // A restart of the crashed container, then its events from the kubelet.
    advance(&handle, Duration::from_secs(330), Duration::from_secs(10));
    let described = kubectl(
        &kubeconfig,
        &["-n", "shop", "describe", "pod", "checkout-6d8f9c7b5-x2k4q"],
    )
    .await
    .unwrap();
    assert!(
        described.contains("kubelet") && described.contains("Started"),
        "{described}"
    );
    let restarts = kubectl(
        &kubeconfig,
        &[
            "-n",
            "shop",
            "get",
            "pod",
            "checkout-6d8f9c7b5-x2k4q",
            "-o",
            "jsonpath={.status.containerStatuses[0].restartCount}",
        ],
    )
    .await
    .unwrap();
    assert!(
        restarts.parse::<i32>().unwrap() > 9,
        "RESTARTS climbs: {restarts}"
    );

    let top = kubectl(&kubeconfig, &["-n", "shop", "top", "pods"])
        .await
        .unwrap();
    let frontend = top
        .lines()
        .find(|l| l.starts_with("frontend-5c7d9f8b6-h4jxv"))
        .unwrap_or_else(|| panic!("{top}"));
    assert!(
        frontend.contains("120m") && frontend.contains("180Mi"),
        "{top}"
    );
    let nodes = kubectl(&kubeconfig, &["top", "nodes"]).await.unwrap();
    let listed = nodes
        .lines()
        .find(|l| l.starts_with("node-a"))
        .unwrap_or_else(|| panic!("{nodes}"))
        .to_string();
    // The list sums every node in one pass over the pods; one node's
    // metrics alone must say the same.
    let one = kubectl(&kubeconfig, &["top", "node", "node-a"])
        .await
        .unwrap();
    assert!(one.lines().any(|l| l == listed), "{listed}\nvs\n{one}");
    handle.shutdown().await;
}
