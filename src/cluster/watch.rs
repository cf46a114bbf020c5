//! The watchers of the kinds that are needed, each item projected into a
//! row at once, all feeding one store that publishes on a
//! `tokio::sync::watch` channel. A kind's watcher starts when a pane shows
//! it or a check reads it, and stops when neither does. Watching never
//! ends on an error: errors become a visible state and the stream keeps
//! retrying with backoff (`kinds::watcher`).

use std::collections::HashMap;
use std::time::Duration;

use kube::Client;
use kube::runtime::watcher;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use super::store::{Change, Store};
use crate::kinds::snapshot::{ResourceState, Snapshot};
use crate::kinds::{self, KindId};

/// Where the panes look, and which kinds are needed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Focus {
    pub namespace: Option<String>,
    /// A node-focused playbook (no namespace) watches the pods on that node
    /// in every namespace, as `kubectl get pods -A --field-selector
    /// spec.nodeName=NODE` would, and events and workloads cluster-wide.
    pub node: Option<String>,
    pub all_namespaces: bool,
}

/// What the watchers follow: the focus, and the kinds a pane shows or a
/// check reads (None: the default panes), with what they need.
#[derive(Debug, Clone, Default, PartialEq)]
struct Want {
    focus: Focus,
    kinds: Option<Vec<KindId>>,
}

impl Want {
    fn wanted(&self) -> Vec<KindId> {
        match &self.kinds {
            Some(k) => kinds::with_needs(k.iter().copied()),
            None => kinds::with_needs(kinds::DEFAULT_PANES.iter().filter_map(|n| kinds::id_of(n))),
        }
    }
}

impl Focus {
    /// The namespace the namespaced watchers use (None: all), and the field
    /// selector for pods.
    pub fn watch_scope(&self) -> (Option<String>, Option<String>) {
        match (&self.namespace, &self.node) {
            _ if self.all_namespaces => (None, None),
            (Some(ns), _) => (Some(ns.clone()), None),
            (None, Some(node)) => (None, Some(format!("spec.nodeName={node}"))),
            (None, None) => (None, None),
        }
    }
}

pub struct ClusterHandle {
    pub snapshots: watch::Receiver<Snapshot>,
    pub client: Client,
    want: watch::Sender<Want>,
    /// The nodes whose pods are counted (those the nodes pane shows).
    counted: watch::Sender<Vec<String>>,
    tasks: Vec<JoinHandle<()>>,
}

impl ClusterHandle {
    /// Widens the panes to all namespaces, or back to the focus.
    pub fn set_all_namespaces(&self, all: bool) {
        self.want.send_modify(|w| w.focus.all_namespaces = all);
    }

    /// The kinds panes show and checks read now.
    /// Counts every pod of these nodes (the ones the nodes pane shows).
    pub fn set_counted_nodes(&self, nodes: Vec<String>) {
        self.counted.send_if_modified(|n| {
            let changed = *n != nodes;
            *n = nodes;
            changed
        });
    }

    pub fn set_kinds(&self, kinds: Vec<KindId>) {
        self.want.send_if_modified(|w| {
            let changed = w.kinds.as_ref() != Some(&kinds);
            w.kinds = Some(kinds);
            changed
        });
    }
}

impl Drop for ClusterHandle {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// Starts watching the default panes' kinds; the UI reads `snapshots` and
/// never blocks on the cluster.
pub fn spawn(client: Client, context: Option<String>, focus: Focus) -> ClusterHandle {
    spawn_kinds(client, context, focus, None)
}

/// `spawn`, watching `kinds` (None: the default panes').
pub fn spawn_kinds(
    client: Client,
    context: Option<String>,
    focus: Focus,
    kinds: Option<Vec<KindId>>,
) -> ClusterHandle {
    let (change_tx, change_rx) = mpsc::channel::<Change>(8192);
    let store = Store::new(context, focus.namespace.clone());
    let (snap_tx, snap_rx) = watch::channel(Snapshot {
        connection: crate::kinds::snapshot::Connection::Connecting,
        ..Snapshot::default()
    });
    let (want_tx, want_rx) = watch::channel(Want { focus, kinds });
    let store_task = tokio::spawn(run_store(store, change_rx, snap_tx));
    let (counted, counted_rx) = watch::channel(Vec::new());
    let counter = tokio::spawn(super::node_pods::run(
        client.clone(),
        counted_rx,
        snap_rx.clone(),
        change_tx.clone(),
    ));
    let supervisor = tokio::spawn(supervise(
        client.clone(),
        want_rx,
        change_tx,
        snap_rx.clone(),
    ));
    ClusterHandle {
        snapshots: snap_rx,
        client,
        want: want_tx,
        counted,
        tasks: vec![store_task, supervisor, counter],
    }
}

async fn run_store(mut store: Store, mut rx: mpsc::Receiver<Change>, tx: watch::Sender<Snapshot>) {
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            change = rx.recv() => match change {
                Some(c) => store.apply(c, now()),
                None => return,
            },
            _ = tick.tick() => {
                if store.is_dirty() && tx.send(store.publish()).is_err() {
                    return;
                }
            }
        }
    }
}

/// Where one kind's watcher looks: (namespace, the focus it was given).
type Scope = (Option<String>, Option<String>);

struct Running {
    scope: Scope,
    task: JoinHandle<()>,
}

/// How long the other kinds wait for the pods' first list at most.
const PODS_FIRST_GRACE: Duration = Duration::from_secs(10);

