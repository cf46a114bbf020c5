//! Deployment rows: READY, UP-TO-DATE, AVAILABLE as kubectl prints them.

use k8s_openapi::api::apps::v1::Deployment;

use crate::kinds::intern::{Interner, Text};
use crate::kinds::labels::Labels;
use crate::kinds::rows::DeploymentRow;
use crate::sanitize::line_cow;

/// One deployment's row, on its own. Watchers use `deployment_row_in` so
/// rows share text.
pub fn deployment_row(d: &Deployment) -> DeploymentRow {
    deployment_row_in(d, &mut Interner::new())
}

pub fn deployment_row_in(d: &Deployment, strings: &mut Interner) -> DeploymentRow {
    let spec = d.spec.as_ref();
    let status = crate::kinds::common::or_default(&d.status);
    let count = |n: Option<i32>| u32::try_from(n.unwrap_or(0)).unwrap_or(0);
    DeploymentRow {
        namespace: strings.line(d.metadata.namespace.as_deref().unwrap_or_default()),
        // Names are unique: shared with the store's key, never interned.
        name: Text::from(line_cow(d.metadata.name.as_deref().unwrap_or_default()).as_ref()),
        replicas: count(spec.and_then(|s| s.replicas).or(Some(1))),
        ready: count(status.ready_replicas),
        updated: count(status.updated_replicas),
        available: count(status.available_replicas),
        images: spec
            .and_then(|s| s.template.spec.as_ref())
            .map(|p| {
                p.containers
                    .iter()
                    .filter_map(|c| c.image.as_deref())
                    .map(|i| strings.line(i))
                    .collect()
            })
            .unwrap_or_default(),
        created_at: d
            .metadata
            .creation_timestamp
            .as_ref()
            .map(|t| t.0.as_second()),
        selector: Labels::project(spec.and_then(|s| s.selector.match_labels.as_ref()), strings),
    }
}
