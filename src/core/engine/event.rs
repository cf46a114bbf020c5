//! Journal events: everything that happens in a session. The engine produces
//! them, the journal makes them durable, and only then are they applied.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::playbook::model::Outcome;

/// A journaled event with its sequence number and time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub seq: u64,
    /// UTC.
    pub at: jiff::Timestamp,
    #[serde(flatten)]
    pub event: Event,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckResult {
    Pass,
    Fail,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    Started {
        playbook: String,
        title: String,
        /// SHA-256 of the exact playbook text, hex.
        hash: String,
        params: BTreeMap<String, String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        context: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        namespace: Option<String>,
        user: String,
        host: String,
        /// Set for drills: the scenario name and its right answer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        drill: Option<Drill>,
        /// The alert that opened the session (`run --alert`, the home
        /// screen); absent in journals written before alerts existed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        alert: Option<Box<OpeningAlert>>,
        /// Started read-only (`--read-only`, or a context the config marks
        /// read-only); false in journals written before it was recorded.
        #[serde(default)]
        read_only: bool,
        /// The config's read-only context patterns when the session started.
        #[serde(default)]
        read_only_contexts: Vec<String>,
    },
    /// Read-only was turned on for the rest of the session (a resume with
    /// `--read-only`, a context the config marks read-only); nothing turns
    /// it off.
    ReadOnlyOn {
        reason: String,
    },
    Entered {
        step: String,
    },
    Confirmed {
        step: String,
        item: usize,
        /// Confirmed while the item's check said otherwise: why, and the
        /// evidence it went against.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        against_evidence: Option<AgainstEvidence>,
    },
    Unconfirmed {
        step: String,
        item: usize,
    },
    /// The responder advanced past unconfirmed required items.
    Overridden {
        step: String,
        items: Vec<usize>,
        reason: String,
    },
    Chose {
        step: String,
        choice: usize,
        label: String,
        next: String,
    },
    /// Went back to the previous step on the path; history is kept.
    Back {
        from: String,
        to: String,
    },
    Note {
        step: String,
        text: String,
    },
    Command {
        step: String,
        argv: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        exit_code: Option<i32>,
        /// The last lines, saying what was left out and where the rest is.
        output_excerpt: String,
        /// The whole output, relative to the session's folder.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        output_file: Option<String>,
        /// `edited` (a playbook command changed before it ran) or `typed`
        /// (an ad-hoc command); none for a playbook command as written.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        origin: Option<String>,
        /// Whether the kernel held it to the gateway's port: `false` when
        /// confinement was asked for and the kernel could not (it ran
        /// unconfined); none when it was not asked for.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        confined: Option<bool>,
        /// The kube context the command ran against (its credential's).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        context: Option<String>,
        /// That context's API server URL.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        server: Option<String>,
        /// It reached outside the session's cluster (a flag or variable
        /// naming another cluster or credentials): the responder's reason
        /// for the override.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        outside: Option<String>,
    },
    /// A change a command sent through the session's API gateway (or a
    /// dry run of one, or a stream such as exec): what, and its answer.
    ApiWrite {
        step: String,
        method: String,
        /// The request path, without its query.
        path: String,
        /// `deployments.apps`, `pods`; none for a non-resource path.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        resource: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subresource: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        namespace: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// The API server's HTTP status (502: it did not answer).
        status: u16,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        dry_run: bool,
        /// The command that sent it.
        by: String,
        /// The kube context the gateway forwarded it to.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        context: Option<String>,
        /// That context's API server URL.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        server: Option<String>,
    },
    /// A request the session's API gateway refused (read-only, or sent
    /// for another context after a switch): what, and why. Nothing was
    /// sent to the cluster. At most one per command, method and path a
    /// second, so a flood of refusals cannot flood the journal.
    Refused {
        step: String,
        method: String,
        /// The request path, without its query.
        path: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        resource: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subresource: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        namespace: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// The gateway's answer's message.
        #[serde(default)]
        reason: String,
        /// The command that sent it.
        #[serde(default)]
        by: String,
    },
    /// A drain's progress as it happens, so a crash mid-drain still says
    /// how far it got: the pods it will evict (`pods`, once), then each
    /// pod that is off the node (`pod`).
    DrainProgress {
        step: String,
        target: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pods: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pod: Option<super::drain::DrainPod>,
    },
    /// A built-in action is about to change the cluster: journaled before
    /// it does, so a crash mid-action leaves evidence (an `action_started`
    /// with no `action` after it).
    ActionStarted {
        step: String,
        kind: String,
        target: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        context: Option<String>,
    },
    Action {
        step: String,
        kind: String,
        target: String,
        dry_run: String,
        outcome: String,
        /// The kube context the action was made in.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        context: Option<String>,
        /// That context's API server URL.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        server: Option<String>,
        /// A drain's cordon time and each pod's outcome.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        drain: Option<Box<super::drain::DrainRecord>>,
    },
    Evidence {
        step: String,
        check: String,
        result: CheckResult,
        objects: Vec<String>,
    },
    Escalated {
        to: String,
        after: String,
    },
    /// A drill's trainee asked for a hint on a step: the cluster's
    /// suggestion and the branches' outcomes show there from now on.
    Hint {
        step: String,
    },
    /// A drill's goal held for its whole time, judged by the simulator:
    /// passing since `since`; the record's time is when it was reached.
    GoalReached {
        since: jiff::Timestamp,
    },
    /// The panes and checks now look at another kubeconfig context.
    ContextSwitched {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        to: String,
        /// Whether the session is read-only from this switch on.
        #[serde(default)]
        read_only: bool,
        /// The config's read-only context patterns at the switch (the
        /// rule that decided `read_only`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        read_only_contexts: Vec<String>,
    },
    /// An Alertmanager silence created from the session for its alert.
    Silenced {
        /// Alertmanager's silence id.
        id: String,
        /// Label equality matchers: the alert's labels.
        matchers: BTreeMap<String, String>,
        until: jiff::Timestamp,
        created_by: String,
        comment: String,
    },
    /// A silence this session created was expired.
    SilenceExpired {
        id: String,
    },
    Ended {
        outcome: Outcome,
        /// Why the session ended here, when the responder ended it early.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// Given up without an outcome (`runbook abandon`).
    Abandoned {
        reason: String,
    },
}

/// A confirmation the cluster contradicted: the responder's reason and
/// the check's result when the item was confirmed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgainstEvidence {
    pub reason: String,
    pub check: String,
    pub result: CheckResult,
}

