//! Strategic merge patch, as the API server applies it to built-in kinds:
//! lists with a patch merge key (containers by name, container ports by
//! containerPort, volumeMounts by mountPath, ...) merge item by item,
//! `finalizers` merge as a set, every other list is replaced; the
//! `$patch` (replace, delete), `$retainKeys`, `$setElementOrder` and
//! `$deleteFromPrimitiveList` directives are honoured.

use serde_json::{Map, Value};

use super::PatchError;

/// How a list field merges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListStrategy {
    Replace,
    /// Items are matched on this field.
    MergeKey(&'static str),
    /// A list of scalars merged as a set.
    Primitives,
}

const CONTAINER_LISTS: &[&str] = &["containers", "initContainers", "ephemeralContainers"];

/// The strategy of the list at `path` (field names from the object's
/// root, list indices left out), from the `patchMergeKey`s of the
/// Kubernetes API types.
pub fn strategy(path: &[String]) -> ListStrategy {
    use ListStrategy::*;
    let Some(last) = path.last().map(String::as_str) else {
        return Replace;
    };
    let parent = path.len().checked_sub(2).map(|i| path[i].as_str());
    let in_container = parent.is_some_and(|p| CONTAINER_LISTS.contains(&p));
    match last {
        l if CONTAINER_LISTS.contains(&l) => MergeKey("name"),
        "env" if in_container => MergeKey("name"),
        "ports" if in_container => MergeKey("containerPort"),
        // Service.spec.ports
        "ports" if path.len() == 2 && parent == Some("spec") => MergeKey("port"),
        "volumeMounts" if in_container => MergeKey("mountPath"),
        "volumeDevices" if in_container => MergeKey("devicePath"),
        "resizePolicy" if in_container => MergeKey("resourceName"),
        "volumes" | "imagePullSecrets" | "resourceClaims" | "schedulingGates" => MergeKey("name"),
        "hostAliases" => MergeKey("ip"),
        "topologySpreadConstraints" => MergeKey("topologyKey"),
        "conditions" if parent == Some("status") => MergeKey("type"),
        "addresses" if parent == Some("status") => MergeKey("type"),
        "ownerReferences" if parent == Some("metadata") => MergeKey("uid"),
        "finalizers" if parent == Some("metadata") => Primitives,
        _ => Replace,
    }
}

/// Applies `patch` to `target`.
pub fn apply(target: &mut Value, patch: &Value) -> Result<(), PatchError> {
    let Value::Object(fields) = patch else {
        return Err(PatchError(
            "a strategic merge patch must be a JSON object".into(),
        ));
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let mut path = Vec::new();
    if let Value::Object(map) = target
        && merge_map(map, fields, &mut path)? == Outcome::Deleted
    {
        *target = Value::Object(Map::new());
    }
    Ok(())
}

#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Kept,
    Deleted,
}

