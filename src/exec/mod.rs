//! Commands from a playbook, run as an argument vector with no shell.
//!
//! `plan` is pure: it splits the command line into arguments *before*
//! substituting parameters, so a value can only ever fill the argument it
//! stands in and never add another argument or command; values are also
//! checked against their param patterns. The core's `argv::classify`
//! reads the command as reading or (possibly) changing the cluster, for the
//! confirmation the responder gives; it is not the safety boundary (the
//! session's gateway is). `runner` executes a plan off the UI loop; `confine` has the kernel
//! hold a command's connections to the gateway's port where it can.

pub mod confine;
pub mod interactive;
pub mod manifest;
pub mod plan;
pub mod runner;

pub use plan::{PlanError, Planned, plan, plan_line};
