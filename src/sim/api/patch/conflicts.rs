//! Server-side apply's conflicts, for the one case the simulator can tell
//! who owns a field: a manager applies a value other than the live one to
//! a field that `kubectl apply` (client side) last set, and that this
//! manager never applied. The real server refuses that with 409 unless
//! `force=true`; it tracks every manager's fields (managedFields), which the
//! simulator does not, so fields other writers set are not reported.

use serde_json::Value;

use super::super::status::ApiError;

const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";
const CLIENT_SIDE_APPLY: &str = "kubectl-client-side-apply";

/// The 409 the real server answers, or None when nothing conflicts.
pub fn check(live: &Value, applied: &Value, previous: Option<&Value>) -> Option<ApiError> {
    let owned: Value = live["metadata"]["annotations"][LAST_APPLIED]
        .as_str()
        .and_then(|t| serde_json::from_str(t).ok())?;
    let mut paths = Vec::new();
    for (field, value) in applied.as_object()? {
        if matches!(
            field.as_str(),
            "apiVersion" | "kind" | "metadata" | "status"
        ) {
            continue;
        }
        leaves(
            value,
            &live[field],
            &owned[field],
            previous.map(|p| &p[field]),
            &mut format!(".{field}"),
            &mut paths,
        );
    }
    if paths.is_empty() {
        return None;
    }
    let version = live["apiVersion"].as_str().unwrap_or("v1");
    let manager = format!("{CLIENT_SIDE_APPLY:?} using {version}");
    let message = if paths.len() == 1 {
        format!(
            "Apply failed with 1 conflict: conflict with {manager}: {}",
            paths[0]
        )
    } else {
        let list: Vec<String> = paths.iter().map(|p| format!("- {p}")).collect();
        format!(
            "Apply failed with {} conflicts: conflicts with {manager}:\n{}",
            paths.len(),
            list.join("\n")
        )
    };
    let causes: Vec<Value> = paths
        .iter()
        .map(|p| {
            serde_json::json!({
                "reason": "FieldManagerConflict",
                "message": format!("conflict with {manager}"),
                "field": p,
            })
        })
        .collect();
    Some(
        ApiError::new(http::StatusCode::CONFLICT, "Conflict", message)
            .with_details(serde_json::json!({ "causes": causes })),
    )
}

/// Scalar fields reached through maps (lists are left alone: their items
/// are owned by merge key, which this does not model).
fn leaves(
    applied: &Value,
    live: &Value,
    owned: &Value,
    previous: Option<&Value>,
    path: &mut String,
    out: &mut Vec<String>,
) {
    match applied {
        Value::Object(fields) => {
            for (k, v) in fields {
                let len = path.len();
                path.push('.');
                path.push_str(k);
                leaves(v, &live[k], &owned[k], previous.map(|p| &p[k]), path, out);
                path.truncate(len);
            }
        }
        Value::Array(_) => {}
        scalar => {
            let mine = previous.is_some_and(|p| !p.is_null());
            if !mine && !owned.is_null() && !live.is_null() && live != scalar {
                out.push(path.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn live() -> Value {
        let applied = json!({ "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": { "name": "web-config" }, "data": { "LOG_LEVEL": "info", "FEATURES": "a" } });
        json!({ "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": { "name": "web-config", "annotations": { LAST_APPLIED: applied.to_string() } },
            "data": { "LOG_LEVEL": "info", "FEATURES": "a" } })
    }

    #[test]
    fn a_value_client_side_apply_set_conflicts_as_the_real_server_says() {
        let applied = json!({ "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": { "name": "web-config" }, "data": { "LOG_LEVEL": "debug" } });
        let e = check(&live(), &applied, None).expect("a conflict");
        assert_eq!(e.code, http::StatusCode::CONFLICT);
        assert_eq!(
            e.body["message"],
            "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using v1: .data.LOG_LEVEL"
        );
    }

    #[test]
    fn equal_values_own_fields_and_unannotated_objects_do_not_conflict() {
        let same = json!({ "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": { "name": "web-config" }, "data": { "LOG_LEVEL": "info" } });
        assert!(check(&live(), &same, None).is_none());
        let other = json!({ "data": { "LOG_LEVEL": "debug" } });
        assert!(
            check(&live(), &other, Some(&other)).is_none(),
            "it applied it before"
        );
        let mut bare = live();
        bare["metadata"]["annotations"] = json!({});
        assert!(check(&bare, &other, None).is_none());
    }
}
