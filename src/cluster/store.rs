//! The one store of projected rows. Watcher tasks send changes; the store
//! keeps rows by key, swaps a relist in whole at its end, and publishes a
//! sorted `Snapshot` at most every 100 ms (latest value wins).

use std::collections::HashMap;
use std::sync::Arc;

use super::intern::Text;
use super::rows::{DeploymentRow, EventRow, NodeRow, PodRow};
use super::snapshot::{Connection, ResourceState, Rows, Snapshot};

/// Namespace and name (an empty namespace for nodes). Pod keys share the
/// row's own text.
pub type Key = (Text, Text);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    Pods,
    Nodes,
    Events,
    Deployments,
}

impl Resource {
    pub fn plural(self) -> &'static str {
        match self {
            Resource::Pods => "pods",
            Resource::Nodes => "nodes",
            Resource::Events => "events",
            Resource::Deployments => "deployments",
        }
    }
}

#[derive(Debug, Clone)]
pub enum AnyRow {
    Pod(Arc<PodRow>),
    Node(Arc<NodeRow>),
    Event(Arc<EventRow>),
    Deployment(Arc<DeploymentRow>),
}

#[derive(Debug, Clone)]
pub enum Change {
    /// A (re)list begins: rows arrive with `InitApply` until `InitDone`.
    Init(Resource),
    InitApply(Key, AnyRow),
    InitDone(Resource),
    Apply(Key, AnyRow),
    Delete(Resource, Key),
    Failed(Resource, ResourceState),
}

impl AnyRow {
    pub fn key(&self) -> Key {
        match self {
            AnyRow::Pod(p) => (p.namespace.clone(), p.name.clone()),
            AnyRow::Node(n) => (Text::default(), n.name.as_str().into()),
            AnyRow::Event(e) => (e.namespace.as_str().into(), e.name.as_str().into()),
            AnyRow::Deployment(d) => (d.namespace.as_str().into(), d.name.as_str().into()),
        }
    }

    fn resource(&self) -> Resource {
        match self {
            AnyRow::Pod(_) => Resource::Pods,
            AnyRow::Node(_) => Resource::Nodes,
            AnyRow::Event(_) => Resource::Events,
            AnyRow::Deployment(_) => Resource::Deployments,
        }
    }
}

#[derive(Default)]
struct Table {
    rows: HashMap<Key, AnyRow>,
    /// A relist in progress: swapped in at InitDone so a relist never shows
    /// half a list.
    pending: Option<HashMap<Key, AnyRow>>,
    state: ResourceState,
    dirty: bool,
    live_once: bool,
}

#[derive(Default)]
pub struct Store {
    tables: HashMap<Resource, Table>,
    snapshot: Snapshot,
    /// Unix seconds of the last good data, for "reconnecting (data 2m old)".
    last_good: i64,
}

impl Store {
    pub fn new(context: Option<String>, namespace: Option<String>) -> Store {
        let mut s = Store::default();
        s.snapshot.context = context;
        s.snapshot.namespace = namespace;
        s.snapshot.connection = Connection::Connecting;
        s
    }

    pub fn apply(&mut self, change: Change, now: i64) {
        match change {
            Change::Init(r) => {
                self.table(r).pending = Some(HashMap::new());
            }
            Change::InitApply(key, row) => {
                let t = self.table(row.resource());
                t.pending.get_or_insert_with(HashMap::new).insert(key, row);
            }
            Change::InitDone(r) => {
                let t = self.table(r);
                if let Some(rows) = t.pending.take() {
                    t.rows = rows;
                }
                t.state = ResourceState::Live;
                t.live_once = true;
                t.dirty = true;
                self.last_good = now;
            }
            Change::Apply(key, row) => {
                let t = self.table(row.resource());
                t.rows.insert(key, row);
                t.state = ResourceState::Live;
                t.dirty = true;
                self.last_good = now;
            }
            Change::Delete(r, key) => {
                let t = self.table(r);
                t.rows.remove(&key);
                t.dirty = true;
            }
            Change::Failed(r, state) => {
                let t = self.table(r);
                t.state = state;
                t.pending = None;
                t.dirty = true;
            }
        }
    }

