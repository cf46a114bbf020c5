//! The scheduler: binds each pending pod to a Ready, schedulable node whose
//! taints it tolerates, whose labels match its nodeSelector and whose
//! allocatable room fits its requests (the least loaded wins), or says why
//! none does in a FailedScheduling event, worded as kube-scheduler words it.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde_json::{Value, json};

use super::nodes::tolerates;
use super::{name, namespace, node_ready, pod_active, set_condition};
use crate::sim::cluster::events::{self, Note};
use crate::sim::cluster::quantity;
use crate::sim::cluster::store::format_time;
use crate::sim::cluster::{Cluster, defaults};

#[derive(Default, Clone, Copy)]
struct Load {
    cpu: f64,
    memory: f64,
    pods: f64,
}

fn requests(pod: &Value) -> Load {
    let mut load = Load {
        pods: 1.0,
        ..Load::default()
    };
    for c in pod["spec"]["containers"].as_array().into_iter().flatten() {
        load.cpu += quantity::of(&c["resources"]["requests"]["cpu"]).unwrap_or(0.0);
        load.memory += quantity::of(&c["resources"]["requests"]["memory"]).unwrap_or(0.0);
    }
    load
}

pub(super) fn run(cluster: &mut Cluster) {
    let pending: Vec<Arc<Value>> = cluster
        .store
        .of_kind("Pod")
        .filter(|p| {
            pod_active(p)
                && p["spec"]["nodeName"].as_str().is_none_or(str::is_empty)
                && p["spec"]["schedulerName"]
                    .as_str()
                    .is_none_or(|s| s == "default-scheduler")
        })
        .cloned()
        .collect();
    if pending.is_empty() {
        return;
    }
    let nodes: Vec<Arc<Value>> = cluster.store.of_kind("Node").cloned().collect();
    let mut used: HashMap<String, Load> = HashMap::new();
    for pod in cluster.store.of_kind("Pod") {
        if let Some(node) = pod["spec"]["nodeName"].as_str().filter(|n| !n.is_empty())
            && pod_active(pod)
        {
            let r = requests(pod);
            let u = used.entry(node.to_string()).or_default();
            u.cpu += r.cpu;
            u.memory += r.memory;
            u.pods += 1.0;
        }
    }
    for pod in pending {
        if let Some(why) = super::volumes::claim_problem(cluster, &pod) {
            unschedulable(cluster, &pod, nodes.len(), &BTreeMap::new(), Some(&why));
            continue;
        }
        let need = requests(&pod);
        let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
        let mut best: Option<(f64, &Arc<Value>)> = None;
        for node in &nodes {
            match fits(
                node,
                &pod,
                need,
                used.get(name(node)).copied().unwrap_or_default(),
            ) {
                Ok(score) => {
                    if best.is_none_or(|(b, _)| score < b) {
                        best = Some((score, node));
                    }
                }
                Err(why) => *reasons.entry(why).or_default() += 1,
            }
        }
        match best {
            Some((_, node)) => {
                let node_name = name(node).to_string();
                let u = used.entry(node_name.clone()).or_default();
                u.cpu += need.cpu;
                u.memory += need.memory;
                u.pods += 1.0;
                bind(cluster, &pod, node);
            }
            None => unschedulable(cluster, &pod, nodes.len(), &reasons, None),
        }
    }
}

