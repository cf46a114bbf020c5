//! An alert as Alertmanager describes it, read from the v2 API, a webhook
//! payload or `runbook alerts --json`; written back in the same field names
//! so one tool's output is the next one's input.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::engine::OpeningAlert;
use crate::sanitize;

pub type Labels = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    pub fingerprint: String,
    pub labels: Labels,
    pub annotations: Labels,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<jiff::Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<jiff::Timestamp>,
    #[serde(rename = "generatorURL", skip_serializing_if = "Option::is_none")]
    pub generator_url: Option<String>,
    /// `firing` or `resolved`, as a webhook says it.
    pub status: Status,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Firing,
    Resolved,
}

impl Alert {
    /// The `alertname` label (every alert has one; "" otherwise).
    pub fn name(&self) -> &str {
        self.label("alertname").unwrap_or("")
    }

    pub fn label(&self, name: &str) -> Option<&str> {
        self.labels.get(name).map(String::as_str)
    }

    pub fn severity(&self) -> Option<&str> {
        self.label("severity")
    }

    /// The one-line text a pager shows: `summary`, else `description`,
    /// else `message`, first line only.
    pub fn summary(&self) -> Option<&str> {
        ["summary", "description", "message"]
            .iter()
            .find_map(|k| self.annotations.get(*k))
            .and_then(|s| s.lines().map(str::trim).find(|l| !l.is_empty()))
    }

    /// Seconds since the alert started firing, if it says when.
    pub fn age_seconds(&self, now: jiff::Timestamp) -> Option<i64> {
        self.starts_at
            .map(|s| (now.as_second() - s.as_second()).max(0))
    }

    /// What the journal keeps of the alert with a session's start: the
    /// text sanitized, since whoever fired the alert wrote it and the
    /// journal's text ends up in terminals and exports.
    pub fn opening(&self) -> OpeningAlert {
        let clean = |map: &std::collections::BTreeMap<String, String>| {
            map.iter()
                .map(|(k, v)| (crate::sanitize::line(k), crate::sanitize::block(v)))
                .collect()
        };
        OpeningAlert {
            fingerprint: crate::sanitize::line(&self.fingerprint),
            labels: clean(&self.labels),
            annotations: clean(&self.annotations),
            starts_at: self.starts_at,
            generator_url: self.generator_url.as_deref().map(crate::sanitize::line),
        }
    }
}

/// Alertmanager's fingerprint of a label set (prometheus/common's
/// `LabelSet.Fingerprint`): FNV-1a 64 over the names in byte order, each
/// name and value followed by 0xff, printed as 16 hex digits. Used when a
/// saved payload lacks one, so the same alert is recognised either way.
pub fn fingerprint(labels: &Labels) -> String {
    const OFFSET: u64 = 14_695_981_039_346_656_037;
    const PRIME: u64 = 1_099_511_628_211;
    let mut hash = OFFSET;
    let mut add = |bytes: &[u8]| {
        for b in bytes.iter().chain(std::iter::once(&0xff)) {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(PRIME);
        }
    };
    for (name, value) in labels {
        add(name.as_bytes());
        add(value.as_bytes());
    }
    format!("{hash:016x}")
}

/// One alert on the wire: the v2 API's gettable alert, a webhook alert,
/// or our own JSON. Unknown fields (receivers, updatedAt) are ignored.
#[derive(Debug, Deserialize)]
#[serde(
    rename_all = "camelCase",
    expecting = "an alert (an object with `labels`)"
)]
pub(crate) struct WireAlert {
    labels: WireLabels,
    #[serde(default)]
    annotations: Labels,
    #[serde(default, deserialize_with = "time")]
    starts_at: Option<jiff::Timestamp>,
    #[serde(default, deserialize_with = "time")]
    ends_at: Option<jiff::Timestamp>,
    #[serde(default, rename = "generatorURL")]
    generator_url: Option<String>,
    #[serde(default)]
    fingerprint: Option<String>,
    #[serde(default)]
    status: Option<WireStatus>,
}

/// An RFC 3339 time, refused in words a responder can act on.
fn time<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<jiff::Timestamp>, D::Error> {
    let text = Option::<String>::deserialize(d)?;
    text.map(|t| {
        t.parse().map_err(|_| {
            serde::de::Error::custom(format!(
                "`{t}` is not an RFC 3339 time like 2025-11-25T07:00:00Z"
            ))
        })
    })
    .transpose()
}

/// A label set that must name its alert. Checked while deserializing so
/// that serde_json reports the problem at its line and column.
#[derive(Debug)]
struct WireLabels(Labels);

