//! Scenario format v1: what a drill cluster holds and how it changes.
//!
//! Objects stay `serde_json::Value`s (as `kubectl -o yaml` prints them), so any
//! field a real object has can be written and is served back unchanged.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Deserializer};
use serde_json::Value;
use serde_saphyr::Spanned;

mod behaviour;
pub mod builtin;
pub mod diagnostic;
pub mod generate;
mod owners;
mod phase_file;

/// The goal type is the drill's (the core's); a scenario file carries one.
pub use crate::drill::Goal;
pub use behaviour::{Alert, Exit, Health, Need, Rules, Unmet, Workload, WorkloadLogs};
use diagnostic::ScenarioError;
use phase_file::{PhaseFile, check_phase};

use crate::sim::api::resources;

/// Generated scenarios are capped: past these a "scale" scenario is a typo
/// that would exhaust memory, not a drill.
pub const MAX_GENERATED_PODS: usize = 1_000_000;
pub const MAX_GENERATED_NODES: usize = 50_000;
pub const MAX_EVENTS_PER_SECOND: f64 = 10_000.0;
/// A scenario file past this is refused before it is parsed: loading is
/// bounded in time and memory (the built-ins are under 50 KB).
pub const MAX_SCENARIO_BYTES: usize = 4 << 20;
/// A clock sped up further than this would run a drill's minutes in a blink.
pub const MAX_TIME_SCALE: f64 = 1000.0;

/// A loaded and checked scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub metadata: ScenarioMeta,
    pub objects: Vec<Value>,
    pub logs: BTreeMap<String, LogText>,
    pub faults: Faults,
    pub phases: Vec<Phase>,
    pub generate: Option<Generate>,
    /// The kubelet's rules: the registry and how workloads behave.
    pub rules: Rules,
    /// Simulated seconds per real second (1 unless the scenario speeds its clock).
    pub time_scale: f64,
    pub goal: Option<Goal>,
    pub alerts: Vec<Alert>,
    /// How long the cluster has run before the drill starts: the
    /// controllers and the kubelet play it out from the objects, so a
    /// scenario can state only what was deployed and how it behaves.
    pub history: Duration,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ScenarioMeta {
    pub name: String,
    #[serde(default)]
    pub title: String,
    /// The playbook a drill opens.
    #[serde(default)]
    pub playbook: Option<String>,
    #[serde(default)]
    pub params: BTreeMap<String, String>,
    /// The id of the step that is the right diagnosis.
    #[serde(default)]
    pub answer: Option<String>,
    /// How hard the drill is, for `runbook drill --list`.
    #[serde(default)]
    pub difficulty: Option<Difficulty>,
    /// When the objects were captured (RFC 3339). Every timestamp in the objects
    /// is shifted by (start - capturedAt), so ages look the same in every drill.
    #[serde(default)]
    pub captured_at: Option<String>,
    /// The time a trained responder should take (the briefing and the
    /// report show it); without it, by difficulty: 10m, 15m, 20m.
    #[serde(default, deserialize_with = "optional_duration")]
    pub target: Option<Duration>,
}

impl ScenarioMeta {
    pub fn target_time(&self) -> Duration {
        self.target.unwrap_or(match self.difficulty {
            Some(Difficulty::Hard) => Duration::from_secs(20 * 60),
            Some(Difficulty::Medium) => Duration::from_secs(15 * 60),
            _ => Duration::from_secs(10 * 60),
        })
    }
}

/// How hard a drill is: `easy` (one symptom, one fix), `medium` (the
/// symptom is one step from its cause), `hard` (the cause is elsewhere).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

impl Difficulty {
    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }
}

/// Log text for a pod or container: one text for every request, or the
/// current and previous (before the last restart) container logs apart.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(untagged)]
pub enum LogText {
    Text(String),
    Split {
        #[serde(default)]
        current: Option<String>,
        #[serde(default)]
        previous: Option<String>,
    },
}

impl LogText {
    /// Append to the running container's log.
    pub fn append(&mut self, more: &str) {
        match self {
            LogText::Text(text) => text.push_str(more),
            LogText::Split { current, .. } => {
                current.get_or_insert_with(String::new).push_str(more)
            }
        }
    }

