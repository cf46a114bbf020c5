//! What a pod gets between decoding and storage beyond its defaults: the
//! admission plugins the simulator plays (ServiceAccount, Priority,
//! DefaultTolerationSeconds, PodTopologyLabels on binding) and the pod
//! strategy's `PrepareForCreate` / `PrepareForUpdate`.

use serde_json::{Value, json};

use super::{each, object_at};
use crate::sim::cluster::quantity;

/// Where the ServiceAccount plugin mounts the API token.
pub const TOKEN_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";
/// The token's lifetime the plugin asks for (`WarnOnlyBoundTokenExpirationSeconds`).
const TOKEN_EXPIRATION_SECONDS: i64 = 3607;
/// The node labels a pod takes from its node when it is bound.
const TOPOLOGY_LABELS: [&str; 2] = [
    "topology.kubernetes.io/zone",
    "topology.kubernetes.io/region",
];

/// A new pod, already defaulted: the admission chain, then
/// `PrepareForCreate`.
pub fn create_pod(pod: &mut Value) {
    let suffix = token_suffix(pod);
    service_account(pod, &suffix);
    priority(pod);
    default_toleration_seconds(&mut pod["spec"]);
    pod["metadata"]["generation"] = json!(1);
    pod["status"] = json!({ "phase": "Pending", "qosClass": qos_class(&pod["spec"]) });
}

/// An updated pod keeps what admission gave it at create (the Priority
/// plugin on update) and the status the strategy keeps.
pub fn update_pod(old: &Value, pod: &mut Value) {
    for field in ["priority", "preemptionPolicy"] {
        if pod["spec"].get(field).is_none_or(Value::is_null)
            && let Some(v) = old["spec"].get(field).filter(|v| !v.is_null())
        {
            pod["spec"][field] = v.clone();
        }
    }
}

/// The ServiceAccount plugin: the `default` account, and its token as a
/// projected volume mounted read-only in every container, unless the pod
/// says not to automount it or already mounts something there.
pub fn service_account(pod: &mut Value, suffix: &str) {
    let spec = object_at(pod, "spec");
    if spec["serviceAccountName"]
        .as_str()
        .is_none_or(str::is_empty)
    {
        spec["serviceAccountName"] = json!("default");
    }
    spec["serviceAccount"] = spec["serviceAccountName"].clone();
    if spec["automountServiceAccountToken"].as_bool() == Some(false) {
        return;
    }
    let existing = spec["volumes"].as_array().and_then(|vs| {
        vs.iter()
            .filter_map(|v| v["name"].as_str())
            .find(|n| n.starts_with("kube-api-access-"))
            .map(str::to_string)
    });
    let volume_name = existing
        .clone()
        .unwrap_or_else(|| format!("kube-api-access-{suffix}"));
    let mount = json!({ "name": volume_name, "readOnly": true, "mountPath": TOKEN_MOUNT_PATH });
    let mut needed = false;
    for field in ["initContainers", "containers"] {
        each(spec, field, |c| {
            let mounted = c["volumeMounts"]
                .as_array()
                .is_some_and(|ms| ms.iter().any(|m| m["mountPath"] == TOKEN_MOUNT_PATH));
            if !mounted {
                if !c["volumeMounts"].is_array() {
                    c["volumeMounts"] = json!([]);
                }
                if let Some(ms) = c["volumeMounts"].as_array_mut() {
                    ms.push(mount.clone());
                }
                needed = true;
            }
        });
    }
    if existing.is_none() && needed {
        if !spec["volumes"].is_array() {
            spec["volumes"] = json!([]);
        }
        if let Some(vs) = spec["volumes"].as_array_mut() {
            vs.push(json!({ "name": volume_name, "projected": token_volume_source() }));
        }
    }
}

/// The token volume's random suffix, drawn from the pod's identity (not
/// the cluster's name counter, so the names of the pods made after it do
/// not change), in the alphabet of generated names.
fn token_suffix(pod: &Value) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let seed = format!(
        "kube-api-access/{}/{}",
        pod["metadata"]["namespace"].as_str().unwrap_or_default(),
        pod["metadata"]["name"].as_str().unwrap_or_default()
    );
    crate::sim::cluster::store::uid_for(&seed)
        .bytes()
        .filter(u8::is_ascii_hexdigit)
        .collect::<Vec<u8>>()
        .chunks(2)
        .take(5)
        .map(|pair| {
            let n = pair.iter().fold(0usize, |acc, b| acc * 16 + (*b as usize));
            ALPHABET[n % ALPHABET.len()] as char
        })
        .collect()
}

