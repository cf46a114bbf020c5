//! A request's path and query read the way the API server reads them
//! (k8s.io/apiserver's `RequestInfoFactory` and Go's `url.ParseQuery`), so
//! the gate judges the request the server will act on. Anything the two
//! could read differently (an encoded `/`, dot segments, `//`, a malformed
//! escape) is `Ambiguous` and never forwarded.

/// What a path names on the API server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiPath {
    /// `/version`, `/openapi/v2`, `/api`, `/apis/apps`, `/healthz`, ...
    NonResource,
    Resource(Target),
}

/// A resource request: `/apis/apps/v1/namespaces/shop/deployments/checkout/scale`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Target {
    /// `""` for the core group.
    pub group: String,
    pub version: String,
    /// The deprecated verb prefix: `/api/v1/watch/...` or `/api/v1/proxy/...`.
    pub verb_prefix: Option<String>,
    pub namespace: Option<String>,
    pub resource: Option<String>,
    pub name: Option<String>,
    pub subresource: Option<String>,
}

impl Target {
    /// `deployments.apps`, `pods`: as RBAC and kubectl name a resource.
    pub fn qualified_resource(&self) -> Option<String> {
        let resource = self.resource.as_deref()?;
        Some(if self.group.is_empty() {
            resource.to_string()
        } else {
            format!("{resource}.{}", self.group)
        })
    }
}

/// Why a path or query is refused outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ambiguous(pub &'static str);

/// Parses an origin-form path (as sent, still percent-encoded).
pub fn parse_path(raw: &str) -> Result<ApiPath, Ambiguous> {
    let segments = segments(raw)?;
    let parts: Vec<&str> = segments.iter().map(String::as_str).collect();
    // Mirrors RequestInfoFactory.NewRequestInfo.
    let (group, rest) = match parts.as_slice() {
        ["api", rest @ ..] if rest.len() >= 2 => ("", rest),
        ["apis", group, rest @ ..] if rest.len() >= 2 => (*group, rest),
        _ => return Ok(ApiPath::NonResource),
    };
    let version = rest[0];
    let mut rest = &rest[1..];
    let mut target = Target {
        group: group.to_string(),
        version: version.to_string(),
        ..Target::default()
    };
    if matches!(rest[0], "watch" | "proxy") {
        if rest.len() < 2 {
            return Err(Ambiguous("a verb prefix without a resource"));
        }
        target.verb_prefix = Some(rest[0].to_string());
        rest = &rest[1..];
    }
    if rest[0] == "namespaces" && rest.len() > 1 {
        target.namespace = Some(rest[1].to_string());
        // `namespaces/NAME/status` and `/finalize` are the namespace's own
        // subresources; anything else after the name is a namespaced kind.
        if rest.len() > 2 && !matches!(rest[2], "status" | "finalize") {
            rest = &rest[2..];
        }
    }
    target.resource = rest.first().map(|s| s.to_string());
    target.name = rest.get(1).map(|s| s.to_string());
    // The apiserver does not read a subresource under the proxy verb prefix.
    if target.verb_prefix.as_deref() != Some("proxy") {
        target.subresource = rest.get(2).map(|s| s.to_string());
    }
    Ok(ApiPath::Resource(target))
}

/// The decoded segments; the leading `/` is required, one trailing `/` is
/// allowed (the apiserver trims it).
fn segments(raw: &str) -> Result<Vec<String>, Ambiguous> {
    let Some(rest) = raw.strip_prefix('/') else {
        return Err(Ambiguous("the path does not start with /"));
    };
    if rest.is_empty() {
        return Ok(Vec::new());
    }
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let mut out = Vec::new();
    for segment in rest.split('/') {
        let bytes = percent_decode(segment, false).ok_or(Ambiguous("a malformed %-escape"))?;
        let decoded =
            String::from_utf8(bytes).map_err(|_| Ambiguous("a path that is not UTF-8"))?;
        if decoded.is_empty() {
            return Err(Ambiguous("an empty path segment (//)"));
        }
        if decoded == "." || decoded == ".." {
            return Err(Ambiguous("a dot segment in the path"));
        }
        if decoded.contains(['/', '\\', '\0']) || decoded.chars().any(char::is_control) {
            return Err(Ambiguous("an encoded separator or control character"));
        }
        out.push(decoded);
    }
    Ok(out)
}

