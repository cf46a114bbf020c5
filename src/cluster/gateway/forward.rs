//! One request through the gateway: the token, a bounded body, the gate,
//! the upstream of the credential's epoch, then the API server's answer
//! streamed back (or, for an upgrade, both connections spliced together).

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures::{StreamExt as _, TryStreamExt as _};
use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt as _, BodyStream, Full, Limited, StreamBody};
use hyper::body::{Body as _, Incoming};
use hyper_util::rt::TokioIo;
use tower::BoxError;

use tokio::sync::OwnedSemaphorePermit;

use super::Core;
use super::credential::Issued;
use super::gate::{self, Decision, Head, Kind};
use super::limit;
use super::path::{ApiPath, parse_path};
use super::record::ApiWrite;
use super::server::Conn;
use super::status::Refusal;

pub(super) type GatewayBody = UnsyncBoxBody<Bytes, BoxError>;

/// The largest request body passed on (the API server's own limit is
/// 3 MiB for most objects; a big CRD manifest fits well within this).
pub const MAX_BODY: u64 = 16 << 20;
/// A request body must have arrived within this.
const BODY_TIMEOUT: Duration = Duration::from_secs(60);

pub(super) async fn respond(
    core: Arc<Core>,
    conn: &Arc<Conn>,
    tunnel: Option<&Issued>,
    request: Request<Incoming>,
) -> Response<GatewayBody> {
    // The token first, as soon as the head is here: nothing else is done
    // for a request without one, and its connection is closed.
    let Some((issued, api_path)) =
        authenticate(&core, request.uri().path(), request.headers(), tunnel)
    else {
        // Discovery (`/api`, `/apis/...`) is a client's first request;
        // kubectl prints the gateway's reason there only from a text body.
        let discovery = split_token(request.uri().path())
            .is_some_and(|(_, path)| matches!(parse_path(path), Ok(ApiPath::NonResource)));
        return closing(answer(Refusal::unauthorized(), discovery));
    };
    let discovery = matches!(parse_path(&api_path), Ok(ApiPath::NonResource));
    if let Err(refusal) = conn.admit(&issued).await {
        // client-go waits and retries a 429 with a Retry-After (legacy
        // discovery opens a connection per API group at once).
        let mut response = closing(answer(refusal, discovery));
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return response;
    }
    if request.method() == Method::CONNECT && tunnel.is_none() {
        return tunnel_to_gateway(core, conn, issued, request);
    }
    match forward(core, issued, api_path, request).await {
        Ok(response) => response,
        Err(refusal) if refusal.code == StatusCode::TOO_MANY_REQUESTS => {
            closing(answer(refusal, discovery))
        }
        Err(refusal) => answer(refusal, discovery),
    }
}

/// A CONNECT to the gateway as the cluster's proxy (exec and port-forward
/// streams, which client-go tunnels through a proxy): 200, then the
/// tunnel is served as a connection of its own, every request in it
/// the command's, for as long as its credential lives.
fn tunnel_to_gateway(
    core: Arc<Core>,
    conn: &Arc<Conn>,
    issued: Issued,
    mut request: Request<Incoming>,
) -> Response<GatewayBody> {
    let upgrade = hyper::upgrade::on(&mut request);
    let conn = Arc::clone(conn);
    tokio::spawn(async move {
        match upgrade.await {
            Ok(io) => super::server::serve_tunnel(io, core, conn, issued).await,
            Err(e) => tracing::debug!("gateway: CONNECT did not complete: {e}"),
        }
    });
    Response::new(full(Bytes::new()))
}

fn answer(refusal: Refusal, discovery: bool) -> Response<GatewayBody> {
    if discovery {
        refusal.text_response::<Bytes>().map(full)
    } else {
        refusal.response::<Bytes>().map(full)
    }
}

