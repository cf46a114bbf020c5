//! One kube-rs watcher per resource, each item projected into a row at once
//! (objects are dropped right away), all feeding one store that publishes
//! on a `tokio::sync::watch` channel. Watching never ends on an error:
//! errors become a visible state and the stream keeps retrying with backoff.

use std::fmt::Debug;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Event as CoreEvent, Node, Pod};
use k8s_openapi::api::events::v1::Event as EventsV1Event;
use kube::runtime::watcher::{self, Event};
use kube::{Api, Client, Resource as KubeResource, ResourceExt};
use serde::de::DeserializeOwned;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use super::intern::Interner;
use super::project;
use super::snapshot::{ResourceState, Snapshot};
use super::store::{AnyRow, Change, Key, Resource, Store};
use crate::sanitize::line;

/// Where the panes look.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Focus {
    pub namespace: Option<String>,
    /// A node-focused playbook (no namespace) watches the pods on that node
    /// in every namespace, as `kubectl get pods -A --field-selector
    /// spec.nodeName=NODE` would, and events and workloads cluster-wide.
    pub node: Option<String>,
    pub all_namespaces: bool,
}

impl Focus {
    /// The namespace the namespaced watchers use (None: all), and the field
    /// selector for pods.
    fn watch_scope(&self) -> (Option<String>, Option<String>) {
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
    focus: watch::Sender<Focus>,
    tasks: Vec<JoinHandle<()>>,
}

impl ClusterHandle {
    /// Widens the panes to all namespaces, or back to the focus.
    pub fn set_all_namespaces(&self, all: bool) {
        self.focus.send_modify(|f| f.all_namespaces = all);
    }

