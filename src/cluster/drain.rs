//! Drain as `kubectl drain` does it: cordon, then evict the node's pods a
//! few at a time (DaemonSet and static pods stay), each eviction retried
//! while a PodDisruptionBudget refuses it, naming that budget. Progress is
//! one state per pod, so a window shows one line per pod updated in place;
//! the responder can stop it between requests, and the node then stays
//! cordoned.

use std::time::Duration;

use futures::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use kube::api::{EvictParams, ListParams, PostParams};
use kube::{Api, Client};
use tokio::sync::{mpsc, watch};

use crate::engine::drain::{DrainPod, DrainRecord, PodOutcome};

/// Evictions in flight at once (kubectl drain sends them all at once; a
/// bound keeps a node of hundreds of pods from flooding the API server).
pub const PARALLEL: usize = 8;
/// How often a refused eviction is tried again.
const RETRY_EVERY: Duration = Duration::from_secs(2);

/// What an action reports while it runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    /// A line of its own.
    Line(String),
    /// The drain cordoned the node now (`None`: it was cordoned already).
    Cordoned(Option<jiff::Timestamp>),
    /// The pods it will evict, and those it leaves in place.
    Plan {
        pods: Vec<String>,
        left_in_place: Vec<String>,
    },
    /// A pod's state changed.
    Pod { pod: String, state: PodState },
}

#[derive(Debug, Clone, PartialEq)]
pub enum PodState {
    Waiting,
    Evicting,
    /// Refused by a PodDisruptionBudget; tried `tries` times so far.
    Retrying {
        pdb: Option<String>,
        tries: u32,
    },
    Done(PodOutcome),
}

/// How an action talks back: its progress, and whether the responder
/// asked it to stop.
#[derive(Debug, Clone)]
pub struct Reporter {
    progress: mpsc::Sender<Progress>,
    stop: watch::Receiver<bool>,
}

impl Reporter {
    pub fn new(progress: mpsc::Sender<Progress>, stop: watch::Receiver<bool>) -> Reporter {
        Reporter { progress, stop }
    }

    /// A reporter nobody listens to and nobody stops (dry runs).
    pub fn silent() -> Reporter {
        let (progress, _) = mpsc::channel(1);
        let (_, stop) = watch::channel(false);
        Reporter { progress, stop }
    }

    pub async fn say(&self, progress: Progress) {
        let _ = self.progress.send(progress).await;
    }

    pub fn stopped(&self) -> bool {
        *self.stop.borrow()
    }

    /// Returns once a stop is asked for (never, if the asker is gone).
    async fn until_stopped(&self) {
        let mut stop = self.stop.clone();
        if stop.wait_for(|s| *s).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// What the drain keeps as it runs, shown in the progress window and
/// journaled at its end: the UI builds it from `Progress` alone.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DrainView {
    /// Told whether the node was cordoned (and when) yet.
    pub cordon: Option<Option<jiff::Timestamp>>,
    pub pods: Vec<(String, PodState)>,
    pub left_in_place: Vec<String>,
}

impl DrainView {
    /// Takes a progress report; false for one that is not about a drain.
    pub fn apply(&mut self, progress: &Progress) -> bool {
        match progress {
            Progress::Line(_) => return false,
            Progress::Cordoned(at) => self.cordon = Some(*at),
            Progress::Plan {
                pods,
                left_in_place,
            } => {
                self.pods = pods
                    .iter()
                    .map(|p| (p.clone(), PodState::Waiting))
                    .collect();
                self.left_in_place = left_in_place.clone();
            }
            Progress::Pod { pod, state } => match self.pods.iter_mut().find(|(p, _)| p == pod) {
                Some((_, s)) => *s = state.clone(),
                None => self.pods.push((pod.clone(), state.clone())),
            },
        }
        true
    }

