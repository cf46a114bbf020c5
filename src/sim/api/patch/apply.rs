//! Server-side apply, simplified: a field manager's applied configuration
//! is merged into the live object as a strategic merge patch, and the
//! fields it applied last time but no longer does are removed (what field
//! ownership achieves for a single manager; conflicts between managers
//! are not reported).

use serde_json::{Map, Value};

use super::strategic::{ListStrategy, strategy};

/// The patch that removes from the live object what `previous` set and
/// `applied` no longer does, merged with `applied` itself.
pub fn patch_for(previous: Option<&Value>, applied: &Value) -> Value {
    let mut patch = applied.clone();
    if let Some(previous) = previous {
        let mut path = Vec::new();
        removals(previous, applied, &mut patch, &mut path);
    }
    patch
}

fn removals(previous: &Value, applied: &Value, patch: &mut Value, path: &mut Vec<String>) {
    let (Value::Object(before), Value::Object(now)) = (previous, applied) else {
        return;
    };
    let Value::Object(out) = patch else {
        return;
    };
    for (key, old) in before {
        path.push(key.clone());
        match now.get(key) {
            None => {
                out.insert(key.clone(), Value::Null);
            }
            Some(new) => match (old, new) {
                (Value::Object(_), Value::Object(_)) => {
                    if let Some(sub) = out.get_mut(key) {
                        removals(old, new, sub, path);
                    }
                }
                (Value::Array(old_items), Value::Array(new_items)) => {
                    if let ListStrategy::MergeKey(k) = strategy(path)
                        && let Some(Value::Array(items)) = out.get_mut(key)
                    {
                        list_removals(old_items, new_items, items, k, path);
                    }
                }
                _ => {}
            },
        }
        path.pop();
    }
}

fn list_removals(
    old: &[Value],
    new: &[Value],
    out: &mut Vec<Value>,
    key: &str,
    path: &mut Vec<String>,
) {
    for item in old {
        let id = item.get(key);
        match new.iter().position(|n| n.get(key) == id) {
            None => {
                let mut gone = Map::new();
                if let Some(id) = id {
                    gone.insert(key.to_string(), id.clone());
                }
                gone.insert("$patch".into(), Value::String("delete".into()));
                out.push(Value::Object(gone));
            }
            Some(i) => removals(item, &new[i], &mut out[i], path),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::sim::api::patch::strategic;

    #[test]
    fn fields_no_longer_applied_are_removed_and_others_kept() {
        let live = json!({ "metadata": { "labels": { "app": "web", "team": "a" } },
            "spec": { "replicas": 5, "template": { "spec": { "containers": [
                { "name": "web", "image": "web:1", "env": [ { "name": "A", "value": "1" } ] },
                { "name": "sidecar", "image": "s:1" } ] } } } });
        let previous = json!({ "metadata": { "labels": { "app": "web", "team": "a" } },
            "spec": { "template": { "spec": { "containers": [
                { "name": "web", "image": "web:1", "env": [ { "name": "A", "value": "1" } ] },
                { "name": "sidecar", "image": "s:1" } ] } } } });
        let applied = json!({ "metadata": { "labels": { "app": "web" } },
            "spec": { "template": { "spec": { "containers": [
                { "name": "web", "image": "web:2" } ] } } } });
        let mut result = live.clone();
        strategic::apply(&mut result, &patch_for(Some(&previous), &applied)).unwrap();
        assert_eq!(result["metadata"]["labels"], json!({ "app": "web" }));
        assert_eq!(
            result["spec"]["replicas"], 5,
            "a field another manager set stays"
        );
        assert_eq!(
            result["spec"]["template"]["spec"]["containers"],
            json!([ { "name": "web", "image": "web:2" } ])
        );
    }
}