/// The connection is closed after this answer (no keep-alive).
fn closing(mut response: Response<GatewayBody>) -> Response<GatewayBody> {
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

fn full(bytes: Bytes) -> GatewayBody {
    Full::new(bytes)
        .map_err(|never| match never {})
        .boxed_unsync()
}

/// The holder of the request's token and the API path it asks for. The
/// token is the path's first segment, or the password of the
/// `Proxy-Authorization` Go's HTTP client sends to the gateway as the
/// cluster's proxy (then the whole path is the API's: `kubectl get --raw
/// /api/...` drops the server URL's path), or that of the tunnel the
/// request came through, while it lives.
fn authenticate(
    core: &Core,
    path: &str,
    headers: &HeaderMap,
    tunnel: Option<&Issued>,
) -> Option<(Issued, String)> {
    if let Some((token, api_path)) = split_token(path)
        && let Some(issued) = core.tokens.check(token)
    {
        return Some((issued, api_path.to_string()));
    }
    if let Some(token) = basic_password(headers)
        && let Some(issued) = core.tokens.check(&token)
    {
        return Some((issued, path.to_string()));
    }
    let issued = tunnel.filter(|t| !t.live.is_revoked())?;
    Some((issued.clone(), path.to_string()))
}

/// The password of `Proxy-Authorization: Basic base64(user:password)`.
fn basic_password(headers: &HeaderMap) -> Option<String> {
    use base64::Engine as _;
    let value = headers.get(header::PROXY_AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (_, password) = text.split_once(':')?;
    (!password.is_empty()).then(|| password.to_string())
}

async fn forward(
    core: Arc<Core>,
    issued: Issued,
    api_path: String,
    mut request: Request<Incoming>,
) -> Result<Response<GatewayBody>, Refusal> {
    let target = match request.uri().query() {
        Some(query) => format!("{api_path}?{query}"),
        None => api_path.clone(),
    };
    if request.method() == Method::CONNECT {
        return Err(Refusal::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "runbook gateway: CONNECT is not an API request",
        ));
    }
    let upgrade = upgrade_protocol(request.headers());
    let child_upgrade = upgrade.is_some().then(|| hyper::upgrade::on(&mut request));
    let (parts, body) = request.into_parts();
    let body = read_body(&core, &parts.headers, body).await?;
    let head = Head {
        method: parts.method.as_str(),
        path: &api_path,
        query: parts.uri.query(),
    };
    let kind = match gate::decide(head, &body, core.read_only.is_on()) {
        Decision::Pass(kind) => kind,
        Decision::ReadOnly(message) => {
            refused(&core, &issued, head, &body, &message, "read-only");
            return Err(Refusal::forbidden(message));
        }
        Decision::Malformed(why) => {
            return Err(Refusal::bad_request(format!("runbook gateway: {why}")));
        }
    };
    let (client, context, server) = {
        let upstream = core.upstream();
        match upstream.client_for(issued.epoch, &issued.context) {
            Ok(client) => (client, upstream.context.clone(), upstream.server.clone()),
            Err(refusal) => {
                drop(upstream);
                // Sent for a context the session has left: an attempt refused.
                if refusal.code == StatusCode::FORBIDDEN && kind.is_journaled() {
                    refused(&core, &issued, head, &body, &refusal.message, "context");
                }
                return Err(refusal);
            }
        }
    };
    // A watch, followed log or stream holds one of its command's few.
    let long = if limit::is_long(head.method, head.path, head.query, &kind) {
        let permit = Arc::clone(&issued.live.long)
            .try_acquire_owned()
            .map_err(|_| {
                Refusal::too_many(format!(
                    "runbook gateway: a command may hold {} watches and streams at once, and this one has them all open",
                    limit::LONG_PER_COMMAND
                ))
            })?;
        Some(permit)
    } else {
        None
    };
    let record = kind.is_journaled().then(|| ApiWrite {
        context,
        server,
        ..ApiWrite::new(
            head.method,
            head.path,
            &body,
            kind == Kind::DryRun,
            &issued.label,
        )
    });
    let outgoing = outgoing(&parts, &target, body, upgrade)?;
    let sent = client.send(outgoing).await;
    let status = match &sent {
        Ok(response) => response.status(),
        Err(_) => StatusCode::BAD_GATEWAY,
    };
    if let Some(mut write) = record {
        write.status = status.as_u16();
        // The app may have stopped listening at the very end; nothing to do.
        let _ = core.writes.send(write);
    }
    let response = sent.map_err(|e| {
        Refusal::new(
            StatusCode::BAD_GATEWAY,
            format!(
                "runbook gateway: no answer from the API server (a change may or may not have been made): {}",
                crate::cluster::connect::describe(&e)
            ),
        )
    })?;
    let ends = Ends {
        ended: ended(&core, issued.epoch, &issued),
        long,
    };
    match child_upgrade {
        Some(child) if response.status() == StatusCode::SWITCHING_PROTOCOLS => {
            Ok(splice(ends, child, response))
        }
        _ => Ok(stream_back(ends, response)),
    }
}

/// A refused attempt: reported for the journal and logged, at most once a
/// second per command, method and path (`limit::Refusals`).
fn refused(core: &Core, issued: &Issued, head: Head<'_>, body: &[u8], reason: &str, why: &str) {
    let Some(left_out) =
        core.refusals
            .admit(issued.id, head.method, head.path, std::time::Instant::now())
    else {
        return;
    };
    // One line per burst: `not_logged` counts the refusals since the last
    // line that were neither logged nor recorded.
    tracing::info!(
        by = %issued.label,
        method = %head.method,
        path = %head.path,
        not_logged = left_out,
        "gateway: refused ({why})"
    );
    let mut write = ApiWrite::new(head.method, head.path, body, false, &issued.label);
    write.status = StatusCode::FORBIDDEN.as_u16();
    write.refused = Some(reason.to_string());
    let _ = core.writes.send(write);
}

/// `/TOKEN/api/v1/pods` → (`TOKEN`, `/api/v1/pods`); `/TOKEN` is the root.
/// The token travels in the server URL's path (see `credential`).
fn split_token(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix('/')?;
    let (token, api_path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    (!token.is_empty()).then_some((token, api_path))
}

/// The protocol asked for with `Connection: upgrade` + `Upgrade: X`.
fn upgrade_protocol(headers: &HeaderMap) -> Option<HeaderValue> {
    let asks = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|token| token.trim().eq_ignore_ascii_case("upgrade"));
    asks.then(|| headers.get(header::UPGRADE).cloned())
        .flatten()
}

async fn read_body(core: &Core, headers: &HeaderMap, body: Incoming) -> Result<Bytes, Refusal> {
    let too_large = || {
        Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "runbook gateway: request bodies are limited to {} MiB",
                MAX_BODY >> 20
            ),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY) {
        return Err(too_large());
    }
    if body.is_end_stream() {
        return Ok(Bytes::new());
    }
    // Bodies are held whole (kube's client sends bytes); a few at a time
    // bound the memory a flood of large requests can take.
    let _slot = core
        .body_slots
        .acquire()
        .await
        .map_err(|_| Refusal::unavailable("runbook gateway: stopping"))?;
    let limited = Limited::new(body, MAX_BODY as usize);
    match tokio::time::timeout(BODY_TIMEOUT, limited.collect()).await {
        Err(_) => Err(Refusal::new(
            StatusCode::REQUEST_TIMEOUT,
            "runbook gateway: the request body did not arrive in time",
        )),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => Err(too_large()),
        Ok(Err(e)) => Err(Refusal::bad_request(format!(
            "runbook gateway: cannot read the request body: {e}"
        ))),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
    }
}

