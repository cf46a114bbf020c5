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

use super::diagnostic::ScenarioError;
use super::phase_file::{PhaseFile, check_phase};
use super::resources;

/// A loaded and checked scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub metadata: ScenarioMeta,
    pub objects: Vec<Value>,
    pub logs: BTreeMap<String, LogText>,
    pub faults: Faults,
    pub phases: Vec<Phase>,
    pub generate: Option<Generate>,
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
    /// When the objects were captured (RFC 3339). Every timestamp in the objects
    /// is shifted by (start - capturedAt), so ages look the same in every drill.
    #[serde(default)]
    pub captured_at: Option<String>,
}

/// Log text for a pod or container: one text for every request, or the
/// current and previous (before the last restart) container logs apart.
#[derive(Debug, Clone, PartialEq, Deserialize)]
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

/// What makes a phase fire (once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trigger {
    After(Duration),
    Step(String),
    Action(ActionKind),
    /// A client's write changed this workload's pod spec
    /// (`spec.template.spec`): `kubectl set image`, `rollout undo`, an
    /// edit. A restart changes only the template's annotations.
    PodSpecChanged(ObjectRef),
}

pub use crate::action_kind::ActionKind;

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
    generate: Option<Generate>,
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
            .map(|o| check_object(path, o))
            .collect::<Result<Vec<_>, _>>()?;
        super::owners::adopt_owner_uids(&mut objects);
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
            generate: file.generate,
        })
    }
}

/// An object must name a served kind, have a name, and a namespace when it is
/// namespaced (defaulted to `default`, as kubectl would).
pub(super) fn check_object(path: &Path, object: Spanned<Value>) -> Result<Value, ScenarioError> {
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
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Scenario, ScenarioError> {
        Scenario::from_yaml(text, Path::new("s.yaml"))
    }

    const MINIMAL: &str = "apiVersion: runbook/v1
kind: Scenario
metadata:
  name: x
objects:
  - apiVersion: v1
    kind: Pod
    metadata: { name: p }
    status: { phase: Running }
phases:
  - when: { after: 90s }
    delete: [ { kind: Pod, namespace: default, name: p } ]
  - when: { action: rollout-restart }
  - when: { step: oom }
  - when: { podSpecChanged: { kind: Deployment, namespace: shop, name: cart } }
  - when:
      - { action: rollout-restart }
      - { podSpecChanged: { kind: Deployment, namespace: shop, name: cart } }
";

    #[test]
    fn loads_objects_phases_and_defaults_the_namespace() {
        let s = parse(MINIMAL).unwrap();
        assert_eq!(s.metadata.name, "x");
        assert_eq!(s.objects.len(), 1);
        assert_eq!(s.objects[0]["metadata"]["namespace"], "default");
        assert_eq!(s.objects[0]["status"]["phase"], "Running");
        assert_eq!(s.phases[0].when, [Trigger::After(Duration::from_secs(90))]);
        assert_eq!(
            s.phases[1].when,
            [Trigger::Action(ActionKind::RolloutRestart)]
        );
        assert_eq!(s.phases[2].when, [Trigger::Step("oom".into())]);
        let cart = ObjectRef {
            kind: "Deployment".into(),
            namespace: Some("shop".into()),
            name: "cart".into(),
        };
        assert_eq!(s.phases[3].when, [Trigger::PodSpecChanged(cart.clone())]);
        assert_eq!(
            s.phases[4].when,
            [
                Trigger::Action(ActionKind::RolloutRestart),
                Trigger::PodSpecChanged(cart)
            ],
            "a list: whichever comes first"
        );
    }

    #[test]
    fn unknown_field_is_reported_with_line_and_column() {
        let text = MINIMAL.replace("  name: x\n", "  name: x\n  colour: red\n");
        let err = parse(&text).unwrap_err();
        assert_eq!((err.line, err.col), (5, 3), "{err}");
        assert!(err.message.contains("colour"), "{err}");
        assert!(err.to_string().starts_with("s.yaml:5:3: error: "), "{err}");
    }

    #[test]
    fn unserved_kind_points_at_the_object() {
        let text = MINIMAL.replace("kind: Pod\n    metadata", "kind: Widget\n    metadata");
        let err = parse(&text).unwrap_err();
        assert_eq!((err.line, err.col), (6, 5), "{err}");
        assert!(err.message.contains("Widget"), "{err}");
    }

    #[test]
    fn when_needs_exactly_one_trigger() {
        let text = MINIMAL.replace("{ step: oom }", "{ step: oom, after: 5s }");
        let err = parse(&text).unwrap_err();
        assert_eq!((err.line, err.col), (14, 11), "{err}");
        assert!(err.message.contains("exactly one"), "{err}");
    }

    #[test]
    fn bad_duration_and_action_are_errors_with_a_place() {
        let err = parse(&MINIMAL.replace("90s", "soon")).unwrap_err();
        assert_eq!(err.line, 11, "{err}");
        assert!(err.message.contains("soon"), "{err}");
        let err = parse(&MINIMAL.replace("rollout-restart", "reboot")).unwrap_err();
        assert_eq!(err.line, 13, "{err}");
    }

    #[test]
    fn wrong_kind_of_file_is_rejected() {
        let err = parse(&MINIMAL.replace("kind: Scenario", "kind: Playbook")).unwrap_err();
        assert_eq!((err.line, err.col), (2, 7), "{err}");
    }
}
