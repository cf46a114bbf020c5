//! Reading a journal back. Only a torn tail (a last line with no newline,
//! what a crash mid-write leaves) is skipped, and cut before the next
//! append. A complete line that does not parse is not a crash artefact: it
//! marks the session damaged and is kept on disk, never cut. Records an
//! older runbook numbered twice are renumbered in order, with a warning;
//! nothing is dropped.

use std::path::Path;

use super::JournalError;
use crate::engine::Record;

#[derive(Debug, Default)]
pub struct Journal {
    pub records: Vec<Record>,
    pub warnings: Vec<String>,
    /// Set when the file ends in a torn line: the length of the valid prefix.
    pub truncate_to: Option<u64>,
    /// Complete lines that do not parse, as `path:line: reason`.
    pub damaged: Vec<String>,
}

impl Journal {
    pub fn is_damaged(&self) -> bool {
        !self.damaged.is_empty()
    }
}

pub fn read_journal(path: &Path) -> Result<Journal, JournalError> {
    let bytes = std::fs::read(path).map_err(|source| JournalError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(parse_journal(&bytes, path))
}

pub fn parse_journal(bytes: &[u8], path: &Path) -> Journal {
    let mut journal = Journal::default();
    let mut offset = 0usize;
    let lines: Vec<&[u8]> = bytes.split_inclusive(|b| *b == b'\n').collect();
    for (index, line) in lines.iter().enumerate() {
        let number = index + 1;
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
        match (parsed, complete) {
            (Ok(record), true) => journal.records.push(record),
            // Without its newline a record was never acknowledged as
            // durable; only the last line can lack one.
            (_, false) => {
                journal.warnings.push(format!(
                    "{}:{number}: warning: skipped a torn last line (the session was cut off mid-write)",
                    path.display()
                ));
                journal.truncate_to = Some(offset as u64);
            }
            (Err(reason), true) => {
                let problem = format!("{}:{number}: {reason}", path.display());
                journal.warnings.push(format!(
                    "{}:{number}: error: a complete line does not parse ({reason}); the session is marked damaged and the line is kept",
                    path.display()
                ));
                journal.damaged.push(problem);
            }
        }
        offset += line.len();
    }
    renumber(&mut journal, path);
    journal
}

/// Gives records strictly increasing numbers from 1, in file order.
fn renumber(journal: &mut Journal, path: &Path) {
    let mut changed = 0;
    for (i, record) in journal.records.iter_mut().enumerate() {
        let seq = i as u64 + 1;
        if record.seq != seq {
            record.seq = seq;
            changed += 1;
        }
    }
    if changed > 0 {
        journal.warnings.push(format!(
            "{}: warning: {changed} records were out of sequence (duplicate numbers from an older runbook) and were renumbered in file order; nothing was dropped",
            path.display()
        ));
    }
}
