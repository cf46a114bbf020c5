//! What the API server writes into objects of the storage, namespace,
//! secret and node kinds as they are stored, before any controller sees
//! them: the registry strategies (a Secret's `stringData` folded into
//! `data`, a Namespace's name label and `kubernetes` finalizer), the
//! defaulting functions (`pkg/apis/core/v1/defaults.go`: volume modes,
//! a hostPath's empty type, a Namespace's Active phase) and the
//! StorageObjectInUseProtection admission plugin's finalizers. A Node's
//! fields that Go always serialises (`spec: {}`, a condition's null
//! times, the kubelet endpoint's port 0) are written as the real server
//! answers them.

use base64::Engine;
use serde_json::{Map, Value, json};

pub const PVC_PROTECTION: &str = "kubernetes.io/pvc-protection";
pub const PV_PROTECTION: &str = "kubernetes.io/pv-protection";
const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// Defaults for an object being created.
pub fn on_create(object: &mut Value) {
    match object["kind"].as_str().unwrap_or_default() {
        "PersistentVolumeClaim" => {
            add_finalizer(object, PVC_PROTECTION);
            object["status"]["phase"] = json!("Pending");
        }
        "PersistentVolume" => {
            add_finalizer(object, PV_PROTECTION);
            if object["status"]["phase"].is_null() {
                object["status"]["phase"] = json!("Pending");
            }
        }
        // The strategy drops a created Ingress's status; Go writes the
        // empty one back as `loadBalancer: {}`.
        "Ingress" => object["status"] = json!({ "loadBalancer": {} }),
        "Namespace" if object["spec"]["finalizers"].is_null() => {
            object["spec"]["finalizers"] = json!(["kubernetes"]);
        }
        _ => {}
    }
    on_write(object);
}

/// Defaults for every write (create and update).
pub fn on_write(object: &mut Value) {
    match object["kind"].as_str().unwrap_or_default() {
        "Secret" => {
            fold_string_data(object);
            // SetDefaults_Secret.
            if object["type"].as_str().is_none_or(str::is_empty) {
                object["type"] = json!("Opaque");
            }
        }
        "Namespace" => {
            let name = object["metadata"]["name"].clone();
            if name.is_string() {
                object["metadata"]["labels"][NAMESPACE_NAME_LABEL] = name;
            }
            if object["status"]["phase"].is_null() {
                object["status"]["phase"] = json!("Active");
            }
        }
        "PersistentVolumeClaim" => default_volume_mode(object),
        "PersistentVolume" => {
            default_volume_mode(object);
            if object["spec"]["hostPath"].is_object()
                && object["spec"]["hostPath"]["type"].is_null()
            {
                object["spec"]["hostPath"]["type"] = json!("");
            }
        }
        "Node" => node_fields(object),
        _ => {}
    }
}

#[cfg(test)]
#[test]
fn a_secret_without_a_type_is_opaque() {
    let mut secret = json!({ "kind": "Secret", "metadata": { "name": "s" }, "data": {} });
    on_create(&mut secret);
    assert_eq!(secret["type"], "Opaque");
    let mut tls =
        json!({ "kind": "Secret", "metadata": { "name": "t" }, "type": "kubernetes.io/tls" });
    on_create(&mut tls);
    assert_eq!(tls["type"], "kubernetes.io/tls");
}

/// `stringData` is write-only: the strategy merges it into `data`
/// (base64), its keys winning, and drops it.
fn fold_string_data(secret: &mut Value) {
    let Some(Value::Object(strings)) = secret.as_object_mut().and_then(|m| m.remove("stringData"))
    else {
        return;
    };
    if !secret["data"].is_object() {
        secret["data"] = Value::Object(Map::new());
    }
    for (key, value) in strings {
        let text = value.as_str().unwrap_or_default();
        secret["data"][key] = json!(base64::engine::general_purpose::STANDARD.encode(text));
    }
}

