//! What the kubelet checks before it starts a container: an image
//! reference the runtime can parse, and the ConfigMaps and Secrets its
//! environment names.

use serde_json::Value;

use crate::sim::cluster::controllers::namespace;
use crate::sim::cluster::{Cluster, Key};

/// A reference the runtime cannot parse (kubectl's `REGISTRY/IMAGE:TAG`
/// placeholder: repository names are lowercase).
pub(super) fn image_name_invalid(image: &str) -> bool {
    let name = image.split('@').next().unwrap_or(image);
    let last_slash = name.rfind('/').map_or(0, |i| i + 1);
    let repo = match name[last_slash..].rfind(':') {
        Some(colon) => &name[..last_slash + colon],
        None => name,
    };
    image.trim().is_empty()
        || image.contains(char::is_whitespace)
        || repo
            .split('/')
            .skip(1)
            .any(|part| part.chars().any(|c| c.is_ascii_uppercase()))
        || (!repo.contains('/') && repo.chars().any(|c| c.is_ascii_uppercase()))
}

/// A ConfigMap or Secret the container's environment needs that is missing.
pub(super) fn config_problem(cluster: &Cluster, pod: &Value, spec: &Value) -> Option<String> {
    let ns = namespace(pod);
    let lookup = |kind: &str, name: &str| cluster.store.get(&Key::new(kind, ns, name));
    for env in spec["env"].as_array().into_iter().flatten() {
        for (field, kind, word) in [
            ("configMapKeyRef", "ConfigMap", "configmap"),
            ("secretKeyRef", "Secret", "secret"),
        ] {
            let r = &env["valueFrom"][field];
            if r.is_null() || r["optional"].as_bool() == Some(true) {
                continue;
            }
            let object_name = r["name"].as_str().unwrap_or_default();
            let key = r["key"].as_str().unwrap_or_default();
            match lookup(kind, object_name) {
                None => return Some(format!("{word} \"{object_name}\" not found")),
                Some(o) => {
                    let has = o["data"].get(key).is_some()
                        || o["binaryData"].get(key).is_some()
                        || o["stringData"].get(key).is_some();
                    if !has {
                        return Some(format!(
                            "couldn't find key {key} in {kind} {ns}/{object_name}"
                        ));
                    }
                }
            }
        }
    }
    for from in spec["envFrom"].as_array().into_iter().flatten() {
        for (field, kind, word) in [
            ("configMapRef", "ConfigMap", "configmap"),
            ("secretRef", "Secret", "secret"),
        ] {
            let r = &from[field];
            if r.is_null() || r["optional"].as_bool() == Some(true) {
                continue;
            }
            let object_name = r["name"].as_str().unwrap_or_default();
            if lookup(kind, object_name).is_none() {
                return Some(format!("{word} \"{object_name}\" not found"));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_typos_are_told_apart() {
        assert!(image_name_invalid("REGISTRY/IMAGE:TAG"));
        assert!(!image_name_invalid("registry.example.com/cart:v2.31"));
        assert!(!image_name_invalid("localhost:5000/cart:V2"));
        assert!(image_name_invalid(""));
    }
}
