//! Nobody can stall the gateway for the others: the token is checked as a
//! request's head arrives, connections without one are answered 401 and
//! closed and never hold a slot, one command's watches are limited, and a
//! command's streams end with its credential. The bounds below (20 s) sit
//! under the old 30 s header timeout: they bound a hang, they measure
//! nothing.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::hostile::status_of;
use super::*;

/// Well under the 30 s header timeout a stalled gateway used to wait out.
const BOUND: Duration = Duration::from_secs(20);

struct Fixture {
    dir: tempfile::TempDir,
    _sim: SimHandle,
    gateway: Gateway,
    _writes: mpsc::UnboundedReceiver<ApiWrite>,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let (sim, _) = sim(SHOP, dir.path(), "shop").await;
    let (gateway, writes) = gateway_for(&sim, false).await;
    Fixture {
        dir,
        _sim: sim,
        gateway,
        _writes: writes,
    }
}

impl Fixture {
    fn addr(&self) -> String {
        self.gateway.addr().to_string()
    }

    fn credential(&self, label: &str) -> (runbook::cluster::gateway::Credential, String) {
        let credential = self.gateway.issue(label, self.dir.path()).expect("issue");
        let (_, token) = server_of(credential.kubeconfig());
        (credential, token)
    }

    /// A GET with `token` answers 200 within the bound.
    async fn answers(&self, token: &str) {
        let url = format!("http://{}/{token}/api/v1/namespaces/shop/pods", self.addr());
        let (status, body) = tokio::time::timeout(BOUND, hostile::get(&url))
            .await
            .expect("a good request is answered while the others wait");
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("web-1"), "{body}");
    }
}

