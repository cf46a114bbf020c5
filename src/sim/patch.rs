//! Patch bodies: JSON merge patch (strategic merge is treated the same, which
//! is enough for the fields actions touch) and RFC 6902 JSON patch.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PatchError(pub String);

/// RFC 7386. Keys starting with `$` are strategic-merge directives
/// (`$setElementOrder/...`, `$retainKeys`); they are dropped.
pub fn merge(target: &mut Value, patch: &Value) {
    let Value::Object(fields) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Default::default());
    }
    if let Value::Object(map) = target {
        for (key, value) in fields {
            if key.starts_with('$') {
                continue;
            }
            if value.is_null() {
                map.remove(key);
            } else {
                merge(map.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
    }
}

/// RFC 6902 (add, remove, replace, test; enough for kube-rs `Patch::Json`).
pub fn json_patch(target: &mut Value, ops: &Value) -> Result<(), PatchError> {
    let ops = ops
        .as_array()
        .ok_or_else(|| PatchError("a JSON patch must be a list of operations".into()))?;
    for op in ops {
        let path = op["path"]
            .as_str()
            .ok_or_else(|| PatchError("an operation needs a path".into()))?;
        let (parent_path, last) = split_pointer(path)?;
        match op["op"].as_str().unwrap_or_default() {
            "test" => {
                if target.pointer(path) != Some(&op["value"]) {
                    return Err(PatchError(format!("test failed at {path}")));
                }
            }
            "remove" => {
                let parent = target
                    .pointer_mut(&parent_path)
                    .ok_or_else(|| PatchError(format!("no such path {path}")))?;
                let removed = match parent {
                    Value::Object(map) => map.remove(&last).is_some(),
                    Value::Array(items) => match last.parse::<usize>() {
                        Ok(i) if i < items.len() => {
                            items.remove(i);
                            true
                        }
                        _ => false,
                    },
                    _ => false,
                };
                if !removed {
                    return Err(PatchError(format!("no such path {path}")));
                }
            }
            kind @ ("add" | "replace") => {
                let value = op["value"].clone();
                if path.is_empty() {
                    *target = value;
                    continue;
                }
                let parent = target
                    .pointer_mut(&parent_path)
                    .ok_or_else(|| PatchError(format!("no such path {path}")))?;
                match parent {
                    Value::Object(map) => {
                        if kind == "replace" && !map.contains_key(&last) {
                            return Err(PatchError(format!("no such path {path}")));
                        }
                        map.insert(last, value);
                    }
                    Value::Array(items) => {
                        let index = if last == "-" {
                            items.len()
                        } else {
                            last.parse::<usize>()
                                .map_err(|_| PatchError(format!("bad index in {path}")))?
                        };
                        match kind {
                            "add" if index <= items.len() => items.insert(index, value),
                            "replace" if index < items.len() => items[index] = value,
                            _ => return Err(PatchError(format!("index out of range in {path}"))),
                        }
                    }
                    _ => return Err(PatchError(format!("no such path {path}"))),
                }
            }
            other => return Err(PatchError(format!("unsupported operation {other:?}"))),
        }
    }
    Ok(())
}

fn split_pointer(path: &str) -> Result<(String, String), PatchError> {
    if path.is_empty() {
        return Ok((String::new(), String::new()));
    }
    if !path.starts_with('/') {
        return Err(PatchError(format!("invalid path {path:?}")));
    }
    let (parent, last) = path.rsplit_once('/').unwrap_or(("", path));
    Ok((
        parent.to_string(),
        last.replace("~1", "/").replace("~0", "~"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_sets_and_removes() {
        let mut node =
            json!({ "spec": { "podCIDR": "10.0.0.0/24" }, "metadata": { "labels": { "a": "1" } } });
        merge(
            &mut node,
            &json!({ "spec": { "unschedulable": true }, "metadata": { "labels": { "a": null } },
                     "$setElementOrder/taints": [] }),
        );
        assert_eq!(node["spec"]["unschedulable"], true);
        assert_eq!(node["spec"]["podCIDR"], "10.0.0.0/24");
        assert_eq!(node["metadata"]["labels"], json!({}));
        assert!(node.get("$setElementOrder/taints").is_none());
    }

    #[test]
    fn json_patch_add_replace_remove_test() {
        let mut d = json!({ "spec": { "replicas": 3, "template": { "metadata": {} } } });
        json_patch(
            &mut d,
            &json!([
                { "op": "test", "path": "/spec/replicas", "value": 3 },
                { "op": "replace", "path": "/spec/replicas", "value": 5 },
                { "op": "add", "path": "/spec/template/metadata/annotations", "value": { "x~y": "1" } },
                { "op": "remove", "path": "/spec/template/metadata/annotations/x~0y" }
            ]),
        )
        .unwrap();
        assert_eq!(d["spec"]["replicas"], 5);
        assert_eq!(d["spec"]["template"]["metadata"]["annotations"], json!({}));
        assert!(
            json_patch(
                &mut d,
                &json!([{ "op": "replace", "path": "/nope/x", "value": 1 }])
            )
            .is_err()
        );
        assert!(
            json_patch(
                &mut d,
                &json!([{ "op": "test", "path": "/spec/replicas", "value": 1 }])
            )
            .is_err()
        );
    }
}