    /// One line per pod, in the order they were planned.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        match self.cordon {
            Some(Some(at)) => lines.push(format!("cordoned at {}", at.strftime("%H:%M:%S"))),
            Some(None) => lines.push("was already cordoned".into()),
            None => {}
        }
        for (pod, state) in &self.pods {
            let what = match state {
                PodState::Waiting => "waiting".to_string(),
                PodState::Evicting => "evicting".to_string(),
                PodState::Retrying { pdb, tries } => format!(
                    "blocked by {}; retrying (tried {tries} times)",
                    pdb.as_deref()
                        .map_or("a PodDisruptionBudget".to_string(), |p| {
                            format!("PodDisruptionBudget {p}")
                        })
                ),
                PodState::Done(outcome) => outcome.to_string(),
            };
            lines.push(format!("{pod}: {what}"));
        }
        for left in &self.left_in_place {
            lines.push(format!("{left}: left in place"));
        }
        lines
    }

    /// Pods off the node (evicted or gone), and of how many.
    pub fn done(&self) -> (usize, usize) {
        let done = self
            .pods
            .iter()
            .filter(|(_, s)| matches!(s, PodState::Done(o) if o.done()))
            .count();
        (done, self.pods.len())
    }

    /// The journal's record. Pods with no outcome yet are `stopped`: the
    /// drain was stopped or interrupted before it got to them.
    pub fn record(&self, stopped: bool, interrupted: bool) -> DrainRecord {
        DrainRecord {
            cordoned_at: self.cordon.flatten(),
            already_cordoned: self.cordon == Some(None),
            pods: self
                .pods
                .iter()
                .map(|(pod, state)| DrainPod {
                    pod: pod.clone(),
                    outcome: match state {
                        PodState::Done(o) => o.clone(),
                        _ => PodOutcome::Stopped,
                    },
                })
                .collect(),
            left_in_place: self.left_in_place.clone(),
            stopped,
            interrupted,
        }
    }
}

fn err(e: kube::Error) -> String {
    super::connect::describe(&e)
}

/// `namespace/name`.
fn pod_name(pod: &Pod) -> String {
    format!(
        "{}/{}",
        pod.metadata.namespace.as_deref().unwrap_or_default(),
        pod.metadata.name.as_deref().unwrap_or_default()
    )
}

/// Pods a drain would evict, and the ones it leaves (DaemonSet, mirror).
async fn plan(client: &Client, node: &str) -> Result<(Vec<Pod>, Vec<String>), String> {
    let pods: Api<Pod> = Api::all(client.clone());
    let list = pods
        .list(&ListParams::default().fields(&format!("spec.nodeName={node}")))
        .await
        .map_err(err)?;
    let mut evict = Vec::new();
    let mut skipped = Vec::new();
    for pod in list.items {
        let name = pod_name(&pod);
        let daemonset = pod
            .metadata
            .owner_references
            .as_ref()
            .is_some_and(|o| o.iter().any(|r| r.kind == "DaemonSet"));
        let mirror = pod
            .metadata
            .annotations
            .as_ref()
            .is_some_and(|a| a.contains_key("kubernetes.io/config.mirror"));
        let finished = matches!(
            pod.status.as_ref().and_then(|s| s.phase.as_deref()),
            Some("Succeeded" | "Failed")
        );
        if daemonset {
            skipped.push(format!("{name} (DaemonSet)"));
        } else if mirror {
            skipped.push(format!("{name} (static pod)"));
        } else if !finished {
            evict.push(pod);
        }
    }
    Ok((evict, skipped))
}

/// Whether a controller will make the pod again once it is evicted. A pod no
/// controller owns is gone for good (`kubectl drain` refuses it without
/// `--force`); the preview names such pods so the responder confirms that.
fn recreated(pod: &Pod) -> bool {
    pod.metadata
        .owner_references
        .as_ref()
        .is_some_and(|o| o.iter().any(|r| r.controller == Some(true)))
}

async fn evict(client: &Client, pod: &Pod, dry_run: bool) -> Result<(), kube::Error> {
    let api: Api<Pod> = Api::namespaced(
        client.clone(),
        pod.metadata.namespace.as_deref().unwrap_or("default"),
    );
    let params = EvictParams {
        delete_options: None,
        post_options: PostParams {
            dry_run,
            field_manager: None,
        },
    };
    api.evict(pod.metadata.name.as_deref().unwrap_or_default(), &params)
        .await
        .map(|_| ())
}

