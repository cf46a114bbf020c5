//! Evaluating checks against a snapshot of the cluster rows.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use cel::{Context, Program, Value};
use regex::Regex;

use super::compile::{CheckError, CompiledCheck};
use super::data;
use super::fields::FieldUse;
use super::scope::Scope;
use crate::engine::CheckResult;
use crate::kinds;
use crate::kinds::snapshot::{Connection, ResourceState, Snapshot};

/// Most objects listed as evidence for one check.
pub const MAX_EVIDENCE: usize = 20;

#[derive(Debug, Clone, PartialEq)]
pub struct CheckOutcome {
    pub result: CheckResult,
    /// Matching objects (`pod/ns/name`, `node/name`, ...); for `all`, the
    /// objects that fail it.
    pub objects: Vec<String>,
    /// Why the result is unknown, or an evaluation problem.
    pub detail: Option<String>,
}

impl CheckOutcome {
    pub(crate) fn unknown(detail: impl Into<String>) -> Self {
        CheckOutcome {
            result: CheckResult::Unknown,
            objects: Vec::new(),
            detail: Some(detail.into()),
        }
    }
}

/// `LIST.macro(var, PREDICATE)`, recognized in the source so evidence can
/// name the objects the predicate holds for.
#[derive(Debug)]
pub(crate) struct EvidencePlan {
    pub(crate) root: String,
    pub(crate) all: bool,
    pub(crate) var: String,
    pub(crate) predicate: Program,
    /// The whole expression is `LIST.exists(x, P)` or `LIST.all(x, P)`:
    /// it can be decided row by row without building the list.
    pub(crate) plain: bool,
}

fn shape() -> &'static Regex {
    static SHAPE: OnceLock<Regex> = OnceLock::new();
    SHAPE.get_or_init(|| {
        let roots: Vec<&str> = crate::kinds::roots().map(|(r, _)| r).collect();
        Regex::new(&format!(
            r"(?s)^\s*({})\s*\.\s*(exists_one|exists|all|filter)\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*,(.*?)\)\s*(\.\s*size\s*\(\s*\)\s*[<>=!]+\s*[0-9]+)?\s*$",
            roots.join("|")
        ))
        .expect("a valid regex built from root names")
    })
}

impl EvidencePlan {
    pub(crate) fn detect(expr: &str) -> Result<Option<EvidencePlan>, CheckError> {
        let Some(c) = shape().captures(expr) else {
            return Ok(None);
        };
        let Ok(predicate) = Program::compile(&c[4]) else {
            return Ok(None);
        };
        Ok(Some(EvidencePlan {
            root: c[1].to_string(),
            all: &c[2] == "all",
            var: c[3].to_string(),
            predicate,
            plain: matches!(&c[2], "exists" | "all") && c.get(5).is_none(),
        }))
    }
}

/// The lists a check can read, built once per snapshot and scope.
pub struct Data {
    lists: BTreeMap<&'static str, (Arc<Vec<Value>>, Vec<String>)>,
    params: Value,
}

impl Data {
    /// Builds only the `roots` asked for, with the fields in `uses`.
    pub fn build(
        snapshot: &Snapshot,
        scope: &Scope,
        params: &BTreeMap<String, String>,
        now: i64,
        roots: &[&'static str],
        uses: &FieldUse,
    ) -> Data {
        let mut lists = BTreeMap::new();
        for root in roots {
            if kinds::id_of(root).is_none() {
                continue;
            }
            let (mut values, mut names) = (Vec::new(), Vec::new());
            each_in_scope(snapshot, scope, now, root, uses, |value, name| {
                values.push(value);
                names.push(name());
                true
            });
            lists.insert(*root, (Arc::new(values), names));
        }
        Data {
            lists,
            params: data::params(params),
        }
    }
}

/// Visits a root's rows in scope as CEL values (with the fields in `uses`)
/// and their names (`pod/ns/name`, made only if asked for) until `visit`
/// returns false. Values are made one at a time, so a caller that does not
/// keep them holds one row's value at a time.
pub(crate) fn each_in_scope(
    snapshot: &Snapshot,
    scope: &Scope,
    now: i64,
    root: &str,
    uses: &FieldUse,
    mut visit: impl FnMut(Value, &dyn Fn() -> String) -> bool,
) {
    let Some(id) = kinds::id_of(root) else {
        return;
    };
    let kind = kinds::get(id);
    let Some(schema) = kind.schema() else {
        return;
    };
    let rule = kind.meta().scope;
    let noun = kind.kind().to_lowercase();
    let builder = data::Builder::new(uses);
    let ctx = kinds::Ctx::new(now, Some(snapshot));
    for row in snapshot
        .kind(id)
        .iter()
        .filter(|r| scope.admits(rule, *r, false))
    {
        let name = || {
            if row.namespace().is_empty() {
                format!("{noun}/{}", row.name())
            } else {
                format!("{noun}/{}/{}", row.namespace(), row.name())
            }
        };
        if !visit(builder.object(schema, row, &ctx), &name) {
            return;
        }
    }
}

fn resource_state<'a>(snapshot: &'a Snapshot, root: &str) -> Option<&'a ResourceState> {
    kinds::id_of(root).map(|id| snapshot.state(id))
}

