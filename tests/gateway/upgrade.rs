//! Connection upgrades pass through in normal mode: the handshake as
//! kubectl sends it (SPDY for exec and port-forward, websocket for exec),
//! then bytes both ways; in read-only mode the upstream never hears of it.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::fake_api::{FakeApi, GREETING};
use super::*;

async fn gateway_to(
    upstream: &FakeApi,
    read_only: bool,
) -> (Gateway, mpsc::UnboundedReceiver<ApiWrite>) {
    let (gateway, writes) = Gateway::start(ReadOnly::new(read_only))
        .await
        .expect("gateway");
    let epoch = gateway.connecting(Some("prod"), Some("shop"));
    gateway.connected(epoch, upstream.config(), "shop");
    (gateway, writes)
}

fn token_of(credential: &runbook::cluster::gateway::Credential) -> String {
    server_of(credential.kubeconfig()).1
}

/// Sends an upgrade request; returns the response head and the stream.
async fn handshake(addr: SocketAddr, request: &str) -> (String, TcpStream) {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request.as_bytes()).await.expect("request");
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let n = tokio::time::timeout(PATIENCE, stream.read(&mut byte))
            .await
            .expect("a response")
            .expect("read");
        if n == 0 {
            break;
        }
        head.push(byte[0]);
    }
    (String::from_utf8_lossy(&head).into_owned(), stream)
}

async fn read_exactly(stream: &mut TcpStream, n: usize) -> Vec<u8> {
    let mut buf = vec![0u8; n];
    tokio::time::timeout(PATIENCE, stream.read_exact(&mut buf))
        .await
        .expect("bytes in time")
        .expect("read");
    buf
}

fn spdy(path: &str, token: &str) -> String {
    format!(
        "POST /{token}{path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\nContent-Length: 0\r\n\r\n"
    )
}

fn websocket(path: &str, token: &str) -> String {
    format!(
        "GET /{token}{path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n"
    )
}

#[tokio::test]
async fn exec_and_port_forward_upgrades_are_spliced_both_ways() {
    let dir = tempfile::tempdir().expect("tempdir");
    let upstream = FakeApi::start().await;
    let (gateway, mut writes) = gateway_to(&upstream, false).await;
    let credential = gateway
        .issue("kubectl exec web-1", dir.path())
        .expect("credential");
    let token = token_of(&credential);
    let cases = [
        (
            spdy(
                "/api/v1/namespaces/shop/pods/web-1/exec?command=sh&stdin=true",
                &token,
            ),
            "SPDY/3.1",
            "exec",
        ),
        (
            websocket("/api/v1/namespaces/shop/pods/web-1/exec?command=sh", &token),
            "websocket",
            "exec",
        ),
        (
            spdy("/api/v1/namespaces/shop/pods/web-1/portforward", &token),
            "SPDY/3.1",
            "portforward",
        ),
    ];
    for (request, protocol, subresource) in cases {
        let (head, mut stream) = handshake(gateway.addr(), &request).await;
        assert!(head.starts_with("HTTP/1.1 101"), "{head}");
        assert!(
            head.to_lowercase()
                .contains(&format!("upgrade: {}", protocol.to_lowercase())),
            "{head}"
        );
        assert!(
            head.contains("v4.channel.k8s.io") || head.contains("v5.channel.k8s.io"),
            "the protocol version is negotiated end to end: {head}"
        );
        assert_eq!(read_exactly(&mut stream, GREETING.len()).await, GREETING);
        for message in [
            &b"ping"[..],
            b"\x00\x01binary\xff",
            b"a longer line of input\n",
        ] {
            stream.write_all(message).await.expect("write");
            assert_eq!(read_exactly(&mut stream, message.len()).await, message);
        }
        let reported = drain(&mut writes);
        assert_eq!(reported.len(), 1, "{reported:?}");
        assert_eq!(reported[0].status, 101);
        assert_eq!(reported[0].subresource.as_deref(), Some(subresource));
        assert!(
            !reported[0].path.contains("command"),
            "no query in the record"
        );
    }
    let seen = upstream.seen();
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert!(
        seen.iter()
            .all(|(_, path)| path.starts_with("/api/v1/namespaces/shop/pods/web-1/"))
    );
}

#[tokio::test]
async fn read_only_refuses_the_upgrade_before_the_upstream_hears_of_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let upstream = FakeApi::start().await;
    let (gateway, _writes) = gateway_to(&upstream, true).await;
    let credential = gateway
        .issue("kubectl exec web-1", dir.path())
        .expect("credential");
    let token = token_of(&credential);
    for request in [
        spdy("/api/v1/namespaces/shop/pods/web-1/exec?command=sh", &token),
        websocket("/api/v1/namespaces/shop/pods/web-1/attach", &token),
        spdy("/api/v1/namespaces/shop/pods/web-1/portforward", &token),
    ] {
        let (head, mut stream) = handshake(gateway.addr(), &request).await;
        assert!(head.starts_with("HTTP/1.1 403"), "{head}");
        let length: usize = head
            .lines()
            .find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse().ok())?
            })
            .expect("a content-length");
        let body = read_exactly(&mut stream, length).await;
        let body = String::from_utf8_lossy(&body);
        assert!(body.contains("read-only session"), "{body}");
    }
    assert_eq!(upstream.seen(), []);
}

/// kubectl dials exec through the gateway as the cluster's proxy (a
/// CONNECT carrying the token as the proxy's password): the upgrade
/// reaches the upstream and is journaled as the command's stream.
#[tokio::test]
async fn kubectl_exec_reaches_the_upstream_through_the_proxy_tunnel() {
    require_kubectl!();
    let dir = tempfile::tempdir().expect("tempdir");
    let upstream = FakeApi::start().await;
    let (gateway, mut writes) = gateway_to(&upstream, false).await;
    // The fake upstream greets and echoes rather than speaking kubectl's
    // stream protocol, so kubectl's own verdict does not matter here.
    let _ = run(
        &[
            "timeout", "20", "kubectl", "-n", "shop", "exec", "web-1", "--", "ls",
        ],
        access(&gateway, "kubectl exec web-1 -- ls", dir.path()),
        &[],
    )
    .await;
    assert!(
        upstream
            .seen()
            .iter()
            .any(|(_, path)| path.starts_with("/api/v1/namespaces/shop/pods/web-1/exec?")),
        "{:?}",
        upstream.seen()
    );
    let streams = drain(&mut writes);
    assert!(
        streams
            .iter()
            .any(|w| w.subresource.as_deref() == Some("exec") && w.status == 101),
        "{streams:?}"
    );
}
