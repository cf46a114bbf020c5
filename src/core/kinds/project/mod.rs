//! Projection of Kubernetes objects into compact rows (pure; all text is
//! sanitized here, at the edge).

mod deployment;
mod event;
mod node;
mod pod;
mod pod_wire;

pub use deployment::{deployment_row, deployment_row_in};
pub use event::{event_row_core, event_row_v1};
pub use node::{PRESSURE_CONDITIONS, node_row, node_row_in};
pub use pod::{pod_row, pod_row_in};
pub use pod_wire::WatchedPod;
