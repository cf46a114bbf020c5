//! Listing and loading stored sessions.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use super::JournalError;
use super::read::read_journal;
use super::store::{JOURNAL_FILE, PLAYBOOK_FILE, sessions_dir};
use crate::engine::{Event, Record, Session};
use crate::playbook::model::Playbook;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SessionSummary {
    pub id: String,
    pub playbook: String,
    pub title: String,
    pub started: Option<jiff::Timestamp>,
    pub last_activity: Option<jiff::Timestamp>,
    /// `active`, `ended`, `abandoned` or `damaged`.
    pub state: String,
    pub outcome: Option<String>,
    pub current_step: Option<String>,
    pub drill: Option<String>,
    /// Why it ended early or was abandoned, when the responder said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The fingerprint of the alert that opened the session: the home
    /// screen resumes this session when that alert is still firing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alert_fingerprint: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl SessionSummary {
    pub fn is_active(&self) -> bool {
        self.state == "active"
    }
}

fn summarize(id: String, records: &[Record], warnings: Vec<String>) -> SessionSummary {
    let mut summary = SessionSummary {
        id,
        playbook: String::new(),
        title: String::new(),
        started: records.first().map(|r| r.at),
        last_activity: records.last().map(|r| r.at),
        state: "active".into(),
        outcome: None,
        current_step: None,
        drill: None,
        reason: None,
        alert_fingerprint: None,
        warnings,
    };
    let mut path: Vec<&str> = Vec::new();
    for record in records {
        match &record.event {
            Event::Started {
                playbook,
                title,
                drill,
                alert,
                ..
            } => {
                summary.playbook = playbook.clone();
                summary.title = title.clone();
                summary.drill = drill.as_ref().map(|d| d.scenario.clone());
                summary.alert_fingerprint = alert.as_ref().map(|a| a.fingerprint.clone());
            }
            Event::Entered { step } => path.push(step),
            Event::Back { .. } => {
                path.pop();
            }
            Event::Ended { outcome, reason } => {
                summary.state = "ended".into();
                summary.outcome = Some(outcome.as_str().into());
                summary.reason = reason.clone();
            }
            Event::Abandoned { reason } => {
                summary.state = "abandoned".into();
                summary.reason = Some(reason.clone());
            }
            _ => {}
        }
    }
    summary.current_step = path.last().map(|s| s.to_string());
    summary
}

/// Every session in the data dir, newest first. Unreadable sessions are
/// listed with their problem as a warning rather than hidden.
pub fn list_sessions(data_dir: &Path) -> Result<Vec<SessionSummary>, JournalError> {
    let dir = sessions_dir(data_dir);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(JournalError::Io { path: dir, source }),
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let journal = path.join(JOURNAL_FILE);
        if !journal.is_file() {
            continue;
        }
        let id = entry.file_name().to_string_lossy().into_owned();
        match read_journal(&journal) {
            Ok(j) => {
                let damaged = j.is_damaged();
                let mut s = summarize(id, &j.records, j.warnings);
                if damaged {
                    s.state = "damaged".into();
                }
                out.push(s);
            }
            Err(err) => {
                let mut s = summarize(id, &[], vec![err.to_string()]);
                s.state = "damaged".into();
                out.push(s);
            }
        }
    }
    out.sort_by(|a, b| b.started.cmp(&a.started).then(b.id.cmp(&a.id)));
    Ok(out)
}

/// Finds a session by id or unique id prefix.
pub fn find_session(data_dir: &Path, id_or_prefix: &str) -> Result<PathBuf, JournalError> {
    let dir = sessions_dir(data_dir);
    let exact = dir.join(id_or_prefix);
    if !id_or_prefix.is_empty() && !id_or_prefix.contains('/') && exact.join(JOURNAL_FILE).is_file()
    {
        return Ok(exact);
    }
    let matches: Vec<SessionSummary> = list_sessions(data_dir)?
        .into_iter()
        .filter(|s| s.id.starts_with(id_or_prefix))
        .collect();
    match matches.as_slice() {
        [one] => Ok(dir.join(&one.id)),
        [] => Err(JournalError::UnknownSession(format!(
            "no session `{id_or_prefix}` in {} (see `runbook sessions`)",
            dir.display()
        ))),
        many => Err(JournalError::UnknownSession(format!(
            "`{id_or_prefix}` matches {} sessions: {}",
            many.len(),
            many.iter()
                .map(|s| s.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// A stored session: its pinned playbook, records and the replayed state.
pub struct LoadedSession {
    pub id: String,
    pub dir: PathBuf,
    pub playbook_text: String,
    pub session: Session,
    pub warnings: Vec<String>,
    /// Complete lines that do not parse: the session can be read, not resumed.
    pub damaged: Vec<String>,
}

fn replay_prefix(
    playbook: Arc<Playbook>,
    records: &[Record],
    why: &crate::engine::EngineError,
) -> Session {
    tracing::warn!("a damaged journal replays only up to: {why}");
    let mut session = Session::new(playbook);
    for record in records {
        let mut record = record.clone();
        record.seq = session.next_seq();
        if session.apply(record).is_err() {
            break;
        }
    }
    session
}

pub fn load_session(dir: &Path) -> Result<LoadedSession, JournalError> {
    let playbook_path = dir.join(PLAYBOOK_FILE);
    let playbook_text =
        std::fs::read_to_string(&playbook_path).map_err(|source| JournalError::Io {
            path: playbook_path.clone(),
            source,
        })?;
    let playbook: Playbook = serde_saphyr::from_str(&playbook_text).map_err(|e| {
        JournalError::Other(format!(
            "{}: the pinned playbook does not parse: {e}",
            playbook_path.display()
        ))
    })?;
    let journal = read_journal(&dir.join(JOURNAL_FILE))?;
    let playbook = Arc::new(playbook);
    let session = match Session::replay(playbook.clone(), &journal.records) {
        Ok(session) => session,
        // A damaged journal may lack a record the next one builds on: read
        // as far as it goes, so export still shows what is there.
        Err(e) if journal.is_damaged() => replay_prefix(playbook, &journal.records, &e),
        Err(e) => {
            return Err(JournalError::Other(format!(
                "{}: cannot replay: {e}",
                dir.display()
            )));
        }
    };
    Ok(LoadedSession {
        id: dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        dir: dir.to_path_buf(),
        playbook_text,
        session,
        warnings: journal.warnings,
        damaged: journal.damaged,
    })
}
