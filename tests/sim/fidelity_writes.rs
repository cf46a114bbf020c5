//! The simulator refuses and converts writes as the real API server
//! (kube-apiserver v1.37.2) does: immutable fields, the pvc-unbound drill's
//! wrong fix, autoscaling/v1. Split from `fidelity.rs`, whose helpers it uses.

use super::fidelity::{ok, run};
use super::tools::serve_with_kubeconfig;
use super::*;

use super::kube_support as kube;

/// kubectl refused the change with exactly this (its stderr's first line).
async fn refused(kubeconfig: &Path, args: &[&str], said: &str) {
    let r = run(kubeconfig, args).await;
    assert_eq!(r.code, 1, "{args:?} was accepted: {}", r.out);
    let first = r.err.lines().next().unwrap_or_default();
    assert_eq!(first, said, "{args:?}: {}", r.err);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pvc_unbound_refuses_the_wrong_fix_and_heals_by_the_right_one() {
    if kube::skipped("kubectl patch pvc") {
        return;
    }
    let (handle, _dir, kubeconfig) = serve_with_kubeconfig("pvc-unbound").await;
    let claims = ok(&kubeconfig, &["-n", "shop", "get", "pvc", "-o", "name"]).await;
    let claim = claims
        .lines()
        .next()
        .expect("the drill has claims")
        .to_string();
    let name = claim.trim_start_matches("persistentvolumeclaim/");
    // The real one, to the same patch of a claim whose class was set.
    refused(
        &kubeconfig,
        &["-n", "shop", "patch", &claim, "-p", r#"{"spec":{"storageClassName":"standard"}}"#],
        &format!(
            "The PersistentVolumeClaim \"{name}\" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"
        ),
    )
    .await;
    // The real one: `spec.volumeClaimTemplates: Invalid value: [...]: field is immutable`.
    let r = run(
        &kubeconfig,
        &["-n", "shop", "patch", "statefulset", "orders-db", "--type=json", "-p",
          r#"[{"op":"replace","path":"/spec/volumeClaimTemplates/0/spec/storageClassName","value":"standard"}]"#],
    )
    .await;
    assert_eq!(r.code, 1, "{}", r.out);
    assert!(
        r.err.starts_with(
            "The StatefulSet \"orders-db\" is invalid: spec.volumeClaimTemplates: Invalid value: "
        ),
        "{}",
        r.err
    );
    assert!(
        r.err.trim_end().ends_with("field is immutable"),
        "{}",
        r.err
    );
    advance(&handle, Duration::from_secs(60), Duration::from_secs(5));
    let phase = ok(
        &kubeconfig,
        &[
            "-n",
            "shop",
            "get",
            &claim,
            "-o",
            "jsonpath={.status.phase}",
        ],
    )
    .await;
    assert_eq!(phase, "Pending", "the refused fixes healed nothing");
    // The right fix: the StorageClass the claims name.
    let fix = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fixes/fast-ssd-storageclass.yaml");
    ok(&kubeconfig, &["apply", "-f", fix.to_str().unwrap()]).await;
    advance(&handle, Duration::from_secs(120), Duration::from_secs(5));
    let phase = ok(
        &kubeconfig,
        &[
            "-n",
            "shop",
            "get",
            &claim,
            "-o",
            "jsonpath={.status.phase}",
        ],
    )
    .await;
    assert_eq!(phase, "Bound");
    handle.shutdown().await;
}

const FROZEN: &str = "apiVersion: v1
kind: ConfigMap
metadata: { name: frozen, namespace: shop }
immutable: true
data: { a: b }
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn immutable_fields_are_refused_with_the_real_servers_words() {
    if kube::skipped("kubectl patch (immutable fields)") {
        return;
    }
    let (handle, dir, kubeconfig) = serve_with_kubeconfig("checkout-oom").await;
    let file = dir.path().join("frozen.yaml");
    std::fs::write(&file, FROZEN).unwrap();
    ok(&kubeconfig, &["apply", "-f", file.to_str().unwrap()]).await;
    let pod = ok(
        &kubeconfig,
        &[
            "-n",
            "shop",
            "get",
            "pods",
            "-l",
            "app=checkout",
            "-o",
            "jsonpath={.items[0].metadata.name}",
        ],
    )
    .await;
    let ip = ok(
        &kubeconfig,
        &[
            "-n",
            "shop",
            "get",
            "svc",
            "checkout",
            "-o",
            "jsonpath={.spec.clusterIP}",
        ],
    )
    .await;
    assert!(!ip.is_empty());
    // Each the real server's answer to the same patch (kubectl's first line).
    refused(
        &kubeconfig,
        &["-n", "shop", "patch", "deployment", "checkout", "-p",
          r#"{"spec":{"selector":{"matchLabels":{"app":"other"}},"template":{"metadata":{"labels":{"app":"other"}}}}}"#],
        r#"The Deployment "checkout" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"other"}}: field is immutable"#,
    )
    .await;
    refused(
        &kubeconfig,
        &["-n", "shop", "patch", "svc", "checkout", "-p", r#"{"spec":{"clusterIP":"10.96.0.99","clusterIPs":["10.96.0.99"]}}"#],
        r#"The Service "checkout" is invalid: spec.clusterIPs[0]: Invalid value: ["10.96.0.99"]: may not change once set"#,
    )
    .await;
    refused(
        &kubeconfig,
        &["-n", "shop", "patch", "cm", "frozen", "-p", r#"{"data":{"a":"c"}}"#],
        "The ConfigMap \"frozen\" is invalid: data: Forbidden: field is immutable when `immutable` is set",
    )
    .await;
    refused(
        &kubeconfig,
        &["-n", "shop", "patch", "cm", "frozen", "-p", r#"{"immutable":false}"#],
        "The ConfigMap \"frozen\" is invalid: immutable: Forbidden: field is immutable when `immutable` is set",
    )
    .await;
    refused(
        &kubeconfig,
        &["-n", "shop", "patch", "pod", &pod, "-p", r#"{"spec":{"containers":[{"name":"checkout","env":[{"name":"A","value":"b"}]}]}}"#],
        &format!("The Pod \"{pod}\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"),
    )
    .await;
    // What the real one lets change: a pod's image, a Service's ports.
    ok(&kubeconfig, &["-n", "shop", "patch", "pod", &pod, "-p", r#"{"spec":{"containers":[{"name":"checkout","image":"registry.example.com/checkout:v4.12.1"}]}}"#]).await;
    ok(
        &kubeconfig,
        &[
            "-n",
            "shop",
            "patch",
            "svc",
            "checkout",
            "-p",
            r#"{"spec":{"sessionAffinity":"ClientIP"}}"#,
        ],
    )
    .await;
    handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autoscaling_v1_serves_the_same_hpas() {
    if kube::skipped("kubectl get horizontalpodautoscalers.v1.autoscaling") {
        return;
    }
    let (handle, _dir, kubeconfig) = serve_with_kubeconfig("hpa-maxed").await;
    // The real one's /apis: autoscaling with v2 (preferred) and v1.
    let apis: serde_json::Value =
        serde_json::from_str(&ok(&kubeconfig, &["get", "--raw", "/apis"]).await).unwrap();
    let autoscaling = apis["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "autoscaling")
        .unwrap();
    assert_eq!(
        autoscaling["versions"],
        serde_json::json!([
            { "groupVersion": "autoscaling/v2", "version": "v2" },
            { "groupVersion": "autoscaling/v1", "version": "v1" }
        ])
    );
    assert_eq!(autoscaling["preferredVersion"]["version"], "v2");
    // The real one: the v2 CPU Utilization metric is v1's target.
    let v1 = "horizontalpodautoscalers.v1.autoscaling";
    let hpa: serde_json::Value = serde_json::from_str(
        &ok(&kubeconfig, &["-n", "shop", "get", v1, "api", "-o", "json"]).await,
    )
    .unwrap();
    assert_eq!(hpa["apiVersion"], "autoscaling/v1");
    assert_eq!(hpa["spec"]["targetCPUUtilizationPercentage"], 70);
    assert_eq!(
        (&hpa["spec"]["minReplicas"], &hpa["spec"]["maxReplicas"]),
        (&2.into(), &4.into())
    );
    assert!(hpa["spec"]["metrics"].is_null());
    // A v1 patch is the same object's v2 metric.
    let patched: serde_json::Value = serde_json::from_str(
        &ok(
            &kubeconfig,
            &[
                "-n",
                "shop",
                "patch",
                v1,
                "api",
                "-p",
                r#"{"spec":{"targetCPUUtilizationPercentage":50}}"#,
                "-o",
                "json",
            ],
        )
        .await,
    )
    .unwrap();
    assert_eq!(patched["apiVersion"], "autoscaling/v1");
    assert_eq!(patched["spec"]["targetCPUUtilizationPercentage"], 50);
    let metrics = ok(
        &kubeconfig,
        &[
            "-n",
            "shop",
            "get",
            "hpa",
            "api",
            "-o",
            "jsonpath={.spec.metrics}",
        ],
    )
    .await;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&metrics).unwrap(),
        serde_json::json!([{ "resource": { "name": "cpu", "target": { "averageUtilization": 50, "type": "Utilization" } }, "type": "Resource" }])
    );
    // Listed in v1 too.
    let names = ok(
        &kubeconfig,
        &[
            "-n",
            "shop",
            "get",
            v1,
            "-o",
            "jsonpath={.items[*].apiVersion}",
        ],
    )
    .await;
    assert_eq!(names, "autoscaling/v1");
    handle.shutdown().await;
}
