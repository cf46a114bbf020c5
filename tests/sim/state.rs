//! The cluster saved and restored: a drill resumed after kill -9 finds it
//! as it was (a cordoned node stays cordoned, restart counts go on).

use super::*;

#[tokio::test]
async fn a_saved_cluster_starts_again_as_it_was() {
    let (handle, client) = start_manual(sim::load("node-down").unwrap()).await;
    let nodes: Api<Node> = Api::all(client.clone());
    let cordon = serde_json::json!({ "spec": { "unschedulable": true } });
    soon(nodes.patch(
        "node-b",
        &PatchParams::default(),
        &Patch::Strategic(&cordon),
    ))
    .await
    .unwrap();
    advance(&handle, Duration::from_secs(30), Duration::from_secs(10));
    let pods: Api<Pod> = Api::namespaced(client.clone(), "shop");
    let age = |pod: &Pod, now: jiff::Timestamp| {
        now.as_second()
            - pod
                .metadata
                .creation_timestamp
                .as_ref()
                .unwrap()
                .0
                .as_second()
    };
    let stuck = soon(pods.get("cart-84c9d6f7b-wn6sd")).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cluster.json");
    handle.save_state(&path).unwrap();
    let age_then = age(&stuck, handle.now());
    handle.shutdown().await;
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let restore = sim::cluster::state::SavedState::read(&path).unwrap();
    let options = SimOptions {
        restore: Some(restore),
        ..manual()
    };
    let again = Simulator::start_with(sim::load("node-down").unwrap(), loopback(), None, options)
        .await
        .unwrap();
    let client = client_for(&again).await;
    let nodes: Api<Node> = Api::all(client.clone());
    let b = soon(nodes.get("node-b")).await.unwrap();
    assert_eq!(b.spec.unwrap().unschedulable, Some(true), "still cordoned");
    let pods: Api<Pod> = Api::namespaced(client, "shop");
    let stuck = soon(pods.get("cart-84c9d6f7b-wn6sd")).await.unwrap();
    // Times moved with the clock: the pod is as old as it was when saved.
    assert!((age(&stuck, again.now()) - age_then).abs() <= 1);

    // Another scenario's state is refused rather than served.
    let restore = sim::cluster::state::SavedState::read(&path).unwrap();
    let options = SimOptions {
        restore: Some(restore),
        ..manual()
    };
    let wrong =
        Simulator::start_with(sim::load("image-typo").unwrap(), loopback(), None, options).await;
    assert!(wrong.is_err());
    again.shutdown().await;
}

#[tokio::test]
async fn autosave_writes_the_state_as_it_changes() {
    let (handle, client) = start_manual(sim::load("checkout-oom").unwrap()).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cluster.json");
    handle.autosave_to(path.clone());
    let saved = sim::cluster::state::SavedState::read(&path).unwrap();
    assert_eq!(saved.scenario, "checkout-oom");
    let deployments: Api<k8s_openapi::api::apps::v1::Deployment> = Api::namespaced(client, "shop");
    let scale = serde_json::json!({ "spec": { "replicas": 5 } });
    soon(deployments.patch("frontend", &PatchParams::default(), &Patch::Merge(&scale)))
        .await
        .unwrap();
    // Shutting down writes the last changes.
    handle.shutdown().await;
    let saved = sim::cluster::state::SavedState::read(&path).unwrap();
    let frontend = saved
        .objects
        .iter()
        .find(|o| o["kind"] == "Deployment" && o["metadata"]["name"] == "frontend")
        .unwrap();
    assert_eq!(frontend["spec"]["replicas"], 5);
}

