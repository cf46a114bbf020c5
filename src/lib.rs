//! runbook: guided incident response on Kubernetes, in the terminal.
//!
//! The pure core is its own crate, `runbook-core` (src/core: `playbook`,
//! `engine`, `journal`, `checks`, `drill`, `kinds`, `argv`), re-exported
//! here under the same names; this crate is the shell (`app`, `ui`,
//! `cluster` watchers, `sim`, `commands`) that executes effects. See docs/architecture.md;
//! `layers.rs` checks which way the top-level modules import.

pub use runbook_core::{
    action_kind, argv, checks, config, drill, engine, for_each_kind, journal, kinds, playbook,
    sanitize,
};

pub mod alerts;
pub mod app;
pub mod cli;
pub mod cluster;
pub mod commands;
pub mod exec;
#[cfg(test)]
mod layers;
pub mod sim;
pub mod tui;
pub mod ui;
