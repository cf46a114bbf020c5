//! Check evaluation as a job that runs off the UI loop. CEL over 100,000
//! pods takes seconds, so the loop hands the latest snapshot to a worker and
//! shows results when they come back (at most one job in flight; newer
//! snapshots coalesce). A check whose lists did not change since the last
//! job keeps its outcome: with events streaming, checks that read only pods
//! are not run again.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::CheckSet;
use super::eval::CheckOutcome;
use super::scope::Scope;
use crate::kinds;
use crate::kinds::snapshot::{Connection, ResourceState, Snapshot};

/// What a list looked like to a job: the very rows (held, so the identity
/// cannot be reused by another allocation) and the resource's state.
#[derive(Debug, Clone)]
struct ListSeen {
    rows: Arc<dyn std::any::Any + Send + Sync>,
    state: ResourceState,
}

impl ListSeen {
    fn same(&self, other: &ListSeen) -> bool {
        Arc::ptr_eq(&self.rows, &other.rows) && self.state == other.state
    }
}

/// The inputs a job saw, per root.
#[derive(Debug, Clone)]
pub struct Inputs {
    connection: Connection,
    lists: BTreeMap<&'static str, ListSeen>,
}

impl Inputs {
    fn of(snapshot: &Snapshot) -> Inputs {
        Inputs {
            connection: snapshot.connection.clone(),
            lists: kinds::KindId::all()
                .map(|id| {
                    let k = kinds::get(id);
                    let rows = snapshot.kind(id);
                    (
                        k.meta().name,
                        ListSeen {
                            rows: rows.identity(),
                            state: rows.state().clone(),
                        },
                    )
                })
                .collect(),
        }
    }

    /// Whether the lists the roots read (and those their values look up:
    /// a Service's EndpointSlices) are the same as then.
    fn unchanged(&self, other: &Inputs, roots: &[&'static str]) -> bool {
        let read = kinds::with_needs(roots.iter().filter_map(|r| kinds::id_of(r)));
        self.connection == other.connection
            && read.iter().all(|id| {
                let name = kinds::get(*id).meta().name;
                match (self.lists.get(name), other.lists.get(name)) {
                    (Some(a), Some(b)) => a.same(b),
                    _ => true,
                }
            })
    }
}

/// The outcome of a job.
#[derive(Debug, Clone)]
pub struct Evaluated {
    /// The snapshot generation evaluated.
    pub generation: u64,
    pub results: BTreeMap<String, CheckOutcome>,
    /// How many checks actually ran (the rest kept their outcome).
    pub ran: usize,
    /// The clock it was evaluated at (Unix seconds).
    pub at: i64,
    inputs: Inputs,
}

/// Everything one evaluation needs, owned, so it can run on any thread.
#[derive(Debug, Clone)]
pub struct CheckJob {
    pub checks: Arc<CheckSet>,
    pub snapshot: Snapshot,
    pub scope: Scope,
    pub params: BTreeMap<String, String>,
    pub now: i64,
    pub previous: Option<Arc<Evaluated>>,
}

/// Jobs compare by the generation they evaluate (effects are compared in
/// tests; the check set itself has no equality).
impl PartialEq for CheckJob {
    fn eq(&self, other: &CheckJob) -> bool {
        self.snapshot.generation == other.snapshot.generation
    }
}

impl CheckJob {
    pub fn run(self) -> Evaluated {
        let inputs = Inputs::of(&self.snapshot);
        let previous = self.previous.as_deref();
        let mut results = BTreeMap::new();
        let mut stale = Vec::new();
        for (id, check) in &self.checks.checks {
            // Ages grow with the clock, so a check reading them always runs.
            let timed = check.timed();
            match previous.filter(|_| !timed).and_then(|p| {
                p.inputs
                    .unchanged(&inputs, &check.roots)
                    .then(|| p.results.get(id))
                    .flatten()
            }) {
                Some(kept) => {
                    results.insert(id.clone(), kept.clone());
                }
                None => stale.push((id, check)),
            }
        }
        let ran = stale.len();
        results.extend(super::evaluate_some(
            stale.into_iter(),
            &self.snapshot,
            &self.scope,
            &self.params,
            self.now,
        ));
        Evaluated {
            generation: self.snapshot.generation,
            results,
            ran,
            at: self.now,
            inputs,
        }
    }
}
