//! Silences created from a session: for the alert's exact labels, for a
//! duration the responder chose, with a comment naming the session and the
//! responder so whoever looks at Alertmanager knows who is on it. Both
//! calls are refused in read-only mode before any request is sent.

use std::time::Duration;

use hyper::Method;
use serde::{Deserialize, Serialize};

use super::AlertError;
use super::client::Client;
use super::model::{Alert, Labels};
use crate::engine::Event;

/// Durations a responder may ask for: long enough to work, short enough
/// that a forgotten silence does not hide the next incident for a month.
pub const MIN_DURATION: Duration = Duration::from_secs(60);
pub const MAX_DURATION: Duration = Duration::from_secs(7 * 24 * 3600);

/// What is sent to Alertmanager, and what the journal keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SilenceRequest {
    /// Label equality matchers: every label of the alert.
    pub matchers: Labels,
    pub starts_at: jiff::Timestamp,
    pub ends_at: jiff::Timestamp,
    pub created_by: String,
    pub comment: String,
}

/// A silence Alertmanager accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Silence {
    pub id: String,
    pub request: SilenceRequest,
}

/// The comment every silence from a session carries.
pub fn comment(session: &str, responder: &str, alert_name: &str) -> String {
    format!("runbook session {session}: {responder} is working on {alert_name}")
}

/// `30m`, `2h`, `1h 30m`, within MIN_DURATION..=MAX_DURATION.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let d = humantime::parse_duration(text.trim())
        .map_err(|e| format!("`{}` is not a duration like 30m or 2h: {e}", text.trim()))?;
    if d < MIN_DURATION || d > MAX_DURATION {
        return Err("a silence lasts between 1m and 7d".into());
    }
    Ok(d)
}

impl SilenceRequest {
    /// A silence of `alert` from `now` for `duration`. `session` is the
    /// session id and `responder` who is working on it (`user@host`);
    /// `created_by` is the user.
    pub fn for_alert(
        alert: &Alert,
        now: jiff::Timestamp,
        duration: Duration,
        session: &str,
        user: &str,
        host: &str,
    ) -> Result<SilenceRequest, AlertError> {
        SilenceRequest::for_labels(&alert.labels, now, duration, session, user, host)
    }

    /// As `for_alert`, from the labels alone: what a running session has
    /// of its alert (`Session::alert()`, the journaled `OpeningAlert`).
    pub fn for_labels(
        labels: &Labels,
        now: jiff::Timestamp,
        duration: Duration,
        session: &str,
        user: &str,
        host: &str,
    ) -> Result<SilenceRequest, AlertError> {
        let name = labels.get("alertname").map_or("the alert", String::as_str);
        let span = jiff::SignedDuration::try_from(duration)
            .map_err(|e| AlertError::Refused(format!("duration: {e}")))?;
        let ends_at = now
            .checked_add(span)
            .map_err(|e| AlertError::Refused(format!("duration: {e}")))?;
        Ok(SilenceRequest {
            matchers: labels.clone(),
            starts_at: now,
            ends_at,
            created_by: user.to_string(),
            comment: comment(session, &format!("{user}@{host}"), name),
        })
    }
}

