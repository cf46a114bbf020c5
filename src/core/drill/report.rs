//! A drill graded from its journal alone: the diagnosis (did the walk
//! reach the scenario's answer, and when), the fix (did the goal hold,
//! and when), wrong turns, hints and overrides, and every change made to
//! the cluster (from the app or from a second terminal), each marked by
//! what came of it. The export and the end screen word it.

use jiff::Timestamp;

use crate::engine::{Drill, Event, Record, Session};
use crate::journal::export::object;

#[derive(Debug, Clone, PartialEq)]
pub struct DrillReport {
    pub drill: Drill,
    /// Seconds from the start to the end (or to now for a session still
    /// open, or to the last record).
    pub taken_secs: Option<i64>,
    /// When the walk first entered the answer step.
    pub diagnosed_at: Option<Timestamp>,
    /// The goal held from `since`; reached at `at`.
    pub goal_reached: Option<(Timestamp, Timestamp)>,
    pub wrong_turns: usize,
    pub hints: usize,
    pub overrides: usize,
    pub outcome: Option<&'static str>,
    pub started_at: Option<Timestamp>,
    /// Changes to the cluster, in journal order.
    pub changes: Vec<Change>,
    /// Silences made and expired, in journal order.
    pub alert_changes: Vec<AlertChange>,
}

/// One change to the cluster, as journaled: a write (a command's through
/// the gateway, or one made outside runbook) or a built-in action.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Its place in the journal: what decides before and after.
    pub seq: u64,
    pub at: Timestamp,
    /// `PATCH deployments.apps/checkout in shop`, `cordon node/node-b`.
    pub what: String,
    /// The command that sent it, `runbook (built-in action)`, or
    /// `outside runbook`.
    pub by: String,
    pub verdict: Verdict,
}

/// A change to the alerts rather than the cluster: a silence made or
/// expired, from the app or from a second terminal.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertChange {
    pub seq: u64,
    pub at: Timestamp,
    pub what: String,
    pub by: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The last change made before the goal began to hold: the one the
    /// goal followed.
    GoalHeldAfter,
    /// The goal held later, but not right after this one.
    DidNotHelpOnItsOwn,
    /// The goal never held (yet).
    GoalNotReached,
    /// Made while the goal was already holding, before it was reached.
    WhileTheGoalHeld,
    /// Journaled once the goal had been reached.
    AfterTheGoal,
    DryRun,
    /// The API server refused it (its status).
    Refused(u16),
    /// A stream (exec, attach, port-forward): what it did is not known.
    Stream,
    /// A built-in action that failed.
    Failed,
}

impl Verdict {
    pub fn words(self) -> String {
        match self {
            Verdict::GoalHeldAfter => "the goal held after it".into(),
            Verdict::DidNotHelpOnItsOwn => "did not help on its own".into(),
            Verdict::GoalNotReached => "the goal was not reached after it".into(),
            Verdict::WhileTheGoalHeld => "made while the goal already held".into(),
            Verdict::AfterTheGoal => "after the goal held".into(),
            Verdict::DryRun => "dry run, changed nothing".into(),
            Verdict::Refused(s) => format!("refused ({s}), changed nothing"),
            Verdict::Stream => {
                "a stream (exec, attach, port-forward): what it did is not recorded".into()
            }
            Verdict::Failed => "failed".into(),
        }
    }
}

/// How far a change's journal time may fall after the goal's `since` and
/// still be what made the goal hold. The two come from different clocks:
/// `since` is the simulator's judgement in whole seconds, brought into the
/// journal's clock when the drill's background polls (every 500 ms), and a
/// write made outside runbook is journaled at the next poll; an instant
/// heal therefore often looks a moment *later* than the goal's start.
/// Order is decided by journal sequence; this only tells a change that
/// could have caused the goal from one made while it already held.
pub const SINCE_PRECISION: jiff::SignedDuration = jiff::SignedDuration::from_secs(2);

use crate::engine::event::ALERTMANAGER_API;
pub use crate::engine::is_alertmanager_path;

/// `None` for a session that is not a drill.
pub fn grade(session: &Session) -> Option<DrillReport> {
    grade_until(session, None)
}

/// The report of a session still open at `now` (the app's, at quit): its
/// time taken runs to `now`, not to its last record. An ended session's
/// runs to its end either way.
pub fn grade_until(session: &Session, now: Option<Timestamp>) -> Option<DrillReport> {
    let drill = session.records().iter().find_map(|r| match &r.event {
        Event::Started { drill: Some(d), .. } => Some(d.clone()),
        _ => None,
    })?;
    let diagnosed_at = session
        .visits()
        .iter()
        .find(|v| v.step == drill.answer)
        .map(|v| v.entered_at);
    let wrong_turns = session
        .records()
        .iter()
        .filter(|r| matches!(r.event, Event::Back { .. }))
        .count();
    let goal = session.records().iter().find_map(|r| match &r.event {
        Event::GoalReached { since } => Some(Goal {
            seq: r.seq,
            since: *since,
            at: r.at,
        }),
        _ => None,
    });
    let goal_reached = goal.map(|g| (g.since, g.at));
    let last = session
        .ended_at()
        .or(now)
        .or(session.records().last().map(|r| r.at));
    let taken_secs = match (session.started_at(), last) {
        (Some(s), Some(l)) => Some((l.as_second() - s.as_second()).max(0)),
        _ => None,
    };
    let changes = changes(session.records(), goal);
    let alert_changes = alert_changes(session.records());
    Some(DrillReport {
        drill,
        taken_secs,
        diagnosed_at,
        goal_reached,
        wrong_turns,
        hints: session.hints(),
        overrides: session.overrides().len(),
        outcome: session.outcome().map(|o| o.as_str()),
        started_at: session.started_at(),
        changes,
        alert_changes,
    })
}

