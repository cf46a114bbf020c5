//! The session state machine: pure, no terminal, network or clock.

pub mod alert;
pub mod drain;
pub mod event;
pub mod session;

pub use event::{
    AgainstEvidence, CheckResult, Drill, Event, OpeningAlert, Record, is_alertmanager_path,
};
pub use session::{EngineError, Session};

#[cfg(test)]
mod tests;
