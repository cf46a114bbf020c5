//! The disruption controller: each PodDisruptionBudget's status (healthy
//! pods, how many it wants, how many may go), as `kubectl get pdb` and the
//! checks read them.

use std::sync::Arc;

use serde_json::{Value, json};

use super::{pod_active, pod_ready, selector_of};
use crate::sim::cluster::Cluster;
use crate::sim::cluster::writes::desired_healthy;

pub(super) fn run(cluster: &mut Cluster) {
    let budgets: Vec<Arc<Value>> = cluster
        .store
        .of_kind("PodDisruptionBudget")
        .cloned()
        .collect();
    for pdb in budgets {
        let selector = selector_of(&pdb);
        let namespace = super::namespace(&pdb).to_string();
        let pods: Vec<Arc<Value>> = cluster
            .store
            .range("Pod", Some(&namespace), None)
            .filter(|p| pod_active(p) && selector.matches(p))
            .cloned()
            .collect();
        let expected = pods.len() as i64;
        let healthy = pods.iter().filter(|p| pod_ready(p)).count() as i64;
        let desired = desired_healthy(&pdb, expected).unwrap_or(0);
        let mut next = (*pdb).clone();
        let conditions = pdb["status"]["conditions"].clone();
        next["status"] = json!({
            "observedGeneration": pdb["metadata"]["generation"].as_i64().unwrap_or(1),
            "currentHealthy": healthy,
            "desiredHealthy": desired,
            "disruptionsAllowed": (healthy - desired).max(0),
            "expectedPods": expected,
        });
        if !conditions.is_null() {
            next["status"]["conditions"] = conditions;
        }
        cluster.put(next);
    }
}