fn is_pdb_refusal(e: &kube::Error) -> bool {
    matches!(e, kube::Error::Api(s) if s.code == 429)
}

/// The pod went between the listing and its eviction (deleted, or evicted
/// by someone else): what the drain wanted is done.
fn is_gone(e: &kube::Error) -> bool {
    matches!(e, kube::Error::Api(s) if s.code == 404)
}

/// The PodDisruptionBudget that selects the pod (the one refusing its
/// eviction), if it can be found: the API's 429 does not name it.
async fn blocking_pdb(client: &Client, pod: &Pod) -> Option<String> {
    let namespace = pod.metadata.namespace.as_deref()?;
    let api: Api<PodDisruptionBudget> = Api::namespaced(client.clone(), namespace);
    let budgets = api.list(&ListParams::default()).await.ok()?;
    let labels = pod.metadata.labels.clone().unwrap_or_default();
    budgets
        .items
        .into_iter()
        .find(|b| {
            b.spec
                .as_ref()
                .and_then(|s| s.selector.as_ref())
                .is_some_and(|s| selects(s, &labels))
        })
        .and_then(|b| b.metadata.name)
}

/// Whether a label selector selects these labels (an empty selector
/// selects everything, as for a PodDisruptionBudget in policy/v1).
fn selects(selector: &LabelSelector, labels: &std::collections::BTreeMap<String, String>) -> bool {
    let by_label = selector
        .match_labels
        .iter()
        .flatten()
        .all(|(k, v)| labels.get(k) == Some(v));
    let by_expression = selector.match_expressions.iter().flatten().all(|e| {
        let value = labels.get(&e.key);
        let values = e.values.as_deref().unwrap_or_default();
        match e.operator.as_str() {
            "In" => value.is_some_and(|v| values.contains(v)),
            "NotIn" => value.is_none_or(|v| !values.contains(v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            _ => false,
        }
    });
    by_label && by_expression
}

/// One pod's eviction, retried while a budget refuses it, up to `pdb_wait`;
/// never begun or retried once the responder stops the drain.
async fn evict_one(
    client: &Client,
    pod: &Pod,
    report: &Reporter,
    pdb_wait: Duration,
) -> Result<PodOutcome, String> {
    let name = pod_name(pod);
    let state = |state| Progress::Pod {
        pod: name.clone(),
        state,
    };
    let deadline = tokio::time::Instant::now() + pdb_wait;
    let mut tries = 0;
    let mut pdb: Option<Option<String>> = None;
    loop {
        if report.stopped() {
            return Ok(PodOutcome::Stopped);
        }
        if tries == 0 {
            report.say(state(PodState::Evicting)).await;
        }
        tries += 1;
        match evict(client, pod, false).await {
            Ok(()) => return Ok(PodOutcome::Evicted),
            Err(e) if is_gone(&e) => return Ok(PodOutcome::Gone),
            Err(e) if is_pdb_refusal(&e) => {
                if pdb.is_none() {
                    pdb = Some(blocking_pdb(client, pod).await);
                }
                let pdb = pdb.clone().flatten();
                if tokio::time::Instant::now() >= deadline {
                    return Ok(PodOutcome::Blocked { pdb });
                }
                report
                    .say(state(PodState::Retrying {
                        pdb: pdb.clone(),
                        tries,
                    }))
                    .await;
                let wait = RETRY_EVERY.min(deadline - tokio::time::Instant::now());
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = report.until_stopped() => return Ok(PodOutcome::Stopped),
                }
            }
            Err(e) => return Err(err(e)),
        }
    }
}

/// The drain's dry run: which pods would go, which a budget blocks for
/// now, which stay.
pub(super) async fn preview(client: &Client, node: &str, cordoned: bool) -> Result<String, String> {
    let (pods, skipped) = plan(client, node).await?;
    let mut blocked = Vec::new();
    let mut ok = Vec::new();
    let mut lost = Vec::new();
    for pod in &pods {
        let name = pod.metadata.name.clone().unwrap_or_default();
        match evict(client, pod, true).await {
            Ok(()) => {
                if !recreated(pod) {
                    lost.push(name.clone());
                }
                ok.push(name)
            }
            Err(e) if is_pdb_refusal(&e) => blocked.push(name),
            // Gone since the listing: nothing left to evict.
            Err(e) if is_gone(&e) => {}
            Err(e) => return Err(err(e)),
        }
    }
    let list = |what: &str, names: &[String]| {
        if names.is_empty() {
            String::new()
        } else {
            format!("{what}{}", names.join(", "))
        }
    };
    Ok(format!(
        "node {node} {}; {} pod(s) evicted{}{}{}{}",
        if cordoned {
            "would be cordoned"
        } else {
            "is already cordoned"
        },
        ok.len(),
        list(": ", &ok),
        list("; NOT recreated (no controller owns them): ", &lost),
        list("; blocked by a PodDisruptionBudget for now: ", &blocked),
        list("; left in place: ", &skipped),
    ))
}

/// Evicts the planned pods, `PARALLEL` at a time; says each outcome as it
/// comes. Returns the summary line.
pub(super) async fn run(
    client: &Client,
    node: &str,
    cordoned_now: bool,
    report: &Reporter,
    pdb_wait: Duration,
) -> Result<String, String> {
    report
        .say(Progress::Cordoned(cordoned_now.then(jiff::Timestamp::now)))
        .await;
    let (pods, skipped) = plan(client, node).await?;
    report
        .say(Progress::Plan {
            pods: pods.iter().map(pod_name).collect(),
            left_in_place: skipped.clone(),
        })
        .await;
    // Each eviction owns what it uses, so the futures are `Send` and
    // 'static as the runtime wants them.
    let evictions = pods.into_iter().map(|pod| {
        let (client, report) = (client.clone(), report.clone());
        async move {
            let outcome = evict_one(&client, &pod, &report, pdb_wait)
                .await
                .unwrap_or_else(|error| PodOutcome::Failed { error });
            report
                .say(Progress::Pod {
                    pod: pod_name(&pod),
                    state: PodState::Done(outcome.clone()),
                })
                .await;
            (pod_name(&pod), outcome)
        }
    });
    let outcomes: Vec<(String, PodOutcome)> = futures::stream::iter(evictions)
        .buffer_unordered(PARALLEL)
        .collect()
        .await;
    let count = |f: fn(&PodOutcome) -> bool| outcomes.iter().filter(|(_, o)| f(o)).count();
    let evicted = count(|o| matches!(o, PodOutcome::Evicted));
    let gone = count(|o| matches!(o, PodOutcome::Gone));
    let blocked = count(|o| matches!(o, PodOutcome::Blocked { .. }));
    let stopped = count(|o| matches!(o, PodOutcome::Stopped));
    let failed: Vec<String> = outcomes
        .iter()
        .filter_map(|(p, o)| match o {
            PodOutcome::Failed { error } => Some(format!("{p}: {error}")),
            _ => None,
        })
        .collect();
    let mut summary = if stopped > 0 {
        format!(
            "drain of {node} stopped: evicted {evicted}, {stopped} pod(s) not evicted; {node} stays cordoned (uncordon it to undo)"
        )
    } else {
        format!(
            "drained {node}: evicted {evicted}{}, blocked by a PodDisruptionBudget {blocked}{}",
            if gone > 0 {
                format!(", already gone {gone}")
            } else {
                String::new()
            },
            if skipped.is_empty() {
                String::new()
            } else {
                format!(", left in place {}", skipped.len())
            }
        )
    };
    if !failed.is_empty() {
        summary.push_str(&format!("; failed: {}", failed.join("; ")));
        return Err(summary);
    }
    Ok(summary)
}
