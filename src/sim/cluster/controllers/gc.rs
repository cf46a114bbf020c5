//! The garbage collector: dependents whose owners are all gone (deleted
//! while the simulator ran) go too (background propagation), and owners
//! deleted in the foreground wait for their dependents. (Pods bound to a node a scenario does not list
//! are left alone: scenarios often show pods without their nodes.)

use std::collections::HashSet;

use serde_json::Value;

use super::{terminating, uid};
use crate::sim::cluster::writes::{delete_pod, owned_by};
use crate::sim::cluster::{Cluster, Key};

pub(super) fn run(cluster: &mut Cluster) {
    let uids: HashSet<String> = cluster.store.iter().map(|o| uid(o).to_string()).collect();
    let mut orphans = Vec::new();
    let mut foreground = Vec::new();
    for object in cluster.store.iter() {
        if let Some(refs) = object["metadata"]["ownerReferences"].as_array()
            && !refs.is_empty()
            && refs
                .iter()
                .all(|r| r["uid"].as_str().is_none_or(|u| !uids.contains(u)))
            && refs
                .iter()
                .any(|r| r["uid"].as_str().is_some_and(|u| cluster.gone.contains(u)))
            && !terminating(object)
        {
            orphans.push(Key::of(object));
        }
        if terminating(object)
            && object["kind"] != "Pod"
            && object["metadata"]["finalizers"]
                .as_array()
                .is_some_and(|f| f.iter().any(|f| f == "foregroundDeletion"))
        {
            foreground.push(object.clone());
        }
    }
    for key in orphans {
        if key.kind == "Pod" {
            delete_pod(cluster, &key, None);
        } else {
            cluster.remove(&key);
        }
    }
    for owner in foreground {
        let owner_uid = uid(&owner).to_string();
        let dependents: Vec<Value> = cluster
            .store
            .iter()
            .filter(|o| owned_by(o, &owner_uid))
            .map(|o| (**o).clone())
            .collect();
        if dependents.is_empty() {
            cluster.remove(&Key::of(&owner));
            continue;
        }
        for dependent in dependents {
            if terminating(&dependent) {
                continue;
            }
            let key = Key::of(&dependent);
            if key.kind == "Pod" {
                delete_pod(cluster, &key, None);
            } else {
                // Foreground all the way down, as the collector propagates it.
                let mut marked = dependent.clone();
                crate::sim::cluster::writes::mark_deleting(&mut marked, cluster.now());
                marked["metadata"]["finalizers"] = serde_json::json!(["foregroundDeletion"]);
                cluster.put(marked);
            }
        }
    }
}
