//! The session's API gateway in front of the real API server, with kubectl
//! 1.37 through it: reads, lists and watches, a protobuf create, server-side
//! apply, `kubectl diff` and `auth can-i` pass; in a read-only session the
//! writes are refused and the API server's audit log shows that none of them
//! reached it.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use runbook::cluster::gateway::{ApiWrite, Gateway, ReadOnly};
use tokio::sync::mpsc;

use super::*;

/// A gateway connected to the cluster of `kubeconfig`, as the switchboard
/// connects it, with `namespace` as the session's.
async fn gateway(
    kubeconfig: &Path,
    namespace: &str,
    read_only: bool,
) -> (Gateway, mpsc::UnboundedReceiver<ApiWrite>) {
    let (gateway, writes) = Gateway::start(ReadOnly::new(read_only))
        .await
        .expect("gateway");
    let file = ::kube::config::Kubeconfig::read_from(kubeconfig).expect("kubeconfig");
    let config = ::kube::Config::from_custom_kubeconfig(file, &Default::default())
        .await
        .expect("config");
    let epoch = gateway.connecting(Some("controlplane"), Some(namespace));
    gateway.connected(epoch, config, namespace);
    (gateway, writes)
}

/// kubectl with a command's gateway credential (its KUBECONFIG).
fn through(env: &[(String, String)], args: &[&str]) -> Output {
    Command::new(kube::kubectl())
        .args(args)
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(Stdio::null())
        .output()
        .expect("run kubectl")
}

