//! Writes: dry runs change nothing; evictions respect disruption budgets.
//! (Until issue #13 a real restart of checkout-oom fired a scripted phase
//! that replaced the crashing pods with healthy ones, and the first
//! eviction of node-down's drain removed every stuck pod: both were the
//! "any change counts as the fix" bug, and the expectations below changed.)

use super::*;

#[tokio::test]
async fn dry_run_writes_answer_but_change_nothing() {
    let (handle, client) = start_manual(sim::load("checkout-oom").unwrap()).await;
    let before = handle.resource_version();
    let dry = PatchParams {
        dry_run: true,
        ..PatchParams::default()
    };

    let nodes: Api<Node> = Api::all(client.clone());
    let cordon = serde_json::json!({ "spec": { "unschedulable": true } });
    let answered = soon(nodes.patch("node-a", &dry, &Patch::Strategic(&cordon)))
        .await
        .unwrap();
    assert_eq!(answered.spec.unwrap().unschedulable, Some(true));
    let stored = soon(nodes.get("node-a")).await.unwrap();
    assert_eq!(stored.spec.unwrap().unschedulable, None);

    // A dry-run restart fires no phase: the crashing pods stay.
    let deployments: Api<k8s_openapi::api::apps::v1::Deployment> =
        Api::namespaced(client.clone(), "shop");
    let restart = serde_json::json!({ "spec": { "template": { "metadata": { "annotations": {
        "kubectl.kubernetes.io/restartedAt": "2025-06-01T12:00:00Z" } } } } });
    soon(deployments.patch("checkout", &dry, &Patch::Merge(&restart)))
        .await
        .unwrap();

    let pods: Api<Pod> = Api::namespaced(client, "shop");
    let delete = kube::api::DeleteParams::default().dry_run();
    soon(pods.delete("checkout-6d8f9c7b5-x2k4q", &delete))
        .await
        .unwrap();
    // Dry run goes in the query: kube-rs sends `deleteOptions` as
    // `delete_options`, which a real API server ignores too.
    let evict = kube::api::EvictParams {
        post_options: kube::api::PostParams {
            dry_run: true,
            ..Default::default()
        },
        ..Default::default()
    };
    soon(pods.evict("frontend-5c7d9f8b6-h4jxv", &evict))
        .await
        .unwrap();

    assert_eq!(handle.resource_version(), before, "nothing was stored");
    let left = soon(pods.list(&ListParams::default())).await.unwrap();
    assert_eq!(
        names(&left.items),
        [
            "checkout-6d8f9c7b5-m7wzp",
            "checkout-6d8f9c7b5-q9dtn",
            "checkout-6d8f9c7b5-x2k4q",
            "frontend-5c7d9f8b6-h4jxv",
            "frontend-5c7d9f8b6-p8nrt"
        ]
    );

    // The real restart is not a fix: a new ReplicaSet's pods start with
    // the same 256Mi limit and are OOMKilled like the old ones.
    soon(deployments.patch("checkout", &PatchParams::default(), &Patch::Merge(&restart)))
        .await
        .unwrap();
    advance(&handle, Duration::from_secs(120), Duration::from_secs(5));
    let after = soon(pods.list(&ListParams::default().labels("app=checkout")))
        .await
        .unwrap();
    let fresh: Vec<&Pod> = after
        .items
        .iter()
        .filter(|p| {
            !p.metadata
                .name
                .as_deref()
                .unwrap_or("")
                .starts_with("checkout-6d8f9c7b5")
        })
        .collect();
    assert!(!fresh.is_empty(), "the restart made new pods");
    for pod in fresh {
        let status = &pod
            .status
            .as_ref()
            .unwrap()
            .container_statuses
            .as_ref()
            .unwrap()[0];
        assert!(status.restart_count > 0, "{pod:?}");
        let last = status
            .last_state
            .as_ref()
            .unwrap()
            .terminated
            .as_ref()
            .unwrap();
        assert_eq!(last.reason.as_deref(), Some("OOMKilled"));
        assert_eq!(last.exit_code, 137);
    }
    let checkout = soon(deployments.get("checkout")).await.unwrap();
    assert_eq!(checkout.status.unwrap().ready_replicas.unwrap_or(0), 0);
    handle.shutdown().await;
}

#[tokio::test]
async fn eviction_respects_the_disruption_budget() {
    let (handle, client) = start_manual(sim::load("node-down").unwrap()).await;
    let pods: Api<Pod> = Api::namespaced(client, "shop");
    let evict = kube::api::EvictParams::default();

    // A pod that is not healthy (stuck on the dead node) may always go, and
    // goes at once: no kubelet is left to confirm it stopped. Only it goes.
    soon(pods.evict("checkout-6d8f9c7b5-m7wzp", &evict))
        .await
        .unwrap();
    let status = api_error(
        soon(pods.get("checkout-6d8f9c7b5-m7wzp"))
            .await
            .unwrap_err(),
    );
    assert_eq!(status.code, 404);
    assert!(soon(pods.get("cart-84c9d6f7b-wn6sd")).await.is_ok());

    // checkout: 3 healthy pods, minAvailable 2. One may go, the next may not.
    soon(pods.evict("checkout-6d8f9c7b5-x2k4q", &evict))
        .await
        .unwrap();
    let status = api_error(
        soon(pods.evict("checkout-6d8f9c7b5-q9dtn", &evict))
            .await
            .unwrap_err(),
    );
    assert_eq!(status.code, 429);
    assert_eq!(status.reason, "TooManyRequests");
    assert_eq!(
        status.message,
        "Cannot evict pod as it would violate the pod's disruption budget."
    );
    let cause = &status.details.unwrap().causes[0];
    assert_eq!(cause.reason, "DisruptionBudget");
    assert_eq!(
        cause.message,
        "The disruption budget checkout needs 2 healthy pods and has 2 currently"
    );
    assert!(soon(pods.get("checkout-6d8f9c7b5-q9dtn")).await.is_ok());

    // The evicted pod's ReplicaSet replaced it; once the new pod is ready
    // the budget allows the next eviction.
    advance(&handle, Duration::from_secs(10), Duration::from_secs(1));
    let checkout = soon(pods.list(&ListParams::default().labels("app=checkout")))
        .await
        .unwrap();
    assert_eq!(
        checkout
            .items
            .iter()
            .filter(|p| p.metadata.deletion_timestamp.is_none())
            .count(),
        3,
        "{:?}",
        names(&checkout.items)
    );
    soon(pods.evict("checkout-6d8f9c7b5-q9dtn", &evict))
        .await
        .unwrap();
    handle.shutdown().await;
}
