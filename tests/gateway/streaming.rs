//! Normal mode: responses stream through the gateway as they arrive
//! (`kubectl get -w`, `kubectl logs -f`), and a command's change is
//! reported with the command that made it.

use runbook::exec::runner::Running;

use super::*;

/// A long-running command whose output is collected as it comes.
struct Live {
    running: Running,
    events: mpsc::Receiver<RunEvent>,
    lines: Vec<String>,
}

impl Live {
    fn start(argv: &[&str], access: Access) -> Live {
        let (tx, events) = mpsc::channel(256);
        let env: Vec<_> = path_for(argv).into_iter().collect();
        let running = runner::start(&planned(argv), &env, access, false, PATIENCE, None, tx);
        Live {
            running,
            events,
            lines: Vec::new(),
        }
    }

    /// Waits until `count` lines contain `needle` (the command still running).
    async fn wait_for(&mut self, needle: &str, count: usize) {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        while self.lines.iter().filter(|l| l.contains(needle)).count() < count {
            match tokio::time::timeout_at(deadline, self.events.recv()).await {
                Ok(Some(RunEvent::Line(line))) => self.lines.push(line),
                Ok(Some(RunEvent::Finished(f))) => {
                    panic!("ended before `{needle}` x{count}: {f:?} {:?}", self.lines)
                }
                Ok(None) | Err(_) => panic!("never saw `{needle}` x{count}: {:?}", self.lines),
            }
        }
    }

    async fn stop(mut self) -> Finish {
        self.running.cancel();
        loop {
            match tokio::time::timeout(PATIENCE, self.events.recv()).await {
                Ok(Some(RunEvent::Finished(f))) => return f,
                Ok(Some(RunEvent::Line(_))) => {}
                other => panic!("no end after cancel: {other:?}"),
            }
        }
    }
}

#[tokio::test]
async fn get_watch_streams_and_a_change_is_reported_with_its_command() {
    require_kubectl!();
    let dir = tempfile::tempdir().expect("tempdir");
    let (shop, audit_log) = sim(SHOP, dir.path(), "shop").await;
    let (gateway, mut writes) = gateway_for(&shop, false).await;
    let mut watch = Live::start(
        &["kubectl", "get", "pods", "-w", "-l", "app=web"],
        access(&gateway, "kubectl get pods -w", dir.path()),
    );
    watch.wait_for("web-1", 1).await;
    let label = "kubectl label pod web-1 seen=yes";
    let (out, finish) = run(
        &["kubectl", "label", "pod", "web-1", "seen=yes"],
        access(&gateway, label, dir.path()),
        &[],
    )
    .await;
    assert_eq!(finish.exit_code, Some(0), "{out}");
    // The watch, still open, shows the change.
    watch.wait_for("web-1", 2).await;
    assert!(watch.stop().await.cancelled);

    let reported = drain(&mut writes);
    assert_eq!(reported.len(), 1, "{reported:?}");
    let w = &reported[0];
    assert_eq!(
        (w.method.as_str(), w.path.as_str(), w.status, w.by.as_str()),
        ("PATCH", "/api/v1/namespaces/shop/pods/web-1", 200, label)
    );
    assert_eq!(
        (
            w.resource.as_deref(),
            w.namespace.as_deref(),
            w.name.as_deref()
        ),
        (Some("pods"), Some("shop"), Some("web-1"))
    );
    assert!(!w.dry_run);
    // Which cluster it went to: the context and the server it names.
    assert_eq!(w.context.as_deref(), Some("runbook-sim"));
    assert_eq!(w.server.as_deref(), Some(shop.url().as_str()));
    assert!(
        audit(&audit_log)
            .iter()
            .any(|(verb, path, _)| verb == "watch"
                && path.starts_with("/api/v1/namespaces/shop/pods?")),
        "{:?}",
        audit(&audit_log)
    );
}

#[tokio::test]
async fn logs_follow_streams_lines_written_later() {
    require_kubectl!();
    let dir = tempfile::tempdir().expect("tempdir");
    let (shop, _) = sim(SHOP, dir.path(), "shop").await;
    let (gateway, mut writes) = gateway_for(&shop, false).await;
    let mut follow = Live::start(
        &["kubectl", "logs", "-f", "web-1"],
        access(&gateway, "kubectl logs -f web-1", dir.path()),
    );
    follow.wait_for("second line", 1).await;
    shop.reached_step("more-logs");
    follow.wait_for("a line written later", 1).await;
    assert!(follow.stop().await.cancelled);
    assert_eq!(drain(&mut writes), [], "reading changes nothing");
}
