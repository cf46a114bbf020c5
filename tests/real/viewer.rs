//! As `shop-viewer` (the `view` ClusterRole bound in namespace shop, and
//! nothing else): the panes of namespaced kinds in shop work, every other
//! pane says what the role lacks, per kind, and the connection stays live.

use runbook::kinds;
use runbook::kinds::snapshot::{Connection, ResourceState};

use super::*;

fn settled(state: &ResourceState) -> bool {
    !matches!(state, ResourceState::Idle | ResourceState::Loading)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewer_sees_shop_and_is_told_what_else_is_forbidden() {
    let Some(cp) = control_plane() else { return };
    cp.apply(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: viewer-probe, namespace: shop }\ndata: { a: b }\n",
    );
    let all: Vec<kinds::KindId> = kinds::KindId::all().collect();
    let handle = panes(&cp.viewer(), "shop", all.clone()).await;
    let mut rx = handle.snapshots.clone();
    let snap = until(&mut rx, "every pane settled", |s| {
        all.iter().all(|&id| settled(s.state(id)))
            && s.kind(kinds::id::<kinds::configmap::ConfigMaps>())
                .iter()
                .any(|r| r.name() == "viewer-probe")
    })
    .await;
    assert_eq!(
        snap.connection,
        Connection::Live,
        "forbidden panes are not a dead connection"
    );
    let mut wrong = Vec::new();
    for id in kinds::KindId::all() {
        let kind = kinds::get(id);
        let plural = kind.plural();
        // `view` reads everything namespaced but Secrets.
        let want = if !kind.namespaced() {
            ResourceState::Forbidden(format!(
                "forbidden: cannot list {plural} at cluster scope (the role lacks list/watch on {plural})"
            ))
        } else if plural == "secrets" {
            ResourceState::Forbidden(format!(
                "forbidden: cannot list {plural} in namespace shop (the role lacks list/watch on {plural})"
            ))
        } else {
            ResourceState::Live
        };
        if *snap.state(id) != want {
            wrong.push(format!("{plural}: {:?}, want {want:?}", snap.state(id)));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    drop(handle);

    // Focused on another namespace, every namespaced pane is refused there.
    let handle = panes(&cp.viewer(), "default", all.clone()).await;
    let mut rx = handle.snapshots.clone();
    let snap = until(&mut rx, "every pane settled", |s| {
        all.iter().all(|&id| settled(s.state(id)))
    })
    .await;
    assert_eq!(snap.connection, Connection::Live);
    let mut wrong = Vec::new();
    for id in kinds::KindId::all() {
        let kind = kinds::get(id);
        let plural = kind.plural();
        let scope = if kind.namespaced() {
            "in namespace default"
        } else {
            "at cluster scope"
        };
        let want = ResourceState::Forbidden(format!(
            "forbidden: cannot list {plural} {scope} (the role lacks list/watch on {plural})"
        ));
        if *snap.state(id) != want {
            wrong.push(format!("{plural}: {:?}, want {want:?}", snap.state(id)));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