/// Issue 20: a saved cluster holding an object the simulator cannot take
/// back made every `runbook resume` exit 101. It is written atomically
/// with the previous good copy kept, and a resume falls back to that copy
/// (or to the scenario's start) and says so.
#[tokio::test]
async fn a_saved_cluster_with_a_bad_object_falls_back_to_the_previous_good_one() {
    let (handle, _client) = start_manual(sim::load("checkout-oom").unwrap()).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(sim::STATE_FILE);
    handle.save_state(&path).unwrap();
    assert!(
        !dir.path().join("cluster.json.prev").exists(),
        "nothing before the first"
    );
    handle.advance(Duration::from_secs(5));
    handle.save_state(&path).unwrap();
    let previous = dir.path().join("cluster.json.prev");
    assert!(previous.exists(), "the state it replaced is kept");
    assert!(!dir.path().join("cluster.tmp").exists());

    // The latest copy holds the issue's object.
    let mut bad = handle.export_json();
    let objects = bad["objects"].as_array_mut().unwrap();
    let checkout = objects
        .iter_mut()
        .find(|o| o["kind"] == "Deployment" && o["metadata"]["name"] == "checkout")
        .unwrap();
    checkout["spec"]["template"]["metadata"] = serde_json::json!("x");
    std::fs::write(&path, serde_json::to_vec(&bad).unwrap()).unwrap();
    handle.shutdown().await;

    let err = sim::SavedState::read(&path).unwrap_err();
    assert!(
        err.to_string()
            .contains("spec.template.metadata: invalid type"),
        "{err}"
    );
    let recovered = sim::recover_state(&path);
    let state = recovered.state.expect("the previous good state");
    assert_eq!(recovered.notes.len(), 2, "{:?}", recovered.notes);
    assert!(recovered.notes[0].contains("spec.template.metadata"));
    assert!(recovered.notes[1].contains("resumes from its previous good state"));
    // It starts, and serves.
    let restored = Simulator::start_with(
        sim::load("checkout-oom").unwrap(),
        loopback(),
        None,
        SimOptions {
            restore: Some(state),
            manual_clock: true,
            ..SimOptions::default()
        },
    )
    .await
    .unwrap();
    let (status, _) = restored
        .request(
            "GET",
            "/apis/apps/v1/namespaces/shop/deployments/checkout",
            "",
            Vec::new(),
        )
        .await;
    assert_eq!(status, 200);
    restored.shutdown().await;

    // Without a good copy either, the scenario starts again, said so.
    std::fs::write(&previous, b"{ torn").unwrap();
    let recovered = sim::recover_state(&path);
    assert!(recovered.state.is_none());
    assert_eq!(
        recovered.notes.last().unwrap(),
        "the drill's cluster starts from its scenario again"
    );
}

/// What the controllers write is what a write could store, so a saved
/// cluster of any built-in drill, run for a while, reads back (a resume
/// would otherwise fall back from a good state).
#[tokio::test]
async fn every_builtin_drill_run_for_a_while_saves_a_state_that_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    for name in sim::builtin_names() {
        let scenario = sim::load(name).unwrap();
        if scenario.generate.is_some() {
            continue;
        }
        let (handle, _client) = start_manual(scenario).await;
        advance(&handle, Duration::from_secs(600), Duration::from_secs(30));
        let path = dir.path().join(format!("{name}.json"));
        handle.save_state(&path).unwrap();
        handle.shutdown().await;
        if let Err(e) = sim::SavedState::read(&path) {
            panic!("{name}: {e}");
        }
    }
}

/// A cluster saved before the simulator defaulted objects holds workload
/// templates without their defaults; restored, they are defaulted like
/// the writes that follow, so a change to a Deployment's labels does not
/// look like a new template and start a rollout.
#[tokio::test]
async fn a_cluster_saved_without_defaults_rolls_nothing_out_on_a_label_change() {
    let (handle, _client) = start_manual(sim::load("checkout-oom").unwrap()).await;
    let mut saved = handle.export_json();
    handle.shutdown().await;
    let undefaulted = |template: &mut serde_json::Value| {
        let spec = &mut template["spec"];
        for field in ["dnsPolicy", "securityContext", "schedulerName"] {
            spec.as_object_mut().unwrap().remove(field);
        }
        for c in spec["containers"].as_array_mut().unwrap() {
            let c = c.as_object_mut().unwrap();
            c.remove("imagePullPolicy");
            c.remove("terminationMessagePath");
        }
    };
    let mut sets = 0;
    for o in saved["objects"].as_array_mut().unwrap() {
        if o["kind"] == "Deployment" || o["kind"] == "ReplicaSet" {
            undefaulted(&mut o["spec"]["template"]);
            sets += usize::from(o["kind"] == "ReplicaSet");
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(sim::STATE_FILE);
    std::fs::write(&path, serde_json::to_vec(&saved).unwrap()).unwrap();
    let state = sim::SavedState::read(&path).unwrap();
    let restored = Simulator::start_with(
        sim::load("checkout-oom").unwrap(),
        loopback(),
        None,
        SimOptions {
            restore: Some(state),
            ..manual()
        },
    )
    .await
    .unwrap();
    let (status, _) = restored
        .request(
            "PATCH",
            "/apis/apps/v1/namespaces/shop/deployments/checkout",
            "application/merge-patch+json",
            br#"{"metadata":{"labels":{"owner":"oncall"}}}"#.to_vec(),
        )
        .await;
    assert_eq!(status, 200);
    let (_, list) = restored
        .request("GET", "/apis/apps/v1/replicasets", "", Vec::new())
        .await;
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        sets,
        "no new ReplicaSet"
    );
    restored.shutdown().await;
}
