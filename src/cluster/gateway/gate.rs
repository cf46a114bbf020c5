//! The gate: what a request does to the cluster, judged from the HTTP
//! request alone (method, path, query and, for a DELETE, its options body),
//! and whether a session may send it. Pure; the gateway and the built-in
//! actions' client both ask it before anything is sent.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::path::{ApiPath, Target, parse_path, parse_query};

/// What a request does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// GET or HEAD: get, list, watch, logs, discovery.
    Read,
    /// A POST that only asks a question and stores nothing: "can I?"
    /// (SelfSubjectAccessReview, SelfSubjectRulesReview) and "who am I?"
    /// (SelfSubjectReview).
    Question,
    /// A change the API server validates and then discards (`dryRun=All`).
    DryRun,
    /// A stream into a pod, node or service (exec, attach, portforward,
    /// proxy) with any method: what flows through it cannot be judged.
    Stream(String),
    /// Anything else: a change to the cluster.
    Write,
}

impl Kind {
    /// Journaled when it passes: everything but reads and questions.
    pub fn is_journaled(&self) -> bool {
        matches!(self, Kind::DryRun | Kind::Stream(_) | Kind::Write)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Pass(Kind),
    /// 403: read-only mode, with what was refused.
    ReadOnly(String),
    /// 400: a path or query the gate cannot read unambiguously.
    Malformed(String),
}

/// Read-only for a session: set once, never cleared.
#[derive(Debug, Clone, Default)]
pub struct ReadOnly(Arc<AtomicBool>);

impl ReadOnly {
    pub fn new(on: bool) -> ReadOnly {
        ReadOnly(Arc::new(AtomicBool::new(on)))
    }

    /// Turns read-only on for good: there is deliberately no way back.
    pub fn enforce(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_on(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// The head of a request, as the gate reads it.
#[derive(Debug, Clone, Copy)]
pub struct Head<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
}

/// Classifies a request and decides whether it may pass. `body` matters
/// only for a DELETE, whose options (dryRun included) the API server reads
/// from the body when there is one.
pub fn decide(head: Head<'_>, body: &[u8], read_only: bool) -> Decision {
    let kind = match classify(head, body) {
        Ok(kind) => kind,
        Err(why) => return Decision::Malformed(why),
    };
    match kind {
        Kind::Write | Kind::Stream(_) if read_only => Decision::ReadOnly(refusal(head, &kind)),
        kind => Decision::Pass(kind),
    }
}

pub fn classify(head: Head<'_>, body: &[u8]) -> Result<Kind, String> {
    let path = parse_path(head.path).map_err(|a| format!("ambiguous path: {}", a.0))?;
    let target = match &path {
        ApiPath::Resource(t) => Some(t),
        ApiPath::NonResource => None,
    };
    if let Some(t) = target
        && let Some(stream) = stream_of(t)
    {
        return Ok(Kind::Stream(stream));
    }
    let method = head.method;
    if matches!(method, "GET" | "HEAD") {
        return Ok(Kind::Read);
    }
    if method == "POST" && target.is_some_and(is_question) {
        return Ok(Kind::Question);
    }
    let mutating_method = matches!(method, "POST" | "PUT" | "PATCH" | "DELETE");
    // Minting a token is never a harmless dry run, whatever the options say.
    let mints_token = target.is_some_and(|t| {
        t.resource.as_deref() == Some("serviceaccounts")
            && t.subresource.as_deref() == Some("token")
    });
    if mutating_method && target.is_some() && !mints_token && is_dry_run(head, body) {
        return Ok(Kind::DryRun);
    }
    Ok(Kind::Write)
}

/// exec, attach, portforward and proxy, as a subresource or (proxy) as the
/// deprecated verb prefix.
fn stream_of(t: &Target) -> Option<String> {
    if t.verb_prefix.as_deref() == Some("proxy") {
        return Some("proxy".into());
    }
    t.subresource
        .as_deref()
        .filter(|s| matches!(*s, "exec" | "attach" | "portforward" | "proxy"))
        .map(str::to_string)
}

/// The reviews that store nothing and only concern the caller. The group
/// is part of the match: a custom resource of the same name elsewhere is
/// not a question. TokenReview, SubjectAccessReview and
/// LocalSubjectAccessReview store nothing either, but they are servers'
/// delegation APIs (checking someone else's token or rights), not a
/// responder's read: no kubectl read sends them, so they stay refused.
fn is_question(t: &Target) -> bool {
    let review = match t.group.as_str() {
        "authorization.k8s.io" => matches!(
            t.resource.as_deref(),
            Some("selfsubjectaccessreviews" | "selfsubjectrulesreviews")
        ),
        "authentication.k8s.io" => t.resource.as_deref() == Some("selfsubjectreviews"),
        _ => false,
    };
    review
        && t.verb_prefix.is_none()
        && t.namespace.is_none()
        && t.name.is_none()
        && t.subresource.is_none()
}

/// `dryRun=All` as the API server will read it. For a DELETE with a body the
/// server takes its options from the body and ignores the query, so the
/// body must say it; an eviction takes it from its query or its
/// `deleteOptions` (`kubectl drain --dry-run=server` sends the latter).
/// Anything unclear is not a dry run.
fn is_dry_run(head: Head<'_>, body: &[u8]) -> bool {
    let empty = body.iter().all(u8::is_ascii_whitespace);
    if head.method == "DELETE" && !empty {
        return body_says_dry_run(body);
    }
    let query = query_dry_run(head.query);
    let is_eviction = head.method == "POST"
        && matches!(
            parse_path(head.path),
            Ok(ApiPath::Resource(ref t)) if t.subresource.as_deref() == Some("eviction")
        );
    if !is_eviction || empty {
        return query == Said::All;
    }
    // The API server's propagateDryRun: the body's if the query says
    // nothing, the query's if the body says nothing, and both must agree.
    let body = eviction_dry_run(body);
    query != Said::Unclear && body != Said::Unclear && (query == Said::All || body == Said::All)
}

/// What a request says about `dryRun`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Said {
    Nothing,
    All,
    Unclear,
}

fn query_dry_run(query: Option<&str>) -> Said {
    let Some(pairs) = parse_query(query) else {
        return Said::Unclear;
    };
    let values: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "dryRun")
        .map(|(_, v)| v.as_str())
        .collect();
    if values.is_empty() {
        Said::Nothing
    } else if values.iter().all(|v| *v == "All") {
        Said::All
    } else {
        Said::Unclear
    }
}

/// The one key spelled `name` among those matching it regardless of case
/// (older API servers matched JSON keys so): `Ok(None)` when there is none,
/// `Err` when a second spelling makes it unclear.
fn only_key<'a>(
    object: &'a serde_json::Map<String, serde_json::Value>,
    name: &str,
) -> Result<Option<&'a serde_json::Value>, ()> {
    let mut spellings = object.keys().filter(|k| k.eq_ignore_ascii_case(name));
    match (spellings.next(), spellings.next()) {
        (None, _) => Ok(None),
        (Some(key), None) if key == name => Ok(object.get(key)),
        _ => Err(()),
    }
}

