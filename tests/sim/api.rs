//! Reading through kube-rs: lists, watches, 410 Gone, 403, outages, selectors, paging.

use super::*;

#[tokio::test]
async fn kube_rs_lists_the_builtin_drill() {
    let (handle, client) = start(sim::load(sim::DEFAULT_SCENARIO).unwrap()).await;
    let pods: Api<Pod> = Api::namespaced(client.clone(), "shop");
    let list = soon(pods.list(&ListParams::default())).await.unwrap();
    let names: Vec<String> = list
        .items
        .iter()
        .map(|p| p.metadata.name.clone().unwrap())
        .collect();
    assert!(
        names.contains(&"checkout-6d8f9c7b5-x2k4q".to_string()),
        "{names:?}"
    );
    let crashing = list
        .items
        .iter()
        .find(|p| p.metadata.name.as_deref() == Some("checkout-6d8f9c7b5-x2k4q"))
        .unwrap();
    let status = &crashing
        .status
        .as_ref()
        .unwrap()
        .container_statuses
        .as_ref()
        .unwrap()[0];
    let last = status
        .last_state
        .as_ref()
        .unwrap()
        .terminated
        .as_ref()
        .unwrap();
    assert_eq!(
        (last.reason.as_deref(), last.exit_code),
        (Some("OOMKilled"), 137)
    );
    assert!(list.metadata.resource_version.is_some());

    let nodes: Api<Node> = Api::all(client);
    let node = soon(nodes.get("node-a")).await.unwrap();
    assert_eq!(
        node.status.unwrap().node_info.unwrap().kubelet_version,
        "v1.37.2"
    );
    let missing = soon(nodes.get("node-z")).await.unwrap_err();
    assert!(missing.to_string().contains("not found"), "{missing}");
    handle.shutdown().await;
}

#[tokio::test]
async fn watcher_sees_added_then_modified_after_a_phase() {
    let (handle, client) = start(scenario(ONE_POD)).await;
    let pods: Api<Pod> = Api::namespaced(client, "shop");

    // The raw watch from "0": the current objects as ADDED, then changes.
    let mut raw = soon(pods.watch(&WatchParams::default(), "0"))
        .await
        .unwrap()
        .boxed();
    match soon(raw.try_next()).await.unwrap() {
        Some(WatchEvent::Added(pod)) => {
            assert_eq!(pod.status.unwrap().phase.as_deref(), Some("Pending"))
        }
        other => panic!("expected ADDED, got {other:?}"),
    }

    // kube-rs's watcher: list, then watch.
    let mut events = watcher(pods.clone(), watcher::Config::default()).boxed();
    loop {
        match soon(events.try_next()).await.unwrap() {
            Some(watcher::Event::InitDone) => break,
            Some(_) => {}
            None => panic!("the watcher ended"),
        }
    }

    handle.reached_step("fix");

    match soon(raw.try_next()).await.unwrap() {
        Some(WatchEvent::Modified(pod)) => {
            assert_eq!(pod.status.unwrap().phase.as_deref(), Some("Running"))
        }
        other => panic!("expected MODIFIED, got {other:?}"),
    }
    match soon(events.try_next()).await.unwrap() {
        Some(watcher::Event::Apply(pod)) => {
            assert_eq!(pod.status.unwrap().phase.as_deref(), Some("Running"));
            // The phase merged into the pod: its labels survive.
            assert_eq!(pod.metadata.labels.unwrap()["app"], "web");
        }
        other => panic!("expected Apply, got {other:?}"),
    }
    // A phase fires once.
    handle.reached_step("fix");
    let rv = handle.resource_version();
    handle.reached_step("fix");
    assert_eq!(handle.resource_version(), rv);
    handle.shutdown().await;
}

