//! Reading a journal back. A torn or corrupt *last* line is what a crash
//! mid-write leaves: it is skipped with a warning and nothing before it is
//! lost. A corrupt line with valid lines after it is not a crash artefact;
//! it is an error naming the line, so damage is never silently dropped.

use std::path::Path;

use super::JournalError;
use crate::engine::Record;

#[derive(Debug, Default)]
pub struct Journal {
    pub records: Vec<Record>,
    pub warnings: Vec<String>,
    /// Set when the file ends in a torn line: the length of the valid prefix.
    pub truncate_to: Option<u64>,
}

pub fn read_journal(path: &Path) -> Result<Journal, JournalError> {
    let bytes = std::fs::read(path).map_err(|source| JournalError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse_journal(&bytes, path)
}

pub fn parse_journal(bytes: &[u8], path: &Path) -> Result<Journal, JournalError> {
    let mut journal = Journal::default();
    let mut offset = 0usize;
    let lines: Vec<&[u8]> = bytes.split_inclusive(|b| *b == b'\n').collect();
    for (index, line) in lines.iter().enumerate() {
        let number = index + 1;
        let is_last = index + 1 == lines.len();
        let complete = line.ends_with(b"\n");
        let text = line.strip_suffix(b"\n").unwrap_or(line);
        let parsed = std::str::from_utf8(text)
            .map_err(|e| e.to_string())
            .and_then(|t| {
                if t.trim().is_empty() {
                    Err("empty line".to_string())
                } else {
                    serde_json::from_str::<Record>(t).map_err(|e| e.to_string())
                }
            });
        match parsed {
            Ok(record) if complete => journal.records.push(record),
            // Without its newline a record was never acknowledged as durable.
            _ if is_last => {
                journal.warnings.push(format!(
                    "{}:{number}: warning: skipped a torn last line (the session was cut off mid-write)",
                    path.display()
                ));
                journal.truncate_to = Some(offset as u64);
            }
            Ok(record) => journal.records.push(record),
            Err(reason) => {
                return Err(JournalError::Other(format!(
                    "{}:{number}: error: corrupt journal line: {reason}",
                    path.display()
                )));
            }
        }
        offset += line.len();
    }
    Ok(journal)
}
