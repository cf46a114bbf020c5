//! What the gateway records of a change that passed: enough to answer "what
//! did we change during the incident", nothing of the request's body.

use super::path::{ApiPath, parse_path};

/// A write (or dry run, or stream) that the gateway forwarded, or one it
/// refused (`refused`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiWrite {
    pub method: String,
    /// The path without its query: a query can carry an exec's command
    /// line or other text that does not belong in a journal.
    pub path: String,
    /// `deployments.apps`, `pods`; none for a non-resource path.
    pub resource: Option<String>,
    pub subresource: Option<String>,
    pub namespace: Option<String>,
    pub name: Option<String>,
    /// The API server's answer (101 for a stream, 502 when it could not be
    /// reached: the change may or may not have been made).
    pub status: u16,
    pub dry_run: bool,
    /// The command whose credential sent it.
    pub by: String,
    /// Set when the gateway refused it (nothing was sent): why.
    pub refused: Option<String>,
    /// The kube context it was forwarded to (set where it is forwarded).
    pub context: Option<String>,
    /// That context's API server URL.
    pub server: Option<String>,
}

impl ApiWrite {
    /// Describes a request. On a create the object's name is in the body
    /// (`metadata.name`); only that field is read, and only from JSON.
    pub fn new(method: &str, path: &str, body: &[u8], dry_run: bool, by: &str) -> ApiWrite {
        let target = match parse_path(path) {
            Ok(ApiPath::Resource(t)) => Some(t),
            _ => None,
        };
        let name = target
            .as_ref()
            .and_then(|t| t.name.clone())
            .or_else(|| (method == "POST").then(|| created_name(body)).flatten());
        ApiWrite {
            method: method.to_string(),
            path: path.to_string(),
            resource: target.as_ref().and_then(|t| t.qualified_resource()),
            subresource: target.as_ref().and_then(|t| t.subresource.clone()),
            namespace: target.as_ref().and_then(|t| t.namespace.clone()),
            name: name.map(|n| crate::sanitize::line(&n)),
            status: 0,
            dry_run,
            by: by.to_string(),
            refused: None,
            context: None,
            server: None,
        }
    }
}

fn created_name(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Object {
        metadata: Option<Metadata>,
    }
    #[derive(serde::Deserialize)]
    struct Metadata {
        name: Option<String>,
        #[serde(rename = "generateName")]
        generate_name: Option<String>,
    }
    let object: Object = serde_json::from_slice(body).ok()?;
    let metadata = object.metadata?;
    metadata
        .name
        .or_else(|| metadata.generate_name.map(|g| format!("{g}*")))
}

impl ApiWrite {
    /// The journal's record of this write, made from step `step`.
    pub fn into_event(self, step: String) -> crate::engine::Event {
        if let Some(reason) = self.refused {
            return crate::engine::Event::Refused {
                step,
                method: self.method,
                path: self.path,
                resource: self.resource,
                subresource: self.subresource,
                namespace: self.namespace,
                name: self.name,
                reason,
                by: self.by,
            };
        }
        crate::engine::Event::ApiWrite {
            step,
            method: self.method,
            path: self.path,
            resource: self.resource,
            subresource: self.subresource,
            namespace: self.namespace,
            name: self.name,
            status: self.status,
            dry_run: self.dry_run,
            by: self.by,
            context: self.context,
            server: self.server,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_path_or_a_created_objects_metadata() {
        let w = ApiWrite::new(
            "PATCH",
            "/apis/apps/v1/namespaces/shop/deployments/checkout/scale",
            b"{}",
            false,
            "kubectl scale",
        );
        assert_eq!(w.resource.as_deref(), Some("deployments.apps"));
        assert_eq!(w.subresource.as_deref(), Some("scale"));
        assert_eq!(w.namespace.as_deref(), Some("shop"));
        assert_eq!(w.name.as_deref(), Some("checkout"));
        assert_eq!(w.by, "kubectl scale");

        let secret =
            br#"{"kind":"Secret","metadata":{"name":"db"},"data":{"password":"aHVudGVyMg=="}}"#;
        let w = ApiWrite::new("POST", "/api/v1/namespaces/shop/secrets", secret, true, "x");
        assert_eq!(w.name.as_deref(), Some("db"));
        assert!(w.dry_run);
        assert!(!format!("{w:?}").contains("aHVudGVy"), "no data is kept");

        let w = ApiWrite::new(
            "POST",
            "/api/v1/namespaces/shop/pods",
            br#"{"metadata":{"generateName":"debug-"}}"#,
            false,
            "x",
        );
        assert_eq!(w.name.as_deref(), Some("debug-*"));
        let w = ApiWrite::new(
            "POST",
            "/api/v1/namespaces/shop/pods",
            b"kind: Pod",
            false,
            "x",
        );
        assert_eq!(w.name, None);
        let w = ApiWrite::new("POST", "/logs", b"", false, "x");
        assert_eq!((w.resource, w.name), (None, None));
    }
}
