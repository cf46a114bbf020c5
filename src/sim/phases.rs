//! Phases: how the drill cluster changes over time and in answer to the
//! responder. Each phase fires once.

use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

use super::patch;
use super::scenario::{ActionKind, Phase, Trigger};
use super::server::SimState;
use super::store::Key;

pub(crate) struct PhaseBook {
    phases: Vec<Phase>,
    fired: Vec<bool>,
    /// When the scenario's objects were captured; phase objects are shifted
    /// so that this moment becomes the moment they apply.
    captured_at: Option<Timestamp>,
}

impl PhaseBook {
    pub fn new(phases: Vec<Phase>, captured_at: Option<Timestamp>) -> PhaseBook {
        let fired = vec![false; phases.len()];
        PhaseBook {
            phases,
            fired,
            captured_at,
        }
    }

    /// Mark the phases `when` selects as fired and hand them out.
    fn take(&mut self, when: impl Fn(&Trigger) -> bool) -> Vec<Phase> {
        let mut due = Vec::new();
        for (phase, fired) in self.phases.iter().zip(self.fired.iter_mut()) {
            if !*fired && phase.when.iter().any(&when) {
                *fired = true;
                due.push(phase.clone());
            }
        }
        due
    }

    pub fn timers(&self) -> Vec<(usize, std::time::Duration)> {
        self.phases
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                p.when.iter().find_map(|t| match t {
                    Trigger::After(after) => Some((i, *after)),
                    _ => None,
                })
            })
            .collect()
    }

    fn take_index(&mut self, index: usize) -> Option<Phase> {
        let fired = self.fired.get_mut(index)?;
        if *fired {
            return None;
        }
        *fired = true;
        self.phases.get(index).cloned()
    }
}

fn book(state: &SimState) -> std::sync::MutexGuard<'_, PhaseBook> {
    state.phases.lock().unwrap_or_else(|p| p.into_inner())
}

pub(crate) fn on_action(state: &SimState, kind: ActionKind) {
    let due = book(state).take(|t| *t == Trigger::Action(kind));
    for phase in due {
        tracing::info!(action = kind.as_str(), "phase fired");
        apply(state, &phase);
    }
}

pub(crate) fn on_pod_spec_changed(state: &SimState, object: &Value) {
    let meta = &object["metadata"];
    let is = |r: &super::scenario::ObjectRef| {
        object["kind"].as_str() == Some(r.kind.as_str())
            && meta["name"].as_str() == Some(r.name.as_str())
            && meta["namespace"].as_str().unwrap_or_default()
                == r.namespace.as_deref().unwrap_or_default()
    };
    let due = book(state).take(|t| matches!(t, Trigger::PodSpecChanged(r) if is(r)));
    for phase in due {
        tracing::info!(
            name = meta["name"].as_str(),
            "phase fired: pod spec changed"
        );
        apply(state, &phase);
    }
}

pub(crate) fn on_step(state: &SimState, step: &str) {
    let due = book(state).take(|t| matches!(t, Trigger::Step(s) if s == step));
    for phase in due {
        tracing::info!(step, "phase fired");
        apply(state, &phase);
    }
}

pub(crate) fn on_timer(state: &SimState, index: usize) {
    let due = book(state).take_index(index);
    if let Some(phase) = due {
        tracing::info!(index, "timed phase fired");
        apply(state, &phase);
    }
}

fn apply(state: &SimState, phase: &Phase) {
    let now = Timestamp::now();
    let shift = book(state).captured_at.map(|c| now.duration_since(c));
    let mut store = state.store();
    for object in &phase.apply {
        let mut object = object.clone();
        if let Some(shift) = shift {
            shift_times(&mut object, shift);
        }
        // An object that exists is merged into, so a phase can say only what
        // changes (a status, a replica count).
        if let Some(existing) = store.get(&Key::of(&object)) {
            let mut merged = (*existing).clone();
            patch::merge(&mut merged, &object);
            object = merged;
        }
        store.upsert(object, now);
    }
    drop(store);
    for (key, text) in &phase.logs {
        state.append_log(key, text);
    }
    let mut store = state.store();
    for target in &phase.delete {
        let key = Key::new(
            &target.kind,
            target.namespace.as_deref().unwrap_or_default(),
            &target.name,
        );
        store.delete(&key);
    }
}

/// Move every RFC 3339 UTC timestamp in an object by `shift`, keeping its
/// precision, so captured ages stay the same whenever the drill runs.
pub(crate) fn shift_times(value: &mut Value, shift: SignedDuration) {
    match value {
        Value::String(text) => {
            if let Some(moved) = shift_timestamp(text, shift) {
                *text = moved;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| shift_times(v, shift)),
        Value::Object(map) => map.values_mut().for_each(|v| shift_times(v, shift)),
        _ => {}
    }
}

fn shift_timestamp(text: &str, shift: SignedDuration) -> Option<String> {
    let bytes = text.as_bytes();
    let looks_like_time = text.len() >= 20
        && text.ends_with('Z')
        && bytes.get(4) == Some(&b'-')
        && bytes.get(10) == Some(&b'T');
    if !looks_like_time {
        return None;
    }
    let t: Timestamp = text.parse().ok()?;
    let moved = t.checked_add(shift).ok()?;
    let format = if text.contains('.') {
        "%Y-%m-%dT%H:%M:%S%.6fZ"
    } else {
        "%Y-%m-%dT%H:%M:%SZ"
    };
    Some(moved.strftime(format).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn timestamps_move_and_keep_their_precision() {
        let mut o = json!({
            "metadata": { "creationTimestamp": "2025-06-01T10:00:00Z" },
            "eventTime": "2025-06-01T10:00:00.250000Z",
            "spec": { "image": "registry.example.com/cart:v2.31", "note": "2025-06-01" }
        });
        shift_times(&mut o, SignedDuration::from_hours(2));
        assert_eq!(o["metadata"]["creationTimestamp"], "2025-06-01T12:00:00Z");
        assert_eq!(o["eventTime"], "2025-06-01T12:00:00.250000Z");
        assert_eq!(o["spec"]["image"], "registry.example.com/cart:v2.31");
        assert_eq!(o["spec"]["note"], "2025-06-01");
    }

    #[test]
    fn a_phase_fires_once() {
        let phase = Phase {
            when: vec![Trigger::Step("oom".into())],
            apply: vec![],
            delete: vec![],
            logs: Default::default(),
        };
        let mut book = PhaseBook::new(vec![phase], None);
        assert_eq!(book.take(|t| *t == Trigger::Step("oom".into())).len(), 1);
        assert!(book.take(|t| *t == Trigger::Step("oom".into())).is_empty());
    }
}