/// Headers that belong to one hop, never passed on.
const HOP_BY_HOP: [HeaderName; 8] = [
    header::CONNECTION,
    HeaderName::from_static("keep-alive"),
    HeaderName::from_static("proxy-connection"),
    header::PROXY_AUTHENTICATE,
    header::PROXY_AUTHORIZATION,
    header::TE,
    header::TRAILER,
    header::TRANSFER_ENCODING,
];

fn strip_hop_by_hop(headers: &mut HeaderMap) {
    let named: Vec<HeaderName> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|t| HeaderName::from_bytes(t.trim().as_bytes()).ok())
        .collect();
    for name in HOP_BY_HOP.iter().chain(named.iter()) {
        headers.remove(name);
    }
    headers.remove(header::UPGRADE);
}

/// The request as the API server gets it: the path (without the token)
/// and query only, since kube's layers add the server and the session's
/// credentials; none of the child's own authorization, host or hop-by-hop
/// headers.
fn outgoing(
    parts: &http::request::Parts,
    target: &str,
    body: Bytes,
    upgrade: Option<HeaderValue>,
) -> Result<Request<kube::client::Body>, Refusal> {
    let mut request = Request::builder()
        .method(parts.method.clone())
        .uri(target)
        .body(kube::client::Body::from(body))
        .map_err(|e| Refusal::bad_request(format!("runbook gateway: {e}")))?;
    let headers = request.headers_mut();
    *headers = parts.headers.clone();
    strip_hop_by_hop(headers);
    for name in [
        header::AUTHORIZATION,
        header::HOST,
        header::CONTENT_LENGTH,
        header::EXPECT,
    ] {
        headers.remove(name);
    }
    if let Some(protocol) = upgrade {
        headers.insert(header::CONNECTION, HeaderValue::from_static("Upgrade"));
        headers.insert(header::UPGRADE, protocol);
    }
    Ok(request)
}

/// Resolves when a long request of `epoch` must end: the session switched
/// context, the command's credential was revoked (it ended), or the
/// gateway stopped.
fn ended(core: &Core, epoch: u64, issued: &Issued) -> impl Future<Output = ()> + Send + 'static {
    let mut epochs = core.epochs.subscribe();
    let mut shutdown = core.shutdown.subscribe();
    let revoked = issued.live.revoked();
    async move {
        tokio::select! {
            _ = epochs.wait_for(|e| *e != epoch) => {}
            _ = shutdown.wait_for(|stop| *stop) => {}
            _ = revoked => {}
        }
    }
}

