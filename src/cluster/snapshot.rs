//! What the cluster task publishes on a `tokio::sync::watch` channel: the
//! latest rows of every resource with their state. Cloning is cheap (Arcs).

use std::collections::HashMap;
use std::sync::Arc;

use super::intern::Text;
use super::rows::{DeploymentRow, EventRow, NodeRow, PodRow};

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
    #[default]
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

#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Bumped on every publish; views and checks use it to skip work.
    pub generation: u64,
    pub context: Option<String>,
    pub namespace: Option<String>,
    pub connection: Connection,
    pub pods: Rows<PodRow>,
    pub nodes: Rows<NodeRow>,
    pub events: Rows<EventRow>,
    pub deployments: Rows<DeploymentRow>,
    /// Non-terminated pods per node among the pods watched (the focus, or
    /// every namespace when widened), counted once per publish so the nodes
    /// pane never scans 100,000 pods per frame.
    pub pods_per_node: Arc<HashMap<Text, u32>>,
}
