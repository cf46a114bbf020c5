//! Patch bodies, by their content type: JSON patch (RFC 6902) and JSON
//! merge patch (RFC 7386) through the json-patch crate, strategic merge
//! patch with Kubernetes' merge keys, and server-side apply.

pub mod apply;
pub mod conflicts;
pub mod strategic;

use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PatchError(pub String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchKind {
    Json,
    Merge,
    Strategic,
    /// Server-side apply (`application/apply-patch+yaml`).
    Apply,
}

impl PatchKind {
    pub fn from_content_type(content_type: &str) -> Option<PatchKind> {
        let media = content_type.split(';').next().unwrap_or_default().trim();
        match media {
            "application/json-patch+json" => Some(PatchKind::Json),
            "application/merge-patch+json" => Some(PatchKind::Merge),
            "application/strategic-merge-patch+json" => Some(PatchKind::Strategic),
            "application/apply-patch+yaml" | "application/apply-patch+json" => {
                Some(PatchKind::Apply)
            }
            _ => None,
        }
    }
}

/// Decodes a patch body: JSON, or YAML for apply patches.
pub fn parse_body(kind: PatchKind, body: &[u8]) -> Result<Value, PatchError> {
    match serde_json::from_slice(body) {
        Ok(v) => Ok(v),
        Err(json_err) if kind == PatchKind::Apply => {
            let text = std::str::from_utf8(body).map_err(|e| PatchError(e.to_string()))?;
            serde_saphyr::from_str::<Value>(text).map_err(|e| {
                PatchError(format!(
                    "the apply patch is neither JSON ({json_err}) nor YAML ({e})"
                ))
            })
        }
        Err(e) => Err(PatchError(format!(
            "the request body is not valid JSON: {e}"
        ))),
    }
}

/// The operations of a JSON patch body.
pub fn json_ops(body: &Value) -> Result<json_patch::Patch, PatchError> {
    serde_json::from_value(body.clone()).map_err(|e| PatchError(format!("invalid JSON patch: {e}")))
}

/// Applies a patch of `kind` (other than Apply, which needs the
/// manager's previous configuration: see [`apply::patch_for`]).
pub fn patch(kind: PatchKind, target: &mut Value, body: &Value) -> Result<(), PatchError> {
    match kind {
        PatchKind::Json => {
            let ops = json_ops(body)?;
            json_patch::patch(target, &ops).map_err(|e| PatchError(e.to_string()))
        }
        PatchKind::Merge => {
            if !body.is_object() {
                return Err(PatchError("a merge patch must be a JSON object".into()));
            }
            json_patch::merge(target, body);
            Ok(())
        }
        PatchKind::Strategic | PatchKind::Apply => strategic::apply(target, body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_patch_add_replace_remove_test() {
        let mut d = json!({ "spec": { "replicas": 3, "template": { "metadata": {} } } });
        patch(
            PatchKind::Json,
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
        let failed = patch(
            PatchKind::Json,
            &mut d,
            &json!([{ "op": "test", "path": "/spec/replicas", "value": 1 }]),
        );
        assert!(failed.is_err());
    }

    #[test]
    fn merge_patch_replaces_lists_and_null_removes() {
        let mut d = json!({ "spec": { "containers": [ { "name": "a", "image": "a:1" }, { "name": "b" } ] }, "x": 1 });
        patch(
            PatchKind::Merge,
            &mut d,
            &json!({ "spec": { "containers": [ { "name": "a", "image": "a:2" } ] }, "x": null }),
        )
        .unwrap();
        assert_eq!(
            d,
            json!({ "spec": { "containers": [ { "name": "a", "image": "a:2" } ] } })
        );
    }

    #[test]
    fn content_types_pick_the_patch() {
        assert_eq!(
            PatchKind::from_content_type("application/strategic-merge-patch+json"),
            Some(PatchKind::Strategic)
        );
        assert_eq!(
            PatchKind::from_content_type("application/apply-patch+yaml; charset=utf-8"),
            Some(PatchKind::Apply)
        );
        assert_eq!(PatchKind::from_content_type("text/plain"), None);
        let yaml = parse_body(PatchKind::Apply, b"kind: Pod\nmetadata: { name: x }\n").unwrap();
        assert_eq!(yaml["metadata"]["name"], "x");
        assert!(parse_body(PatchKind::Merge, b"kind: Pod").is_err());
    }
}
