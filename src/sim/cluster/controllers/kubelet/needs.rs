//! What a container depends on beyond itself, by the workload's rules:
//! the Services and DNS it calls (reached through ready endpoints that
//! NetworkPolicies let it reach) and the load it shares with its peers.
//! The words are what the application would log or its probe print.

use std::sync::Arc;

use serde_json::Value;

use crate::sim::cluster::controllers::endpoints::ready_endpoint_pods;
use crate::sim::cluster::controllers::{namespace, netpol, workload_of};
use crate::sim::cluster::quantity;
use crate::sim::cluster::{Cluster, Key};
use crate::sim::scenario::Workload;

/// Why a need is not met, as the container says it (`None`: all met).
pub fn unmet(cluster: &Cluster, pod: &Value, rule: &Workload) -> Option<String> {
    for need in &rule.needs {
        if need.dns && !dns_works(cluster, pod) {
            let host = rule
                .needs
                .iter()
                .find_map(|n| n.service.as_deref())
                .map(|s| fqdn(s, namespace(pod)))
                .unwrap_or_else(|| "kubernetes.default.svc.cluster.local".into());
            let ip = pod["status"]["podIP"].as_str().unwrap_or("10.244.0.2");
            return Some(format!(
                "dial tcp: lookup {host} on 10.96.0.10:53: read udp {ip}:41327->10.96.0.10:53: i/o timeout"
            ));
        }
        if let Some(service) = &need.service
            && let Some(problem) = service_problem(cluster, pod, service)
        {
            return Some(problem);
        }
    }
    None
}

fn split(service: &str, default_ns: &str) -> (String, String) {
    match service.split_once('/') {
        Some((ns, name)) => (ns.to_string(), name.to_string()),
        None => (default_ns.to_string(), service.to_string()),
    }
}

fn fqdn(service: &str, default_ns: &str) -> String {
    let (ns, name) = split(service, default_ns);
    format!("{name}.{ns}.svc.cluster.local")
}

fn dns_works(cluster: &Cluster, pod: &Value) -> bool {
    let Some(dns) = cluster
        .store
        .get(&Key::new("Service", "kube-system", "kube-dns"))
    else {
        return false;
    };
    ready_endpoint_pods(cluster, &dns)
        .iter()
        .any(|server| netpol::allowed(cluster, pod, server))
}

fn service_problem(cluster: &Cluster, pod: &Value, service: &str) -> Option<String> {
    let (ns, svc) = split(service, namespace(pod));
    let host = fqdn(service, namespace(pod));
    let Some(object) = cluster.store.get(&Key::new("Service", &ns, &svc)) else {
        return Some(format!(
            "dial tcp: lookup {host} on 10.96.0.10:53: no such host"
        ));
    };
    let port = object["spec"]["ports"][0]["port"].as_i64().unwrap_or(80);
    let ip = object["spec"]["clusterIP"].as_str().unwrap_or("10.96.0.1");
    let backends = ready_endpoint_pods(cluster, &object);
    if backends.is_empty() {
        return Some(format!(
            "upstream {host}: dial tcp {ip}:{port}: connect: connection refused"
        ));
    }
    if !backends.iter().any(|b| netpol::allowed(cluster, pod, b)) {
        return Some(format!(
            "upstream {host}: dial tcp {ip}:{port}: i/o timeout"
        ));
    }
    None
}

/// The CPU (cores) one running pod of a loaded workload is asked for: the
/// workload's load shared by its running pods.
pub fn load_share(cluster: &Cluster, pod: &Value, rule: &Workload) -> Option<f64> {
    let load = rule.load?;
    let workload = workload_of(cluster, pod);
    let running = cluster
        .store
        .range("Pod", Some(namespace(pod)), None)
        .filter(|p| is_running(p) && workload_of(cluster, p) == workload)
        .count()
        .max(1);
    Some(load / running as f64)
}

fn is_running(pod: &Arc<Value>) -> bool {
    pod["status"]["phase"] == "Running"
        && !pod["metadata"]["deletionTimestamp"].is_string()
        && pod["status"]["containerStatuses"]
            .as_array()
            .is_some_and(|s| s.iter().any(|c| c["state"]["running"].is_object()))
}

/// Whether the pod's share of its load is more than its CPU limit (or
/// twice its request without one): its probes time out.
pub fn overloaded(cluster: &Cluster, pod: &Value, spec: &Value, rule: &Workload) -> bool {
    let Some(share) = load_share(cluster, pod, rule) else {
        return false;
    };
    let resources = &spec["resources"];
    let cap = quantity::of(&resources["limits"]["cpu"])
        .or_else(|| quantity::of(&resources["requests"]["cpu"]).map(|r| r * 2.0))
        .unwrap_or(f64::MAX);
    share > cap
}
