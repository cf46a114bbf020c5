//! A scenario's `phases` as written: when each fires (a time, or the
//! responder reaching a step; one trigger or a list, whichever comes
//! first) and what it applies, deletes and logs. Phases are for what comes
//! from outside the cluster; the controllers answer the responder.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Deserializer};
use serde_json::Value;
use serde_saphyr::Spanned;

use super::diagnostic::ScenarioError;
use super::{ObjectRef, Phase, Trigger, check_object};
use crate::sim::api::resources;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PhaseFile {
    when: Spanned<WhenSpec>,
    #[serde(default)]
    apply: Vec<Spanned<Value>>,
    #[serde(default)]
    delete: Vec<Spanned<ObjectRef>>,
    #[serde(default)]
    logs: BTreeMap<String, String>,
}

/// One trigger, or a list of them: the phase fires on whichever comes first.
enum WhenSpec {
    One(WhenFile),
    Any(Vec<WhenFile>),
}

// By hand rather than `untagged`, which would replace the precise errors
// (`invalid duration "soon"` at its line) with "did not match any variant".
impl<'de> Deserialize<'de> for WhenSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Shape;
        impl<'de> serde::de::Visitor<'de> for Shape {
            type Value = WhenSpec;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a trigger (`after` or `step`) or a list of them")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<WhenSpec, A::Error> {
                WhenFile::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(WhenSpec::One)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<WhenSpec, A::Error> {
                Vec::<WhenFile>::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))
                    .map(WhenSpec::Any)
            }
        }
        d.deserialize_any(Shape)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WhenFile {
    #[serde(default, deserialize_with = "super::optional_duration")]
    after: Option<Duration>,
    #[serde(default)]
    step: Option<String>,
}

pub(super) fn check_phase(path: &Path, phase: PhaseFile) -> Result<Phase, ScenarioError> {
    let at = phase.when.referenced;
    let alternatives = match phase.when.value {
        WhenSpec::One(w) => vec![w],
        WhenSpec::Any(list) => list,
    };
    if alternatives.is_empty() {
        return Err(ScenarioError::at(path, at, "`when` lists no trigger"));
    }
    let mut when = Vec::with_capacity(alternatives.len());
    for w in alternatives {
        when.push(match (w.after, w.step) {
            (Some(after), None) => Trigger::After(after),
            (None, Some(step)) => Trigger::Step(step),
            _ => {
                return Err(ScenarioError::at(
                    path,
                    at,
                    "each trigger in `when` needs exactly one of `after` or `step` (the cluster's controllers answer the responder's changes; phases are for what comes from outside)",
                ));
            }
        });
    }
    let apply = phase
        .apply
        .into_iter()
        .map(|o| check_object(path, o, false))
        .collect::<Result<Vec<_>, _>>()?;
    let mut delete = Vec::with_capacity(phase.delete.len());
    for target in phase.delete {
        let Some(resource) = resources::by_kind(&target.value.kind) else {
            return Err(ScenarioError::at(
                path,
                target.referenced,
                format!(
                    "kind {:?} is not served by the simulator",
                    target.value.kind
                ),
            ));
        };
        if resource.namespaced && target.value.namespace.is_none() {
            return Err(ScenarioError::at(
                path,
                target.referenced,
                format!("a {} needs a namespace", target.value.kind),
            ));
        }
        delete.push(target.value);
    }
    Ok(Phase {
        when,
        apply,
        delete,
        logs: phase.logs,
    })
}
