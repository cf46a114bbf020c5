//! The fields an update may not change, refused as kube-apiserver v1.37.2
//! refuses them (its `Validate*Update` functions, messages checked against
//! `tests/controlplane`): PVC spec (but a bound claim's storage request and
//! volumeAttributesClassName, a first volumeName and a first
//! storageClassName), StatefulSet selector, volumeClaimTemplates,
//! serviceName and podManagementPolicy, Job selector, template and
//! completion fields, Deployment/ReplicaSet/DaemonSet selector, a
//! Service's cluster IP, an immutable ConfigMap's or Secret's data, and a
//! Pod's spec but for images, activeDeadlineSeconds and added tolerations.
//!
//! A PVC's refusal carries the diff of the internal Go structs and a
//! StatefulSet's templates print as them (`go_dump`); a Pod's spec
//! refusal gives only its first line, and other values print as JSON.

use serde_json::{Value, json};

/// One refused field, as a `StatusCause`.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub field: String,
    /// `FieldValueInvalid` or `FieldValueForbidden`.
    pub reason: &'static str,
    /// Without the field: `Invalid value: "other": field is immutable`.
    pub message: String,
}

impl FieldError {
    fn immutable(field: &str, value: &Value) -> FieldError {
        FieldError {
            field: field.into(),
            reason: "FieldValueInvalid",
            message: format!("Invalid value: {}: field is immutable", shown(value)),
        }
    }

    fn invalid(field: &str, value: &Value, detail: &str) -> FieldError {
        FieldError {
            field: field.into(),
            reason: "FieldValueInvalid",
            message: format!("Invalid value: {}: {detail}", shown(value)),
        }
    }

