//! Writes as the API server does them once a request is decoded: create,
//! update (with generation and conflict rules), delete with owner garbage
//! collection and graceful pod termination, and evictions that honour
//! PodDisruptionBudgets. Dry runs answer without storing.

use serde_json::{Value, json};

use super::controllers::{node_ready, pod_ready, selector_of};
use super::defaults;
use super::store::format_time;
use super::{Cluster, Key};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WriteError {
    #[error("not found")]
    NotFound,
    #[error("already exists")]
    AlreadyExists,
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    BadRequest(String),
    /// Fields the update may not change (422, one cause each).
    #[error("{}", super::immutable::summary(.0))]
    Immutable(Vec<super::immutable::FieldError>),
    /// An eviction that would break a disruption budget; the cause says which.
    #[error("Cannot evict pod as it would violate the pod's disruption budget.")]
    Budget(String),
}

/// Kinds whose spec changes bump `metadata.generation`.
fn has_generation(kind: &str) -> bool {
    matches!(
        kind,
        "Deployment"
            | "ReplicaSet"
            | "StatefulSet"
            | "DaemonSet"
            | "PodDisruptionBudget"
            | "Job"
            | "CronJob"
            | "HorizontalPodAutoscaler"
            | "Ingress"
            | "IngressClass"
            | "NetworkPolicy"
            | "Pod"
    )
}

/// The API server drops nulls from typed objects (`creationTimestamp: null`
/// in a kubectl template would otherwise make two equal templates differ).
pub fn strip_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

pub fn create(cluster: &mut Cluster, mut object: Value, dry: bool) -> Result<Value, WriteError> {
    let key = Key::of(&object);
    if cluster.store.get(&key).is_some() {
        return Err(WriteError::AlreadyExists);
    }
    strip_nulls(&mut object);
    super::defaults::kinds::on_create(&mut object);
    if let Some(meta) = object["metadata"].as_object_mut() {
        meta.remove("resourceVersion");
        meta.remove("uid");
        meta.remove("deletionTimestamp");
    }
    if has_generation(&key.kind) {
        object["metadata"]["generation"] = json!(1);
    }
    defaults::apply(&mut object);
    defaults::prepare_create(&mut object);
    object["metadata"]["creationTimestamp"] = json!(format_time(cluster.now()));
    let mut object = cluster.store.prepare(object, cluster.now());
    super::defaults::on_create(&mut object);
    if dry {
        return Ok(object);
    }
    Ok((*cluster.put(object)).clone())
}

pub fn update(
    cluster: &mut Cluster,
    old: &Value,
    mut new: Value,
    dry: bool,
) -> Result<Value, WriteError> {
    for field in ["name", "namespace"] {
        if old["metadata"][field] != new["metadata"][field] {
            return Err(WriteError::Invalid(format!(
                "metadata.{field}: Invalid value: field is immutable"
            )));
        }
    }
    if old["kind"] != new["kind"] {
        return Err(WriteError::BadRequest("kind cannot be changed".into()));
    }
    match new["metadata"]["resourceVersion"].as_str() {
        Some(rv) if !rv.is_empty() && old["metadata"]["resourceVersion"].as_str() != Some(rv) => {
            return Err(WriteError::Conflict(
                "the object has been modified; please apply your changes to the latest version and try again".into(),
            ));
        }
        _ => new["metadata"]["resourceVersion"] = old["metadata"]["resourceVersion"].clone(),
    }
    strip_nulls(&mut new);
    super::defaults::kinds::on_write(&mut new);
    defaults::apply(&mut new);
    defaults::prepare_update(old, &mut new);
    for kept in [
        "uid",
        "creationTimestamp",
        "deletionTimestamp",
        "generation",
    ] {
        match old["metadata"].get(kept) {
            Some(v) => new["metadata"][kept] = v.clone(),
            None => {
                if let Some(m) = new["metadata"].as_object_mut() {
                    m.remove(kept);
                }
            }
        }
    }
    super::defaults::on_update(old, &mut new);
    let refused = super::immutable::check(old, &new);
    if !refused.is_empty() {
        return Err(WriteError::Immutable(refused));
    }
    let kind = old["kind"].as_str().unwrap_or_default();
    if has_generation(kind) && old["spec"] != new["spec"] {
        let generation = old["metadata"]["generation"].as_i64().unwrap_or(1) + 1;
        new["metadata"]["generation"] = json!(generation);
    }
    if dry {
        return Ok(cluster.store.prepare(new, cluster.now()));
    }
    Ok((*cluster.put(new)).clone())
}

