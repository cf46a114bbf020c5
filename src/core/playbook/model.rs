//! The playbook format v1 as serde types. Ids that graph validation reports on
//! are `Spanned` so an error can point at the line and column of the id.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
pub use serde_saphyr::Spanned;

pub const API_VERSION: &str = "runbook/v1";

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Playbook {
    /// Always `runbook/v1`.
    pub api_version: String,
    /// Always `Playbook`.
    pub kind: String,
    pub metadata: Metadata,
    #[serde(default)]
    pub params: Vec<Param>,
    #[serde(default)]
    pub focus: Focus,
    /// Named check expressions (CEL) that checklist items and choices refer to.
    #[serde(default)]
    pub checks: BTreeMap<String, Check>,
    /// The cluster panes the steps need, in order (`[pods, pvcs, events]`);
    /// without it: pods, events, nodes, then the workloads.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub panes: Vec<Spanned<String>>,
    /// The id of the first step.
    #[schemars(with = "String")]
    pub start: Spanned<String>,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Metadata {
    /// Unique across the search path; DNS-label rules.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub version: Option<u32>,
    #[serde(default)]
    pub owners: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Free text such as SEV1, SEV2.
    #[serde(default)]
    pub severity: Option<String>,
    /// Alerts that open this playbook: a name, or `{ name, matchers }`.
    #[serde(default)]
    pub alerts: Vec<AlertEntry>,
    #[serde(default)]
    pub escalation: Vec<Escalation>,
}

/// An alert that opens this playbook: its name (`KubePodCrashLooping`), or
/// its name with label matchers
/// (`{ name: KubePodCrashLooping, matchers: { severity: critical } }`).
// Deserialized by hand (below), not as an untagged enum, so a mistyped map
// field is reported as an unknown field at its position rather than as
// "matched no variant".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum AlertEntry {
    Name(String),
    Match(AlertMatch),
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AlertMatch {
    /// The alert's `alertname` label.
    pub name: String,
    /// Labels the alert must also carry, each with exactly this value.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub matchers: BTreeMap<String, String>,
}

impl AlertEntry {
    pub fn name(&self) -> &str {
        match self {
            AlertEntry::Name(n) => n,
            AlertEntry::Match(m) => &m.name,
        }
    }

    /// The label matchers beyond the name (none for a plain name).
    pub fn matchers(&self) -> Option<&BTreeMap<String, String>> {
        match self {
            AlertEntry::Name(_) => None,
            AlertEntry::Match(m) => Some(&m.matchers),
        }
    }
}

impl<'de> Deserialize<'de> for AlertEntry {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entry;
        impl<'de> serde::de::Visitor<'de> for Entry {
            type Value = AlertEntry;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an alert name or `{ name, matchers }`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<AlertEntry, E> {
                Ok(AlertEntry::Name(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<AlertEntry, A::Error> {
                AlertMatch::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(AlertEntry::Match)
            }
        }
        d.deserialize_any(Entry)
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Escalation {
    /// A duration such as `15m` or `1h 30m`, counted from the session start.
    #[schemars(with = "String")]
    pub after: Spanned<String>,
    /// Who to escalate to.
    pub to: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Param {
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub default: Option<String>,
    /// A regex the whole value must match; defaults to the DNS-label rule.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub pattern: Option<Spanned<String>>,
    /// The alert label that fills this param when an alert opens the
    /// playbook (tried before a label named like the param itself).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub from_label: Option<Spanned<String>>,
    /// Lets a value start with `-`. Without it such a value is refused:
    /// a value (from an alert label, say) must never become a flag such as
    /// `--kubeconfig=...`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_flags: bool,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Focus {
    #[serde(default)]
    pub namespace: Option<String>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub label_selector: Option<Spanned<String>>,
    #[serde(default)]
    pub node: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Check {
    #[serde(default)]
    pub description: Option<String>,
    /// A CEL expression over `pods`, `nodes`, `events`, `deployments`, `params`.
    #[schemars(with = "String")]
    pub expr: Spanned<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Step {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub title: String,
    /// Markdown.
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub checklist: Vec<ChecklistItem>,
    #[serde(default)]
    pub commands: Vec<Command>,
    #[serde(default)]
    pub choices: Vec<Choice>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub next: Option<Spanned<String>>,
    #[serde(default)]
    pub actions: Vec<Action>,
    /// The panes this step needs, instead of the playbook's.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub panes: Vec<Spanned<String>>,
    /// Makes this a terminal step.
    #[serde(default)]
    pub outcome: Option<Outcome>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ChecklistItem {
    pub text: String,
    /// The id of a check that gives the cluster's view of this item.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub check: Option<Spanned<String>>,
    #[serde(default = "yes")]
    pub required: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Command {
    /// A command line; split into an argument vector (no shell) when run.
    pub run: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Marks a command that changes the cluster even if its verb looks harmless.
    #[serde(default)]
    pub mutating: bool,
    /// Values the responder must give before it runs (an image tag, a new
    /// memory limit): `{{ NAME }}` in `run`, asked for when it is run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ask: Vec<Ask>,
}

/// A value a command needs from the responder.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Ask {
    pub name: String,
    /// What to give, shown where it is asked for.
    #[serde(default)]
    pub description: Option<String>,
    /// A regex the whole value must match; without one, any value with no
    /// spaces or control characters.
    #[serde(default)]
    pub pattern: Option<String>,
    /// Lets a value start with `-` (refused without it: it would be a flag).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_flags: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Choice {
    pub label: String,
    #[schemars(with = "String")]
    pub next: Spanned<String>,
    /// A check id; when it passes, this choice is the cluster's suggestion.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub when: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Action {
    #[serde(rename = "type")]
    pub kind: ActionKind,
    /// `deployment/NAME`, `node/NAME` or `pod/NAME`; templates allowed.
    pub target: String,
    /// For `scale`.
    #[serde(default)]
    pub replicas: Option<u32>,
    #[serde(default)]
    pub description: Option<String>,
}

pub use crate::action_kind::ActionKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Resolved,
    Mitigated,
    Escalated,
    Aborted,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Resolved => "resolved",
            Outcome::Mitigated => "mitigated",
            Outcome::Escalated => "escalated",
            Outcome::Aborted => "aborted",
        }
    }
}

impl Playbook {
    pub fn name(&self) -> &str {
        &self.metadata.name.value
    }

    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id.value == id)
    }

    pub fn step_index(&self, id: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.id.value == id)
    }

    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name.value == name)
    }

    /// The alert names in `metadata.alerts`, in order, each once (search,
    /// listings; one name may have entries with different matchers).
    pub fn alert_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for name in self.metadata.alerts.iter().map(AlertEntry::name) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }
}

impl Step {
    /// The step ids this step can lead to, in order: choices first, then `next`.
    pub fn successors(&self) -> impl Iterator<Item = &str> {
        self.choices
            .iter()
            .map(|c| c.next.value.as_str())
            .chain(self.next.iter().map(|n| n.value.as_str()))
    }

    pub fn is_terminal(&self) -> bool {
        self.outcome.is_some()
    }
}
