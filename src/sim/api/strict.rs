//! `fieldValidation=Strict`, as kubectl sends it: an object whose fields
//! its kind does not have is refused, as the API server's strict decoding
//! refuses it. The kind's fields are k8s-openapi's types: a field that
//! does not survive a typed round trip is unknown to the kind.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use k8s_openapi::api::{
    apps::v1 as apps, autoscaling::v2 as autoscaling, batch::v1 as batch, core::v1 as core,
    discovery::v1 as discovery, networking::v1 as networking, policy::v1 as policy,
    storage::v1 as storage,
};

/// Why the object cannot be decoded as its kind, if so: the first
/// mistyped value, or the unknown fields (`spec.replica`).
pub fn problems(object: &Value) -> Option<String> {
    // Events are written by components, never validated by kubectl.
    if object["kind"] == "Event" {
        return None;
    }
    let typed = match typed(object)? {
        Err(e) => return Some(format!("strict decoding error: {e}")),
        Ok(back) => back,
    };
    let mut unknown = Vec::new();
    missing(object, &typed, "", &mut unknown);
    (!unknown.is_empty()).then(|| {
        let listed: Vec<String> = unknown
            .iter()
            .map(|f| format!("unknown field \"{f}\""))
            .collect();
        format!("strict decoding error: {}", listed.join(", "))
    })
}

/// Why the object cannot be decoded as its kind at all (a string where
/// the kind has an object, 2^32 where it has an int32), named by its
/// path: what the API server's decoding refuses whatever the field
/// validation. Unknown fields are not this (they are dropped).
pub fn decode_error(object: &Value) -> Option<String> {
    typed(object)?.err()
}

/// The object through its kind's k8s-openapi type and back (`None`: a
/// kind without a type here, such as Events).
fn typed(object: &Value) -> Option<Result<Value, String>> {
    let typed = match object["kind"].as_str().unwrap_or_default() {
        "Pod" => round_trip::<core::Pod>(object),
        "Node" => round_trip::<core::Node>(object),
        "Namespace" => round_trip::<core::Namespace>(object),
        "Service" => round_trip::<core::Service>(object),
        "Endpoints" => round_trip::<core::Endpoints>(object),
        "ConfigMap" => round_trip::<core::ConfigMap>(object),
        "Secret" => round_trip::<core::Secret>(object),
        "PersistentVolumeClaim" => round_trip::<core::PersistentVolumeClaim>(object),
        "PersistentVolume" => round_trip::<core::PersistentVolume>(object),
        "Deployment" => round_trip::<apps::Deployment>(object),
        "ReplicaSet" => round_trip::<apps::ReplicaSet>(object),
        "StatefulSet" => round_trip::<apps::StatefulSet>(object),
        "DaemonSet" => round_trip::<apps::DaemonSet>(object),
        "Job" => round_trip::<batch::Job>(object),
        "CronJob" => round_trip::<batch::CronJob>(object),
        "HorizontalPodAutoscaler" => round_trip::<autoscaling::HorizontalPodAutoscaler>(object),
        "EndpointSlice" => round_trip::<discovery::EndpointSlice>(object),
        "Lease" => round_trip::<k8s_openapi::api::coordination::v1::Lease>(object),
        "Ingress" => round_trip::<networking::Ingress>(object),
        "IngressClass" => round_trip::<networking::IngressClass>(object),
        "NetworkPolicy" => round_trip::<networking::NetworkPolicy>(object),
        "PodDisruptionBudget" => round_trip::<policy::PodDisruptionBudget>(object),
        "StorageClass" => round_trip::<storage::StorageClass>(object),
        "Event" if object["apiVersion"] == "events.k8s.io/v1" => {
            round_trip::<k8s_openapi::api::events::v1::Event>(object)
        }
        "Event" => round_trip::<core::Event>(object),
        _ => return None,
    };
    Some(typed)
}

fn round_trip<K: DeserializeOwned + Serialize>(object: &Value) -> Result<Value, String> {
    let typed: K = serde_path_to_error::deserialize(object).map_err(|e| {
        let path = e.path().to_string();
        if path == "." {
            e.inner().to_string()
        } else {
            format!("{path}: {}", e.inner())
        }
    })?;
    serde_json::to_value(typed).map_err(|e| e.to_string())
}

/// Paths in `given` that `back` lacks (lists by index, as the API server names them).
fn missing(given: &Value, back: &Value, at: &str, out: &mut Vec<String>) {
    match (given, back) {
        (Value::Object(g), Value::Object(b)) => {
            for (key, value) in g {
                let path = if at.is_empty() {
                    key.clone()
                } else {
                    format!("{at}.{key}")
                };
                match b.get(key) {
                    Some(inner) => missing(value, inner, &path, out),
                    // A null is no field at all once decoded.
                    None if value.is_null() => {}
                    None => out.push(path),
                }
            }
        }
        (Value::Array(g), Value::Array(b)) => {
            for (i, (value, inner)) in g.iter().zip(b).enumerate() {
                missing(value, inner, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_typo_in_a_field_is_named_by_its_path() {
        let deployment = json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": { "name": "web", "labels": { "any-key": "is fine" } },
            "spec": { "replica": 3, "selector": { "matchLabels": { "app": "web" } },
                "template": { "metadata": { "labels": { "app": "web" } },
                  "spec": { "containers": [ { "name": "web", "image": "nginx", "imagee": "x" } ] } } }
        });
        assert_eq!(
            problems(&deployment).unwrap(),
            "strict decoding error: unknown field \"spec.replica\", unknown field \"spec.template.spec.containers[0].imagee\""
        );
    }

    #[test]
    fn a_valid_object_and_a_mistyped_one() {
        let cm = json!({ "apiVersion": "v1", "kind": "ConfigMap", "metadata": { "name": "x", "creationTimestamp": null }, "data": { "a": "b" } });
        assert_eq!(problems(&cm), None);
        let bad = json!({ "apiVersion": "apps/v1", "kind": "Deployment", "metadata": { "name": "x" }, "spec": { "replicas": "three" } });
        assert_eq!(
            problems(&bad).unwrap(),
            "strict decoding error: spec.replicas: invalid type: string \"three\", expected i32"
        );
    }
}
