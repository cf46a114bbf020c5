//! Saved pages: what `runbook run --alert` reads. Three shapes are taken:
//! an Alertmanager webhook payload (`{"version": "4", "alerts": [...]}`,
//! what Alertmanager posts to a receiver), a single alert object (one entry
//! of `/api/v2/alerts` or of `runbook alerts --json`), or a list of them.
//! Every problem is reported at its line and column: serde_json knows the
//! position of syntax and type errors, and the checks that are ours (an
//! alert without a name, an empty list) run inside deserialization so that
//! it knows theirs too.

use serde::Deserialize;
use thiserror::Error;

use super::model::{Alert, WireAlert};

/// `SOURCE:LINE:COL: error: MESSAGE`, SOURCE being the path or `-`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{source_name}:{line}:{col}: error: {message}")]
pub struct PayloadError {
    pub source_name: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

/// Reads every alert in `text`; `source` names it in errors (`-` for stdin).
pub fn parse(text: &str, source: &str) -> Result<Vec<Alert>, PayloadError> {
    let err = |e: serde_json::Error| PayloadError {
        source_name: source.to_string(),
        line: e.line().max(1),
        col: e.column().max(1),
        message: message(&e),
    };
    let shape: serde_json::Value = serde_json::from_str(text).map_err(err)?;
    let wire: Vec<WireAlert> = match &shape {
        serde_json::Value::Object(o) if o.contains_key("alerts") => {
            serde_json::from_str::<Webhook>(text).map_err(err)?.alerts.0
        }
        serde_json::Value::Object(o) if o.contains_key("labels") => {
            vec![serde_json::from_str::<WireAlert>(text).map_err(err)?]
        }
        serde_json::Value::Array(_) => serde_json::from_str::<NonEmpty>(text).map_err(err)?.0,
        _ => {
            let (line, col) = first_token(text);
            return Err(PayloadError {
                source_name: source.to_string(),
                line,
                col,
                message: "expected an Alertmanager webhook payload (an object with `alerts`), an alert (an object with `labels`) or a list of alerts".into(),
            });
        }
    };
    Ok(wire.into_iter().map(WireAlert::into_alert).collect())
}

/// The part of a webhook payload we use; the group fields (receiver,
/// groupLabels, commonLabels, externalURL) are ignored.
#[derive(Deserialize)]
struct Webhook {
    alerts: NonEmpty,
}

struct NonEmpty(Vec<WireAlert>);

impl<'de> Deserialize<'de> for NonEmpty {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Checked in the sequence's own frame so the error points at it.
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = NonEmpty;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of alerts")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<NonEmpty, A::Error> {
                let mut alerts = Vec::new();
                while let Some(a) = seq.next_element::<WireAlert>()? {
                    alerts.push(a);
                }
                if alerts.is_empty() {
                    return Err(serde::de::Error::custom("the list of alerts is empty"));
                }
                Ok(NonEmpty(alerts))
            }
        }
        d.deserialize_seq(Visitor)
    }
}

/// serde_json's message without its own " at line L column C" suffix (the
/// position is printed in front, compiler style).
fn message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// 1-based line and column of the first non-blank character.
fn first_token(text: &str) -> (usize, usize) {
    for (i, line) in text.lines().enumerate() {
        if let Some(col) = line.find(|c: char| !c.is_whitespace()) {
            return (i + 1, line[..col].chars().count() + 1);
        }
    }
    (1, 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::model::Status;

    const WEBHOOK: &str = r#"{
  "version": "4",
  "groupKey": "{}:{alertname=\"KubePodCrashLooping\"}",
  "truncatedAlerts": 0,
  "status": "firing",
  "receiver": "runbook",
  "groupLabels": {"alertname": "KubePodCrashLooping"},
  "commonLabels": {"alertname": "KubePodCrashLooping"},
  "commonAnnotations": {},
  "externalURL": "http://alertmanager:9093",
  "alerts": [
    {
      "status": "resolved",
      "labels": {"alertname": "KubePodCrashLooping", "namespace": "shop", "pod": "a"},
      "annotations": {},
      "startsAt": "2025-11-25T06:00:00Z",
      "endsAt": "2025-11-25T06:30:00Z",
      "generatorURL": "http://prometheus:9090/graph",
      "fingerprint": "1111111111111111"
    },
    {
      "status": "firing",
      "labels": {"alertname": "KubePodCrashLooping", "namespace": "shop", "pod": "b"},
      "annotations": {"summary": "Pod shop/b is crash looping"},
      "startsAt": "2025-11-25T07:00:00Z",
      "endsAt": "0001-01-01T00:00:00Z",
      "generatorURL": "http://prometheus:9090/graph",
      "fingerprint": "2222222222222222"
    }
  ]
}"#;

    #[test]
    fn a_webhook_payload_gives_every_alert_with_its_status() {
        let alerts = parse(WEBHOOK, "page.json").expect("parses");
        assert_eq!(alerts.len(), 2);
        assert_eq!(alerts[0].status, Status::Resolved);
        assert_eq!(alerts[1].status, Status::Firing);
        assert_eq!(alerts[1].fingerprint, "2222222222222222");
        assert_eq!(alerts[1].summary(), Some("Pod shop/b is crash looping"));
    }

    #[test]
    fn one_alert_or_a_list_of_them() {
        let one = r#"{"labels": {"alertname": "X", "namespace": "shop"}}"#;
        let alerts = parse(one, "-").expect("one");
        assert_eq!(alerts[0].name(), "X");
        let list = format!("[{one}, {one}]");
        assert_eq!(parse(&list, "-").expect("list").len(), 2);
    }

    fn error(text: &str) -> String {
        parse(text, "page.json").expect_err("refused").to_string()
    }

    #[test]
    fn problems_are_reported_at_their_position() {
        assert_eq!(
            error("{\n  \"alerts\": [\n    {\"labels\": {\"alertname\": \"X\"},}\n  ]\n}"),
            "page.json:3:35: error: trailing comma"
        );
        assert_eq!(
            error("{\n  \"alerts\": [\n    {\"labels\": {\"pod\": \"x\"}}\n  ]\n}"),
            "page.json:3:27: error: the alert's labels have no `alertname`"
        );
        assert_eq!(
            error("{\"alerts\": [\n]}"),
            "page.json:2:1: error: the list of alerts is empty"
        );
        assert_eq!(
            error(
                "{\"alerts\": [{\"labels\": {\"alertname\": \"X\"}, \"startsAt\": \"yesterday\"}]}"
            ),
            "page.json:1:67: error: `yesterday` is not an RFC 3339 time like 2025-11-25T07:00:00Z"
        );
        assert_eq!(
            error("\n\n  \"just a string\""),
            "page.json:3:3: error: expected an Alertmanager webhook payload (an object with `alerts`), an alert (an object with `labels`) or a list of alerts"
        );
        assert_eq!(error(""), "page.json:1:1: error: EOF while parsing a value");
    }
}
