//! Session folders on disk: `<data>/sessions/<id>/journal.jsonl` and the exact
//! `playbook.yaml` the session started with. Folders 0700, files 0600; every
//! append is fsync'd before it returns, and new entries are made durable by
//! fsyncing their parent folders.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::{JournalError, Sink};
use crate::engine::{Event, Record};

pub const JOURNAL_FILE: &str = "journal.jsonl";
pub const PLAYBOOK_FILE: &str = "playbook.yaml";

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> JournalError + '_ {
    move |source| JournalError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// `RUNBOOK_DATA_DIR`, else the platform data dir (`~/.local/share/runbook`).
pub fn data_dir() -> Result<PathBuf, JournalError> {
    if let Some(dir) = std::env::var_os("RUNBOOK_DATA_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "runbook")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| {
            JournalError::Other(
                "cannot find a home directory for session data; set RUNBOOK_DATA_DIR".into(),
            )
        })
}

pub fn sessions_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("sessions")
}

/// Makes sure sessions can be written, before any session starts: creates
/// the folders (0700) and writes, fsyncs and removes a probe file.
pub fn ensure_writable(data_dir: &Path) -> Result<(), JournalError> {
    let sessions = sessions_dir(data_dir);
    create_private_dir_all(&sessions)?;
    let probe = sessions.join(format!(".probe-{}", std::process::id()));
    let result = (|| {
        let mut f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&probe)?;
        f.write_all(b"ok")?;
        f.sync_all()
    })();
    let _ = fs::remove_file(&probe);
    result.map_err(|source| JournalError::Io {
        path: sessions,
        source,
    })
}

fn create_private_dir_all(dir: &Path) -> Result<(), JournalError> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(io_err(dir))
}

fn fsync_dir(dir: &Path) -> Result<(), JournalError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_err(dir))
}

/// Writes `bytes` to a new 0600 file and fsyncs it.
pub fn write_private_file(path: &Path, bytes: &[u8]) -> Result<(), JournalError> {
    let mut f = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(io_err(path))?;
    // mode() applies only on creation; an existing file is tightened too.
    f.set_permissions(fs::Permissions::from_mode(0o600))
        .map_err(io_err(path))?;
    f.write_all(bytes).map_err(io_err(path))?;
    f.sync_all().map_err(io_err(path))
}

/// A readable, sortable session id: `20261125-071200-pod-crashloop-3f9a`.
pub fn new_session_id(now: jiff::Timestamp, playbook: &str, entropy: u32) -> String {
    let t = now.strftime("%Y%m%d-%H%M%S");
    let name: String = playbook
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .take(40)
        .collect();
    format!("{t}-{name}-{:04x}", entropy & 0xffff)
}

/// Some entropy for session ids without a random-number crate.
pub fn entropy() -> u32 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    nanos ^ std::process::id().rotate_left(16)
}

/// The journal of one session, open for appending. It holds an exclusive
/// lock on the file, so no second runbook (a second `resume`, `abandon`)
/// can append to a session another one has open.
#[derive(Debug)]
pub struct FileJournal {
    dir: PathBuf,
    file: nix::fcntl::Flock<File>,
    /// The file's length after the last good append: a failed append is
    /// cut back to it, so a full disk never leaves half a line behind.
    len: u64,
}

fn lock(file: File, path: &Path) -> Result<nix::fcntl::Flock<File>, JournalError> {
    nix::fcntl::Flock::lock(file, nix::fcntl::FlockArg::LockExclusiveNonblock).map_err(
        |(_, errno)| match errno {
            nix::errno::Errno::EWOULDBLOCK => JournalError::Busy(path.to_path_buf()),
            other => JournalError::Io {
                path: path.to_path_buf(),
                source: io::Error::from(other),
            },
        },
    )
}

impl FileJournal {
    /// Creates `<data>/sessions/<id>/` with the playbook text and an empty
    /// journal, all fsync'd, folders included.
    pub fn create(data_dir: &Path, id: &str, playbook_text: &str) -> Result<Self, JournalError> {
        let sessions = sessions_dir(data_dir);
        create_private_dir_all(&sessions)?;
        let dir = sessions.join(id);
        fs::DirBuilder::new()
            .mode(0o700)
            .create(&dir)
            .map_err(io_err(&dir))?;
        write_private_file(&dir.join(PLAYBOOK_FILE), playbook_text.as_bytes())?;
        let path = dir.join(JOURNAL_FILE);
        let file = OpenOptions::new()
            .append(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .map_err(io_err(&path))?;
        file.sync_all().map_err(io_err(&path))?;
        fsync_dir(&dir)?;
        fsync_dir(&sessions)?;
        let file = lock(file, &path)?;
        Ok(FileJournal { dir, file, len: 0 })
    }

    /// Opens an existing session for appending. A torn last line (a crash
    /// mid-write) is cut off first so new lines start on a clean line; a
    /// damaged journal (a complete line that does not parse) is refused,
    /// never cut.
    pub fn open(dir: &Path) -> Result<(Self, super::read::Journal), JournalError> {
        let path = dir.join(JOURNAL_FILE);
        let file = OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(io_err(&path))?;
        // Locked before reading, so nobody appends between the read and the cut.
        let file = lock(file, &path)?;
        let journal = super::read::read_journal(&path)?;
        if journal.is_damaged() {
            return Err(JournalError::Damaged(journal.damaged.join("; ")));
        }
        if let Some(valid_len) = journal.truncate_to {
            file.set_len(valid_len).map_err(io_err(&path))?;
            file.sync_all().map_err(io_err(&path))?;
        }
        let len = file.metadata().map_err(io_err(&path))?.len();
        Ok((
            FileJournal {
                dir: dir.to_path_buf(),
                file,
                len,
            },
            journal,
        ))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Sink for FileJournal {
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
        let mut buf = Vec::with_capacity(256 * records.len());
        for record in &records {
            serde_json::to_writer(&mut buf, record)
                .map_err(|e| JournalError::Other(format!("cannot encode a journal record: {e}")))?;
            buf.push(b'\n');
        }
        let path = self.dir.join(JOURNAL_FILE);
        // One write of whole lines, then fsync: a crash leaves at most a torn
        // last line, which reading skips.
        let written = self
            .file
            .write_all(&buf)
            .and_then(|()| self.file.sync_data());
        if let Err(e) = written {
            // A short write (a full disk) is cut back, so the next append
            // starts on a clean line and nothing half-written is left.
            if let Err(cut) = self.file.set_len(self.len) {
                tracing::error!(
                    "cannot cut a failed append back in {}: {cut}",
                    path.display()
                );
            }
            return Err(JournalError::Io { path, source: e });
        }
        self.len += buf.len() as u64;
        Ok(records)
    }
}
