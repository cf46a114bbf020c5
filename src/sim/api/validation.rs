//! What the API server refuses before it stores an object, whatever the
//! client: a value its kind's type cannot hold (decoding, through the
//! k8s-openapi type, `strict::decode_error`), and the validation rules
//! that keep a cluster bounded: names no longer than Kubernetes allows,
//! replicas that are not negative (an int32 already caps them above),
//! and workloads whose selector selects their own template.
//!
//! The scenario loader applies the same rules, so a scenario can hold
//! nothing a write could not.

use serde_json::Value;

use super::strict;

/// Why an object cannot be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// It does not decode as its kind (400 for a body, 422 for a patch).
    Decode(String),
    /// It decodes but breaks a validation rule (422 Invalid), e.g.
    /// `spec.replicas: Invalid value: -1: must be greater than or equal to 0`.
    Invalid(String),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Decode(m) | Refusal::Invalid(m) => f.write_str(m),
        }
    }
}

/// DNS-1123 subdomain names (most objects).
pub const MAX_NAME: usize = 253;
/// DNS labels: namespaces, Services, label values and key names.
pub const MAX_LABEL: usize = 63;

/// The first reason `object` cannot be stored, if any.
pub fn check(object: &Value) -> Result<(), Refusal> {
    if let Some(e) = strict::decode_error(object) {
        return Err(Refusal::Decode(e));
    }
    rules(object).map_or(Ok(()), |m| Err(Refusal::Invalid(m)))
}

fn rules(object: &Value) -> Option<String> {
    let kind = object["kind"].as_str().unwrap_or_default();
    let meta = &object["metadata"];
    let name = meta["name"].as_str().unwrap_or_default();
    let name_max = match kind {
        "Namespace" | "Service" => MAX_LABEL,
        _ => MAX_NAME,
    };
    if name.len() > name_max {
        return Some(too_long("metadata.name", name, name_max));
    }
    if let Some(e) = name_format(kind, name) {
        return Some(e);
    }
    if let Some(ns) = meta["namespace"].as_str()
        && ns.len() > MAX_LABEL
    {
        return Some(too_long("metadata.namespace", ns, MAX_LABEL));
    }
    if let Some(prefix) = meta["generateName"].as_str()
        && prefix.len() > name_max
    {
        return Some(too_long("metadata.generateName", prefix, name_max));
    }
    labels("metadata.labels", &meta["labels"])
        .or_else(|| {
            labels(
                "spec.template.metadata.labels",
                &object["spec"]["template"]["metadata"]["labels"],
            )
        })
        .or_else(|| {
            labels(
                "spec.selector.matchLabels",
                &object["spec"]["selector"]["matchLabels"],
            )
        })
        .or_else(|| workload(kind, object))
        .or_else(|| pull_policies(kind, object))
}

/// What `apimachinery/pkg/util/validation` says of a malformed name: a
/// Service's is a DNS-1035 label, a Namespace's an RFC 1123 label, RBAC
/// objects' a path segment (`system:...`), every other kind's an RFC 1123
/// subdomain.
fn name_format(kind: &str, name: &str) -> Option<String> {
    use std::sync::LazyLock;
    const LABEL: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    const DNS1035: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
    static SUBDOMAIN: LazyLock<String> = LazyLock::new(|| format!("{LABEL}(\\.{LABEL})*"));
    let (pattern, message, examples): (String, &str, &[&str]) = match kind {
        "" | "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding" => return None,
        "Service" => (
            DNS1035.to_string(),
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
            &["my-name", "abc-123"],
        ),
        "Namespace" => (
            LABEL.to_string(),
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
            &["my-name", "123-abc"],
        ),
        _ => (
            SUBDOMAIN.clone(),
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
            &["example.com"],
        ),
    };
    if name.is_empty() {
        return None;
    }
    let whole = regex::Regex::new(&format!("^{pattern}$")).ok()?;
    if whole.is_match(name) {
        return None;
    }
    // RegexError's wording, examples and all.
    let examples: Vec<String> = examples.iter().map(|e| format!("'{e}', ")).collect();
    Some(format!(
        "metadata.name: Invalid value: \"{name}\": {message} (e.g. {}regex used for validation is '{pattern}')",
        examples.join(" or ")
    ))
}