    /// The text for a request; `None` when this kind of log was not written.
    pub fn text(&self, previous: bool) -> Option<&str> {
        match self {
            LogText::Text(text) => Some(text),
            LogText::Split {
                current,
                previous: prev,
            } => {
                if previous {
                    prev.as_deref()
                } else {
                    current.as_deref()
                }
            }
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Faults {
    /// Resources (plural names, as in RBAC) answered 403 Forbidden.
    #[serde(default)]
    pub forbidden: Vec<String>,
    #[serde(default)]
    pub outages: Vec<Outage>,
    /// Only this bearer token is accepted; any other request gets 401
    /// Unauthorized, as with expired credentials. The kubeconfig the
    /// simulator writes carries a different token, so a drill with this
    /// set starts logged out.
    #[serde(default)]
    pub require_token: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outage {
    #[serde(deserialize_with = "duration")]
    pub after: Duration,
    #[serde(rename = "for", deserialize_with = "duration")]
    pub lasting: Duration,
}

/// What makes a phase fire (once): something from outside the cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trigger {
    /// Simulated time since the simulator started.
    After(Duration),
    /// The responder reached a step (`SimHandle::reached_step`).
    Step(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Phase {
    /// Fires on the first of these to happen.
    pub when: Vec<Trigger>,
    pub apply: Vec<Value>,
    pub delete: Vec<ObjectRef>,
    /// Text appended to pods' current logs (`namespace/pod[/container]`);
    /// followers (`kubectl logs -f`) receive it as it is written.
    pub logs: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectRef {
    pub kind: String,
    #[serde(default)]
    pub namespace: Option<String>,
    pub name: String,
}

/// A scale scenario: objects made up deterministically instead of written out.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Generate {
    #[serde(default)]
    pub pods: usize,
    #[serde(default)]
    pub nodes: usize,
    #[serde(default)]
    pub events_per_second: f64,
    #[serde(default = "default_namespace")]
    pub namespace: String,
    /// Services (each with an EndpointSlice of its Deployment's pods).
    #[serde(default)]
    pub services: usize,
    /// ReplicaSets in all: each Deployment's, then old revisions scaled to 0.
    #[serde(default)]
    pub replica_sets: usize,
}

fn default_namespace() -> String {
    "default".to_string()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ScenarioFile {
    api_version: Spanned<String>,
    kind: Spanned<String>,
    metadata: ScenarioMeta,
    #[serde(default)]
    objects: Vec<Spanned<Value>>,
    #[serde(default)]
    logs: BTreeMap<String, LogText>,
    #[serde(default)]
    faults: Faults,
    #[serde(default)]
    phases: Vec<PhaseFile>,
    #[serde(default)]
    generate: Option<Spanned<Generate>>,
    #[serde(default)]
    registry: Option<Vec<String>>,
    #[serde(default)]
    workloads: BTreeMap<String, Workload>,
    #[serde(default)]
    time_scale: Option<Spanned<f64>>,
    #[serde(default)]
    goal: Option<Spanned<Goal>>,
    #[serde(default)]
    alerts: Vec<Alert>,
    #[serde(default, deserialize_with = "optional_duration")]
    history: Option<Duration>,
}

pub(super) fn duration<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    let text = String::deserialize(d)?;
    humantime::parse_duration(text.trim())
        .map_err(|e| serde::de::Error::custom(format!("invalid duration {text:?}: {e}")))
}

pub(super) fn optional_duration<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Duration>, D::Error> {
    duration(d).map(Some)
}

impl Scenario {
    /// Read and check a scenario file.
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        if let Ok(meta) = std::fs::metadata(path)
            && meta.len() > MAX_SCENARIO_BYTES as u64
        {
            return Err(too_big(path, meta.len()));
        }
        let text = std::fs::read_to_string(path).map_err(|e| {
            let what = if e.kind() == std::io::ErrorKind::NotFound {
                "no built-in scenario or scenario file by this name".to_string()
            } else {
                format!("cannot read: {e}")
            };
            ScenarioError::new(path, 0, 0, what)
        })?;
        Scenario::from_yaml(&text, path)
    }

    /// Parse and check scenario text; `path` is only used in diagnostics.
    pub fn from_yaml(text: &str, path: &Path) -> Result<Scenario, ScenarioError> {
        if text.len() > MAX_SCENARIO_BYTES {
            return Err(too_big(path, text.len() as u64));
        }
        let file: ScenarioFile =
            serde_saphyr::from_str(text).map_err(|e| ScenarioError::from_yaml(path, &e))?;
        if file.api_version.value != "runbook/v1" {
            return Err(ScenarioError::at(
                path,
                file.api_version.referenced,
                format!(
                    "apiVersion must be runbook/v1, not {:?}",
                    file.api_version.value
                ),
            ));
        }
        if file.kind.value != "Scenario" {
            return Err(ScenarioError::at(
                path,
                file.kind.referenced,
                format!("kind must be Scenario, not {:?}", file.kind.value),
            ));
        }
        let mut objects = file
            .objects
            .into_iter()
            .map(|o| check_object(path, o, true))
            .collect::<Result<Vec<_>, _>>()?;
        owners::adopt_owner_uids(&mut objects);
        let generate = match file.generate {
            Some(g) => Some(check_generate(path, g)?),
            None => None,
        };
        let time_scale = match file.time_scale {
            None => 1.0,
            Some(t) if t.value.is_finite() && t.value > 0.0 && t.value <= MAX_TIME_SCALE => t.value,
            Some(t) => {
                return Err(ScenarioError::at(
                    path,
                    t.referenced,
                    format!(
                        "timeScale must be above 0 and at most {MAX_TIME_SCALE}, not {}",
                        t.value
                    ),
                ));
            }
        };
        let goal = match file.goal {
            Some(g) => {
                // Compiled as the playbook checks are: a field the check
                // data does not have is an error here, not a goal never met.
                if let Err(e) = crate::checks::compile(&g.value.check) {
                    return Err(ScenarioError::at(
                        path,
                        g.referenced,
                        format!("goal.check is not a valid check: {}", e.message),
                    ));
                }
                Some(g.value)
            }
            None => None,
        };
        for (i, outage) in file.faults.outages.iter().enumerate() {
            if outage.lasting.is_zero() {
                return Err(ScenarioError::new(
                    path,
                    0,
                    0,
                    format!("faults.outages[{i}]: `for` must be longer than 0s"),
                ));
            }
        }
        let mut phases = Vec::with_capacity(file.phases.len());
        for phase in file.phases {
            phases.push(check_phase(path, phase)?);
        }
        Ok(Scenario {
            metadata: file.metadata,
            objects,
            logs: file.logs,
            faults: file.faults,
            phases,
            generate,
            rules: Rules {
                registry: file.registry.map(|r| r.into_iter().collect()),
                workloads: file.workloads,
            },
            time_scale,
            goal,
            alerts: file.alerts,
            history: file.history.unwrap_or_default(),
        })
    }
}

fn too_big(path: &Path, bytes: u64) -> ScenarioError {
    ScenarioError::new(
        path,
        0,
        0,
        format!(
            "the scenario is {bytes} bytes; at most {MAX_SCENARIO_BYTES} are read (use `generate` for a large cluster)"
        ),
    )
}

/// A generated cluster must fit in memory: absurd sizes are an error at
/// their place in the file, not an allocation failure.
fn check_generate(path: &Path, g: Spanned<Generate>) -> Result<Generate, ScenarioError> {
    let at = g.referenced;
    let g = g.value;
    let problem = if g.pods > MAX_GENERATED_PODS {
        Some(format!(
            "generate.pods is {}; at most {MAX_GENERATED_PODS} are simulated",
            g.pods
        ))
    } else if g.services > MAX_GENERATED_PODS || g.replica_sets > MAX_GENERATED_PODS {
        Some(format!(
            "generate.services and generate.replicaSets are at most {MAX_GENERATED_PODS}"
        ))
    } else if g.nodes > MAX_GENERATED_NODES {
        Some(format!(
            "generate.nodes is {}; at most {MAX_GENERATED_NODES} are simulated",
            g.nodes
        ))
    } else if !g.events_per_second.is_finite()
        || g.events_per_second < 0.0
        || g.events_per_second > MAX_EVENTS_PER_SECOND
    {
        Some(format!(
            "generate.eventsPerSecond must be between 0 and {MAX_EVENTS_PER_SECOND}, not {}",
            g.events_per_second
        ))
    } else {
        None
    };
    match problem {
        Some(message) => Err(ScenarioError::at(path, at, message)),
        None => Ok(g),
    }
}

/// An object must name a served kind, have a name, and a namespace when it is
/// namespaced (defaulted to `default`, as kubectl would). A `whole` object
/// (not a phase's, which may say only what changes) must also be one the
/// API server would store (`api::validation`: its kind's types, names,
/// replicas, a selector that selects its template).
pub(super) fn check_object(
    path: &Path,
    object: Spanned<Value>,
    whole: bool,
) -> Result<Value, ScenarioError> {
    let at = object.referenced;
    let mut value = object.value;
    let Some(map) = value.as_object_mut() else {
        return Err(ScenarioError::at(path, at, "an object must be a mapping"));
    };
    let kind = map
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let kind = kind.as_str();
    let api_version = map
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let api_version = api_version.as_str();
    if kind.is_empty() || api_version.is_empty() {
        return Err(ScenarioError::at(
            path,
            at,
            "an object needs `apiVersion` and `kind`",
        ));
    }
    let Some(resource) = resources::by_kind(kind) else {
        return Err(ScenarioError::at(
            path,
            at,
            format!("kind {kind:?} is not served by the simulator"),
        ));
    };
    if resource.kind != "Event" && resource.api_version() != api_version {
        return Err(ScenarioError::at(
            path,
            at,
            format!(
                "a {kind} has apiVersion {}, not {api_version:?}",
                resource.api_version()
            ),
        ));
    }
    let namespaced = resource.namespaced;
    let Some(metadata) = map.get_mut("metadata").and_then(Value::as_object_mut) else {
        return Err(ScenarioError::at(
            path,
            at,
            format!("a {kind} needs `metadata`"),
        ));
    };
    if metadata
        .get("name")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(ScenarioError::at(
            path,
            at,
            format!("a {kind} needs `metadata.name`"),
        ));
    }
    if namespaced && !metadata.contains_key("namespace") {
        metadata.insert("namespace".into(), Value::String("default".into()));
    }
    if !namespaced {
        metadata.remove("namespace");
    }
    if whole && let Err(refused) = crate::sim::api::validation::check(&value) {
        return Err(ScenarioError::at(
            path,
            at,
            format!("this {kind} could not be stored: {refused}"),
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests;
