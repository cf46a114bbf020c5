//! The simulated kubelet of every Ready node: it runs each pod's
//! containers by the scenario's rules (which images the registry has,
//! what memory each workload needs, whether it exits or fails its
//! readiness probe), restarts crashed containers with the kubelet's
//! back-off (10 s doubling to 5 min, restart counts that climb), finishes
//! pods being deleted, and reports it all in the pod's status, in events
//! and in the container logs.

mod config;
mod container;
mod eviction;
pub mod needs;
mod probes;

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{name, namespace, node_ready, set_condition, terminating, workload_of};
use crate::sim::cluster::events::{self, Note};
use crate::sim::cluster::store::format_time;
use crate::sim::cluster::{Cluster, Key};

/// Image pull back-off of one container, which its status does not keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullState {
    pub attempts: u32,
    /// Unix seconds of the last attempt.
    pub last: i64,
}

/// The kubelet's back-off before the `n`th retry (n ≥ 1): 10 s doubling, at most 5 min.
pub fn back_off(n: i64) -> i64 {
    let n = n.clamp(1, 16) as u32;
    (10i64 << (n - 1)).min(300)
}

/// A Go duration as the kubelet prints back-off (`10s`, `2m40s`, `5m0s`).
pub fn go_duration(seconds: i64) -> String {
    if seconds < 60 {
        format!("{seconds}s")
    } else {
        format!("{}m{}s", seconds / 60, seconds % 60)
    }
}

