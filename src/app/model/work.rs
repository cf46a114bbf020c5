//! Work in flight, beside the window stack and not in it: journal writes,
//! commands, actions and their dry runs, each under its request id. A
//! window only shows an entry; closing the window never loses the work,
//! and an outcome is journaled whatever is on screen.

use std::collections::BTreeMap;

use super::msg::RequestId;
use crate::cluster::actions::ActionRequest;
use crate::exec::runner::Finish;

/// Most output lines kept on screen for one command (the whole output is
/// in its file).
pub const OUTPUT_LINES: usize = 5_000;
/// Finished commands and actions kept for `o` to show again.
const FINISHED_KEPT: usize = 16;

/// What a journal write is for, beyond being durable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WritePurpose {
    Plain,
    /// The session quits once it is durable (a note saved on hang-up).
    ThenQuit,
    /// The action under this id starts once its `action_started` is
    /// durable, so a crash mid-action leaves evidence of it.
    ThenExecute(RequestId),
}

#[derive(Debug, Clone)]
pub struct CommandRun {
    pub argv: Vec<String>,
    /// The cluster it was started against (its credential's context).
    pub cluster: ClusterRef,
    /// `edited` or `typed`; none for a playbook command as written.
    pub origin: Option<String>,
    /// The responder's reason for running it outside the session's cluster.
    pub outside: Option<String>,
    /// The step it was started from.
    pub step: String,
    /// The last `OUTPUT_LINES` lines.
    pub lines: Vec<String>,
    /// Lines dropped from the front of `lines`.
    pub dropped: usize,
    pub finish: Option<Finish>,
}

/// Which cluster a command or action went to, for its journal record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClusterRef {
    pub context: Option<String>,
    /// The context's API server URL.
    pub server: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ActionRun {
    pub request: ActionRequest,
    /// The cluster it was confirmed for.
    pub cluster: ClusterRef,
    pub step: String,
    pub dry_run: String,
    pub lines: Vec<String>,
    /// A drain's pods, one line each, updated in place.
    pub drain: crate::cluster::drain::DrainView,
    /// The responder asked it to stop (`x`).
    pub stopping: bool,
    pub done: Option<Result<String, String>>,
}

#[derive(Debug, Clone)]
pub struct Preview {
    pub request: ActionRequest,
    pub result: Option<Result<String, String>>,
}

#[derive(Debug, Default)]
pub struct Work {
    last_id: RequestId,
    pub writes: BTreeMap<RequestId, WritePurpose>,
    pub commands: BTreeMap<RequestId, CommandRun>,
    pub actions: BTreeMap<RequestId, ActionRun>,
    pub previews: BTreeMap<RequestId, Preview>,
    /// The check job running off the loop, if one is.
    pub checks: Option<RequestId>,
    /// The command or action started last: what `o` opens again.
    pub last: Option<RequestId>,
}

impl Work {
    pub fn next_id(&mut self) -> RequestId {
        self.last_id += 1;
        self.last_id
    }

    /// A journal write is in flight: input waits, so proposals always see
    /// the state they change.
    pub fn writing(&self) -> bool {
        !self.writes.is_empty()
    }

    pub fn command_running(&self) -> bool {
        self.commands.values().any(|c| c.finish.is_none())
    }

    pub fn action_running(&self) -> bool {
        self.actions.values().any(|a| a.done.is_none())
    }

    /// Drops the oldest finished commands and actions past a few.
    pub fn prune(&mut self) {
        let finished: Vec<RequestId> = self
            .commands
            .iter()
            .filter(|(_, c)| c.finish.is_some())
            .map(|(id, _)| *id)
            .chain(
                self.actions
                    .iter()
                    .filter(|(_, a)| a.done.is_some())
                    .map(|(id, _)| *id),
            )
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let over = finished.len().saturating_sub(FINISHED_KEPT);
        for id in finished.into_iter().take(over) {
            if Some(id) != self.last {
                self.commands.remove(&id);
                self.actions.remove(&id);
            }
        }
    }
}

impl CommandRun {
    pub fn push_line(&mut self, line: String) {
        if self.lines.len() == OUTPUT_LINES {
            self.lines.remove(0);
            self.dropped += 1;
        }
        self.lines.push(line);
    }
}