/// `TokenVolumeSource`: the token, the cluster's CA and the namespace.
fn token_volume_source() -> Value {
    json!({
        "defaultMode": 420,
        "sources": [
            { "serviceAccountToken": { "path": "token", "expirationSeconds": TOKEN_EXPIRATION_SECONDS } },
            { "configMap": { "name": "kube-root-ca.crt", "items": [ { "key": "ca.crt", "path": "ca.crt" } ] } },
            { "downwardAPI": { "items": [ { "path": "namespace", "fieldRef": { "apiVersion": "v1", "fieldPath": "metadata.namespace" } } ] } }
        ]
    })
}

/// The Priority plugin: the value of the pod's class (the two built-in
/// system classes; no class and no global default is 0) and the default
/// preemption policy.
pub fn priority(pod: &mut Value) {
    let spec = object_at(pod, "spec");
    let value = match spec["priorityClassName"].as_str() {
        Some("system-node-critical") => 2_000_001_000,
        Some("system-cluster-critical") => 2_000_000_000,
        _ => 0,
    };
    if spec["priority"].is_null() {
        spec["priority"] = json!(value);
    }
    if spec["preemptionPolicy"].is_null() {
        spec["preemptionPolicy"] = json!("PreemptLowerPriority");
    }
}

/// The DefaultTolerationSeconds plugin: 300 s on not-ready and
/// unreachable nodes unless the pod tolerates them itself.
pub fn default_toleration_seconds(spec: &mut Value) {
    if !spec["tolerations"].is_array() {
        spec["tolerations"] = json!([]);
    }
    let Some(tolerations) = spec["tolerations"].as_array_mut() else {
        return;
    };
    for key in [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ] {
        let tolerated = tolerations.iter().any(|t| {
            (t["key"] == key || (t["key"].is_null() && t["operator"] == "Exists"))
                && (t["effect"] == "NoExecute" || t["effect"].is_null())
        });
        if !tolerated {
            tolerations.push(json!({ "key": key, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300 }));
        }
    }
}

/// PodTopologyLabels on binding: the node's zone and region labels.
pub fn topology_labels(pod: &mut Value, node: &Value) {
    let Some(labels) = node["metadata"]["labels"].as_object() else {
        return;
    };
    for key in TOPOLOGY_LABELS {
        if let Some(v) = labels.get(key) {
            object_at(object_at(pod, "metadata"), "labels")[key] = v.clone();
        }
    }
}

