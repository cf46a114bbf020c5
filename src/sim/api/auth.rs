//! `kubectl auth can-i`: SelfSubjectAccessReview and SelfSubjectRulesReview
//! (authorization.k8s.io/v1), answered from the simulator's own rules: every
//! request is allowed but those to a resource the scenario's
//! `faults.forbidden` names (what [`super::forbidden`] refuses on the wire).
//!
//! kubectl 1.37 sends these reviews as protobuf; the few fields a review
//! has are read here with a small wire-format reader, so `auth can-i` needs
//! nothing of the general protobuf decoding of the write path.

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::resources::RESOURCES;
use super::status::{ApiError, json_response};

/// Whether `faults.forbidden` refuses `resource` (`plural`, or
/// `plural/sub` with a subresource) in `group`. As in RBAC, a bare name is
/// the core group's resource when there is one (`events` is core/v1
/// events, not events.k8s.io); `plural.group` names the other.
pub fn denies(forbidden: &[String], group: &str, plural: &str, sub: Option<&str>) -> bool {
    let sub = sub.map(|s| format!("{plural}/{s}"));
    let bare_is_this = group.is_empty()
        || !RESOURCES
            .iter()
            .any(|other| other.group.is_empty() && other.plural == plural);
    forbidden.iter().any(|f| {
        (f == plural && bare_is_this)
            || Some(f) == sub.as_ref()
            || *f == format!("{plural}.{group}")
    })
}

/// `POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews`: the
/// review sent back with `status.allowed`, as the real one answers (no
/// reason is given either way for a plain RBAC decision).
pub fn access_review(forbidden: &[String], body: &Bytes) -> Response {
    let review = match decode(body, access_review_from_proto) {
        Ok(review) => review,
        Err(err) => return axum::response::IntoResponse::into_response(err),
    };
    let spec = &review["spec"];
    let allowed = match &spec["resourceAttributes"] {
        Value::Object(attrs) => {
            let text = |k: &str| attrs.get(k).and_then(Value::as_str).unwrap_or("");
            let sub = Some(text("subresource")).filter(|s| !s.is_empty());
            !denies(forbidden, text("group"), text("resource"), sub)
        }
        // Non-resource URLs (`/healthz`, `/api`) are open to everyone.
        _ => true,
    };
    json_response(
        StatusCode::CREATED,
        &json!({
            "kind": "SelfSubjectAccessReview",
            "apiVersion": "authorization.k8s.io/v1",
            "metadata": {},
            "spec": spec,
            "status": { "allowed": allowed },
        }),
    )
}

/// `POST .../selfsubjectrulesreviews` (`auth can-i --list`). With nothing
/// forbidden the answer is the real admin's (`*` on everything); otherwise
/// every served resource but the forbidden ones, since RBAC rules cannot
/// say "all but".
pub fn rules_review(forbidden: &[String], body: &Bytes) -> Response {
    let review = match decode(body, rules_review_from_proto) {
        Ok(review) => review,
        Err(err) => return axum::response::IntoResponse::into_response(err),
    };
    let mut rules = Vec::new();
    if forbidden.is_empty() {
        rules.push(json!({ "verbs": ["*"], "apiGroups": ["*"], "resources": ["*"] }));
    } else {
        for r in RESOURCES
            .iter()
            .filter(|r| r.group != super::metrics::GROUP)
        {
            let mut names = Vec::new();
            if !denies(forbidden, r.group, r.plural, None) {
                names.push(r.plural.to_string());
            }
            for (sub, _) in r.subresources {
                if !denies(forbidden, r.group, r.plural, Some(sub)) {
                    names.push(format!("{}/{sub}", r.plural));
                }
            }
            if !names.is_empty() {
                rules.push(json!({ "verbs": ["*"], "apiGroups": [r.group], "resources": names }));
            }
        }
    }
    rules.push(json!({
        "verbs": ["create"],
        "apiGroups": ["authorization.k8s.io"],
        "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
    }));
    json_response(
        StatusCode::CREATED,
        &json!({
            "kind": "SelfSubjectRulesReview",
            "apiVersion": "authorization.k8s.io/v1",
            "metadata": {},
            "spec": review["spec"],
            "status": {
                "resourceRules": rules,
                "nonResourceRules": [ { "verbs": ["*"], "nonResourceURLs": ["*"] } ],
                "incomplete": false,
            },
        }),
    )
}

/// The envelope of a protobuf body (`runtime.Unknown` after the magic).
const PROTOBUF_MAGIC: &[u8] = b"k8s\0";

fn decode(body: &Bytes, from_proto: fn(&[u8]) -> Option<Value>) -> Result<Value, ApiError> {
    let bad = || ApiError::bad_request("the request body could not be decoded");
    match body.strip_prefix(PROTOBUF_MAGIC) {
        Some(unknown) => {
            // runtime.Unknown: typeMeta = 1, raw = 2.
            let raw = fields(unknown)
                .ok_or_else(bad)?
                .into_iter()
                .find_map(|(n, v)| (n == 2).then_some(v))
                .and_then(Field::bytes)
                .ok_or_else(bad)?;
            from_proto(raw).ok_or_else(bad)
        }
        None => serde_json::from_slice(body)
            .map_err(|e| ApiError::bad_request(format!("the request body is not valid JSON: {e}"))),
    }
}

