//! The simulated cluster: the object store, its one clock, and the
//! controllers and kubelet that react to whatever is written, all behind
//! one lock. Nothing here knows HTTP: the API layer reads and writes
//! through [`Cluster`], and tests step its clock instead of sleeping.

pub mod clock;
pub mod controllers;
pub mod defaults;
mod events;
mod go_dump;
pub mod immutable;
mod logs;
pub mod metrics;
mod phases;
pub mod quantity;
pub mod referee;
pub mod selectors;
pub mod state;
pub mod store;
pub mod writes;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

use crate::sim::scenario::{Outage, Phase, Rules};
pub use clock::Clock;
pub use events::adopt_involved_uids;
pub use logs::{Logs, shift_lines as shift_log_lines};
pub use phases::shift_times as phases_shift;
pub use store::{Key, Store};

/// `t` plus `d`, held at the end of time: durations come from clients'
/// numbers (a grace period, a toleration's seconds) and a scenario's
/// rules, and jiff's `+` panics past its range.
pub fn later(t: Timestamp, d: SignedDuration) -> Timestamp {
    t.checked_add(d).unwrap_or(Timestamp::MAX)
}

/// How many rounds of controllers may answer one another at one instant
/// before the cluster is called settled (a guard against two controllers
/// fighting; a sane cluster settles in a handful).
const MAX_ROUNDS: usize = 32;
/// How many moments `run_until` may visit in one call (a crash loop over
/// an hour is a few dozen; this is a guard, not a budget).
const MAX_MOMENTS: usize = 100_000;

pub struct Cluster {
    pub store: Store,
    pub clock: Clock,
    /// How far simulated time has been run; never ahead of the clock.
    now: Timestamp,
    pub rules: Rules,
    pub logs: Logs,
    phases: phases::PhaseBook,
    /// The kubelet's memory that a pod's status does not hold (image pull back-off).
    pub pulls: BTreeMap<String, controllers::kubelet::PullState>,
    /// Server-side apply: what each field manager last applied, by
    /// `kind/namespace/name/manager`, so fields it stops applying are removed.
    pub applied: BTreeMap<String, Value>,
    outages: Vec<Outage>,
    /// The earliest moment some controller asked to be woken at.
    next_wake: Option<Timestamp>,
    /// Something was written since the controllers last settled.
    dirty: bool,
    /// Counter for generated names (pod suffixes, IPs).
    pub seq: u64,
    /// Uids of the objects deleted while running: their dependents are
    /// collected. (A dangling reference a scenario wrote is left alone.)
    pub gone: std::collections::HashSet<String>,
    /// The scenario's goal, judged at every moment (for the Alertmanager).
    pub referee: Option<referee::Referee>,
    /// Controllers that made a full burst of pods, by owner uid: when
    /// they may make the next (`controllers::pods_allowed`).
    pub bursts: std::collections::HashMap<String, Timestamp>,
    /// When each HPA (by uid) was last synced, and at which generation:
    /// the autoscaler looks again every 15 s or when its spec changes.
    pub hpa_synced: std::collections::HashMap<String, (Timestamp, i64)>,
    /// The events recorded so far, by what makes two the same (`events`).
    pub(crate) event_index: events::EventIndex,
    /// Whether the controllers and the kubelet answer changes. A generated
    /// scale cluster runs none: a pass over 100,000 stored pods at every
    /// moment something is due made each request wait for minutes; its
    /// objects change by the event stream and by writes alone.
    controllers: bool,
    /// Whether the rule-driven kubelet runs the pods bound to Ready nodes.
    /// Off, the cluster is a control plane without node agents, as the
    /// real one the differential suite measures the simulator against:
    /// pods stay Pending where the scheduler put them.
    pub kubelet: bool,
}

/// What a cluster starts from.
pub struct Parts {
    pub store: Store,
    pub clock: Clock,
    pub rules: Rules,
    pub logs: Logs,
    pub phases: Vec<Phase>,
    pub fired: Vec<bool>,
    pub captured_at: Option<Timestamp>,
    pub outages: Vec<Outage>,
    pub pulls: BTreeMap<String, controllers::kubelet::PullState>,
    pub applied: BTreeMap<String, Value>,
    pub seq: u64,
    pub referee: Option<referee::Referee>,
    /// Run from this moment up to the clock before serving (a scenario's
    /// `history`); `None`: start at the clock.
    pub run_from: Option<Timestamp>,
    /// See [`Cluster`]: false for a generated scale cluster.
    pub controllers: bool,
}

impl Cluster {
    pub fn new(parts: Parts) -> Cluster {
        let now = parts.run_from.unwrap_or_else(|| parts.clock.target());
        let mut cluster = Cluster {
            store: parts.store,
            clock: parts.clock,
            now,
            rules: parts.rules,
            logs: parts.logs,
            phases: phases::PhaseBook::new(parts.phases, parts.fired, parts.captured_at),
            pulls: parts.pulls,
            applied: parts.applied,
            outages: parts.outages,
            next_wake: None,
            dirty: true,
            seq: parts.seq,
            gone: Default::default(),
            referee: parts.referee,
            bursts: Default::default(),
            hpa_synced: Default::default(),
            event_index: Default::default(),
            controllers: parts.controllers,
            kubelet: true,
        };
        cluster.settle();
        if parts.run_from.is_some() {
            let target = cluster.clock.target();
            cluster.run_until(target);
        }
        cluster
    }

    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// Runs everything that came due since the last call, up to the clock.
    pub fn catch_up(&mut self) {
        let target = self.clock.target();
        let due = self.next_due().is_some_and(|t| t <= target);
        if self.dirty || due {
            self.run_until(target);
        } else if target > self.now {
            self.now = target;
        }
    }

