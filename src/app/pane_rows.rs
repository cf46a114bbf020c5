//! Which rows each cluster pane holds: the playbook's focus (or all
//! namespaces when widened), then the responder's `/` filter. The panes
//! draw these, the tab titles count them, and Enter opens the selected one,
//! so all three read them from here and can never disagree.

use std::sync::Arc;

use super::state::{PaneTab, State};
use crate::cluster::rows::{DeploymentRow, EventRow, NodeRow, PodRow};
use crate::cluster::snapshot::Snapshot;

/// Whether the pane's text filter keeps a row (the empty filter keeps all).
fn matches(filter: &str, fields: &[&str]) -> bool {
    filter.is_empty() || fields.iter().any(|f| f.contains(filter))
}

fn ns_ok(state: &State, ns: &str) -> bool {
    state.panes.all_namespaces || state.scope.namespace_ok(ns)
}

/// Pods in focus; `filter` is the text filter ("" for none).
pub fn pods<'a>(
    state: &'a State,
    s: &'a Snapshot,
    filter: &'a str,
) -> impl Iterator<Item = &'a Arc<PodRow>> + 'a {
    s.pods
        .rows
        .iter()
        .filter(move |p| {
            ns_ok(state, &p.namespace)
                && (state.panes.all_namespaces || state.scope.labels_ok(&p.labels))
        })
        .filter(move |p| {
            matches(
                filter,
                &[&p.name, &p.status, p.node.as_deref().unwrap_or("")],
            )
        })
}

/// Nodes are cluster-scoped: the focus never narrows them.
pub fn nodes<'a>(s: &'a Snapshot, filter: &'a str) -> impl Iterator<Item = &'a Arc<NodeRow>> + 'a {
    s.nodes
        .rows
        .iter()
        .filter(move |n| matches(filter, &[&n.name, &n.status]))
}

/// Events in the focused namespace, and those about the focused node.
pub fn events<'a>(
    state: &'a State,
    s: &'a Snapshot,
    filter: &'a str,
) -> impl Iterator<Item = &'a Arc<EventRow>> + 'a {
    s.events
        .rows
        .iter()
        .filter(move |e| {
            ns_ok(state, &e.namespace) || state.scope.node.as_deref() == Some(&e.object_name)
        })
        .filter(move |e| matches(filter, &[&e.reason, &e.object_name, &e.message]))
}

pub fn deployments<'a>(
    state: &'a State,
    s: &'a Snapshot,
    filter: &'a str,
) -> impl Iterator<Item = &'a Arc<DeploymentRow>> + 'a {
    s.deployments
        .rows
        .iter()
        .filter(move |d| ns_ok(state, &d.namespace))
        .filter(move |d| matches(filter, &[&d.name]))
}

/// How many rows a tab holds before the text filter (its title's count).
pub fn count(state: &State, s: &Snapshot, tab: PaneTab) -> usize {
    match tab {
        PaneTab::Pods => pods(state, s, "").count(),
        PaneTab::Nodes => nodes(s, "").count(),
        PaneTab::Events => events(state, s, "").count(),
        PaneTab::Workloads => deployments(state, s, "").count(),
    }
}

/// What the selected row of the current pane is: (kind, namespace, name).
/// An event stands for the object it is about.
pub fn selected_object(state: &State) -> Option<(&'static str, String, String)> {
    let s = state.snapshot.as_ref()?;
    let f = state.panes.filter.as_str();
    let i = state.panes.scroll;
    match state.panes.current_tab() {
        PaneTab::Pods => pods(state, s, f)
            .nth(i)
            .map(|p| ("Pod", p.namespace.to_string(), p.name.to_string())),
        PaneTab::Nodes => nodes(s, f)
            .nth(i)
            .map(|n| ("Node", String::new(), n.name.clone())),
        PaneTab::Events => events(state, s, f).nth(i).map(|e| {
            let kind = match e.kind.as_str() {
                "Node" => "Node",
                "Deployment" => "Deployment",
                _ => "Pod",
            };
            (kind, e.namespace.clone(), e.object_name.clone())
        }),
        PaneTab::Workloads => deployments(state, s, f)
            .nth(i)
            .map(|d| ("Deployment", d.namespace.clone(), d.name.clone())),
    }
}