    pub fn focus_sender(&self) -> watch::Sender<Focus> {
        self.focus.clone()
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

/// Starts watching; the UI reads `snapshots` and never blocks on the cluster.
pub fn spawn(client: Client, context: Option<String>, focus: Focus) -> ClusterHandle {
    let (change_tx, change_rx) = mpsc::channel::<Change>(8192);
    let store = Store::new(context, focus.namespace.clone());
    let (snap_tx, snap_rx) = watch::channel(Snapshot {
        connection: super::snapshot::Connection::Connecting,
        ..Snapshot::default()
    });
    let (focus_tx, focus_rx) = watch::channel(focus);
    let store_task = tokio::spawn(run_store(store, change_rx, snap_tx));
    let supervisor = tokio::spawn(supervise(client.clone(), focus_rx, change_tx));
    ClusterHandle {
        snapshots: snap_rx,
        client,
        focus: focus_tx,
        tasks: vec![store_task, supervisor],
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

/// Restarts the namespaced watchers when the focus changes.
async fn supervise(client: Client, mut focus: watch::Receiver<Focus>, tx: mpsc::Sender<Change>) {
    let nodes = tokio::spawn(watch_resource(
        Api::<Node>::all(client.clone()),
        Resource::Nodes,
        None,
        None,
        |n: &Node, s: &mut Interner| AnyRow::Node(Arc::new(project::node_row_in(n, s))),
        tx.clone(),
    ));
    loop {
        let f = focus.borrow_and_update().clone();
        let (ns, pod_fields) = f.watch_scope();
        let tasks = vec![
            tokio::spawn(watch_resource(
                api::<Pod>(&client, ns.as_deref()),
                Resource::Pods,
                ns.clone(),
                pod_fields,
                |p: &Pod, s: &mut Interner| AnyRow::Pod(Arc::new(project::pod_row_in(p, s))),
                tx.clone(),
            )),
            tokio::spawn(watch_events(client.clone(), ns.clone(), tx.clone())),
            tokio::spawn(watch_resource(
                api::<Deployment>(&client, ns.as_deref()),
                Resource::Deployments,
                ns.clone(),
                None,
                |d: &Deployment, _: &mut Interner| {
                    AnyRow::Deployment(Arc::new(project::deployment_row(d)))
                },
                tx.clone(),
            )),
        ];
        let changed = focus.changed().await;
        for t in &tasks {
            t.abort();
        }
        if changed.is_err() {
            nodes.abort();
            return;
        }
    }
}

/// Events from core/v1, or from events.k8s.io/v1 where the role may read
/// only those (core answers 403) or core events are not served (404).
async fn watch_events(client: Client, ns: Option<String>, tx: mpsc::Sender<Change>) {
    let core = api::<CoreEvent>(&client, ns.as_deref());
    let one = kube::api::ListParams::default().limit(1);
    let core_refused = matches!(
        core.list(&one).await,
        Err(kube::Error::Api(s)) if s.code == 403 || s.code == 404
    );
    let v1 = api::<EventsV1Event>(&client, ns.as_deref());
    if core_refused && v1.list(&one).await.is_ok() {
        tracing::info!("core/v1 events refused; watching events.k8s.io/v1");
        watch_resource(
            v1,
            Resource::Events,
            ns,
            None,
            |e: &EventsV1Event, _: &mut Interner| AnyRow::Event(Arc::new(project::event_row_v1(e))),
            tx,
        )
        .await;
    } else {
        watch_resource(
            core,
            Resource::Events,
            ns,
            None,
            |e: &CoreEvent, _: &mut Interner| AnyRow::Event(Arc::new(project::event_row_core(e))),
            tx,
        )
        .await;
    }
}

fn api<K>(client: &Client, namespace: Option<&str>) -> Api<K>
where
    K: KubeResource<Scope = k8s_openapi::NamespaceResourceScope>,
    <K as KubeResource>::DynamicType: Default,
{
    match namespace {
        Some(ns) => Api::namespaced(client.clone(), ns),
        None => Api::all(client.clone()),
    }
}

fn key<K: ResourceExt>(o: &K) -> Key {
    let ns = o.namespace().unwrap_or_default();
    (line(&ns).into(), line(&o.name_any()).into())
}

async fn watch_resource<K>(
    api: Api<K>,
    resource: Resource,
    namespace: Option<String>,
    fields: Option<String>,
    project: impl Fn(&K, &mut Interner) -> AnyRow,
    tx: mpsc::Sender<Change>,
) where
    K: KubeResource + Clone + DeserializeOwned + Debug + Send + 'static,
{
    // After an error the watcher is rebuilt, so recovery is always a fresh
    // list ending in InitDone: a resumed watch would give no sign that the
    // data is live again. The delay backs off to 30 s and resets on success.
    let mut delay = Duration::from_millis(500);
    let mut strings = Interner::new();
    loop {
        let mut config = watcher::Config::default().page_size(500).any_semantic();
        if let Some(fields) = &fields {
            config = config.fields(fields);
        }
        let mut stream = watcher::watcher(api.clone(), config).boxed();
        while let Some(item) = stream.next().await {
            let change = match item {
                Ok(Event::Init) => Change::Init(resource),
                Ok(Event::InitApply(o)) => {
                    let row = project(&o, &mut strings);
                    Change::InitApply(row.key(), row)
                }
                Ok(Event::InitDone) => {
                    delay = Duration::from_millis(500);
                    Change::InitDone(resource)
                }
                Ok(Event::Apply(o)) => {
                    let row = project(&o, &mut strings);
                    Change::Apply(row.key(), row)
                }
                Ok(Event::Delete(o)) => Change::Delete(resource, key(&o)),
                Err(e) => {
                    tracing::warn!("{} watch: {e}", resource.plural());
                    let state = classify(resource, namespace.as_deref(), &e);
                    if tx.send(Change::Failed(resource, state)).await.is_err() {
                        return;
                    }
                    break;
                }
            };
            if tx.send(change).await.is_err() {
                return;
            }
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(30));
    }
}

/// A watch error as the pane should say it; the stream keeps retrying.
pub fn classify(
    resource: Resource,
    namespace: Option<&str>,
    err: &watcher::Error,
) -> ResourceState {
    let scope = match (resource, namespace) {
        (Resource::Nodes, _) | (_, None) => "at cluster scope".to_string(),
        (_, Some(ns)) => format!("in namespace {ns}"),
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
            "forbidden: cannot list {} {scope} (the role lacks list/watch on {})",
            resource.plural(),
            resource.plural()
        )),
        Some(404) => ResourceState::Missing(format!(
            "the API server does not serve {} here",
            resource.plural()
        )),
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
            classify(Resource::Nodes, None, &api_error(403)),
            ResourceState::Forbidden(
                "forbidden: cannot list nodes at cluster scope (the role lacks list/watch on nodes)"
                    .into()
            )
        );
        assert_eq!(
            classify(Resource::Pods, Some("shop"), &api_error(403)),
            ResourceState::Forbidden(
                "forbidden: cannot list pods in namespace shop (the role lacks list/watch on pods)"
                    .into()
            )
        );
        assert_eq!(
            classify(Resource::Deployments, Some("shop"), &api_error(404)),
            ResourceState::Missing("the API server does not serve deployments here".into())
        );
        assert!(matches!(
            classify(Resource::Pods, None, &api_error(401)),
            ResourceState::Error(m) if m.starts_with("unauthorized (401)")
        ));
    }
}
