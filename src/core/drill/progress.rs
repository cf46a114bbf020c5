//! A trainee's progress over time: each finished or abandoned drill, read
//! back from its journal (nothing else is kept, so nothing else can drift
//! or be synced), and how one attempt compares with the earlier ones of
//! the same scenario. Pure: the sessions are given.

use serde::Serialize;

use super::report::{self, Verdict};
use crate::engine::Session;

/// One drill, as its journal grades it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attempt {
    pub session: String,
    pub scenario: String,
    pub started: Option<jiff::Timestamp>,
    /// Seconds from the start to the moment the goal was reached; none when
    /// it was not.
    pub goal_secs: Option<i64>,
    /// Seconds from the start to the end (or the last record).
    pub taken_secs: Option<i64>,
    pub hints: usize,
    pub wrong_turns: usize,
    pub overrides: usize,
    /// Changes to the cluster that did not bring the goal about (tried,
    /// then something else fixed it, or nothing did).
    pub wrong_fixes: usize,
    /// `resolved`, `mitigated`, `escalated`, `abandoned`, or none while it
    /// is still open.
    pub outcome: Option<String>,
}

impl Attempt {
    /// The attempt a drill session's journal records; none for a session
    /// that is not a drill.
    pub fn of(id: &str, session: &Session) -> Option<Attempt> {
        let r = report::grade(session)?;
        let goal_secs = match (r.started_at, r.goal_reached) {
            (Some(start), Some((_, reached))) => Some((reached - start).get_seconds().max(0)),
            _ => None,
        };
        let wrong_fixes = r
            .changes
            .iter()
            .filter(|c| {
                matches!(
                    c.verdict,
                    Verdict::DidNotHelpOnItsOwn | Verdict::GoalNotReached
                )
            })
            .count();
        let outcome = if session.abandoned().is_some() {
            Some("abandoned".to_string())
        } else {
            r.outcome.map(str::to_string)
        };
        Some(Attempt {
            session: id.to_string(),
            scenario: r.drill.scenario.clone(),
            started: r.started_at,
            goal_secs,
            taken_secs: r.taken_secs,
            hints: r.hints,
            wrong_turns: r.wrong_turns,
            overrides: r.overrides,
            wrong_fixes,
            outcome,
        })
    }
}

/// A scenario's attempts in short: how many, and the best time to goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Record {
    pub tries: usize,
    pub best_secs: Option<i64>,
}

/// The record of `scenario` over `attempts`.
pub fn record(attempts: &[Attempt], scenario: &str) -> Record {
    let mine = attempts.iter().filter(|a| a.scenario == scenario);
    Record {
        tries: mine.clone().count(),
        best_secs: mine.filter_map(|a| a.goal_secs).min(),
    }
}

/// How `this` compares with the `earlier` attempts of its scenario:
/// "01:48, your best so far (3 tries; ...)", "02:10; your best is 01:48 (3 tries)",
/// "your first try".
pub fn compare(earlier: &[Attempt], this: &Attempt) -> String {
    let before = record(earlier, &this.scenario);
    let tries = before.tries + 1;
    if before.tries == 0 {
        return "your first try".into();
    }
    match (this.goal_secs, before.best_secs) {
        (Some(now), Some(best)) if now < best => format!(
            "{}, your best so far ({tries} tries; the best before was {})",
            clock(now),
            clock(best)
        ),
        (Some(now), Some(best)) if now == best => {
            format!("{}, as fast as your best ({tries} tries)", clock(now))
        }
        (Some(now), Some(best)) => format!(
            "{}; your best is {} ({tries} tries)",
            clock(now),
            clock(best)
        ),
        (Some(now), None) => format!(
            "{}, the first time you reached the goal ({tries} tries)",
            clock(now)
        ),
        (None, Some(best)) => format!(
            "the goal was not reached; your best is {} ({tries} tries)",
            clock(best)
        ),
        (None, None) => format!("the goal has not been reached yet ({tries} tries)"),
    }
}

/// `01:48`, `12:05`, `1:02:03`: a duration as the drill report writes
/// its times (the export's `T+` offsets, without the `T+`).
pub fn clock(secs: i64) -> String {
    let start = jiff::Timestamp::UNIX_EPOCH;
    let end = start + jiff::SignedDuration::from_secs(secs.max(0));
    crate::journal::export::offset(start, end)[2..].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(scenario: &str, goal_secs: Option<i64>) -> Attempt {
        Attempt {
            session: format!("s-{scenario}-{goal_secs:?}"),
            scenario: scenario.into(),
            started: None,
            goal_secs,
            taken_secs: goal_secs,
            hints: 0,
            wrong_turns: 0,
            overrides: 0,
            wrong_fixes: 0,
            outcome: Some("resolved".into()),
        }
    }

    #[test]
    fn a_record_counts_the_scenarios_tries_and_its_best_time() {
        let all = [
            attempt("oom", Some(200)),
            attempt("oom", None),
            attempt("oom", Some(108)),
            attempt("dns", Some(50)),
        ];
        assert_eq!(
            record(&all, "oom"),
            Record {
                tries: 3,
                best_secs: Some(108)
            }
        );
        assert_eq!(record(&all, "netpol"), Record::default());
    }

    #[test]
    fn an_attempt_is_told_how_it_compares() {
        let earlier = [attempt("oom", Some(200)), attempt("oom", Some(130))];
        assert_eq!(compare(&[], &attempt("oom", Some(90))), "your first try");
        assert_eq!(
            compare(&earlier, &attempt("oom", Some(108))),
            "01:48, your best so far (3 tries; the best before was 02:10)"
        );
        assert_eq!(
            compare(&earlier, &attempt("oom", Some(150))),
            "02:30; your best is 02:10 (3 tries)"
        );
        assert_eq!(
            compare(&earlier, &attempt("oom", None)),
            "the goal was not reached; your best is 02:10 (3 tries)"
        );
        assert_eq!(
            compare(&[attempt("dns", Some(10))], &attempt("oom", Some(90))),
            "your first try",
            "other scenarios do not count"
        );
    }

    #[test]
    fn times_read_as_a_clock() {
        assert_eq!(clock(108), "01:48");
        assert_eq!(clock(725), "12:05");
        assert_eq!(clock(3723), "1:02:03");
    }
}
