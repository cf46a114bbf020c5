//! The export's account of the cluster: which contexts the session used,
//! whether it was read-only, and "what did we change?", each change with
//! the context it went to.

use std::fmt::Write as _;

use super::{cell_code, code, inline, object, offset, status_word, utc};
use crate::engine::{Event, Record, Session, is_alertmanager_path};

/// `- Contexts used, in order: `a` → `b`` when the session switched; the
/// start's `Cluster` line names the one context of a session that did not.
pub(super) fn contexts_used(out: &mut String, session: &Session) {
    let contexts = session.contexts();
    let switched = session
        .records()
        .iter()
        .any(|r| matches!(r.event, Event::ContextSwitched { .. }));
    if !switched {
        return;
    }
    let list: Vec<String> = contexts.iter().map(|c| code(c)).collect();
    let _ = writeln!(out, "- Contexts used, in order: {}", list.join(" → "));
}

/// `- Mode: **READ-ONLY** ...` for a read-only session, saying since when
/// and why; nothing for one that never was.
pub(super) fn read_only_mode(out: &mut String, session: &Session) {
    if !session.is_read_only() {
        return;
    }
    let start = session.started_at();
    let since = session.records().iter().find_map(|r| match &r.event {
        Event::Started {
            read_only: true, ..
        } => Some("from the start".to_string()),
        Event::ContextSwitched {
            to,
            read_only: true,
            ..
        } => Some(format!(
            "from {} (switched to {})",
            when(start, r.at),
            code(to)
        )),
        Event::ReadOnlyOn { reason } => {
            Some(format!("from {} ({})", when(start, r.at), inline(reason)))
        }
        _ => None,
    });
    let _ = writeln!(out, "- Mode: **READ-ONLY** {}", since.unwrap_or_default());
    if let Some(Event::Started {
        read_only_contexts, ..
    }) = session.records().first().map(|r| &r.event)
        && !read_only_contexts.is_empty()
    {
        let list: Vec<String> = read_only_contexts.iter().map(|c| code(c)).collect();
        let _ = writeln!(out, "- Read-only contexts (config): {}", list.join(", "));
    }
}

fn when(start: Option<jiff::Timestamp>, at: jiff::Timestamp) -> String {
    start.map_or_else(|| utc(at), |s| offset(s, at))
}

fn context_cell(context: &Option<String>) -> String {
    context
        .as_deref()
        .map_or_else(|| "-".to_string(), cell_code)
}

/// "What did we change?": every change that reached the cluster, from a
/// command (through the gateway) or an action, in order, with the context
/// it went to. Dry runs and refusals changed nothing and are left to the
/// timeline.
pub(super) fn section(out: &mut String, records: &[Record]) {
    let mut rows = Vec::new();
    for r in records {
        match &r.event {
            Event::ApiWrite {
                method,
                path,
                resource,
                subresource,
                namespace,
                name,
                status,
                dry_run: false,
                by,
                context,
                ..
            } if !is_alertmanager_path(path) => rows.push(format!(
                "| {} | {} | {} | {} | {} |",
                utc(r.at),
                context_cell(context),
                cell_code(&format!(
                    "{method} {}",
                    object(path, resource, subresource, namespace, name)
                )),
                status_word(*status),
                cell_code(by)
            )),
            Event::Action {
                kind,
                target,
                outcome,
                context,
                drain,
                ..
            } => rows.push(format!(
                "| {} | {} | action **{}** on {} | {}{} | runbook |",
                utc(r.at),
                context_cell(context),
                inline(kind),
                cell_code(target),
                inline(outcome),
                drain
                    .as_deref()
                    .map(|d| format!(" ({})", inline(&super::drain_words(d))))
                    .unwrap_or_default()
            )),
            _ => {}
        }
    }
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## Changes to the cluster\n");
    let _ = writeln!(out, "| Time (UTC) | Context | Change | Answer | By |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for row in rows {
        let _ = writeln!(out, "{row}");
    }
}

/// "What did we try that was refused?": every attempt the gateway refused
/// (read-only, or another context after a switch), what and why. Nothing
/// of these reached the cluster, so they are apart from the changes.
pub(super) fn refused(out: &mut String, records: &[Record]) {
    let rows: Vec<String> = records
        .iter()
        .filter_map(|r| match &r.event {
            Event::Refused {
                method,
                path,
                resource,
                subresource,
                namespace,
                name,
                reason,
                by,
                ..
            } => Some(format!(
                "| {} | {} | {} | {} |",
                utc(r.at),
                cell_code(&format!(
                    "{method} {}",
                    object(path, resource, subresource, namespace, name)
                )),
                inline(reason),
                cell_code(by)
            )),
            _ => None,
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## Refused attempts\n");
    let _ = writeln!(
        out,
        "Refused by runbook's gateway; none of them reached the cluster.\n"
    );
    let _ = writeln!(out, "| Time (UTC) | Attempt | Why | By |");
    let _ = writeln!(out, "|---|---|---|---|");
    for row in rows {
        let _ = writeln!(out, "{row}");
    }
}
