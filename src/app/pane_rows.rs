//! Which rows each cluster pane holds: the playbook's focus (or all
//! namespaces when widened, `A`), then the responder's `/` filter on the
//! pane in focus. The panes draw these, the tab titles count them, and
//! Enter opens the selected one, so all three read them from here and can
//! never disagree. Scoping is the checks' own rule (`Scope::admits`).

use std::any::Any;
use std::sync::Arc;

use super::model::State;
use crate::kinds::snapshot::Snapshot;
use crate::kinds::{self, KindId, Row};

/// The filter on pane `id`: the responder's on the pane in focus, none on
/// the others.
pub fn filter_of(state: &State, id: KindId) -> &str {
    if id == state.current_kind() {
        &state.panes.filter
    } else {
        ""
    }
}

/// The rows of pane `id` in focus and matching `filter` ("" for none).
pub fn rows<'a>(
    state: &'a State,
    s: &'a Snapshot,
    id: KindId,
    filter: &'a str,
) -> impl Iterator<Item = &'a dyn Row> + 'a {
    let rule = kinds::get(id).meta().scope;
    let widened = state.panes.all_namespaces;
    s.kind(id)
        .iter()
        .filter(move |r| state.scope.admits(rule, *r, widened))
        .filter(move |r| filter.is_empty() || r.matches(filter))
}

/// How many rows pane `id` shows: in focus, after its filter (the tab
/// says `Pods (2)` when the filter leaves 2 of 5).
pub fn count(state: &State, s: &Snapshot, id: KindId) -> usize {
    state
        .panes
        .counts
        .get(state, s, id)
        .unwrap_or_else(|| count_rows(state, s, id))
}

fn count_rows(state: &State, s: &Snapshot, id: KindId) -> usize {
    rows(state, s, id, filter_of(state, id)).count()
}

/// Each pane's row count, counted again only when its rows, the filter or
/// the scope changed. Every frame's tab titles and pane heights read the
/// counts; at 150,000 pods and 50,000 ReplicaSets counting per frame held
/// every key press back, and counting every kind per snapshot (ten a
/// second while events stream) kept the loop busy for the pods that had
/// not changed.
#[derive(Debug, Clone, Default)]
pub struct PaneCounts {
    /// What the counts were made for: the filter, the pane it filters,
    /// widened, the scope.
    made_for: Option<(String, KindId, bool, crate::checks::Scope)>,
    /// (kind, the rows counted, how many show). Holding the rows' `Arc`
    /// means a new list can never be taken for the one counted.
    counts: Vec<(KindId, Arc<dyn Any + Send + Sync>, usize)>,
}

impl PaneCounts {
    fn made_for_now(&self, state: &State) -> bool {
        self.made_for
            .as_ref()
            .is_some_and(|(filter, pane, widened, scope)| {
                *filter == state.panes.filter
                    && *pane == state.current_kind()
                    && *widened == state.panes.all_namespaces
                    && *scope == state.scope
            })
    }

    fn counted(&self, s: &Snapshot, id: KindId) -> Option<usize> {
        let rows = s.kind(id).identity();
        self.counts
            .iter()
            .find(|(k, counted, _)| *k == id && Arc::ptr_eq(counted, &rows))
            .map(|(_, _, n)| *n)
    }

    fn get(&self, state: &State, s: &Snapshot, id: KindId) -> Option<usize> {
        if !self.made_for_now(state) {
            return None;
        }
        self.counted(s, id)
    }
}

/// Counts again the panes whose rows changed, or all of them when the
/// filter or the scope did (`update` calls it after every message).
pub fn refresh_counts(state: &mut State) {
    let Some(s) = state.snapshot.as_ref() else {
        return;
    };
    let same_view = state.panes.counts.made_for_now(state);
    let panes = state.pane_list();
    // Most messages (keys, ticks) change nothing counted: keep the counts.
    if same_view
        && panes
            .iter()
            .all(|id| state.panes.counts.counted(s, *id).is_some())
    {
        return;
    }
    let counts = panes
        .into_iter()
        .map(|id| {
            let rows = s.kind(id).identity();
            let n = same_view
                .then(|| state.panes.counts.counted(s, id))
                .flatten()
                .unwrap_or_else(|| count_rows(state, s, id));
            (id, rows, n)
        })
        .collect();
    let made_for = Some((
        state.panes.filter.clone(),
        state.current_kind(),
        state.panes.all_namespaces,
        state.scope.clone(),
    ));
    state.panes.counts = PaneCounts { made_for, counts };
}

/// What the selected row of the pane in focus is: (kind, namespace, name).
/// An event stands for the object it is about, when the panes know its
/// kind.
pub fn selected_object(state: &State) -> Option<(&'static str, String, String)> {
    let s = state.snapshot.as_ref()?;
    let id = state.current_kind();
    let kind = kinds::get(id);
    let row = rows(state, s, id, &state.panes.filter).nth(state.panes.scroll)?;
    if let Some((about, name)) = row.regarding() {
        let about = kinds::by_kind(about).map_or(kind.kind(), |k| kinds::get(k).kind());
        let ns = if kinds::by_kind(about).is_some_and(|k| !kinds::get(k).namespaced()) {
            String::new()
        } else {
            row.namespace().to_string()
        };
        return Some((about, ns, name.to_string()));
    }
    Some((
        kind.kind(),
        row.namespace().to_string(),
        row.name().to_string(),
    ))
}

/// (namespace, name) of each row in the pane in focus, in order, after
/// its filter: what the selection is pinned to.
fn keys<'a>(state: &'a State, s: &'a Snapshot) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
    let id = state.current_kind();
    rows(state, s, id, &state.panes.filter).map(|r| (r.namespace(), r.name()))
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

/// The nodes the nodes pane shows (around the selection when it has
/// focus), whose every pod the cluster side counts: none when the pane is
/// not on screen.
pub fn counted_nodes(state: &State) -> Vec<String> {
    let Some(nodes) = kinds::id_of("nodes") else {
        return Vec::new();
    };
    let Some(s) = state
        .snapshot
        .as_ref()
        .filter(|_| state.shown_panes().contains(&nodes))
    else {
        return Vec::new();
    };
    let max = crate::cluster::node_pods::MAX_NODES;
    let skip = if state.current_kind() == nodes {
        state.panes.scroll.saturating_sub(max / 2)
    } else {
        0
    };
    rows(state, s, nodes, filter_of(state, nodes))
        .skip(skip)
        .take(max)
        .map(|r| r.name().to_string())
        .collect()
}
