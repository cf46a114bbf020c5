//! Events, sent by the component that would send them (kubelet,
//! default-scheduler, replicaset-controller...) about an object named with
//! its uid, so `kubectl describe` finds them. The same event again counts up.

use jiff::Timestamp;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::store::format_time;
use super::{Cluster, Key};

/// Who sends an event.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub component: &'a str,
    /// The node, for the kubelet.
    pub host: Option<&'a str>,
}

pub const SCHEDULER: Source<'static> = Source {
    component: "default-scheduler",
    host: None,
};
pub const REPLICASET: Source<'static> = Source {
    component: "replicaset-controller",
    host: None,
};
pub const DEPLOYMENT: Source<'static> = Source {
    component: "deployment-controller",
    host: None,
};
pub const NODE_CONTROLLER: Source<'static> = Source {
    component: "node-controller",
    host: None,
};
pub const TAINT_EVICTION: Source<'static> = Source {
    component: "taint-eviction-controller",
    host: None,
};

pub const HPA: Source<'static> = Source {
    component: "horizontal-pod-autoscaler",
    host: None,
};
pub const JOB: Source<'static> = Source {
    component: "job-controller",
    host: None,
};
pub const CRONJOB: Source<'static> = Source {
    component: "cronjob-controller",
    host: None,
};
pub const STATEFULSET: Source<'static> = Source {
    component: "statefulset-controller",
    host: None,
};
pub const DAEMONSET: Source<'static> = Source {
    component: "daemonset-controller",
    host: None,
};
pub const VOLUMES: Source<'static> = Source {
    component: "persistentvolume-controller",
    host: None,
};
pub const INGRESS: Source<'static> = Source {
    component: "loadbalancer-controller",
    host: None,
};

pub fn kubelet(node: &str) -> Source<'_> {
    Source {
        component: "kubelet",
        host: Some(node),
    }
}

/// One event about `involved`.
pub struct Note<'a> {
    pub warning: bool,
    pub reason: &'a str,
    pub message: &'a str,
    /// `spec.containers{name}` for a container's events.
    pub field_path: Option<&'a str>,
}

impl Cluster {
    /// Records an event, or counts one more of the same.
    pub fn event(&mut self, involved: &Value, source: Source<'_>, note: Note<'_>) {
        let meta = &involved["metadata"];
        let name = meta["name"].as_str().unwrap_or_default();
        let uid = meta["uid"].as_str().unwrap_or_default();
        let namespace = meta["namespace"]
            .as_str()
            .filter(|n| !n.is_empty())
            .unwrap_or("default");
        if !self.event_index.built {
            self.event_index.build(&self.store);
        }
        let combined;
        let (same, note) = match self.event_index.aggregate(uid, source, &note, self.now()) {
            Some(key) => {
                combined = format!("(combined from similar events): {}", note.message);
                (
                    key,
                    Note {
                        message: &combined,
                        ..note
                    },
                )
            }
            None => (sameness(uid, source.component, &note), note),
        };
        let now_nanos = self.now().as_nanosecond();
        let event_name = match self.event_index.names.get(&same) {
            Some(existing) => existing.clone(),
            None => {
                // Named as client-go's recorder names them, `<object>.<unix
                // nanoseconds in hex>`, so a list (in name order) is in the
                // order they happened.
                let nanos = now_nanos.max(self.event_index.last_nanos + 1);
                self.event_index.last_nanos = nanos;
                let fresh = format!("{name}.{nanos:x}");
                self.event_index.names.insert(same, fresh.clone());
                fresh
            }
        };
        let now = format_time(self.now());
        let key = Key::new("Event", namespace, &event_name);
        let event = match self.store.get(&key) {
            // Controllers may run several rounds at one instant; the same
            // event at the same moment is one event.
            Some(existing)
                if existing["lastTimestamp"] == now.as_str()
                    && existing["message"] == note.message =>
            {
                return;
            }
            Some(existing) => {
                let mut e = (*existing).clone();
                e["count"] = json!(existing["count"].as_u64().unwrap_or(1) + 1);
                e["lastTimestamp"] = json!(now);
                e["message"] = json!(note.message);
                e
            }
            None => new_event(involved, &event_name, namespace, source, &note, &now),
        };
        self.put(event);
    }
}

