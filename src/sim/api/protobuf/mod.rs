//! Request bodies in Kubernetes' protobuf encoding
//! (`application/vnd.kubernetes.protobuf`), which kubectl sends for the
//! built-in kinds (`create configmap|secret|service|deployment|job
//! --from=cronjob/...`, `autoscale`, ...): the envelope (`k8s\0` and a
//! `runtime.Unknown` naming the kind) is decoded with k8s-pb's prost
//! types and turned into the JSON object a JSON request would carry, so
//! the write path after it is the one JSON bodies take.

mod json;
mod json_gen;

use k8s_pb::apimachinery::pkg::runtime::Unknown;
use prost::Message;
use serde_json::{Map, Value};

use super::status::ApiError;

/// The four bytes every protobuf body starts with.
pub(crate) const MAGIC: &[u8] = b"k8s\0";

/// Scheme the API server names when a kind is not registered.
const SCHEME: &str = "pkg/runtime/scheme.go:111";

/// A decode error as the API server's (gogo-generated) decoder words it:
/// every body cut short is `unexpected EOF`.
fn go_error(err: &prost::DecodeError) -> String {
    let text = err.to_string();
    let cut = [
        "buffer underflow",
        "invalid varint",
        "delimited length exceeded",
    ];
    if cut.iter().any(|c| text.ends_with(c)) {
        "unexpected EOF".into()
    } else {
        text
    }
}

/// The Go package an internal type is in: `core` for the core group,
/// else the group's first label (`networking.k8s.io` is `networking`).
fn internal_package(api_version: &str) -> &str {
    match api_version.split_once('/') {
        Some((group, _)) => group.split('.').next().unwrap_or(group),
        None => "core",
    }
}

/// Whether `body` is in the protobuf encoding (by its magic, as the API
/// server's serializer recognises it).
pub(crate) fn is_protobuf(body: &[u8]) -> bool {
    body.starts_with(MAGIC)
}

/// The JSON object of a protobuf body; `into` is the `(apiVersion, kind)`
/// the request takes, which the envelope's type defaults from and the
/// errors name. Refusals are the API server's 400s.
pub(crate) fn decode(body: &[u8], into: (&str, &str)) -> Result<Value, ApiError> {
    let (into_version, into_kind) = into;
    let unrecognized = |err: &str| {
        ApiError::bad_request(format!(
            "the object provided is unrecognized (must be of type {into_kind}): {err} ({})",
            summarize(body)
        ))
    };
    let envelope = match body.strip_prefix(MAGIC) {
        None => {
            return Err(unrecognized(
                "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]",
            ));
        }
        Some([]) => return Err(unrecognized("empty body")),
        Some(rest) => rest,
    };
    let unknown = Unknown::decode(envelope).map_err(|e| unrecognized(&go_error(&e)))?;
    let meta = unknown.type_meta.unwrap_or_default();
    // As the serializer's copyKindDefaults: what the envelope leaves out
    // is the request's.
    let kind = meta
        .kind
        .filter(|k| !k.is_empty())
        .unwrap_or_else(|| into_kind.to_string());
    let api_version = meta
        .api_version
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| into_version.to_string());
    let version = api_version.rsplit('/').next().unwrap_or_default();
    let cannot = |err: &str| {
        ApiError::bad_request(format!(
            "{kind} in version \"{version}\" cannot be handled as a {into_kind}: {err}"
        ))
    };
    let raw = unknown.raw.unwrap_or_default();
    let decoded = json_gen::decode(&api_version, &kind, &raw)
        .or_else(|| json_gen::decode("", &kind, &raw))
        .ok_or_else(|| {
            cannot(&format!(
                "no kind \"{kind}\" is registered for version \"{api_version}\" in scheme \"{SCHEME}\""
            ))
        })?;
    let fields = match decoded.map_err(|e| cannot(&go_error(&e)))? {
        Value::Object(fields) => fields,
        _ => Map::new(),
    };
    // Another kind than the URL's is decoded, then not converted.
    if kind != into_kind {
        return Err(cannot(&format!(
            "converting ({version}.{kind}) to ({}.{into_kind}): unknown conversion",
            internal_package(into_version)
        )));
    }
    // The type is the envelope's, not the message's (Go's TypeMeta has no
    // protobuf field).
    let mut object = Map::new();
    object.insert("kind".into(), Value::String(kind));
    object.insert("apiVersion".into(), Value::String(api_version));
    object.extend(fields);
    Ok(Value::Object(object))
}

/// The start of a body an error quotes, as the API server's
/// `summarizeData` writes it (hex, 30 bytes at most).
fn summarize(body: &[u8]) -> String {
    const MAX: usize = 30;
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    match body {
        [] => "<empty>".into(),
        [b'{', ..] if body.len() > MAX => format!("{} ...", String::from_utf8_lossy(&body[..MAX])),
        [b'{', ..] => String::from_utf8_lossy(body).into_owned(),
        _ if body.len() > MAX => format!("{} ...", hex(&body[..MAX])),
        _ => hex(body),
    }
}

#[cfg(test)]
mod tests;
