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

/// How a command ended, in words: its exit code, or why it has none (from
/// the markers the runner's excerpt ends with: `runner::Finish`).
pub(crate) fn how_it_ended(exit_code: Option<i32>, excerpt: &str) -> String {
    if let Some(code) = exit_code {
        return format!("exit {code}");
    }
    let last = excerpt.trim_end().lines().last().unwrap_or_default();
    if last == "(stopped)" {
        "stopped by the responder".into()
    } else if last == "(timed out)" {
        "timed out".into()
    } else if excerpt.starts_with("cannot start") || excerpt.starts_with("refused") {
        "did not start".into()
    } else {
        "no exit code".into()
    }
}

/// Whether an excerpt says lines were left out of it.
fn left_out(excerpt: &str) -> bool {
    excerpt.starts_with('(')
        && excerpt
            .lines()
            .next()
            .is_some_and(|l| l.contains("earlier lines left out"))
}

fn result_word(r: CheckResult) -> &'static str {
    match r {
        CheckResult::Pass => "pass",
        CheckResult::Fail => "fail",
        CheckResult::Unknown => "unknown",
    }
}

/// How a record is worded: markdown for the export, plain text for the
/// timeline window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Markdown,
    Plain,
}

/// Untrusted text (a note, a param value, a name from the cluster) as
/// inline markdown: no control characters or escape sequences, and nothing
/// that could end a table cell or start markup (`|`, `*`, `<`, links...).
pub fn inline(text: &str) -> String {
    let clean = crate::sanitize::line(&text.replace(['\n', '\r'], " "));
    let mut out = String::with_capacity(clean.len());
    for c in clean.chars() {
        if matches!(
            c,
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '~' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Untrusted text as a code span: fenced with more backticks than it holds.
pub fn code(text: &str) -> String {
    let clean = crate::sanitize::line(&text.replace(['\n', '\r'], " "));
    let longest = clean.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest + 1);
    let pad = if clean.starts_with('`') || clean.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{clean}{pad}{ticks}")
}

/// A code span in a table cell: GFM ends a cell at any `|`, even inside a
/// code span, unless it is escaped.
fn cell_code(text: &str) -> String {
    code(text).replace('|', "\\|")
}

/// A block of output, fenced with more backticks than it holds.
fn fence(text: &str) -> String {
    let clean = crate::sanitize::block(text);
    let longest = clean.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat((longest + 1).max(3));
    format!("{ticks}\n{}\n{ticks}\n", clean.trim_end())
}

/// Words in a style: escaped for markdown, sanitized for the timeline.
struct Words(Style);

impl Words {
    fn text(&self, text: &str) -> String {
        match self.0 {
            Style::Markdown => inline(text),
            Style::Plain => crate::sanitize::line(&text.replace(['\n', '\r'], " ")),
        }
    }

    fn code(&self, text: &str) -> String {
        match self.0 {
            Style::Markdown => cell_code(text),
            Style::Plain => crate::sanitize::line(&text.replace(['\n', '\r'], " ")),
        }
    }

    fn bold(&self, text: &str) -> String {
        match self.0 {
            Style::Markdown => format!("**{text}**"),
            Style::Plain => text.to_string(),
        }
    }

    /// A note keeps its lines: `<br>` in a table cell, new lines in plain.
    fn lines(&self, text: &str) -> String {
        let lines: Vec<String> = text
            .lines()
            .map(|l| match self.0 {
                Style::Markdown => inline(l),
                Style::Plain => crate::sanitize::line(l),
            })
            .collect();
        match self.0 {
            Style::Markdown => lines.join("<br>"),
            Style::Plain => lines.join("\n"),
        }
    }
}

/// The export without a drill report (`drill::report_text::markdown`
/// adds it for a drill).
pub fn markdown(id: &str, session: &Session) -> String {
    markdown_with(id, session, None, &|_| None)
}

/// The export; `drill_report` is the drill's report section when the
/// session is a drill; `output` gives a command's whole output by its file
/// name (`export --full`), or `None` to keep the journal's excerpt.
pub fn markdown_with(
    id: &str,
    session: &Session,
    drill_report: Option<&str>,
    output: &dyn Fn(&str) -> Option<String>,
) -> String {
    let playbook = session.playbook();
    let records = session.records();
    let mut out = String::new();
    let start = session.started_at();
    let _ = writeln!(
        out,
        "# {}\n",
        inline(&filled(session, &playbook.metadata.title))
    );
    let _ = writeln!(out, "- Session: {}", code(id));
    let _ = writeln!(out, "- Playbook: {}", code(playbook.name()));
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
            let short: String = hash.chars().take(12).collect();
            let _ = writeln!(out, "- Playbook hash: {}", code(&short));
            let _ = writeln!(
                out,
                "- Started: {} by {}@{}",
                utc(r.at),
                inline(user),
                inline(host)
            );
            if let Some(ctx) = context {
                let ns = namespace.as_deref().unwrap_or("-");
                let _ = writeln!(
                    out,
                    "- Cluster: context {}, namespace {}",
                    code(ctx),
                    code(ns)
                );
            }
            changes::contexts_used(&mut out, session);
            changes::read_only_mode(&mut out, session);
            if !params.is_empty() {
                let list: Vec<String> = params
                    .iter()
                    .map(|(k, v)| code(&format!("{k}={v}")))
                    .collect();
                let _ = writeln!(out, "- Params: {}", list.join(", "));
            }
            if let Some(d) = drill {
                let _ = writeln!(
                    out,
                    "- Drill: scenario {} (right answer: {})",
                    code(&d.scenario),
                    code(&d.answer)
                );
            }
            if let Some(alert) = alert {
                super::export_alert::header(&mut out, alert, utc);
            }
        }
    }
    if let (Some(start), Some(last)) = (start, session.ended_at().or(records.last().map(|r| r.at)))
    {
        let _ = writeln!(out, "- Duration: {}", &offset(start, last)[2..]);
    }
    let outcome = match (session.outcome(), session.abandoned()) {
        (Some(o), _) => o.as_str(),
        (None, Some(_)) => "abandoned",
        (None, None) => "not ended (resumable)",
    };
    let _ = writeln!(out, "- Outcome: {outcome}");
    if let Some(report) = drill_report {
        let _ = writeln!(out, "\n## Drill report\n\n{report}");
    }
    let _ = writeln!(out, "\n## Timeline\n");
    let _ = writeln!(out, "| Time (UTC) | T+ | Event |");
    let _ = writeln!(out, "|---|---|---|");
    let mut blocks = String::new();
    for r in records {
        let t = start.map_or_else(String::new, |s| offset(s, r.at));
        let what = describe(session, r, Style::Markdown);
        let _ = writeln!(out, "| {} | {} | {} |", utc(r.at), t, what);
        if let Event::Command {
            argv,
            exit_code,
            output_excerpt,
            output_file,
            ..
        } = &r.event
        {
            let line =
                shlex::try_join(argv.iter().map(String::as_str)).unwrap_or_else(|_| argv.join(" "));
            let ended = how_it_ended(*exit_code, output_excerpt);
            let _ = writeln!(blocks, "{} at {} ({ended}):\n", code(&line), utc(r.at));
            let whole = output_file.as_deref().and_then(output);
            match (whole, output_file) {
                (Some(text), _) => blocks.push_str(&fence(&text)),
                (None, Some(file)) if left_out(output_excerpt) => {
                    blocks.push_str(&fence(output_excerpt));
                    let _ = writeln!(
                        blocks,
                        "\nThe whole output is in the session's {} (`runbook export --full` includes it).",
                        code(file)
                    );
                }
                (None, _) => blocks.push_str(&fence(output_excerpt)),
            }
            blocks.push('\n');
        }
    }
    changes::section(&mut out, records);
    changes::refused(&mut out, records);
    if !blocks.is_empty() {
        let _ = writeln!(out, "\n## Command output\n\n{blocks}");
    }
    // Each part above cleans what it takes from outside; this is the last
    // word, so a part that forgot cannot write a live sequence to a file
    // someone will `cat`.
    crate::sanitize::output(&out).into_owned()
}