/// Reads up to the end of a response's head.
async fn head_of(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match tokio::time::timeout(PATIENCE, stream.read(&mut byte)).await {
            Ok(Ok(1)) => head.push(byte[0]),
            other => panic!(
                "no whole head: {other:?} {}",
                String::from_utf8_lossy(&head)
            ),
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// Reads until the server closes, within the bound.
async fn closed_within_bound(stream: &mut TcpStream, what: &str) -> String {
    let mut out = Vec::new();
    tokio::time::timeout(BOUND, stream.read_to_end(&mut out))
        .await
        .unwrap_or_else(|_| panic!("{what}: the gateway kept the connection open"))
        .ok();
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn idle_and_unauthenticated_connections_do_not_stall_a_command() {
    let f = fixture().await;
    let (_credential, token) = f.credential("kubectl get pods");
    // 300 connections that never send a byte: more than every slot.
    let mut idle = Vec::new();
    for _ in 0..300 {
        idle.push(TcpStream::connect(f.addr()).await.expect("connect"));
    }
    f.answers(&token).await;

    // A head without a token: 401 and closed at once, no keep-alive.
    let mut stream = TcpStream::connect(f.addr()).await.expect("connect");
    stream
        .write_all(b"GET /api/v1/namespaces/shop/pods HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("head");
    let response = closed_within_bound(&mut stream, "a request without a token").await;
    assert_eq!(status_of(&response), 401, "{response}");
    assert!(response.contains("no valid token"), "{response}");

    // An idle connection is closed after the short header timeout.
    let mut first = idle.remove(0);
    let rest = closed_within_bound(&mut first, "a connection that never spoke").await;
    assert_eq!(rest, "", "closed without an answer");
    f.answers(&token).await;
}

#[tokio::test]
async fn one_commands_watches_are_limited_and_do_not_stop_another_command() {
    let f = fixture().await;
    let (_greedy, greedy) = f.credential("kubectl get pods -w (x300)");
    let (_other, other) = f.credential("kubectl get pods");
    let mut watches = Vec::new();
    for _ in 0..300 {
        let mut stream = TcpStream::connect(f.addr()).await.expect("connect");
        let head = format!(
            "GET /{greedy}/api/v1/namespaces/shop/pods?watch=true HTTP/1.1\r\nHost: x\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).await.expect("head");
        watches.push(stream);
    }
    // Another command is answered while all of them are open.
    f.answers(&other).await;

    let mut open = 0;
    let mut refused = 0;
    for stream in &mut watches {
        let head = tokio::time::timeout(BOUND, head_of(stream))
            .await
            .expect("every watch gets an answer");
        match status_of(&head) {
            200 => open += 1,
            429 => refused += 1,
            other => panic!("{other}: {head}"),
        }
    }
    assert_eq!(open, 16, "16 long requests per command");
    assert_eq!(refused, 284);
    f.answers(&other).await;
    f.answers(&greedy).await;
}

#[tokio::test]
async fn the_429_is_a_status_saying_why() {
    let f = fixture().await;
    let (_credential, token) = f.credential("kubectl get pods -w");
    let mut held = Vec::new();
    for _ in 0..16 {
        let mut stream = TcpStream::connect(f.addr()).await.expect("connect");
        let head =
            format!("GET /{token}/api/v1/namespaces/shop/pods?watch=1 HTTP/1.1\r\nHost: x\r\n\r\n");
        stream.write_all(head.as_bytes()).await.expect("head");
        assert_eq!(status_of(&head_of(&mut stream).await), 200);
        held.push(stream);
    }
    let mut stream = TcpStream::connect(f.addr()).await.expect("connect");
    let head = format!(
        "GET /{token}/api/v1/namespaces/shop/pods/web-1/log?follow=true HTTP/1.1\r\nHost: x\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.expect("head");
    let response = closed_within_bound(&mut stream, "a refused stream").await;
    assert_eq!(status_of(&response), 429, "{response}");
    assert!(response.contains("\"kind\":\"Status\""), "{response}");
    assert!(response.contains("16 watches"), "{response}");
    drop(held);
}

#[tokio::test]
async fn a_revoked_credentials_watch_ends() {
    let f = fixture().await;
    let (credential, token) = f.credential("kubectl get pods -w");
    let mut stream = TcpStream::connect(f.addr()).await.expect("connect");
    let head = format!(
        "GET /{token}/api/v1/namespaces/shop/pods?watch=true HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.expect("head");
    assert_eq!(status_of(&head_of(&mut stream).await), 200);
    // The command ended: its credential is revoked.
    drop(credential);
    let mut rest = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut rest))
        .await
        .expect("the watch ended with its credential")
        .expect("read");
}

#[tokio::test]
async fn kubectl_get_raw_reaches_the_cluster() {
    require_kubectl!();
    let f = fixture().await;
    let (out, finish) = run(
        &["kubectl", "get", "--raw", "/api/v1/namespaces/shop/pods"],
        access(&f.gateway, "kubectl get --raw", f.dir.path()),
        &[],
    )
    .await;
    assert_eq!(finish.exit_code, Some(0), "{out}");
    assert!(out.contains("\"web-1\""), "{out}");
}

#[tokio::test]
async fn a_connect_tunnel_with_the_token_as_proxy_password_serves_the_command() {
    use base64::Engine as _;
    let f = fixture().await;
    let (credential, token) = f.credential("kubectl exec");
    let basic = |password: &str| {
        base64::engine::general_purpose::STANDARD.encode(format!("runbook:{password}"))
    };
    let addr = f.addr();
    // Without the token: 401 and closed.
    let mut stream = TcpStream::connect(&addr).await.expect("connect");
    let connect = format!("CONNECT {addr} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    stream.write_all(connect.as_bytes()).await.expect("connect");
    let response = closed_within_bound(&mut stream, "a CONNECT without a token").await;
    assert_eq!(status_of(&response), 401, "{response}");

    let mut stream = TcpStream::connect(&addr).await.expect("connect");
    let connect = format!(
        "CONNECT {addr} HTTP/1.1\r\nHost: {addr}\r\nProxy-Authorization: Basic {}\r\n\r\n",
        basic(&token)
    );
    stream.write_all(connect.as_bytes()).await.expect("connect");
    assert_eq!(status_of(&head_of(&mut stream).await), 200);
    // Inside, requests need no token of their own.
    stream
        .write_all(b"GET /api/v1/namespaces/shop/pods HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("inner request");
    let head = head_of(&mut stream).await;
    assert_eq!(status_of(&head), 200, "{head}");
    // The tunnel ends with the credential.
    drop(credential);
    let mut rest = Vec::new();
    tokio::time::timeout(BOUND, stream.read_to_end(&mut rest))
        .await
        .expect("the tunnel ended with its credential")
        .ok();
}

#[tokio::test]
async fn a_command_holds_at_most_64_connections_and_is_told_to_retry() {
    let f = fixture().await;
    let (_greedy, greedy) = f.credential("a greedy command");
    let (_other, other) = f.credential("kubectl get pods");
    let request = format!("GET /{greedy}/api/v1/namespaces/shop/pods HTTP/1.1\r\nHost: x\r\n\r\n");
    let mut held = Vec::new();
    for _ in 0..64 {
        let mut stream = TcpStream::connect(f.addr()).await.expect("connect");
        stream.write_all(request.as_bytes()).await.expect("head");
        assert_eq!(status_of(&head_of(&mut stream).await), 200);
        held.push(stream);
    }
    let mut stream = TcpStream::connect(f.addr()).await.expect("connect");
    stream.write_all(request.as_bytes()).await.expect("head");
    let response = closed_within_bound(&mut stream, "the 65th connection").await;
    assert_eq!(status_of(&response), 429, "{response}");
    assert!(
        response.to_ascii_lowercase().contains("retry-after: 1"),
        "{response}"
    );
    assert!(response.contains("64 connections"), "{response}");
    f.answers(&other).await;
    drop(held);
}
