//! The kubelet's eviction manager: on a node whose DiskPressure condition
//! is True (its disk fills from outside the pods: images, logs), one pod
//! is evicted every 10 s, BestEffort before Burstable before Guaranteed;
//! critical pods stay. An evicted pod is Failed with reason `Evicted`,
//! as `kubectl get pods` shows it, and its controller replaces it.

use std::sync::Arc;

use jiff::SignedDuration;
use serde_json::{Value, json};

use crate::sim::cluster::Cluster;
use crate::sim::cluster::controllers::{name, set_condition};
use crate::sim::cluster::events::{self, Note};
use crate::sim::cluster::store::format_time;

const MONITORING_INTERVAL: i64 = 10;

fn disk_pressure(node: &Value) -> bool {
    node["status"]["conditions"].as_array().is_some_and(|cs| {
        cs.iter()
            .any(|c| c["type"] == "DiskPressure" && c["status"] == "True")
    })
}

fn critical(pod: &Value) -> bool {
    pod["spec"]["priorityClassName"]
        .as_str()
        .is_some_and(|p| p == "system-node-critical" || p == "system-cluster-critical")
}

fn rank(pod: &Value) -> u8 {
    match pod["status"]["qosClass"].as_str() {
        Some("BestEffort") => 0,
        Some("Guaranteed") => 2,
        _ => 1,
    }
}

pub(super) fn run(cluster: &mut Cluster, node: &Value) {
    if !disk_pressure(node) {
        return;
    }
    let now = cluster.now();
    let second = now.as_second();
    cluster.wake_at(
        now + SignedDuration::from_secs(
            MONITORING_INTERVAL - second.rem_euclid(MONITORING_INTERVAL),
        ),
    );
    if second.rem_euclid(MONITORING_INTERVAL) != 0 {
        return;
    }
    let node_name = name(node).to_string();
    let mut candidates: Vec<Arc<Value>> = cluster
        .store
        .of_kind("Pod")
        .filter(|p| {
            p["spec"]["nodeName"] == node_name.as_str()
                && !critical(p)
                && !matches!(p["status"]["phase"].as_str(), Some("Succeeded" | "Failed"))
                && !p["metadata"]["deletionTimestamp"].is_string()
        })
        .cloned()
        .collect();
    candidates.sort_by_key(|p| (rank(p), name(p).to_string()));
    let Some(pod) = candidates.first() else {
        return;
    };
    let message = "The node was low on resource: ephemeral-storage. Threshold quantity: 10Gi, available: 3872Mi. ";
    cluster.event(
        node,
        events::kubelet(&node_name),
        Note {
            warning: true,
            reason: "EvictionThresholdMet",
            message: "Attempting to reclaim ephemeral-storage",
            field_path: None,
        },
    );
    let stamp = format_time(now);
    let mut evicted = (**pod).clone();
    evicted["status"]["phase"] = json!("Failed");
    evicted["status"]["reason"] = json!("Evicted");
    evicted["status"]["message"] = json!(message);
    if let Some(statuses) = evicted["status"]["containerStatuses"].as_array_mut() {
        for s in statuses {
            let started = s["state"]["running"]["startedAt"].clone();
            s["state"] = json!({ "terminated": { "exitCode": 137, "reason": "Error",
                "message": "The container was evicted", "startedAt": started, "finishedAt": stamp } });
            s["ready"] = json!(false);
            s["started"] = json!(false);
        }
    }
    set_condition(
        &mut evicted,
        "DisruptionTarget",
        "True",
        Some("TerminationByKubelet"),
        Some(message),
        &stamp,
    );
    set_condition(
        &mut evicted,
        "Ready",
        "False",
        Some("PodFailed"),
        None,
        &stamp,
    );
    set_condition(
        &mut evicted,
        "ContainersReady",
        "False",
        Some("PodFailed"),
        None,
        &stamp,
    );
    let stored = cluster.put(evicted);
    cluster.event(
        &stored,
        events::kubelet(&node_name),
        Note {
            warning: true,
            reason: "Evicted",
            message,
            field_path: None,
        },
    );
}
