//! The usage model `kubectl top` reads through metrics.k8s.io: a running
//! container's memory grows through its warm-up to what its workload
//! needs (capped by its limit), its CPU is the workload's; nodes add up
//! their pods plus what the system takes.

use jiff::Timestamp;
use serde_json::Value;

use super::controllers::workload_of;
use super::{Cluster, quantity};

/// What the system (kubelet, runtime, daemons) uses on every node.
pub const SYSTEM_MEMORY: f64 = 512.0 * 1024.0 * 1024.0;
pub const SYSTEM_CPU: f64 = 0.1;
/// Without a rule, a container uses its request or this much.
const DEFAULT_MEMORY: f64 = 64.0 * 1024.0 * 1024.0;
const DEFAULT_CPU: f64 = 0.005;

#[derive(Debug, Clone, PartialEq)]
pub struct Usage {
    pub container: String,
    /// Cores.
    pub cpu: f64,
    /// Bytes.
    pub memory: f64,
}

/// Usage of each running container of a pod (none for a pod not running).
pub fn pod_usage(cluster: &Cluster, pod: &Value, now: Timestamp) -> Vec<Usage> {
    let workload = workload_of(cluster, pod);
    let statuses = pod["status"]["containerStatuses"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut out = Vec::new();
    for spec in pod["spec"]["containers"].as_array().into_iter().flatten() {
        let name = spec["name"].as_str().unwrap_or_default();
        let Some(started) = statuses
            .iter()
            .find(|s| s["name"] == name)
            .and_then(|s| s["state"]["running"]["startedAt"].as_str())
            .and_then(|t| t.parse::<Timestamp>().ok())
        else {
            continue;
        };
        let rule = cluster
            .rules
            .for_pod(
                pod["metadata"]["name"].as_str().unwrap_or_default(),
                &workload,
                name,
            )
            .cloned()
            .unwrap_or_default();
        let requests = &spec["resources"]["requests"];
        let need = rule
            .memory_needs
            .or_else(|| quantity::of(&requests["memory"]))
            .unwrap_or(DEFAULT_MEMORY);
        let limit = quantity::of(&spec["resources"]["limits"]["memory"]).unwrap_or(f64::MAX);
        let warmup = rule.warmup.as_secs_f64().max(1.0);
        let elapsed = now.duration_since(started).as_secs_f64().max(0.0);
        let grown = (elapsed / warmup).clamp(0.05, 1.0);
        let memory = (need * grown).min(limit * 0.98);
        // A loaded workload's pods each use their share, up to their limit.
        let cpu_limit = quantity::of(&spec["resources"]["limits"]["cpu"]).unwrap_or(f64::MAX);
        let cpu = super::controllers::kubelet::needs::load_share(cluster, pod, &rule)
            .map(|share| share.min(cpu_limit))
            .or(rule.cpu)
            .or_else(|| quantity::of(&requests["cpu"]).map(|c| c * 0.6))
            .unwrap_or(DEFAULT_CPU);
        out.push(Usage {
            container: name.to_string(),
            cpu,
            memory,
        });
    }
    out
}

/// (cores, bytes) a node uses: its running pods plus the system's share.
/// Every node's usage in one pass over the pods (a list of 5,000 nodes'
/// metrics went over 100,000 pods once per node: minutes, holding the
/// cluster, so every other request waited).
pub fn nodes_usage(
    cluster: &Cluster,
    now: Timestamp,
) -> std::collections::HashMap<String, (f64, f64)> {
    let mut out: std::collections::HashMap<String, (f64, f64)> = std::collections::HashMap::new();
    for pod in cluster.store.of_kind("Pod") {
        let Some(node) = pod["spec"]["nodeName"].as_str() else {
            continue;
        };
        let usage = pod_usage(cluster, pod, now);
        let entry = out
            .entry(node.to_string())
            .or_insert((SYSTEM_CPU, SYSTEM_MEMORY));
        for u in usage {
            entry.0 += u.cpu;
            entry.1 += u.memory;
        }
    }
    out
}

pub fn node_usage(cluster: &Cluster, node: &str, now: Timestamp) -> (f64, f64) {
    let mut cpu = SYSTEM_CPU;
    let mut memory = SYSTEM_MEMORY;
    for pod in cluster.store.of_kind("Pod") {
        if pod["spec"]["nodeName"].as_str() == Some(node) {
            for u in pod_usage(cluster, pod, now) {
                cpu += u.cpu;
                memory += u.memory;
            }
        }
    }
    (cpu, memory)
}
