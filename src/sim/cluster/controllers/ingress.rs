//! An ingress controller (the cloud load balancer's, as GKE's words its
//! events): each Ingress gets an address, and while a backend Service is
//! missing or has no ready endpoints it says so in a Warning event on the
//! Ingress, again at every 30 s resync (the count climbs).

use std::sync::Arc;

use jiff::SignedDuration;
use serde_json::{Value, json};

use super::endpoints::ready_endpoint_pods;
use super::namespace;
use crate::sim::cluster::events::{self, Note};
use crate::sim::cluster::{Cluster, Key};

const RESYNC: i64 = 30;

pub(super) fn run(cluster: &mut Cluster) {
    // The ingress controller is a pod: without a kubelet none runs, and
    // Ingresses keep the empty status the API server gave them.
    if !cluster.kubelet {
        return;
    }
    let ingresses: Vec<Arc<Value>> = cluster.store.of_kind("Ingress").cloned().collect();
    for ingress in ingresses {
        reconcile(cluster, &ingress);
    }
}

/// The Service names an Ingress sends traffic to.
pub fn backends(ingress: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(s) = ingress["spec"]["defaultBackend"]["service"]["name"].as_str() {
        out.push(s.to_string());
    }
    for rule in ingress["spec"]["rules"].as_array().into_iter().flatten() {
        for path in rule["http"]["paths"].as_array().into_iter().flatten() {
            if let Some(s) = path["backend"]["service"]["name"].as_str()
                && !out.iter().any(|o| o == s)
            {
                out.push(s.to_string());
            }
        }
    }
    out
}

fn reconcile(cluster: &mut Cluster, ingress: &Arc<Value>) {
    if ingress["status"]["loadBalancer"]["ingress"].is_null() {
        let mut next = (**ingress).clone();
        next["status"] = json!({ "loadBalancer": { "ingress": [ { "ip": "203.0.113.10" } ] } });
        cluster.put(next);
    }
    let ns = namespace(ingress).to_string();
    let mut problems = Vec::new();
    for backend in backends(ingress) {
        match cluster.store.get(&Key::new("Service", &ns, &backend)) {
            None => problems.push(("Translate", format!(
                "Translation failed: invalid ingress spec: could not find service \"{ns}/{backend}\""
            ))),
            Some(service) if ready_endpoint_pods(cluster, &service).is_empty() => problems.push((
                "Sync",
                format!("Service \"{ns}/{backend}\" does not have any active Endpoint"),
            )),
            Some(_) => {}
        }
    }
    if problems.is_empty() {
        return;
    }
    let now = cluster.now();
    let second = now.as_second();
    if second.rem_euclid(RESYNC) == 0 {
        for (reason, message) in &problems {
            cluster.event(
                ingress,
                events::INGRESS,
                Note {
                    warning: true,
                    reason,
                    message,
                    field_path: None,
                },
            );
        }
    }
    cluster.wake_at(now + SignedDuration::from_secs(RESYNC - second.rem_euclid(RESYNC)));
}
