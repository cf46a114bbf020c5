//! `runbook run [PLAYBOOK] --alert FILE|-`: a saved page (a webhook
//! payload, one alert, or a list) opens the playbook it matches, with the
//! params its labels fill. The first firing alert that matches a playbook
//! is the one opened (with PLAYBOOK named: the first that matches it, else
//! the first firing one). A required param no label fills is asked for in
//! the params form; without a terminal it is a usage error naming it.

use super::failure;
use super::output::errln;

use std::io::Read;

use crate::alerts::payload;
use crate::alerts::{self, Alert, Status};
use crate::app::launch;
use crate::cli::{ClusterOptions, UiOptions};
use crate::journal;
use crate::playbook::catalog::{self, Catalog, Entry};
use crate::playbook::params::{missing_required, parse_sets};

/// Payloads larger than this are refused (a page is a few KB).
const MAX_PAYLOAD: u64 = 16 << 20;

pub fn run(
    playbook: Option<String>,
    set: Vec<String>,
    source: &str,
    alertmanager: Option<String>,
    cluster: ClusterOptions,
    ui: UiOptions,
) -> anyhow::Result<u8> {
    let sets = match parse_sets(&set) {
        Ok(s) => s,
        Err(e) => return Ok(failure::usage(e)),
    };
    let text = match read(source) {
        Ok(text) => text,
        Err(e) => {
            return Ok(failure::usage(format_args!(
                "cannot read the alert from {source}: {e}"
            )));
        }
    };
    let alerts = match payload::parse(&text, source) {
        Ok(a) => a,
        Err(e) => {
            errln!("{e}");
            return Ok(super::USAGE);
        }
    };
    let firing: Vec<&Alert> = alerts
        .iter()
        .filter(|a| a.status == Status::Firing)
        .collect();
    if firing.is_empty() {
        errln!(
            "{source}: error: every alert in it is resolved ({}); nothing to respond to",
            names(&alerts)
        );
        return Ok(super::USAGE);
    }
    let catalog = Catalog::load(&catalog::user_folders());
    let (alert, entry) = match pick(&catalog, playbook.as_deref(), &firing) {
        Ok(found) => found,
        Err(Unmatched::Playbook(code)) => return Ok(code),
        Err(Unmatched::Alerts) => {
            errln!(
                "{source}: error: no playbook matches {} (see `runbook list`); name one: runbook run PLAYBOOK --alert {source}",
                names(&alerts)
            );
            return Ok(super::USAGE);
        }
    };
    if firing.len() > 1 {
        errln!(
            "{} alerts are firing in {source}; opening {} ({})",
            firing.len(),
            alert.name(),
            alert.fingerprint
        );
    }
    if let Some(id) = working_on(&alert) {
        errln!(
            "alert {} is already being worked on in session {id}; resuming it",
            alert.name()
        );
        return super::resume::run(Some(id), cluster, ui);
    }
    let filled = alerts::matching::fill(&entry.playbook, &alert.labels);
    let mut given = filled.params.clone();
    given.extend(sets);
    for r in filled
        .rejected
        .iter()
        .filter(|r| !given.contains_key(&r.param))
    {
        failure::warn(format_args!(
            "label {}=`{}` does not fit param `{}`: {}",
            r.label, r.value, r.param, r.reason
        ));
    }
    let given: Vec<(String, String)> = given.into_iter().collect();
    // With a terminal, the params form asks for what no label filled
    // (`run::start_entry`); without one, the missing params are named here.
    let missing: Vec<String> = missing_required(&entry.playbook, &given)
        .iter()
        .map(|p| p.name.value.clone())
        .collect();
    if !missing.is_empty() && !launch::has_terminal() {
        for name in &missing {
            errln!(
                "error: param `{name}`: no label of alert {} fills it; give it with --set {name}=...",
                alert.name()
            );
        }
        return Ok(super::USAGE);
    }
    super::run::start_entry(entry, given, Some(alert), alertmanager, cluster, ui)
}

fn read(source: &str) -> std::io::Result<String> {
    let mut text = String::new();
    if source == "-" {
        std::io::stdin()
            .take(MAX_PAYLOAD)
            .read_to_string(&mut text)?;
    } else {
        std::fs::File::open(source)?
            .take(MAX_PAYLOAD)
            .read_to_string(&mut text)?;
    }
    Ok(text)
}

enum Unmatched {
    /// The named playbook could not be used (already reported).
    Playbook(u8),
    /// No firing alert matches any playbook.
    Alerts,
}

fn pick(
    catalog: &Catalog,
    playbook: Option<&str>,
    firing: &[&Alert],
) -> Result<(Alert, Entry), Unmatched> {
    if let Some(name) = playbook {
        let entry = super::run::resolve_entry(catalog, name).map_err(Unmatched::Playbook)?;
        let one = std::slice::from_ref(&entry);
        let alert = firing
            .iter()
            .find(|a| !alerts::matches(a, one).is_empty())
            .unwrap_or(&firing[0]);
        return Ok(((*alert).clone(), entry));
    }
    for alert in firing {
        if let Some(m) = alerts::best(alert, &catalog.entries) {
            let entry =
                super::run::resolve_entry(catalog, &m.playbook).map_err(Unmatched::Playbook)?;
            return Ok(((*alert).clone(), entry));
        }
    }
    Err(Unmatched::Alerts)
}

/// The unfinished session on this machine that the alert opened, if any.
fn working_on(alert: &Alert) -> Option<String> {
    let data = journal::data_dir().ok()?;
    journal::list_sessions(&data)
        .ok()?
        .into_iter()
        .find(|s| s.is_active() && s.alert_fingerprint.as_deref() == Some(&alert.fingerprint))
        .map(|s| s.id)
}

/// `KubePodCrashLooping, Watchdog`: the distinct names, in order.
fn names(alerts: &[Alert]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for a in alerts {
        if !seen.contains(&a.name()) {
            seen.push(a.name());
        }
    }
    seen.join(", ")
}