/// `validatePullPolicy`: an unknown policy (an empty one was defaulted).
fn pull_policies(kind: &str, object: &Value) -> Option<String> {
    let (spec, path) = match kind {
        "Pod" => (&object["spec"], "spec"),
        _ if object["spec"]["template"]["spec"].is_object() => {
            (&object["spec"]["template"]["spec"], "spec.template.spec")
        }
        _ => return None,
    };
    for list in ["initContainers", "containers"] {
        for (i, c) in spec[list].as_array().into_iter().flatten().enumerate() {
            let Some(policy) = c["imagePullPolicy"].as_str() else {
                continue;
            };
            if !policy.is_empty() && !matches!(policy, "Always" | "IfNotPresent" | "Never") {
                return Some(format!(
                    "{path}.{list}[{i}].imagePullPolicy: Unsupported value: \"{policy}\": supported values: \"Always\", \"IfNotPresent\", \"Never\""
                ));
            }
        }
    }
    None
}

fn too_long(path: &str, value: &str, max: usize) -> String {
    // The value is not echoed whole: it may be megabytes.
    let shown: String = value.chars().take(64).collect();
    let more = if shown.len() < value.len() { "..." } else { "" };
    format!("{path}: Invalid value: \"{shown}{more}\": must be no more than {max} characters")
}

/// Label keys (`prefix/name`: the prefix a subdomain, the name at most
/// 63) and values (at most 63).
fn labels(path: &str, labels: &Value) -> Option<String> {
    let map = labels.as_object()?;
    for (key, value) in map {
        let (prefix, name) = key.rsplit_once('/').unwrap_or(("", key));
        if name.is_empty() || name.len() > MAX_LABEL || prefix.len() > MAX_NAME {
            return Some(too_long(path, key, MAX_LABEL));
        }
        if let Some(v) = value.as_str()
            && v.len() > MAX_LABEL
        {
            return Some(too_long(path, v, MAX_LABEL));
        }
    }
    None
}

fn at_least(object: &Value, path: &[&str], min: i64) -> Option<String> {
    let value = path.iter().fold(object, |v, p| &v[*p]).as_i64()?;
    (value < min).then(|| {
        format!(
            "{}: Invalid value: {value}: must be greater than or equal to {min}",
            path.join(".")
        )
    })
}

fn workload(kind: &str, object: &Value) -> Option<String> {
    match kind {
        "Deployment" | "ReplicaSet" | "StatefulSet" => {
            at_least(object, &["spec", "replicas"], 0).or_else(|| selects_template(object))
        }
        "DaemonSet" => selects_template(object),
        "Job" => at_least(object, &["spec", "parallelism"], 0)
            .or_else(|| at_least(object, &["spec", "completions"], 0)),
        "HorizontalPodAutoscaler" => {
            let max = object["spec"]["maxReplicas"].as_i64().unwrap_or(1);
            at_least(object, &["spec", "maxReplicas"], 1)
                .or_else(|| at_least(object, &["spec", "minReplicas"], 1))
                .or_else(|| {
                    let min = object["spec"]["minReplicas"].as_i64()?;
                    (min > max).then(|| {
                        format!("spec.minReplicas: Invalid value: {min}: must be less than or equal to maxReplicas")
                    })
                })
        }
        // The real one: `spec.ports: Required value` unless headless or ExternalName.
        "Service" => {
            let spec = &object["spec"];
            let no_ports = spec["ports"].as_array().is_none_or(Vec::is_empty);
            (no_ports && spec["clusterIP"] != "None" && spec["type"] != "ExternalName")
                .then(|| "spec.ports: Required value".to_string())
        }
        _ => None,
    }
}

