//! `runbook alerts [--json]`: the alerts firing now, grouped by name (most
//! urgent first), each with the playbook it opens, the params its labels
//! fill, what the params form would still ask for, and the session on this
//! machine already working on it.

use super::output::{errln, outln};

use std::collections::BTreeMap;

use serde::Serialize;

use crate::alerts::matching::Rejected;
use crate::alerts::{self, Alert, Client};
use crate::journal::{self, SessionSummary};
use crate::kinds::format::age;
use crate::playbook::catalog::{self, Catalog};

/// One alert with what runbook makes of it. The alert's own fields come
/// first, in Alertmanager's names, so a row is also input for
/// `runbook run --alert`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Row<'a> {
    #[serde(flatten)]
    alert: &'a Alert,
    /// The best match, or null.
    playbook: Option<String>,
    matched_by: Option<&'static str>,
    params: BTreeMap<String, String>,
    missing: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rejected: Vec<Rejected>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    other_playbooks: Vec<String>,
    session: Option<String>,
}

impl<'a> Row<'a> {
    fn new(alert: &'a Alert, catalog: &Catalog, sessions: &[SessionSummary]) -> Row<'a> {
        let mut found = alerts::matches(alert, &catalog.entries).into_iter();
        let best = found.next();
        let (params, missing, rejected) = best.as_ref().map_or_else(Default::default, |m| {
            (
                m.filled.params.clone(),
                m.filled.missing.clone(),
                m.filled.rejected.clone(),
            )
        });
        Row {
            alert,
            playbook: best.as_ref().map(|m| m.playbook.clone()),
            matched_by: best.as_ref().map(|m| m.by.as_str()),
            params,
            missing,
            rejected,
            other_playbooks: found.map(|m| m.playbook).collect(),
            session: sessions
                .iter()
                .find(|s| s.alert_fingerprint.as_deref() == Some(&alert.fingerprint))
                .map(|s| s.id.clone()),
        }
    }
}

pub fn run(json: bool, alertmanager: Option<String>) -> anyhow::Result<u8> {
    let (endpoint, origin) = match alerts::endpoint::configured(alertmanager.as_deref()) {
        Ok(Some(found)) => found,
        Ok(None) => {
            return Ok(super::failure::usage(format_args!(
                "no Alertmanager to ask: {}",
                alerts::endpoint::how_to_configure()
            )));
        }
        Err(e) => {
            errln!("{e}");
            return Ok(super::USAGE);
        }
    };
    let client = match Client::new(&endpoint) {
        Ok(c) => c,
        Err(e) => {
            return Ok(super::failure::usage(format_args!(
                "{e} (from {})",
                origin.describe()
            )));
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut firing = match runtime.block_on(client.firing()) {
        Ok(a) => a,
        Err(e) => return Ok(super::failure::failed(e)),
    };
    alerts::sort_by_urgency(&mut firing);
    let catalog = Catalog::load(&catalog::user_folders());
    for d in &catalog.problems {
        errln!("{d}");
    }
    let sessions: Vec<SessionSummary> = journal::data_dir()
        .ok()
        .and_then(|d| journal::list_sessions(&d).ok())
        .unwrap_or_default()
        .into_iter()
        .filter(SessionSummary::is_active)
        .collect();
    let rows: Vec<Row> = firing
        .iter()
        .map(|a| Row::new(a, &catalog, &sessions))
        .collect();
    if json {
        outln!("{}", crate::sanitize::json_pretty(&rows)?);
    } else if rows.is_empty() {
        outln!("no alerts are firing at {}", client.url());
    } else {
        super::output::out(format_args!("{}", text(&rows, jiff::Timestamp::now())));
    }
    Ok(super::OK)
}

/// Grouped by name, groups in the order of their most urgent alert.
fn text(rows: &[Row], now: jiff::Timestamp) -> String {
    let mut groups: Vec<(&str, Vec<&Row>)> = Vec::new();
    for row in rows {
        match groups.iter_mut().find(|(n, _)| *n == row.alert.name()) {
            Some((_, members)) => members.push(row),
            None => groups.push((row.alert.name(), vec![row])),
        }
    }
    let mut out = String::new();
    for (name, members) in groups {
        out.push_str(&format!("{name}: {} firing\n", members.len()));
        for row in members {
            let a = row.alert;
            let labels: Vec<String> = a
                .labels
                .iter()
                .filter(|(k, _)| !matches!(k.as_str(), "alertname" | "severity"))
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            let since = a.age_seconds(now).map_or_else(|| "-".into(), age);
            let line = format!(
                "  {:<9}{since:>5}  {}",
                a.severity().unwrap_or("-"),
                labels.join(" ")
            );
            out.push_str(line.trim_end());
            out.push('\n');
            let pad = " ".repeat(16);
            if let Some(summary) = a.summary() {
                out.push_str(&format!("{pad}{summary}\n"));
            }
            out.push_str(&format!("{pad}{}\n", outcome(row)));
        }
    }
    out
}

/// `-> pod-crashloop  namespace=shop  (asks for: deployment)`.
fn outcome(row: &Row) -> String {
    let Some(playbook) = &row.playbook else {
        return "-> no playbook matches".into();
    };
    let mut s = format!("-> {playbook}");
    for (k, v) in &row.params {
        s.push_str(&format!("  {k}={v}"));
    }
    if !row.missing.is_empty() {
        s.push_str(&format!("  (asks for: {})", row.missing.join(", ")));
    }
    // A label the param's pattern refused: said here, not only in --json.
    for r in &row.rejected {
        s.push_str(&format!(
            "  (label {}={} not used for {}: {})",
            r.label, r.value, r.param, r.reason
        ));
    }
    if let Some(id) = &row.session {
        s.push_str(&format!("  [being worked on: runbook resume {id}]"));
    }
    s
}
