//! The objects in a file a command applies or deletes (`-f x.yaml`), listed
//! in its typed confirmation so the responder sees what it acts on.

use std::path::Path;

/// Files larger than this are not read for the confirmation.
const MOST_BYTES: u64 = 1 << 20;
/// Objects listed at most per file.
const MOST_OBJECTS: usize = 50;

/// `kind/name` (with the namespace when it has one) of each YAML document
/// (and each item of a `List`) in `file`; a folder's YAML and JSON files,
/// one level, as kubectl reads them without -R. `Err` says why it cannot
/// be read (a URL, a missing file, not YAML).
pub fn objects(file: &str) -> Result<Vec<String>, String> {
    if file == "-" {
        return Err("the objects come from standard input".into());
    }
    if file.contains("://") {
        return Err("a URL runbook does not fetch".into());
    }
    let path = Path::new(file);
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .map_err(|e| format!("cannot read the folder: {e}"))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.extension()
                    .is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
            })
            .collect();
        entries.sort();
        let mut out = Vec::new();
        for entry in entries {
            out.extend(in_file(&entry)?);
            if out.len() >= MOST_OBJECTS {
                out.truncate(MOST_OBJECTS);
                break;
            }
        }
        return Ok(out);
    }
    in_file(path)
}

fn in_file(path: &Path) -> Result<Vec<String>, String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?
        .len();
    if size > MOST_BYTES {
        return Err(format!("{} is larger than 1 MiB", path.display()));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let docs: Vec<serde_json::Value> = serde_saphyr::from_multiple(&text)
        .map_err(|e| format!("{} is not YAML: {e}", path.display()))?;
    let mut out = Vec::new();
    for doc in &docs {
        describe(doc, &mut out);
    }
    out.truncate(MOST_OBJECTS);
    Ok(out)
}

fn describe(doc: &serde_json::Value, out: &mut Vec<String>) {
    let text = |v: &serde_json::Value| v.as_str().map(crate::sanitize::line);
    let Some(kind) = text(&doc["kind"]) else {
        return;
    };
    if kind.ends_with("List") {
        for item in doc["items"].as_array().into_iter().flatten() {
            describe(item, out);
        }
        return;
    }
    let name = text(&doc["metadata"]["name"])
        .or_else(|| text(&doc["metadata"]["generateName"]).map(|g| format!("{g}*")))
        .unwrap_or_else(|| "(no name)".into());
    match text(&doc["metadata"]["namespace"]) {
        Some(ns) => out.push(format!("{kind}/{name} (namespace {ns})")),
        None => out.push(format!("{kind}/{name}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_document_and_list_item_is_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("x.yaml");
        std::fs::write(
            &file,
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web, namespace: shop }\n---\n\
             apiVersion: v1\nkind: List\nitems:\n- { apiVersion: v1, kind: Service, metadata: { name: web } }\n\
             - { apiVersion: v1, kind: ConfigMap, metadata: { name: \"cm\\e[2J\" } }\n",
        )
        .expect("write");
        let objects = objects(file.to_str().expect("utf-8")).expect("reads");
        assert_eq!(
            objects,
            [
                "Deployment/web (namespace shop)",
                "Service/web",
                "ConfigMap/cm"
            ]
        );
        assert_eq!(
            super::objects(dir.path().to_str().expect("utf-8")).expect("folder"),
            objects
        );
        assert!(super::objects("/nonexistent/x.yaml").is_err());
        assert!(super::objects("https://example.com/x.yaml").is_err());
    }
}
