//! The audit log, kubectl against the simulator, and `runbook sim` as a process.

use super::*;

#[tokio::test]
async fn the_audit_log_has_a_line_per_request() {
    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("audit.log");
    let handle = Simulator::start(scenario(ONE_POD), loopback(), Some(audit.clone()))
        .await
        .unwrap();
    let client = client_for(&handle).await;
    let pods: Api<Pod> = Api::namespaced(client, "shop");
    soon(pods.list(&ListParams::default().labels("app=web")))
        .await
        .unwrap();
    soon(pods.get("nope")).await.unwrap_err();
    let params = WatchParams::default().timeout(1);
    let stream = soon(pods.watch(&params, "0")).await.unwrap();
    let events: Vec<_> = soon(stream.collect::<Vec<_>>()).await;
    assert_eq!(
        events.len(),
        1,
        "one ADDED, then the timeout ends the watch"
    );
    let label = serde_json::json!({ "metadata": { "labels": { "seen": "yes" } } });
    soon(pods.patch("web-1", &PatchParams::default(), &Patch::Merge(&label)))
        .await
        .unwrap();
    soon(pods.delete("web-1", &Default::default()))
        .await
        .unwrap();
    handle.shutdown().await;

    let text = std::fs::read_to_string(&audit).unwrap();
    let lines: Vec<(&str, &str, &str)> = text
        .lines()
        .map(|line| {
            let parts: Vec<&str> = line.split(' ').collect();
            assert_eq!(parts.len(), 4, "{line}");
            assert!(parts[0].parse::<jiff::Timestamp>().is_ok(), "{line}");
            (parts[1], parts[2], parts[3])
        })
        .collect();
    assert_eq!(
        lines,
        [
            (
                "list",
                "/api/v1/namespaces/shop/pods?&labelSelector=app%3Dweb",
                "200"
            ),
            ("get", "/api/v1/namespaces/shop/pods/nope", "404"),
            (
                "watch",
                "/api/v1/namespaces/shop/pods?&watch=true&timeoutSeconds=1&allowWatchBookmarks=true&resourceVersion=0",
                "200"
            ),
            ("patch", "/api/v1/namespaces/shop/pods/web-1?", "200"),
            ("delete", "/api/v1/namespaces/shop/pods/web-1?", "200"),
        ]
    );
}

/// A built-in scenario on loopback, its clock moved only by the test, and
/// the kubeconfig `runbook sim` writes for it (the directory lives as long
/// as the returned guard).
pub(crate) async fn serve_with_kubeconfig(
    name: &str,
) -> (SimHandle, tempfile::TempDir, std::path::PathBuf) {
    let handle = Simulator::start_with(sim::load(name).unwrap(), loopback(), None, manual())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    handle.write_kubeconfig(&kubeconfig).unwrap();
    (handle, dir, kubeconfig)
}

/// The built kubectl (v1.37.2) against the written kubeconfig; `None` only
/// when `RUNBOOK_SKIP_CONTROLPLANE=1` said to skip what needs it.
pub(crate) async fn kubectl(kubeconfig: &Path, args: &[&str]) -> Option<String> {
    kubectl_with(kubeconfig, args, &[]).await
}

