//! A drill graded from its journal alone: the diagnosis (did the walk
//! reach the scenario's answer, and when), the fix (did the goal hold,
//! and when), wrong turns, hints and overrides, and every change made to
//! the cluster (from the app or from a second terminal), each marked by
//! what came of it. The export and the end screen word it.

use jiff::Timestamp;

use crate::engine::{Drill, Event, Session};
use crate::journal::export::object;

#[derive(Debug, Clone, PartialEq)]
pub struct DrillReport {
    pub drill: Drill,
    /// Seconds from the start to the end (or the last record).
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
    pub changes: Vec<Change>,
}

/// One write to the cluster, as journaled.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub at: Timestamp,
    pub method: String,
    /// `deployments.apps/checkout in shop`, or the path.
    pub object: String,
    /// The command that sent it, or "outside runbook".
    pub by: String,
    pub verdict: Verdict,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The last change before the goal began to hold.
    GoalHeldAfter,
    /// The goal held later, but not right after this one.
    DidNotHelpOnItsOwn,
    /// The goal never held (yet).
    GoalNotReached,
    /// Made once the goal was already holding.
    AfterTheGoal,
    DryRun,
    /// The API server refused it (its status).
    Refused(u16),
}

impl Verdict {
    pub fn words(self) -> String {
        match self {
            Verdict::GoalHeldAfter => "the goal held after it".into(),
            Verdict::DidNotHelpOnItsOwn => "did not help on its own".into(),
            Verdict::GoalNotReached => "the goal was not reached after it".into(),
            Verdict::AfterTheGoal => "after the goal held".into(),
            Verdict::DryRun => "dry run, changed nothing".into(),
            Verdict::Refused(s) => format!("refused ({s}), changed nothing"),
        }
    }
}

/// `None` for a session that is not a drill.
pub fn grade(session: &Session) -> Option<DrillReport> {
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
    let goal_reached = session.records().iter().find_map(|r| match &r.event {
        Event::GoalReached { since } => Some((*since, r.at)),
        _ => None,
    });
    let last = session
        .ended_at()
        .or(session.records().last().map(|r| r.at));
    let taken_secs = match (session.started_at(), last) {
        (Some(s), Some(l)) => Some((l.as_second() - s.as_second()).max(0)),
        _ => None,
    };
    let changes = changes(session, goal_reached.map(|(since, _)| since));
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
    })
}

fn changes(session: &Session, held_since: Option<Timestamp>) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    for record in session.records() {
        let Event::ApiWrite {
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
        } = &record.event
        else {
            continue;
        };
        let verdict = if *dry_run {
            Verdict::DryRun
        } else if !(200..300).contains(status) {
            Verdict::Refused(*status)
        } else if held_since.is_some_and(|s| record.at > s) {
            Verdict::AfterTheGoal
        } else if held_since.is_none() {
            Verdict::GoalNotReached
        } else {
            Verdict::DidNotHelpOnItsOwn
        };
        out.push(Change {
            at: record.at,
            method: method.clone(),
            object: object(path, resource, subresource, namespace, name),
            by: by.clone(),
            verdict,
        });
    }
    // The change the goal followed: the last one that changed something
    // before it began to hold. A fix of several changes (cordon, then
    // delete) marks the earlier ones "not on its own", which is true.
    if held_since.is_some()
        && let Some(last) = out
            .iter_mut()
            .rev()
            .find(|c| c.verdict == Verdict::DidNotHelpOnItsOwn)
    {
        last.verdict = Verdict::GoalHeldAfter;
    }
    out
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
