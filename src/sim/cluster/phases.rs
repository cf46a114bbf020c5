//! Phases: what happens to the cluster from outside (a node dies at
//! T+60 s, a log line arrives when the responder reaches a step). Each
//! fires once; the controllers then react to it like to any other change.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

use super::{Cluster, Key};
use crate::sim::scenario::{Phase, Trigger};

pub(super) struct PhaseBook {
    phases: Vec<Phase>,
    fired: Vec<bool>,
    /// When the scenario's objects were captured; phase objects are shifted
    /// so that this moment becomes the moment they apply.
    captured_at: Option<Timestamp>,
}

impl PhaseBook {
    pub fn new(phases: Vec<Phase>, fired: Vec<bool>, captured_at: Option<Timestamp>) -> PhaseBook {
        let mut fired = fired;
        fired.resize(phases.len(), false);
        PhaseBook {
            phases,
            fired,
            captured_at,
        }
    }

    pub fn fired(&self) -> Vec<bool> {
        self.fired.clone()
    }

    /// The earliest `after` of a phase that has not fired.
    pub fn next_timer(&self) -> Option<Duration> {
        self.phases
            .iter()
            .zip(&self.fired)
            .filter(|(_, fired)| !**fired)
            .flat_map(|(p, _)| p.when.iter())
            .filter_map(|t| match t {
                Trigger::After(after) => Some(*after),
                Trigger::Step(_) => None,
            })
            .min()
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
}

pub(super) fn fire_due(cluster: &mut Cluster) {
    let since = cluster.clock.since_start(cluster.now);
    let due = cluster
        .phases
        .take(|t| matches!(t, Trigger::After(after) if *after <= since));
    for phase in due {
        tracing::info!(after = ?since, "timed phase fired");
        apply(cluster, &phase);
    }
}

pub(super) fn on_step(cluster: &mut Cluster, step: &str) {
    let due = cluster
        .phases
        .take(|t| matches!(t, Trigger::Step(s) if s == step));
    for phase in due {
        tracing::info!(step, "phase fired");
        apply(cluster, &phase);
    }
}

fn apply(cluster: &mut Cluster, phase: &Phase) {
    let now = cluster.now;
    let shift = cluster.phases.captured_at.map(|c| now.duration_since(c));
    for object in &phase.apply {
        let mut object = object.clone();
        if let Some(shift) = shift {
            shift_times(&mut object, shift);
        }
        // An object that exists is merged into, so a phase can say only what
        // changes (a node's Ready condition, a replica count).
        if let Some(existing) = cluster.store.get(&Key::of(&object)) {
            let mut merged = (*existing).clone();
            json_patch::merge(&mut merged, &object);
            object = merged;
        }
        // What a write could not store, a phase does not either (its
        // objects are checked whole only here, once merged).
        if let Err(refused) = crate::sim::api::validation::check(&object) {
            tracing::warn!(
                "a scenario phase's {} is not stored: {refused}",
                Key::of(&object).name
            );
            continue;
        }
        cluster.put(object);
    }
    for (key, text) in &phase.logs {
        cluster.logs.append(key, text);
    }
    for target in &phase.delete {
        let key = Key::new(
            &target.kind,
            target.namespace.as_deref().unwrap_or_default(),
            &target.name,
        );
        cluster.remove(&key);
    }
}

/// Move every RFC 3339 UTC timestamp in an object by `shift`, keeping its
/// precision, so captured ages stay the same whenever the drill runs.
pub fn shift_times(value: &mut Value, shift: SignedDuration) {
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

pub(super) fn shift_timestamp(text: &str, shift: SignedDuration) -> Option<String> {
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
    let digits = text
        .split_once('.')
        .map_or(0, |(_, frac)| frac.trim_end_matches('Z').len());
    let format = match digits {
        0 => "%Y-%m-%dT%H:%M:%SZ",
        1..=3 => "%Y-%m-%dT%H:%M:%S%.3fZ",
        4..=6 => "%Y-%m-%dT%H:%M:%S%.6fZ",
        _ => "%Y-%m-%dT%H:%M:%S%.9fZ",
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
            "logTime": "2025-06-01T10:00:00.250Z",
            "spec": { "image": "registry.example.com/cart:v2.31", "note": "2025-06-01" }
        });
        shift_times(&mut o, SignedDuration::from_hours(2));
        assert_eq!(o["metadata"]["creationTimestamp"], "2025-06-01T12:00:00Z");
        assert_eq!(o["eventTime"], "2025-06-01T12:00:00.250000Z");
        assert_eq!(o["logTime"], "2025-06-01T12:00:00.250Z");
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
        let mut book = PhaseBook::new(vec![phase], vec![], None);
        assert_eq!(book.take(|t| *t == Trigger::Step("oom".into())).len(), 1);
        assert!(book.take(|t| *t == Trigger::Step("oom".into())).is_empty());
        assert_eq!(book.fired(), [true]);
    }
}
