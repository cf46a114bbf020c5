//! Writes: dry runs change nothing; evictions respect disruption budgets.

use super::*;

#[tokio::test]
async fn dry_run_writes_answer_but_change_nothing() {
    let (handle, client) = start(sim::load("checkout-oom").unwrap()).await;
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

    // The real restart does fire the phase: new healthy pods replace the old.
    soon(deployments.patch("checkout", &PatchParams::default(), &Patch::Merge(&restart)))
        .await
        .unwrap();
    let after = soon(pods.list(&ListParams::default().labels("app=checkout")))
        .await
        .unwrap();
    assert_eq!(
        names(&after.items),
        [
            "checkout-7f4b8d6c9-b5vkr",
            "checkout-7f4b8d6c9-wq2hn",
            "checkout-7f4b8d6c9-zr8tm"
        ]
    );
    let checkout = soon(deployments.get("checkout")).await.unwrap();
    assert_eq!(checkout.status.unwrap().ready_replicas, Some(3));
    let annotations = checkout
        .spec
        .unwrap()
        .template
        .metadata
        .unwrap()
        .annotations
        .unwrap();
    assert!(annotations.contains_key("kubectl.kubernetes.io/restartedAt"));
    handle.shutdown().await;
}

#[tokio::test]
async fn eviction_respects_the_disruption_budget() {
    let (handle, client) = start(sim::load("node-down").unwrap()).await;
    let pods: Api<Pod> = Api::namespaced(client, "shop");
    let evict = kube::api::EvictParams::default();

    // A pod that is not healthy (stuck on the dead node) may always go; the
    // first eviction is the drain, whose phase clears node-b.
    soon(pods.evict("checkout-6d8f9c7b5-m7wzp", &evict))
        .await
        .unwrap();
    let status = api_error(
        soon(pods.get("checkout-6d8f9c7b5-m7wzp"))
            .await
            .unwrap_err(),
    );
    assert_eq!(status.code, 404);
    let status = api_error(soon(pods.get("cart-84c9d6f7b-wn6sd")).await.unwrap_err());
    assert_eq!(status.code, 404);

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
    handle.shutdown().await;
}