#[derive(Debug, Clone, Default)]
pub struct DeleteOptions {
    /// `Background` (the default), `Foreground` or `Orphan`.
    pub propagation: Option<String>,
    pub grace_seconds: Option<i64>,
}

/// Deletes an object; answers it as it is left (with a deletionTimestamp
/// while it terminates, or as it was when gone at once).
pub fn delete(
    cluster: &mut Cluster,
    key: &Key,
    options: &DeleteOptions,
    dry: bool,
) -> Result<Value, WriteError> {
    let Some(old) = cluster.store.get(key) else {
        return Err(WriteError::NotFound);
    };
    if dry {
        return Ok((*old).clone());
    }
    if key.kind == "Pod" {
        return Ok(
            delete_pod(cluster, key, options.grace_seconds).unwrap_or_else(|| (*old).clone())
        );
    }
    match options.propagation.as_deref() {
        Some("Orphan") => {
            let uid = old["metadata"]["uid"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let dependents: Vec<Value> = cluster
                .store
                .iter()
                .filter(|o| owned_by(o, &uid))
                .map(|o| (**o).clone())
                .collect();
            for mut dependent in dependents {
                if let Some(refs) = dependent["metadata"]["ownerReferences"].as_array_mut() {
                    refs.retain(|r| r["uid"] != uid.as_str());
                }
                cluster.put(dependent);
            }
        }
        Some("Foreground") => {
            let mut marked = (*old).clone();
            mark_deleting(&mut marked, cluster.now());
            marked["metadata"]["deletionGracePeriodSeconds"] = json!(0);
            let finalizers = marked["metadata"]["finalizers"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if !finalizers.iter().any(|f| f == "foregroundDeletion") {
                let mut all = finalizers;
                all.push(json!("foregroundDeletion"));
                marked["metadata"]["finalizers"] = json!(all);
            }
            return Ok((*cluster.put(marked)).clone());
        }
        _ => {}
    }
    let gone = cluster.remove(key).map(|g| (*g).clone());
    Ok(gone.unwrap_or_else(|| (*old).clone()))
}

/// `markAsDeleting`: the deletion time, no grace, and (the first time)
/// one more generation for an object that counts them.
pub fn mark_deleting(object: &mut Value, now: jiff::Timestamp) {
    let meta = &mut object["metadata"];
    if meta["deletionTimestamp"].is_null()
        && let Some(generation) = meta["generation"].as_i64().filter(|g| *g > 0)
    {
        meta["generation"] = json!(generation + 1);
    }
    meta["deletionTimestamp"] = json!(format_time(now));
    meta["deletionGracePeriodSeconds"] = json!(0);
}

pub fn owned_by(object: &Value, uid: &str) -> bool {
    object["metadata"]["ownerReferences"]
        .as_array()
        .is_some_and(|refs| refs.iter().any(|r| r["uid"] == uid))
}

/// Graceful pod deletion: the pod is marked, and its kubelet finishes it
/// (at once on a Ready node; never on a node whose kubelet is gone).
/// Unscheduled pods and `--grace-period=0` go at once. Returns the pod as left.
pub fn delete_pod(cluster: &mut Cluster, key: &Key, grace: Option<i64>) -> Option<Value> {
    let pod = cluster.store.get(key)?;
    let unscheduled = pod["spec"]["nodeName"].as_str().is_none_or(str::is_empty);
    if unscheduled || grace == Some(0) {
        return cluster.remove(key).map(|g| (*g).clone());
    }
    if pod["metadata"]["deletionTimestamp"].is_string() {
        return Some((*pod).clone());
    }
    let grace = grace
        .or_else(|| pod["spec"]["terminationGracePeriodSeconds"].as_i64())
        .unwrap_or(30)
        .max(0);
    let mut marked = (*pod).clone();
    let deadline = super::later(cluster.now(), jiff::SignedDuration::from_secs(grace));
    marked["metadata"]["deletionTimestamp"] = json!(format_time(deadline));
    marked["metadata"]["deletionGracePeriodSeconds"] = json!(grace);
    Some((*cluster.put(marked)).clone())
}

/// `POST pods/{name}/eviction`: a delete that respects disruption budgets.
pub fn evict(cluster: &mut Cluster, key: &Key, dry: bool) -> Result<(), WriteError> {
    let Some(pod) = cluster.store.get(key) else {
        return Err(WriteError::NotFound);
    };
    if pod_ready(&pod) && !pod["metadata"]["deletionTimestamp"].is_string() {
        let pods: Vec<Value> = cluster
            .store
            .range("Pod", Some(&key.namespace), None)
            .map(|p| (**p).clone())
            .collect();
        for pdb in cluster
            .store
            .range("PodDisruptionBudget", Some(&key.namespace), None)
        {
            let selector = selector_of(pdb);
            if selector.is_empty() || !selector.matches(&pod) {
                continue;
            }
            let matching: Vec<&Value> = pods.iter().filter(|p| selector.matches(p)).collect();
            if let Some(cause) = budget_violation(pdb, &matching) {
                return Err(WriteError::Budget(cause));
            }
        }
    }
    if dry {
        return Ok(());
    }
    let node = pod["spec"]["nodeName"].as_str().unwrap_or_default();
    let node_down = !node.is_empty()
        && cluster
            .store
            .get(&Key::new("Node", "", node))
            .is_none_or(|n| !node_ready(&n));
    if node_down {
        // No kubelet will confirm the pod stopped: the simulator does what
        // the pod garbage collector does for an out-of-service node, so a
        // drain of a dead node finishes (see docs/scenario-format.md).
        cluster.remove(key);
    } else {
        delete_pod(cluster, key, None);
    }
    Ok(())
}

fn healthy(pod: &Value) -> bool {
    !pod["metadata"]["deletionTimestamp"].is_string() && pod_ready(pod)
}

/// `Some(cause)` when one more healthy pod gone would break the budget.
pub fn budget_violation(pdb: &Value, pods: &[&Value]) -> Option<String> {
    let expected = pods.len() as i64;
    let healthy = pods.iter().filter(|p| healthy(p)).count() as i64;
    let desired = desired_healthy(pdb, expected)?;
    let name = pdb["metadata"]["name"].as_str().unwrap_or_default();
    (healthy - 1 < desired).then(|| {
        format!(
            "The disruption budget {name} needs {desired} healthy pods and has {healthy} currently"
        )
    })
}

/// How many pods a budget wants healthy out of `expected`.
pub fn desired_healthy(pdb: &Value, expected: i64) -> Option<i64> {
    use super::controllers::scaled;
    if let Some(min) = pdb["spec"].get("minAvailable") {
        Some(scaled(min, expected, true))
    } else {
        pdb["spec"]
            .get("maxUnavailable")
            .map(|max| (expected - scaled(max, expected, false)).max(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(ready: bool) -> Value {
        json!({
            "metadata": { "name": "p" },
            "status": { "conditions": [ { "type": "Ready", "status": if ready { "True" } else { "False" } } ] }
        })
    }

    #[test]
    fn min_available_blocks_the_last_healthy_pods() {
        let pods = [pod(true), pod(true), pod(false)];
        let refs: Vec<&Value> = pods.iter().collect();
        let pdb = json!({ "metadata": { "name": "web" }, "spec": { "minAvailable": 2 } });
        let cause = budget_violation(&pdb, &refs).unwrap();
        assert_eq!(
            cause,
            "The disruption budget web needs 2 healthy pods and has 2 currently"
        );
        let pdb = json!({ "metadata": { "name": "web" }, "spec": { "minAvailable": 1 } });
        assert!(budget_violation(&pdb, &refs).is_none());
    }

    #[test]
    fn max_unavailable_and_percentages() {
        let pods = [pod(true), pod(true), pod(true), pod(true)];
        let refs: Vec<&Value> = pods.iter().collect();
        let pdb = json!({ "metadata": { "name": "w" }, "spec": { "maxUnavailable": 0 } });
        assert!(budget_violation(&pdb, &refs).is_some());
        let pdb = json!({ "metadata": { "name": "w" }, "spec": { "maxUnavailable": "25%" } });
        assert!(budget_violation(&pdb, &refs).is_none());
        let pdb = json!({ "metadata": { "name": "w" }, "spec": { "minAvailable": "100%" } });
        assert!(budget_violation(&pdb, &refs).is_some());
    }

    #[test]
    fn nulls_are_dropped_as_by_typed_decoding() {
        let mut v = json!({ "metadata": { "creationTimestamp": null, "name": "x" }, "spec": [ { "a": null } ] });
        strip_nulls(&mut v);
        assert_eq!(v, json!({ "metadata": { "name": "x" }, "spec": [ {} ] }));
    }
}