pub(super) fn run(cluster: &mut Cluster) {
    let nodes: HashMap<String, Arc<Value>> = cluster
        .store
        .of_kind("Node")
        .filter(|n| node_ready(n))
        .map(|n| (name(n).to_string(), n.clone()))
        .collect();
    let ready_nodes: Vec<Arc<Value>> = nodes.values().cloned().collect();
    for node in &ready_nodes {
        eviction::run(cluster, node);
    }
    // Finished pods (completed, failed, evicted) are left as they ended.
    let pods: Vec<Arc<Value>> = cluster
        .store
        .of_kind("Pod")
        .filter(|p| {
            p["spec"]["nodeName"]
                .as_str()
                .is_some_and(|n| nodes.contains_key(n))
                && (terminating(p)
                    || !matches!(p["status"]["phase"].as_str(), Some("Succeeded" | "Failed")))
        })
        .cloned()
        .collect();
    for pod in pods {
        let node_name = pod["spec"]["nodeName"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let Some(node) = nodes.get(&node_name) else {
            continue;
        };
        if terminating(&pod) {
            finish(cluster, &pod, &node_name);
        } else if !settled(cluster, &pod) {
            sync(cluster, &pod, node);
        }
    }
}

/// A pod whose every container runs, is ready and has no rule that could
/// change that: nothing for the kubelet to do (a large cluster is mostly these).
fn settled(cluster: &Cluster, pod: &Value) -> bool {
    let Some(statuses) = pod["status"]["containerStatuses"].as_array() else {
        return false;
    };
    let specs = pod["spec"]["containers"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let all_fine = specs.len() == statuses.len()
        && specs.iter().all(|spec| {
            statuses.iter().any(|s| {
                s["name"] == spec["name"]
                    && s["image"] == spec["image"]
                    && s["ready"] == true
                    && s["state"]["running"].is_object()
            })
        })
        && super::pod_ready(pod);
    if !all_fine {
        return false;
    }
    if cluster.rules.workloads.is_empty() {
        return true;
    }
    let workload = workload_of(cluster, pod);
    specs.iter().all(|spec| {
        let container = spec["name"].as_str().unwrap_or_default();
        cluster
            .rules
            .for_pod(name(pod), &workload, container)
            .is_none_or(|r| {
                r.ready
                    && r.live
                    && r.exits.is_none()
                    && r.memory_needs.is_none()
                    && r.needs.is_empty()
                    && r.load.is_none()
            })
    })
}

/// A pod being deleted on a live node: its containers stop, it is gone.
fn finish(cluster: &mut Cluster, pod: &Arc<Value>, node: &str) {
    for c in pod["status"]["containerStatuses"]
        .as_array()
        .into_iter()
        .flatten()
    {
        if c["state"]["running"].is_object() {
            let container = c["name"].as_str().unwrap_or_default();
            let message = format!("Stopping container {container}");
            let path = format!("spec.containers{{{container}}}");
            cluster.event(
                pod,
                events::kubelet(node),
                Note {
                    warning: false,
                    reason: "Killing",
                    message: &message,
                    field_path: Some(&path),
                },
            );
        }
    }
    cluster.remove(&Key::of(pod));
}

fn internal_ip(node: &Value) -> Option<&str> {
    node["status"]["addresses"]
        .as_array()?
        .iter()
        .find(|a| a["type"] == "InternalIP")
        .and_then(|a| a["address"].as_str())
}

/// An address from the node's pod range (`10.244.1.0/24` → `10.244.1.N`).
fn pod_ip(cluster: &mut Cluster, node: &Value) -> String {
    cluster.seq += 1;
    let host = cluster.seq % 250 + 2;
    let cidr = node["spec"]["podCIDR"].as_str().unwrap_or("10.244.0.0/24");
    let base = cidr.split('/').next().unwrap_or("10.244.0.0");
    let mut octets: Vec<&str> = base.split('.').collect();
    let last = host.to_string();
    if octets.len() == 4 {
        octets[3] = &last;
        octets.join(".")
    } else {
        format!("10.244.0.{host}")
    }
}

fn sync(cluster: &mut Cluster, pod: &Arc<Value>, node: &Value) {
    let now = format_time(cluster.now());
    let workload = workload_of(cluster, pod);
    let mut next = (**pod).clone();
    if next["status"]["startTime"].is_null() {
        next["status"]["startTime"] = json!(now);
    }
    if next["status"]["hostIP"].is_null()
        && let Some(ip) = internal_ip(node)
    {
        next["status"]["hostIP"] = json!(ip);
        next["status"]["hostIPs"] = json!([{ "ip": ip }]);
    }
    if next["status"]["podIP"].is_null() {
        let ip = pod_ip(cluster, node);
        next["status"]["podIP"] = json!(ip);
        next["status"]["podIPs"] = json!([{ "ip": ip }]);
    }
    let old_statuses = pod["status"]["containerStatuses"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let specs = pod["spec"]["containers"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut statuses = Vec::with_capacity(specs.len());
    for spec in &specs {
        let container_name = spec["name"].as_str().unwrap_or_default();
        let old = old_statuses.iter().find(|s| s["name"] == container_name);
        let rule = cluster
            .rules
            .for_pod(name(pod), &workload, container_name)
            .cloned()
            .unwrap_or_default();
        let unmet = needs::unmet(cluster, pod, &rule);
        let overloaded = needs::overloaded(cluster, pod, spec, &rule);
        let mut ctx = container::Ctx {
            cluster,
            pod,
            node: name(node),
            rule: &rule,
            unmet,
            overloaded,
        };
        statuses.push(ctx.step(spec, old));
    }
    let all_ready = !statuses.is_empty() && statuses.iter().all(|s| s["ready"] == true);
    let ran = statuses.iter().any(|s| {
        s["state"]["running"].is_object()
            || s["restartCount"].as_i64().unwrap_or(0) > 0
            || s["lastState"]["terminated"].is_object()
    });
    let unready: Vec<&str> = statuses
        .iter()
        .filter(|s| s["ready"] != true)
        .filter_map(|s| s["name"].as_str())
        .collect();
    let message = format!("containers with unready status: [{}]", unready.join(" "));
    let finished = !statuses.is_empty()
        && statuses
            .iter()
            .all(|s| s["state"]["terminated"].is_object());
    let phase = if finished {
        let all_ok = statuses
            .iter()
            .all(|s| s["state"]["terminated"]["exitCode"].as_i64() == Some(0));
        if all_ok { "Succeeded" } else { "Failed" }
    } else if ran {
        "Running"
    } else {
        "Pending"
    };
    next["status"]["phase"] = json!(phase);
    next["status"]["containerStatuses"] = json!(statuses);
    set_condition(
        &mut next,
        "PodReadyToStartContainers",
        "True",
        None,
        None,
        &now,
    );
    set_condition(&mut next, "Initialized", "True", None, None, &now);
    for kind in ["Ready", "ContainersReady"] {
        if all_ready {
            set_condition(&mut next, kind, "True", None, None, &now);
        } else {
            set_condition(
                &mut next,
                kind,
                "False",
                Some("ContainersNotReady"),
                Some(&message),
                &now,
            );
        }
    }
    set_condition(&mut next, "PodScheduled", "True", None, None, &now);
    cluster.put(next);
}

/// Whether the pod's restart policy starts a container again after it
/// exited with `code`.
pub(super) fn restarts_after(pod: &Value, code: i64) -> bool {
    match pod["spec"]["restartPolicy"].as_str() {
        Some("Never") => false,
        Some("OnFailure") => code != 0,
        _ => true,
    }
}

/// The `pod_namespace(uid)` the kubelet names pods by in its messages.
fn pod_ref(pod: &Value) -> String {
    format!("{}_{}({})", name(pod), namespace(pod), super::uid(pod))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_to_five_minutes() {
        let seq: Vec<i64> = (1..=7).map(back_off).collect();
        assert_eq!(seq, [10, 20, 40, 80, 160, 300, 300]);
        assert_eq!(go_duration(10), "10s");
        assert_eq!(go_duration(160), "2m40s");
        assert_eq!(go_duration(300), "5m0s");
    }
}
