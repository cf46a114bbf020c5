//! The changes made to the simulated cluster, and by whom: a drill's
//! report lists every one, those the trainee made from a second terminal
//! as well as those runbook's own commands sent through its gateway.

use axum::http::{HeaderMap, StatusCode, header};

/// The kubeconfig user runbook's own client signs in as; any other is a
/// change made from outside the app (the drill's second terminal).
pub const APP_USER: &str = "runbook";

/// One successful write, as the API server's audit log would keep it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimWrite {
    /// Simulated time, Unix seconds.
    pub at: i64,
    /// The kubeconfig user: the bearer token without its `-token` suffix.
    pub user: String,
    /// `POST`, `PATCH`, ...
    pub method: String,
    /// The request path, without its query.
    pub path: String,
    /// What was sent (a create names its object only here).
    pub body: axum::body::Bytes,
    pub status: u16,
}

impl SimWrite {
    pub fn from_app(&self) -> bool {
        self.user == APP_USER
    }
}

/// The user a request signed in as (`drill` for `drill-token`).
pub fn user_of(headers: &HeaderMap) -> String {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.strip_suffix("-token").unwrap_or(t).to_string())
        .unwrap_or_else(|| "anonymous".into())
}

/// Whether a request's answer is a change that was made: a write verb,
/// answered 2xx, and not a dry run.
pub fn is_change(verb: &str, status: StatusCode, dry_run: bool) -> bool {
    matches!(
        verb,
        "create" | "update" | "patch" | "delete" | "deletecollection"
    ) && status.is_success()
        && !dry_run
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_is_the_token_without_its_suffix() {
        let mut h = HeaderMap::new();
        assert_eq!(user_of(&h), "anonymous");
        h.insert(header::AUTHORIZATION, "Bearer drill-token".parse().unwrap());
        assert_eq!(user_of(&h), "drill");
        h.insert(
            header::AUTHORIZATION,
            "Bearer runbook-token".parse().unwrap(),
        );
        assert_eq!(user_of(&h), APP_USER);
    }

    #[test]
    fn only_made_changes_count() {
        assert!(is_change("patch", StatusCode::OK, false));
        assert!(is_change("create", StatusCode::CREATED, false));
        assert!(!is_change("patch", StatusCode::OK, true), "a dry run");
        assert!(!is_change("patch", StatusCode::FORBIDDEN, false), "refused");
        assert!(!is_change("list", StatusCode::OK, false), "a read");
    }
}
