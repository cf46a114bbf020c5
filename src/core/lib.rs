//! runbook's pure core: the playbook format and its checks (`playbook`),
//! the session state machine (`engine`), the journal (`journal`), CEL
//! checks over the cluster's rows (`checks`), drill goals and grading
//! (`drill`), what runbook knows of each Kubernetes kind with its rows and
//! the snapshot (`kinds`), and what a command line would do (`argv`). No
//! runtime, no network, no terminal, no clock: its Cargo.toml names none
//! of tokio, kube, hyper, axum, ratatui or crossterm, and the compiler
//! holds it to that. The app (the `runbook` crate) drives it.

pub mod action_kind;
pub mod argv;
pub mod checks;
pub mod config;
pub mod drill;
pub mod engine;
pub mod journal;
pub mod kinds;
pub mod playbook;
pub mod sanitize;
