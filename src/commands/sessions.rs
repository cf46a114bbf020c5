use crate::journal;

pub fn run(json: bool) -> anyhow::Result<u8> {
    let data = journal::data_dir()?;
    let sessions = journal::list_sessions(&data)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&sessions)?);
        return Ok(super::OK);
    }
    if sessions.is_empty() {
        eprintln!(
            "no sessions yet in {} (start one with `runbook run PLAYBOOK` or `runbook drill`)",
            journal::store::sessions_dir(&data).display()
        );
        return Ok(super::OK);
    }
    println!(
        "{:<44} {:<24} {:<20} {:<8} OUTCOME",
        "ID", "PLAYBOOK", "STARTED (UTC)", "STATE"
    );
    for s in &sessions {
        let started = s
            .started
            .map(|t| t.strftime("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_else(|| "-".into());
        println!(
            "{:<44} {:<24} {:<20} {:<8} {}",
            s.id,
            s.playbook,
            started,
            s.state,
            s.outcome.as_deref().unwrap_or("-")
        );
        for w in &s.warnings {
            eprintln!("{w}");
        }
    }
    Ok(super::OK)
}
