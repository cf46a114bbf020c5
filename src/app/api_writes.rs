//! Journaling what commands changed through the session's gateway. Writes
//! arrive on their own, while a command runs or just after; they are
//! journaled at once when no journal write is in flight, otherwise held and
//! written right after it, so two writes never race for the same sequence
//! number. A finished command's record goes through the same door.

use super::state::{Effect, State};
use super::update::journal;
use crate::cluster::gateway::ApiWrite;
use crate::engine::Event;

/// A change the gateway passed: journaled (now, or after the write in flight).
pub(super) fn on_write(state: &mut State, write: ApiWrite) -> Vec<Effect> {
    let step = state.session.current_id().unwrap_or_default().to_string();
    let event = Event::ApiWrite {
        step,
        method: write.method,
        path: write.path,
        resource: write.resource,
        subresource: write.subresource,
        namespace: write.namespace,
        name: write.name,
        status: write.status,
        dry_run: write.dry_run,
        by: write.by,
    };
    when_free(state, vec![event])
}

/// Journals `events` now, or queues them behind the write in flight.
pub(super) fn when_free(state: &mut State, events: Vec<Event>) -> Vec<Effect> {
    state.journal_after.extend(events);
    flush(state)
}

/// After a journal answer: whatever waited goes out, in order.
pub(super) fn flush(state: &mut State) -> Vec<Effect> {
    if state.pending || state.journal_after.is_empty() {
        return Vec::new();
    }
    let events = std::mem::take(&mut state.journal_after);
    journal(state, events)
}
