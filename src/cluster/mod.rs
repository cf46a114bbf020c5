//! The cluster edge: kube-rs watchers projected into compact rows (the
//! rows, the kinds and the snapshot are the core's `kinds`).

pub mod actions;
pub mod connect;
pub mod drain;
pub mod fetch;
pub mod gateway;
pub mod node_pods;
pub mod sources;
pub mod store;
pub mod switchboard;
pub mod watch;
pub mod watcher;
