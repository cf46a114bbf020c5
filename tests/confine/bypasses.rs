//! Every bypass of issues 19 and 20, confined and not.

use std::path::Path;
use std::time::Duration;

use crate::{LOOPING, PATIENCE, access, argv, cluster, gateway_for, need, run, runtime};

/// The bypasses of issues 19 and 20: each names a cluster of its own, so
/// the gateway never sees it. `own` is the session's cluster reached
/// directly, `other` another cluster.
fn bypasses(own: &Path, other: &Path) -> Vec<(Vec<String>, Duration)> {
    let (own, other) = (own.display(), other.display());
    let other_server = {
        let text = std::fs::read_to_string(other.to_string()).expect("kubeconfig");
        let at = text.find("server:").expect("a server line");
        text[at + 7..]
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let one = |line: &[&str]| (argv(line), PATIENCE);
    vec![
        one(&[
            "kubectl",
            "--kubeconfig",
            &other.to_string(),
            "--context",
            "runbook-sim",
            "-n",
            "shop",
            "annotate",
            "deployment",
            "checkout",
            "x=y",
        ]),
        one(&[
            "kubectl",
            "--server",
            &other_server,
            "-n",
            "shop",
            "annotate",
            "pod",
            "web-1",
            "s=1",
        ]),
        one(&[
            "kubectl",
            "--server",
            &other_server,
            "--token",
            "anything",
            "-n",
            "shop",
            "label",
            "pod",
            "web-1",
            "t=1",
        ]),
        one(&[
            "env",
            &format!("KUBECONFIG={other}"),
            "kubectl",
            "-n",
            "shop",
            "delete",
            "pod",
            "web-1",
        ]),
        (
            argv(&[
                "watch",
                "-t",
                "-g",
                "-n",
                "0.2",
                "kubectl",
                "get",
                "pods",
                ";",
                "kubectl",
                &format!("--kubeconfig={own}"),
                "-n",
                "shop",
                "delete",
                "deployment",
                "checkout",
            ]),
            LOOPING,
        ),
        one(&[
            "sh",
            "-c",
            &format!("kubectl --kubeconfig {own} -n shop delete pod web-1"),
        ]),
    ]
}

#[test]
fn in_a_read_only_session_no_bypass_reaches_either_cluster() {
    if !need(&["kubectl", "sh", "env", "watch"]) {
        return;
    }
    let rt = runtime();
    let dir = tempfile::tempdir().expect("tempdir");
    rt.block_on(async {
        let own = cluster(dir.path(), "own").await;
        let other = cluster(dir.path(), "other").await;
        let gateway = gateway_for(&own).await;
        for (line, timeout) in bypasses(&own.kubeconfig, &other.kubeconfig) {
            let (through, _) = access(&gateway, &line.join(" "), dir.path());
            let (out, finish) = run(&line, through, true, timeout).await;
            assert_eq!(finish.confined, Some(true), "{line:?}: {out}");
            assert!(finish.error.is_none(), "{line:?} did not start: {finish:?}");
            assert_eq!(own.mutating(), Vec::<String>::new(), "{line:?}: {out}");
            assert_eq!(other.mutating(), Vec::<String>::new(), "{line:?}: {out}");
        }
        // Confined, kubectl still reads the session's cluster through the gateway.
        let (through, _) = access(&gateway, "kubectl get pods", dir.path());
        let (out, finish) = run(
            &argv(&["kubectl", "-n", "shop", "get", "pods"]),
            through,
            true,
            PATIENCE,
        )
        .await;
        assert_eq!(finish.exit_code, Some(0), "{out}");
        assert!(out.contains("web-1"), "{out}");
    });
}

#[test]
fn unconfined_each_bypass_does_change_a_cluster() {
    if !need(&["kubectl", "sh", "env", "watch"]) {
        return;
    }
    let rt = runtime();
    let dir = tempfile::tempdir().expect("tempdir");
    rt.block_on(async {
        let own = cluster(dir.path(), "own").await;
        let other = cluster(dir.path(), "other").await;
        let gateway = gateway_for(&own).await;
        let mut before = 0;
        for (line, _) in bypasses(&own.kubeconfig, &other.kubeconfig) {
            let (through, _) = access(&gateway, &line.join(" "), dir.path());
            let (out, finish) = run(&line, through, false, PATIENCE).await;
            let now = own.mutating().len() + other.mutating().len();
            // `--server` without its own kubeconfig still goes through the
            // command kubeconfig's proxy (the gateway, for `--raw`), which
            // refuses it: caught before the kernel is needed.
            let caught_by_the_gateway = out.contains("runbook's gateway refuses");
            assert!(
                now > before || caught_by_the_gateway,
                "{line:?} changed nothing and nothing refused it: {finish:?} {out}"
            );
            before = now;
        }
    });
}