/// Resolves once the pods' first list has ended (listed, refused or
/// failed) in a published snapshot.
async fn pods_listed(mut snapshots: watch::Receiver<Snapshot>, pods: KindId) {
    let settled =
        |s: &Snapshot| !matches!(s.state(pods), ResourceState::Idle | ResourceState::Loading);
    // A closed channel means the session is ending: nothing to wait for.
    let _ = snapshots.wait_for(settled).await;
}

/// Starts the watchers the focus needs and stops the others; a watcher
/// whose namespace changed is restarted.
///
/// When pods are listed afresh, the other kinds start listing only once the
/// pods' first list has ended (or after `PODS_FIRST_GRACE`): at 150,000 pods
/// beside 90,000 Services, EndpointSlices and ReplicaSets, the first lists
/// competing for the same cores held the pod count back by seconds, and the
/// pods pane is the one a page is about. The supervisor itself never waits.
async fn supervise(
    client: Client,
    mut want: watch::Receiver<Want>,
    tx: mpsc::Sender<Change>,
    snapshots: watch::Receiver<Snapshot>,
) {
    let pods = kinds::id_of("pods");
    let mut running: HashMap<KindId, Running> = HashMap::new();
    loop {
        let w = want.borrow_and_update().clone();
        let f = w.focus.clone();
        let (ns, pod_fields) = f.watch_scope();
        let wanted = w.wanted();
        // Pods (re)start this round: the others wait for their first list.
        let pods_restart = pods.filter(|p| {
            let scope = (ns.clone(), pod_fields.clone());
            wanted.contains(p) && running.get(p).is_none_or(|r| r.scope != scope)
        });
        for id in kinds::KindId::all() {
            let kind = kinds::get(id);
            let scope: Option<Scope> = wanted.contains(&id).then(|| {
                if kind.namespaced() {
                    (ns.clone(), pod_fields.clone())
                } else {
                    (None, None)
                }
            });
            let same = match (running.get(&id), &scope) {
                (Some(r), Some(s)) => r.scope == *s,
                (None, None) => true,
                _ => false,
            };
            if same {
                continue;
            }
            if let Some(old) = running.remove(&id) {
                old.task.abort();
                if scope.is_none() && tx.send(Change::Stopped(id)).await.is_err() {
                    return;
                }
            }
            if let Some(scope) = scope {
                if tx.send(Change::Started(id)).await.is_err() {
                    return;
                }
                let watching = super::sources::get(id).watch(
                    client.clone(),
                    scope.0.clone(),
                    f.clone(),
                    id,
                    tx.clone(),
                );
                let gate = pods_restart
                    .filter(|p| *p != id)
                    .map(|p| pods_listed(snapshots.clone(), p));
                let task = tokio::spawn(async move {
                    if let Some(gate) = gate {
                        let _ = tokio::time::timeout(PODS_FIRST_GRACE, gate).await;
                    }
                    watching.await
                });
                running.insert(id, Running { scope, task });
            }
        }
        if want.changed().await.is_err() {
            for r in running.values() {
                r.task.abort();
            }
            return;
        }
    }
}

/// A watch error as the pane should say it; the stream keeps retrying.
pub fn classify(id: KindId, namespace: Option<&str>, err: &watcher::Error) -> ResourceState {
    let kind = kinds::get(id);
    let plural = kind.plural();
    let scope = match namespace {
        Some(ns) if kind.namespaced() => format!("in namespace {ns}"),
        _ => "at cluster scope".to_string(),
    };
    let api_status = match err {
        watcher::Error::InitialListFailed(kube::Error::Api(s))
        | watcher::Error::WatchStartFailed(kube::Error::Api(s))
        | watcher::Error::WatchFailed(kube::Error::Api(s)) => Some(s.as_ref()),
        watcher::Error::WatchError(s) => Some(s.as_ref()),
        _ => None,
    };
    match api_status.map(|s| s.code) {
        Some(403) => ResourceState::Forbidden(format!(
            "forbidden: cannot list {plural} {scope} (the role lacks list/watch on {plural})"
        )),
        Some(404) => ResourceState::Missing(format!("the API server does not serve {plural} here")),
        Some(410) => ResourceState::Error("watch expired (410 Gone); relisting".into()),
        _ => ResourceState::Error(match err {
            watcher::Error::InitialListFailed(e)
            | watcher::Error::WatchStartFailed(e)
            | watcher::Error::WatchFailed(e) => super::connect::describe(e),
            other => other.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_error(code: u16) -> watcher::Error {
        let status: kube::core::Status =
            serde_json::from_value(serde_json::json!({ "code": code, "message": "m" }))
                .expect("status");
        watcher::Error::InitialListFailed(kube::Error::Api(Box::new(status)))
    }

    #[test]
    fn each_answer_is_worded_for_its_pane() {
        assert_eq!(
            classify(kinds::id::<kinds::node::Nodes>(), None, &api_error(403)),
            ResourceState::Forbidden(
                "forbidden: cannot list nodes at cluster scope (the role lacks list/watch on nodes)"
                    .into()
            )
        );
        assert_eq!(
            classify(
                kinds::id::<kinds::pod::Pods>(),
                Some("shop"),
                &api_error(403)
            ),
            ResourceState::Forbidden(
                "forbidden: cannot list pods in namespace shop (the role lacks list/watch on pods)"
                    .into()
            )
        );
        assert_eq!(
            classify(
                kinds::id::<kinds::deployment::Deployments>(),
                Some("shop"),
                &api_error(404)
            ),
            ResourceState::Missing("the API server does not serve deployments here".into())
        );
        assert!(matches!(
            classify(kinds::id::<kinds::pod::Pods>(), None, &api_error(401)),
            ResourceState::Error(m) if m.starts_with("unauthorized (401)")
        ));
    }
}
