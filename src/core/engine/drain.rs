//! What the journal keeps of a drain: when the node was cordoned, each
//! pod's outcome, and whether it was stopped or interrupted; and, read back
//! from a journal, the drain a session left half-done.

use serde::{Deserialize, Serialize};

use super::{Event, Record};

/// A drain's record, on its `action` event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DrainRecord {
    /// When this drain cordoned the node; none when it was cordoned already.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cordoned_at: Option<jiff::Timestamp>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub already_cordoned: bool,
    /// Every pod the drain meant to evict, `namespace/name`, with what
    /// became of it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pods: Vec<DrainPod>,
    /// Pods a drain leaves (DaemonSet, static pods), with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub left_in_place: Vec<String>,
    /// The responder stopped it (`x`): the node stays cordoned.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stopped: bool,
    /// runbook left while it ran (quit, hang-up).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrainPod {
    pub pod: String,
    pub outcome: PodOutcome,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum PodOutcome {
    Evicted,
    /// Gone before its eviction (deleted or evicted by someone else).
    Gone,
    /// A PodDisruptionBudget still refused it when the drain gave up.
    Blocked {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pdb: Option<String>,
    },
    /// The drain was stopped (or interrupted) before this pod was evicted.
    Stopped,
    Failed {
        error: String,
    },
}

impl PodOutcome {
    pub fn done(&self) -> bool {
        matches!(self, PodOutcome::Evicted | PodOutcome::Gone)
    }
}

impl std::fmt::Display for PodOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PodOutcome::Evicted => f.write_str("evicted"),
            PodOutcome::Gone => f.write_str("gone"),
            PodOutcome::Blocked { pdb: Some(pdb) } => {
                write!(f, "blocked by PodDisruptionBudget {pdb}")
            }
            PodOutcome::Blocked { pdb: None } => f.write_str("blocked by a PodDisruptionBudget"),
            PodOutcome::Stopped => f.write_str("stopped"),
            PodOutcome::Failed { error } => write!(f, "failed: {error}"),
        }
    }
}

/// A drain the session started and never saw to its end: runbook left
/// mid-drain (a crash leaves its `action_started` without an `action`; a
/// quit or hang-up journals it as interrupted).
#[derive(Debug, Clone, PartialEq)]
pub struct Unfinished {
    pub step: String,
    /// `node/NAME`.
    pub target: String,
    pub node: String,
    /// Pods off the node (evicted or gone), and of how many; unknown
    /// when runbook died before it could say.
    pub done: Option<(usize, usize)>,
}

impl Unfinished {
    /// "drain of node-a interrupted after 2 of 5 pods; node-a is cordoned"
    pub fn sentence(&self) -> String {
        let after = match self.done {
            Some((done, of)) => format!(" after {done} of {of} pods"),
            None => String::new(),
        };
        format!(
            "drain of {} interrupted{after}; {} is cordoned",
            self.node, self.node
        )
    }
}

/// The last drain of each node that was left half-done and not taken up
/// since (drained again, or uncordoned), oldest first.
pub fn unfinished(records: &[Record]) -> Vec<Unfinished> {
    let mut open: Vec<Unfinished> = Vec::new();
    for record in records {
        match &record.event {
            Event::ActionStarted {
                step, kind, target, ..
            } if kind == "drain" => {
                open.retain(|u| u.target != *target);
                open.push(Unfinished {
                    step: step.clone(),
                    target: target.clone(),
                    node: node_of(target),
                    done: None,
                });
            }
            Event::Action {
                kind,
                target,
                drain,
                ..
            } if kind == "drain" => {
                open.retain(|u| u.target != *target);
                if let Some(d) = drain.as_ref().filter(|d| d.interrupted) {
                    open.push(Unfinished {
                        step: String::new(),
                        target: target.clone(),
                        node: node_of(target),
                        done: Some((
                            d.pods.iter().filter(|p| p.outcome.done()).count(),
                            d.pods.len(),
                        )),
                    });
                }
            }
            // A crash leaves no `action`: its progress says how far it got.
            Event::DrainProgress {
                target, pods, pod, ..
            } => {
                if let Some(u) = open.iter_mut().find(|u| u.target == *target) {
                    let (done, total) = u.done.unwrap_or((0, 0));
                    let total = if pods.is_empty() { total } else { pods.len() };
                    let done = done + usize::from(pod.as_ref().is_some_and(|p| p.outcome.done()));
                    u.done = Some((done, total));
                }
            }
            // Undone by hand: nothing is left cordoned.
            Event::Action { kind, target, .. } if kind == "uncordon" => {
                open.retain(|u| u.target != *target);
            }
            _ => {}
        }
    }
    open
}

fn node_of(target: &str) -> String {
    target
        .split_once('/')
        .map_or(target, |(_, name)| name)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(seq: u64, event: Event) -> Record {
        Record {
            seq,
            at: jiff::Timestamp::from_second(1_764_054_000 + seq as i64).expect("time"),
            event,
        }
    }

    fn started(target: &str) -> Event {
        Event::ActionStarted {
            step: "a".into(),
            kind: "drain".into(),
            target: target.into(),
            context: None,
        }
    }

    fn ended(kind: &str, target: &str, drain: Option<DrainRecord>) -> Event {
        Event::Action {
            step: "a".into(),
            kind: kind.into(),
            target: target.into(),
            dry_run: String::new(),
            outcome: String::new(),
            drain: drain.map(Box::new),
            context: None,
            server: None,
        }
    }

    fn pods(outcomes: &[PodOutcome]) -> Vec<DrainPod> {
        outcomes
            .iter()
            .enumerate()
            .map(|(i, o)| DrainPod {
                pod: format!("shop/p-{i}"),
                outcome: o.clone(),
            })
            .collect()
    }

    #[test]
    fn a_crash_mid_drain_leaves_its_start_without_an_end() {
        let records = [record(1, started("node/node-a"))];
        let left = unfinished(&records);
        assert_eq!(left.len(), 1);
        assert_eq!(
            left[0].sentence(),
            "drain of node-a interrupted; node-a is cordoned"
        );
    }

    #[test]
    fn a_quit_or_hang_up_mid_drain_says_how_far_it_got() {
        use PodOutcome::*;
        let drain = DrainRecord {
            pods: pods(&[Evicted, Gone, Stopped, Stopped, Stopped]),
            interrupted: true,
            ..DrainRecord::default()
        };
        let records = [
            record(1, started("node/node-a")),
            record(2, ended("drain", "node/node-a", Some(drain))),
        ];
        assert_eq!(
            unfinished(&records)[0].sentence(),
            "drain of node-a interrupted after 2 of 5 pods; node-a is cordoned"
        );
    }

    #[test]
    fn a_drain_seen_to_its_end_stopped_or_undone_is_not_half_done() {
        let finished = DrainRecord::default();
        let stopped = DrainRecord {
            stopped: true,
            ..DrainRecord::default()
        };
        let interrupted = DrainRecord {
            interrupted: true,
            ..DrainRecord::default()
        };
        for tail in [
            vec![ended("drain", "node/node-a", Some(finished))],
            vec![ended("drain", "node/node-a", Some(stopped))],
            vec![
                ended("drain", "node/node-a", Some(interrupted)),
                ended("uncordon", "node/node-a", None),
            ],
        ] {
            let mut records = vec![record(1, started("node/node-a"))];
            records.extend(
                tail.into_iter()
                    .enumerate()
                    .map(|(i, e)| record(2 + i as u64, e)),
            );
            assert_eq!(unfinished(&records), [], "{records:?}");
        }
    }
}