    /// Moves the clock by `by` and runs what falls due on the way (the test hook).
    pub fn step(&mut self, by: Duration) {
        self.clock.step(by);
        self.catch_up();
    }

    /// Visits every moment something is due, in order, up to `target`: a
    /// container that crashes three times in the span crashes three times.
    pub fn run_until(&mut self, target: Timestamp) {
        self.settle();
        for _ in 0..MAX_MOMENTS {
            match self.next_due() {
                Some(t) if t > self.now && t <= target => {
                    self.now = t;
                    self.dirty = true;
                    self.settle();
                }
                _ => break,
            }
        }
        if target > self.now {
            self.now = target;
            self.dirty = true;
            self.settle();
        }
    }

    fn next_due(&self) -> Option<Timestamp> {
        let since = |d: Duration| {
            SignedDuration::try_from(d)
                .ok()
                .and_then(|d| self.clock.start().checked_add(d).ok())
        };
        let phase = self.phases.next_timer().and_then(since);
        let outage = self
            .outages
            .iter()
            .flat_map(|o| [since(o.after), since(o.after + o.lasting)])
            .flatten()
            .filter(|t| *t > self.now)
            .min();
        [self.next_wake, phase, outage].into_iter().flatten().min()
    }

    /// Lets every controller answer what changed, until none has more to do.
    pub fn settle(&mut self) {
        for _ in 0..MAX_ROUNDS {
            self.dirty = false;
            self.next_wake = None;
            phases::fire_due(self);
            if self.controllers {
                controllers::run_all(self);
            }
            if !self.dirty {
                self.judge();
                return;
            }
        }
        tracing::warn!("the simulated cluster did not settle in {MAX_ROUNDS} rounds");
        self.dirty = false;
    }

    /// The referee looks at the settled cluster (and asks to be woken when
    /// the goal would be reached).
    fn judge(&mut self) {
        let now = self.now;
        if let Some(due) = self
            .referee
            .as_mut()
            .and_then(|r| r.observe(&self.store, now))
        {
            self.wake_at(due);
        }
    }

    /// A controller wants to look again at `t`.
    pub fn wake_at(&mut self, t: Timestamp) {
        if t > self.now {
            self.next_wake = Some(self.next_wake.map_or(t, |w| w.min(t)));
        }
    }

    /// Stores `object` if it differs from what is stored (so controllers
    /// that recompute the same state write nothing and the cluster settles).
    pub fn put(&mut self, object: Value) -> Arc<Value> {
        let key = Key::of(&object);
        if let Some(existing) = self.store.get(&key) {
            let mut same = object.clone();
            same["metadata"]["resourceVersion"] = existing["metadata"]["resourceVersion"].clone();
            if same == *existing {
                return existing;
            }
        }
        self.dirty = true;
        self.store.upsert(object, self.now)
    }

    /// A new object, as a controller creates it through the API server:
    /// defaulted (`defaults::on_create`) and stored.
    pub fn create(&mut self, object: Value) -> Arc<Value> {
        let mut object = self.store.prepare(object, self.now);
        defaults::on_create(&mut object);
        self.put(object)
    }

    /// Removes an object outright (its dependents go at the next round).
    pub fn remove(&mut self, key: &Key) -> Option<Arc<Value>> {
        let gone = self.store.delete(key)?;
        self.dirty = true;
        if let Some(uid) = gone["metadata"]["uid"].as_str() {
            self.gone.insert(uid.to_string());
        }
        if key.kind == "Pod" {
            self.logs.forget_pod(&key.namespace, &key.name);
            let prefix = format!("{}/", gone["metadata"]["uid"].as_str().unwrap_or_default());
            self.pulls.retain(|k, _| !k.starts_with(&prefix));
        }
        Some(gone)
    }

    /// Marks the cluster changed from outside the controllers (a client's write).
    pub fn touch(&mut self) {
        self.dirty = true;
    }

    /// Whether an outage window of the scenario is open now.
    pub fn outage(&self) -> bool {
        let since = self.clock.since_start(self.now);
        self.outages
            .iter()
            .any(|o| since >= o.after && since < o.after + o.lasting)
    }

    /// The responder reached a step: fire its `{step: ID}` phases.
    pub fn reached_step(&mut self, step: &str) {
        phases::on_step(self, step);
        self.settle();
    }

    pub fn fired(&self) -> Vec<bool> {
        self.phases.fired()
    }

    /// A name suffix as the API server's `generateName` makes them.
    pub fn suffix(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
        self.seq += 1;
        let digest = store::uid_for(&format!("suffix/{}", self.seq));
        digest
            .bytes()
            .filter(u8::is_ascii_hexdigit)
            .collect::<Vec<u8>>()
            .chunks(2)
            .take(len)
            .map(|pair| {
                let n = pair.iter().fold(0usize, |acc, b| acc * 16 + (*b as usize));
                ALPHABET[n % ALPHABET.len()] as char
            })
            .collect()
    }
}
