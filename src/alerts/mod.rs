//! Alertmanager as a source of pages: the v2 client (`client`), alerts and
//! their fingerprints (`model`), which playbook an alert opens and the
//! params its labels fill (`matching`), saved webhook payloads
//! (`payload`), silences created from a session (`silence`), and where
//! Alertmanager is (`endpoint`).
//!
//! Matching and payload parsing are pure; the client is async and every
//! request has a deadline.

use std::path::PathBuf;
use std::time::Duration;

use thiserror::Error;

pub mod client;
pub mod endpoint;
pub mod matching;
pub mod model;
pub mod payload;
pub mod silence;

pub use client::{Auth, Client, Endpoint, Secret};
pub use matching::{Filled, Match, MatchedBy, best, matches};
pub use model::{Alert, Labels, Status, fingerprint};

/// Every way talking to Alertmanager fails, each worded to fit on one
/// line of the home screen.
#[derive(Debug, Error)]
pub enum AlertError {
    #[error("Alertmanager URL `{url}` is not usable: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("Alertmanager at {url} is unreachable: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("Alertmanager at {url} did not answer within {}s", after.as_secs_f32())]
    Timeout { url: String, after: Duration },
    #[error("Alertmanager at {url} answered {status}: {message}")]
    Status {
        url: String,
        status: String,
        message: String,
    },
    #[error("Alertmanager at {url} sent an answer runbook cannot read: {reason}")]
    BadAnswer { url: String, reason: String },
    #[error("cannot read the Alertmanager credentials in {path}: {reason}")]
    Credentials { path: PathBuf, reason: String },
    #[error("read-only mode: runbook does not {0}")]
    ReadOnly(&'static str),
    #[error("{0}")]
    Refused(String),
}

/// How urgent a severity label is: critical first, unknown last.
pub fn severity_rank(severity: Option<&str>) -> u8 {
    match severity.map(str::to_ascii_lowercase).as_deref() {
        Some("critical" | "page" | "emergency" | "sev1") => 0,
        Some("error" | "high" | "major" | "sev2") => 1,
        Some("warning" | "warn" | "medium" | "sev3") => 2,
        Some("info" | "low" | "minor" | "none") => 3,
        _ => 4,
    }
}

/// Most urgent first; within a severity, the longest firing first (it has
/// waited longest); then by name, so the order is stable between fetches.
pub fn sort_by_urgency(alerts: &mut [Alert]) {
    alerts.sort_by(|a, b| {
        severity_rank(a.severity())
            .cmp(&severity_rank(b.severity()))
            .then(a.starts_at.cmp(&b.starts_at))
            .then_with(|| a.name().cmp(b.name()))
            .then_with(|| a.fingerprint.cmp(&b.fingerprint))
    });
}