/// apps/v1 workloads need a selector, not empty, that selects their
/// template's labels (else their controller would never see its pods).
fn selects_template(object: &Value) -> Option<String> {
    let selector = &object["spec"]["selector"];
    let template = &object["spec"]["template"]["metadata"]["labels"];
    let mismatch = format!(
        "spec.template.metadata.labels: Invalid value: {}: `selector` does not match template `labels`",
        if template.is_object() {
            template.to_string()
        } else {
            "null".into()
        }
    );
    if !selector.is_object() {
        // No selector selects nothing: the template fails too (one cause a line).
        return Some(format!("spec.selector: Required value\n{mismatch}"));
    }
    let match_labels = selector["matchLabels"].as_object();
    let expressions = selector["matchExpressions"]
        .as_array()
        .is_some_and(|e| !e.is_empty());
    if match_labels.is_none_or(|m| m.is_empty()) && !expressions {
        return Some(
            "spec.selector: Invalid value: {}: empty selector is invalid for deployment".into(),
        );
    }
    let unmatched = match_labels
        .into_iter()
        .flatten()
        .any(|(k, v)| template.get(k) != Some(v));
    unmatched.then_some(mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deployment() -> Value {
        json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": { "name": "web", "namespace": "shop" },
            "spec": { "replicas": 3, "selector": { "matchLabels": { "app": "web" } },
                "template": { "metadata": { "labels": { "app": "web" } },
                    "spec": { "containers": [ { "name": "web", "image": "nginx" } ] } } }
        })
    }

    fn with(mut object: Value, path: &[&str], value: Value) -> Value {
        let (last, parents) = path.split_last().unwrap();
        let mut at = &mut object;
        for p in parents {
            at = &mut at[*p];
        }
        at[*last] = value;
        object
    }

    #[test]
    fn a_good_deployment_passes() {
        assert_eq!(check(&deployment()), Ok(()));
    }

    #[test]
    fn mistyped_values_are_decode_errors_named_by_path() {
        let bad = with(deployment(), &["spec", "template", "metadata"], json!("x"));
        let Err(Refusal::Decode(m)) = check(&bad) else {
            panic!("{:?}", check(&bad))
        };
        assert!(
            m.starts_with("spec.template.metadata: invalid type: string \"x\""),
            "{m}"
        );
        let huge = with(
            deployment(),
            &["spec", "replicas"],
            json!(4_294_967_296_i64),
        );
        let Err(Refusal::Decode(m)) = check(&huge) else {
            panic!()
        };
        assert!(
            m.starts_with("spec.replicas: invalid value: integer `4294967296`"),
            "{m}"
        );
    }

    #[test]
    fn malformed_names_and_pull_policies_get_the_real_servers_words() {
        let cm = json!({ "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": { "name": "Bad_Name", "namespace": "conf" } });
        assert_eq!(
            check(&cm),
            Err(Refusal::Invalid("metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')".into()))
        );
        let svc = json!({ "apiVersion": "v1", "kind": "Service",
            "metadata": { "name": "1web", "namespace": "conf" },
            "spec": { "ports": [ { "port": 80 } ] } });
        assert!(
            matches!(check(&svc), Err(Refusal::Invalid(m)) if m.contains("a DNS-1035 label") && m.contains("(e.g. 'my-name',  or 'abc-123', regex"))
        );
        let role = json!({ "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": { "name": "system:aggregate-to-view" } });
        assert_eq!(check(&role), Ok(()));
        let pod = json!({ "apiVersion": "v1", "kind": "Pod",
            "metadata": { "name": "bad-policy", "namespace": "conf" },
            "spec": { "containers": [ { "name": "app", "image": "x", "imagePullPolicy": "Sometimes" } ] } });
        assert_eq!(
            check(&pod),
            Err(Refusal::Invalid("spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\"".into()))
        );
        assert_eq!(check(&deployment()), Ok(()));
    }

    #[test]
    fn negative_replicas_long_names_and_unselected_templates_are_invalid() {
        let cases = [
            (
                with(deployment(), &["spec", "replicas"], json!(-1)),
                "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
            ),
            (
                with(deployment(), &["metadata", "name"], json!("a".repeat(254))),
                "metadata.name: Invalid value: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\": must be no more than 253 characters",
            ),
            (
                with(
                    deployment(),
                    &["metadata", "namespace"],
                    json!("n".repeat(64)),
                ),
                "metadata.namespace: Invalid value: \"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn\": must be no more than 63 characters",
            ),
            (
                with(
                    deployment(),
                    &["spec", "template", "metadata", "labels"],
                    json!({}),
                ),
                "spec.template.metadata.labels: Invalid value: {}: `selector` does not match template `labels`",
            ),
            (
                with(deployment(), &["spec", "selector"], json!({})),
                "spec.selector: Invalid value: {}: empty selector is invalid for deployment",
            ),
        ];
        for (object, want) in cases {
            assert_eq!(check(&object), Err(Refusal::Invalid(want.into())));
        }
        let ns = json!({ "apiVersion": "v1", "kind": "Namespace", "metadata": { "name": "x".repeat(64) } });
        assert!(matches!(check(&ns), Err(Refusal::Invalid(_))));
        let hpa = json!({ "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": { "name": "h", "namespace": "shop" },
            "spec": { "maxReplicas": 0, "scaleTargetRef": { "kind": "Deployment", "name": "web" } } });
        assert!(matches!(check(&hpa), Err(Refusal::Invalid(_))));
        // The real one: `The Service "noports" is invalid: spec.ports: Required value`.
        let svc = json!({ "apiVersion": "v1", "kind": "Service",
            "metadata": { "name": "noports", "namespace": "shop" }, "spec": { "selector": { "app": "web" } } });
        assert_eq!(
            check(&svc),
            Err(Refusal::Invalid("spec.ports: Required value".into()))
        );
        let headless = with(svc.clone(), &["spec", "clusterIP"], json!("None"));
        assert_eq!(check(&headless), Ok(()));
        let external = with(svc, &["spec", "type"], json!("ExternalName"));
        assert_eq!(check(&external), Ok(()));
    }
}
