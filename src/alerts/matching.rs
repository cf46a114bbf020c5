//! Which playbook an alert opens, and the params its labels fill.
//!
//! An alert matches a playbook when its `runbook_url` annotation names the
//! playbook (`runbook://NAME`, or a URL whose last path segment is NAME,
//! with or without `.md`/`.html`/`.yaml`), or when one of the playbook's
//! `metadata.alerts` entries has the alert's name and all of its label
//! matchers hold. The runbook_url is the alert author's own choice, so it
//! ranks first; then entries with more matchers (more specific) before
//! fewer; then the search path's order.

use std::collections::BTreeMap;

use serde::Serialize;

use super::model::{Alert, Labels};
use crate::playbook::Playbook;
use crate::playbook::catalog::Entry;
use crate::playbook::params::check_param;

/// Why an alert matched a playbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchedBy {
    /// The name alone.
    Name,
    /// The name and this many label matchers.
    Matchers(usize),
    /// The alert's `runbook_url` annotation.
    RunbookUrl,
}

impl MatchedBy {
    /// `name`, `matchers` or `runbookUrl`, as `runbook alerts --json` says it.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchedBy::Name => "name",
            MatchedBy::Matchers(_) => "matchers",
            MatchedBy::RunbookUrl => "runbookUrl",
        }
    }
}

/// Params read from an alert's labels for one playbook.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Filled {
    /// Values that pass their param's pattern.
    pub params: BTreeMap<String, String>,
    /// Required params that no label (and no default) fills: the params
    /// form asks for these.
    pub missing: Vec<String>,
    /// Labels that were there but whose value the param refuses.
    pub rejected: Vec<Rejected>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    pub param: String,
    pub label: String,
    pub value: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// Index into the entries matched against.
    pub index: usize,
    pub playbook: String,
    pub by: MatchedBy,
    pub filled: Filled,
}

/// Every playbook the alert matches, best first.
pub fn matches(alert: &Alert, entries: &[Entry]) -> Vec<Match> {
    let target = alert
        .annotations
        .get("runbook_url")
        .and_then(|u| runbook_url_target(u));
    let mut found: Vec<Match> = entries
        .iter()
        .enumerate()
        .filter_map(|(index, entry)| {
            let pb = &entry.playbook;
            let by = if target == Some(pb.name()) {
                Some(MatchedBy::RunbookUrl)
            } else {
                by_entries(alert, pb)
            }?;
            Some(Match {
                index,
                playbook: pb.name().to_string(),
                by,
                filled: fill(pb, &alert.labels),
            })
        })
        .collect();
    // Stable: equal ranks keep the search path's order.
    found.sort_by_key(|m| std::cmp::Reverse(m.by));
    found
}

/// The best match, if any playbook matches.
pub fn best(alert: &Alert, entries: &[Entry]) -> Option<Match> {
    matches(alert, entries).into_iter().next()
}

/// The most specific of the playbook's entries that the alert satisfies.
fn by_entries(alert: &Alert, pb: &Playbook) -> Option<MatchedBy> {
    pb.metadata
        .alerts
        .iter()
        .filter(|e| e.name() == alert.name())
        .filter_map(|e| match e.matchers() {
            None => Some(MatchedBy::Name),
            Some(m) => m
                .iter()
                .all(|(k, v)| alert.label(k) == Some(v.as_str()))
                .then_some(if m.is_empty() {
                    MatchedBy::Name
                } else {
                    MatchedBy::Matchers(m.len())
                }),
        })
        .max()
}

/// The playbook name a `runbook_url` points at: `runbook://NAME`, or the
/// last path segment of a URL (query, fragment, a trailing `/` and a
/// `.md`, `.html`, `.htm`, `.yaml` or `.yml` extension dropped).
pub fn runbook_url_target(url: &str) -> Option<&str> {
    let url = url.trim();
    let rest = url.strip_prefix("runbook://").unwrap_or(url);
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let last = rest.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let name = [".md", ".html", ".htm", ".yaml", ".yml"]
        .iter()
        .find_map(|ext| last.strip_suffix(ext))
        .unwrap_or(last);
    (!name.is_empty()).then_some(name)
}