/// The query as Go's `url.ParseQuery` reads it. `None` when any pair would
/// not parse there (Go skips such a pair; the gate does not guess).
pub fn parse_query(raw: Option<&str>) -> Option<Vec<(String, String)>> {
    let Some(raw) = raw else {
        return Some(Vec::new());
    };
    let mut pairs = Vec::new();
    for pair in raw.split('&') {
        if pair.is_empty() {
            continue;
        }
        if pair.contains(';') {
            return None;
        }
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = String::from_utf8(percent_decode(key, true)?).ok()?;
        let value = String::from_utf8(percent_decode(value, true)?).ok()?;
        pairs.push((key, value));
    }
    Some(pairs)
}

/// `%XX` decoding; `plus` turns `+` into a space (query only, as in Go).
fn percent_decode(text: &str, plus: bool) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                let text = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(text, 16).ok()?);
                i += 3;
            }
            b'+' if plus => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(path: &str) -> Target {
        match parse_path(path) {
            Ok(ApiPath::Resource(t)) => t,
            other => panic!("{path}: {other:?}"),
        }
    }

    #[test]
    fn resource_paths_read_as_the_apiserver_reads_them() {
        let t = target("/apis/apps/v1/namespaces/shop/deployments/checkout/scale");
        assert_eq!(t.group, "apps");
        assert_eq!(t.namespace.as_deref(), Some("shop"));
        assert_eq!(t.resource.as_deref(), Some("deployments"));
        assert_eq!(t.name.as_deref(), Some("checkout"));
        assert_eq!(t.subresource.as_deref(), Some("scale"));
        assert_eq!(t.qualified_resource().as_deref(), Some("deployments.apps"));

        let t = target("/api/v1/namespaces/shop");
        assert_eq!(
            (t.resource.as_deref(), t.name.as_deref()),
            (Some("namespaces"), Some("shop"))
        );
        let t = target("/api/v1/namespaces/shop/finalize");
        assert_eq!(t.subresource.as_deref(), Some("finalize"));
        let t = target("/api/v1/nodes/node-a/proxy/configz");
        assert_eq!(t.subresource.as_deref(), Some("proxy"));
        let t = target("/api/v1/watch/namespaces/shop/pods");
        assert_eq!(t.verb_prefix.as_deref(), Some("watch"));
        assert_eq!(t.resource.as_deref(), Some("pods"));
        let t = target("/api/v1/proxy/namespaces/shop/pods/web-1/metrics");
        assert_eq!(t.verb_prefix.as_deref(), Some("proxy"));
        assert_eq!(t.subresource, None);
        let t = target("/api/v1/pods/");
        assert_eq!(t.resource.as_deref(), Some("pods"));
    }

    #[test]
    fn non_resource_paths() {
        for path in [
            "/",
            "/version",
            "/api",
            "/api/v1",
            "/apis/apps/v1",
            "/openapi/v2",
        ] {
            assert_eq!(parse_path(path), Ok(ApiPath::NonResource), "{path}");
        }
    }

    #[test]
    fn paths_the_two_sides_could_read_differently_are_ambiguous() {
        for path in [
            "/api/v1/namespaces/shop/pods/web-1%2Fexec",
            "/api/v1/namespaces/shop//pods",
            "/api/v1/namespaces/shop/pods/../secrets",
            "/api/v1/namespaces/shop/pods/%2e%2e",
            "/api/v1/namespaces/shop/pods/%zz",
            "/api/v1/namespaces/shop/pods/a%00b",
            "api/v1/pods",
            "/api/v1/watch",
        ] {
            assert!(parse_path(path).is_err(), "{path}");
        }
        // Escapes of ordinary characters are read as the characters.
        let t = target("/api/v1/namespaces/shop/pods/web%2D1");
        assert_eq!(t.name.as_deref(), Some("web-1"));
    }

    #[test]
    fn queries_decode_as_go_does_or_not_at_all() {
        assert_eq!(
            parse_query(Some("dry%52un=All&watch=1&labelSelector=a+b")),
            Some(vec![
                ("dryRun".into(), "All".into()),
                ("watch".into(), "1".into()),
                ("labelSelector".into(), "a b".into())
            ])
        );
        assert_eq!(parse_query(Some("dryRun=All;x=1")), None);
        assert_eq!(parse_query(Some("dryRun=%A")), None);
        assert_eq!(parse_query(None), Some(vec![]));
        assert_eq!(parse_query(Some("&&")), Some(vec![]));
    }
}
