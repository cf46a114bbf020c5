//! What a session knows of its alert: the one that opened it and the
//! silences it created. Read from the records, so a replayed session knows
//! the same as the live one.

use super::event::{Event, OpeningAlert};
use super::session::Session;

impl Session {
    /// The alert the session was started from, if any.
    pub fn alert(&self) -> Option<&OpeningAlert> {
        self.records().iter().find_map(|r| match &r.event {
            Event::Started { alert, .. } => alert.as_deref(),
            _ => None,
        })
    }

    /// Whether the trainee asked for a hint on `step`.
    pub fn hinted(&self, step: &str) -> bool {
        self.records()
            .iter()
            .any(|r| matches!(&r.event, Event::Hint { step: s } if s == step))
    }

    /// Hints asked for in all.
    pub fn hints(&self) -> usize {
        self.records()
            .iter()
            .filter(|r| matches!(r.event, Event::Hint { .. }))
            .count()
    }

    /// Silences the session created and has not expired, oldest first: what
    /// the session's end offers to expire.
    pub fn open_silences(&self) -> Vec<&str> {
        let mut open: Vec<&str> = Vec::new();
        for r in self.records() {
            match &r.event {
                Event::Silenced { id, .. } => open.push(id),
                Event::SilenceExpired { id } => open.retain(|o| o != id),
                _ => {}
            }
        }
        open
    }
}
