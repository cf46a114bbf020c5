//! What a command line would do, read from its argument vector alone
//! (pure: the playbook check and the runner's confirmation both use it):
//! `classify` reads it as reading or (possibly) changing the cluster,
//! looking through wrappers (`wrappers`) and into kubectl's own flags and
//! verbs (`kubectl`). It is not the safety boundary (the session's gateway
//! is).

pub mod classify;
mod kubectl;
pub mod redact;
mod wrappers;

pub use wrappers::names_a_cluster;
