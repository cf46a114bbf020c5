//! The wrong cluster: one kubeconfig with two contexts, its current context
//! the other one. Every request of every command reaches the session's
//! cluster only, as both simulators' audit logs show.

use super::*;

/// `ctx-a` and `ctx-b` on two simulators; the current context is `ctx-b`.
fn two_contexts(a: &SimHandle, b: &SimHandle, dir: &Path) -> PathBuf {
    let path = dir.join("two.kubeconfig");
    let text = format!(
        "apiVersion: v1
kind: Config
clusters:
- {{ name: a, cluster: {{ server: '{}' }} }}
- {{ name: b, cluster: {{ server: '{}' }} }}
users:
- {{ name: u, user: {{ token: t }} }}
contexts:
- {{ name: ctx-a, context: {{ cluster: a, user: u, namespace: shop }} }}
- {{ name: ctx-b, context: {{ cluster: b, user: u, namespace: shop }} }}
current-context: ctx-b
",
        a.url(),
        b.url()
    );
    std::fs::write(&path, text).expect("kubeconfig");
    path
}

/// Deletes web-1 (no `-n`: the credential's namespace is the session's)
/// and lists pods, through a session's gateway.
fn delete_and_list(rt: &tokio::runtime::Runtime, session: &Background, dir: &Path) {
    let gateway = &session.gateway;
    let (out, finish) = rt.block_on(run(
        &["kubectl", "delete", "pod", "web-1"],
        access(gateway, "kubectl delete pod web-1", dir),
        &[],
    ));
    assert_eq!(finish.exit_code, Some(0), "{out}");
    assert!(out.contains("pod \"web-1\" deleted"), "{out}");
    let (out, finish) = rt.block_on(run(
        &["kubectl", "get", "pods"],
        access(gateway, "kubectl get pods", dir),
        &[],
    ));
    assert_eq!(finish.exit_code, Some(0), "{out}");
}

#[test]
fn a_context_session_and_a_kubeconfig_session_reach_their_own_cluster_only() {
    require_kubectl!();
    let rt = runtime();
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, audit_a) = rt.block_on(sim(SHOP, dir.path(), "a"));
    let (b, audit_b) = rt.block_on(sim(SHOP, dir.path(), "b"));
    let kubeconfig = two_contexts(&a, &b, dir.path());

    // `--kubeconfig F --context ctx-a` while F's current context is ctx-b.
    let session = background(
        &rt,
        ClusterConfig {
            kubeconfig: Some(kubeconfig.clone()),
            context: Some("ctx-a".into()),
        },
    );
    delete_and_list(&rt, &session, dir.path());
    session.shutdown();
    assert!(
        mutating(&audit_a).contains(&(
            "delete".into(),
            "/api/v1/namespaces/shop/pods/web-1".into(),
            200
        )),
        "{:?}",
        audit(&audit_a)
    );
    assert_eq!(audit(&audit_b), [], "ctx-b was never spoken to");

    // `--kubeconfig F` alone: F's current context, ctx-b, and only it.
    let before_a = audit(&audit_a).len();
    let session = background(
        &rt,
        ClusterConfig {
            kubeconfig: Some(kubeconfig),
            context: None,
        },
    );
    delete_and_list(&rt, &session, dir.path());
    session.shutdown();
    assert_eq!(
        mutating(&audit_b),
        [(
            "delete".into(),
            "/api/v1/namespaces/shop/pods/web-1".into(),
            200
        )]
    );
    assert_eq!(audit(&audit_a).len(), before_a, "ctx-a heard nothing more");
}

#[tokio::test]
async fn without_a_cluster_a_command_runs_and_is_told_why() {
    require_kubectl!();
    let dir = tempfile::tempdir().expect("tempdir");
    let (gateway, _writes) = Gateway::start(ReadOnly::new(false)).await.expect("gateway");
    let (out, finish) = run(
        &["kubectl", "get", "pods"],
        access(&gateway, "kubectl get pods", dir.path()),
        &[],
    )
    .await;
    assert_ne!(finish.exit_code, Some(0));
    assert!(
        out.contains("runbook gateway: no cluster is connected"),
        "{out}"
    );
    assert!(!out.contains("localhost:8080"), "{out}");

    let epoch = gateway.connecting(Some("prod"), Some("shop"));
    let (out, _) = run(
        &["kubectl", "get", "pods"],
        access(&gateway, "kubectl get pods", dir.path()),
        &[],
    )
    .await;
    assert!(out.contains("still connecting to context `prod`"), "{out}");
    gateway.failed(epoch, "unreachable: connection refused");
    let (out, _) = run(
        &["kubectl", "get", "pods"],
        access(&gateway, "kubectl get pods", dir.path()),
        &[],
    )
    .await;
    assert!(
        out.contains("context `prod` is not connected: unreachable: connection refused"),
        "{out}"
    );
}

#[test]
fn a_switch_moves_the_gateway_and_a_read_only_context_turns_read_only_on() {
    require_kubectl!();
    let rt = runtime();
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, audit_a) = rt.block_on(sim(SHOP, dir.path(), "a"));
    let (b, audit_b) = rt.block_on(sim(SHOP, dir.path(), "b"));
    let kubeconfig = two_contexts(&a, &b, dir.path());
    let mut session = background(
        &rt,
        ClusterConfig {
            kubeconfig: Some(kubeconfig),
            context: None,
        },
    );
    // A credential from before the switch is pinned to ctx-b.
    let stale = access(&session.gateway, "issued before the switch", dir.path());
    let config = runbook::config::parse("readOnlyContexts: [ctx-a]", Path::new("config.yaml"))
        .expect("config");
    let mut switch = session.switcher(config);
    switch("ctx-a".into());
    rt.block_on(until(&mut session.snapshots, "ctx-a live", |s| {
        s.connection == Connection::Live && s.context.as_deref() == Some("ctx-a")
    }));
    assert!(session.gateway.read_only().is_on());

    let (out, finish) = rt.block_on(run(&["kubectl", "delete", "pod", "web-1"], stale, &[]));
    assert_ne!(finish.exit_code, Some(0));
    assert!(out.contains("the session has switched to `ctx-a`"), "{out}");

    let (out, finish) = rt.block_on(run(
        &["kubectl", "delete", "pod", "web-1"],
        access(&session.gateway, "kubectl delete pod web-1", dir.path()),
        &[],
    ));
    assert_ne!(finish.exit_code, Some(0));
    assert!(out.contains("read-only session"), "{out}");
    let (out, finish) = rt.block_on(run(
        &["kubectl", "get", "pod", "web-1"],
        access(&session.gateway, "kubectl get pod web-1", dir.path()),
        &[],
    ));
    assert_eq!(finish.exit_code, Some(0), "reads go to ctx-a: {out}");
    session.shutdown();
    assert_eq!(mutating(&audit_a), []);
    assert_eq!(mutating(&audit_b), []);
    assert!(
        audit(&audit_a)
            .iter()
            .any(|(verb, path, _)| verb == "get" && path == "/api/v1/namespaces/shop/pods/web-1"),
        "{:?}",
        audit(&audit_a)
    );
}
