//! Checks: CEL expressions compiled when a playbook is validated and
//! evaluated against the same rows the panes show. See docs/checks.md.

mod compile;
pub mod data;
mod eval;
pub mod fields;
mod job;
pub mod scope;
mod stream;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

pub use compile::{CheckError, CompiledCheck, compile};
pub use eval::{CheckOutcome, Data, MAX_EVIDENCE, evaluate, evaluate_with};
pub use job::{CheckJob, Evaluated};
pub use scope::Scope;

use crate::kinds::snapshot::Snapshot;
use crate::playbook::model::Playbook;

/// All of a playbook's checks, compiled once and evaluated together over
/// shared data.
#[derive(Debug, Default)]
pub struct CheckSet {
    checks: BTreeMap<String, CompiledCheck>,
    roots: Vec<&'static str>,
}

impl CheckSet {
    /// Whether some check reads an age (see [`CompiledCheck::timed`]).
    pub fn timed(&self) -> bool {
        self.checks.values().any(CompiledCheck::timed)
    }

    /// Compiles every check; a check that fails to compile is left out and
    /// reported (validation refuses such playbooks before a run).
    pub fn compile(playbook: &Playbook) -> (CheckSet, Vec<(String, CheckError)>) {
        let mut set = CheckSet::default();
        let mut errors = Vec::new();
        for (id, check) in &playbook.checks {
            match compile(&check.expr.value) {
                Ok(c) => {
                    for r in &c.roots {
                        if !set.roots.contains(r) {
                            set.roots.push(r);
                        }
                    }
                    set.checks.insert(id.clone(), c);
                }
                Err(e) => errors.push((id.clone(), e)),
            }
        }
        (set, errors)
    }

    pub fn is_empty(&self) -> bool {
        self.checks.is_empty()
    }

    /// The roots the checks read (`pods`, `params`, ...).
    pub fn roots(&self) -> &[&'static str] {
        &self.roots
    }

    pub fn evaluate_all(
        &self,
        snapshot: &Snapshot,
        scope: &Scope,
        params: &BTreeMap<String, String>,
        now: i64,
    ) -> BTreeMap<String, CheckOutcome> {
        evaluate_some(self.checks.iter(), snapshot, scope, params, now)
    }
}

/// Evaluates `checks`: row-by-row ones on their own, the rest over lists
/// built once for the roots they read.
fn evaluate_some<'a>(
    checks: impl Iterator<Item = (&'a String, &'a CompiledCheck)>,
    snapshot: &Snapshot,
    scope: &Scope,
    params: &BTreeMap<String, String>,
    now: i64,
) -> BTreeMap<String, CheckOutcome> {
    let mut out = BTreeMap::new();
    let mut listed = Vec::new();
    let mut roots: Vec<&'static str> = Vec::new();
    let mut uses = fields::FieldUse::default();
    for (id, check) in checks {
        if stream::streamable(check) {
            out.insert(
                id.clone(),
                stream::evaluate(check, snapshot, scope, params, now),
            );
        } else {
            for r in &check.roots {
                if !roots.contains(r) {
                    roots.push(r);
                }
            }
            uses.union(&check.fields);
            listed.push((id, check));
        }
    }
    if !listed.is_empty() {
        let data = Data::build(snapshot, scope, params, now, &roots, &uses);
        for (id, check) in listed {
            out.insert(id.clone(), evaluate_with(check, snapshot, &data));
        }
    }
    out
}