#[tokio::test]
async fn an_expired_resource_version_gets_410_gone() {
    let (handle, client) = start(scenario(ONE_POD)).await;
    let pods: Api<Pod> = Api::namespaced(client, "shop");
    let list = soon(pods.list(&ListParams::default())).await.unwrap();
    let old = list.metadata.resource_version.unwrap();
    handle.reached_step("fix");

    // Still in the history: the change since `old` is replayed.
    let mut replay = soon(pods.watch(&WatchParams::default(), &old))
        .await
        .unwrap()
        .boxed();
    match soon(replay.try_next()).await.unwrap() {
        Some(WatchEvent::Modified(pod)) => {
            assert_eq!(pod.status.unwrap().phase.as_deref(), Some("Running"))
        }
        other => panic!("expected MODIFIED, got {other:?}"),
    }

    handle.compact_history();
    let mut expired = soon(pods.watch(&WatchParams::default(), &old))
        .await
        .unwrap()
        .boxed();
    match soon(expired.try_next()).await.unwrap() {
        Some(WatchEvent::Error(status)) => {
            assert_eq!(status.code, 410);
            assert_eq!(status.reason, "Expired");
            assert!(
                status.message.contains("too old resource version"),
                "{}",
                status.message
            );
        }
        other => panic!("expected an ERROR event, got {other:?}"),
    }
    assert!(
        soon(expired.try_next()).await.unwrap().is_none(),
        "the stream ends after the error"
    );

    // kube-rs's watcher re-lists on 410 and carries on.
    let mut events = watcher(pods, watcher::Config::default()).boxed();
    let mut seen = Vec::new();
    while let Some(event) = soon(events.try_next()).await.unwrap() {
        match event {
            watcher::Event::InitApply(pod) => seen.push(pod.status.unwrap().phase.unwrap()),
            watcher::Event::InitDone => break,
            _ => {}
        }
    }
    assert_eq!(seen, ["Running"]);
    handle.shutdown().await;
}

const FORBIDDEN_NODES: &str = r#"
apiVersion: runbook/v1
kind: Scenario
metadata: { name: rbac }
objects:
  - { apiVersion: v1, kind: Node, metadata: { name: node-a } }
  - { apiVersion: v1, kind: Pod, metadata: { name: web-1, namespace: shop } }
faults:
  forbidden: [nodes]
"#;