/// kubectl with more environment (`KUBE_EDITOR`).
pub(crate) async fn kubectl_with(
    kubeconfig: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> Option<String> {
    if !kube_support::need_kubectl("kubectl against the simulator") {
        return None;
    }
    let output = tokio::process::Command::new(kube_support::kubectl())
        .args(args)
        .envs(env.iter().copied())
        .env("KUBECONFIG", kubeconfig)
        .env_remove("KUBERNETES_SERVICE_HOST")
        .output();
    let output = soon(output)
        .await
        .unwrap_or_else(|err| panic!("kubectl {args:?}: {err}"));
    assert!(
        output.status.success(),
        "kubectl {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8(output.stdout).unwrap())
}

/// kubectl that may fail: (succeeded, stdout and stderr); `None` only when
/// skipped, as `kubectl`.
pub(crate) async fn kubectl_status(kubeconfig: &Path, args: &[&str]) -> Option<(bool, String)> {
    if !kube_support::need_kubectl("kubectl against the simulator") {
        return None;
    }
    let output = tokio::process::Command::new(kube_support::kubectl())
        .args(args)
        .env("KUBECONFIG", kubeconfig)
        .env_remove("KUBERNETES_SERVICE_HOST")
        .output();
    let output = soon(output)
        .await
        .unwrap_or_else(|err| panic!("kubectl {args:?}: {err}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    Some((output.status.success(), text))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_reads_the_drill() {
    let (handle, _dir, kubeconfig) = serve_with_kubeconfig("checkout-oom").await;
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&kubeconfig).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let Some(pods) = kubectl(&kubeconfig, &["get", "pods", "-n", "shop"]).await else {
        return; // skipped: RUNBOOK_SKIP_CONTROLPLANE=1
    };
    let header = pods.lines().next().unwrap();
    for column in ["NAME", "READY", "STATUS", "RESTARTS", "AGE"] {
        assert!(header.contains(column), "{pods}");
    }
    let row = pods
        .lines()
        .find(|l| l.starts_with("checkout-6d8f9c7b5-x2k4q"))
        .unwrap_or_else(|| panic!("{pods}"));
    assert!(
        row.contains("0/1") && row.contains("CrashLoopBackOff"),
        "{row}"
    );
    assert!(
        row.contains("9 ("),
        "restarts with the last restart's age: {row}"
    );

    let nodes = kubectl(&kubeconfig, &["get", "nodes"]).await.unwrap();
    assert!(
        nodes
            .lines()
            .any(|l| l.starts_with("node-a") && l.contains("Ready") && l.contains("v1.37.2")),
        "{nodes}"
    );

    let events = kubectl(&kubeconfig, &["get", "events", "-n", "shop"])
        .await
        .unwrap();
    assert!(
        events
            .lines()
            .any(|l| l.contains("BackOff") && l.contains("pod/checkout-6d8f9c7b5-x2k4q")),
        "{events}"
    );

    let namespaces = kubectl(&kubeconfig, &["get", "namespaces"]).await.unwrap();
    assert!(
        namespaces
            .lines()
            .any(|l| l.starts_with("shop") && l.contains("Active")),
        "{namespaces}"
    );

    let logs = kubectl(
        &kubeconfig,
        &[
            "logs",
            "-n",
            "shop",
            "checkout-6d8f9c7b5-x2k4q",
            "--previous",
        ],
    )
    .await
    .unwrap();
    assert_eq!(
        logs.lines().last(),
        Some("fatal error: runtime: out of memory")
    );

    // The kubeconfig's context names the scenario's namespace.
    let default_ns = kubectl(&kubeconfig, &["get", "deployments"]).await.unwrap();
    assert!(
        default_ns
            .lines()
            .any(|l| l.starts_with("checkout") && l.contains("0/3")),
        "{default_ns}"
    );
    handle.shutdown().await;
}

#[test]
fn runbook_sim_serves_until_sigterm() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kc");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args([
            "sim",
            "image-typo",
            "--listen",
            "127.0.0.1:0",
            "--kubeconfig",
        ])
        .arg(&kubeconfig)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    // Kept open until the child exits: it prints when it stops.
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    stdout.read_line(&mut first).unwrap();
    assert!(first.contains("listening on http://127.0.0.1:"), "{first}");
    let written = std::fs::read_to_string(&kubeconfig).unwrap();
    let port = first
        .split("127.0.0.1:")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap();
    assert!(
        written.contains(&format!("server: http://127.0.0.1:{port}")),
        "{written}"
    );
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    assert!(child.wait().unwrap().success());
    assert!(rest.contains("stopping"), "{rest}");

    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["sim", "no-such-drill", "--kubeconfig"])
        .arg(&kubeconfig)
        .output()
        .unwrap();
    assert_eq!(
        bad.status.code(),
        Some(2),
        "an unknown scenario is a usage error"
    );
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("no-such-drill") && stderr.contains("checkout-oom"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_rollout_undo_fixes_the_image_typo_drill() {
    let (handle, _dir, kubeconfig) = serve_with_kubeconfig("image-typo").await;
    // kubectl finds the Deployment's ReplicaSets by the owner's uid, which
    // the scenario gives only in the ReplicaSets' ownerReferences.
    let Some(history) = kubectl(
        &kubeconfig,
        &["-n", "shop", "rollout", "history", "deployment/cart"],
    )
    .await
    else {
        return; // skipped: RUNBOOK_SKIP_CONTROLPLANE=1
    };
    assert!(
        history.contains("21") && history.contains("22"),
        "{history}"
    );
    // A restart is not the fix: its pod cannot pull the image either.
    kubectl(
        &kubeconfig,
        &["-n", "shop", "rollout", "restart", "deployment/cart"],
    )
    .await;
    advance(&handle, Duration::from_secs(60), Duration::from_secs(5));
    let pods = kubectl(&kubeconfig, &["-n", "shop", "get", "pods", "--no-headers"])
        .await
        .unwrap();
    assert!(
        pods.contains("ImagePullBackOff") || pods.contains("ErrImagePull"),
        "{pods}"
    );
    // After the restart the previous revision is the typo's own (22):
    // undo to the one that worked, as `rollout history` shows it.
    let undo = kubectl(
        &kubeconfig,
        &[
            "-n",
            "shop",
            "rollout",
            "undo",
            "deployment/cart",
            "--to-revision=21",
        ],
    )
    .await
    .unwrap();
    assert!(undo.contains("rolled back"), "{undo}");
    advance(&handle, Duration::from_secs(30), Duration::from_secs(5));
    let pods = kubectl(&kubeconfig, &["-n", "shop", "get", "pods", "--no-headers"])
        .await
        .unwrap();
    assert_eq!(pods.lines().count(), 2, "{pods}");
    assert!(
        pods.lines()
            .all(|l| l.contains("1/1") && l.contains("Running")),
        "{pods}"
    );
    let deploy = kubectl(
        &kubeconfig,
        &["-n", "shop", "get", "deployment", "cart", "--no-headers"],
    )
    .await
    .unwrap();
    assert!(deploy.contains("2/2"), "{deploy}");
    handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_set_resources_also_ends_the_oom_drill() {
    let (handle, _dir, kubeconfig) = serve_with_kubeconfig("checkout-oom").await;
    let args = [
        "-n",
        "shop",
        "set",
        "resources",
        "deployment/checkout",
        "--limits=memory=768Mi",
    ];
    let Some(out) = kubectl(&kubeconfig, &args).await else {
        return; // skipped: RUNBOOK_SKIP_CONTROLPLANE=1
    };
    assert!(out.contains("resource requirements updated"), "{out}");
    // The new pods warm up and become ready one after another, the old go.
    advance(&handle, Duration::from_secs(60), Duration::from_secs(5));
    let pods = kubectl(
        &kubeconfig,
        &[
            "-n",
            "shop",
            "get",
            "pods",
            "-l",
            "app=checkout",
            "--no-headers",
        ],
    )
    .await
    .unwrap();
    assert!(!pods.contains("CrashLoopBackOff"), "{pods}");
    assert_eq!(pods.lines().count(), 3, "{pods}");
    assert!(
        pods.lines()
            .all(|l| l.contains("Running") && l.contains("1/1")),
        "{pods}"
    );
    handle.shutdown().await;
}

#[test]
fn runbook_drill_list_shows_only_drills_with_their_difficulty() {
    let data = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["drill", "--list"])
        .env("RUNBOOK_DATA_DIR", data.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let row = text
        .lines()
        .find(|l| l.starts_with("checkout-oom"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        row.contains("easy") && row.contains("pod-crashloop"),
        "{row}"
    );
    assert!(
        !text.contains("scale-10k"),
        "scale scenarios are not drills: {text}"
    );
    let env = std::process::Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["drill", "--env", "checkout-oom"])
        .env("RUNBOOK_DATA_DIR", data.path())
        .output()
        .unwrap();
    assert_eq!(env.status.code(), Some(1), "no drill runs");
    assert!(String::from_utf8_lossy(&env.stderr).contains("no drill of `checkout-oom` is running"));
}
