//! A problem in a file, printed as `path:line:col: error: message` (with the
//! offending snippet on the following lines where there is one).

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    /// 1-based; 0 when the problem has no position (a missing file).
    pub line: u64,
    pub col: u64,
    pub severity: Severity,
    pub message: String,
    pub snippet: Option<String>,
    /// Text to find in the source at or after the position: where the
    /// problem really is (a template inside a step's text).
    pub find: Option<String>,
}

impl Diagnostic {
    pub fn error(path: &Path, line: u64, col: u64, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_path_buf(),
            line,
            col,
            severity: Severity::Error,
            message: message.into(),
            snippet: None,
            find: None,
        }
    }

    pub fn warning(path: &Path, line: u64, col: u64, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, col, message)
        }
    }

    /// At a span-aware value's position.
    pub fn at<T>(
        path: &Path,
        spanned: &serde_saphyr::Spanned<T>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic::error(
            path,
            spanned.referenced.line(),
            spanned.referenced.column(),
            message,
        )
    }

    /// The same problem as a warning: worth fixing, but the file loads.
    pub fn as_warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Points the diagnostic at `needle`'s first occurrence at or after its
    /// position, once the source text is at hand.
    pub fn finding(mut self, needle: impl Into<String>) -> Self {
        self.find = Some(needle.into());
        self
    }

    /// Moves to the `find` text (if it occurs) and adds the source line.
    pub fn with_snippet_from(mut self, source: &str) -> Self {
        if let Some(needle) = self.find.take()
            && let Some((line, col)) = locate(source, self.line, &needle)
        {
            (self.line, self.col) = (line, col);
        }
        self.snippet = snippet(source, self.line, self.col);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// (line, column), 1-based, of `needle`'s first occurrence on or after
/// line `from`.
fn locate(source: &str, from: u64, needle: &str) -> Option<(u64, u64)> {
    source
        .lines()
        .enumerate()
        .skip(from.saturating_sub(1) as usize)
        .find_map(|(i, line)| {
            line.find(needle)
                .map(|at| (i as u64 + 1, line[..at].chars().count() as u64 + 1))
        })
}

/// The source line with a caret under the column.
pub fn snippet(source: &str, line: u64, col: u64) -> Option<String> {
    if line == 0 {
        return None;
    }
    let text = source.lines().nth(line as usize - 1)?;
    let number = line.to_string();
    let pad = " ".repeat(number.len());
    let caret = " ".repeat(col.saturating_sub(1) as usize);
    Some(format!("{pad} |\n{number} | {text}\n{pad} | {caret}^"))
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if self.line == 0 {
            write!(f, "{}: {kind}: {}", self.path.display(), self.message)?;
        } else {
            write!(
                f,
                "{}:{}:{}: {kind}: {}",
                self.path.display(),
                self.line,
                self.col,
                self.message
            )?;
        }
        if let Some(snippet) = &self.snippet {
            write!(f, "\n{snippet}")?;
        }
        Ok(())
    }
}
