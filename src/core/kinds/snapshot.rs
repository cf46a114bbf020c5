//! What the cluster task publishes on a `tokio::sync::watch` channel: the
//! latest rows of every resource with their state. Cloning is cheap (Arcs).

use std::collections::HashMap;
use std::sync::Arc;

use super::intern::Text;
use crate::kinds::{self, AnyRows, KindId};

#[derive(Debug, Clone, PartialEq, Default)]
pub enum Connection {
    /// No cluster was asked for (e.g. validating, or tests).
    #[default]
    Disconnected,
    Connecting,
    Live,
    /// Was live; the data shown is as old as `since` (Unix seconds).
    Reconnecting {
        since: i64,
        error: String,
    },
    /// Could not connect at all: no kubeconfig, unreachable, TLS, 401.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub enum ResourceState {
    /// Nothing watches it: no pane shows it and no check reads it.
    #[default]
    Idle,
    Loading,
    Live,
    /// The role lacks a verb: "forbidden: cannot list nodes at cluster scope".
    Forbidden(String),
    /// The API does not serve this resource.
    Missing(String),
    /// A watch error; rows are kept and the stream keeps retrying.
    Error(String),
}

#[derive(Debug, Clone, Default)]
pub struct Rows<T> {
    pub state: ResourceState,
    /// Sorted for display: unhealthy first for pods and nodes, newest first
    /// for events, by namespace/name otherwise.
    pub rows: Arc<Vec<Arc<T>>>,
}

impl<T> Rows<T> {
    /// Live rows (tests and benchmarks build snapshots from these).
    pub fn live(rows: Vec<T>) -> Rows<T> {
        Rows {
            state: ResourceState::Live,
            rows: Arc::new(rows.into_iter().map(Arc::new).collect()),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Snapshot {
    /// Bumped on every publish; views and checks use it to skip work.
    pub generation: u64,
    pub context: Option<String>,
    pub namespace: Option<String>,
    pub connection: Connection,
    /// Every registered kind's rows, by its place in `kinds::REGISTRY`
    /// (always all of them: `Default` makes them, nothing removes them).
    pub kinds: Vec<Arc<dyn AnyRows>>,
    /// Non-terminated pods per node among the pods watched (the focus, or
    /// every namespace when widened), counted once per publish so the nodes
    /// pane never scans 100,000 pods per frame.
    pub pods_per_node: Arc<HashMap<Text, u32>>,
    /// Every non-terminated pod per node, in every namespace, as the API
    /// server counted them for the nodes the pane shows (`node_pods`).
    pub node_pods: Arc<HashMap<Text, u32>>,
    /// (ready, not ready) endpoints per Service (namespace, name), from the
    /// EndpointSlices, counted once per publish.
    pub endpoints_per_service: Arc<HashMap<(Text, Text), (u32, u32)>>,
}

impl Default for Snapshot {
    fn default() -> Snapshot {
        Snapshot {
            generation: 0,
            context: None,
            namespace: None,
            connection: Connection::default(),
            kinds: kinds::REGISTRY
                .iter()
                .map(|k| k.empty(ResourceState::Idle))
                .collect(),
            pods_per_node: Arc::default(),
            node_pods: Arc::default(),
            endpoints_per_service: Arc::default(),
        }
    }
}

impl Snapshot {
    /// A kind's rows, typed.
    pub fn rows<K: kinds::Registered>(&self) -> &Rows<K::Row> {
        self.kinds
            .get(kinds::id::<K>().index())
            .and_then(|r| r.as_any().downcast_ref::<Rows<K::Row>>())
            .expect("a snapshot holds every registered kind's rows, typed")
    }

    /// The kinds every session watches by default, typed.
    pub fn pods(&self) -> &Rows<super::rows::PodRow> {
        self.rows::<kinds::pod::Pods>()
    }
    pub fn nodes(&self) -> &Rows<super::rows::NodeRow> {
        self.rows::<kinds::node::Nodes>()
    }
    pub fn events(&self) -> &Rows<super::rows::EventRow> {
        self.rows::<kinds::event::Events>()
    }
    pub fn deployments(&self) -> &Rows<super::rows::DeploymentRow> {
        self.rows::<kinds::deployment::Deployments>()
    }

    /// A kind's rows, by its place in the registry.
    pub fn kind(&self, id: KindId) -> &dyn AnyRows {
        match self.kinds.get(id.index()) {
            Some(rows) => rows.as_ref(),
            None => &EMPTY,
        }
    }

    pub fn state(&self, id: KindId) -> &ResourceState {
        self.kind(id).state()
    }

    /// Replaces a kind's rows (tests, benchmarks).
    pub fn set<K: kinds::Registered>(&mut self, rows: Rows<K::Row>) {
        let id = kinds::id::<K>();
        let rows: Arc<dyn AnyRows> = Arc::new(rows);
        kinds::get(id).publish(rows.as_ref(), self);
        if let Some(slot) = self.kinds.get_mut(id.index()) {
            *slot = rows;
        }
    }

    /// `set`, by value.
    pub fn with<K: kinds::Registered>(mut self, rows: Rows<K::Row>) -> Snapshot {
        self.set::<K>(rows);
        self
    }

    /// Every kind in `state` (tests: all live and empty).
    pub fn all(mut self, state: &ResourceState) -> Snapshot {
        for (i, k) in kinds::REGISTRY.iter().enumerate() {
            if self.kinds[i].is_empty() {
                self.kinds[i] = k.empty(state.clone());
            }
        }
        self
    }
}

/// Stands in for a kind a snapshot lacks (never, once built by `Default`).
#[derive(Debug)]
struct NoRows;

static EMPTY: NoRows = NoRows;

impl AnyRows for NoRows {
    fn state(&self) -> &ResourceState {
        &ResourceState::Idle
    }
    fn len(&self) -> usize {
        0
    }
    fn row(&self, _: usize) -> Option<&dyn kinds::Row> {
        None
    }
    fn iter(&self) -> Box<dyn Iterator<Item = &dyn kinds::Row> + '_> {
        Box::new(std::iter::empty())
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn identity(&self) -> Arc<dyn std::any::Any + Send + Sync> {
        Arc::new(())
    }
}
