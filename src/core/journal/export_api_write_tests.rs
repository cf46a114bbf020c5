//! A command's writes through the gateway, in the timeline and in the
//! "Changes to the cluster" section.

use std::sync::Arc;

use super::*;
use crate::engine::Session;

fn at(secs: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_764_054_000 + secs).expect("valid time")
}

fn write(method: &str, name: &str, status: u16, dry_run: bool) -> Event {
    Event::ApiWrite {
        step: "look".into(),
        method: method.into(),
        path: format!("/apis/apps/v1/namespaces/shop/deployments/{name}"),
        resource: Some("deployments.apps".into()),
        subresource: None,
        namespace: Some("shop".into()),
        name: Some(name.into()),
        status,
        dry_run,
        by: "kubectl -n shop rollout restart deployment/checkout".into(),
        context: None,
        server: None,
    }
}

fn session() -> Session {
    let playbook = serde_saphyr::from_str(super::super::tests::PLAYBOOK).expect("parses");
    let mut s = Session::new(Arc::new(playbook));
    let events = [
        Event::Started {
            playbook: "demo".into(),
            title: "Demo incident".into(),
            hash: "abcdef0123456789".into(),
            params: Default::default(),
            context: Some("kind-dev".into()),
            namespace: Some("shop".into()),
            user: "alice".into(),
            host: "bastion".into(),
            drill: None,
            alert: None,
            read_only: false,
            read_only_contexts: Vec::new(),
        },
        Event::Entered {
            step: "look".into(),
        },
        write("PATCH", "checkout", 200, true),
        write("PATCH", "checkout", 200, false),
        Event::ApiWrite {
            step: "look".into(),
            method: "POST".into(),
            path: "/api/v1/namespaces/shop/pods/web-1/exec".into(),
            resource: Some("pods".into()),
            subresource: Some("exec".into()),
            namespace: Some("shop".into()),
            name: Some("web-1".into()),
            status: 101,
            dry_run: false,
            by: "kubectl exec web-1 -- sh".into(),
            context: None,
            server: None,
        },
    ];
    for (i, event) in events.into_iter().enumerate() {
        let record = Record {
            seq: i as u64 + 1,
            at: at(i as i64 * 10),
            event,
        };
        s.apply(record).expect("applies");
    }
    s
}

#[test]
fn writes_are_in_the_timeline_and_the_changes_section() {
    let s = session();
    let md = markdown("s1", &s);
    assert!(
        md.contains("| API dry run `PATCH deployments.apps/checkout in shop` → 200 by `kubectl -n shop rollout restart deployment/checkout` |"),
        "{md}"
    );
    assert!(
        md.contains("**API write** `PATCH deployments.apps/checkout in shop` → 200"),
        "{md}"
    );
    let changes = md
        .split("## Changes to the cluster")
        .nth(1)
        .expect("a changes section");
    assert!(
        changes.contains("| `PATCH deployments.apps/checkout in shop` | 200 | `kubectl -n shop rollout restart deployment/checkout` |"),
        "{changes}"
    );
    assert!(
        changes.contains("`POST pods/web-1/exec in shop` | 101 (stream opened)"),
        "{changes}"
    );
    assert_eq!(
        changes.matches("PATCH").count(),
        1,
        "the dry run changed nothing: {changes}"
    );
    let line = timeline_line(&s, &s.records()[3], s.started_at());
    assert!(
        line.ends_with("API write PATCH deployments.apps/checkout in shop → 200 by kubectl -n shop rollout restart deployment/checkout"),
        "{line}"
    );
}

#[test]
fn the_journal_line_round_trips() {
    let event = write("DELETE", "x", 200, false);
    let text = serde_json::to_string(&event).expect("json");
    assert!(text.starts_with(r#"{"type":"api_write","#), "{text}");
    assert!(!text.contains("dry_run"), "false is left out: {text}");
    let back: Event = serde_json::from_str(&text).expect("parses");
    assert_eq!(back, event);
}
