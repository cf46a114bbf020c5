//! The panes through an API server restart, and the 410 Gone that a watch
//! resumed from before the restart gets: a control plane of the test's own
//! (the shared one serves other tests meanwhile), its kube-apiserver
//! restarted with the same flags (`up` on SIGUSR1), etcd keeping the data.

use std::sync::{Arc, Mutex};

use ::kube::Api;
use ::kube::api::{ListParams, WatchEvent, WatchParams};
use ::kube::runtime::watcher;
use futures::StreamExt;
use k8s_openapi::api::core::v1::ConfigMap;
use runbook::kinds;
use runbook::kinds::snapshot::{Connection, ResourceState};

use super::*;

fn config_map(ns: &str, name: &str) -> String {
    format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{ name: {name}, namespace: {ns} }}\ndata: {{ k: v }}\n"
    )
}

/// What a watch resumed from `rv` gets: the API server's error, if any.
async fn resume_from(api: &Api<ConfigMap>, rv: &str) -> Option<watcher::Error> {
    let params = WatchParams::default().timeout(5);
    match api.watch(&params, rv).await {
        Err(e) => Some(watcher::Error::WatchStartFailed(e)),
        Ok(stream) => {
            let mut stream = stream.boxed();
            match stream.next().await {
                Some(Ok(WatchEvent::Error(status))) => Some(watcher::Error::WatchError(status)),
                Some(Err(e)) => Some(watcher::Error::WatchFailed(e)),
                _ => None,
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_panes_survive_an_api_server_restart_and_a_410_gone() {
    let Some(cp) = kube::own_control_plane("restart") else {
        return;
    };
    let cp = Arc::new(cp);
    let ns = namespace(&cp, "real-restart");
    cp.apply(&config_map(&ns, "before"));
    let configmaps = kinds::id_of("configmaps").expect("configmaps");
    let pods = kinds::id_of("pods").expect("pods");
    let handle = panes(&cp.admin(), &ns, vec![configmaps, pods]).await;
    let mut rx = handle.snapshots.clone();
    until(&mut rx, "the configmaps pane live", |s| {
        *s.state(configmaps) == ResourceState::Live
            && s.kind(configmaps).iter().any(|r| r.name() == "before")
    })
    .await;

    // A resourceVersion from before the restart, and writes after it.
    let client = client(&cp.admin()).await;
    let api: Api<ConfigMap> = Api::namespaced(client.clone(), &ns);
    let old_rv = api
        .list(&ListParams::default())
        .await
        .expect("list")
        .metadata
        .resource_version
        .expect("a resourceVersion");
    for i in 0..5 {
        cp.apply(&config_map(&ns, &format!("churn-{i}")));
    }

    // Every state the panes pass through while the API server restarts.
    let seen: Arc<Mutex<Vec<(Connection, ResourceState)>>> = Arc::default();
    let watching = {
        let seen = seen.clone();
        let mut rx = handle.snapshots.clone();
        tokio::spawn(async move {
            while rx.changed().await.is_ok() {
                let s = rx.borrow_and_update().clone();
                seen.lock()
                    .expect("lock")
                    .push((s.connection.clone(), s.state(configmaps).clone()));
            }
        })
    };
    let restarting = cp.clone();
    tokio::task::spawn_blocking(move || restarting.restart_apiserver())
        .await
        .expect("restart");

    // After it: a change made now shows, and the panes are live again.
    cp.apply(&config_map(&ns, "after"));
    let snap = until(&mut rx, "the pane live with the new object", |s| {
        s.connection == Connection::Live
            && *s.state(configmaps) == ResourceState::Live
            && s.kind(configmaps).iter().any(|r| r.name() == "after")
    })
    .await;
    let names: Vec<&str> = snap.kind(configmaps).iter().map(|r| r.name()).collect();
    for want in ["before", "churn-4", "after"] {
        assert!(names.contains(&want), "{names:?}");
    }
    watching.abort();

    // The panes did not resume from what they had seen: they listed again
    // (their pager's `limit=500`), as the API server's record shows; a
    // watch resumed across the restart would be answered 410 (below).
    let pane_lists = audit_events(&cp)
        .iter()
        .filter(|e| {
            e["stage"] == "ResponseComplete"
                && e["verb"] == "list"
                && e["objectRef"]["resource"] == "configmaps"
                && e["objectRef"]["namespace"] == ns.as_str()
                && e["requestURI"]
                    .as_str()
                    .is_some_and(|u| u.contains("limit=500"))
        })
        .count();
    assert!(
        pane_lists >= 2,
        "the pane listed once ({pane_lists}); it did not relist after the restart"
    );

    let seen = seen.lock().expect("lock").clone();
    assert!(
        seen.iter()
            .any(|(c, state)| *c != Connection::Live || *state != ResourceState::Live),
        "the restart was noticed (the pane said so while it lasted): {seen:?}"
    );

    // The restarted server's watch cache begins after `old_rv`: a watch
    // resumed from it is answered 410 Gone (429 while the cache fills),
    // which the pane words as a relist.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let gone = loop {
        let err = resume_from(&api, &old_rv).await;
        let code = match &err {
            Some(watcher::Error::WatchError(s)) => Some(s.code),
            Some(watcher::Error::WatchStartFailed(::kube::Error::Api(s))) => Some(s.code),
            _ => None,
        };
        if code == Some(410) {
            break err.expect("an error");
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "a watch from {old_rv} was not refused with 410: {err:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    };
    assert_eq!(
        runbook::cluster::watch::classify(configmaps, Some(&ns), &gone),
        ResourceState::Error("watch expired (410 Gone); relisting".into())
    );
}