impl<'de> Deserialize<'de> for WireLabels {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A visitor, not `Labels::deserialize` then a check: an error raised
        // inside the map's own frame gets the map's position from
        // serde_json, not the end of the enclosing object.
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = WireLabels;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of label names to values")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<WireLabels, A::Error> {
                let mut labels = Labels::new();
                while let Some((k, v)) = map.next_entry::<String, String>()? {
                    labels.insert(k, v);
                }
                match labels.get("alertname") {
                    Some(name) if !name.is_empty() => Ok(WireLabels(labels)),
                    _ => Err(serde::de::Error::custom(
                        "the alert's labels have no `alertname`",
                    )),
                }
            }
        }
        d.deserialize_map(Visitor)
    }
}

/// `"firing"` / `"resolved"` in a webhook; `{ "state": "active" }` in the API.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum WireStatus {
    Word(String),
    State {
        #[allow(dead_code)] // present in the API's answer; active alerts are firing
        state: String,
    },
}

impl WireAlert {
    /// Labels and annotations are untrusted text bound for the terminal and
    /// the journal: control characters and escape sequences go. (A label
    /// holding one would then not match its silence; Prometheus labels do
    /// not hold them in practice.)
    pub(crate) fn into_alert(self) -> Alert {
        let fingerprint = self
            .fingerprint
            .filter(|f| !f.is_empty())
            .unwrap_or_else(|| fingerprint(&self.labels.0));
        let clean = |m: Labels, block: bool| -> Labels {
            m.into_iter()
                .map(|(k, v)| {
                    let v = if block {
                        sanitize::block(&v)
                    } else {
                        sanitize::line(&v)
                    };
                    (sanitize::line(&k), v)
                })
                .collect()
        };
        let status = match &self.status {
            Some(WireStatus::Word(w)) if w == "resolved" => Status::Resolved,
            _ => Status::Firing,
        };
        Alert {
            fingerprint: sanitize::line(&fingerprint),
            labels: clean(self.labels.0, false),
            annotations: clean(self.annotations, true),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            generator_url: self
                .generator_url
                .map(|u| sanitize::line(&u))
                .filter(|u| !u.is_empty()),
            status,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn fingerprints_are_alertmanagers() {
        // Taken from Alertmanager 0.25's answer for this label set.
        let l = labels(&[
            ("alertname", "KubePodCrashLooping"),
            ("namespace", "shop"),
            ("pod", "checkout-1"),
            ("severity", "warning"),
        ]);
        assert_eq!(fingerprint(&l), "59fb3cda25a63f04");
        assert_eq!(fingerprint(&Labels::new()), "cbf29ce484222325");
    }

    #[test]
    fn api_and_webhook_alerts_read_alike() {
        let api = r#"{"annotations":{"summary":"\n  Crash looping\nmore"},"endsAt":"2026-12-01T14:28:05.400Z","fingerprint":"59fb3cda25a63f04","receivers":[{"name":"none"}],"startsAt":"2026-12-01T14:23:05.400Z","status":{"inhibitedBy":[],"silencedBy":[],"state":"active"},"updatedAt":"2026-12-01T14:23:05.400Z","generatorURL":"http://prom/graph","labels":{"alertname":"KubePodCrashLooping","namespace":"shop","pod":"checkout-1","severity":"warning"}}"#;
        let a = serde_json::from_str::<WireAlert>(api)
            .expect("api alert")
            .into_alert();
        assert_eq!(a.name(), "KubePodCrashLooping");
        assert_eq!(a.severity(), Some("warning"));
        assert_eq!(a.summary(), Some("Crash looping"));
        assert_eq!(a.status, Status::Firing);
        let hook = r#"{"status":"resolved","labels":{"alertname":"X","note":"a\u001b]52;c;aGk=\u0007b"},"annotations":{},"startsAt":"2026-12-01T14:23:05Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":""}"#;
        let a = serde_json::from_str::<WireAlert>(hook)
            .expect("webhook alert")
            .into_alert();
        assert_eq!(a.status, Status::Resolved);
        assert_eq!(a.label("note"), Some("ab"), "escape sequences are stripped");
        assert_eq!(a.generator_url, None);
        assert_eq!(a.fingerprint.len(), 16, "computed when absent");
    }

    #[test]
    fn an_alert_without_a_name_is_refused_where_its_labels_end() {
        let err = serde_json::from_str::<WireAlert>("{\n  \"labels\": {\"pod\": \"x\"}\n}")
            .expect_err("no alertname");
        assert_eq!(
            (err.line(), err.column()),
            (2, 24),
            "at the labels' closing brace"
        );
        assert!(err.to_string().contains("no `alertname`"), "{err}");
    }
}
