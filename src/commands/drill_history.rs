//! A trainee's drills over time, read back from the journals in the data
//! dir (every finished or abandoned drill is one): `drill --history` lists
//! them, `drill --list` counts each scenario's tries and its best time, and
//! a drill's report compares with them. Nothing leaves this machine.

use std::path::Path;

use crate::drill::progress::{self, Attempt};
use crate::journal;

/// Every finished or abandoned drill in `data`, oldest first. A session
/// that cannot be read is left out (`runbook sessions` names it).
pub fn attempts(data: &Path) -> Vec<Attempt> {
    let Ok(sessions) = journal::list_sessions(data) else {
        return Vec::new();
    };
    let mut out: Vec<Attempt> = sessions
        .iter()
        .filter(|s| s.drill.is_some() && matches!(s.state.as_str(), "ended" | "abandoned"))
        .filter_map(|s| {
            let dir = journal::store::sessions_dir(data).join(&s.id);
            let loaded = journal::load_session(&dir).ok()?;
            Attempt::of(&s.id, &loaded.session)
        })
        .collect();
    out.sort_by(|a, b| a.started.cmp(&b.started).then(a.session.cmp(&b.session)));
    out
}

/// `runbook drill --history [SCENARIO] [--json]`: newest first.
pub fn history(scenario: Option<String>, json: bool) -> anyhow::Result<u8> {
    use std::io::Write;
    let data = journal::data_dir()?;
    let mut rows = attempts(&data);
    if let Some(only) = &scenario {
        rows.retain(|a| &a.scenario == only);
    }
    rows.reverse();
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
        return Ok(super::OK);
    }
    if rows.is_empty() {
        let which = scenario.map_or_else(String::new, |s| format!(" of {s}"));
        writeln!(
            out,
            "no finished drills{which} yet: `runbook drill --list` lists them"
        )?;
        return Ok(super::OK);
    }
    let width = rows
        .iter()
        .map(|a| a.scenario.len())
        .max()
        .unwrap_or(8)
        .max(8);
    let mut lines = vec![format!(
        "{:16}  {:width$}  {:9}  {:>7}  {:>7}  {:>5}  {:>11}  {:>11}  SESSION",
        "STARTED", "SCENARIO", "OUTCOME", "TO GOAL", "TAKEN", "HINTS", "WRONG TURNS", "WRONG FIXES"
    )];
    for a in &rows {
        let started = a.started.map_or_else(
            || "-".to_string(),
            |t| t.strftime("%Y-%m-%d %H:%M").to_string(),
        );
        lines.push(format!(
            "{started:16}  {:width$}  {:9}  {:>7}  {:>7}  {:>5}  {:>11}  {:>11}  {}",
            a.scenario,
            a.outcome.as_deref().unwrap_or("-"),
            a.goal_secs.map_or("-".into(), progress::clock),
            a.taken_secs.map_or("-".into(), progress::clock),
            a.hints,
            a.wrong_turns,
            a.wrong_fixes,
            a.session
        ));
    }
    for line in lines {
        // A closed pipe (`| head`) ends the listing quietly.
        if writeln!(out, "{}", line.trim_end()).is_err() {
            return Ok(super::OK);
        }
    }
    Ok(super::OK)
}
