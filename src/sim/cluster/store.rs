//! The object store: JSON objects keyed by (kind, namespace, name), one
//! cluster-wide resourceVersion, and a bounded history of changes for watches.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use jiff::Timestamp;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::sync::broadcast;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub kind: String,
    /// "" for cluster-scoped objects.
    pub namespace: String,
    pub name: String,
}

impl Key {
    pub fn new(kind: &str, namespace: &str, name: &str) -> Key {
        Key {
            kind: kind.to_string(),
            namespace: namespace.to_string(),
            name: name.to_string(),
        }
    }

    pub fn of(object: &Value) -> Key {
        let meta = &object["metadata"];
        Key::new(
            object["kind"].as_str().unwrap_or_default(),
            meta["namespace"].as_str().unwrap_or_default(),
            meta["name"].as_str().unwrap_or_default(),
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeType {
    Added,
    Modified,
    Deleted,
}

#[derive(Debug, Clone)]
pub struct Change {
    pub rv: u64,
    pub change: ChangeType,
    pub object: Arc<Value>,
    /// The object before this change (for watches with selectors: an object
    /// that stops matching is reported DELETED, one that starts, ADDED).
    pub previous: Option<Arc<Value>>,
}

/// The live feed of changes a watch reads.
pub type Changes = broadcast::Receiver<Arc<Change>>;

/// How many changes a watch can resume from, as etcd's compaction window.
pub const DEFAULT_HISTORY: usize = 4096;

#[derive(Debug)]
pub struct Store {
    objects: BTreeMap<Key, Arc<Value>>,
    rv: u64,
    history: VecDeque<Arc<Change>>,
    history_limit: usize,
    /// Changes at or below this resourceVersion are no longer in the history.
    compacted: u64,
    tx: broadcast::Sender<Arc<Change>>,
}

impl Store {
    pub fn new(history_limit: usize) -> Store {
        let (tx, _) = broadcast::channel(history_limit.max(16));
        Store {
            objects: BTreeMap::new(),
            rv: 1,
            history: VecDeque::new(),
            history_limit: history_limit.max(1),
            compacted: 1,
            tx,
        }
    }

    pub fn resource_version(&self) -> u64 {
        self.rv
    }

    pub fn compacted(&self) -> u64 {
        self.compacted
    }

    pub fn get(&self, key: &Key) -> Option<Arc<Value>> {
        self.objects.get(key).cloned()
    }

    /// Objects of one kind (in one namespace, when given), in key order,
    /// starting after `after` (a continue position).
    pub fn range<'a>(
        &'a self,
        kind: &'a str,
        namespace: Option<&'a str>,
        after: Option<(&'a str, &'a str)>,
    ) -> impl Iterator<Item = &'a Arc<Value>> + 'a {
        let start = match (namespace, after) {
            (_, Some((ns, name))) => Key::new(kind, ns, name),
            (Some(ns), None) => Key::new(kind, ns, ""),
            (None, None) => Key::new(kind, "", ""),
        };
        let skip_start = after.is_some();
        self.objects
            .range(start.clone()..)
            .skip_while(move |(k, _)| skip_start && **k == start)
            .take_while(move |(k, _)| {
                k.kind == kind && namespace.is_none_or(|ns| k.namespace == ns)
            })
            .map(|(_, v)| v)
    }

    /// Create or replace an object; fills resourceVersion, uid and
    /// creationTimestamp the way the API server does.
    pub fn upsert(&mut self, object: Value, now: Timestamp) -> Arc<Value> {
        let prepared = self.prepare(object, now);
        self.commit(prepared)
    }

    /// What an object would look like once stored, without storing it (dry run).
    pub fn prepare(&self, mut object: Value, now: Timestamp) -> Value {
        let key = Key::of(&object);
        let existing = self.objects.get(&key);
        if !object["metadata"].is_object() {
            object["metadata"] = json!({});
        }
        let meta = &mut object["metadata"];
        if meta["uid"].as_str().is_none_or(str::is_empty) {
            meta["uid"] = match existing.and_then(|e| e["metadata"]["uid"].as_str()) {
                Some(uid) => json!(uid),
                // The resourceVersion makes a re-created object a new one,
                // as a real server's random uid would.
                None => json!(uid_for(&format!(
                    "{}/{}/{}/{}",
                    key.kind, key.namespace, key.name, self.rv
                ))),
            };
        }
        if meta["creationTimestamp"].as_str().is_none_or(str::is_empty) {
            meta["creationTimestamp"] =
                match existing.and_then(|e| e["metadata"]["creationTimestamp"].as_str()) {
                    Some(ts) => json!(ts),
                    None => json!(format_time(now)),
                };
        }
        meta["resourceVersion"] = json!((self.rv + 1).to_string());
        object
    }

    fn commit(&mut self, mut object: Value) -> Arc<Value> {
        self.rv += 1;
        object["metadata"]["resourceVersion"] = json!(self.rv.to_string());
        let key = Key::of(&object);
        let object = Arc::new(object);
        let previous = self.objects.insert(key.clone(), object.clone());
        let change = if previous.is_some() {
            ChangeType::Modified
        } else {
            ChangeType::Added
        };
        self.record(change, object.clone(), previous);
        object
    }

    pub fn delete(&mut self, key: &Key) -> Option<Arc<Value>> {
        let old = self.objects.remove(key)?;
        self.rv += 1;
        let mut gone = (*old).clone();
        gone["metadata"]["resourceVersion"] = json!(self.rv.to_string());
        let gone = Arc::new(gone);
        self.record(ChangeType::Deleted, gone.clone(), Some(old));
        Some(gone)
    }

    fn record(&mut self, change: ChangeType, object: Arc<Value>, previous: Option<Arc<Value>>) {
        let change = Arc::new(Change {
            rv: self.rv,
            change,
            object,
            previous,
        });
        self.history.push_back(change.clone());
        while self.history.len() > self.history_limit {
            if let Some(old) = self.history.pop_front() {
                self.compacted = old.rv;
            }
        }
        // No receivers is fine: nobody is watching.
        let _ = self.tx.send(change);
    }

    /// Forget the whole history, as an etcd compaction would: every older
    /// resourceVersion now answers 410 Gone.
    pub fn compact(&mut self) {
        self.history.clear();
        self.compacted = self.rv;
    }

    /// The changes after `rv` plus a receiver for the ones to come, taken
    /// together so none is missed or seen twice. `None` when `rv` is too old.
    pub fn changes_since(&self, rv: u64) -> Option<(Vec<Arc<Change>>, Changes)> {
        if rv < self.compacted {
            return None;
        }
        let backlog = self.history.iter().filter(|c| c.rv > rv).cloned().collect();
        Some((backlog, self.tx.subscribe()))
    }

    /// Every object of a kind plus a receiver, taken together.
    pub fn snapshot_and_subscribe(
        &self,
        kind: &str,
        namespace: Option<&str>,
    ) -> (Vec<Arc<Value>>, u64, Changes) {
        let objects = self.range(kind, namespace, None).cloned().collect();
        (objects, self.rv, self.tx.subscribe())
    }

    pub fn len(&self) -> usize {
        self.objects.len()
    }

    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// Every object, in key order.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<Value>> {
        self.objects.values()
    }

    /// Every object of one kind, in every namespace.
    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Arc<Value>> + 'a {
        self.range(kind, None, None)
    }
}

