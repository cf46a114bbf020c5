//! The drill report as text (the export's "Drill report" section, the
//! report shown on quit): the grade `drill::report` makes of the journal,
//! worded with the export's escaping. The journal's export takes it as
//! text, so the journal knows nothing of drills.

use crate::engine::Session;
use crate::journal::export::{code, inline, offset};

/// The Markdown export of a session, with its drill report if it is a
/// drill; `output` as for `journal::export::markdown_with`.
pub fn markdown(id: &str, session: &Session, output: &dyn Fn(&str) -> Option<String>) -> String {
    let report = drill_report(session);
    crate::journal::export::markdown_with(id, session, report.as_deref(), output)
}

/// The drill report: time taken, wrong turns, overrides, and whether the
/// path reached the scenario's right answer.
pub fn drill_report(session: &Session) -> Option<String> {
    drill_report_until(session, None)
}

/// The drill report of a session still open at `now` (see
/// `report::grade_until`).
pub fn drill_report_until(session: &Session, now: Option<jiff::Timestamp>) -> Option<String> {
    let r = super::report::grade_until(session, now)?;
    let at = |t: jiff::Timestamp| r.started_at.map_or_else(String::new, |s| offset(s, t));
    let mut lines = Vec::new();
    let title = if r.drill.title.is_empty() {
        String::new()
    } else {
        format!(" ({})", inline(&r.drill.title))
    };
    lines.push(format!("- Scenario: {}{title}", code(&r.drill.scenario)));
    let taken = r.taken_secs.map_or("-".into(), super::progress::clock);
    if r.drill.target_secs > 0 {
        let over = r.taken_secs.is_some_and(|s| s > r.drill.target_secs as i64);
        lines.push(format!(
            "- Time taken: {taken} (target {}{})",
            super::progress::clock(r.drill.target_secs as i64),
            if over { ", over it" } else { "" }
        ));
    } else {
        lines.push(format!("- Time taken: {taken}"));
    }
    lines.push(match r.diagnosed_at {
        Some(t) => format!(
            "- Diagnosis: reached the right answer ({}) at {}",
            code(&r.drill.answer),
            at(t)
        ),
        None => format!(
            "- Diagnosis: did not reach the right answer ({})",
            code(&r.drill.answer)
        ),
    });
    let goal = r
        .drill
        .goal
        .as_deref()
        .map_or_else(String::new, |g| format!(": {}", code(g)));
    lines.push(match r.goal_reached {
        Some((since, reached)) => format!(
            "- Fix: the goal held from {} and was reached at {}{goal}",
            at(since),
            at(reached)
        ),
        None if r.drill.goal.is_some() => format!("- Fix: the goal was not reached{goal}"),
        None => "- Fix: the scenario states no goal".into(),
    });
    lines.push(format!("- Wrong turns (went back): {}", r.wrong_turns));
    lines.push(format!("- Hints used: {}", r.hints));
    lines.push(format!("- Overrides: {}", r.overrides));
    lines.push(format!("- Outcome: {}", r.outcome.unwrap_or("not ended")));
    if r.changes.is_empty() {
        lines.push("- Changes to the cluster: none".into());
    } else {
        lines.push(format!("- Changes to the cluster ({}):", r.changes.len()));
        for c in &r.changes {
            lines.push(format!(
                "  - {} {} by {}: {}",
                at(c.at),
                code(&c.what),
                code(&c.by),
                c.verdict.words()
            ));
        }
    }
    // Silences change what pages, not the cluster: listed apart, and only
    // when there were any.
    if !r.alert_changes.is_empty() {
        lines.push(format!("- Changes to alerts ({}):", r.alert_changes.len()));
        for a in &r.alert_changes {
            lines.push(format!(
                "  - {} {} by {}",
                at(a.at),
                code(&a.what),
                code(&a.by)
            ));
        }
    }
    Some(lines.join("\n"))
}

/// `drill_report_until`, with how this attempt compares with the trainee's
/// `earlier` ones of its scenario (the end screen, the report on quit).
pub fn drill_report_compared(
    id: &str,
    session: &Session,
    now: Option<jiff::Timestamp>,
    earlier: &[super::progress::Attempt],
) -> Option<String> {
    let mut text = drill_report_until(session, now)?;
    if let Some(this) = super::progress::Attempt::of(id, session) {
        text.push_str(&format!(
            "\n- Compared with your earlier tries: {}",
            super::progress::compare(earlier, &this)
        ));
    }
    Some(text)
}
