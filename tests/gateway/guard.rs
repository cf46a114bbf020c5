//! The same gate in front of the session's own client: in read-only mode
//! an action that somehow got a permit still sends no change, while its
//! server-side dry run (the preview) goes through.

use runbook::cluster::actions::{ActionKind, ActionRequest, Mutations, execute, preview};
use runbook::cluster::connect::connect_guarded;

use super::*;

#[tokio::test]
async fn read_only_stops_an_action_even_with_a_permit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (shop, audit_log) = sim(SHOP, dir.path(), "shop").await;
    let kubeconfig = kubeconfig_for(&shop, dir.path(), "sim.kubeconfig");
    let read_only = ReadOnly::new(true);
    let connected = connect_guarded(
        &ClusterConfig {
            kubeconfig: Some(kubeconfig),
            context: None,
        },
        Some(&read_only),
    )
    .await
    .expect("connect");
    // As if a bug handed out a permit in read-only mode.
    let permit = Mutations::allow(false).expect("permit");
    for (kind, target) in [
        (ActionKind::RolloutRestart, "deployment/checkout"),
        (ActionKind::DeletePod, "pod/web-1"),
    ] {
        let request = ActionRequest::new(kind, target, "shop", None).expect("request");
        let dry = preview(&connected.client, &request, &permit).await;
        assert!(dry.is_ok(), "{target}: the dry run passes: {dry:?}");
        let done = execute(
            &connected.client,
            &request,
            &permit,
            runbook::cluster::drain::Reporter::silent(),
        )
        .await;
        let why = done.expect_err("refused");
        assert!(why.contains("read-only session"), "{why}");
    }
    let changes: Vec<_> = mutating(&audit_log)
        .into_iter()
        .filter(|(verb, path, _)| !(verb == "patch" && path.contains("dryRun=All")))
        .collect();
    // The pod's dry-run delete carries dryRun in its body, as kube sends it.
    assert!(
        changes.iter().all(|(verb, path, _)| verb == "delete"
            && path.trim_end_matches('?').ends_with("/pods/web-1")),
        "{changes:?}"
    );
    assert!(
        changes.len() <= 1,
        "only the dry run reached the API: {changes:?}"
    );
    let pods: kube::Api<k8s_openapi::api::core::v1::Pod> =
        kube::Api::namespaced(connected.client.clone(), "shop");
    assert!(pods.get("web-1").await.is_ok(), "the pod is still there");
}
