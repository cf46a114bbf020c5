//! What the controller manager puts into every namespace as it appears:
//! the root CA publisher's `kube-root-ca.crt` ConfigMap (the CA bundle
//! pods read to trust the API server) and the service account
//! controller's `default` ServiceAccount. Both are made again when
//! deleted, as the real controllers do.

use serde_json::{Value, json};

use super::{name, terminating};
use crate::sim::cluster::{Cluster, Key};

pub const ROOT_CA_CONFIGMAP: &str = "kube-root-ca.crt";
/// The publisher's description (`pkg/controller/certificates/rootcacertpublisher`).
const DESCRIPTION: &str = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";
/// A CA certificate made for the simulator (its key was thrown away): the
/// simulator serves plain HTTP, so nothing is verified against it.
const ROOT_CA: &str = include_str!("root-ca.crt");

pub(super) fn run(cluster: &mut Cluster) {
    let namespaces: Vec<String> = cluster
        .store
        .of_kind("Namespace")
        .filter(|ns| !terminating(ns))
        .map(|ns| name(ns).to_string())
        .collect();
    for ns in namespaces {
        for wanted in [root_ca(&ns), default_account(&ns)] {
            if cluster.store.get(&Key::of(&wanted)).is_none() {
                cluster.put(wanted);
            }
        }
    }
}

fn root_ca(namespace: &str) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": ROOT_CA_CONFIGMAP,
            "namespace": namespace,
            "annotations": { "kubernetes.io/description": DESCRIPTION },
        },
        "data": { "ca.crt": ROOT_CA },
    })
}

fn default_account(namespace: &str) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": { "name": "default", "namespace": namespace },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ca_bundle_is_one_pem_certificate() {
        let data = root_ca("shop");
        let pem = data["data"]["ca.crt"].as_str().unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\n"));
        assert!(pem.ends_with("-----END CERTIFICATE-----\n"));
        assert_eq!(data["metadata"]["namespace"], "shop");
        assert_eq!(default_account("shop")["metadata"]["name"], "default");
    }
}
