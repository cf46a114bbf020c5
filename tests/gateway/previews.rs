//! Dry runs are previews, not changes (a server-side dry-run drain sends
//! its `dryRun` in each eviction's body), and a refused attempt is
//! reported once per second per command, method and path.

use std::sync::Arc;

use runbook::engine::{Event, Record, Session};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::hostile::status_of;
use super::*;

const NODE_C: &str = r#"
apiVersion: runbook/v1
kind: Scenario
metadata: { name: node-c }
objects:
  - apiVersion: v1
    kind: Node
    metadata: { name: node-c }
    status: { conditions: [ { type: Ready, status: "True" } ] }
  - apiVersion: v1
    kind: Pod
    metadata: { name: web-2, namespace: shop }
    spec: { nodeName: node-c, containers: [ { name: web, image: web:1 } ] }
    status: { phase: Running }
"#;

const PLAYBOOK: &str = r#"
apiVersion: runbook/v1
kind: Playbook
metadata: { name: p, title: P }
start: a
steps:
  - { id: a, title: A, outcome: resolved }
"#;

/// The markdown export of a session holding `events`.
fn exported(events: Vec<Event>) -> String {
    let playbook = serde_saphyr::from_str(PLAYBOOK).expect("playbook");
    let mut session = Session::new(Arc::new(playbook));
    let started = Event::Started {
        playbook: "p".into(),
        title: "P".into(),
        hash: "0".repeat(64),
        params: Default::default(),
        context: Some("runbook-sim".into()),
        namespace: Some("shop".into()),
        user: "u".into(),
        host: "h".into(),
        drill: None,
        alert: None,
        read_only: false,
        read_only_contexts: Vec::new(),
    };
    let all = [started, Event::Entered { step: "a".into() }]
        .into_iter()
        .chain(events);
    for (i, event) in all.enumerate() {
        let record = Record {
            seq: i as u64 + 1,
            at: jiff::Timestamp::from_second(1_764_054_000 + i as i64).expect("time"),
            event,
        };
        session.apply(record).expect("applies");
    }
    runbook::journal::export::markdown("s", &session)
}

#[tokio::test]
async fn a_server_dry_run_drain_is_a_preview_not_a_change() {
    require_kubectl!();
    let dir = tempfile::tempdir().expect("tempdir");
    let (node_c, _) = sim(NODE_C, dir.path(), "node-c").await;
    let (gateway, mut writes) = gateway_for(&node_c, false).await;
    let (out, finish) = run(
        &[
            "kubectl",
            "drain",
            "node-c",
            "--dry-run=server",
            "--force",
            "--ignore-daemonsets",
        ],
        access(
            &gateway,
            "kubectl drain node-c --dry-run=server",
            dir.path(),
        ),
        &[],
    )
    .await;
    assert_eq!(finish.exit_code, Some(0), "{out}");
    assert!(out.contains("(server dry run)"), "{out}");
    let reported = drain(&mut writes);
    assert!(
        reported
            .iter()
            .any(|w| w.subresource.as_deref() == Some("eviction")),
        "{reported:?}"
    );
    assert!(reported.iter().all(|w| w.dry_run), "{reported:?}");

    let md = exported(
        reported
            .into_iter()
            .map(|w| w.into_event("a".into()))
            .collect(),
    );
    // No changes at all: no section, or none naming an eviction.
    let changes = md.split("## Changes to the cluster").nth(1).unwrap_or("");
    assert!(!changes.contains("eviction"), "{changes}");
    assert!(md.contains("API dry run `POST pods/web-2/eviction"), "{md}");
}

/// Sends one request on its own connection; its status.
async fn send(addr: &str, request: &str) -> u16 {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut out = Vec::new();
    let _ = tokio::time::timeout(PATIENCE, stream.read_to_end(&mut out)).await;
    status_of(&String::from_utf8_lossy(&out))
}

