//! The endpoint slice controller (and the legacy endpoints one): each
//! Service with a selector gets an EndpointSlice and an Endpoints object
//! listing the pods it selects, ready or not, as kube-proxy and `kubectl
//! describe svc` read them. Services get a cluster IP if they lack one,
//! as the API server allocates it.

use std::sync::Arc;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{name, namespace, owner_reference, pod_ready, terminating};
use crate::sim::cluster::selectors::LabelSelector;
use crate::sim::cluster::{Cluster, Key};

pub const SERVICE_NAME: &str = "kubernetes.io/service-name";

pub(super) fn run(cluster: &mut Cluster) {
    let services: Vec<Arc<Value>> = cluster.store.of_kind("Service").cloned().collect();
    for service in services {
        let service = allocate_ip(cluster, &service);
        let Some(selector) = selector(&service) else {
            continue;
        };
        let ns = namespace(&service).to_string();
        let pods: Vec<Arc<Value>> = cluster
            .store
            .range("Pod", Some(&ns), None)
            .filter(|p| {
                selector.matches(p)
                    && p["status"]["podIP"].is_string()
                    && !matches!(p["status"]["phase"].as_str(), Some("Succeeded" | "Failed"))
            })
            .cloned()
            .collect();
        write_slice(cluster, &service, &pods);
        write_endpoints(cluster, &service, &pods);
    }
}

/// A Service's `spec.selector` as a label selector (`None`: a Service
/// without one, whose endpoints are written by hand).
pub fn selector(service: &Value) -> Option<LabelSelector> {
    let map = service["spec"]["selector"].as_object()?;
    if map.is_empty() {
        return None;
    }
    Some(LabelSelector::from_match_labels(
        &json!({ "matchLabels": map }),
    ))
}

fn allocate_ip(cluster: &mut Cluster, service: &Arc<Value>) -> Arc<Value> {
    if service["spec"]["clusterIP"].is_string() || service["spec"]["type"] == "ExternalName" {
        return service.clone();
    }
    let ip = crate::sim::cluster::defaults::cluster_ip(namespace(service), name(service));
    let mut next = (**service).clone();
    next["spec"]["clusterIP"] = json!(ip);
    next["spec"]["clusterIPs"] = json!([ip]);
    cluster.put(next)
}

/// The port a Service port reaches on a pod (a named targetPort is looked up).
fn target_port(port: &Value, pod: Option<&Value>) -> Value {
    let target = &port["targetPort"];
    if let Some(named) = target.as_str()
        && let Some(pod) = pod
    {
        for c in pod["spec"]["containers"].as_array().into_iter().flatten() {
            for p in c["ports"].as_array().into_iter().flatten() {
                if p["name"] == named {
                    return p["containerPort"].clone();
                }
            }
        }
    }
    match target {
        Value::Null => port["port"].clone(),
        // A name no pod has leaves the port unset (an int32 or nothing,
        // as the EndpointSlice controller writes it), never the name.
        Value::String(_) => Value::Null,
        number => number.clone(),
    }
}

fn write_slice(cluster: &mut Cluster, service: &Value, pods: &[Arc<Value>]) {
    let svc = name(service);
    let ns = namespace(service);
    let digest = Sha256::digest(format!("slice/{ns}/{svc}"));
    // Kubernetes' alphabet for generated names (no vowels, no 0, 1 or 3).
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let suffix: String = digest
        .iter()
        .take(5)
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    let slice_name = format!("{svc}-{suffix}");
    let endpoints: Vec<Value> = pods
        .iter()
        .map(|p| {
            let ready = pod_ready(p) && !terminating(p);
            json!({
                "addresses": [p["status"]["podIP"]],
                "conditions": { "ready": ready, "serving": pod_ready(p), "terminating": terminating(p) },
                "nodeName": p["spec"]["nodeName"],
                "targetRef": { "kind": "Pod", "namespace": ns, "name": name(p), "uid": p["metadata"]["uid"] },
            })
        })
        .collect();
    let ports: Vec<Value> = service["spec"]["ports"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|port| {
            let mut p = json!({
                "port": target_port(port, pods.first().map(|p| &**p)),
                "protocol": port["protocol"].as_str().unwrap_or("TCP"),
            });
            if let Some(n) = port["name"].as_str() {
                p["name"] = json!(n);
            } else {
                p["name"] = json!("");
            }
            p
        })
        .collect();
    let key = Key::new("EndpointSlice", ns, &slice_name);
    let mut slice = cluster
        .store
        .get(&key)
        .map(|s| (*s).clone())
        .unwrap_or_else(|| {
            json!({
                "apiVersion": "discovery.k8s.io/v1",
                "kind": "EndpointSlice",
                "metadata": {
                    "name": slice_name,
                    "namespace": ns,
                    "generateName": format!("{svc}-"),
                    "labels": {
                        SERVICE_NAME: svc,
                        "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
                    },
                    "ownerReferences": [owner_reference(service)],
                },
                "addressType": "IPv4",
            })
        });
    let before = slice.clone();
    // The Service's labels, and the controller's two.
    let mut labels = service["metadata"]["labels"].clone();
    if !labels.is_object() {
        labels = json!({});
    }
    labels[SERVICE_NAME] = json!(svc);
    labels["endpointslice.kubernetes.io/managed-by"] = json!("endpointslice-controller.k8s.io");
    if service["spec"]["clusterIP"] == "None" {
        labels["service.kubernetes.io/headless"] = json!("");
    }
    slice["metadata"]["labels"] = labels;
    if slice["metadata"]["annotations"][TRIGGER_TIME].is_null() {
        slice["metadata"]["annotations"][TRIGGER_TIME] =
            service["metadata"]["creationTimestamp"].clone();
    }
    // A Service without pods gets the controller's placeholder slice:
    // no endpoints and no ports (both null, as Go writes nil slices).
    if pods.is_empty() {
        slice["endpoints"] = Value::Null;
        slice["ports"] = Value::Null;
    } else {
        slice["endpoints"] = json!(endpoints);
        slice["ports"] = json!(ports);
    }
    if slice == before {
        return;
    }
    let generation = before["metadata"]["generation"].as_i64().unwrap_or(0) + 1;
    slice["metadata"]["generation"] = json!(generation);
    cluster.put(slice);
}

