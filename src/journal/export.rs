//! Exports a session as an incident timeline (markdown a responder pastes
//! into a postmortem) or as JSON. Pure: everything comes from the records.

use std::fmt::Write as _;

use serde::Serialize;

use super::sessions::SessionSummary;
use crate::engine::{CheckResult, Event, Record, Session};

/// `T+mm:ss`, or `T+h:mm:ss` past an hour.
pub fn offset(start: jiff::Timestamp, at: jiff::Timestamp) -> String {
    let secs = (at.as_second() - start.as_second()).max(0);
    let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
    if h > 0 {
        format!("T+{h}:{m:02}:{s:02}")
    } else {
        format!("T+{m:02}:{s:02}")
    }
}

fn utc(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%d %H:%M:%SZ").to_string()
}

fn result_word(r: CheckResult) -> &'static str {
    match r {
        CheckResult::Pass => "pass",
        CheckResult::Fail => "fail",
        CheckResult::Unknown => "unknown",
    }
}

/// Inline text safe for a markdown table cell or list item.
fn inline(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn fence(text: &str) -> String {
    let ticks = if text.contains("```") { "````" } else { "```" };
    format!("{ticks}\n{}\n{ticks}\n", text.trim_end())
}

pub fn markdown(id: &str, session: &Session) -> String {
    let playbook = session.playbook();
    let records = session.records();
    let mut out = String::new();
    let start = session.started_at();
    let _ = writeln!(
        out,
        "# {}\n",
        inline(&filled(session, &playbook.metadata.title))
    );
    let _ = writeln!(out, "- Session: `{id}`");
    let _ = writeln!(out, "- Playbook: `{}`", playbook.name());
    for r in records {
        if let Event::Started {
            hash,
            params,
            context,
            namespace,
            user,
            host,
            drill,
            alert,
            ..
        } = &r.event
        {
            let _ = writeln!(out, "- Playbook hash: `{}`", &hash[..hash.len().min(12)]);
            let _ = writeln!(out, "- Started: {} by {}@{}", utc(r.at), user, host);
            if let Some(ctx) = context {
                let ns = namespace.as_deref().unwrap_or("-");
                let _ = writeln!(out, "- Cluster: context `{ctx}`, namespace `{ns}`");
            }
            if !params.is_empty() {
                let list: Vec<String> = params.iter().map(|(k, v)| format!("`{k}={v}`")).collect();
                let _ = writeln!(out, "- Params: {}", list.join(", "));
            }
            if let Some(d) = drill {
                let _ = writeln!(
                    out,
                    "- Drill: scenario `{}` (right answer: `{}`)",
                    d.scenario, d.answer
                );
            }
            if let Some(alert) = alert {
                super::export_alert::header(&mut out, alert, utc);
            }
        }
    }
    if let (Some(start), Some(last)) = (start, records.last()) {
        let _ = writeln!(out, "- Duration: {}", &offset(start, last.at)[2..]);
    }
    let _ = writeln!(
        out,
        "- Outcome: {}",
        session
            .outcome()
            .map_or("not ended (resumable)", |o| o.as_str())
    );
    if let Some(report) = drill_report(session) {
        let _ = writeln!(out, "\n## Drill report\n\n{report}");
    }
    let _ = writeln!(out, "\n## Timeline\n");
    let _ = writeln!(out, "| Time (UTC) | T+ | Event |");
    let _ = writeln!(out, "|---|---|---|");
    let mut blocks = String::new();
    for r in records {
        let t = start.map_or_else(String::new, |s| offset(s, r.at));
        let what = describe(session, r, &mut blocks);
        let _ = writeln!(out, "| {} | {} | {} |", utc(r.at), t, what);
    }
    if !blocks.is_empty() {
        let _ = writeln!(out, "\n## Command output\n\n{blocks}");
    }
    out
}

/// Playbook text as the responder saw it: `{{ deployment }}` filled in.
fn filled(session: &Session, text: &str) -> String {
    crate::playbook::template::render(text, session.params())
}

fn step_title(session: &Session, id: &str) -> String {
    session.playbook().step(id).map_or_else(
        || id.to_string(),
        |s| format!("{} (`{id}`)", inline(&filled(session, &s.title))),
    )
}

fn item_text(session: &Session, step: &str, item: usize) -> String {
    session
        .playbook()
        .step(step)
        .and_then(|s| s.checklist.get(item))
        .map_or_else(
            || format!("item {}", item + 1),
            |i| inline(&filled(session, &i.text)),
        )
}

fn describe(session: &Session, r: &Record, blocks: &mut String) -> String {
    match &r.event {
        Event::Started { title, alert, .. } => format!(
            "Started **{}**{}",
            inline(title),
            alert
                .as_ref()
                .map(|a| inline(&super::export_alert::started_words(a)))
                .unwrap_or_default()
        ),
        Event::Entered { step } => format!("Entered step {}", step_title(session, step)),
        Event::Confirmed { step, item } => {
            format!("Confirmed: {}", item_text(session, step, *item))
        }
        Event::Unconfirmed { step, item } => {
            format!("Unconfirmed: {}", item_text(session, step, *item))
        }
        Event::Overridden {
            step,
            items,
            reason,
        } => {
            let texts: Vec<String> = items.iter().map(|i| item_text(session, step, *i)).collect();
            format!(
                "**Override** past unconfirmed: {}; reason: {}",
                texts.join("; "),
                inline(reason)
            )
        }
        Event::Chose { label, next, .. } => {
            format!(
                "Chose **{}** → {}",
                inline(&filled(session, label)),
                step_title(session, next)
            )
        }
        Event::Back { from, to } => format!("Went back from `{from}` to `{to}`"),
        Event::Note { text, .. } => format!("Note: {}", inline(text)),
        Event::Command {
            argv,
            exit_code,
            output_excerpt,
            ..
        } => {
            let line =
                shlex::try_join(argv.iter().map(String::as_str)).unwrap_or_else(|_| argv.join(" "));
            let code = exit_code.map_or("no exit code".to_string(), |c| format!("exit {c}"));
            let _ = writeln!(blocks, "`{}` at {} ({code}):\n", inline(&line), utc(r.at));
            blocks.push_str(&fence(output_excerpt));
            blocks.push('\n');
            format!("Ran `{}` ({code})", inline(&line))
        }
        Event::Action {
            kind,
            target,
            outcome,
            ..
        } => format!("Action **{kind}** on `{target}`: {}", inline(outcome)),
        Event::Evidence {
            check,
            result,
            objects,
            ..
        } => {
            let objs = if objects.is_empty() {
                String::new()
            } else {
                format!(" ({})", inline(&objects.join(", ")))
            };
            format!("Evidence: check `{check}` {}{objs}", result_word(*result))
        }
        Event::Escalated { to, after } => {
            format!("**Escalated** to {} (due after {after})", inline(to))
        }
        Event::Ended { outcome } => format!("**Ended: {}**", outcome.as_str()),
        Event::Silenced {
            id, until, comment, ..
        } => format!(
            "**Silenced** the alert until {} (silence `{}`): {}",
            utc(*until),
            inline(id),
            inline(comment)
        ),
        Event::SilenceExpired { id } => format!("**Silence expired** (`{}`)", inline(id)),
        Event::ContextSwitched { from, to } => match from {
            Some(from) => format!(
                "**Context switched** from `{}` to `{}`",
                inline(from),
                inline(to)
            ),
            None => format!("**Context switched** to `{}`", inline(to)),
        },
    }
}

/// The drill report: time taken, wrong turns, overrides, and whether the
/// path reached the scenario's right answer.
pub fn drill_report(session: &Session) -> Option<String> {
    let drill = session.records().iter().find_map(|r| match &r.event {
        Event::Started { drill: Some(d), .. } => Some(d.clone()),
        _ => None,
    })?;
    let reached = session.visits().iter().any(|v| v.step == drill.answer);
    let wrong_turns = session
        .records()
        .iter()
        .filter(|r| matches!(r.event, Event::Back { .. }))
        .count();
    let duration = match (session.started_at(), session.records().last()) {
        (Some(s), Some(l)) => offset(s, l.at)[2..].to_string(),
        _ => "-".into(),
    };
    Some(format!(
        "- Scenario: `{}`\n- Time taken: {duration}\n- Reached the right diagnosis (`{}`): {}\n- Wrong turns (went back): {wrong_turns}\n- Overrides: {}\n- Outcome: {}",
        drill.scenario,
        drill.answer,
        if reached { "yes" } else { "no" },
        session.overrides().len(),
        session.outcome().map_or("not ended", |o| o.as_str()),
    ))
}

#[derive(Serialize)]
struct JsonExport<'a> {
    session: &'a SessionSummary,
    records: &'a [Record],
}

pub fn json(summary: &SessionSummary, session: &Session) -> String {
    serde_json::to_string_pretty(&JsonExport {
        session: summary,
        records: session.records(),
    })
    .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// One plain-text line of the timeline overlay: `07:01:05 T+02:10 event`.
pub fn timeline_line(session: &Session, record: &Record, start: Option<jiff::Timestamp>) -> String {
    let mut discard = String::new();
    let what = describe(session, record, &mut discard)
        .replace("**", "")
        .replace('`', "")
        .replace("\\|", "|");
    let t = start.map_or_else(String::new, |s| offset(s, record.at));
    format!("{} {t:>9} {what}", record.at.strftime("%H:%M:%S"))
}
