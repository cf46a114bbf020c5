//! `runbook.log`, bounded: when the file would pass its size it is moved
//! to `runbook.log.1` (the older ones shift up, the oldest goes), so the
//! log folder never holds more than `(1 + kept) x file_bytes`. A flood of
//! log lines (50,000 refused requests) costs disk once, never without end.
//! tracing-appender rolls by time only, so this is the writer.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};

/// How large the log may grow.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// One file's size before it is rotated.
    pub file_bytes: u64,
    /// Rotated files kept beside the current one.
    pub kept: usize,
}

/// 3 MiB and two rotated files: under 10 MB in all.
pub const LIMITS: Limits = Limits {
    file_bytes: 3 << 20,
    kept: 2,
};

/// The log file, rotated by size. 0600: it names clusters, namespaces and
/// pods.
pub struct LogFile {
    path: PathBuf,
    limits: Limits,
    file: File,
    written: u64,
}

fn open_append(path: &Path) -> io::Result<File> {
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)?;
    // A log an older runbook created 0644 is tightened too.
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    Ok(file)
}

impl LogFile {
    /// Opens (appends to) `dir/name`.
    pub fn open(dir: &Path, name: &str, limits: Limits) -> io::Result<LogFile> {
        let path = dir.join(name);
        let file = open_append(&path)?;
        let written = file.metadata()?.len();
        Ok(LogFile {
            path,
            limits,
            file,
            written,
        })
    }

    fn rotated(&self, n: usize) -> PathBuf {
        let mut name = self.path.clone().into_os_string();
        name.push(format!(".{n}"));
        PathBuf::from(name)
    }

    /// `name.1` → `name.2` ..., the oldest dropped, `name` → `name.1`, and
    /// a fresh `name`. When a rename fails the file is emptied instead:
    /// the cap holds either way.
    fn rotate(&mut self) -> io::Result<()> {
        self.file.flush()?;
        let moved = if self.limits.kept == 0 {
            false
        } else {
            for n in (1..self.limits.kept).rev() {
                let from = self.rotated(n);
                if from.exists() {
                    std::fs::rename(&from, self.rotated(n + 1))?;
                }
            }
            std::fs::rename(&self.path, self.rotated(1)).is_ok()
        };
        if moved {
            self.file = open_append(&self.path)?;
        } else {
            self.file.set_len(0)?;
        }
        self.written = 0;
        Ok(())
    }
}

impl Write for LogFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.written > 0 && self.written + buf.len() as u64 > self.limits.file_bytes {
            self.rotate()?;
        }
        let n = self.file.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// The subscriber `init_logging` installs, writing to `file`: no colours,
/// `RUST_LOG` or `default` as the filter.
pub fn subscriber(file: LogFile, default: &str) -> impl tracing::Subscriber + Send + Sync {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder_bytes(dir: &Path) -> u64 {
        std::fs::read_dir(dir)
            .expect("dir")
            .map(|e| e.expect("entry").metadata().expect("metadata").len())
            .sum()
    }

    #[test]
    fn fifty_thousand_lines_leave_the_log_folder_under_its_cap() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = LogFile::open(dir.path(), "runbook.log", LIMITS).expect("open");
        let cap = (1 + LIMITS.kept as u64) * LIMITS.file_bytes;
        tracing::subscriber::with_default(subscriber(file, "info"), || {
            for i in 0..50_000 {
                tracing::info!(
                    by = "kubectl -n shop delete pod web-1",
                    method = "DELETE",
                    path = "/api/v1/namespaces/shop/pods/web-1",
                    "gateway: refused (read-only) attempt {i} of a flood of refused requests"
                );
            }
        });
        let total = folder_bytes(dir.path());
        assert!(total > LIMITS.file_bytes, "the flood was logged: {total}");
        assert!(total <= cap, "{total} bytes > the cap {cap}");
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["runbook.log", "runbook.log.1", "runbook.log.2"]);
        let newest = std::fs::read_to_string(dir.path().join("runbook.log")).expect("log");
        assert!(
            newest.contains("attempt 49999 of"),
            "the newest lines are kept"
        );
        let mode = std::fs::metadata(dir.path().join("runbook.log.1"))
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn nothing_is_kept_beyond_the_current_file_when_asked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let limits = Limits {
            file_bytes: 100,
            kept: 0,
        };
        let mut file = LogFile::open(dir.path(), "x.log", limits).expect("open");
        for _ in 0..50 {
            file.write_all(b"0123456789012345678901234567890123456789\n")
                .expect("write");
        }
        assert!(folder_bytes(dir.path()) <= 100);
    }
}
