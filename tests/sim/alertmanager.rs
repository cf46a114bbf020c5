//! The drill's Alertmanager, read by the app's own Alertmanager client:
//! the scenario's page fires, a silence suppresses it, and the alert
//! resolves once the scenario's goal holds.

use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use kube::api::{Api, Patch, PatchParams};
use runbook::alerts::silence::{self, SilenceRequest};
use runbook::alerts::{Client as AlertClient, Endpoint};
use runbook::checks::Scope;
use runbook::drill::GoalState;
use runbook::sim::{self, Simulator};

use super::{advance, client_for, loopback, manual, soon};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_fires_is_silenced_and_resolves_when_the_goal_holds() {
    let scenario = sim::load("checkout-oom").unwrap();
    let handle = Simulator::start_with(scenario, loopback(), None, manual())
        .await
        .unwrap();
    handle.set_goal_scope(Scope::new(Some("shop".into()), Some("app=checkout"), None).unwrap());
    let am = AlertClient::new(&Endpoint::new(handle.url())).unwrap();
    let firing = soon(am.firing()).await.unwrap();
    assert_eq!(firing.len(), 1, "{firing:?}");
    assert_eq!(firing[0].name(), "KubePodCrashLooping");
    assert_eq!(firing[0].label("deployment"), Some("checkout"));

    // A silence hides it from the firing list until it is expired.
    let request = SilenceRequest::for_labels(
        &firing[0].labels,
        jiff::Timestamp::now(),
        Duration::from_secs(3600),
        "s1",
        "ana",
        "host",
    )
    .unwrap();
    let made = soon(silence::create(&am, request, false)).await.unwrap();
    let state = soon(silence::get(&am, &made.id)).await.unwrap();
    assert_eq!(state.state, "active");
    assert!(soon(am.firing()).await.unwrap().is_empty(), "silenced");
    soon(silence::expire(&am, &made.id, false)).await.unwrap();
    assert_eq!(
        soon(silence::get(&am, &made.id)).await.unwrap().state,
        "expired"
    );
    assert_eq!(soon(am.firing()).await.unwrap().len(), 1);

    // A restart does not resolve it; the right limit does, once it held 30 s.
    advance(&handle, Duration::from_secs(120), Duration::from_secs(5));
    assert!(matches!(handle.goal_state(), Some(GoalState::NotMet)));
    let client = client_for(&handle).await;
    let deployments: Api<Deployment> = Api::namespaced(client, "shop");
    let patch = serde_json::json!({ "spec": { "template": { "spec": { "containers": [
        { "name": "checkout", "resources": { "limits": { "memory": "512Mi" } } } ] } } } });
    soon(deployments.patch(
        "checkout",
        &PatchParams::default(),
        &Patch::Strategic(&patch),
    ))
    .await
    .unwrap();
    advance(&handle, Duration::from_secs(20), Duration::from_secs(5));
    assert!(
        matches!(handle.goal_state(), Some(GoalState::Holding { .. })),
        "{:?}",
        handle.goal_state()
    );
    assert_eq!(
        soon(am.firing()).await.unwrap().len(),
        1,
        "not held long enough yet"
    );
    advance(&handle, Duration::from_secs(60), Duration::from_secs(5));
    assert!(handle.goal_state().unwrap().is_reached());
    assert!(soon(am.firing()).await.unwrap().is_empty(), "resolved");
    handle.shutdown().await;
}