fn ok(out: &Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn drain(writes: &mut mpsc::UnboundedReceiver<ApiWrite>) -> Vec<ApiWrite> {
    let mut out = Vec::new();
    while let Ok(w) = writes.try_recv() {
        out.push(w);
    }
    out
}

const APPLIED: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: applied, namespace: NS }\ndata: { k: v1 }\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_passes_the_gateway_to_the_real_api_server() {
    let Some(cp) = control_plane() else { return };
    let ns = namespace(cp, "real-gateway");
    let dir = tempfile::tempdir().expect("tempdir");
    let (gateway, mut writes) = gateway(&cp.admin(), &ns, false).await;
    let credential = gateway.issue("kubectl", dir.path()).expect("credential");
    let env = credential.env();

    // A protobuf create (kubectl sends protobuf for built-in kinds).
    ok(
        &through(
            &env,
            &["create", "configmap", "made", "--from-literal=k=v1"],
        ),
        "create",
    );
    assert_eq!(
        cp.kubectl_ok(&["get", "cm", "made", "-n", &ns, "-o", "jsonpath={.data.k}"]),
        "v1"
    );
    // Server-side apply, then a diff against a changed manifest.
    let manifest = dir.path().join("applied.yaml");
    std::fs::write(&manifest, APPLIED.replace("NS", &ns)).expect("manifest");
    let m = manifest.display().to_string();
    ok(
        &through(&env, &["apply", "--server-side", "-f", &m]),
        "apply --server-side",
    );
    let managers = cp.kubectl_ok(&[
        "get",
        "cm",
        "applied",
        "-n",
        &ns,
        "-o",
        "jsonpath={.metadata.managedFields[*].manager}",
    ]);
    assert_eq!(managers, "kubectl", "applied server-side");
    std::fs::write(
        &manifest,
        APPLIED.replace("NS", &ns).replace("k: v1", "k: v2"),
    )
    .expect("manifest");
    let diff = through(&env, &["diff", "-f", &m]);
    assert_eq!(
        diff.status.code(),
        Some(1),
        "kubectl diff exits 1 when there are differences: {}",
        String::from_utf8_lossy(&diff.stderr)
    );
    let text = String::from_utf8_lossy(&diff.stdout);
    assert!(
        text.contains("-  k: v1") && text.contains("+  k: v2"),
        "{text}"
    );
    assert_eq!(
        cp.kubectl_ok(&[
            "get",
            "cm",
            "applied",
            "-n",
            &ns,
            "-o",
            "jsonpath={.data.k}"
        ]),
        "v1",
        "a diff changes nothing"
    );
    // The caller's own questions.
    assert_eq!(
        ok(
            &through(&env, &["auth", "can-i", "create", "pods"]),
            "can-i"
        )
        .trim(),
        "yes"
    );
    assert_eq!(
        ok(&through(&env, &["get", "--raw", "/healthz"]), "healthz").trim(),
        "ok"
    );
    // get and list, with the server's tables.
    let listed = ok(&through(&env, &["get", "configmaps"]), "get");
    assert!(
        listed.contains("made") && listed.contains("applied"),
        "{listed}"
    );
    // A watch: kubectl wait sees a change made after it started.
    let waiting = Command::new(kube::kubectl())
        .args([
            "wait",
            "--for=jsonpath={.data.k}=v3",
            "configmap/made",
            "--timeout=60s",
        ])
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kubectl wait");
    // Once its watch is open (the audit log shows it), the change.
    let deadline = std::time::Instant::now() + PATIENCE;
    while !audit_events(cp).iter().any(|e| {
        e["verb"] == "watch"
            && e["objectRef"]["namespace"] == ns.as_str()
            && e["objectRef"]["resource"] == "configmaps"
    }) {
        assert!(
            std::time::Instant::now() < deadline,
            "kubectl wait never watched"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    cp.kubectl_ok(&[
        "patch",
        "cm",
        "made",
        "-n",
        &ns,
        "-p",
        r#"{"data":{"k":"v3"}}"#,
    ]);
    let waited = waiting.wait_with_output().expect("kubectl wait");
    ok(&waited, "kubectl wait (a watch through the gateway)");

    let writes = drain(&mut writes);
    let seen: Vec<(String, Option<String>, bool)> = writes
        .iter()
        .map(|w| (w.method.clone(), w.resource.clone(), w.dry_run))
        .collect();
    assert!(
        seen.contains(&("POST".into(), Some("configmaps".into()), false)),
        "{seen:?}"
    );
    assert!(
        seen.contains(&("PATCH".into(), Some("configmaps".into()), false)),
        "the server-side apply: {seen:?}"
    );
    assert!(
        seen.contains(&("PATCH".into(), Some("configmaps".into()), true)),
        "the diff's dry run: {seen:?}"
    );
    assert!(
        writes.iter().all(|w| w.refused.is_none() && w.status < 300),
        "{writes:?}"
    );
    drop(credential);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_session_sends_no_write_to_the_api_server() {
    let Some(cp) = control_plane() else { return };
    cp.apply("apiVersion: v1\nkind: ConfigMap\nmetadata: { name: read-only-probe, namespace: shop }\ndata: { k: v1 }\n");
    let dir = tempfile::tempdir().expect("tempdir");
    // The viewer's session: every request it makes is in the audit log
    // under its own user, refused by RBAC or not.
    let (gateway, mut writes) = gateway(&cp.viewer(), "shop", true).await;
    let credential = gateway.issue("kubectl", dir.path()).expect("credential");
    let env = credential.env();
    let manifest = dir.path().join("cm.yaml");
    std::fs::write(
        &manifest,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: read-only-probe, namespace: shop }\ndata: { k: v2 }\n",
    )
    .expect("manifest");
    let m = manifest.display().to_string();
    let changes: Vec<Vec<&str>> = vec![
        vec!["create", "configmap", "nope", "--from-literal=a=b"],
        vec!["apply", "--server-side", "-f", &m],
        vec!["apply", "-f", &m],
        vec!["replace", "-f", &m],
        vec!["label", "configmap", "read-only-probe", "x=y"],
        vec!["annotate", "configmap", "read-only-probe", "x=y"],
        vec![
            "patch",
            "configmap",
            "read-only-probe",
            "-p",
            r#"{"data":{"k":"v9"}}"#,
        ],
        vec!["delete", "configmap", "read-only-probe"],
        vec!["delete", "configmaps", "--all"],
        vec!["scale", "deployment/none", "--replicas=2"],
    ];
    for args in &changes {
        let out = through(&env, args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(
            err.contains("read-only session")
                || err.contains("NotFound")
                || err.contains("not found"),
            "{args:?}: {err}"
        );
    }
    // Reads pass.
    let listed = ok(&through(&env, &["get", "configmaps"]), "get");
    assert!(listed.contains("read-only-probe"), "{listed}");
    assert_eq!(
        ok(&through(&env, &["auth", "can-i", "list", "pods"]), "can-i").trim(),
        "yes"
    );
    assert_eq!(
        cp.kubectl_ok(&[
            "get",
            "cm",
            "read-only-probe",
            "-n",
            "shop",
            "-o",
            "jsonpath={.data.k}"
        ]),
        "v1"
    );
    let refused = drain(&mut writes);
    assert!(
        refused.iter().all(|w| w.refused.is_some()),
        "every change was refused by the gateway: {refused:?}"
    );
    // (Refusals are reported at most once a second per method and path.)
    assert!(
        refused.iter().any(|w| w.method == "POST") && refused.iter().any(|w| w.method == "DELETE"),
        "{refused:?}"
    );

    // The API server's own record: the viewer's reads arrived, no change did
    // (its own questions, SelfSubjectAccessReviews, are creates that change
    // nothing, and are counted apart).
    let events = audit_events(cp);
    let viewer: Vec<&serde_json::Value> = events
        .iter()
        .filter(|e| e["user"]["username"] == "shop-viewer")
        .collect();
    let reads = viewer
        .iter()
        .filter(|e| e["verb"] == "list" && e["objectRef"]["resource"] == "configmaps")
        .count();
    assert!(reads > 0, "the viewer's reads are in the audit log");
    let questions = viewer
        .iter()
        .filter(|e| e["objectRef"]["resource"] == "selfsubjectaccessreviews")
        .count();
    assert!(questions > 0, "auth can-i reached the API server");
    let mutating: Vec<String> = viewer
        .iter()
        .filter(|e| {
            MUTATING.iter().any(|v| e["verb"] == *v)
                && e["objectRef"]["resource"] != "selfsubjectaccessreviews"
        })
        .map(|e| format!("{} {}", e["verb"], e["requestURI"]))
        .collect();
    assert_eq!(
        mutating,
        Vec::<String>::new(),
        "mutating requests from the session"
    );
    drop(credential);
}
