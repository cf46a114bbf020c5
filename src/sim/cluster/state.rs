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
        Ok(state)
    }

    /// Written whole or not at all (a temporary file renamed over the
    /// old), readable only by its owner: a kill -9 mid-write leaves the
    /// last good state.
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
        std::fs::rename(&tmp, path)
    }
}
