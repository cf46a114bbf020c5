//! Defaulting as the API server does it when it decodes a write
//! (`SetObjectDefaults_*` in k8s.io/kubernetes/pkg/apis/{core,apps,batch}/v1),
//! one module per API group, and the admission steps and create-time
//! preparation a pod gets on its way into the store (`admission.rs`);
//! what the other kinds' strategies fill in (`kinds.rs`: Secrets,
//! Namespaces, volumes, Nodes, Ingresses) and what is allocated or derived
//! once the object has its uid (`strategy.rs`: Service IPs, Job selectors).
//! Fields that Go always serialises (a non-pointer struct such as a
//! container's `resources` or a template's `metadata`) are written as `{}`
//! here, so the stored JSON reads as the real server's.

pub mod admission;
pub mod apps;
pub mod batch;
pub mod core;
pub mod kinds;
pub mod strategy;

pub use strategy::{cluster_ip, on_create, on_update};

use serde_json::{Value, json};

/// Fills in the defaults of the kinds this module knows; leaves any other
/// object as it is.
pub fn apply(object: &mut Value) {
    let group = object["apiVersion"]
        .as_str()
        .and_then(|v| v.rsplit_once('/').map(|(g, _)| g))
        .unwrap_or("");
    let kind = object["kind"].as_str().unwrap_or_default().to_string();
    match (group, kind.as_str()) {
        ("", "Pod") => core::pod(object),
        ("", "PodTemplate") => core::pod_template(&mut object["template"]),
        ("apps", "Deployment") => apps::deployment(object),
        ("apps", "ReplicaSet") => apps::replica_set(object),
        ("apps", "StatefulSet") => apps::stateful_set(object),
        ("apps", "DaemonSet") => apps::daemon_set(object),
        ("batch", "Job") => batch::job(object),
        ("batch", "CronJob") => batch::cron_job(object),
        _ => {}
    }
}

/// What the kind's strategy (`PrepareForCreate`) and the admission chain
/// add to a new, defaulted object.
pub fn prepare_create(object: &mut Value) {
    match object["kind"].as_str() {
        Some("Pod") => admission::create_pod(object),
        Some("DaemonSet") => apps::daemon_set_created(object),
        _ => {}
    }
}

/// The same for an update (`PrepareForUpdate`), given the stored object.
pub fn prepare_update(old: &Value, object: &mut Value) {
    match object["kind"].as_str() {
        Some("Pod") => admission::update_pod(old, object),
        Some("DaemonSet") => apps::daemon_set_updated(old, object),
        _ => {}
    }
}

/// `value[field]` as an object, made one (`{}`) when missing or null.
fn object_at<'a>(value: &'a mut Value, field: &str) -> &'a mut Value {
    if !value[field].is_object() {
        value[field] = json!({});
    }
    &mut value[field]
}

/// Sets `value[field]` when it is missing or null.
fn or_set(value: &mut Value, field: &str, default: Value) {
    if value.get(field).is_none_or(Value::is_null) {
        value[field] = default;
    }
}

/// Each item of the array at `value[field]`, when there is one.
fn each(value: &mut Value, field: &str, mut f: impl FnMut(&mut Value)) {
    if let Some(items) = value.get_mut(field).and_then(Value::as_array_mut) {
        items.iter_mut().filter(|i| i.is_object()).for_each(&mut f);
    }
}

/// Drops the fields Go leaves out when they are zero (`omitempty` on an
/// int32): a controller's status counts.
pub fn omit_zeros(status: &mut Value, fields: &[&str]) {
    if let Some(map) = status.as_object_mut() {
        map.retain(|k, v| !(fields.contains(&k.as_str()) && v.as_i64() == Some(0)));
    }
}
