//! Small pieces the kind modules share: an object's key and age, its
//! controller, counts, and the head of a describe view.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

use crate::kinds::format::{age_since, or_none, selector};
use crate::kinds::labels::Labels;
use crate::kinds::rows::EventRow;
use crate::sanitize::line;

/// (namespace, name, creation time) of an object, sanitized.
pub fn key(meta: &ObjectMeta) -> (String, String, Option<i64>) {
    (
        line(meta.namespace.as_deref().unwrap_or_default()),
        line(meta.name.as_deref().unwrap_or_default()),
        meta.creation_timestamp.as_ref().map(|t| t.0.as_second()),
    )
}

/// `Kind/name` of the controlling owner ("" when none).
pub fn owner(meta: &ObjectMeta) -> String {
    meta.owner_references
        .as_ref()
        .and_then(|o| {
            o.iter()
                .find(|r| r.controller == Some(true))
                .or_else(|| o.first())
        })
        .map(|r| line(&format!("{}/{}", r.kind, r.name)))
        .unwrap_or_default()
}

/// The name of the object's controller when it is a `kind` (a pod's
/// ReplicaSet, a ReplicaSet's Deployment).
pub fn controller_named(meta: &ObjectMeta, kind: &str) -> Option<String> {
    meta.owner_references
        .iter()
        .flatten()
        .find(|o| o.controller == Some(true) && o.kind == kind)
        .map(|o| o.name.clone())
}

/// A count the API gives as an optional i32.
pub fn count(n: Option<i32>) -> u32 {
    u32::try_from(n.unwrap_or(0)).unwrap_or(0)
}

/// A quantity of a resource map (`storage`), as written.
pub fn quantity(map: Option<&BTreeMap<String, Quantity>>, name: &str) -> String {
    map.and_then(|m| m.get(name))
        .map(|q| line(&q.0))
        .unwrap_or_default()
}

/// A sanitized copy of a string map.
pub fn map(m: Option<&BTreeMap<String, String>>) -> Vec<(String, String)> {
    m.into_iter()
        .flatten()
        .map(|(k, v)| (line(k), line(v)))
        .collect()
}

/// A label selector as kubectl's `FormatLabelSelector` prints it.
pub fn label_selector(s: Option<&LabelSelector>) -> String {
    let Some(s) = s else {
        return "<none>".into();
    };
    let mut parts: Vec<String> = s
        .match_labels
        .iter()
        .flatten()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    for e in s.match_expressions.iter().flatten() {
        let values = e.values.clone().unwrap_or_default().join(",");
        parts.push(match e.operator.as_str() {
            "In" => format!("{} in ({values})", e.key),
            "NotIn" => format!("{} notin ({values})", e.key),
            "Exists" => e.key.clone(),
            _ => format!("!{}", e.key),
        });
    }
    or_none(line(&parts.join(",")))
}

/// `app=web,tier=api` or `<none>`.
pub fn pairs(m: &[(String, String)]) -> String {
    or_none(selector(m.iter().map(|(k, v)| (k.as_str(), v.as_str()))))
}

/// `pairs`, of a row's label map.
pub fn label_pairs(m: &Labels) -> String {
    or_none(selector(m.iter()))
}

/// Name, Namespace, Labels and the age: the head of every describe view.
pub fn header(meta: &ObjectMeta, now: i64) -> Vec<String> {
    let (namespace, name, created) = key(meta);
    let mut out = vec![format!("Name:         {name}")];
    if !namespace.is_empty() {
        out.push(format!("Namespace:    {namespace}"));
    }
    out.push(format!(
        "Labels:       {}",
        pairs(&map(meta.labels.as_ref()))
    ));
    out.push(format!("Age:          {}", age_since(created, now)));
    let owner = owner(meta);
    if !owner.is_empty() {
        out.push(format!("Controlled By: {owner}"));
    }
    out
}

/// The events about `kind/name`, as describe ends.
pub fn events(events: &[EventRow], kind: &str, name: &str, now: i64, out: &mut Vec<String>) {
    crate::kinds::describe::events_lines(events, kind, name, now, out);
}

/// Container names and images of a pod template (kubectl's wide columns).
pub fn template(spec: Option<&k8s_openapi::api::core::v1::PodSpec>) -> (String, String) {
    let containers = spec.map(|s| s.containers.as_slice()).unwrap_or_default();
    (
        containers
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(","),
        containers
            .iter()
            .filter_map(|c| c.image.as_deref())
            .collect::<Vec<_>>()
            .join(","),
    )
}

/// An optional part of an object, borrowed, or its default when absent:
/// projecting must not clone a spec (a ReplicaSet's holds its whole pod
/// template) once per object at 50,000 objects.
pub fn or_default<T: Clone + Default>(part: &Option<T>) -> std::borrow::Cow<'_, T> {
    part.as_ref().map_or_else(
        || std::borrow::Cow::Owned(T::default()),
        std::borrow::Cow::Borrowed,
    )
}
