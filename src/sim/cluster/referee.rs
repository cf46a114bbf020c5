//! The drill's referee inside the simulator: the scenario's goal, judged
//! after every moment the cluster settles, over the same rows the app's
//! watchers make of the same objects (`kinds::project`), so the
//! simulator's Alertmanager resolves its alerts exactly when the app's
//! goal is reached. The scope is the playbook's (set by whoever opens it),
//! or the scenario's `namespace` param.

use std::collections::BTreeMap;

use jiff::Timestamp;

use super::store::Store;
use crate::checks::Scope;
use crate::cluster::store::{Change, Store as Rows};
use crate::drill::{CompiledGoal, GoalState, GoalTracker};
use crate::kinds::intern::Interner;
use crate::kinds::snapshot::Snapshot;
use crate::kinds::{KindId, get};
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

/// The rows the app's watchers would make of the stored objects: every
/// registered kind, projected by its own `Kind::project`.
pub fn snapshot(store: &Store) -> Snapshot {
    let mut rows = Rows::new(None, None);
    let mut strings = Interner::new();
    for id in KindId::all() {
        let kind = get(id);
        rows.apply(Change::Init(id), 0);
        for object in store.of_kind(kind.kind()) {
            let Ok((key, row)) = kind.row_json(object, &mut strings) else {
                continue;
            };
            rows.apply(Change::InitApply(id, key, row), 0);
        }
        rows.apply(Change::InitDone(id), 0);
    }
    rows.publish()
}
