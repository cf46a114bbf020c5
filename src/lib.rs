//! runbook: guided incident response on Kubernetes, in the terminal.
//!
//! The pure core (`playbook`, `engine`, `journal`, `checks`, `drill`, and
//! `kinds`: what runbook knows of each Kubernetes kind, its rows and the
//! snapshot) has no terminal, network or clock; the shell (`app`, `ui`,
//! `cluster` watchers, `sim`, `commands`) executes effects. See docs/architecture.md;
//! `layers.rs` checks which way the top-level modules import.

pub mod action_kind;
pub mod alerts;
pub mod app;
pub mod argv;
pub mod checks;
pub mod cli;
pub mod cluster;
pub mod commands;
pub mod config;
pub mod drill;
pub mod engine;
pub mod exec;
pub mod journal;
pub mod kinds;
#[cfg(test)]
mod layers;
pub mod playbook;
pub mod sanitize;
pub mod sim;
pub mod tui;
pub mod ui;
