//! The built-in drills on behaviour: the wrong fix does not heal, the right
//! fix heals however it is made, and a crash loop climbs with the kubelet's
//! back-off. The simulated clock is stepped; nothing sleeps.

use k8s_openapi::api::apps::v1::Deployment;

use super::tools::{kubectl, serve_with_kubeconfig};
use super::*;

fn checkout_pods(list: &[Pod]) -> Vec<&Pod> {
    list.iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .collect()
}

fn all_ready(pods: &[&Pod]) -> bool {
    !pods.is_empty()
        && pods.iter().all(|p| {
            let row = runbook::kinds::project::pod_row(p, 0);
            row.status.as_ref() == "Running" && row.ready_containers == row.total_containers
        })
}

async fn app_pods(client: &Client, app: &str) -> Vec<Pod> {
    let pods: Api<Pod> = Api::namespaced(client.clone(), "shop");
    soon(pods.list(&ListParams::default().labels(&format!("app={app}"))))
        .await
        .unwrap()
        .items
}

#[tokio::test]
async fn checkout_oom_restarts_climb_with_the_kubelets_back_off() {
    let (handle, client) = start_manual(sim::load("checkout-oom").unwrap()).await;
    let pods: Api<Pod> = Api::namespaced(client.clone(), "shop");
    // The restart: a new ReplicaSet whose pods have the same 256Mi limit.
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), "shop");
    let restart = serde_json::json!({ "spec": { "template": { "metadata": { "annotations": {
        "kubectl.kubernetes.io/restartedAt": "2026-01-01T00:00:00Z" } } } } });
    soon(deployments.patch(
        "checkout",
        &PatchParams::default(),
        &Patch::Strategic(&restart),
    ))
    .await
    .unwrap();
    let fresh = app_pods(&client, "checkout")
        .await
        .into_iter()
        .find(|p| {
            !p.metadata
                .name
                .as_deref()
                .unwrap()
                .starts_with("checkout-6d8f9c7b5")
        })
        .expect("the restart made a pod");
    let name = fresh.metadata.name.clone().unwrap();
    // Each second, note when the restart count went up.
    let mut seen = Vec::new();
    let mut last = 0;
    for second in 1..=400 {
        handle.advance(Duration::from_secs(1));
        let pod = soon(pods.get(&name)).await.unwrap();
        let status = &pod.status.unwrap().container_statuses.unwrap()[0];
        if status.restart_count > last {
            last = status.restart_count;
            seen.push(second);
        }
        assert!(
            !status.ready,
            "an OOMKilled pod is never ready (second {second})"
        );
    }
    // Runs ~3 s (256Mi of its 400Mi warm-up), then waits 10 s, 20 s, 40 s,
    // 80 s, 160 s before each restart.
    let gaps: Vec<i32> = seen.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(seen.len() >= 4, "restarts at {seen:?}");
    for pair in gaps.windows(2) {
        assert!(pair[1] > pair[0], "the back-off grows: {gaps:?}");
    }
    assert_eq!(gaps[0], 20 + 3, "{seen:?}");
    let pod = soon(pods.get(&name)).await.unwrap();
    let status = &pod.status.unwrap().container_statuses.unwrap()[0];
    let last_state = status
        .last_state
        .as_ref()
        .unwrap()
        .terminated
        .as_ref()
        .unwrap();
    assert_eq!(last_state.reason.as_deref(), Some("OOMKilled"));
    let checkout = soon(deployments.get("checkout")).await.unwrap();
    assert_eq!(checkout.status.unwrap().available_replicas.unwrap_or(0), 0);
    // Its log: what it printed, the OOM last, stamped with the simulated clock.
    let log = soon(pods.logs(
        &name,
        &kube::api::LogParams {
            previous: true,
            ..Default::default()
        },
    ))
    .await
    .unwrap();
    assert!(
        log.ends_with("fatal error: runtime: out of memory\n"),
        "{log}"
    );
    let year = handle.now().strftime("%Y").to_string();
    assert!(log.starts_with(&year), "{log}");
    handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checkout_oom_heals_by_json_patch_and_by_server_side_apply() {
    for route in ["json-patch", "apply"] {
        let (handle, dir, kubeconfig) = serve_with_kubeconfig("checkout-oom").await;
        let done = match route {
            "json-patch" => {
                kubectl(&kubeconfig, &["-n", "shop", "patch", "deployment", "checkout", "--type", "json", "-p",
                    r#"[{"op":"replace","path":"/spec/template/spec/containers/0/resources/limits/memory","value":"512Mi"}]"#]).await
            }
            _ => {
                let manifest = dir.path().join("checkout.yaml");
                let current = kubectl(&kubeconfig, &["-n", "shop", "get", "deployment", "checkout", "-o", "yaml"]).await;
                let Some(current) = current else {
                    return; // skipped: RUNBOOK_SKIP_CONTROLPLANE=1
                };
                // The manifest as a team keeps it: the template, with the new limit.
                let text = current.replace("memory: 256Mi", "memory: 512Mi");
                std::fs::write(&manifest, text).unwrap();
                let path = manifest.display().to_string();
                kubectl(&kubeconfig, &["apply", "--server-side", "--force-conflicts", "-f", &path]).await
            }
        };
        let Some(_) = done else {
            return; // skipped: RUNBOOK_SKIP_CONTROLPLANE=1
        };
        advance(&handle, Duration::from_secs(60), Duration::from_secs(5));
        let client = client_for(&handle).await;
        let pods = app_pods(&client, "checkout").await;
        let live = checkout_pods(&pods);
        assert_eq!(live.len(), 3, "{route}: {:?}", names(&pods));
        assert!(all_ready(&live), "{route}: {:?}", names(&pods));
        handle.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checkout_oom_heals_by_kubectl_edit_and_not_by_a_restart() {
    let (handle, dir, kubeconfig) = serve_with_kubeconfig("checkout-oom").await;
    let Some(_) = kubectl(
        &kubeconfig,
        &["-n", "shop", "rollout", "restart", "deployment/checkout"],
    )
    .await
    else {
        return; // skipped: RUNBOOK_SKIP_CONTROLPLANE=1
    };
    advance(&handle, Duration::from_secs(300), Duration::from_secs(5));
    let client = client_for(&handle).await;
    let pods = app_pods(&client, "checkout").await;
    assert!(
        !all_ready(&checkout_pods(&pods)),
        "a restart healed: {:?}",
        names(&pods)
    );
    let listed = kubectl(&kubeconfig, &["-n", "shop", "get", "pods", "--no-headers"])
        .await
        .unwrap();
    assert!(listed.contains("CrashLoopBackOff"), "{listed}");

    // kubectl edit: the editor changes the limit in the file kubectl wrote.
    // Validated as kubectl validates: the simulator serves the OpenAPI
    // documents kubectl reads, and decodes strictly.
    let editor = dir.path().join("editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\nsed -i 's/memory: 256Mi/memory: 512Mi/' \"$1\"\n",
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let editor = editor.display().to_string();
    let out = super::tools::kubectl_with(
        &kubeconfig,
        &["-n", "shop", "edit", "deployment/checkout"],
        &[("KUBE_EDITOR", &editor)],
    )
    .await
    .unwrap();
    assert!(out.contains("edited"), "{out}");
    advance(&handle, Duration::from_secs(90), Duration::from_secs(5));
    let pods = app_pods(&client, "checkout").await;
    let live = checkout_pods(&pods);
    assert_eq!(live.len(), 3, "{:?}", names(&pods));
    assert!(all_ready(&live), "{:?}", names(&pods));
    let deploy = kubectl(
        &kubeconfig,
        &[
            "-n",
            "shop",
            "get",
            "deployment",
            "checkout",
            "--no-headers",
        ],
    )
    .await
    .unwrap();
    assert!(deploy.contains("3/3"), "{deploy}");
    handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn image_typo_heals_only_with_an_image_the_registry_has() {
    let (handle, _dir, kubeconfig) = serve_with_kubeconfig("image-typo").await;
    // The step's own placeholder, then another tag that was never pushed.
    for image in [
        "cart=REGISTRY/IMAGE:TAG",
        "cart=registry.example.com/cart:v2.32",
    ] {
        let Some(_) = kubectl(
            &kubeconfig,
            &["-n", "shop", "set", "image", "deployment/cart", image],
        )
        .await
        else {
            return; // skipped: RUNBOOK_SKIP_CONTROLPLANE=1
        };
        advance(&handle, Duration::from_secs(120), Duration::from_secs(5));
        let pods = kubectl(&kubeconfig, &["-n", "shop", "get", "pods", "--no-headers"])
            .await
            .unwrap();
        assert!(
            pods.contains("InvalidImageName")
                || pods.contains("ImagePullBackOff")
                || pods.contains("ErrImagePull"),
            "{image}: {pods}"
        );
        let deploy = kubectl(
            &kubeconfig,
            &[
                "-n",
                "shop",
                "get",
                "deployment",
                "cart",
                "-o",
                "jsonpath={.status.updatedReplicas}/{.status.availableReplicas}",
            ],
        )
        .await
        .unwrap();
        assert_ne!(deploy, "2/2", "{image} rolled out");
    }
    // The tag that was meant.
    kubectl(
        &kubeconfig,
        &[
            "-n",
            "shop",
            "set",
            "image",
            "deployment/cart",
            "cart=registry.example.com/cart:v2.3.1",
        ],
    )
    .await;
    advance(&handle, Duration::from_secs(60), Duration::from_secs(5));
    let pods = kubectl(&kubeconfig, &["-n", "shop", "get", "pods", "--no-headers"])
        .await
        .unwrap();
    assert_eq!(pods.lines().count(), 2, "{pods}");
    assert!(
        pods.lines()
            .all(|l| l.contains("1/1") && l.contains("Running")),
        "{pods}"
    );
    let images = kubectl(
        &kubeconfig,
        &[
            "-n",
            "shop",
            "get",
            "pods",
            "-o",
            "jsonpath={.items[*].spec.containers[0].image}",
        ],
    )
    .await
    .unwrap();
    assert_eq!(
        images,
        "registry.example.com/cart:v2.3.1 registry.example.com/cart:v2.3.1"
    );
    let status = kubectl(
        &kubeconfig,
        &[
            "-n",
            "shop",
            "rollout",
            "status",
            "deployment/cart",
            "--timeout=5s",
        ],
    )
    .await
    .unwrap();
    assert!(status.contains("successfully rolled out"), "{status}");
    handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_down_heals_by_cordon_and_drain() {
    let (handle, _dir, kubeconfig) = serve_with_kubeconfig("node-down").await;
    let Some(on_b) = kubectl(
        &kubeconfig,
        &[
            "get",
            "pods",
            "-A",
            "--no-headers",
            "--field-selector",
            "spec.nodeName=node-b",
        ],
    )
    .await
    else {
        return; // skipped: RUNBOOK_SKIP_CONTROLPLANE=1
    };
    assert_eq!(on_b.lines().count(), 2, "{on_b}");
    // Waiting does not help: the pods stay Terminating on the dead node.
    advance(&handle, Duration::from_secs(600), Duration::from_secs(30));
    let on_b = kubectl(
        &kubeconfig,
        &[
            "get",
            "pods",
            "-A",
            "--no-headers",
            "--field-selector",
            "spec.nodeName=node-b",
        ],
    )
    .await
    .unwrap();
    assert_eq!(on_b.lines().count(), 2, "{on_b}");
    kubectl(&kubeconfig, &["cordon", "node-b"]).await.unwrap();
    let drained = kubectl(
        &kubeconfig,
        &[
            "drain",
            "node-b",
            "--ignore-daemonsets",
            "--delete-emptydir-data",
            "--timeout=30s",
        ],
    )
    .await
    .unwrap();
    assert!(drained.contains("drained"), "{drained}");
    let on_b = kubectl(
        &kubeconfig,
        &[
            "get",
            "pods",
            "-A",
            "--no-headers",
            "--field-selector",
            "spec.nodeName=node-b",
        ],
    )
    .await
    .unwrap();
    assert_eq!(on_b.trim(), "", "{on_b}");
    let nodes = kubectl(&kubeconfig, &["get", "nodes", "--no-headers"])
        .await
        .unwrap();
    assert!(
        nodes
            .lines()
            .any(|l| l.starts_with("node-b") && l.contains("SchedulingDisabled")),
        "{nodes}"
    );
    let pods = kubectl(
        &kubeconfig,
        &["-n", "shop", "get", "pods", "--no-headers", "-o", "wide"],
    )
    .await
    .unwrap();
    assert_eq!(pods.lines().count(), 5, "{pods}");
    assert!(
        pods.lines()
            .all(|l| l.contains("Running") && !l.contains("node-b")),
        "{pods}"
    );
    handle.shutdown().await;
}
