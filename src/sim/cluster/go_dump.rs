//! Some refusals of kube-apiserver print an internal Go struct, which has
//! no JSON tags: `encoding/json` names its fields as Go spells them, in
//! declaration order, with `null` for every nil pointer, slice and map.
//! These render a claim (and its spec) that way, so a refused change to a
//! PVC or a StatefulSet's volumeClaimTemplates reads as the real one, and
//! the spec diff the PVC refusal carries (`util/diff.Diff`: indented with
//! one space, a unified diff with three lines of context).

use serde_json::Value;

/// A value in Go's field order (serde_json's maps sort their keys).
enum Go {
    Raw(Value),
    Struct(Vec<(&'static str, Go)>),
    List(Vec<Go>),
}

/// A pointer, slice or map field: `null` when absent.
fn raw(value: &Value) -> Go {
    Go::Raw(value.clone())
}

/// A string field: `""` when absent.
fn text(value: &Value) -> Go {
    Go::Raw(if value.is_null() {
        Value::String(String::new())
    } else {
        value.clone()
    })
}

fn optional_struct(value: &Value, fields: impl FnOnce(&Value) -> Go) -> Go {
    if value.is_null() {
        Go::Raw(Value::Null)
    } else {
        fields(value)
    }
}

/// `core.PersistentVolumeClaimSpec`.
fn claim_spec(spec: &Value) -> Go {
    let resources = &spec["resources"];
    Go::Struct(vec![
        ("AccessModes", raw(&spec["accessModes"])),
        ("Selector", raw(&spec["selector"])),
        (
            "Resources",
            Go::Struct(vec![
                ("Limits", raw(&resources["limits"])),
                ("Requests", raw(&resources["requests"])),
            ]),
        ),
        ("VolumeName", text(&spec["volumeName"])),
        ("StorageClassName", raw(&spec["storageClassName"])),
        ("VolumeMode", raw(&spec["volumeMode"])),
        (
            "DataSource",
            optional_struct(&spec["dataSource"], |d| {
                Go::Struct(vec![
                    ("APIGroup", raw(&d["apiGroup"])),
                    ("Kind", text(&d["kind"])),
                    ("Name", text(&d["name"])),
                ])
            }),
        ),
        (
            "DataSourceRef",
            optional_struct(&spec["dataSourceRef"], |d| {
                Go::Struct(vec![
                    ("APIGroup", raw(&d["apiGroup"])),
                    ("Kind", text(&d["kind"])),
                    ("Name", text(&d["name"])),
                    ("Namespace", raw(&d["namespace"])),
                ])
            }),
        ),
        (
            "VolumeAttributesClassName",
            raw(&spec["volumeAttributesClassName"]),
        ),
    ])
}

/// `core.PersistentVolumeClaim`: TypeMeta empty, ObjectMeta's tagged
/// fields inlined (empty ones omitted), then Spec and Status.
fn claim(pvc: &Value) -> Go {
    let meta = &pvc["metadata"];
    let mut fields = Vec::new();
    for key in ["name", "generateName", "namespace", "labels", "annotations"] {
        let v = &meta[key];
        let empty = v.is_null()
            || v.as_str().is_some_and(str::is_empty)
            || v.as_object().is_some_and(serde_json::Map::is_empty);
        if !empty {
            fields.push((key, raw(v)));
        }
    }
    let status = &pvc["status"];
    fields.push(("Spec", claim_spec(&pvc["spec"])));
    fields.push((
        "Status",
        Go::Struct(vec![
            ("Phase", text(&status["phase"])),
            ("AccessModes", raw(&status["accessModes"])),
            ("Capacity", raw(&status["capacity"])),
            ("Conditions", raw(&status["conditions"])),
            ("AllocatedResources", raw(&status["allocatedResources"])),
            (
                "AllocatedResourceStatuses",
                raw(&status["allocatedResourceStatuses"]),
            ),
            (
                "CurrentVolumeAttributesClassName",
                raw(&status["currentVolumeAttributesClassName"]),
            ),
            ("ModifyVolumeStatus", raw(&status["modifyVolumeStatus"])),
            ("HealthStatus", raw(&status["healthStatus"])),
        ]),
    ));
    Go::Struct(fields)
}

/// `json.Marshal` of claims (a StatefulSet's volumeClaimTemplates).
pub fn claims_compact(templates: &Value) -> String {
    let list = Go::List(
        templates
            .as_array()
            .into_iter()
            .flatten()
            .map(claim)
            .collect(),
    );
    let mut out = String::new();
    write(&list, None, 0, &mut out);
    out
}

/// `diff.Diff(old, new)` of two claim specs, as the PVC refusal prints it.
pub fn claim_spec_diff(old: &Value, new: &Value) -> String {
    let pretty = |spec: &Value| {
        let mut out = String::new();
        write(&claim_spec(spec), Some(" "), 0, &mut out);
        out.push('\n');
        out
    };
    let (a, b) = (pretty(old), pretty(new));
    similar::TextDiff::from_lines(&a, &b)
        .unified_diff()
        .context_radius(3)
        .to_string()
}

fn write(value: &Go, indent: Option<&str>, depth: usize, out: &mut String) {
    let newline = |out: &mut String, depth: usize| {
        if let Some(unit) = indent {
            out.push('\n');
            out.push_str(&unit.repeat(depth));
        }
    };
    let colon = if indent.is_some() { ": " } else { ":" };
    match value {
        Go::Raw(v) => write_raw(v, indent, depth, out),
        Go::Struct(fields) => {
            out.push('{');
            for (i, (name, v)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                out.push_str(&Value::String((*name).into()).to_string());
                out.push_str(colon);
                write(v, indent, depth + 1, out);
            }
            if !fields.is_empty() {
                newline(out, depth);
            }
            out.push('}');
        }
        Go::List(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                write(v, indent, depth + 1, out);
            }
            if !items.is_empty() {
                newline(out, depth);
            }
            out.push(']');
        }
    }
}

/// A JSON value (maps' keys sorted, as Go sorts them) in the same layout.
fn write_raw(value: &Value, indent: Option<&str>, depth: usize, out: &mut String) {
    match value {
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if let Some(unit) = indent {
                    out.push('\n');
                    out.push_str(&unit.repeat(depth + 1));
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push_str(if indent.is_some() { ": " } else { ":" });
                write_raw(v, indent, depth + 1, out);
            }
            if !map.is_empty()
                && let Some(unit) = indent
            {
                out.push('\n');
                out.push_str(&unit.repeat(depth));
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if let Some(unit) = indent {
                    out.push('\n');
                    out.push_str(&unit.repeat(depth + 1));
                }
                write_raw(v, indent, depth + 1, out);
            }
            if !items.is_empty()
                && let Some(unit) = indent
            {
                out.push('\n');
                out.push_str(&unit.repeat(depth));
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(class: &str) -> Value {
        json!({ "accessModes": ["ReadWriteOnce"], "resources": { "requests": { "storage": "1Gi" } },
                "volumeName": "conf-pv-manual", "storageClassName": class, "volumeMode": "Filesystem" })
    }

    #[test]
    fn a_claim_spec_diff_reads_as_the_api_servers() {
        // What kube-apiserver v1.37.2 answered for this change (tests/conformance).
        let want = "@@ -10,7 +10,7 @@
 }
 },
 \"VolumeName\": \"conf-pv-manual\",
- \"StorageClassName\": \"conf-manual\",
+ \"StorageClassName\": \"conf-standard\",
 \"VolumeMode\": \"Filesystem\",
 \"DataSource\": null,
 \"DataSourceRef\": null,
";
        let got = claim_spec_diff(&spec("conf-manual"), &spec("conf-standard"));
        let squeeze = |s: &str| {
            s.lines()
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(squeeze(&got), squeeze(want), "{got}");
        assert!(
            got.contains("\n  \"VolumeName\""),
            "one-space indent: {got}"
        );
    }

    #[test]
    fn claim_templates_print_as_internal_structs() {
        let templates = json!([{ "apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": { "name": "data" },
            "spec": { "accessModes": ["ReadWriteOnce"], "resources": { "requests": { "storage": "2Gi" } },
                      "storageClassName": "conf-standard", "volumeMode": "Filesystem" },
            "status": { "phase": "Pending" } }]);
        assert_eq!(
            claims_compact(&templates),
            r#"[{"name":"data","Spec":{"AccessModes":["ReadWriteOnce"],"Selector":null,"Resources":{"Limits":null,"Requests":{"storage":"2Gi"}},"VolumeName":"","StorageClassName":"conf-standard","VolumeMode":"Filesystem","DataSource":null,"DataSourceRef":null,"VolumeAttributesClassName":null},"Status":{"Phase":"Pending","AccessModes":null,"Capacity":null,"Conditions":null,"AllocatedResources":null,"AllocatedResourceStatuses":null,"CurrentVolumeAttributesClassName":null,"ModifyVolumeStatus":null,"HealthStatus":null}}]"#
        );
    }
}