#[tokio::test]
async fn refused_attempts_are_reported_once_per_second_and_exported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (shop, audit_log) = sim(SHOP, dir.path(), "shop").await;
    let (gateway, mut writes) = gateway_for(&shop, true).await;
    let flood = gateway.issue("a flood", dir.path()).expect("credential");
    let (_, token) = server_of(flood.kubeconfig());
    let addr = gateway.addr().to_string();
    let delete = format!(
        "DELETE /{token}/api/v1/namespaces/shop/pods/web-1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    );
    let started = std::time::Instant::now();
    for _ in 0..50 {
        assert_eq!(send(&addr, &delete).await, 403);
    }
    let seconds = started.elapsed().as_secs();
    assert_eq!(mutating(&audit_log), []);

    // Another command's attempt is its own record.
    let other = gateway
        .issue("kubectl cordon", dir.path())
        .expect("credential");
    let (_, other_token) = server_of(other.kubeconfig());
    let patch = format!(
        "PATCH /{other_token}/api/v1/nodes/node-c HTTP/1.1\r\nHost: x\r\nContent-Type: application/merge-patch+json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}"
    );
    assert_eq!(send(&addr, &patch).await, 403);

    let reported = drain(&mut writes);
    let (flood_records, rest): (Vec<_>, Vec<_>) =
        reported.into_iter().partition(|w| w.by == "a flood");
    assert!(
        !flood_records.is_empty() && flood_records.len() as u64 <= seconds + 1,
        "{} records in {seconds} s: {flood_records:?}",
        flood_records.len()
    );
    for w in &flood_records {
        assert_eq!(
            (w.method.as_str(), w.name.as_deref(), w.status),
            ("DELETE", Some("web-1"), 403)
        );
        assert!(
            w.refused
                .as_deref()
                .is_some_and(|r| r.contains("read-only session")),
            "{w:?}"
        );
    }
    assert_eq!(rest.len(), 1, "{rest:?}");
    assert_eq!(rest[0].by, "kubectl cordon");

    let events: Vec<Event> = flood_records
        .into_iter()
        .chain(rest)
        .map(|w| w.into_event("a".into()))
        .collect();
    assert!(
        events
            .iter()
            .all(|e| matches!(e, Event::Refused { reason, .. } if reason.contains("read-only"))),
        "{events:?}"
    );
    let md = exported(events);
    let changes = md.split("## Changes to the cluster").nth(1).unwrap_or("");
    let changes = changes.split("\n## ").next().unwrap_or(changes);
    assert!(!changes.contains("web-1"), "{changes}");
    let refused = md
        .split("## Refused attempts")
        .nth(1)
        .expect("a refused attempts section");
    assert!(refused.contains("`DELETE pods/web-1 in shop`"), "{refused}");
    assert!(refused.contains("`PATCH nodes/node-c`"), "{refused}");
    assert!(refused.contains("read-only session"), "{refused}");
    assert!(refused.contains("`a flood`"), "{refused}");
}

#[tokio::test]
async fn a_write_for_a_context_the_session_left_is_a_refused_attempt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (shop, audit_log) = sim(SHOP, dir.path(), "shop").await;
    let (gateway, mut writes) = gateway_for(&shop, false).await;
    let stale = gateway
        .issue("kubectl delete pod web-1", dir.path())
        .expect("credential");
    let (_, token) = server_of(stale.kubeconfig());
    // The session switches (to the same cluster under another name).
    let kubeconfig = kube::config::Kubeconfig::from_yaml(&shop.kubeconfig_yaml()).expect("yaml");
    let config = kube::Config::from_custom_kubeconfig(kubeconfig, &Default::default())
        .await
        .expect("config");
    let epoch = gateway.connecting(Some("prod-b"), Some("shop"));
    gateway.connected(epoch, config, "shop");

    let delete = format!(
        "DELETE /{token}/api/v1/namespaces/shop/pods/web-1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    );
    assert_eq!(send(&gateway.addr().to_string(), &delete).await, 403);
    assert_eq!(mutating(&audit_log), []);
    let reported = drain(&mut writes);
    assert_eq!(reported.len(), 1, "{reported:?}");
    let reason = reported[0].refused.as_deref().unwrap_or_default();
    assert!(
        reason.contains("started for context `runbook-sim`")
            && reason.contains("switched to `prod-b`"),
        "{reported:?}"
    );
    assert_eq!(reported[0].by, "kubectl delete pod web-1");
}

/// A drill lists the trainee's own changes (made beside the gateway) from
/// the simulator's write log: a dry run in a DELETE's or an eviction's
/// body is not one.
#[tokio::test]
async fn the_simulators_write_log_leaves_out_dry_runs_sent_in_a_body() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (node_c, _) = sim(NODE_C, dir.path(), "node-c").await;
    let addr = node_c.url().trim_start_matches("http://").to_string();
    let body = r#"{"kind":"DeleteOptions","apiVersion":"v1","dryRun":["All"]}"#;
    let delete = format!(
        "DELETE /api/v1/namespaces/shop/pods/web-2 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    assert_eq!(send(&addr, &delete).await, 200);
    let eviction = r#"{"kind":"Eviction","apiVersion":"policy/v1","metadata":{"name":"web-2","namespace":"shop"},"deleteOptions":{"dryRun":["All"]}}"#;
    let evict = format!(
        "POST /api/v1/namespaces/shop/pods/web-2/eviction HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{eviction}",
        eviction.len()
    );
    assert_eq!(send(&addr, &evict).await, 201);
    assert_eq!(node_c.writes_since(0), [], "dry runs are no changes");
}
