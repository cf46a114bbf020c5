//! The drill's Alertmanager v2 API, on the simulator's own port under
//! `/api/v2/`: the scenario's `alerts` fire from the start and resolve
//! when the scenario's goal is reached (as the referee judges it);
//! silences are kept for the drill. Shapes are those `alerts::` reads.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use serde_json::{Value, json};

use super::status::{ApiError, json_response};
use super::{Params, SimState, is_true};
use crate::alerts::fingerprint;
use crate::sim::scenario::Alert;

/// A silence as the drill's Alertmanager keeps it.
#[derive(Debug, Clone)]
pub struct Silence {
    pub id: String,
    pub matchers: Vec<Matcher>,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub created_by: String,
    pub comment: String,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Matcher {
    pub name: String,
    pub value: String,
    #[serde(default)]
    pub is_regex: bool,
    #[serde(default = "yes")]
    pub is_equal: bool,
}

fn yes() -> bool {
    true
}

impl Matcher {
    fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let value = labels.get(&self.name).map(String::as_str).unwrap_or("");
        let hit = if self.is_regex {
            regex::Regex::new(&format!("^(?:{})$", self.value))
                .map(|r| r.is_match(value))
                .unwrap_or(false)
        } else {
            value == self.value
        };
        hit == self.is_equal
    }
}

impl Silence {
    fn state(&self, now: Timestamp) -> &'static str {
        if now < self.starts_at {
            "pending"
        } else if now < self.ends_at {
            "active"
        } else {
            "expired"
        }
    }

    fn silences(&self, labels: &BTreeMap<String, String>, now: Timestamp) -> bool {
        self.state(now) == "active" && self.matchers.iter().all(|m| m.matches(labels))
    }

    fn to_json(&self, now: Timestamp) -> Value {
        json!({
            "id": self.id,
            "status": { "state": self.state(now) },
            "updatedAt": self.updated_at,
            "matchers": self.matchers,
            "startsAt": self.starts_at,
            "endsAt": self.ends_at,
            "createdBy": self.created_by,
            "comment": self.comment,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Postable {
    #[serde(default)]
    id: Option<String>,
    matchers: Vec<Matcher>,
    starts_at: Timestamp,
    ends_at: Timestamp,
    #[serde(default)]
    created_by: String,
    #[serde(default)]
    comment: String,
}

fn error(code: StatusCode, message: &str) -> Response {
    (code, message.to_string()).into_response()
}

pub(crate) fn serve(
    state: &Arc<SimState>,
    method: &Method,
    path: &str,
    params: &Params,
    body: &[u8],
) -> Response {
    match (method.clone(), path) {
        (Method::GET, "alerts") => alerts(state, params),
        (Method::GET, "silences") => {
            let now = state.cluster().now();
            let silences = state.silences();
            let all: Vec<Value> = silences.iter().map(|s| s.to_json(now)).collect();
            json_response(StatusCode::OK, &json!(all))
        }
        (Method::POST, "silences") => create(state, body),
        (Method::GET, "status") => json_response(
            StatusCode::OK,
            &json!({ "versionInfo": { "version": "0.28.0-runbook-sim" }, "cluster": { "status": "ready", "peers": [] } }),
        ),
        (method, rest) => match rest.strip_prefix("silence/") {
            Some(id) if method == Method::GET => {
                let now = state.cluster().now();
                match state.silences().iter().find(|s| s.id == id) {
                    Some(s) => json_response(StatusCode::OK, &s.to_json(now)),
                    None => error(StatusCode::NOT_FOUND, "silence not found"),
                }
            }
            Some(id) if method == Method::DELETE => {
                let now = state.cluster().now();
                let mut silences = state.silences();
                match silences.iter_mut().find(|s| s.id == id) {
                    Some(s) => {
                        if s.ends_at > now {
                            s.ends_at = now;
                            s.updated_at = now;
                        }
                        StatusCode::OK.into_response()
                    }
                    None => error(StatusCode::NOT_FOUND, "silence not found"),
                }
            }
            _ => ApiError::page_not_found().into_response(),
        },
    }
}

/// `GET /api/v2/alerts?active=&silenced=&inhibited=`: the firing alerts
/// (resolved ones are gone, as from a real Alertmanager).
fn alerts(state: &Arc<SimState>, params: &Params) -> Response {
    let flag = |name: &str| params.get(name).is_none_or(|v| is_true(Some(v)));
    // `inhibited` filters nothing: the drill's Alertmanager has no inhibition rules.
    let (active, silenced) = (flag("active"), flag("silenced"));
    let cluster = state.cluster();
    let now = cluster.now();
    let started = cluster.clock.start();
    let resolved = cluster
        .referee
        .as_ref()
        .is_some_and(|r| r.state().is_reached());
    drop(cluster);
    if resolved {
        return json_response(StatusCode::OK, &json!([]));
    }
    let silences = state.silences();
    let mut out = Vec::new();
    for alert in &state.alerts {
        let by: Vec<&str> = silences
            .iter()
            .filter(|s| s.silences(&alert.labels, now))
            .map(|s| s.id.as_str())
            .collect();
        if (by.is_empty() && !active) || (!by.is_empty() && !silenced) {
            continue;
        }
        out.push(gettable(alert, &by, started, now));
    }
    json_response(StatusCode::OK, &json!(out))
}

fn gettable(alert: &Alert, silenced_by: &[&str], started: Timestamp, now: Timestamp) -> Value {
    let labels: BTreeMap<String, String> = alert.labels.clone();
    json!({
        "labels": labels,
        "annotations": alert.annotations,
        "fingerprint": fingerprint(&labels),
        "startsAt": started,
        "updatedAt": now,
        "endsAt": now + SignedDuration::from_mins(5),
        "receivers": [ { "name": "drill" } ],
        "status": {
            "state": if silenced_by.is_empty() { "active" } else { "suppressed" },
            "silencedBy": silenced_by,
            "inhibitedBy": [],
        },
    })
}

fn create(state: &Arc<SimState>, body: &[u8]) -> Response {
    let posted: Postable = match serde_json::from_slice(body) {
        Ok(p) => p,
        Err(e) => return error(StatusCode::BAD_REQUEST, &e.to_string()),
    };
    if posted.matchers.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            "silence invalid: at least one matcher required",
        );
    }
    if posted.ends_at <= posted.starts_at {
        return error(
            StatusCode::BAD_REQUEST,
            "silence invalid: end time must not be before start time",
        );
    }
    let now = state.cluster().now();
    let mut silences = state.silences();
    let id = match posted.id.filter(|i| !i.is_empty()) {
        Some(id) if silences.iter().any(|s| s.id == id) => id,
        Some(_) => return error(StatusCode::NOT_FOUND, "silence not found"),
        None => crate::sim::cluster::store::uid_for(&format!(
            "silence/{}/{}",
            silences.len(),
            now.as_nanosecond()
        )),
    };
    // The client's times are wall-clock times; the drill's clock may run
    // faster or stand still (tests): kept as offsets from the client's now.
    let wall = Timestamp::now();
    let sim = |t: Timestamp| now.checked_add(t.duration_since(wall)).unwrap_or(now);
    let silence = Silence {
        id: id.clone(),
        matchers: posted.matchers,
        starts_at: sim(posted.starts_at).max(now),
        ends_at: sim(posted.ends_at),
        created_by: posted.created_by,
        comment: posted.comment,
        updated_at: now,
    };
    match silences.iter_mut().find(|s| s.id == id) {
        Some(existing) => *existing = silence,
        None => silences.push(silence),
    }
    json_response(StatusCode::OK, &json!({ "silenceID": id }))
}
