//! The disruption controller: each PodDisruptionBudget's status (healthy
//! pods, how many it wants, how many may go), as `kubectl get pdb` and the
//! checks read them.

use std::sync::Arc;

use serde_json::{Value, json};

use super::{controller_ref, pod_active, pod_ready, selector_of};
use crate::sim::cluster::store::format_time;
use crate::sim::cluster::writes::desired_healthy;
use crate::sim::cluster::{Cluster, Key};

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
            .filter(|p| selector.matches(p))
            .cloned()
            .collect();
        // An integer minAvailable expects every pod the selector finds
        // (terminating ones too); a percentage or a maxUnavailable, the
        // scale of the pods' controllers (`getExpectedPodCount`). Only
        // pods running, Ready and not being deleted are healthy.
        let by_count = pdb["spec"]["minAvailable"].is_i64();
        let expected = if by_count {
            pods.len() as i64
        } else {
            expected_scale(cluster, &pods)
        };
        let healthy = pods
            .iter()
            .filter(|p| pod_active(p) && pod_ready(p))
            .count() as i64;
        let desired = desired_healthy(&pdb, expected).unwrap_or(0);
        let mut next = (*pdb).clone();
        let observed = pdb["metadata"]["generation"].as_i64().unwrap_or(1);
        let allowed = (healthy - desired).max(0);
        let mut conditions = pdb["status"]["conditions"].clone();
        set_disruption_allowed(
            &mut conditions,
            allowed > 0,
            observed,
            &format_time(cluster.now()),
        );
        next["status"] = json!({
            "observedGeneration": observed,
            "currentHealthy": healthy,
            "desiredHealthy": desired,
            "disruptionsAllowed": allowed,
            "expectedPods": expected,
            "conditions": conditions,
        });
        cluster.put(next);
    }
}

/// The summed replicas of the pods' controllers, each counted once: a
/// ReplicaSet's Deployment when it has one, else the ReplicaSet, a
/// StatefulSet (`getExpectedScale`). Pods of other owners add nothing.
fn expected_scale(cluster: &Cluster, pods: &[Arc<Value>]) -> i64 {
    let mut scales: std::collections::BTreeMap<String, i64> = Default::default();
    for pod in pods {
        let Some(owner) = controller_ref(pod) else {
            continue;
        };
        let ns = super::namespace(pod);
        let name = owner["name"].as_str().unwrap_or_default();
        let found = match owner["kind"].as_str().unwrap_or_default() {
            "ReplicaSet" => cluster
                .store
                .get(&Key::new("ReplicaSet", ns, name))
                .map(|rs| match controller_ref(&rs) {
                    Some(d) if d["kind"] == "Deployment" => cluster.store.get(&Key::new(
                        "Deployment",
                        ns,
                        d["name"].as_str().unwrap_or_default(),
                    )),
                    _ => Some(rs),
                }),
            "StatefulSet" => Some(cluster.store.get(&Key::new("StatefulSet", ns, name))),
            _ => None,
        };
        if let Some(Some(controller)) = found {
            let replicas = controller["spec"]["replicas"].as_i64().unwrap_or(1);
            scales.insert(super::uid(&controller).to_string(), replicas);
        }
    }
    scales.values().sum()
}

/// `UpdateDisruptionAllowedCondition` (component-helpers) through
/// `meta.SetStatusCondition`: the transition time moves only when the
/// status does; reason, message and generation are written each time.
fn set_disruption_allowed(conditions: &mut Value, allowed: bool, observed: i64, now: &str) {
    let (status, reason) = if allowed {
        ("True", "SufficientPods")
    } else {
        ("False", "InsufficientPods")
    };
    if !conditions.is_array() {
        *conditions = json!([]);
    }
    let Some(list) = conditions.as_array_mut() else {
        return;
    };
    let fresh = |since: &str| {
        json!({
            "type": "DisruptionAllowed",
            "status": status,
            "reason": reason,
            "message": "",
            "observedGeneration": observed,
            "lastTransitionTime": since,
        })
    };
    match list.iter_mut().find(|c| c["type"] == "DisruptionAllowed") {
        Some(c) => {
            let since = if c["status"] == status {
                c["lastTransitionTime"].as_str().unwrap_or(now).to_string()
            } else {
                now.to_string()
            };
            *c = fresh(&since);
        }
        None => list.push(fresh(now)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_condition_moves_its_time_only_when_its_status_does() {
        let mut conditions = Value::Null;
        set_disruption_allowed(&mut conditions, false, 1, "t1");
        assert_eq!(conditions[0]["reason"], "InsufficientPods");
        assert_eq!(conditions[0]["status"], "False");
        assert_eq!(conditions[0]["message"], "");
        set_disruption_allowed(&mut conditions, false, 2, "t2");
        assert_eq!(conditions[0]["lastTransitionTime"], "t1");
        assert_eq!(conditions[0]["observedGeneration"], 2);
        set_disruption_allowed(&mut conditions, true, 2, "t3");
        assert_eq!(conditions[0]["reason"], "SufficientPods");
        assert_eq!(conditions[0]["lastTransitionTime"], "t3");
        assert_eq!(conditions.as_array().unwrap().len(), 1);
    }
}