/// `Ok(load after placing)` or the reason the node is filtered out.
fn fits(node: &Value, pod: &Value, need: Load, used: Load) -> Result<f64, String> {
    if node["spec"]["unschedulable"].as_bool() == Some(true) {
        return Err("node(s) were unschedulable".into());
    }
    let tolerations = pod["spec"]["tolerations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for taint in node["spec"]["taints"].as_array().into_iter().flatten() {
        if taint["effect"] == "PreferNoSchedule" {
            continue;
        }
        if !tolerations.iter().any(|t| tolerates(t, taint)) {
            return Err(format!(
                "node(s) had untolerated taint {{{}: {}}}",
                taint["key"].as_str().unwrap_or_default(),
                taint["value"].as_str().unwrap_or_default()
            ));
        }
    }
    if !node_ready(node) {
        return Err("node(s) had condition NotReady".into());
    }
    if let Some(selector) = pod["spec"]["nodeSelector"].as_object() {
        let labels = &node["metadata"]["labels"];
        if selector.iter().any(|(k, v)| labels.get(k) != Some(v)) {
            return Err("node(s) didn't match Pod's node affinity/selector".into());
        }
    }
    let allocatable = &node["status"]["allocatable"];
    let cpu = quantity::of(&allocatable["cpu"]).unwrap_or(f64::MAX);
    let memory = quantity::of(&allocatable["memory"]).unwrap_or(f64::MAX);
    let pods = quantity::of(&allocatable["pods"]).unwrap_or(110.0);
    if used.pods + 1.0 > pods {
        return Err("Too many pods".into());
    }
    if used.memory + need.memory > memory {
        return Err("Insufficient memory".into());
    }
    if used.cpu + need.cpu > cpu {
        return Err("Insufficient cpu".into());
    }
    Ok((used.memory + need.memory) / memory.max(1.0) + (used.cpu + need.cpu) / cpu.max(1.0))
}

fn bind(cluster: &mut Cluster, pod: &Value, node: &Value) {
    let now = format_time(cluster.now());
    let mut next = pod.clone();
    defaults::admission::topology_labels(&mut next, node);
    let node = name(node).to_string();
    next["spec"]["nodeName"] = json!(node);
    set_condition(&mut next, "PodScheduled", "True", None, None, &now);
    never_probed(&mut next, "PodScheduled");
    let stored = cluster.put(next);
    let message = format!(
        "Successfully assigned {}/{} to {node}",
        namespace(pod),
        name(pod)
    );
    cluster.event(
        &stored,
        events::SCHEDULER,
        Note {
            warning: false,
            reason: "Scheduled",
            message: &message,
            field_path: None,
        },
    );
}

fn unschedulable(
    cluster: &mut Cluster,
    pod: &Value,
    total: usize,
    reasons: &BTreeMap<String, usize>,
    // A reason that rules out every node at once (unbound claims).
    prefilter: Option<&str>,
) {
    let mut parts: Vec<String> = reasons
        .iter()
        .map(|(why, n)| format!("{n} {why}"))
        .collect();
    parts.sort();
    let why = match prefilter {
        Some(why) => why.to_string(),
        None if parts.is_empty() => "no nodes available to schedule pods".to_string(),
        None => parts.join(", "),
    };
    let message = format!(
        "0/{total} nodes are available: {why}. preemption: 0/{total} nodes are available: {total} Preemption is not helpful for scheduling."
    );
    let known = pod["status"]["conditions"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["type"] == "PodScheduled"))
        .is_some_and(|c| c["message"] == message.as_str());
    if known {
        return;
    }
    let now = format_time(cluster.now());
    let mut next = pod.clone();
    set_condition(
        &mut next,
        "PodScheduled",
        "False",
        Some("Unschedulable"),
        Some(&message),
        &now,
    );
    never_probed(&mut next, "PodScheduled");
    let stored = cluster.put(next);
    cluster.event(
        &stored,
        events::SCHEDULER,
        Note {
            warning: true,
            reason: "FailedScheduling",
            message: &message,
            field_path: None,
        },
    );
}

/// The scheduler writes a condition's `lastProbeTime` as Go's zero time,
/// which serialises as null.
fn never_probed(pod: &mut Value, kind: &str) {
    if let Some(c) = pod["status"]["conditions"]
        .as_array_mut()
        .and_then(|cs| cs.iter_mut().find(|c| c["type"] == kind))
    {
        c["lastProbeTime"] = Value::Null;
    }
}