const TRIGGER_TIME: &str = "endpoints.kubernetes.io/last-change-trigger-time";

fn write_endpoints(cluster: &mut Cluster, service: &Value, pods: &[Arc<Value>]) {
    let address = |p: &Arc<Value>| {
        json!({
            "ip": p["status"]["podIP"],
            "nodeName": p["spec"]["nodeName"],
            "targetRef": { "kind": "Pod", "namespace": namespace(p), "name": name(p), "uid": p["metadata"]["uid"] },
        })
    };
    let ready: Vec<Value> = pods.iter().filter(|p| pod_ready(p)).map(address).collect();
    let not_ready: Vec<Value> = pods.iter().filter(|p| !pod_ready(p)).map(address).collect();
    let ports: Vec<Value> = service["spec"]["ports"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|port| {
            let mut p = json!({
                "port": target_port(port, pods.first().map(|p| &**p)),
                "protocol": port["protocol"].as_str().unwrap_or("TCP"),
            });
            if let Some(n) = port["name"].as_str() {
                p["name"] = json!(n);
            }
            p
        })
        .collect();
    let mut subset = json!({ "ports": ports });
    if !ready.is_empty() {
        subset["addresses"] = json!(ready);
    }
    if !not_ready.is_empty() {
        subset["notReadyAddresses"] = json!(not_ready);
    }
    let subsets = if pods.is_empty() {
        json!([])
    } else {
        json!([subset])
    };
    let key = Key::new("Endpoints", namespace(service), name(service));
    let mut endpoints = cluster
        .store
        .get(&key)
        .map(|e| (*e).clone())
        .unwrap_or_else(|| {
            json!({
                "apiVersion": "v1",
                "kind": "Endpoints",
                "metadata": {
                    "name": name(service),
                    "namespace": namespace(service),
                },
            })
        });
    // The endpoints controller's labels: the Service's and its own mark.
    let mut labels = service["metadata"]["labels"].clone();
    if !labels.is_object() {
        labels = json!({});
    }
    labels["endpoints.kubernetes.io/managed-by"] = json!("endpoint-controller");
    endpoints["metadata"]["labels"] = labels;
    // When the controller last saw what it reflects change (the Service's
    // creation, for one with no pods yet).
    if endpoints["metadata"]["annotations"][TRIGGER_TIME].is_null() {
        endpoints["metadata"]["annotations"][TRIGGER_TIME] =
            service["metadata"]["creationTimestamp"].clone();
    }
    // An empty list is left out, as Go's omitempty leaves it.
    if pods.is_empty() {
        endpoints.as_object_mut().map(|e| e.remove("subsets"));
    } else {
        endpoints["subsets"] = subsets;
    }
    cluster.put(endpoints);
}

/// The pods behind a Service that kube-proxy would send traffic to: the
/// ready endpoints of its slices.
pub fn ready_endpoint_pods(cluster: &Cluster, service: &Value) -> Vec<Arc<Value>> {
    let ns = namespace(service);
    let svc = name(service);
    let mut out = Vec::new();
    for slice in cluster.store.range("EndpointSlice", Some(ns), None) {
        if slice["metadata"]["labels"][SERVICE_NAME] != svc {
            continue;
        }
        for e in slice["endpoints"].as_array().into_iter().flatten() {
            if e["conditions"]["ready"] != true {
                continue;
            }
            if let Some(pod) = e["targetRef"]["name"]
                .as_str()
                .and_then(|n| cluster.store.get(&Key::new("Pod", ns, n)))
            {
                out.push(pod);
            }
        }
    }
    out
}