#[tokio::test]
async fn forbidden_nodes_answer_403_while_pods_work() {
    let (handle, client) = start(scenario(FORBIDDEN_NODES)).await;
    let nodes: Api<Node> = Api::all(client.clone());
    let status = api_error(soon(nodes.list(&ListParams::default())).await.unwrap_err());
    assert_eq!(status.code, 403);
    assert_eq!(status.reason, "Forbidden");
    assert_eq!(
        status.message,
        r#"nodes is forbidden: User "drill" cannot list resource "nodes" in API group "" at the cluster scope"#
    );
    let status = api_error(soon(nodes.get("node-a")).await.unwrap_err());
    assert!(
        status.message.contains(r#"cannot get resource "nodes""#),
        "{}",
        status.message
    );

    let pods: Api<Pod> = Api::namespaced(client, "shop");
    let list = soon(pods.list(&ListParams::default())).await.unwrap();
    assert_eq!(list.items.len(), 1);
    handle.shutdown().await;
}

const OUTAGE: &str = r#"
apiVersion: runbook/v1
kind: Scenario
metadata: { name: outage }
objects:
  - { apiVersion: v1, kind: Pod, metadata: { name: web-1, namespace: shop } }
faults:
  outages: [ { after: 0s, for: 3s } ]
"#;

#[tokio::test]
async fn an_outage_answers_503_and_then_recovers() {
    let (handle, client) = start(scenario(OUTAGE)).await;
    let pods: Api<Pod> = Api::namespaced(client, "shop");
    let status = api_error(soon(pods.list(&ListParams::default())).await.unwrap_err());
    assert_eq!(status.code, 503);
    assert_eq!(status.reason, "ServiceUnavailable");

    // After the window the same request works again, and a watcher with
    // backoff gets through.
    let recovered = soon(async {
        loop {
            match pods.list(&ListParams::default()).await {
                Ok(list) => break list,
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
    })
    .await;
    assert_eq!(recovered.items.len(), 1);
    let mut events = watcher(pods, watcher::Config::default()).boxed();
    loop {
        match soon(events.try_next()).await {
            Ok(Some(watcher::Event::InitDone)) => break,
            Ok(Some(_)) => {}
            other => panic!("the watcher failed after recovery: {other:?}"),
        }
    }
    handle.shutdown().await;
}

#[tokio::test]
async fn label_and_field_selectors_filter_lists() {
    let (handle, client) = start(sim::load("checkout-oom").unwrap()).await;
    let pods: Api<Pod> = Api::namespaced(client.clone(), "shop");
    let list = |labels: &str, fields: &str| {
        let pods = pods.clone();
        let params = ListParams::default().labels(labels).fields(fields);
        async move { soon(pods.list(&params)).await.map(|l| names(&l.items)) }
    };
    assert_eq!(list("app=checkout", "").await.unwrap().len(), 3);
    assert_eq!(
        list("app!=checkout", "").await.unwrap(),
        ["frontend-5c7d9f8b6-h4jxv", "frontend-5c7d9f8b6-p8nrt"]
    );
    assert_eq!(list("app in (frontend, nope)", "").await.unwrap().len(), 2);
    assert_eq!(list("app notin (frontend)", "").await.unwrap().len(), 3);
    assert_eq!(list("pod-template-hash", "").await.unwrap().len(), 5);
    assert_eq!(list("!team", "").await.unwrap().len(), 5);
    assert_eq!(
        list("app=checkout", "spec.nodeName=node-b").await.unwrap(),
        ["checkout-6d8f9c7b5-m7wzp"]
    );
    assert_eq!(
        list(
            "",
            "metadata.name=frontend-5c7d9f8b6-h4jxv,status.phase==Running"
        )
        .await
        .unwrap(),
        ["frontend-5c7d9f8b6-h4jxv"]
    );
    assert_eq!(list("", "status.phase!=Running").await.unwrap().len(), 0);
    let bad = api_error(list("app in frontend", "").await.unwrap_err());
    assert_eq!(bad.code, 400);

    let events: Api<k8s_openapi::api::core::v1::Event> = Api::namespaced(client.clone(), "shop");
    let params = ListParams::default().fields("involvedObject.name=checkout-6d8f9c7b5-x2k4q");
    let found = soon(events.list(&params)).await.unwrap();
    let reasons: Vec<String> = found
        .items
        .iter()
        .map(|e| e.reason.clone().unwrap())
        .collect();
    assert_eq!(reasons, ["BackOff", "Pulled"]);

    let everywhere: Api<Pod> = Api::all(client);
    let all = soon(everywhere.list(&ListParams::default().fields("metadata.namespace=shop")))
        .await
        .unwrap();
    assert_eq!(all.items.len(), 5);
    handle.shutdown().await;
}

#[tokio::test]
async fn paging_with_limit_and_continue() {
    let (handle, client) = start(sim::load("checkout-oom").unwrap()).await;
    let pods: Api<Pod> = Api::all(client);
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut params = ListParams::default().limit(2);
        if let Some(t) = &token {
            params = params.continue_token(t);
        }
        let page = soon(pods.list(&params)).await.unwrap();
        assert!(page.items.len() <= 2);
        pages += 1;
        seen.extend(names(&page.items));
        token = page.metadata.continue_.filter(|t| !t.is_empty());
        if let Some(remaining) = page.metadata.remaining_item_count {
            assert!(token.is_some());
            assert_eq!(remaining as usize, 5 - seen.len());
        }
        if token.is_none() {
            break;
        }
    }
    assert_eq!(pages, 3);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 5, "{seen:?}");

    // A continue token from before a compaction has expired.
    let first = soon(pods.list(&ListParams::default().limit(2)))
        .await
        .unwrap();
    let nodes: Api<Node> = Api::all(pods.clone().into_client());
    let label = serde_json::json!({ "metadata": { "labels": { "drill": "yes" } } });
    soon(nodes.patch("node-a", &PatchParams::default(), &Patch::Merge(&label)))
        .await
        .unwrap();
    handle.compact_history();
    let token = first.metadata.continue_.unwrap();
    let status = api_error(
        soon(pods.list(&ListParams::default().limit(2).continue_token(&token)))
            .await
            .unwrap_err(),
    );
    assert_eq!((status.code, status.reason.as_str()), (410, "Expired"));
    handle.shutdown().await;
}

#[tokio::test]
async fn a_streaming_list_ends_its_initial_events_with_a_bookmark() {
    let (handle, client) = start(scenario(ONE_POD)).await;
    let pods: Api<Pod> = Api::namespaced(client, "shop");
    let mut stream = soon(pods.watch(&WatchParams::streaming_lists(), "0"))
        .await
        .unwrap()
        .boxed();
    assert!(matches!(
        soon(stream.try_next()).await.unwrap(),
        Some(WatchEvent::Added(_))
    ));
    match soon(stream.try_next()).await.unwrap() {
        Some(WatchEvent::Bookmark(b)) => {
            assert_eq!(
                b.metadata
                    .annotations
                    .get("k8s.io/initial-events-end")
                    .map(String::as_str),
                Some("true")
            );
            assert_eq!(
                b.metadata.resource_version,
                handle.resource_version().to_string()
            );
        }
        other => panic!("expected the initial-events-end BOOKMARK, got {other:?}"),
    }
    handle.shutdown().await;
}
