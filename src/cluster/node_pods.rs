//! Pods per node as `kubectl describe node` counts them: every
//! non-terminated pod on the node, in every namespace, not only the pods
//! in focus. At 150,000 pods the app never holds them all: for the nodes
//! the pane shows (at most `MAX_NODES`), it asks the API server for the
//! pods on each node by field selector, metadata only, and counts them;
//! again every `REFRESH`, and at once when other nodes come into view.

use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::api::ListParams;
use kube::{Api, Client};
use tokio::sync::{mpsc, watch};

use super::store::Change;
use crate::kinds::snapshot::Snapshot;

/// Most nodes counted at once: more than any pane shows.
pub const MAX_NODES: usize = 100;
const REFRESH: Duration = Duration::from_secs(15);
/// Pods a page of the count lists (metadata only: about 1 KB each).
const PAGE: u32 = 500;

/// `kubectl describe node`'s selector: the node's pods not yet finished.
pub fn selector(node: &str) -> String {
    format!("spec.nodeName={node},status.phase!=Succeeded,status.phase!=Failed")
}

/// How many non-terminated pods `node` runs, or why it is not known.
pub async fn count(client: &Client, node: &str) -> Result<u32, kube::Error> {
    let api: Api<Pod> = Api::all(client.clone());
    let mut params = ListParams::default().fields(&selector(node)).limit(PAGE);
    let mut total = 0u32;
    loop {
        let page = api.list_metadata(&params).await?;
        total += u32::try_from(page.items.len()).unwrap_or(u32::MAX);
        match page.metadata.continue_.filter(|c| !c.is_empty()) {
            Some(token) => params = params.continue_token(&token),
            None => return Ok(total),
        }
    }
}

/// Whether the first lists are in: some kind is watched and none is
/// still loading.
fn first_lists_in(s: &Snapshot) -> bool {
    use crate::kinds::snapshot::ResourceState::{Idle, Loading};
    s.kinds.iter().any(|k| *k.state() != Idle) && s.kinds.iter().all(|k| *k.state() != Loading)
}

/// Counts the pods of the nodes in `nodes` until the channel closes. The
/// first count waits for the watched kinds' first lists: a hundred
/// field-selected lists would otherwise compete with the pods the
/// responder is waiting for (against the simulator, 100,000 pods showed
/// in 13 s instead of 4).
pub async fn run(
    client: Client,
    mut nodes: watch::Receiver<Vec<String>>,
    mut snapshots: watch::Receiver<Snapshot>,
    tx: mpsc::Sender<Change>,
) {
    if snapshots.wait_for(first_lists_in).await.is_err() {
        return;
    }
    drop(snapshots);
    loop {
        let shown: Vec<String> = nodes
            .borrow_and_update()
            .iter()
            .take(MAX_NODES)
            .cloned()
            .collect();
        for node in &shown {
            match count(&client, node).await {
                Ok(n) => {
                    if tx
                        .send(Change::NodePods(node.as_str().into(), n))
                        .await
                        .is_err()
                    {
                        return;
                    }
                }
                // The pane keeps the watched pods' count; the reason is logged.
                Err(e) => tracing::debug!(node, "counting pods: {e}"),
            }
        }
        tokio::select! {
            changed = nodes.changed() => if changed.is_err() { return },
            _ = tokio::time::sleep(REFRESH) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::REGISTRY;
    use crate::kinds::snapshot::ResourceState;

    fn with(states: &[(usize, ResourceState)]) -> Snapshot {
        let mut s = Snapshot::default();
        for (id, state) in states {
            s.kinds[*id] = REGISTRY[*id].empty(state.clone());
        }
        s
    }

    #[test]
    fn counting_waits_for_the_first_lists() {
        assert!(!first_lists_in(&Snapshot::default()), "nothing watched yet");
        assert!(!first_lists_in(&with(&[
            (0, ResourceState::Loading),
            (2, ResourceState::Live)
        ])));
        assert!(first_lists_in(&with(&[
            (0, ResourceState::Live),
            (2, ResourceState::Forbidden("no".into()))
        ])));
    }
}
