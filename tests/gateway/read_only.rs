//! Read-only, enforced by the gateway on the HTTP request: the commands the
//! issue names, and kubectl's other changing verbs, are refused with a
//! Status kubectl prints ("read-only session"), and the simulator's audit
//! log holds no mutating request. The runner's own argv check is off here,
//! as if classification had got every one of these wrong.

use super::fake_api::FakeApi;
use super::*;

#[tokio::test]
async fn changing_commands_are_refused_on_the_wire() {
    require_kubectl!();
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().display().to_string();
    let (shop, audit_log) = sim(SHOP, dir.path(), "shop").await;
    let (gateway, mut writes) = gateway_for(&shop, true).await;
    let editor = dir.path().join("editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\nsed -i 's/replicas: 1/replicas: 7/' \"$1\"\n",
    )
    .expect("editor");
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o700))
        .expect("chmod");
    let manifest = dir.path().join("cm.yaml");
    std::fs::write(
        &manifest,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: new-cm, namespace: shop }\ndata: { a: b }\n",
    )
    .expect("manifest");
    let m = manifest.display().to_string();
    let cache_dir_trick =
        format!("cd {d} && exec kubectl --cache-dir get -n shop delete pod web-1");
    let commands: Vec<Vec<&str>> = vec![
        // The bypasses of the argv check.
        vec!["sh", "-c", &cache_dir_trick],
        vec![
            "kubectl",
            "--request-timeout",
            "30s",
            "-n",
            "shop",
            "delete",
            "pod",
            "web-1",
        ],
        vec!["env", "kubectl", "-n", "shop", "delete", "pod", "web-1"],
        // kubectl's changing verbs.
        vec!["kubectl", "-n", "shop", "label", "pod", "web-1", "team=x"],
        vec![
            "kubectl", "-n", "shop", "annotate", "pod", "web-1", "note=x",
        ],
        vec!["kubectl", "apply", "--validate=false", "-f", &m],
        vec![
            "kubectl",
            "-n",
            "shop",
            "edit",
            "--validate=false",
            "deployment/checkout",
        ],
        vec![
            "kubectl",
            "-n",
            "shop",
            "scale",
            "deployment/checkout",
            "--replicas",
            "3",
        ],
        vec![
            "kubectl",
            "-n",
            "shop",
            "rollout",
            "restart",
            "deployment/checkout",
        ],
        // What helm does to store a release.
        vec![
            "kubectl",
            "-n",
            "shop",
            "create",
            "secret",
            "generic",
            "sh.helm.release.v1.x.v1",
            "--from-literal=release=x",
        ],
        // A stream into a container.
        vec!["kubectl", "-n", "shop", "exec", "web-1", "--", "ls"],
    ];
    let editor_env = editor.display().to_string();
    for argv in &commands {
        let (out, finish) = run(
            argv,
            access(&gateway, &argv.join(" "), dir.path()),
            // kubectl edit keeps a refused edit's copy in TMPDIR.
            &[("KUBE_EDITOR", &editor_env), ("TMPDIR", &d)],
        )
        .await;
        assert_ne!(finish.exit_code, Some(0), "{argv:?} succeeded: {out}");
        assert!(out.contains("read-only session"), "{argv:?}: {out}");
    }
    assert_eq!(mutating(&audit_log), [], "a change reached the cluster");
    assert!(
        audit(&audit_log)
            .iter()
            .any(|(verb, path, _)| verb == "get" && path.contains("deployments/checkout")),
        "reads went through (edit read the object)"
    );
    let refused = drain(&mut writes);
    assert!(!refused.is_empty(), "refused attempts are reported");
    assert!(
        refused.iter().all(|w| w
            .refused
            .as_deref()
            .is_some_and(|r| r.contains("read-only session"))),
        "refusals are not changes: {refused:?}"
    );

    // Dry runs and the caller's own questions pass.
    let (out, finish) = run(
        &[
            "kubectl",
            "-n",
            "shop",
            "delete",
            "pod",
            "web-1",
            "--dry-run=server",
        ],
        access(&gateway, "dry run", dir.path()),
        &[],
    )
    .await;
    assert_eq!(finish.exit_code, Some(0), "{out}");
    assert!(out.contains("(server dry run)"), "{out}");
    let dry = drain(&mut writes);
    assert_eq!(dry.len(), 1, "{dry:?}");
    assert!(dry[0].dry_run && dry[0].method == "DELETE", "{dry:?}");
    let (out, finish) = run(
        &["kubectl", "-n", "shop", "get", "pod", "web-1"],
        access(&gateway, "read", dir.path()),
        &[],
    )
    .await;
    assert_eq!(finish.exit_code, Some(0), "{out}");
    assert!(
        !dir.path().join("get").exists() || dir.path().join("get").is_dir(),
        "the --cache-dir trick ran in the temp dir"
    );
}

#[tokio::test]
async fn auth_reconcile_creates_no_rbac_object() {
    require_kubectl!();
    let dir = tempfile::tempdir().expect("tempdir");
    let upstream = FakeApi::start().await;
    let (gateway, _writes) = Gateway::start(ReadOnly::new(true)).await.expect("gateway");
    let epoch = gateway.connecting(Some("prod"), Some("shop"));
    gateway.connected(epoch, upstream.config(), "shop");
    let rbac = dir.path().join("rbac.yaml");
    std::fs::write(
        &rbac,
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: { name: escalate, namespace: shop }\nrules: [ { apiGroups: [''], resources: [secrets], verbs: ['*'] } ]\n",
    )
    .expect("rbac");
    let f = rbac.display().to_string();
    let (out, finish) = run(
        &["kubectl", "auth", "reconcile", "-f", &f],
        access(&gateway, "kubectl auth reconcile", dir.path()),
        &[],
    )
    .await;
    assert_ne!(finish.exit_code, Some(0), "{out}");
    assert!(out.contains("read-only session"), "{out}");
    let changes: Vec<_> = upstream
        .seen()
        .into_iter()
        .filter(|(method, _)| method != "GET")
        .collect();
    assert_eq!(changes, [], "{:?}", upstream.seen());
    assert!(
        upstream
            .seen()
            .iter()
            .any(|(_, path)| path.contains("/roles/escalate")),
        "kubectl got as far as looking the role up: {:?}",
        upstream.seen()
    );
}