/// `qos.GetPodQOS`: BestEffort without cpu/memory requests or limits,
/// Guaranteed when every container limits both and requests equal limits,
/// Burstable otherwise.
pub fn qos_class(spec: &Value) -> &'static str {
    let mut requests = std::collections::BTreeMap::<&str, f64>::new();
    let mut limits = std::collections::BTreeMap::<&str, f64>::new();
    let mut guaranteed = true;
    let containers = ["initContainers", "containers"]
        .into_iter()
        .flat_map(|f| spec[f].as_array().into_iter().flatten());
    for c in containers {
        for (name, into) in [("requests", &mut requests), ("limits", &mut limits)] {
            for resource in ["cpu", "memory"] {
                let q = quantity::of(&c["resources"][name][resource]).unwrap_or(0.0);
                if q != 0.0 {
                    *into.entry(resource).or_default() += q;
                }
            }
        }
        let limited = |r: &str| !c["resources"]["limits"][r].is_null();
        if !(limited("cpu") && limited("memory")) {
            guaranteed = false;
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort";
    }
    if guaranteed
        && requests.len() == limits.len()
        && requests.iter().all(|(k, v)| limits.get(k) == Some(v))
    {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bare() -> Value {
        json!({ "metadata": { "name": "p", "namespace": "conf" }, "spec": {
            "containers": [ { "name": "a", "image": "a:1" }, { "name": "b", "image": "b:1",
              "volumeMounts": [ { "name": "own", "mountPath": TOKEN_MOUNT_PATH } ] } ],
            "initContainers": [ { "name": "i", "image": "i:1" } ]
        } })
    }

    #[test]
    fn the_token_is_mounted_where_nothing_else_is() {
        let mut pod = bare();
        service_account(&mut pod, "x2x4q");
        let spec = &pod["spec"];
        assert_eq!(spec["serviceAccountName"], "default");
        assert_eq!(spec["serviceAccount"], "default");
        let mount = json!({ "name": "kube-api-access-x2x4q", "readOnly": true, "mountPath": TOKEN_MOUNT_PATH });
        assert_eq!(spec["containers"][0]["volumeMounts"], json!([mount]));
        assert_eq!(spec["initContainers"][0]["volumeMounts"], json!([mount]));
        assert_eq!(
            spec["containers"][1]["volumeMounts"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        let volumes = spec["volumes"].as_array().unwrap();
        assert_eq!(volumes.len(), 1);
        assert_eq!(volumes[0]["name"], "kube-api-access-x2x4q");
        assert_eq!(
            volumes[0]["projected"]["sources"][0]["serviceAccountToken"]["expirationSeconds"],
            3607
        );
        assert_eq!(
            volumes[0]["projected"]["sources"][1]["configMap"]["name"],
            "kube-root-ca.crt"
        );
    }

    #[test]
    fn no_token_when_the_pod_says_so() {
        let mut pod = bare();
        pod["spec"]["automountServiceAccountToken"] = json!(false);
        pod["spec"]["serviceAccountName"] = json!("bot");
        service_account(&mut pod, "x2x4q");
        assert!(pod["spec"]["volumes"].is_null());
        assert!(pod["spec"]["containers"][0]["volumeMounts"].is_null());
        assert_eq!(pod["spec"]["serviceAccount"], "bot");
    }

    #[test]
    fn create_admits_and_prepares() {
        let mut pod = bare();
        pod["status"] = json!({ "phase": "Running" });
        create_pod(&mut pod);
        assert_eq!(pod["metadata"]["generation"], 1);
        assert_eq!(pod["spec"]["priority"], 0);
        assert_eq!(pod["spec"]["preemptionPolicy"], "PreemptLowerPriority");
        assert_eq!(pod["spec"]["tolerations"].as_array().unwrap().len(), 2);
        assert_eq!(
            pod["status"],
            json!({ "phase": "Pending", "qosClass": "BestEffort" })
        );
        let volume = pod["spec"]["volumes"][0]["name"].as_str().unwrap();
        let suffix = volume.strip_prefix("kube-api-access-").unwrap();
        assert_eq!(suffix.len(), 5);
        assert!(
            suffix
                .bytes()
                .all(|b| b"bcdfghjklmnpqrstvwxz2456789".contains(&b))
        );
    }

    #[test]
    fn system_classes_have_their_priority_and_updates_keep_it() {
        let mut pod = json!({ "spec": { "priorityClassName": "system-node-critical" } });
        priority(&mut pod);
        assert_eq!(pod["spec"]["priority"], 2_000_001_000);
        let mut new = json!({ "spec": { "priorityClassName": "system-node-critical" } });
        update_pod(&pod, &mut new);
        assert_eq!(new["spec"]["priority"], 2_000_001_000);
        assert_eq!(new["spec"]["preemptionPolicy"], "PreemptLowerPriority");
    }

    #[test]
    fn own_tolerations_are_not_doubled() {
        let mut spec = json!({ "tolerations": [ { "key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 5 } ] });
        default_toleration_seconds(&mut spec);
        let t = spec["tolerations"].as_array().unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t[0]["tolerationSeconds"], 5);
        assert_eq!(t[1]["key"], "node.kubernetes.io/not-ready");
    }

    #[test]
    fn binding_copies_zone_and_region_only() {
        let node = json!({ "metadata": { "labels": { "topology.kubernetes.io/zone": "zone-a", "kubernetes.io/hostname": "n" } } });
        let mut pod = json!({ "metadata": { "labels": { "app": "web" } } });
        topology_labels(&mut pod, &node);
        assert_eq!(
            pod["metadata"]["labels"],
            json!({ "app": "web", "topology.kubernetes.io/zone": "zone-a" })
        );
    }

    #[test]
    fn qos_classes() {
        let c = |r: Value| json!({ "containers": [ { "name": "c", "resources": r } ] });
        assert_eq!(qos_class(&c(json!({}))), "BestEffort");
        assert_eq!(
            qos_class(&c(
                json!({ "requests": { "cpu": "100m", "memory": "64Mi" }, "limits": { "memory": "128Mi" } })
            )),
            "Burstable"
        );
        assert_eq!(
            qos_class(&c(
                json!({ "requests": { "cpu": "1", "memory": "1Gi" }, "limits": { "cpu": "1000m", "memory": "1Gi" } })
            )),
            "Guaranteed"
        );
        assert_eq!(
            qos_class(&c(json!({ "limits": { "cpu": "1" } }))),
            "Burstable"
        );
    }
}
