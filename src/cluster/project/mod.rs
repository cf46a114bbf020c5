//! Projection of Kubernetes objects into compact rows (pure; clock passed in).
//! Placeholder bodies: the faithful kubectl ports land with the rows work.

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Event as CoreEvent, Node, Pod};
use k8s_openapi::api::events::v1::Event as EventsV1Event;

use super::rows::{DeploymentRow, EventRow, NodeRow, PodRow};

pub fn pod_row(pod: &Pod, _now: i64) -> PodRow {
    PodRow {
        namespace: pod.metadata.namespace.clone().unwrap_or_default(),
        name: pod.metadata.name.clone().unwrap_or_default(),
        ..PodRow::default()
    }
}

pub fn node_row(node: &Node, _now: i64) -> NodeRow {
    NodeRow {
        name: node.metadata.name.clone().unwrap_or_default(),
        ..NodeRow::default()
    }
}

pub fn event_row_core(event: &CoreEvent) -> EventRow {
    EventRow {
        namespace: event.metadata.namespace.clone().unwrap_or_default(),
        name: event.metadata.name.clone().unwrap_or_default(),
        ..EventRow::default()
    }
}

pub fn event_row_v1(event: &EventsV1Event) -> EventRow {
    EventRow {
        namespace: event.metadata.namespace.clone().unwrap_or_default(),
        name: event.metadata.name.clone().unwrap_or_default(),
        ..EventRow::default()
    }
}

pub fn deployment_row(deployment: &Deployment) -> DeploymentRow {
    DeploymentRow {
        namespace: deployment.metadata.namespace.clone().unwrap_or_default(),
        name: deployment.metadata.name.clone().unwrap_or_default(),
        ..DeploymentRow::default()
    }
}