/// SelfSubjectAccessReview: spec = 2 {resourceAttributes = 1 {namespace 1,
/// verb 2, group 3, version 4, resource 5, subresource 6, name 7},
/// nonResourceAttributes = 2 {path 1, verb 2}} (k8s.io/api authorization/v1
/// generated.proto).
fn access_review_from_proto(raw: &[u8]) -> Option<Value> {
    let spec = message(raw, 2)?;
    let mut out = serde_json::Map::new();
    if let Some(attrs) = message(spec, 1) {
        let names = [
            "namespace",
            "verb",
            "group",
            "version",
            "resource",
            "subresource",
            "name",
        ];
        out.insert("resourceAttributes".into(), strings(attrs, &names)?);
    }
    if let Some(attrs) = message(spec, 2) {
        out.insert(
            "nonResourceAttributes".into(),
            strings(attrs, &["path", "verb"])?,
        );
    }
    Some(json!({ "spec": out }))
}

/// SelfSubjectRulesReview: spec = 2 {namespace = 1}.
fn rules_review_from_proto(raw: &[u8]) -> Option<Value> {
    let spec = message(raw, 2).unwrap_or_default();
    Some(json!({ "spec": strings(spec, &["namespace"])? }))
}

/// The string fields 1..=names.len() of a message, by name (empty ones left out).
fn strings(msg: &[u8], names: &[&str]) -> Option<Value> {
    let mut out = serde_json::Map::new();
    for (n, v) in fields(msg)? {
        let Some(name) = usize::try_from(n)
            .ok()
            .and_then(|n| names.get(n.checked_sub(1)?))
        else {
            continue;
        };
        let text = std::str::from_utf8(v.bytes()?).ok()?;
        if !text.is_empty() {
            out.insert(name.to_string(), json!(text));
        }
    }
    Some(Value::Object(out))
}

/// The last occurrence of length-delimited field `n`.
fn message(msg: &[u8], n: u64) -> Option<&[u8]> {
    fields(msg)?
        .into_iter()
        .filter(|(f, _)| *f == n)
        .filter_map(|(_, v)| v.bytes())
        .next_back()
}

enum Field<'a> {
    Varint,
    Bytes(&'a [u8]),
    Fixed,
}

impl<'a> Field<'a> {
    fn bytes(self) -> Option<&'a [u8]> {
        match self {
            Field::Bytes(b) => Some(b),
            _ => None,
        }
    }
}

/// A message's fields in order; `None` for a malformed one.
fn fields(mut buf: &[u8]) -> Option<Vec<(u64, Field<'_>)>> {
    let mut out = Vec::new();
    while !buf.is_empty() {
        let key = varint(&mut buf)?;
        let value = match key & 7 {
            0 => {
                varint(&mut buf)?;
                Field::Varint
            }
            2 => {
                let len = usize::try_from(varint(&mut buf)?).ok()?;
                let (head, rest) = buf.split_at_checked(len)?;
                buf = rest;
                Field::Bytes(head)
            }
            1 => {
                buf = buf.get(8..)?;
                Field::Fixed
            }
            5 => {
                buf = buf.get(4..)?;
                Field::Fixed
            }
            _ => return None,
        };
        out.push((key >> 3, value));
    }
    Some(out)
}

fn varint(buf: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = buf.split_first()?;
        *buf = rest;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(n: u8, bytes: &[u8]) -> Vec<u8> {
        let mut out = vec![(n << 3) | 2, u8::try_from(bytes.len()).unwrap()];
        out.extend_from_slice(bytes);
        out
    }

    #[test]
    fn a_protobuf_review_is_read() {
        let attrs = [
            field(1, b"shop"),
            field(2, b"delete"),
            field(3, b"apps"),
            field(5, b"deployments"),
        ]
        .concat();
        let review = field(2, &field(1, &attrs));
        let unknown = [field(1, b"typemeta"), field(2, &review)].concat();
        let body = Bytes::from([PROTOBUF_MAGIC, &unknown].concat());
        let value = decode(&body, access_review_from_proto).unwrap();
        assert_eq!(
            value["spec"]["resourceAttributes"],
            json!({ "namespace": "shop", "verb": "delete", "group": "apps", "resource": "deployments" })
        );
        let truncated = Bytes::from(body[..body.len() - 3].to_vec());
        assert!(decode(&truncated, access_review_from_proto).is_err());
    }

    #[test]
    fn forbidden_names_match_as_rbac_resources() {
        let forbidden = vec![
            "nodes".to_string(),
            "pods/log".into(),
            "events.events.k8s.io".into(),
        ];
        assert!(denies(&forbidden, "", "nodes", None));
        assert!(!denies(&forbidden, "", "pods", None));
        assert!(denies(&forbidden, "", "pods", Some("log")));
        assert!(denies(&forbidden, "events.k8s.io", "events", None));
        assert!(!denies(&forbidden, "", "events", None));
    }
}
