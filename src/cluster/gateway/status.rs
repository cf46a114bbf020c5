//! The gateway's own answers, as Kubernetes `Status` objects so kubectl,
//! helm and client libraries print them as they print the API server's.

use bytes::Bytes;
use http::{Response, StatusCode, header};

/// A `Status` body and its HTTP code.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub code: StatusCode,
    pub message: String,
}

impl Refusal {
    pub fn new(code: StatusCode, message: impl Into<String>) -> Refusal {
        Refusal {
            code,
            message: message.into(),
        }
    }

    pub fn forbidden(message: impl Into<String>) -> Refusal {
        Refusal::new(StatusCode::FORBIDDEN, message)
    }

    pub fn unauthorized() -> Refusal {
        Refusal::new(
            StatusCode::UNAUTHORIZED,
            "runbook gateway: no valid token (a command's credential ends with the command)",
        )
    }

    /// 429: a command holds too much of the gateway at once.
    pub fn too_many(message: impl Into<String>) -> Refusal {
        Refusal::new(StatusCode::TOO_MANY_REQUESTS, message)
    }

    pub fn unavailable(message: impl Into<String>) -> Refusal {
        Refusal::new(StatusCode::SERVICE_UNAVAILABLE, message)
    }

    /// No cluster behind the gateway right now. 502, not 503: kubectl
    /// replaces a 503's message with a fixed sentence, and prints a 502's.
    pub fn not_connected(message: impl Into<String>) -> Refusal {
        Refusal::new(StatusCode::BAD_GATEWAY, message)
    }

    pub fn bad_request(message: impl Into<String>) -> Refusal {
        Refusal::new(StatusCode::BAD_REQUEST, message)
    }

    /// The `Status` JSON.
    pub fn body(&self) -> Bytes {
        let reason = match self.code {
            StatusCode::FORBIDDEN => "Forbidden",
            StatusCode::UNAUTHORIZED => "Unauthorized",
            StatusCode::SERVICE_UNAVAILABLE => "ServiceUnavailable",
            StatusCode::PAYLOAD_TOO_LARGE => "RequestEntityTooLarge",
            StatusCode::METHOD_NOT_ALLOWED => "MethodNotAllowed",
            StatusCode::REQUEST_TIMEOUT => "Timeout",
            StatusCode::BAD_GATEWAY => "InternalError",
            StatusCode::TOO_MANY_REQUESTS => "TooManyRequests",
            _ => "BadRequest",
        };
        let status = serde_json::json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": reason,
            "code": self.code.as_u16(),
        });
        Bytes::from(status.to_string())
    }

    /// The message alone, as text. client-go cannot read a `Status` on a
    /// discovery request and prints a fixed sentence per code instead; a
    /// text body it prints as the message.
    pub fn text_response<B: From<Bytes>>(&self) -> Response<B> {
        let mut response = Response::new(B::from(Bytes::from(self.message.clone())));
        *response.status_mut() = self.code;
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        response
    }

    /// The whole response, with any body type that can be made from bytes.
    pub fn response<B: From<Bytes>>(&self) -> Response<B> {
        let mut response = Response::new(B::from(self.body()));
        *response.status_mut() = self.code;
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("application/json"),
        );
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_is_a_kubernetes_status() {
        let r = Refusal::forbidden("read-only session: no");
        let v: serde_json::Value = serde_json::from_slice(&r.body()).expect("json");
        assert_eq!(v["kind"], "Status");
        assert_eq!(v["code"], 403);
        assert_eq!(v["reason"], "Forbidden");
        assert_eq!(v["message"], "read-only session: no");
        let response: Response<Bytes> = r.response();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    }
}
