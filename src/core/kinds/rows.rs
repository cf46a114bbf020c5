//! Compact rows projected from Kubernetes objects at the edge. A row holds what
//! the panes and checks need and nothing more; full objects are fetched on
//! demand for the detail view. Times are Unix seconds so rows stay small and
//! the clock is always passed in. Pod, node and deployment text is
//! interned `Text` (see `intern`): at 100,000 pods most of it repeats.

use std::collections::BTreeMap;

use super::intern::Text;
use super::labels::Labels;

/// One pod, as `kubectl get pods` would describe it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PodRow {
    pub namespace: Text,
    pub name: Text,
    pub node: Option<Text>,
    /// `status.phase`: Pending, Running, Succeeded, Failed, Unknown.
    pub phase: Text,
    /// The STATUS column exactly as kubectl prints it.
    pub status: Text,
    /// `status.reason` (Evicted, NodeLost, ...): kubectl's STATUS shows it
    /// only when no container's state says otherwise (an evicted pod's
    /// terminated container makes it `Error`).
    pub reason: Option<Text>,
    pub ready_containers: u32,
    pub total_containers: u32,
    pub restarts: u32,
    /// When the most recent restart happened (for "5 (2m ago)").
    pub last_restart_at: Option<i64>,
    pub created_at: Option<i64>,
    pub labels: Labels,
    /// `Kind/name` of the controlling owner, if any.
    pub owner: Option<Text>,
    pub containers: Box<[ContainerRow]>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ContainerRow {
    pub name: Text,
    pub image: Text,
    pub ready: bool,
    pub restarts: u32,
    /// `waiting`, `running`, `terminated` or `unknown`.
    pub state: Text,
    /// Reason of the current state (CrashLoopBackOff, Completed, ...).
    pub reason: Option<Text>,
    pub exit_code: Option<i32>,
    pub last_reason: Option<Text>,
    pub last_exit_code: Option<i32>,
    pub init: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct NodeRow {
    pub name: String,
    /// As kubectl prints it: `Ready`, `NotReady`, `Unknown`, with
    /// `,SchedulingDisabled` appended when cordoned.
    pub status: String,
    /// The Ready condition: Some(true/false), None when unknown.
    pub ready: Option<bool>,
    pub unschedulable: bool,
    /// Condition type → status ("True", "False", "Unknown").
    pub conditions: BTreeMap<String, String>,
    pub roles: Vec<String>,
    pub version: String,
    pub created_at: Option<i64>,
    pub labels: Labels,
    /// `key=value:Effect`
    pub taints: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct EventRow {
    pub namespace: String,
    pub name: String,
    /// `Normal` or `Warning`.
    pub type_: String,
    pub reason: String,
    pub message: String,
    /// The regarding / involved object.
    pub kind: String,
    pub object_name: String,
    pub count: u32,
    /// Last time it was seen (Unix seconds).
    pub last_seen: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeploymentRow {
    pub namespace: Text,
    /// Unique: shared with the store's key, never interned.
    pub name: Text,
    pub replicas: u32,
    pub ready: u32,
    pub updated: u32,
    pub available: u32,
    /// The pod template's images, in container order, interned.
    pub images: Box<[Text]>,
    pub created_at: Option<i64>,
    /// `spec.selector.matchLabels` (a `BTreeMap` here cost a 540-byte
    /// node per row).
    pub selector: Labels,
}
