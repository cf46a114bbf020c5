//! Append-only JSON Lines journal per session; replay; export.

use thiserror::Error;

use crate::engine::{Event, Record};

pub mod export;
pub mod export_alert;
pub mod read;
pub mod sessions;
pub mod store;

pub use sessions::{LoadedSession, SessionSummary, find_session, list_sessions, load_session};
pub use store::{FileJournal, data_dir, ensure_writable};

#[derive(Debug, Error)]
pub enum JournalError {
    #[error("{path}: {source}")]
    Io {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}: the session is open in another runbook; quit that one first")]
    Busy(std::path::PathBuf),
    #[error(
        "the journal is damaged (a complete line does not parse: {0}); it is kept as it is and nothing is appended to it; `runbook export` still reads it"
    )]
    Damaged(String),
    /// No session, or more than one, answers to the id given (a usage
    /// error for the commands).
    #[error("{0}")]
    UnknownSession(String),
    #[error("{0}")]
    Other(String),
}

/// Where journal events become durable. `append` returns only after the
/// records are written and fsync'd; the records carry `first_seq..` and `at`.
pub trait Sink: Send {
    fn append(
        &mut self,
        first_seq: u64,
        at: jiff::Timestamp,
        events: Vec<Event>,
    ) -> Result<Vec<Record>, JournalError>;
}

/// A sink that keeps records in memory, for tests and dry runs.
#[derive(Debug, Default)]
pub struct MemorySink {
    pub records: Vec<Record>,
}

impl Sink for MemorySink {
    fn append(
        &mut self,
        first_seq: u64,
        at: jiff::Timestamp,
        events: Vec<Event>,
    ) -> Result<Vec<Record>, JournalError> {
        let records: Vec<Record> = events
            .into_iter()
            .enumerate()
            .map(|(i, event)| Record {
                seq: first_seq + i as u64,
                at,
                event,
            })
            .collect();
        self.records.extend(records.iter().cloned());
        Ok(records)
    }
}

#[cfg(test)]
mod tests;
