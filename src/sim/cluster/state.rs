//! The cluster as saved beside a drill's journal: every object, the
//! logs, the clock and what the controllers remember, as one JSON
//! document, so `resume` brings the cluster back as it was.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Cluster;
use super::controllers::kubelet::PullState;
use crate::sim::scenario::LogText;

pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedState {
    pub version: u32,
    /// The scenario it is a state of.
    pub scenario: String,
    /// Simulated time when saved, and when the simulator started.
    pub now: Timestamp,
    pub start: Timestamp,
    pub objects: Vec<Value>,
    pub logs: BTreeMap<String, LogText>,
    /// Which of the scenario's phases have fired.
    pub fired: Vec<bool>,
    #[serde(default)]
    pub pulls: BTreeMap<String, PullState>,
    #[serde(default)]
    pub applied: BTreeMap<String, Value>,
    #[serde(default)]
    pub seq: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("cannot read the saved cluster {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the saved cluster {path} is not a cluster state: {source}")]
    Parse {
        path: String,
        source: serde_json::Error,
    },
    #[error("the saved cluster is version {0}; this runbook reads version {VERSION}")]
    Version(u32),
    #[error("the saved cluster is of scenario {saved:?}, not {wanted:?}")]
    Scenario { saved: String, wanted: String },
    #[error("the saved cluster {path} holds an object the simulator cannot take back: {message}")]
    Object { path: String, message: String },
}

/// The previous good state, kept beside the state (`cluster.json.prev`).
pub fn previous_path(path: &Path) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".prev");
    std::path::PathBuf::from(name)
}

/// What `recover` found: the state to start from, if any, and what was
/// passed over on the way (said to the responder).
#[derive(Debug)]
pub struct Recovered {
    pub state: Option<SavedState>,
    pub notes: Vec<String>,
}

/// The saved state at `path`, or the previous good one if that cannot be
/// taken back (unreadable, or an object a write could not store), or
/// none: a resume never fails on its saved cluster.
pub fn recover(path: &Path) -> Recovered {
    let mut notes = Vec::new();
    match SavedState::read(path) {
        Ok(state) => {
            return Recovered {
                state: Some(state),
                notes,
            };
        }
        Err(StateError::Read { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => notes.push(err.to_string()),
    }
    let previous = previous_path(path);
    if previous.exists() {
        match SavedState::read(&previous) {
            Ok(state) => {
                notes.push(format!(
                    "the drill's cluster resumes from its previous good state ({})",
                    previous.display()
                ));
                return Recovered {
                    state: Some(state),
                    notes,
                };
            }
            Err(err) => notes.push(err.to_string()),
        }
    }
    notes.push(if notes.is_empty() {
        "this drill saved no cluster state; its cluster starts from the scenario again".into()
    } else {
        "the drill's cluster starts from its scenario again".into()
    });
    Recovered { state: None, notes }
}

impl SavedState {
    pub fn of(cluster: &Cluster, scenario: &str) -> SavedState {
        SavedState {
            version: VERSION,
            scenario: scenario.to_string(),
            now: cluster.now(),
            start: cluster.clock.start(),
            objects: cluster.store.iter().map(|o| (**o).clone()).collect(),
            logs: cluster.logs.all().clone(),
            fired: cluster.fired(),
            pulls: cluster.pulls.clone(),
            applied: cluster.applied.clone(),
            seq: cluster.seq,
        }
    }

    pub fn read(path: &Path) -> Result<SavedState, StateError> {
        let text = std::fs::read(path).map_err(|source| StateError::Read {
            path: path.display().to_string(),
            source,
        })?;
        let state: SavedState =
            serde_json::from_slice(&text).map_err(|source| StateError::Parse {
                path: path.display().to_string(),
                source,
            })?;
        if state.version != VERSION {
            return Err(StateError::Version(state.version));
        }
        // Every object must be one a write could store: a bad one would
        // reach the controllers on the first moment of the resumed drill.
        for object in &state.objects {
            let kind = object["kind"].as_str().unwrap_or_default();
            let refused = match crate::sim::api::resources::by_kind(kind) {
                None => Some(format!("kind {kind:?} is not served")),
                Some(_) if !object["metadata"]["name"].is_string() => {
                    Some(format!("a {kind} without metadata.name"))
                }
                Some(_) => crate::sim::api::validation::check(object)
                    .err()
                    .map(|e| format!("{kind} {}: {e}", object["metadata"]["name"])),
            };
            if let Some(message) = refused {
                return Err(StateError::Object {
                    path: path.display().to_string(),
                    message,
                });
            }
        }
        Ok(state)
    }

    /// Written whole or not at all (a temporary file, fsync'd, renamed
    /// over the old, the folder fsync'd), readable only by its owner: a
    /// kill -9 mid-write leaves the last good state. The state it
    /// replaces is kept as `cluster.json.prev` for `recover`.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        use std::io::Write;
        let bytes = serde_json::to_vec(self).map_err(std::io::Error::other)?;
        let tmp = path.with_extension("tmp");
        let mut options = std::fs::OpenOptions::new();
        options.create(true).write(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&tmp)?;
        file.write_all(&bytes)?;
        file.sync_all()?;
        if path.exists() {
            // A hard link: `path` itself never goes missing on the way.
            let previous = previous_path(path);
            let _ = std::fs::remove_file(&previous);
            if std::fs::hard_link(path, &previous).is_err() {
                std::fs::copy(path, &previous)?;
            }
        }
        std::fs::rename(&tmp, path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::File::open(dir)?.sync_all()?;
        }
        Ok(())
    }
}
