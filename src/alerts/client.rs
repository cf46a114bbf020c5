//! The Alertmanager v2 HTTP client: one base URL, optional bearer token
//! file or basic auth, and one deadline per request (connecting included),
//! so a dead Alertmanager costs the home screen a line, not a hang.

use std::path::PathBuf;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::{Method, Request, StatusCode, header};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client as Hyper;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use super::AlertError;
use super::model::{Alert, WireAlert};

/// The default deadline for one request, connecting included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// Answers larger than this are refused rather than buffered.
const MAX_BODY: usize = 32 << 20;

/// Where Alertmanager is and how to authenticate to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `http(s)://host:port`, with a path prefix if Alertmanager has one.
    pub url: String,
    pub auth: Auth,
    pub timeout: Duration,
}

impl Endpoint {
    pub fn new(url: impl Into<String>) -> Endpoint {
        Endpoint {
            url: url.into(),
            auth: Auth::None,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    None,
    /// The token is read from the file at every request, so a rotated
    /// token (a projected service account token) is picked up.
    BearerTokenFile(PathBuf),
    Basic {
        username: String,
        password: Secret,
    },
}

/// A password given inline or in a file (read at every request).
#[derive(Clone, PartialEq, Eq)]
pub enum Secret {
    Inline(String),
    File(PathBuf),
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Secret::Inline(_) => f.write_str("Inline(<redacted>)"),
            Secret::File(p) => f.debug_tuple("File").field(p).finish(),
        }
    }
}

pub struct Client {
    base: String,
    auth: Auth,
    timeout: Duration,
    http: Hyper<HttpsConnector<HttpConnector>, Full<Bytes>>,
}

impl Client {
    /// Checks the URL and builds the connection pool; sends nothing.
    pub fn new(endpoint: &Endpoint) -> Result<Client, AlertError> {
        let raw = endpoint.url.trim();
        let bad = |reason: &str| AlertError::BadUrl {
            url: endpoint.url.clone(),
            reason: reason.to_string(),
        };
        let lower = raw.to_ascii_lowercase();
        let https = lower.starts_with("https://");
        if !https && !lower.starts_with("http://") {
            return Err(bad("it must start with http:// or https://"));
        }
        let uri: hyper::Uri = raw
            .parse()
            .map_err(|e: hyper::http::uri::InvalidUri| bad(&e.to_string()))?;
        if uri.host().is_none_or(str::is_empty) {
            return Err(bad("it names no host"));
        }
        if uri.query().is_some() {
            return Err(bad("it must not have a query"));
        }
        let base = raw.trim_end_matches('/').to_string();
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(Some(endpoint.timeout));
        let builder = hyper_rustls::HttpsConnectorBuilder::new();
        // Native roots only matter for https; a machine without a CA bundle
        // can still reach a plain-http Alertmanager.
        let builder = if https {
            builder
                .with_native_roots()
                .map_err(|e| AlertError::Unreachable {
                    url: base.clone(),
                    reason: format!("no CA certificates to check it with: {e}"),
                })?
        } else {
            builder.with_tls_config(
                rustls::ClientConfig::builder()
                    .with_root_certificates(rustls::RootCertStore::empty())
                    .with_no_client_auth(),
            )
        };
        let connector = builder.https_or_http().enable_http1().wrap_connector(http);
        Ok(Client {
            base,
            auth: endpoint.auth.clone(),
            timeout: endpoint.timeout,
            http: Hyper::builder(TokioExecutor::new()).build(connector),
        })
    }

    /// The base URL, as errors and the UI name it.
    pub fn url(&self) -> &str {
        &self.base
    }

    /// The alerts that page: active, neither silenced nor inhibited.
    pub async fn firing(&self) -> Result<Vec<Alert>, AlertError> {
        let body = self
            .send(
                Method::GET,
                "/api/v2/alerts?active=true&silenced=false&inhibited=false",
                None,
            )
            .await?;
        let wire: Vec<WireAlert> = serde_json::from_slice(&body).map_err(|e| self.bad_answer(e))?;
        Ok(wire.into_iter().map(WireAlert::into_alert).collect())
    }

    pub(crate) fn bad_answer(&self, e: impl std::fmt::Display) -> AlertError {
        AlertError::BadAnswer {
            url: self.base.clone(),
            reason: e.to_string(),
        }
    }

