//! What reaches `update`: the responder's keys, the clock, the cluster, and
//! the answers to effects. Every answer names the request it answers, so a
//! late reply can never land in another request's window.

use ratatui::crossterm::event::KeyEvent;

use crate::engine::Record;
use crate::kinds::snapshot::Snapshot;

/// Numbers every async request of a session (journal writes, commands,
/// actions, previews, fetches, check jobs); only ever goes up.
pub type RequestId = u64;

#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    Resize(u16, u16),
    /// The clock moved (once a second).
    Tick(jiff::Timestamp),
    Cluster(Box<Snapshot>),
    /// The journal's answer to `Effect::Journal { id, .. }`.
    Journaled {
        id: RequestId,
        result: Result<Vec<Record>, String>,
    },
    /// The terminal went away (SIGHUP, EOF/EIO on input) or SIGTERM.
    Hangup(String),
    /// Quitting took too long: what still runs is journaled as interrupted.
    QuitDeadline,
    /// A background task failed; shown, never a garbled screen.
    TaskFailed(String),
    /// Output or the end of the command started as request `id`.
    Command {
        id: RequestId,
        event: crate::exec::runner::RunEvent,
    },
    /// The dry run of an action.
    ActionPreview {
        id: RequestId,
        result: Result<String, String>,
    },
    ActionProgress {
        id: RequestId,
        progress: crate::cluster::drain::Progress,
    },
    ActionDone {
        id: RequestId,
        result: Result<String, String>,
    },
    /// An object described, or a pod's logs.
    Detail {
        id: RequestId,
        result: Result<Vec<String>, String>,
    },
    /// A check job's results.
    Checked {
        id: RequestId,
        evaluated: Box<crate::checks::Evaluated>,
    },
    /// Lines of a followed log.
    LogLines {
        id: RequestId,
        lines: Vec<String>,
    },
    /// A followed log ended, and why.
    LogsEnded {
        id: RequestId,
        why: String,
    },
    /// A change a command made through the session's gateway.
    ApiWrite(Box<crate::cluster::gateway::ApiWrite>),
    /// A drill's goal was reached; it held from this time.
    GoalReached(jiff::Timestamp),
    SilenceCreated {
        id: RequestId,
        result: Result<crate::alerts::silence::Silence, String>,
    },
    SilenceExpired {
        id: RequestId,
        silence: String,
        result: Result<(), String>,
    },
}
