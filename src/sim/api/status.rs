//! `meta.k8s.io/v1 Status` bodies, as the API server answers errors.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// An error answer: the HTTP status and its Status body.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub code: StatusCode,
    pub body: Value,
}

impl ApiError {
    pub fn new(code: StatusCode, reason: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            body: status_body(code.as_u16(), reason, &message.into(), None),
        }
    }

    pub fn with_details(mut self, details: Value) -> ApiError {
        self.body["details"] = details;
        self
    }

    pub fn not_found(group: &str, plural: &str, name: &str) -> ApiError {
        let resource = qualified(group, plural);
        ApiError::new(
            StatusCode::NOT_FOUND,
            "NotFound",
            format!("{resource} \"{name}\" not found"),
        )
        .with_details(json!({ "name": name, "group": group, "kind": plural }))
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "BadRequest", message)
    }

    pub fn method_not_allowed() -> ApiError {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            "the server does not allow this method on the requested resource",
        )
    }

    pub fn page_not_found() -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "NotFound",
            "the server could not find the requested resource",
        )
    }

    pub fn gone(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::GONE, "Expired", message)
    }

    /// As RBAC words it, e.g. `nodes is forbidden: User "drill" cannot list
    /// resource "nodes" in API group "" at the cluster scope`.
    pub fn forbidden(verb: &str, group: &str, plural: &str, namespace: Option<&str>) -> ApiError {
        let scope = match namespace {
            Some(ns) => format!("in the namespace \"{ns}\""),
            None => "at the cluster scope".to_string(),
        };
        let resource = qualified(group, plural);
        ApiError::new(
            StatusCode::FORBIDDEN,
            "Forbidden",
            format!(
                "{resource} is forbidden: User \"{}\" cannot {verb} resource \"{plural}\" in API group \"{group}\" {scope}",
                crate::sim::USER
            ),
        )
        .with_details(json!({ "group": group, "kind": plural }))
    }

    pub fn unavailable() -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "ServiceUnavailable",
            "the server is currently unable to handle the request",
        )
    }
}

fn qualified(group: &str, plural: &str) -> String {
    if group.is_empty() {
        plural.to_string()
    } else {
        format!("{plural}.{group}")
    }
}

/// A `meta/v1 Status`, built from k8s-openapi's type so its shape is the
/// API server's (`details` is merged in as given: causes and names).
pub fn status_body(code: u16, reason: &str, message: &str, details: Option<Value>) -> Value {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ListMeta, Status};
    let typed = Status {
        code: Some(i32::from(code)),
        message: Some(message.to_string()),
        reason: Some(reason.to_string()),
        status: Some(if code < 300 { "Success" } else { "Failure" }.to_string()),
        metadata: ListMeta::default(),
        details: None,
    };
    let mut body = serde_json::to_value(&typed).unwrap_or_else(|_| json!({}));
    body["kind"] = json!("Status");
    body["apiVersion"] = json!("v1");
    if let Some(details) = details {
        body["details"] = details;
    }
    body
}

pub fn json_response(code: StatusCode, body: &Value) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    (code, [(header::CONTENT_TYPE, "application/json")], bytes).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_response(self.code, &self.body)
    }
}
