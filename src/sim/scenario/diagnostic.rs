//! A problem in a scenario file, located by line and column.
//!
//! Shaped like the playbook's diagnostic (path, line, col, message) so the CLI
//! prints both the same way: `path:line:col: error: message`.

use std::fmt;
use std::path::{Path, PathBuf};

use serde_saphyr::{Location, MessageFormatter};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ScenarioError {
    pub path: PathBuf,
    /// 1-based; 0 when the problem has no place in the file (for example it cannot be read).
    pub line: u64,
    pub col: u64,
    pub message: String,
}

impl ScenarioError {
    pub fn new(path: &Path, line: u64, col: u64, message: impl Into<String>) -> Self {
        ScenarioError {
            path: path.to_path_buf(),
            line,
            col,
            message: message.into(),
        }
    }

    pub fn at(path: &Path, location: Location, message: impl Into<String>) -> Self {
        Self::new(path, location.line(), location.column(), message)
    }

    pub(crate) fn from_yaml(path: &Path, err: &serde_saphyr::Error) -> Self {
        let inner = err.without_snippet();
        let message = serde_saphyr::DefaultMessageFormatter
            .format_message(inner)
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect::<String>();
        let (line, col) = inner
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        Self::new(path, line, col, message)
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A problem with no place in the file (it cannot be read) names
        // only the file: `x:0:0` would send an editor to a line that is not there.
        if self.line == 0 {
            return write!(f, "{}: error: {}", self.path.display(), self.message);
        }
        write!(
            f,
            "{}:{}:{}: error: {}",
            self.path.display(),
            self.line,
            self.col,
            self.message
        )
    }
}
