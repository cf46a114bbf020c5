//! The one store of projected rows. Watcher tasks send changes; the store
//! keeps rows by key, swaps a relist in whole at its end, and publishes a
//! sorted `Snapshot` at most every 100 ms (latest value wins). It knows
//! kinds only through the registry.

use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;

pub use crate::kinds::Key;
use crate::kinds::intern::Text;
use crate::kinds::snapshot::{Connection, ResourceState, Snapshot};
use crate::kinds::{self, KindId};

/// A projected row of some kind (`Arc<K::Row>` inside).
pub type AnyRow = Arc<dyn Any + Send + Sync>;

#[derive(Debug, Clone)]
pub enum Change {
    /// A (re)list begins: rows arrive with `InitApply` until `InitDone`.
    Init(KindId),
    InitApply(KindId, Key, AnyRow),
    InitDone(KindId),
    Apply(KindId, Key, AnyRow),
    Delete(KindId, Key),
    Failed(KindId, ResourceState),
    /// No pane or check needs the kind any more: its watcher stopped.
    Stopped(KindId),
    /// A watcher started for the kind: loading.
    Started(KindId),
    /// Every non-terminated pod on a node, counted by the API server.
    NodePods(Text, u32),
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
    tables: HashMap<KindId, Table>,
    node_pods: HashMap<Text, u32>,
    node_pods_dirty: bool,
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
            Change::InitApply(r, key, row) => {
                let t = self.table(r);
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
            Change::Apply(r, key, row) => {
                let t = self.table(r);
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
            Change::Started(r) => {
                let t = self.table(r);
                if t.state == ResourceState::Idle {
                    t.state = ResourceState::Loading;
                    t.dirty = true;
                }
            }
            Change::NodePods(node, n) => {
                if self.node_pods.insert(node, n) != Some(n) {
                    self.node_pods_dirty = true;
                }
            }
            Change::Stopped(r) => {
                // Its rows go: nothing shows them, and they may be many.
                let t = self.table(r);
                *t = Table {
                    dirty: true,
                    ..Table::default()
                };
            }
        }
    }

    fn table(&mut self, r: KindId) -> &mut Table {
        self.tables.entry(r).or_default()
    }

