//! Which rows each cluster pane holds: the playbook's focus (or all
//! namespaces when widened), then the responder's `/` filter. The panes
//! draw these, the tab titles count them, and Enter opens the selected one,
//! so all three read them from here and can never disagree.

use std::sync::Arc;

use super::model::{PaneTab, State};
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

/// (namespace, name) of each row in the current pane, in order, after the
/// text filter: what the selection is pinned to.
fn keys<'a>(
    state: &'a State,
    s: &'a Snapshot,
) -> Box<dyn Iterator<Item = (&'a str, &'a str)> + 'a> {
    let f = state.panes.filter.as_str();
    match state.panes.current_tab() {
        PaneTab::Pods => Box::new(pods(state, s, f).map(|p| (&*p.namespace, &*p.name))),
        PaneTab::Nodes => Box::new(nodes(s, f).map(|n| ("", n.name.as_str()))),
        PaneTab::Events => {
            Box::new(events(state, s, f).map(|e| (e.namespace.as_str(), e.name.as_str())))
        }
        PaneTab::Workloads => {
            Box::new(deployments(state, s, f).map(|d| (d.namespace.as_str(), d.name.as_str())))
        }
    }
}

/// Moves the pane selection by `delta` rows, within the rows there are,
/// and pins it to the row's object.
pub fn move_selection(state: &mut State, delta: isize) {
    let Some(s) = state.snapshot.as_ref() else {
        return;
    };
    let wanted = state.panes.scroll.saturating_add_signed(delta);
    // Walks only as far as the selection: 100,000 pods cost nothing here.
    let (i, key) = match keys(state, s).nth(wanted) {
        Some(key) => (wanted, Some(key)),
        None => {
            let last = keys(state, s).count().saturating_sub(1);
            (last, keys(state, s).nth(last))
        }
    };
    let pinned = key.map(|(ns, name)| (ns.to_string(), name.to_string()));
    state.panes.scroll = i;
    state.panes.pinned = pinned;
}

/// After new rows arrive, the selection stays on the object it was on
/// (rows re-sort as pods crash and recover); if that object is gone, it
/// stays at its place, within the rows there are.
pub fn follow_selection(state: &mut State) {
    let Some(s) = state.snapshot.as_ref() else {
        return;
    };
    if state.panes.pinned.is_none() && state.panes.scroll == 0 {
        return; // on the first row, following what sorts first
    }
    let found = state
        .panes
        .pinned
        .as_ref()
        .and_then(|(ns, name)| keys(state, s).position(|(n, m)| n == ns && m == name));
    let i = match found {
        Some(i) => i,
        None => {
            let len = keys(state, s).count();
            state.panes.scroll.min(len.saturating_sub(1))
        }
    };
    state.panes.scroll = i;
}
