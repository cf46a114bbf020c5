//! The simulator answers as the real API server (kube-apiserver v1.37.2,
//! `tests/controlplane/up`) does, for what issue #21 found it did not. Each
//! test says what the real one answered; kubectl is the one built from
//! source (`support/kube.rs`), and a test fails loudly without it.

use super::tools::serve_with_kubeconfig;
use super::*;

use super::kube_support as kube;

/// What a kubectl run ended with: its exit code, stdout and stderr.
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) out: String,
    pub(crate) err: String,
}

/// The built kubectl against `kubeconfig`, however it ends.
pub(crate) async fn run(kubeconfig: &Path, args: &[&str]) -> Run {
    let output = tokio::process::Command::new(kube::kubectl())
        .args(args)
        .env("KUBECONFIG", kubeconfig)
        .env_remove("KUBERNETES_SERVICE_HOST")
        .output();
    let output = soon(output)
        .await
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", kube::kubectl().display()));
    Run {
        code: output.status.code().unwrap_or(-1),
        out: String::from_utf8_lossy(&output.stdout).into_owned(),
        err: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// kubectl that must succeed; its stdout.
pub(crate) async fn ok(kubeconfig: &Path, args: &[&str]) -> String {
    let r = run(kubeconfig, args).await;
    assert_eq!(r.code, 0, "kubectl {args:?} failed: {}{}", r.err, r.out);
    r.out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_endpoints_answer_ok() {
    if kube::skipped("kubectl get --raw /healthz") {
        return;
    }
    let (handle, _dir, kubeconfig) = serve_with_kubeconfig("checkout-oom").await;
    // The real one: `ok` (no newline) for each, exit 0.
    for path in [
        "/healthz",
        "/readyz",
        "/livez",
        "/healthz/ping",
        "/readyz/etcd",
    ] {
        assert_eq!(
            ok(&kubeconfig, &["get", "--raw", path]).await,
            "ok",
            "{path}"
        );
    }
    // The real one: `[+]ping ok` ... `readyz check passed`, one check a line.
    let verbose = ok(&kubeconfig, &["get", "--raw", "/readyz?verbose"]).await;
    let lines: Vec<&str> = verbose.lines().collect();
    assert_eq!(lines.first(), Some(&"[+]ping ok"), "{verbose}");
    assert!(lines.contains(&"[+]etcd-readiness ok"), "{verbose}");
    assert_eq!(lines.last(), Some(&"readyz check passed"), "{verbose}");
    let verbose = ok(&kubeconfig, &["get", "--raw", "/livez?verbose"]).await;
    assert!(
        verbose
            .ends_with("[+]poststarthook/apiservice-openapiv3-controller ok\nlivez check passed\n"),
        "{verbose}"
    );
    // The real one: 404 for a check it does not have.
    let r = run(&kubeconfig, &["get", "--raw", "/healthz/nope"]).await;
    assert_eq!(r.code, 1, "{}", r.out);
    handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_and_nodes_say_v1_37_2() {
    if kube::skipped("kubectl version") {
        return;
    }
    let (handle, _dir, kubeconfig) = serve_with_kubeconfig("checkout-oom").await;
    // The real one's /version (kube-apiserver built from k8s.io/kubernetes
    // v1.37.2 by tests/controlplane).
    let version: serde_json::Value =
        serde_json::from_str(&ok(&kubeconfig, &["get", "--raw", "/version"]).await).unwrap();
    assert_eq!(version["gitVersion"], "v1.37.2");
    assert_eq!(
        (&version["major"], &version["minor"]),
        (&"1".into(), &"37".into())
    );
    assert_eq!(version["emulationMinor"], "37");
    assert_eq!(version["minCompatibilityMinor"], "36");
    // `kubectl version` warns of no skew between a 1.37 client and server.
    let r = run(&kubeconfig, &["version"]).await;
    assert!(r.out.contains("Server Version: v1.37.2"), "{}", r.out);
    assert!(!r.err.contains("skew"), "{}", r.err);
    let nodes = ok(
        &kubeconfig,
        &[
            "get",
            "nodes",
            "-o",
            "jsonpath={.items[*].status.nodeInfo.kubeletVersion}",
        ],
    )
    .await;
    assert!(!nodes.is_empty());
    assert!(nodes.split(' ').all(|v| v == "v1.37.2"), "{nodes}");
    handle.shutdown().await;
}

/// A scenario on loopback with its kubeconfig written (the directory lives
/// as long as the returned guard).
async fn serve_yaml(yaml: &str) -> (SimHandle, tempfile::TempDir, std::path::PathBuf) {
    let handle = Simulator::start_with(scenario(yaml), loopback(), None, manual())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    handle.write_kubeconfig(&kubeconfig).unwrap();
    (handle, dir, kubeconfig)
}

const FORBIDDEN: &str = r#"
apiVersion: runbook/v1
kind: Scenario
metadata: { name: forbidden, params: { namespace: shop } }
faults:
  forbidden: [nodes, pods/log, deployments.apps]
objects:
  - apiVersion: v1
    kind: Pod
    metadata: { name: web-1, namespace: shop, labels: { app: web } }
    spec: { containers: [ { name: web, image: web:1 } ] }
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auth_can_i_answers_from_the_simulators_rules() {
    if kube::skipped("kubectl auth can-i") {
        return;
    }
    let (handle, _dir, kubeconfig) = serve_yaml(FORBIDDEN).await;
    // The real one (shop-viewer: may read namespace shop): `yes`, exit 0
    // for what is allowed; `no`, exit 1 for what is not (kubectl sends the
    // SelfSubjectAccessReview as protobuf).
    for (args, answer) in [
        (&["get", "pods", "-n", "shop"][..], "yes"),
        (&["delete", "pods", "-n", "shop"], "yes"),
        (&["list", "nodes"], "no"),
        (&["get", "pods", "--subresource=log", "-n", "shop"], "no"),
        (&["patch", "deployments.apps", "-n", "shop"], "no"),
        (&["get", "services", "-n", "shop"], "yes"),
    ] {
        let mut argv = vec!["auth", "can-i"];
        argv.extend_from_slice(args);
        let r = run(&kubeconfig, &argv).await;
        assert_eq!(r.out.trim(), answer, "{argv:?}: {}", r.err);
        assert_eq!(r.code, if answer == "yes" { 0 } else { 1 }, "{argv:?}");
    }
    // The real one: the non-resource URLs everyone may read.
    let r = run(&kubeconfig, &["auth", "can-i", "get", "/healthz"]).await;
    assert_eq!((r.code, r.out.trim()), (0, "yes"), "{}", r.err);
    // --list (SelfSubjectRulesReview): what is allowed, never what is not.
    let list = ok(&kubeconfig, &["auth", "can-i", "--list", "-n", "shop"]).await;
    let resources: Vec<&str> = list
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(resources.contains(&"pods"), "{list}");
    assert!(
        resources.contains(&"selfsubjectaccessreviews.authorization.k8s.io"),
        "{list}"
    );
    assert!(!resources.contains(&"nodes"), "{list}");
    assert!(!resources.contains(&"pods/log"), "{list}");
    assert!(!resources.contains(&"deployments.apps"), "{list}");
    handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auth_can_i_list_is_the_admins_when_nothing_is_forbidden() {
    if kube::skipped("kubectl auth can-i --list") {
        return;
    }
    let (handle, _dir, kubeconfig) = serve_with_kubeconfig("checkout-oom").await;
    // The real admin's first rows: `*.*  []  []  [*]`, then `[*]  []  [*]`.
    let list = ok(&kubeconfig, &["auth", "can-i", "--list"]).await;
    let rows: Vec<Vec<&str>> = list
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert!(rows.contains(&vec!["*.*", "[]", "[]", "[*]"]), "{list}");
    assert!(rows.contains(&vec!["[*]", "[]", "[*]"]), "{list}");
    handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_control_planes_own_objects_are_there() {
    if kube::skipped("kubectl get svc kubernetes") {
        return;
    }
    let (handle, _dir, kubeconfig) = serve_with_kubeconfig("checkout-oom").await;
    // The real one: default/kubernetes, 10.96.0.1, https 443 to the API
    // server's secure port, defaulted as any Service.
    let svc: serde_json::Value = serde_json::from_str(
        &ok(
            &kubeconfig,
            &["-n", "default", "get", "svc", "kubernetes", "-o", "json"],
        )
        .await,
    )
    .unwrap();
    assert_eq!(svc["spec"]["clusterIP"], "10.96.0.1");
    assert_eq!(svc["spec"]["type"], "ClusterIP");
    assert_eq!(
        svc["spec"]["ports"],
        serde_json::json!([{ "name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443 }])
    );
    assert_eq!(svc["metadata"]["labels"]["component"], "apiserver");
    let slice = ok(
        &kubeconfig,
        &[
            "-n",
            "default",
            "get",
            "endpointslice",
            "kubernetes",
            "-o",
            "jsonpath={.ports[0].port} {.endpoints[0].conditions.ready}",
        ],
    )
    .await;
    assert_eq!(slice, "6443 true");
    // The real one: default, kube-node-lease, kube-public, kube-system.
    let namespaces = ok(&kubeconfig, &["get", "ns", "-o", "name"]).await;
    for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
        assert!(
            namespaces.contains(&format!("namespace/{ns}\n")),
            "{namespaces}"
        );
    }
    // The real kubelet's node lease: describe node prints it (without a
    // lease: "Failed to get lease").
    let leases = ok(&kubeconfig, &["-n", "kube-node-lease", "get", "leases"]).await;
    assert!(
        leases
            .lines()
            .any(|l| l.split_whitespace().take(2).eq(["node-a", "node-a"])),
        "NAME HOLDER AGE: {leases}"
    );
    let describe = ok(&kubeconfig, &["describe", "node", "node-a"]).await;
    assert!(describe.contains("HolderIdentity:  node-a"), "{describe}");
    assert!(!describe.contains("Failed to get lease"), "{describe}");
    let renewed = |text: &str| {
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        v["spec"]["renewTime"]
            .as_str()
            .unwrap()
            .parse::<jiff::Timestamp>()
            .unwrap()
    };
    let lease_args = [
        "-n",
        "kube-node-lease",
        "get",
        "lease",
        "node-a",
        "-o",
        "json",
    ];
    let before = renewed(&ok(&kubeconfig, &lease_args).await);
    // The kubelet renews every 10 s; the simulator's renews when the
    // cluster next runs (here: a write), so an idle cluster is not woken.
    advance(&handle, Duration::from_secs(30), Duration::from_secs(5));
    ok(&kubeconfig, &["label", "node", "node-a", "seen=yes"]).await;
    let after = renewed(&ok(&kubeconfig, &lease_args).await);
    assert!(
        after.duration_since(before) >= jiff::SignedDuration::from_secs(20),
        "{before} {after}"
    );
    handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_whose_kubelet_stopped_keeps_its_last_renewal() {
    if kube::skipped("kubectl get lease") {
        return;
    }
    let (handle, _dir, kubeconfig) = serve_with_kubeconfig("node-down").await;
    let unknown = ok(
        &kubeconfig,
        &["get", "nodes", "-o", "jsonpath={range .items[*]}{.metadata.name} {.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}"],
    )
    .await;
    let node = unknown
        .lines()
        .find_map(|l| l.strip_suffix(" Unknown"))
        .unwrap_or_else(|| panic!("node-down has a node whose Ready is Unknown: {unknown}"))
        .to_string();
    let renew = |text: String| text;
    let args = [
        "-n",
        "kube-node-lease",
        "get",
        "lease",
        &node,
        "-o",
        "jsonpath={.spec.renewTime}",
    ];
    let before = renew(ok(&kubeconfig, &args).await);
    advance(&handle, Duration::from_secs(60), Duration::from_secs(10));
    assert_eq!(
        ok(&kubeconfig, &args).await,
        before,
        "a stopped kubelet renews nothing"
    );
    handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_select_their_own_pods_as_the_real_job_controller_does() {
    if kube::skipped("kubectl logs job/x") {
        return;
    }
    let (handle, dir, kubeconfig) = serve_with_kubeconfig("checkout-oom").await;
    // Applied (JSON): `kubectl create job` sends protobuf, which another
    // change teaches the simulator.
    for job in ["first", "second"] {
        let file = dir.path().join(format!("{job}.yaml"));
        let manifest = format!(
            "apiVersion: batch/v1\nkind: Job\nmetadata: {{ name: {job}, namespace: shop }}\n\
             spec:\n  template:\n    spec:\n      restartPolicy: Never\n      \
             containers: [ {{ name: {job}, image: busybox }} ]\n"
        );
        std::fs::write(&file, manifest).unwrap();
        ok(&kubeconfig, &["apply", "-f", file.to_str().unwrap()]).await;
    }
    advance(&handle, Duration::from_secs(5), Duration::from_secs(1));
    // The real one: selector {batch.kubernetes.io/controller-uid: UID}; the
    // template, the pods and (having none of its own) the Job labelled with
    // controller-uid, job-name and their batch.kubernetes.io/ forms.
    let job: serde_json::Value = serde_json::from_str(
        &ok(
            &kubeconfig,
            &["-n", "shop", "get", "job", "second", "-o", "json"],
        )
        .await,
    )
    .unwrap();
    let uid = job["metadata"]["uid"].as_str().unwrap();
    assert_eq!(
        job["spec"]["selector"],
        serde_json::json!({ "matchLabels": { "batch.kubernetes.io/controller-uid": uid } })
    );
    let four = serde_json::json!({
        "batch.kubernetes.io/controller-uid": uid,
        "batch.kubernetes.io/job-name": "second",
        "controller-uid": uid,
        "job-name": "second",
    });
    assert_eq!(job["metadata"]["labels"], four);
    assert_eq!(job["spec"]["template"]["metadata"]["labels"], four);
    let pods = ok(
        &kubeconfig,
        &[
            "-n",
            "shop",
            "get",
            "pods",
            "-l",
            "job-name=second",
            "-o",
            "name",
        ],
    )
    .await;
    let pod = pods
        .trim()
        .strip_prefix("pod/")
        .unwrap_or_else(|| panic!("one pod: {pods}"));
    assert!(pod.starts_with("second-"), "{pods}");
    // kubectl logs job/x reads the pod its selector picks.
    let r = run(&kubeconfig, &["-n", "shop", "logs", "job/second", "-v=6"]).await;
    assert!(r.err.contains(&format!("/pods/{pod}/log")), "{}", r.err);
    handle.shutdown().await;
}

const WEB: &str = "apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  selector: { app: web }
  ports: [ { name: http, port: 8080 }, { name: metrics, port: 9090, targetPort: metrics } ]
---
apiVersion: v1
kind: Pod
metadata: { name: web-1, namespace: shop, labels: { app: web } }
spec:
  containers: [ { name: web, image: registry.example.com/checkout:v4.12.0, ports: [ { name: metrics, containerPort: 9100 } ] } ]
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_applied_service_is_defaulted_and_its_endpoints_are_numbers() {
    if kube::skipped("kubectl apply service") {
        return;
    }
    let (handle, dir, kubeconfig) = serve_with_kubeconfig("checkout-oom").await;
    let file = dir.path().join("web.yaml");
    std::fs::write(&file, WEB).unwrap();
    ok(&kubeconfig, &["apply", "-f", file.to_str().unwrap()]).await;
    advance(&handle, Duration::from_secs(30), Duration::from_secs(1));
    // The real one's spec for the same Service (its clusterIP random in
    // 10.96.0.0/12).
    let svc: serde_json::Value = serde_json::from_str(
        &ok(
            &kubeconfig,
            &["-n", "shop", "get", "svc", "web", "-o", "json"],
        )
        .await,
    )
    .unwrap();
    let spec = &svc["spec"];
    let ip = spec["clusterIP"].as_str().unwrap();
    assert!(ip.starts_with("10.96."), "{ip}");
    assert_eq!(spec["clusterIPs"], serde_json::json!([ip]));
    for (field, value) in [
        ("type", serde_json::json!("ClusterIP")),
        ("sessionAffinity", serde_json::json!("None")),
        ("ipFamilies", serde_json::json!(["IPv4"])),
        ("ipFamilyPolicy", serde_json::json!("SingleStack")),
        ("internalTrafficPolicy", serde_json::json!("Cluster")),
        (
            "ports",
            serde_json::json!([
                { "name": "http", "port": 8080, "protocol": "TCP", "targetPort": 8080 },
                { "name": "metrics", "port": 9090, "protocol": "TCP", "targetPort": "metrics" }
            ]),
        ),
    ] {
        assert_eq!(spec[field], value, "{field}");
    }
    // The real one's describe: `Type: ClusterIP`, `Port: http  8080/TCP`.
    let describe = ok(&kubeconfig, &["-n", "shop", "describe", "svc", "web"]).await;
    for line in [
        "Type:                     ClusterIP",
        "Port:                     http  8080/TCP",
        "TargetPort:               8080/TCP",
        "Port:                     metrics  9090/TCP",
        "TargetPort:               metrics/TCP",
        "Session Affinity:         None",
    ] {
        assert!(
            describe.lines().any(|l| l == line),
            "{line:?} in\n{describe}"
        );
    }
    // The real one: ENDPOINTS `10.244.0.5:8080,10.244.0.5:9100` (the named
    // targetPort resolved from the pod's container port).
    let pod_ip = ok(
        &kubeconfig,
        &[
            "-n",
            "shop",
            "get",
            "pod",
            "web-1",
            "-o",
            "jsonpath={.status.podIP}",
        ],
    )
    .await;
    assert!(!pod_ip.is_empty(), "the pod runs");
    let endpoints = ok(&kubeconfig, &["-n", "shop", "get", "endpoints", "web"]).await;
    let header: Vec<&str> = endpoints
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(header, ["NAME", "ENDPOINTS", "AGE"], "{endpoints}");
    assert!(
        endpoints.contains(&format!("{pod_ip}:8080,{pod_ip}:9100")),
        "{endpoints}"
    );
    let ports = ok(
        &kubeconfig,
        &[
            "-n",
            "shop",
            "get",
            "endpointslices",
            "-l",
            "kubernetes.io/service-name=web",
            "-o",
            "jsonpath={.items[0].ports[*].port}",
        ],
    )
    .await;
    assert_eq!(ports, "8080 9100");
    handle.shutdown().await;
}