/// The alert that opened a session, in Alertmanager's own field names, so
/// the record says which page the session answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpeningAlert {
    pub fingerprint: String,
    pub labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    #[serde(rename = "startsAt", default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<jiff::Timestamp>,
    #[serde(
        rename = "generatorURL",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub generator_url: Option<String>,
}

impl OpeningAlert {
    /// The `alertname` label ("" if the alert somehow has none).
    pub fn name(&self) -> &str {
        self.labels.get("alertname").map_or("", String::as_str)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Drill {
    pub scenario: String,
    /// The step id that is the right diagnosis.
    pub answer: String,
    /// The scenario's title (absent in journals written before briefings).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// The scenario's goal: the check that must hold, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<String>,
    /// How long the goal must hold, in seconds.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub hold_secs: u64,
    /// The time the drill should take, in seconds.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub target_secs: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Whether a journaled write went to a drill's Alertmanager (a silence made
/// or expired) rather than to the cluster: the drill's simulator serves
/// Alertmanager's v2 API beside Kubernetes', which has no `/api/v2`. The
/// export and the drill report both list such writes as alert changes.
pub fn is_alertmanager_path(path: &str) -> bool {
    path.starts_with(ALERTMANAGER_API)
}

/// The path prefix of the Alertmanager v2 API.
pub const ALERTMANAGER_API: &str = "/api/v2/";
