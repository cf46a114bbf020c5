//! NetworkPolicy as a CNI enforces it, for the kubelet's `needs`: a pod
//! selected by an Ingress policy accepts traffic only from the peers its
//! rules allow; a pod selected by an Egress policy sends only to them.

use serde_json::Value;

use super::namespace;
use crate::sim::cluster::selectors::LabelSelector;
use crate::sim::cluster::{Cluster, Key};

/// Whether traffic from `source` to `target` (pods) is allowed.
pub fn allowed(cluster: &Cluster, source: &Value, target: &Value) -> bool {
    direction(cluster, target, source, "Ingress", "ingress", "from")
        && direction(cluster, source, target, "Egress", "egress", "to")
}

/// The policies of `subject`'s namespace that select it for `kind`
/// traffic; allowed when none do, or one of their rules lets `peer` in.
fn direction(
    cluster: &Cluster,
    subject: &Value,
    peer: &Value,
    kind: &str,
    rules: &str,
    peers: &str,
) -> bool {
    let mut selected = false;
    for policy in cluster
        .store
        .range("NetworkPolicy", Some(namespace(subject)), None)
    {
        if !applies(policy, kind) || !selector(&policy["spec"]["podSelector"]).matches(subject) {
            continue;
        }
        selected = true;
        for rule in policy["spec"][rules].as_array().into_iter().flatten() {
            let listed = rule[peers].as_array();
            if listed.is_none_or(|l| l.is_empty())
                || listed
                    .into_iter()
                    .flatten()
                    .any(|p| peer_matches(cluster, p, subject, peer))
            {
                return true;
            }
        }
    }
    !selected
}

fn applies(policy: &Value, kind: &str) -> bool {
    match policy["spec"]["policyTypes"].as_array() {
        Some(types) => types.iter().any(|t| t == kind),
        // Without policyTypes: Ingress always, Egress when it has rules.
        None => kind == "Ingress" || policy["spec"]["egress"].is_array(),
    }
}

fn selector(value: &Value) -> LabelSelector {
    LabelSelector::from_match_labels(value)
}

fn peer_matches(cluster: &Cluster, peer: &Value, subject: &Value, other: &Value) -> bool {
    let pods = peer.get("podSelector");
    let namespaces = peer.get("namespaceSelector");
    if pods.is_none() && namespaces.is_none() {
        // An ipBlock: pod addresses are not modelled; it lets nothing in.
        return false;
    }
    let namespace_ok = match namespaces {
        None => namespace(other) == namespace(subject),
        Some(sel) => cluster
            .store
            .get(&Key::new("Namespace", "", namespace(other)))
            .is_some_and(|ns| selector(sel).matches(&ns)),
    };
    namespace_ok && pods.is_none_or(|sel| selector(sel).matches(other))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn selectors_and_types() {
        let policy = json!({ "spec": { "podSelector": {}, "ingress": [] } });
        assert!(applies(&policy, "Ingress"));
        assert!(!applies(&policy, "Egress"));
        let policy = json!({ "spec": { "policyTypes": ["Egress"] } });
        assert!(applies(&policy, "Egress"));
        assert!(selector(&json!({})).matches(&json!({ "metadata": { "labels": { "a": "b" } } })));
    }
}