    fn table(&mut self, r: Resource) -> &mut Table {
        self.tables.entry(r).or_default()
    }

    pub fn is_dirty(&self) -> bool {
        self.tables.values().any(|t| t.dirty)
    }

    /// The connection as the responder should see it.
    fn connection(&self) -> Connection {
        let live_once = self.tables.values().any(|t| t.live_once);
        let errors: Vec<&str> = self
            .tables
            .values()
            .filter_map(|t| match &t.state {
                ResourceState::Error(e) => Some(e.as_str()),
                _ => None,
            })
            .collect();
        match (live_once, errors.first()) {
            (true, None) => Connection::Live,
            (true, Some(e)) => Connection::Reconnecting {
                since: self.last_good,
                error: (*e).to_string(),
            },
            (false, Some(e)) => Connection::Failed(format!("{e} (retrying)")),
            (false, None) => {
                // Only forbidden/missing answers so far still prove the API answers.
                if self.tables.values().any(|t| {
                    matches!(
                        t.state,
                        ResourceState::Forbidden(_) | ResourceState::Missing(_)
                    )
                }) {
                    Connection::Live
                } else {
                    Connection::Connecting
                }
            }
        }
    }

    /// Rebuilds the changed resources' sorted rows and bumps the generation.
    pub fn publish(&mut self) -> Snapshot {
        let connection = self.connection();
        self.snapshot.connection = connection;
        self.snapshot.generation += 1;
        for (r, t) in self.tables.iter_mut() {
            if !t.dirty {
                continue;
            }
            t.dirty = false;
            let state = t.state.clone();
            match r {
                Resource::Pods => {
                    let mut rows: Vec<Arc<PodRow>> = t
                        .rows
                        .values()
                        .filter_map(|r| match r {
                            AnyRow::Pod(p) => Some(p.clone()),
                            _ => None,
                        })
                        .collect();
                    rows.sort_by(|a, b| {
                        a.is_healthy()
                            .cmp(&b.is_healthy())
                            .then_with(|| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)))
                    });
                    let mut per_node: HashMap<Text, u32> = HashMap::new();
                    for p in rows
                        .iter()
                        .filter(|p| !matches!(p.phase.as_str(), "Succeeded" | "Failed"))
                    {
                        if let Some(node) = &p.node {
                            *per_node.entry(node.clone()).or_default() += 1;
                        }
                    }
                    self.snapshot.pods_per_node = Arc::new(per_node);
                    self.snapshot.pods = Rows {
                        state,
                        rows: Arc::new(rows),
                    };
                }
                Resource::Nodes => {
                    let mut rows: Vec<Arc<NodeRow>> = t
                        .rows
                        .values()
                        .filter_map(|r| match r {
                            AnyRow::Node(n) => Some(n.clone()),
                            _ => None,
                        })
                        .collect();
                    rows.sort_by(|a, b| {
                        (a.ready == Some(true))
                            .cmp(&(b.ready == Some(true)))
                            .then_with(|| a.name.cmp(&b.name))
                    });
                    self.snapshot.nodes = Rows {
                        state,
                        rows: Arc::new(rows),
                    };
                }
                Resource::Events => {
                    let mut rows: Vec<Arc<EventRow>> = t
                        .rows
                        .values()
                        .filter_map(|r| match r {
                            AnyRow::Event(e) => Some(e.clone()),
                            _ => None,
                        })
                        .collect();
                    rows.sort_by(|a, b| {
                        b.last_seen
                            .cmp(&a.last_seen)
                            .then_with(|| (b.type_ == "Warning").cmp(&(a.type_ == "Warning")))
                            .then_with(|| a.name.cmp(&b.name))
                    });
                    self.snapshot.events = Rows {
                        state,
                        rows: Arc::new(rows),
                    };
                }
                Resource::Deployments => {
                    let mut rows: Vec<Arc<DeploymentRow>> = t
                        .rows
                        .values()
                        .filter_map(|r| match r {
                            AnyRow::Deployment(d) => Some(d.clone()),
                            _ => None,
                        })
                        .collect();
                    rows.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
                    self.snapshot.deployments = Rows {
                        state,
                        rows: Arc::new(rows),
                    };
                }
            }
        }
        self.snapshot.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str, status: &str) -> AnyRow {
        AnyRow::Pod(Arc::new(PodRow {
            namespace: "shop".into(),
            name: name.into(),
            status: status.into(),
            ready_containers: u32::from(status == "Running"),
            total_containers: 1,
            ..PodRow::default()
        }))
    }

    fn key(n: &str) -> Key {
        ("shop".into(), n.into())
    }

    #[test]
    fn a_relist_is_swapped_in_whole_and_unhealthy_pods_sort_first() {
        let mut s = Store::new(None, None);
        s.apply(Change::Init(Resource::Pods), 0);
        s.apply(Change::InitApply(key("a"), pod("a", "Running")), 0);
        s.apply(Change::InitApply(key("b"), pod("b", "CrashLoopBackOff")), 0);
        assert!(
            s.publish().pods.rows.is_empty(),
            "half a list is never shown"
        );
        s.apply(Change::InitDone(Resource::Pods), 0);
        let snap = s.publish();
        assert_eq!(snap.connection, Connection::Live);
        let names: Vec<&str> = snap.pods.rows.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["b", "a"]);
        // a relist that drops `a`
        s.apply(Change::Init(Resource::Pods), 1);
        s.apply(Change::InitApply(key("b"), pod("b", "Running")), 1);
        s.apply(Change::InitDone(Resource::Pods), 1);
        assert_eq!(s.publish().pods.rows.len(), 1);
    }

    #[test]
    fn pods_are_counted_per_node_without_terminated_ones() {
        let on = |name: &str, node: &str, phase: &str| {
            AnyRow::Pod(Arc::new(PodRow {
                namespace: "shop".into(),
                name: name.into(),
                node: Some(node.into()),
                phase: phase.into(),
                ..PodRow::default()
            }))
        };
        let mut s = Store::new(None, None);
        s.apply(Change::Init(Resource::Pods), 0);
        s.apply(Change::InitApply(key("a"), on("a", "n1", "Running")), 0);
        s.apply(Change::InitApply(key("b"), on("b", "n1", "Pending")), 0);
        s.apply(Change::InitApply(key("c"), on("c", "n1", "Succeeded")), 0);
        s.apply(Change::InitApply(key("d"), on("d", "n2", "Running")), 0);
        s.apply(Change::InitDone(Resource::Pods), 0);
        let snap = s.publish();
        assert_eq!(snap.pods_per_node.get("n1"), Some(&2));
        assert_eq!(snap.pods_per_node.get("n2"), Some(&1));
        s.apply(Change::Delete(Resource::Pods, key("d")), 1);
        assert_eq!(s.publish().pods_per_node.get("n2"), None);
    }

    #[test]
    fn errors_after_live_are_reconnecting_and_keep_rows() {
        let mut s = Store::new(None, None);
        s.apply(Change::Init(Resource::Pods), 0);
        s.apply(Change::InitApply(key("a"), pod("a", "Running")), 0);
        s.apply(Change::InitDone(Resource::Pods), 100);
        s.publish();
        s.apply(
            Change::Failed(
                Resource::Pods,
                ResourceState::Error("connection refused".into()),
            ),
            150,
        );
        let snap = s.publish();
        assert_eq!(
            snap.connection,
            Connection::Reconnecting {
                since: 100,
                error: "connection refused".into()
            }
        );
        assert_eq!(snap.pods.rows.len(), 1, "rows are kept");
        s.apply(Change::Apply(key("a"), pod("a", "Running")), 160);
        assert_eq!(s.publish().connection, Connection::Live);
    }

    #[test]
    fn forbidden_stays_in_its_pane() {
        let mut s = Store::new(None, None);
        s.apply(
            Change::Failed(
                Resource::Nodes,
                ResourceState::Forbidden("forbidden: cannot list nodes at cluster scope".into()),
            ),
            0,
        );
        s.apply(Change::Init(Resource::Pods), 0);
        s.apply(Change::InitDone(Resource::Pods), 0);
        let snap = s.publish();
        assert_eq!(snap.connection, Connection::Live);
        assert!(matches!(snap.nodes.state, ResourceState::Forbidden(_)));
        assert_eq!(snap.pods.state, ResourceState::Live);
    }
}
