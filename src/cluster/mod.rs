//! The cluster edge: kube-rs watchers projected into compact rows.

pub mod actions;
pub mod connect;
pub mod describe;
pub mod describe_node;
pub mod drain;
pub mod fetch;
pub mod format;
pub mod gateway;
pub mod intern;
pub mod kinds;
pub mod labels;
pub mod node_pods;
pub mod project;
pub mod rows;
pub mod snapshot;
pub mod store;
pub mod switchboard;
pub mod watch;