/// The goal's record: its place in the journal, when it began to hold and
/// when it was reached.
#[derive(Debug, Clone, Copy)]
struct Goal {
    seq: u64,
    since: Timestamp,
    at: Timestamp,
}

/// What a journaled change did to the cluster, before the goal is asked.
enum Effect {
    /// It changed something (or may have: an interrupted action).
    Made,
    /// It changed nothing, or what it did is unknown: never credited.
    Not(Verdict),
}

fn changes(records: &[Record], goal: Option<Goal>) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    for record in records {
        let (what, by, effect) = match &record.event {
            Event::ApiWrite {
                method,
                path,
                resource,
                subresource,
                namespace,
                name,
                status,
                dry_run,
                by,
                ..
            } if !is_alertmanager_path(path) => {
                let effect = if *dry_run {
                    Effect::Not(Verdict::DryRun)
                } else if *status == 101 {
                    Effect::Not(Verdict::Stream)
                } else if !(200..300).contains(status) {
                    Effect::Not(Verdict::Refused(*status))
                } else {
                    Effect::Made
                };
                let object = object(path, resource, subresource, namespace, name);
                (format!("{method} {object}"), by.clone(), effect)
            }
            Event::Action {
                kind,
                target,
                outcome,
                ..
            } => {
                let effect = if outcome.starts_with("failed") {
                    Effect::Not(Verdict::Failed)
                } else {
                    Effect::Made
                };
                (
                    format!("{kind} {target}"),
                    "runbook (built-in action)".to_string(),
                    effect,
                )
            }
            _ => continue,
        };
        let verdict = match (effect, goal) {
            (Effect::Not(verdict), _) => verdict,
            (Effect::Made, None) => Verdict::GoalNotReached,
            (Effect::Made, Some(g)) if record.seq > g.seq => Verdict::AfterTheGoal,
            (Effect::Made, Some(g)) if record.at > g.since + SINCE_PRECISION => {
                Verdict::WhileTheGoalHeld
            }
            (Effect::Made, Some(_)) => Verdict::DidNotHelpOnItsOwn,
        };
        out.push(Change {
            seq: record.seq,
            at: record.at,
            what,
            by,
            verdict,
        });
    }
    // The change the goal followed: the last one journaled that changed
    // something before it began to hold. A fix of several changes
    // (cordon, then delete) marks the earlier ones "not on its own",
    // which is true.
    if let Some(last) = out
        .iter_mut()
        .rev()
        .find(|c| c.verdict == Verdict::DidNotHelpOnItsOwn)
    {
        last.verdict = Verdict::GoalHeldAfter;
    }
    out
}

/// Whether an Alertmanager request is the one a silence record of the
/// app's own made (`POST silences` for a silence, `DELETE silence/ID` for
/// its expiry).
fn echoes(event: &Event, method: &str, path: &str) -> bool {
    let rest = path.trim_start_matches(ALERTMANAGER_API);
    match event {
        Event::Silenced { .. } => method == "POST" && rest == "silences",
        Event::SilenceExpired { id } => {
            method == "DELETE" && rest.strip_prefix("silence/") == Some(id.as_str())
        }
        _ => false,
    }
}

/// Silences, made from the app (journaled as such) or anywhere else (a
/// request to the drill's Alertmanager, journaled as a write). The app's
/// own requests come back from the simulator as writes made "outside
/// runbook" (the app's Alertmanager client carries no credentials): each
/// silence record takes the nearest such request as its own.
fn alert_changes(records: &[Record]) -> Vec<AlertChange> {
    let requests: Vec<(usize, &str, &str, bool)> = records
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match &r.event {
            Event::ApiWrite {
                method,
                path,
                status,
                dry_run,
                by,
                ..
            } if is_alertmanager_path(path) => Some((
                i,
                method.as_str(),
                path.as_str(),
                !*dry_run && (200..300).contains(status) && by.starts_with("outside runbook"),
            )),
            _ => None,
        })
        .collect();
    let mut taken = vec![false; records.len()];
    for (i, record) in records.iter().enumerate() {
        if !matches!(
            record.event,
            Event::Silenced { .. } | Event::SilenceExpired { .. }
        ) {
            continue;
        }
        let nearest = requests
            .iter()
            .filter(|(j, method, path, echo)| {
                *echo && !taken[*j] && echoes(&record.event, method, path)
            })
            .min_by_key(|(j, ..)| j.abs_diff(i));
        if let Some((j, ..)) = nearest {
            taken[*j] = true;
        }
    }
    let mut out = Vec::new();
    for (i, record) in records.iter().enumerate() {
        let (what, by) = match &record.event {
            Event::Silenced {
                id,
                matchers,
                until,
                created_by,
                ..
            } => {
                let matchers: Vec<String> =
                    matchers.iter().map(|(k, v)| format!("{k}={v}")).collect();
                (
                    format!(
                        "silenced {} until {until} (silence {id})",
                        matchers.join(",")
                    ),
                    created_by.clone(),
                )
            }
            Event::SilenceExpired { id } => (format!("expired silence {id}"), "runbook".into()),
            Event::ApiWrite {
                method, path, by, ..
            } if is_alertmanager_path(path) && !taken[i] => {
                (format!("{method} {path}"), by.clone())
            }
            _ => continue,
        };
        out.push(AlertChange {
            seq: record.seq,
            at: record.at,
            what,
            by,
        });
    }
    out
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
