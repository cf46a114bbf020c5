//! A small upstream for what the simulator does not serve: discovery for
//! core pods and RBAC roles (so `kubectl auth reconcile` gets as far as
//! its create), a pod to exec into, and the exec / attach / port-forward
//! upgrade (websocket or SPDY) answered with 101, a greeting and an echo.
//! It records every request it gets.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::{Request, Response, StatusCode, header};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the upstream says first on an upgraded connection.
pub const GREETING: &[u8] = b"hello from upstream\n";

pub struct FakeApi {
    pub url: String,
    seen: Arc<Mutex<Vec<(String, String)>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeApi {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeApi {
    pub async fn start() -> FakeApi {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let seen: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
        let log = seen.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let log = log.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request: Request<Incoming>| {
                        let log = log.clone();
                        async move { Ok::<_, Infallible>(answer(request, &log)) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .with_upgrades()
                        .await;
                });
            }
        });
        FakeApi { url, seen, task }
    }

    /// Every request so far, as (method, path?query).
    pub fn seen(&self) -> Vec<(String, String)> {
        self.seen.lock().expect("log").clone()
    }

    /// A kube `Config` for this upstream (no credentials).
    pub fn config(&self) -> kube::Config {
        kube::Config::new(self.url.parse().expect("url"))
    }
}

fn json(status: StatusCode, value: serde_json::Value) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(value.to_string())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    response
}

fn answer(
    mut request: Request<Incoming>,
    log: &Mutex<Vec<(String, String)>>,
) -> Response<Full<Bytes>> {
    let target = request
        .uri()
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .to_string();
    log.lock()
        .expect("log")
        .push((request.method().to_string(), target.clone()));
    let path = request.uri().path().to_string();
    let streams = ["/exec", "/attach", "/portforward"];
    if streams.iter().any(|s| path.ends_with(s)) && request.headers().contains_key(header::UPGRADE)
    {
        return upgrade(&mut request);
    }
    match path.as_str() {
        "/api" => json(
            StatusCode::OK,
            serde_json::json!({
                "kind": "APIVersions", "versions": ["v1"],
                "serverAddressByClientCIDRs": [{ "clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1" }]
            }),
        ),
        "/apis" => json(
            StatusCode::OK,
            serde_json::json!({
                "kind": "APIGroupList", "apiVersion": "v1",
                "groups": [{
                    "name": "rbac.authorization.k8s.io",
                    "versions": [{ "groupVersion": "rbac.authorization.k8s.io/v1", "version": "v1" }],
                    "preferredVersion": { "groupVersion": "rbac.authorization.k8s.io/v1", "version": "v1" }
                }]
            }),
        ),
        "/api/v1" => json(
            StatusCode::OK,
            serde_json::json!({
                "kind": "APIResourceList", "groupVersion": "v1",
                "resources": [
                    { "name": "pods", "singularName": "pod", "namespaced": true, "kind": "Pod",
                      "verbs": ["get", "list", "create", "delete", "patch"] },
                    { "name": "pods/exec", "singularName": "", "namespaced": true, "kind": "PodExecOptions", "verbs": ["create", "get"] }
                ]
            }),
        ),
        "/apis/rbac.authorization.k8s.io/v1" => json(
            StatusCode::OK,
            serde_json::json!({
                "kind": "APIResourceList", "groupVersion": "rbac.authorization.k8s.io/v1",
                "resources": [
                    { "name": "roles", "singularName": "role", "namespaced": true, "kind": "Role",
                      "verbs": ["create", "delete", "get", "list", "patch", "update"] }
                ]
            }),
        ),
        "/api/v1/namespaces/shop/pods/web-1" => json(
            StatusCode::OK,
            serde_json::json!({
                "apiVersion": "v1", "kind": "Pod",
                "metadata": { "name": "web-1", "namespace": "shop" },
                "spec": { "containers": [{ "name": "web", "image": "web:1" }] },
                "status": { "phase": "Running" }
            }),
        ),
        _ => json(
            StatusCode::NOT_FOUND,
            serde_json::json!({
                "kind": "Status", "apiVersion": "v1", "status": "Failure",
                "message": format!("{path} not found"), "reason": "NotFound", "code": 404
            }),
        ),
    }
}

/// 101 with the protocol asked for; then a greeting and an echo.
fn upgrade(request: &mut Request<Incoming>) -> Response<Full<Bytes>> {
    let on_upgrade = hyper::upgrade::on(&mut *request);
    tokio::spawn(async move {
        let Ok(upgraded) = on_upgrade.await else {
            return;
        };
        let mut io = TokioIo::new(upgraded);
        if io.write_all(GREETING).await.is_err() {
            return;
        }
        let mut buf = [0u8; 1024];
        while let Ok(n) = io.read(&mut buf).await {
            if n == 0 || io.write_all(&buf[..n]).await.is_err() {
                return;
            }
        }
    });
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let headers = response.headers_mut();
    headers.insert(
        header::CONNECTION,
        header::HeaderValue::from_static("Upgrade"),
    );
    if let Some(protocol) = request.headers().get(header::UPGRADE) {
        headers.insert(header::UPGRADE, protocol.clone());
    }
    for name in ["x-stream-protocol-version", "sec-websocket-protocol"] {
        if let Some(value) = request.headers().get(name) {
            headers.insert(name, value.clone());
        }
    }
    response
}