/// How a response ends early, and the command's long-request slot it
/// holds until it ends.
struct Ends<F> {
    ended: F,
    long: Option<OwnedSemaphorePermit>,
}

/// The API server's answer, streamed as it arrives (watch, `logs -f`, a
/// large list), ending with the epoch or the credential.
fn stream_back<F: Future<Output = ()> + Send + 'static>(
    ends: Ends<F>,
    response: Response<kube::client::Body>,
) -> Response<GatewayBody> {
    let (mut parts, body) = response.into_parts();
    strip_hop_by_hop(&mut parts.headers);
    let long = ends.long;
    let frames = BodyStream::new(body)
        .take_until(ends.ended)
        .map(move |frame| {
            // The slot is the stream's until the stream is dropped.
            let _held = &long;
            frame
        })
        .map_err(BoxError::from);
    Response::from_parts(parts, StreamBody::new(frames).boxed_unsync())
}

/// 101 to the child, then bytes both ways between the two upgraded
/// connections until either side closes, the epoch ends or the credential
/// is revoked.
fn splice<F: Future<Output = ()> + Send + 'static>(
    ends: Ends<F>,
    child: hyper::upgrade::OnUpgrade,
    mut response: Response<kube::client::Body>,
) -> Response<GatewayBody> {
    let upstream = hyper::upgrade::on(&mut response);
    let Ends { ended, long } = ends;
    tokio::spawn(async move {
        let _long = long;
        let (child, upstream) = match tokio::try_join!(child, upstream) {
            Ok(both) => both,
            Err(e) => {
                tracing::debug!("gateway: upgrade did not complete: {e}");
                return;
            }
        };
        let (mut child, mut upstream) = (TokioIo::new(child), TokioIo::new(upstream));
        tokio::select! {
            done = tokio::io::copy_bidirectional(&mut child, &mut upstream) => {
                if let Err(e) = done {
                    tracing::debug!("gateway: upgraded stream ended: {e}");
                }
            }
            _ = ended => {}
        }
    });
    let (parts, _) = response.into_parts();
    Response::from_parts(parts, full(Bytes::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_the_first_path_segment() {
        assert_eq!(
            split_token("/abc/api/v1/pods"),
            Some(("abc", "/api/v1/pods"))
        );
        assert_eq!(split_token("/abc"), Some(("abc", "/")));
        assert_eq!(split_token("/abc/"), Some(("abc", "/")));
        assert_eq!(split_token("//api/v1/pods"), None);
        assert_eq!(split_token("/"), None);
        assert_eq!(split_token("*"), None);
    }

    #[test]
    fn the_upstream_request_carries_none_of_the_childs_hop_headers_or_token() {
        let request = Request::builder()
            .method("POST")
            .uri("http://127.0.0.1:1/TOKEN/api/v1/namespaces/shop/pods/x/exec?command=sh")
            .header(header::AUTHORIZATION, "Bearer gateway-token")
            .header(header::HOST, "127.0.0.1:1")
            .header(header::CONNECTION, "Upgrade, X-Private")
            .header("x-private", "hop")
            .header(header::UPGRADE, "SPDY/3.1")
            .header("x-stream-protocol-version", "v4.channel.k8s.io")
            .header("impersonate-user", "alice")
            .header(header::CONTENT_LENGTH, "0")
            .body(())
            .expect("request");
        let (parts, ()) = request.into_parts();
        let protocol = upgrade_protocol(&parts.headers);
        assert_eq!(
            protocol.as_ref().map(|p| p.as_bytes()),
            Some(&b"SPDY/3.1"[..])
        );
        let target = "/api/v1/namespaces/shop/pods/x/exec?command=sh";
        let out = outgoing(&parts, target, Bytes::new(), protocol).expect("outgoing");
        assert_eq!(out.uri(), "/api/v1/namespaces/shop/pods/x/exec?command=sh");
        let h = out.headers();
        assert!(h.get(header::AUTHORIZATION).is_none());
        assert!(h.get(header::HOST).is_none());
        assert!(h.get("x-private").is_none());
        assert_eq!(h[header::CONNECTION], "Upgrade");
        assert_eq!(h[header::UPGRADE], "SPDY/3.1");
        assert_eq!(h["x-stream-protocol-version"], "v4.channel.k8s.io");
        assert_eq!(h["impersonate-user"], "alice");

        let plain = Request::builder()
            .uri("/api/v1/pods")
            .header(header::UPGRADE, "websocket")
            .body(())
            .expect("request");
        assert_eq!(
            upgrade_protocol(plain.headers()),
            None,
            "no Connection: upgrade"
        );
    }
}