/// Why the data this check reads cannot be trusted yet, if so.
pub(crate) fn not_ready(check: &CompiledCheck, snapshot: &Snapshot) -> Option<String> {
    let cluster_roots: Vec<&str> = check
        .roots
        .iter()
        .copied()
        .filter(|r| *r != "params")
        .collect();
    if cluster_roots.is_empty() {
        return None;
    }
    match &snapshot.connection {
        Connection::Disconnected => return Some("no cluster connected".into()),
        Connection::Failed(reason) => return Some(format!("cluster unavailable: {reason}")),
        _ => {}
    }
    for root in cluster_roots {
        match resource_state(snapshot, root) {
            Some(ResourceState::Live) | None => {}
            Some(ResourceState::Loading | ResourceState::Idle) => {
                return Some(format!("{root}: no data yet"));
            }
            Some(ResourceState::Forbidden(m)) => return Some(format!("{root}: {m}")),
            Some(ResourceState::Missing(m)) => return Some(format!("{root}: {m}")),
            Some(ResourceState::Error(m)) => return Some(format!("{root}: {m}")),
        }
    }
    None
}

pub fn evaluate_with(check: &CompiledCheck, snapshot: &Snapshot, data: &Data) -> CheckOutcome {
    if let Some(reason) = not_ready(check, snapshot) {
        return CheckOutcome::unknown(reason);
    }
    let mut ctx = Context::default();
    for (root, (values, _)) in &data.lists {
        ctx.add_variable_from_value(*root, Value::List(values.clone()));
    }
    ctx.add_variable_from_value("params", data.params.clone());
    let result = match check.program.execute(&ctx) {
        Ok(Value::Bool(true)) => CheckResult::Pass,
        Ok(Value::Bool(false)) => CheckResult::Fail,
        Ok(other) => {
            return CheckOutcome::unknown(format!(
                "the expression gave {other:?}, not true or false"
            ));
        }
        Err(e) => return CheckOutcome::unknown(format!("evaluation failed: {e}")),
    };
    let objects = check
        .evidence
        .as_ref()
        .map(|plan| matching_objects(plan, &ctx, data))
        .unwrap_or_default();
    CheckOutcome {
        result,
        objects,
        detail: None,
    }
}

fn matching_objects(plan: &EvidencePlan, ctx: &Context, data: &Data) -> Vec<String> {
    let Some((values, names)) = data.lists.get(plan.root.as_str()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (value, name) in values.iter().zip(names) {
        let mut inner = ctx.new_inner_scope();
        inner.add_variable_from_value(plan.var.clone(), value.clone());
        let holds = matches!(plan.predicate.execute(&inner), Ok(Value::Bool(true)));
        if holds != plan.all {
            out.push(name.clone());
            if out.len() == MAX_EVIDENCE {
                break;
            }
        }
    }
    out
}

/// Evaluates one check on its own (builds just the data it reads).
pub fn evaluate(
    check: &CompiledCheck,
    snapshot: &Snapshot,
    scope: &Scope,
    params: &BTreeMap<String, String>,
    now: i64,
) -> CheckOutcome {
    let data = Data::build(snapshot, scope, params, now, &check.roots, &check.fields);
    evaluate_with(check, snapshot, &data)
}
