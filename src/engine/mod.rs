//! The session state machine: pure, no terminal, network or clock.

pub mod event;
pub mod session;

pub use event::{CheckResult, Drill, Event, Record};
pub use session::{EngineError, Session};

#[cfg(test)]
mod tests;