fn merge_map(
    target: &mut Map<String, Value>,
    patch: &Map<String, Value>,
    path: &mut Vec<String>,
) -> Result<Outcome, PatchError> {
    match patch.get("$patch").and_then(Value::as_str) {
        Some("replace") => {
            *target = strip(patch);
            return Ok(Outcome::Kept);
        }
        Some("delete") => return Ok(Outcome::Deleted),
        Some(other) => return Err(PatchError(format!("unknown patch type: {other}"))),
        None => {}
    }
    let mut orders: Vec<(&str, &Vec<Value>)> = Vec::new();
    for (key, value) in patch {
        if let Some(field) = key.strip_prefix("$setElementOrder/") {
            if let Value::Array(order) = value {
                orders.push((field, order));
            }
            continue;
        }
        if let Some(field) = key.strip_prefix("$deleteFromPrimitiveList/") {
            if let (Some(Value::Array(items)), Value::Array(gone)) = (target.get_mut(field), value)
            {
                items.retain(|v| !gone.contains(v));
            }
            continue;
        }
        if key.starts_with('$') {
            continue;
        }
        if value.is_null() {
            target.remove(key);
            continue;
        }
        path.push(key.clone());
        match (target.get_mut(key), value) {
            (Some(Value::Object(t)), Value::Object(p)) => {
                if merge_map(t, p, path)? == Outcome::Deleted {
                    target.remove(key);
                }
            }
            (Some(Value::Array(t)), Value::Array(p)) => merge_list(t, p, path)?,
            (_, Value::Object(p)) => {
                if p.get("$patch").and_then(Value::as_str) != Some("delete") {
                    let mut fresh = Map::new();
                    merge_map(&mut fresh, p, path)?;
                    target.insert(key.clone(), Value::Object(fresh));
                }
            }
            (_, Value::Array(p)) => {
                let mut fresh = Vec::new();
                merge_list(&mut fresh, p, path)?;
                target.insert(key.clone(), Value::Array(fresh));
            }
            (_, other) => {
                target.insert(key.clone(), other.clone());
            }
        }
        path.pop();
    }
    for (field, order) in orders {
        path.push(field.to_string());
        let how = strategy(path);
        path.pop();
        if let Some(Value::Array(items)) = target.get_mut(field) {
            reorder(items, order, how);
        }
    }
    if let Some(Value::Array(retain)) = patch.get("$retainKeys") {
        let keep: Vec<&str> = retain.iter().filter_map(Value::as_str).collect();
        target.retain(|k, _| keep.contains(&k.as_str()));
    }
    Ok(Outcome::Kept)
}

fn merge_list(
    target: &mut Vec<Value>,
    patch: &[Value],
    path: &mut Vec<String>,
) -> Result<(), PatchError> {
    match strategy(path) {
        ListStrategy::Replace => {
            *target = patch.iter().map(strip_value).collect();
        }
        ListStrategy::Primitives => {
            for v in patch {
                if !target.contains(v) {
                    target.push(v.clone());
                }
            }
        }
        ListStrategy::MergeKey(key) => {
            if patch
                .iter()
                .any(|p| p.get("$patch").and_then(Value::as_str) == Some("replace"))
            {
                *target = patch
                    .iter()
                    .filter(|p| p.get("$patch").is_none())
                    .map(strip_value)
                    .collect();
                return Ok(());
            }
            for item in patch {
                let Value::Object(fields) = item else {
                    return Err(PatchError(format!(
                        "the items of {} must be objects with a {key:?}",
                        path.join(".")
                    )));
                };
                let wanted = fields.get(key);
                if fields.get("$patch").and_then(Value::as_str) == Some("delete") {
                    target.retain(|t| t.get(key) != wanted);
                    continue;
                }
                let Some(wanted) = wanted else {
                    return Err(PatchError(format!(
                        "map: {item} does not contain declared merge key: {key}"
                    )));
                };
                match target.iter_mut().find(|t| t.get(key) == Some(wanted)) {
                    Some(Value::Object(existing)) => {
                        merge_map(existing, fields, path)?;
                    }
                    _ => {
                        let mut fresh = Map::new();
                        merge_map(&mut fresh, fields, path)?;
                        target.push(Value::Object(fresh));
                    }
                }
            }
        }
    }
    Ok(())
}

/// `$setElementOrder`: the listed items first, in that order, then the rest.
fn reorder(items: &mut Vec<Value>, order: &[Value], how: ListStrategy) {
    let identity = |v: &Value| -> Value {
        match how {
            ListStrategy::MergeKey(k) => v.get(k).cloned().unwrap_or(Value::Null),
            _ => v.clone(),
        }
    };
    let wanted: Vec<Value> = order.iter().map(identity).collect();
    let mut rest = std::mem::take(items);
    for w in &wanted {
        if let Some(i) = rest.iter().position(|v| identity(v) == *w) {
            items.push(rest.remove(i));
        }
    }
    items.append(&mut rest);
}

fn strip(map: &Map<String, Value>) -> Map<String, Value> {
    map.iter()
        .filter(|(k, _)| !k.starts_with('$'))
        .map(|(k, v)| (k.clone(), strip_value(v)))
        .collect()
}

fn strip_value(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(strip(map)),
        Value::Array(items) => Value::Array(items.iter().map(strip_value).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests;