    pub fn is_dirty(&self) -> bool {
        self.node_pods_dirty || self.tables.values().any(|t| t.dirty)
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

    /// Rebuilds the changed kinds' sorted rows and bumps the generation.
    pub fn publish(&mut self) -> Snapshot {
        let connection = self.connection();
        self.snapshot.connection = connection;
        self.snapshot.generation += 1;
        if std::mem::take(&mut self.node_pods_dirty) {
            self.snapshot.node_pods = Arc::new(self.node_pods.clone());
        }
        for (id, t) in self.tables.iter_mut() {
            if !t.dirty {
                continue;
            }
            t.dirty = false;
            let kind = kinds::get(*id);
            let rows = kind.collect(t.rows.values().cloned().collect(), t.state.clone());
            kind.publish(rows.as_ref(), &mut self.snapshot);
            if let Some(slot) = self.snapshot.kinds.get_mut(id.index()) {
                *slot = rows;
            }
        }
        self.snapshot.clone()
    }
}

/// Every registered kind live with the objects given as JSON (by their
/// `kind`), projected and published as watchers would: for fixtures,
/// tests and benchmarks. An object of an unknown kind is left out; one
/// that does not parse is an error.
pub fn snapshot_of(objects: &[serde_json::Value], now: i64) -> Result<Snapshot, String> {
    let mut store = Store::new(None, None);
    let mut strings = crate::kinds::intern::Interner::new();
    for id in kinds::KindId::all() {
        let kind = kinds::get(id);
        store.apply(Change::Init(id), now);
        for o in objects.iter().filter(|o| o["kind"] == kind.kind()) {
            let (key, row) = kind.row_json(o, &mut strings)?;
            store.apply(Change::InitApply(id, key, row), now);
        }
        store.apply(Change::InitDone(id), now);
    }
    Ok(store.publish())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::kinds::node::Nodes;
    use crate::kinds::pod::Pods;
    use crate::kinds::rows::PodRow;

    fn pods() -> KindId {
        kinds::id::<Pods>()
    }

    fn pod(name: &str, status: &str) -> AnyRow {
        Arc::new(PodRow {
            namespace: "shop".into(),
            name: name.into(),
            status: status.into(),
            ready_containers: u32::from(status == "Running"),
            total_containers: 1,
            ..PodRow::default()
        })
    }

    fn key(n: &str) -> Key {
        ("shop".into(), n.into())
    }

    #[test]
    fn a_relist_is_swapped_in_whole_and_unhealthy_pods_sort_first() {
        let mut s = Store::new(None, None);
        s.apply(Change::Init(pods()), 0);
        s.apply(Change::InitApply(pods(), key("a"), pod("a", "Running")), 0);
        s.apply(
            Change::InitApply(pods(), key("b"), pod("b", "CrashLoopBackOff")),
            0,
        );
        assert!(
            s.publish().rows::<Pods>().rows.is_empty(),
            "half a list is never shown"
        );
        s.apply(Change::InitDone(pods()), 0);
        let snap = s.publish();
        assert_eq!(snap.connection, Connection::Live);
        let names: Vec<&str> = snap
            .rows::<Pods>()
            .rows
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(names, ["b", "a"]);
        // a relist that drops `a`
        s.apply(Change::Init(pods()), 1);
        s.apply(Change::InitApply(pods(), key("b"), pod("b", "Running")), 1);
        s.apply(Change::InitDone(pods()), 1);
        assert_eq!(s.publish().rows::<Pods>().rows.len(), 1);
    }

    #[test]
    fn pods_are_counted_per_node_without_terminated_ones() {
        let on = |name: &str, node: &str, phase: &str| {
            Arc::new(PodRow {
                namespace: "shop".into(),
                name: name.into(),
                node: Some(node.into()),
                phase: phase.into(),
                ..PodRow::default()
            }) as AnyRow
        };
        let mut s = Store::new(None, None);
        s.apply(Change::Init(pods()), 0);
        s.apply(
            Change::InitApply(pods(), key("a"), on("a", "n1", "Running")),
            0,
        );
        s.apply(
            Change::InitApply(pods(), key("b"), on("b", "n1", "Pending")),
            0,
        );
        s.apply(
            Change::InitApply(pods(), key("c"), on("c", "n1", "Succeeded")),
            0,
        );
        s.apply(
            Change::InitApply(pods(), key("d"), on("d", "n2", "Running")),
            0,
        );
        s.apply(Change::InitDone(pods()), 0);
        let snap = s.publish();
        assert_eq!(snap.pods_per_node.get("n1"), Some(&2));
        assert_eq!(snap.pods_per_node.get("n2"), Some(&1));
        s.apply(Change::Delete(pods(), key("d")), 1);
        assert_eq!(s.publish().pods_per_node.get("n2"), None);
    }

    #[test]
    fn errors_after_live_are_reconnecting_and_keep_rows() {
        let mut s = Store::new(None, None);
        s.apply(Change::Init(pods()), 0);
        s.apply(Change::InitApply(pods(), key("a"), pod("a", "Running")), 0);
        s.apply(Change::InitDone(pods()), 100);
        s.publish();
        s.apply(
            Change::Failed(pods(), ResourceState::Error("connection refused".into())),
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
        assert_eq!(snap.rows::<Pods>().rows.len(), 1, "rows are kept");
        s.apply(Change::Apply(pods(), key("a"), pod("a", "Running")), 160);
        assert_eq!(s.publish().connection, Connection::Live);
    }

    #[test]
    fn forbidden_stays_in_its_pane() {
        let mut s = Store::new(None, None);
        s.apply(
            Change::Failed(
                kinds::id::<Nodes>(),
                ResourceState::Forbidden("forbidden: cannot list nodes at cluster scope".into()),
            ),
            0,
        );
        s.apply(Change::Init(pods()), 0);
        s.apply(Change::InitDone(pods()), 0);
        let snap = s.publish();
        assert_eq!(snap.connection, Connection::Live);
        assert!(matches!(
            snap.state(kinds::id::<Nodes>()),
            ResourceState::Forbidden(_)
        ));
        assert_eq!(*snap.state(pods()), ResourceState::Live);
    }
}
