//! The home screen's firing alerts: where they stand (not configured,
//! being fetched, failed, here), each matched to a playbook and to the
//! unfinished session on this machine that is already working on it.

use crate::alerts::{self, Alert, Match};
use crate::journal::SessionSummary;
use crate::playbook::catalog::Entry;

pub enum AlertsPane {
    /// No Alertmanager is configured; the screen says how to set one.
    Off,
    /// The first fetch is under way (it never holds back the first frame).
    Loading { url: String },
    /// One line saying why; the rest of the screen works.
    Failed(String),
    Ready {
        url: String,
        rows: Vec<AlertRow>,
        /// The rows by alert name, each group in the order of its most
        /// urgent member, members most urgent first.
        groups: Vec<Vec<usize>>,
        /// Each row's group, so a row finds it without a scan.
        row_group: Vec<usize>,
    },
}

pub struct AlertRow {
    pub alert: Alert,
    /// The best match, if any playbook matches.
    pub matched: Option<Match>,
    /// Index into the home screen's sessions: the session working on it.
    pub session: Option<usize>,
}

impl AlertsPane {
    pub fn rows(&self) -> &[AlertRow] {
        match self {
            AlertsPane::Ready { rows, .. } => rows,
            _ => &[],
        }
    }

    /// The rows by alert name (see `AlertsPane::Ready`).
    pub fn groups(&self) -> &[Vec<usize>] {
        match self {
            AlertsPane::Ready { groups, .. } => groups,
            _ => &[],
        }
    }

    /// The alerts, grouped by name (see `AlertsPane::Ready`).
    pub fn ready(url: String, rows: Vec<AlertRow>) -> AlertsPane {
        let groups = groups(&rows);
        let mut row_group = vec![0; rows.len()];
        for (g, members) in groups.iter().enumerate() {
            for &m in members {
                row_group[m] = g;
            }
        }
        AlertsPane::Ready {
            url,
            rows,
            groups,
            row_group,
        }
    }

    /// The group alert row `i` belongs to.
    pub fn group_of(&self, i: usize) -> Option<usize> {
        match self {
            AlertsPane::Ready { row_group, .. } => row_group.get(i).copied(),
            _ => None,
        }
    }

    /// The other alerts of row `i`'s name, itself among them.
    pub fn group_members(&self, i: usize) -> &[usize] {
        self.group_of(i)
            .and_then(|g| self.groups().get(g))
            .map_or(&[], Vec::as_slice)
    }

    /// The header's line about alerts, and whether it reports a failure.
    pub fn status(&self) -> (String, bool) {
        match self {
            AlertsPane::Off => (
                "alerts: no Alertmanager set (--alertmanager URL or RUNBOOK_ALERTMANAGER_URL)"
                    .into(),
                false,
            ),
            AlertsPane::Loading { url } => (format!("alerts: asking {url}"), false),
            AlertsPane::Failed(why) => (format!("alerts: {why}"), true),
            AlertsPane::Ready { url, rows, .. } if rows.is_empty() => {
                (format!("alerts: none firing at {url}"), false)
            }
            AlertsPane::Ready { url, rows, .. } => {
                (format!("alerts: {} firing at {url}", rows.len()), false)
            }
        }
    }
}

/// Most urgent first, each with its match and its session.
pub fn rows(
    mut firing: Vec<Alert>,
    entries: &[Entry],
    sessions: &[SessionSummary],
) -> Vec<AlertRow> {
    alerts::sort_by_urgency(&mut firing);
    firing
        .into_iter()
        .map(|alert| AlertRow {
            matched: alerts::best(&alert, entries),
            session: sessions
                .iter()
                .position(|s| s.alert_fingerprint.as_deref() == Some(&alert.fingerprint)),
            alert,
        })
        .collect()
}

/// Indexes of `rows` by alert name: rows come most urgent first, so each
/// group's first member is its most urgent and the groups keep that order.
pub fn groups(rows: &[AlertRow]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut by_name: std::collections::HashMap<&str, usize> = Default::default();
    for (i, row) in rows.iter().enumerate() {
        let g = *by_name.entry(row.alert.name()).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(i);
    }
    groups
}

/// The labels whose values differ among `members` (alertname and severity
/// aside), with how many values each takes: what tells them apart.
pub fn differing(rows: &[AlertRow], members: &[usize]) -> Vec<(String, usize)> {
    let mut keys: std::collections::BTreeMap<&str, std::collections::BTreeSet<Option<&str>>> =
        Default::default();
    for &m in members {
        for k in rows[m].alert.labels.keys() {
            keys.entry(k.as_str()).or_default();
        }
    }
    for (k, values) in keys.iter_mut() {
        for &m in members {
            values.insert(rows[m].alert.labels.get(*k).map(String::as_str));
        }
    }
    keys.into_iter()
        .filter(|(k, v)| !matches!(*k, "alertname" | "severity") && v.len() > 1)
        .map(|(k, v)| (k.to_string(), v.len()))
        .collect()
}

/// What the fuzzy search looks at for an alert.
pub fn haystack(row: &AlertRow) -> String {
    let labels: Vec<String> = row
        .alert
        .labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    format!(
        "{} {} {} {}",
        row.alert.name(),
        labels.join(" "),
        row.alert.summary().unwrap_or(""),
        row.matched.as_ref().map_or("", |m| m.playbook.as_str())
    )
}

/// `CRIT`, `WARN`, `INFO`; other severities as their first four letters.
pub fn severity_word(alert: &Alert) -> String {
    match alert.severity().map(str::to_ascii_lowercase).as_deref() {
        Some("critical") => "CRIT".into(),
        Some("warning") => "WARN".into(),
        Some(s) if !s.is_empty() => s.chars().take(4).collect::<String>().to_uppercase(),
        _ => "----".into(),
    }
}
