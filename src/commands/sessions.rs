use super::output::{errln, outln};
use crate::journal;

pub fn run(json: bool) -> anyhow::Result<u8> {
    let data = journal::data_dir()?;
    let sessions = journal::list_sessions(&data)?;
    if json {
        outln!("{}", crate::sanitize::json_pretty(&sessions)?);
        return Ok(super::OK);
    }
    if sessions.is_empty() {
        errln!(
            "no sessions yet in {} (start one with `runbook run PLAYBOOK` or `runbook drill`)",
            journal::store::sessions_dir(&data).display()
        );
        return Ok(super::OK);
    }
    let now = jiff::Timestamp::now();
    outln!(
        "{:<44} {:<22} {:<10} {:>6} {:<12} OUTCOME",
        "ID",
        "PLAYBOOK",
        "STATE",
        "AGE",
        "DRILL"
    );
    for s in &sessions {
        let age = s
            .last_activity
            .map(|t| age(now.as_second() - t.as_second()))
            .unwrap_or_else(|| "-".into());
        outln!(
            "{:<44} {:<22} {:<10} {:>6} {:<12} {}",
            s.id,
            s.playbook,
            s.state,
            age,
            s.drill.as_deref().unwrap_or("-"),
            s.outcome.as_deref().unwrap_or("-")
        );
        for w in &s.warnings {
            errln!("{w}");
        }
    }
    Ok(super::OK)
}

/// Time since the last activity, as kubectl prints ages.
fn age(secs: i64) -> String {
    let secs = secs.max(0);
    match secs {
        s if s < 120 => format!("{s}s"),
        s if s < 3 * 3600 => format!("{}m", s / 60),
        s if s < 48 * 3600 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86400),
    }
}