/// `deployments.apps/checkout/scale in shop`, or the path when the request
/// named no resource.
/// `deployments.apps/checkout in shop` for an API write, or its path.
pub(crate) fn object(
    path: &str,
    resource: &Option<String>,
    subresource: &Option<String>,
    namespace: &Option<String>,
    name: &Option<String>,
) -> String {
    let Some(resource) = resource else {
        return path.to_string();
    };
    let mut text = resource.clone();
    if let Some(name) = name {
        text = format!("{text}/{name}");
    }
    if let Some(sub) = subresource {
        text = format!("{text}/{sub}");
    }
    if let Some(ns) = namespace {
        text = format!("{text} in {ns}");
    }
    text
}

fn status_word(status: u16) -> String {
    match status {
        502 => "no answer (502): may or may not have changed".into(),
        101 => "101 (stream opened)".into(),
        s => s.to_string(),
    }
}

/// Playbook text as the responder saw it: `{{ deployment }}` filled in.
fn filled(session: &Session, text: &str) -> String {
    crate::playbook::template::render(text, session.params())
}

pub use describe::{describe, drain_words};

#[derive(Serialize)]
struct JsonExport<'a> {
    session: &'a SessionSummary,
    records: &'a [Record],
}

pub fn json(summary: &SessionSummary, session: &Session) -> String {
    crate::sanitize::json_pretty(&JsonExport {
        session: summary,
        records: session.records(),
    })
    .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// A record for the timeline window: `07:01:05 T+02:10 event`; a note
/// keeps its own lines.
pub fn timeline_line(session: &Session, record: &Record, start: Option<jiff::Timestamp>) -> String {
    let what = describe(session, record, Style::Plain);
    let t = start.map_or_else(String::new, |s| offset(s, record.at));
    format!("{} {t:>9} {what}", record.at.strftime("%H:%M:%S"))
}

#[path = "export_changes.rs"]
mod changes;

#[path = "export_describe.rs"]
mod describe;

#[cfg(test)]
#[path = "export_api_write_tests.rs"]
mod api_write_tests;
