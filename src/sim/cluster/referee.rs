//! The drill's referee inside the simulator: the scenario's goal, judged
//! after every moment the cluster settles, over the same rows the app's
//! watchers make of the same objects (`cluster::project`), so the
//! simulator's Alertmanager resolves its alerts exactly when the app's
//! goal is reached. The scope is the playbook's (set by whoever opens it),
//! or the scenario's `namespace` param.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::Timestamp;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Event, Node, Pod};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::store::Store;
use crate::checks::Scope;
use crate::cluster::intern::Interner;
use crate::cluster::project;
use crate::cluster::snapshot::Snapshot;
use crate::cluster::store::{AnyRow, Change, Resource, Store as Rows};
use crate::drill::{CompiledGoal, GoalState, GoalTracker};
use crate::sim::scenario::Goal;

pub struct Referee {
    goal: Goal,
    tracker: GoalTracker,
    pub scope: Scope,
    params: BTreeMap<String, String>,
}

impl Referee {
    /// `None` when the scenario has no goal (or it does not compile, which
    /// loading a scenario already refuses).
    pub fn new(goal: Option<&Goal>, params: &BTreeMap<String, String>) -> Option<Referee> {
        let goal = goal?.clone();
        let compiled = CompiledGoal::compile(&goal).ok()?;
        Some(Referee {
            goal,
            tracker: GoalTracker::new(compiled),
            scope: Scope {
                namespace: params.get("namespace").cloned(),
                ..Scope::default()
            },
            params: params.clone(),
        })
    }

    /// Judges the cluster at `now`; returns when to look again (the moment
    /// the goal would be reached if it keeps passing).
    pub fn observe(&mut self, store: &Store, now: Timestamp) -> Option<Timestamp> {
        if self.tracker.state().is_reached() {
            return None;
        }
        let snapshot = snapshot(store);
        self.tracker
            .observe(&snapshot, &self.scope, &self.params, now.as_second());
        self.tracker
            .due()
            .and_then(|s| Timestamp::from_second(s).ok())
    }

    pub fn state(&self) -> &GoalState {
        self.tracker.state()
    }

    /// Judge in the playbook's scope from now on, starting over.
    pub fn set_scope(&mut self, scope: Scope) {
        self.scope = scope;
        if let Ok(compiled) = CompiledGoal::compile(&self.goal) {
            self.tracker = GoalTracker::new(compiled);
        }
    }
}

/// The rows the app's watchers would make of the stored objects.
pub fn snapshot(store: &Store) -> Snapshot {
    let mut rows = Rows::new(None, None);
    let mut strings = Interner::new();
    feed::<Pod>(
        &mut rows,
        store,
        "Pod",
        Resource::Pods,
        |p, s| AnyRow::Pod(Arc::new(project::pod_row_in(p, s))),
        &mut strings,
    );
    feed::<Node>(
        &mut rows,
        store,
        "Node",
        Resource::Nodes,
        |n, s| AnyRow::Node(Arc::new(project::node_row_in(n, s))),
        &mut strings,
    );
    feed::<Event>(
        &mut rows,
        store,
        "Event",
        Resource::Events,
        |e, _| AnyRow::Event(Arc::new(project::event_row_core(e))),
        &mut strings,
    );
    feed::<Deployment>(
        &mut rows,
        store,
        "Deployment",
        Resource::Deployments,
        |d, _| AnyRow::Deployment(Arc::new(project::deployment_row(d))),
        &mut strings,
    );
    rows.publish()
}

fn feed<K: DeserializeOwned>(
    rows: &mut Rows,
    store: &Store,
    kind: &str,
    resource: Resource,
    project: impl Fn(&K, &mut Interner) -> AnyRow,
    strings: &mut Interner,
) {
    rows.apply(Change::Init(resource), 0);
    for object in store.of_kind(kind) {
        let Ok(typed) = serde_json::from_value::<K>(Value::clone(object)) else {
            continue;
        };
        let row = project(&typed, strings);
        rows.apply(Change::InitApply(row.key(), row), 0);
    }
    rows.apply(Change::InitDone(resource), 0);
}