impl Silence {
    /// The journal record of this silence.
    pub fn event(&self) -> Event {
        Event::Silenced {
            id: self.id.clone(),
            matchers: self.request.matchers.clone(),
            until: self.request.ends_at,
            created_by: self.request.created_by.clone(),
            comment: self.request.comment.clone(),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Postable<'a> {
    matchers: Vec<Matcher<'a>>,
    starts_at: jiff::Timestamp,
    ends_at: jiff::Timestamp,
    created_by: &'a str,
    comment: &'a str,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Matcher<'a> {
    name: std::borrow::Cow<'a, str>,
    value: std::borrow::Cow<'a, str>,
    is_regex: bool,
    #[serde(default = "yes")]
    is_equal: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Created {
    #[serde(rename = "silenceID")]
    silence_id: String,
}

/// `POST /api/v2/silences`. Refused in read-only mode without a request.
pub async fn create(
    client: &Client,
    request: SilenceRequest,
    read_only: bool,
) -> Result<Silence, AlertError> {
    if read_only {
        return Err(AlertError::ReadOnly("create a silence"));
    }
    if request.matchers.is_empty() {
        return Err(AlertError::Refused(
            "a silence needs at least one label".into(),
        ));
    }
    let body = Postable {
        matchers: request
            .matchers
            .iter()
            .map(|(k, v)| Matcher {
                name: k.into(),
                value: v.into(),
                is_regex: false,
                is_equal: true,
            })
            .collect(),
        starts_at: request.starts_at,
        ends_at: request.ends_at,
        created_by: &request.created_by,
        comment: &request.comment,
    };
    let json = serde_json::to_vec(&body).map_err(|e| client.bad_answer(e))?;
    let answer = client
        .send(Method::POST, "/api/v2/silences", Some(json))
        .await?;
    let created: Created = serde_json::from_slice(&answer).map_err(|e| client.bad_answer(e))?;
    Ok(Silence {
        id: crate::sanitize::line(&created.silence_id),
        request,
    })
}

/// `DELETE /api/v2/silence/{id}`: the silence ends now (Alertmanager keeps
/// it, expired). Refused in read-only mode without a request.
pub async fn expire(client: &Client, id: &str, read_only: bool) -> Result<(), AlertError> {
    if read_only {
        return Err(AlertError::ReadOnly("expire a silence"));
    }
    // Ids are UUIDs; anything else would change the path.
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Err(AlertError::Refused(format!("`{id}` is not a silence id")));
    }
    client
        .send(Method::DELETE, &format!("/api/v2/silence/{id}"), None)
        .await
        .map(|_| ())
}

/// A silence as Alertmanager reports it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SilenceState {
    pub id: String,
    /// `active`, `pending` or `expired`.
    pub state: String,
    pub ends_at: jiff::Timestamp,
    pub created_by: String,
    pub comment: String,
    pub matchers: Labels,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Gettable {
    id: String,
    status: GettableStatus,
    ends_at: jiff::Timestamp,
    created_by: String,
    comment: String,
    matchers: Vec<Matcher<'static>>,
}

#[derive(Deserialize)]
struct GettableStatus {
    state: String,
}

/// `GET /api/v2/silence/{id}`: whether a session's silence is still on
/// (what the session's end asks before offering to expire it).
pub async fn get(client: &Client, id: &str) -> Result<SilenceState, AlertError> {
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Err(AlertError::Refused(format!("`{id}` is not a silence id")));
    }
    let answer = client
        .send(Method::GET, &format!("/api/v2/silence/{id}"), None)
        .await?;
    let g: Gettable = serde_json::from_slice(&answer).map_err(|e| client.bad_answer(e))?;
    let line = crate::sanitize::line;
    Ok(SilenceState {
        id: line(&g.id),
        state: line(&g.status.state),
        ends_at: g.ends_at,
        created_by: line(&g.created_by),
        comment: line(&g.comment),
        matchers: g
            .matchers
            .into_iter()
            .filter(|m| !m.is_regex && m.is_equal)
            .map(|m| (line(&m.name), line(&m.value)))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::model::Status;

    #[test]
    fn a_silence_request_covers_the_alerts_labels_and_names_the_session() {
        let alert = Alert {
            fingerprint: "f".into(),
            labels: [("alertname", "KubePodCrashLooping"), ("pod", "a")]
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .into(),
            annotations: Labels::new(),
            starts_at: None,
            ends_at: None,
            generator_url: None,
            status: Status::Firing,
        };
        let now = jiff::Timestamp::from_second(1_764_054_000).expect("time");
        let req = SilenceRequest::for_alert(
            &alert,
            now,
            Duration::from_secs(7200),
            "20251125-070000-pod-crashloop-ab12",
            "alice",
            "bastion",
        )
        .expect("request");
        assert_eq!(req.matchers, alert.labels);
        assert_eq!(req.ends_at.as_second() - req.starts_at.as_second(), 7200);
        assert_eq!(
            req.comment,
            "runbook session 20251125-070000-pod-crashloop-ab12: alice@bastion is working on KubePodCrashLooping"
        );
        assert_eq!(req.created_by, "alice");
        let journaled = alert.opening();
        let again = SilenceRequest::for_labels(
            &journaled.labels,
            now,
            Duration::from_secs(7200),
            "20251125-070000-pod-crashloop-ab12",
            "alice",
            "bastion",
        )
        .expect("request");
        assert_eq!(again, req, "the journaled alert silences the same");
    }

    #[test]
    fn durations_are_bounded() {
        assert_eq!(parse_duration(" 1h 30m "), Ok(Duration::from_secs(5400)));
        assert!(parse_duration("10s").is_err());
        assert!(parse_duration("30d").is_err());
        assert!(
            parse_duration("soon")
                .expect_err("bad")
                .contains("not a duration")
        );
    }
}