/// Params from labels: a param takes the label its `fromLabel` names,
/// else the label with its own name. A value must pass the param's
/// pattern like any typed value; one that does not is left for the form.
pub fn fill(pb: &Playbook, labels: &Labels) -> Filled {
    let mut out = Filled::default();
    for p in &pb.params {
        let name = &p.name.value;
        let found = p
            .from_label
            .iter()
            .map(|l| l.value.as_str())
            .chain(std::iter::once(name.as_str()))
            .find_map(|l| labels.get(l).filter(|v| !v.is_empty()).map(|v| (l, v)));
        if let Some((label, value)) = found {
            match check_param(p, value) {
                Ok(()) => {
                    out.params.insert(name.clone(), value.clone());
                }
                Err(reason) => out.rejected.push(Rejected {
                    param: name.clone(),
                    label: label.to_string(),
                    value: value.clone(),
                    reason: reason.to_string(),
                }),
            }
        }
        if p.required && p.default.is_none() && !out.params.contains_key(name) {
            out.missing.push(name.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::model::Status;
    use crate::playbook::catalog::Source;

    fn entry(yaml: &str) -> Entry {
        let playbook = crate::playbook::parse(yaml, std::path::Path::new("t.yaml"))
            .unwrap_or_else(|d| panic!("{d:?}"));
        Entry {
            source: Source::File("t.yaml".into()),
            text: yaml.to_string(),
            playbook,
        }
    }

    fn playbook(name: &str, alerts: &str, params: &str) -> Entry {
        entry(&format!(
            "apiVersion: runbook/v1\nkind: Playbook\nmetadata:\n  name: {name}\n  title: T\n  alerts: {alerts}\nparams: {params}\nstart: a\nsteps: [ {{ id: a, title: A, outcome: resolved }} ]\n"
        ))
    }

    fn alert(labels: &[(&str, &str)], runbook_url: Option<&str>) -> Alert {
        let labels: Labels = labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Alert {
            fingerprint: super::super::model::fingerprint(&labels),
            labels,
            annotations: runbook_url
                .map(|u| ("runbook_url".to_string(), u.to_string()))
                .into_iter()
                .collect(),
            starts_at: None,
            ends_at: None,
            generator_url: None,
            status: Status::Firing,
        }
    }

    fn catalog() -> Vec<Entry> {
        vec![
            playbook("plain", "[KubePodCrashLooping]", "[]"),
            playbook(
                "critical",
                "[ { name: KubePodCrashLooping, matchers: { severity: critical } } ]",
                "[]",
            ),
            playbook("other", "[KubeNodeNotReady]", "[]"),
        ]
    }

    fn names(found: &[Match]) -> Vec<&str> {
        found.iter().map(|m| m.playbook.as_str()).collect()
    }

    #[test]
    fn by_name_and_by_matchers_most_specific_first() {
        let c = catalog();
        let crit = alert(
            &[
                ("alertname", "KubePodCrashLooping"),
                ("severity", "critical"),
            ],
            None,
        );
        let found = matches(&crit, &c);
        assert_eq!(names(&found), ["critical", "plain"]);
        assert_eq!(found[0].by, MatchedBy::Matchers(1));
        let warn = alert(
            &[
                ("alertname", "KubePodCrashLooping"),
                ("severity", "warning"),
            ],
            None,
        );
        assert_eq!(names(&matches(&warn, &c)), ["plain"]);
        let none = alert(&[("alertname", "Watchdog")], None);
        assert!(best(&none, &c).is_none());
    }

    #[test]
    fn a_runbook_url_naming_a_playbook_wins() {
        let c = catalog();
        for url in [
            "runbook://other",
            "https://wiki.example.com/runbooks/other",
            "https://git.example.com/ops/blob/main/playbooks/other.yaml#L3",
            "https://wiki.example.com/runbooks/other/?from=alert",
        ] {
            let a = alert(&[("alertname", "KubePodCrashLooping")], Some(url));
            let found = matches(&a, &c);
            assert_eq!(names(&found), ["other", "plain"], "{url}");
            assert_eq!(found[0].by, MatchedBy::RunbookUrl);
        }
        let a = alert(
            &[("alertname", "Foo")],
            Some(
                "https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubepodcrashlooping",
            ),
        );
        assert!(best(&a, &c).is_none(), "a URL naming no playbook");
    }

    #[test]
    fn params_come_from_labels_and_from_label_first() {
        let pb = playbook(
            "svc",
            "[HighErrorRate]",
            "[ { name: namespace, required: true, fromLabel: exported_namespace }, { name: service, required: true }, { name: replicas, default: '2', pattern: '[0-9]+' } ]",
        );
        let a = alert(
            &[
                ("alertname", "HighErrorRate"),
                ("namespace", "monitoring"),
                ("exported_namespace", "shop"),
                ("service", "checkout"),
            ],
            None,
        );
        let f = fill(&pb.playbook, &a.labels);
        assert_eq!(f.params["namespace"], "shop", "fromLabel wins");
        assert_eq!(f.params["service"], "checkout");
        assert!(f.missing.is_empty());
        let a = alert(
            &[("alertname", "HighErrorRate"), ("namespace", "shop")],
            None,
        );
        let f = fill(&pb.playbook, &a.labels);
        assert_eq!(
            f.params["namespace"], "shop",
            "falls back to the param's name"
        );
        assert_eq!(f.missing, ["service"]);
    }

    #[test]
    fn a_label_value_the_pattern_refuses_is_left_for_the_form() {
        let pb = playbook("p", "[X]", "[ { name: namespace, required: true } ]");
        let a = alert(&[("alertname", "X"), ("namespace", "Shop Floor")], None);
        let f = fill(&pb.playbook, &a.labels);
        assert!(f.params.is_empty());
        assert_eq!(f.missing, ["namespace"]);
        assert_eq!(f.rejected[0].value, "Shop Floor");
        assert!(
            f.rejected[0].reason.contains("DNS label"),
            "{:?}",
            f.rejected
        );
    }

    #[test]
    fn runbook_url_targets() {
        assert_eq!(
            runbook_url_target("runbook://pod-crashloop"),
            Some("pod-crashloop")
        );
        assert_eq!(
            runbook_url_target("https://x/y/pod-crashloop.md"),
            Some("pod-crashloop")
        );
        assert_eq!(runbook_url_target("https://x/"), Some("x"));
        assert_eq!(runbook_url_target(""), None);
    }
}