/// An Eviction's `deleteOptions.dryRun`.
fn eviction_dry_run(body: &[u8]) -> Said {
    let Ok(serde_json::Value::Object(eviction)) = serde_json::from_slice(body) else {
        return Said::Unclear;
    };
    let options = match only_key(&eviction, "deleteOptions") {
        Err(()) => return Said::Unclear,
        Ok(None | Some(serde_json::Value::Null)) => return Said::Nothing,
        Ok(Some(serde_json::Value::Object(options))) => options,
        Ok(Some(_)) => return Said::Unclear,
    };
    match only_key(options, "dryRun") {
        Err(()) => Said::Unclear,
        Ok(None | Some(serde_json::Value::Null)) => Said::Nothing,
        Ok(Some(serde_json::Value::Array(values))) if values.is_empty() => Said::Nothing,
        Ok(Some(serde_json::Value::Array(values))) if values.iter().all(|v| v == "All") => {
            Said::All
        }
        Ok(Some(_)) => Said::Unclear,
    }
}

/// `{"dryRun": ["All"], ...}`. Older API servers matched JSON keys without
/// regard to case, so a second spelling (`"DryRun": []`) makes it unclear.
fn body_says_dry_run(body: &[u8]) -> bool {
    let Ok(serde_json::Value::Object(options)) = serde_json::from_slice(body) else {
        return false;
    };
    let mut spellings = options.keys().filter(|k| k.eq_ignore_ascii_case("dryRun"));
    let (Some(key), None) = (spellings.next(), spellings.next()) else {
        return false;
    };
    let Some(values) = options.get(key).and_then(|v| v.as_array()) else {
        return false;
    };
    key == "dryRun" && !values.is_empty() && values.iter().all(|v| v == "All")
}

/// What kubectl prints after "Error from server (Forbidden): ".
fn refusal(head: Head<'_>, kind: &Kind) -> String {
    let what = match parse_path(head.path) {
        Ok(ApiPath::Resource(t)) => describe(&t),
        _ => head.path.to_string(),
    };
    let verb = match kind {
        Kind::Stream(s) => s.clone(),
        _ => head.method.to_lowercase(),
    };
    format!(
        "read-only session: runbook's gateway refuses {verb} {what}; nothing was sent to the cluster"
    )
}

fn describe(t: &Target) -> String {
    let mut text = t.qualified_resource().unwrap_or_else(|| "resources".into());
    if let Some(sub) = &t.subresource {
        text = format!("{text}/{sub}");
    }
    if let Some(name) = &t.name {
        text = format!("{text} \"{name}\"");
    }
    if let Some(ns) = &t.namespace {
        text = format!("{text} in namespace \"{ns}\"");
    }
    text
}

#[cfg(test)]
#[path = "gate_tests.rs"]
mod tests;