/// A stable uid derived from `seed`, so a scenario looks the same every run.
pub fn uid_for(seed: &str) -> String {
    let digest = Sha256::digest(seed);
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-4{}-8{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

/// RFC 3339 in UTC with whole seconds, as Kubernetes writes times.
pub fn format_time(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(ns: &str, name: &str) -> Value {
        json!({ "apiVersion": "v1", "kind": "Pod", "metadata": { "name": name, "namespace": ns } })
    }

    #[test]
    fn writes_bump_the_resource_version_and_fill_metadata() {
        let mut store = Store::new(10);
        let now = Timestamp::from_second(1_700_000_000).unwrap();
        let a = store.upsert(pod("shop", "a"), now);
        assert_eq!(a["metadata"]["resourceVersion"], "2");
        assert_eq!(a["metadata"]["creationTimestamp"], "2023-11-14T22:13:20Z");
        let uid = a["metadata"]["uid"].as_str().unwrap().to_string();
        assert_eq!(uid.len(), 36);
        let a2 = store.upsert(pod("shop", "a"), now);
        assert_eq!(a2["metadata"]["resourceVersion"], "3");
        assert_eq!(a2["metadata"]["uid"], uid.as_str());
        let gone = store.delete(&Key::new("Pod", "shop", "a")).unwrap();
        assert_eq!(gone["metadata"]["resourceVersion"], "4");
        assert_eq!(store.len(), 0);
    }

    #[test]
    fn range_is_scoped_and_resumes_after_a_key() {
        let mut store = Store::new(10);
        let now = Timestamp::UNIX_EPOCH;
        for (ns, name) in [("a", "x"), ("b", "y"), ("b", "z"), ("c", "w")] {
            store.upsert(pod(ns, name), now);
        }
        store.upsert(json!({ "kind": "Node", "metadata": { "name": "n" } }), now);
        let names = |it: Vec<&Arc<Value>>| -> Vec<String> {
            it.iter()
                .map(|v| v["metadata"]["name"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(
            names(store.range("Pod", None, None).collect()),
            ["x", "y", "z", "w"]
        );
        assert_eq!(
            names(store.range("Pod", Some("b"), None).collect()),
            ["y", "z"]
        );
        assert_eq!(
            names(store.range("Pod", None, Some(("b", "y"))).collect()),
            ["z", "w"]
        );
        assert_eq!(
            names(store.range("Pod", Some("b"), Some(("b", "y"))).collect()),
            ["z"]
        );
    }

    #[test]
    fn history_is_bounded_and_old_versions_expire() {
        let mut store = Store::new(2);
        let now = Timestamp::UNIX_EPOCH;
        for name in ["a", "b", "c"] {
            store.upsert(pod("x", name), now);
        }
        // rv 2, 3, 4 written; only 3 and 4 kept
        assert!(store.changes_since(1).is_none());
        let (backlog, _) = store.changes_since(2).unwrap();
        assert_eq!(backlog.iter().map(|c| c.rv).collect::<Vec<_>>(), [3, 4]);
        store.compact();
        assert!(store.changes_since(3).is_none());
        assert!(store.changes_since(4).unwrap().0.is_empty());
    }
}