    /// One request under the deadline; a non-2xx answer is an error
    /// carrying Alertmanager's own message.
    pub(crate) async fn send(
        &self,
        method: Method,
        path: &str,
        json: Option<Vec<u8>>,
    ) -> Result<Bytes, AlertError> {
        let mut req = Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header(header::ACCEPT, "application/json");
        if json.is_some() {
            req = req.header(header::CONTENT_TYPE, "application/json");
        }
        if let Some(value) = self.authorization().await? {
            req = req.header(header::AUTHORIZATION, value);
        }
        let req = req
            .body(Full::new(Bytes::from(json.unwrap_or_default())))
            .map_err(|e| self.bad_answer(e))?;
        let exchange = async {
            let resp = self
                .http
                .request(req)
                .await
                .map_err(|e| AlertError::Unreachable {
                    url: self.base.clone(),
                    reason: root_cause(&e),
                })?;
            let status = resp.status();
            let body = Limited::new(resp.into_body(), MAX_BODY)
                .collect()
                .await
                .map_err(|e| AlertError::Unreachable {
                    url: self.base.clone(),
                    reason: format!("the answer broke off: {}", root_cause(e.as_ref())),
                })?
                .to_bytes();
            Ok::<_, AlertError>((status, body))
        };
        let (status, body) = tokio::time::timeout(self.timeout, exchange)
            .await
            .map_err(|_| AlertError::Timeout {
                url: self.base.clone(),
                after: self.timeout,
            })??;
        if status.is_success() {
            Ok(body)
        } else {
            Err(AlertError::Status {
                url: self.base.clone(),
                status: status_text(status),
                message: answer_message(&body),
            })
        }
    }

    async fn authorization(&self) -> Result<Option<String>, AlertError> {
        use base64::Engine as _;
        Ok(match &self.auth {
            Auth::None => None,
            Auth::BearerTokenFile(path) => {
                let token = read_secret(&Secret::File(path.clone())).await?;
                Some(format!("Bearer {token}"))
            }
            Auth::Basic { username, password } => {
                let password = read_secret(password).await?;
                let pair = base64::engine::general_purpose::STANDARD
                    .encode(format!("{username}:{password}"));
                Some(format!("Basic {pair}"))
            }
        })
    }
}

async fn read_secret(secret: &Secret) -> Result<String, AlertError> {
    match secret {
        Secret::Inline(s) => Ok(s.clone()),
        Secret::File(path) => tokio::fs::read_to_string(path)
            .await
            .map(|s| s.trim().to_string())
            .map_err(|e| AlertError::Credentials {
                path: path.clone(),
                reason: e.to_string(),
            }),
    }
}

/// `401 Unauthorized`.
fn status_text(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

/// Alertmanager answers errors as a JSON string (`"silence not found"`) or
/// an object with a `message`; anything else is shown as text, one line.
fn answer_message(body: &[u8]) -> String {
    let text = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(v) => v
            .get("message")
            .and_then(|m| m.as_str())
            .map_or_else(|| v.to_string(), str::to_string),
        Err(_) => String::from_utf8_lossy(body).into_owned(),
    };
    let line = crate::sanitize::line(text.trim());
    match line.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

/// The innermost error's words ("Connection refused"), which say more
/// than hyper's outer "client error (Connect)".
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut inner = e;
    while let Some(next) = inner.source() {
        inner = next;
    }
    let text = inner.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked_before_anything_is_sent() {
        for (url, why) in [
            ("alertmanager:9093", "http:// or https://"),
            ("ftp://am", "http:// or https://"),
            ("http://", "not usable"),
            ("http://am:9093/?x=1", "query"),
        ] {
            let err = Client::new(&Endpoint::new(url)).err().expect("refused");
            assert!(err.to_string().contains(why), "{url}: {err}");
        }
        let c = Client::new(&Endpoint::new("http://am:9093/prefix/")).expect("ok");
        assert_eq!(c.url(), "http://am:9093/prefix");
    }

    #[test]
    fn error_answers_are_one_short_line() {
        assert_eq!(
            answer_message(br#""silence not found""#),
            "silence not found"
        );
        assert_eq!(
            answer_message(
                br#"{"code":612,"message":"matchers in body should have at least 1 items"}"#
            ),
            "matchers in body should have at least 1 items"
        );
        assert_eq!(
            answer_message(b"<html>\nbad\x1b[31m gateway</html>"),
            "<html>bad gateway</html>"
        );
        assert_eq!(
            answer_message("x".repeat(300).as_bytes()).chars().count(),
            201
        );
    }

    #[test]
    fn secrets_are_not_debug_printed() {
        let auth = Auth::Basic {
            username: "u".into(),
            password: Secret::Inline("hunter2".into()),
        };
        assert!(!format!("{auth:?}").contains("hunter2"));
    }
}