    fn forbidden(field: &str, detail: &str) -> FieldError {
        FieldError {
            field: field.into(),
            reason: "FieldValueForbidden",
            message: format!("Forbidden: {detail}"),
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// The message after `Kind "name" is invalid: `: one error as it is, more
/// as `[a, b]` (the API server's aggregate).
pub fn summary(errors: &[FieldError]) -> String {
    match errors {
        [one] => one.to_string(),
        many => format!(
            "[{}]",
            many.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A value as the API server's field errors print it: strings quoted,
/// the rest as JSON; an absent value as `null`.
fn shown(value: &Value) -> String {
    value.to_string()
}

/// The fields `new` may not change from `old`.
pub fn check(old: &Value, new: &Value) -> Vec<FieldError> {
    match old["kind"].as_str().unwrap_or_default() {
        "PersistentVolumeClaim" => pvc(old, new),
        "StatefulSet" => fields(
            old,
            new,
            &[
                "selector",
                "volumeClaimTemplates",
                "serviceName",
                "podManagementPolicy",
            ],
        ),
        "Deployment" | "ReplicaSet" | "DaemonSet" => fields(old, new, &["selector"]),
        "Job" => job(old, new),
        "Service" => service(old, new),
        "ConfigMap" | "Secret" => frozen(old, new),
        "Pod" => pod(old, new),
        _ => Vec::new(),
    }
}

fn fields(old: &Value, new: &Value, names: &[&str]) -> Vec<FieldError> {
    names
        .iter()
        .filter(|f| old["spec"][**f] != new["spec"][**f])
        .map(|f| {
            let value = &new["spec"][*f];
            if *f == "volumeClaimTemplates" {
                // The real one prints the internal []PersistentVolumeClaim.
                FieldError {
                    field: format!("spec.{f}"),
                    reason: "FieldValueInvalid",
                    message: format!(
                        "Invalid value: {}: field is immutable",
                        super::go_dump::claims_compact(value)
                    ),
                }
            } else {
                FieldError::immutable(&format!("spec.{f}"), value)
            }
        })
        .collect()
}

const PVC_SPEC: &str = "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims";

fn pvc(old: &Value, new: &Value) -> Vec<FieldError> {
    let mut was = old["spec"].clone();
    let mut now = new["spec"].clone();
    // A claim not yet bound may be given its volume.
    if was["volumeName"].as_str().is_none_or(str::is_empty) {
        was["volumeName"] = now["volumeName"].clone();
    }
    // A claim without a class may be given one (retroactive default class).
    if was["storageClassName"].is_null()
        && old["metadata"]["annotations"]["volume.beta.kubernetes.io/storage-class"].is_null()
    {
        was["storageClassName"] = now["storageClassName"].clone();
    }
    if new["status"]["phase"] == "Bound" {
        now["resources"]["requests"]["storage"] = was["resources"]["requests"]["storage"].clone();
        now["volumeAttributesClassName"] = was["volumeAttributesClassName"].clone();
    }
    let mut errors = Vec::new();
    if strip(&was) != strip(&now) {
        let diff = super::go_dump::claim_spec_diff(&was, &now);
        errors.push(FieldError::forbidden(
            "spec",
            &format!("{PVC_SPEC}\n{diff}"),
        ));
    }
    errors
}

/// A spec compared as the API server compares typed values: an absent
/// field and a null one are the same.
fn strip(value: &Value) -> Value {
    let mut value = value.clone();
    super::writes::strip_nulls(&mut value);
    value
}

fn job(old: &Value, new: &Value) -> Vec<FieldError> {
    let mut errors = fields(old, new, &["selector"]);
    // The template may change only while the Job is suspended and has not
    // started (then only its scheduling fields; not modelled here).
    let suspended = new["spec"]["suspend"] == true && old["status"]["startTime"].is_null();
    if !suspended && strip(&old["spec"]["template"]) != strip(&new["spec"]["template"]) {
        errors.push(FieldError::immutable(
            "spec.template",
            &new["spec"]["template"],
        ));
    }
    errors.extend(fields(
        old,
        new,
        &[
            "completionMode",
            "podFailurePolicy",
            "backoffLimitPerIndex",
            "managedBy",
            "successPolicy",
        ],
    ));
    errors
}

fn service(old: &Value, new: &Value) -> Vec<FieldError> {
    let (was, now) = (&old["spec"], &new["spec"]);
    if now["type"] == "ExternalName" || was["type"] == "ExternalName" {
        return Vec::new();
    }
    let first = |spec: &Value| {
        spec["clusterIPs"]
            .get(0)
            .cloned()
            .unwrap_or_else(|| spec["clusterIP"].clone())
    };
    // The server makes clusterIPs[0] the clusterIP before it compares.
    let mut ips = now["clusterIPs"].as_array().cloned().unwrap_or_default();
    if now["clusterIP"] != was["clusterIP"] && !now["clusterIP"].is_null() {
        match ips.first_mut() {
            Some(first) if *first == was["clusterIP"] => *first = now["clusterIP"].clone(),
            None => ips.push(now["clusterIP"].clone()),
            _ => {}
        }
    }
    let changed = ips.first().cloned().unwrap_or_else(|| first(now));
    if !changed.is_null() && changed != first(was) {
        return vec![FieldError::invalid(
            "spec.clusterIPs[0]",
            &json!(ips),
            "may not change once set",
        )];
    }
    Vec::new()
}

const FROZEN: &str = "field is immutable when `immutable` is set";

fn frozen(old: &Value, new: &Value) -> Vec<FieldError> {
    if old["immutable"] != true {
        return Vec::new();
    }
    let mut errors = Vec::new();
    if new["immutable"] != true {
        errors.push(FieldError::forbidden("immutable", FROZEN));
    }
    let string_data = new["stringData"].as_object().is_some_and(|m| !m.is_empty());
    if strip(&old["data"]) != strip(&new["data"]) || string_data {
        errors.push(FieldError::forbidden("data", FROZEN));
    }
    if strip(&old["binaryData"]) != strip(&new["binaryData"]) {
        errors.push(FieldError::forbidden("binaryData", FROZEN));
    }
    errors
}

const POD_SPEC: &str = "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

fn pod(old: &Value, new: &Value) -> Vec<FieldError> {
    let was = strip(&old["spec"]);
    let mut munged = strip(&new["spec"]);
    for list in ["containers", "initContainers"] {
        let images: Vec<Value> = was[list]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| c["image"].clone())
            .collect();
        let containers = munged.get_mut(list).and_then(Value::as_array_mut);
        for (c, image) in containers.into_iter().flatten().zip(images) {
            c["image"] = image;
        }
    }
    for kept in ["activeDeadlineSeconds", "tolerations", "schedulingGates"] {
        match was.get(kept) {
            Some(v) => munged[kept] = v.clone(),
            None => {
                if let Some(m) = munged.as_object_mut() {
                    m.remove(kept);
                }
            }
        }
    }
    // Binding sets the node once.
    if was["nodeName"].is_null()
        && let Some(m) = munged.as_object_mut()
    {
        m.remove("nodeName");
    }
    if munged != was {
        return vec![FieldError::forbidden("spec", POD_SPEC)];
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pvcs_class_is_immutable_once_set_but_may_be_set_once() {
        let old = json!({ "kind": "PersistentVolumeClaim",
            "spec": { "storageClassName": "fast-ssd", "accessModes": ["ReadWriteOnce"],
                      "resources": { "requests": { "storage": "50Gi" } } },
            "status": { "phase": "Pending" } });
        let mut new = old.clone();
        new["spec"]["storageClassName"] = json!("standard");
        let errors = check(&old, &new);
        let summary = summary(&errors);
        assert!(
            summary.starts_with(&format!("spec: Forbidden: {PVC_SPEC}\n@@ ")),
            "{summary}"
        );
        assert!(
            summary.contains("+ \"StorageClassName\": \"standard\""),
            "{summary}"
        );
        let mut unset = old.clone();
        unset["spec"]
            .as_object_mut()
            .unwrap()
            .remove("storageClassName");
        assert!(check(&unset, &new).is_empty(), "a first class is allowed");
        let mut bound = old.clone();
        bound["status"]["phase"] = json!("Bound");
        let mut grown = bound.clone();
        grown["spec"]["resources"]["requests"]["storage"] = json!("100Gi");
        assert!(check(&bound, &grown).is_empty(), "a bound claim may grow");
        assert!(
            !check(&old, &{
                let mut g = old.clone();
                g["spec"]["resources"]["requests"]["storage"] = json!("100Gi");
                g
            })
            .is_empty(),
            "an unbound one may not"
        );
    }

    #[test]
    fn statefulset_fields_are_named_as_the_real_one_names_them() {
        let old = json!({ "kind": "StatefulSet", "spec": { "serviceName": "db", "replicas": 1 } });
        let new = json!({ "kind": "StatefulSet", "spec": { "serviceName": "other", "replicas": 3, "podManagementPolicy": "Parallel" } });
        // The real one: `[spec.serviceName: Invalid value: "other": field is
        // immutable, spec.podManagementPolicy: Invalid value: "Parallel": field is immutable]`.
        assert_eq!(
            summary(&check(&old, &new)),
            "[spec.serviceName: Invalid value: \"other\": field is immutable, spec.podManagementPolicy: Invalid value: \"Parallel\": field is immutable]"
        );
    }

    #[test]
    fn a_services_ip_and_a_frozen_configmap() {
        let old = json!({ "kind": "Service", "spec": { "clusterIP": "10.96.1.2", "clusterIPs": ["10.96.1.2"] } });
        let new = json!({ "kind": "Service", "spec": { "clusterIP": "10.96.0.99", "clusterIPs": ["10.96.0.99"] } });
        assert_eq!(
            summary(&check(&old, &new)),
            "spec.clusterIPs[0]: Invalid value: [\"10.96.0.99\"]: may not change once set"
        );
        let old = json!({ "kind": "ConfigMap", "immutable": true, "data": { "a": "b" } });
        let new = json!({ "kind": "ConfigMap", "immutable": true, "data": { "a": "c" } });
        assert_eq!(
            summary(&check(&old, &new)),
            "data: Forbidden: field is immutable when `immutable` is set"
        );
    }

    #[test]
    fn a_pods_image_may_change_and_its_env_may_not() {
        let old = json!({ "kind": "Pod", "spec": { "containers": [ { "name": "web", "image": "web:1" } ] } });
        let mut image = old.clone();
        image["spec"]["containers"][0]["image"] = json!("web:2");
        assert!(check(&old, &image).is_empty());
        let mut env = old.clone();
        env["spec"]["containers"][0]["env"] = json!([ { "name": "A", "value": "b" } ]);
        assert_eq!(
            summary(&check(&old, &env)),
            format!("spec: Forbidden: {POD_SPEC}")
        );
    }
}