/// What makes two events the same one, counted up rather than repeated.
fn sameness(uid: &str, component: &str, note: &Note<'_>) -> String {
    let digest = Sha256::digest(format!(
        "{uid}/{}/{}/{component}/{}",
        note.reason,
        note.message,
        note.field_path.unwrap_or_default()
    ));
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// client-go's `EventAggregator`: the tenth different message of one
/// source, object, type and reason within ten minutes, and each after it,
/// is counted on one event "(combined from similar events)".
const AGGREGATE_AFTER: usize = 10;
const AGGREGATE_WINDOW: jiff::SignedDuration = jiff::SignedDuration::from_secs(600);

struct Aggregate {
    last: Timestamp,
    messages: std::collections::VecDeque<String>,
}

/// Which stored event each kind of event is, and the last name's time.
#[derive(Default)]
pub(crate) struct EventIndex {
    built: bool,
    names: std::collections::HashMap<String, String>,
    last_nanos: i128,
    aggregates: std::collections::HashMap<String, Aggregate>,
}

impl EventIndex {
    /// The combined event's identity when this one is to be combined.
    fn aggregate(
        &mut self,
        uid: &str,
        source: Source<'_>,
        note: &Note<'_>,
        now: Timestamp,
    ) -> Option<String> {
        let key = format!(
            "aggregate/{}/{}/{uid}/{}/{}",
            source.component,
            source.host.unwrap_or_default(),
            if note.warning { "Warning" } else { "Normal" },
            note.reason
        );
        let record = self
            .aggregates
            .entry(key.clone())
            .or_insert_with(|| Aggregate {
                last: now,
                messages: Default::default(),
            });
        if now.duration_since(record.last) > AGGREGATE_WINDOW {
            record.messages.clear();
        }
        record.last = now;
        if !record.messages.iter().any(|m| m == note.message) {
            record.messages.push_back(note.message.to_string());
        }
        if record.messages.len() < AGGREGATE_AFTER {
            return None;
        }
        // The real one forgets one message (any) to stay at the limit.
        record.messages.pop_front();
        Some(key)
    }

    /// Indexes the events already stored (a scenario's, or a restored
    /// cluster's), once.
    fn build(&mut self, store: &super::Store) {
        self.built = true;
        for event in store.of_kind("Event") {
            let note = Note {
                warning: event["type"] == "Warning",
                reason: event["reason"].as_str().unwrap_or_default(),
                message: event["message"].as_str().unwrap_or_default(),
                field_path: event["involvedObject"]["fieldPath"].as_str(),
            };
            let same = sameness(
                event["involvedObject"]["uid"].as_str().unwrap_or_default(),
                event["source"]["component"].as_str().unwrap_or_default(),
                &note,
            );
            if let Some(name) = event["metadata"]["name"].as_str() {
                self.names.insert(same, name.to_string());
            }
        }
    }
}

fn new_event(
    involved: &Value,
    name: &str,
    namespace: &str,
    source: Source<'_>,
    note: &Note<'_>,
    now: &str,
) -> Value {
    let meta = &involved["metadata"];
    let mut involved_object = json!({
        "apiVersion": involved["apiVersion"],
        "kind": involved["kind"],
        "name": meta["name"],
        "uid": meta["uid"],
        "resourceVersion": meta["resourceVersion"],
    });
    if let Some(ns) = meta["namespace"].as_str() {
        involved_object["namespace"] = json!(ns);
    }
    if let Some(path) = note.field_path {
        involved_object["fieldPath"] = json!(path);
    }
    let mut source_json = json!({ "component": source.component });
    if let Some(host) = source.host {
        source_json["host"] = json!(host);
    }
    json!({
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": { "name": name, "namespace": namespace, "creationTimestamp": now },
        "involvedObject": involved_object,
        "reason": note.reason,
        "message": note.message,
        "type": if note.warning { "Warning" } else { "Normal" },
        "count": 1,
        "firstTimestamp": now,
        "lastTimestamp": now,
        "eventTime": null,
        "source": source_json,
        "reportingComponent": source.component,
        "reportingInstance": source.host.unwrap_or(source.component),
    })
}

/// Events a scenario wrote name their object but rarely its uid; a real
/// server's always carry it, and `kubectl describe` selects on it.
pub fn adopt_involved_uids(store: &mut super::Store, now: Timestamp) {
    let mut fixed = Vec::new();
    for event in store.of_kind("Event") {
        let involved = &event["involvedObject"];
        if involved["uid"].as_str().is_some_and(|u| !u.is_empty()) {
            continue;
        }
        let key = Key::new(
            involved["kind"].as_str().unwrap_or_default(),
            involved["namespace"].as_str().unwrap_or_default(),
            involved["name"].as_str().unwrap_or_default(),
        );
        if let Some(uid) = store
            .get(&key)
            .and_then(|o| o["metadata"]["uid"].as_str().map(str::to_string))
        {
            let mut e = (**event).clone();
            e["involvedObject"]["uid"] = json!(uid);
            fixed.push(e);
        }
    }
    for e in fixed {
        store.upsert(e, now);
    }
}