fn default_volume_mode(object: &mut Value) {
    if object["spec"].is_object() && object["spec"]["volumeMode"].is_null() {
        object["spec"]["volumeMode"] = json!("Filesystem");
    }
}

fn node_fields(node: &mut Value) {
    if node["spec"].is_null() {
        node["spec"] = json!({});
    }
    if !node["status"].is_object() {
        return;
    }
    if node["status"]["daemonEndpoints"].is_null() {
        node["status"]["daemonEndpoints"] = json!({ "kubeletEndpoint": { "Port": 0 } });
    }
    if let Some(conditions) = node["status"]["conditions"].as_array_mut() {
        for c in conditions.iter_mut().filter_map(Value::as_object_mut) {
            for time in ["lastHeartbeatTime", "lastTransitionTime"] {
                c.entry(time).or_insert(Value::Null);
            }
        }
    }
}

pub fn add_finalizer(object: &mut Value, finalizer: &str) {
    let list = &mut object["metadata"]["finalizers"];
    if !list.is_array() {
        *list = json!([]);
    }
    if let Some(items) = list.as_array_mut()
        && !items.iter().any(|f| f == finalizer)
    {
        items.push(json!(finalizer));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_data_is_folded_into_data() {
        let mut secret = json!({
            "kind": "Secret",
            "metadata": { "name": "s" },
            "data": { "a": "eA==", "b": "eQ==" },
            "stringData": { "b": "hunter2" },
        });
        on_create(&mut secret);
        assert_eq!(secret["data"], json!({ "a": "eA==", "b": "aHVudGVyMg==" }));
        assert!(secret.get("stringData").is_none());
    }

    #[test]
    fn namespaces_get_their_name_label_finalizer_and_phase() {
        let mut ns = json!({ "kind": "Namespace", "metadata": { "name": "conf", "labels": { "team": "shop" } } });
        on_create(&mut ns);
        assert_eq!(ns["metadata"]["labels"][NAMESPACE_NAME_LABEL], "conf");
        assert_eq!(ns["metadata"]["labels"]["team"], "shop");
        assert_eq!(ns["spec"]["finalizers"], json!(["kubernetes"]));
        assert_eq!(ns["status"]["phase"], "Active");
    }

    #[test]
    fn claims_and_volumes_are_protected_and_defaulted() {
        let mut pvc =
            json!({ "kind": "PersistentVolumeClaim", "metadata": { "name": "c" }, "spec": {} });
        on_create(&mut pvc);
        assert_eq!(pvc["metadata"]["finalizers"], json!([PVC_PROTECTION]));
        assert_eq!(pvc["spec"]["volumeMode"], "Filesystem");
        assert_eq!(pvc["status"]["phase"], "Pending");
        let mut pv = json!({ "kind": "PersistentVolume", "metadata": { "name": "v" },
                             "spec": { "hostPath": { "path": "/srv" } } });
        on_create(&mut pv);
        on_create(&mut pv);
        assert_eq!(pv["metadata"]["finalizers"], json!([PV_PROTECTION]));
        assert_eq!(pv["spec"]["hostPath"]["type"], "");
    }

    #[test]
    fn nodes_carry_what_go_always_serialises() {
        let mut node = json!({ "kind": "Node", "metadata": { "name": "n" },
            "status": { "conditions": [ { "type": "Ready", "status": "True",
                                          "lastHeartbeatTime": "2026-01-01T00:00:00Z" } ] } });
        on_create(&mut node);
        assert_eq!(node["spec"], json!({}));
        assert_eq!(
            node["status"]["daemonEndpoints"]["kubeletEndpoint"]["Port"],
            0
        );
        let c = &node["status"]["conditions"][0];
        assert_eq!(c["lastHeartbeatTime"], "2026-01-01T00:00:00Z");
        assert!(c.as_object().unwrap().contains_key("lastTransitionTime"));
    }
}
