//! A hostile or broken child: garbage, a 100 MB body, a reader that never
//! reads. Each gets an error or a closed connection; the gateway keeps
//! serving everyone else, and the panes keep moving.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::*;

/// A bare HTTP/1.1 GET: (status, the raw response).
pub async fn get(url: &str) -> (u16, String) {
    let rest = url.strip_prefix("http://").expect("http url");
    let (addr, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    let response = exchange(addr, request.as_bytes()).await;
    (status_of(&response), response)
}

/// A bare HTTP/1.1 GET with a `Proxy-Authorization` header.
pub async fn get_with(url: &str, authorization: &str) -> (u16, String) {
    let rest = url.strip_prefix("http://").expect("http url");
    let (addr, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nProxy-Authorization: {authorization}\r\nConnection: close\r\n\r\n"
    );
    let response = exchange(addr, request.as_bytes()).await;
    (status_of(&response), response)
}

/// Writes `bytes`, reads until the server closes (or errors).
pub async fn exchange(addr: &str, bytes: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let _ = stream.write_all(bytes).await;
    read_all(&mut stream).await
}

async fn read_all(stream: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let _ = tokio::time::timeout(PATIENCE, stream.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

pub fn status_of(response: &str) -> u16 {
    response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

struct Fixture {
    _dir: tempfile::TempDir,
    _sim: SimHandle,
    audit: PathBuf,
    gateway: Gateway,
    writes: mpsc::UnboundedReceiver<ApiWrite>,
    token: String,
    _credential: runbook::cluster::gateway::Credential,
}

async fn fixture(yaml: &str) -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let (sim, audit) = sim(yaml, dir.path(), "shop").await;
    let (gateway, writes) = gateway_for(&sim, false).await;
    let credential = gateway.issue("hostile", dir.path()).expect("credential");
    let (_, token) = server_of(credential.kubeconfig());
    Fixture {
        _dir: dir,
        _sim: sim,
        audit,
        gateway,
        writes,
        token,
        _credential: credential,
    }
}

impl Fixture {
    fn addr(&self) -> String {
        self.gateway.addr().to_string()
    }

    /// The gateway still answers a good request.
    async fn still_serves(&self) {
        let url = format!(
            "http://{}/{}/api/v1/namespaces/shop/pods",
            self.addr(),
            self.token
        );
        let (status, body) = get(&url).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("web-1"), "{body}");
    }
}

#[tokio::test]
async fn garbage_gets_400_and_the_gateway_goes_on() {
    let f = fixture(SHOP).await;
    for garbage in [
        &b"GARBAGE\r\n\r\n"[..],
        b"\x00\x01\x02\xff\xfe\r\n\r\n",
        b"GET /api/v1/pods HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
        b"GET /api/v1/pods HTTP/9.9\r\n\r\n",
    ] {
        let response = exchange(&f.addr(), garbage).await;
        let status = status_of(&response);
        assert!(status == 400 || status == 0, "{response:?}");
    }
    // An ambiguous path with a good token: refused, never forwarded.
    let url = format!(
        "http://{}/{}/api/v1/namespaces/shop/pods/web-1%2Fexec",
        f.addr(),
        f.token
    );
    let (status, body) = get(&url).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("ambiguous path"), "{body}");
    f.still_serves().await;
    assert!(
        !audit(&f.audit).iter().any(|(_, p, _)| p.contains("exec")),
        "nothing ambiguous reached the API server"
    );
}

#[tokio::test]
async fn a_100_mb_body_is_refused_without_being_read() {
    let mut f = fixture(SHOP).await;
    let mut stream = TcpStream::connect(f.addr()).await.expect("connect");
    let head = format!(
        "POST /{}/api/v1/namespaces/shop/configmaps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        f.token,
        100 << 20
    );
    stream.write_all(head.as_bytes()).await.expect("head");
    let response = read_all(&mut stream).await;
    assert_eq!(status_of(&response), 413, "{response}");
    assert!(response.contains("limited to 16 MiB"), "{response}");

    // Without a length: read up to the limit, then refused.
    let mut stream = TcpStream::connect(f.addr()).await.expect("connect");
    let head = format!(
        "POST /{}/api/v1/namespaces/shop/configmaps HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
        f.token
    );
    stream.write_all(head.as_bytes()).await.expect("head");
    let chunk = vec![b'x'; 1 << 20];
    let frame = [
        format!("{:x}\r\n", chunk.len()).into_bytes(),
        chunk,
        b"\r\n".to_vec(),
    ]
    .concat();
    for _ in 0..100 {
        if stream.write_all(&frame).await.is_err() {
            break; // the gateway answered and closed: expected
        }
    }
    let response = read_all(&mut stream).await;
    let status = status_of(&response);
    assert!(status == 413 || status == 0, "{response}");

    f.still_serves().await;
    assert_eq!(mutating(&f.audit), [], "no body was forwarded");
    assert_eq!(drain(&mut f.writes), []);
}

const MANY: &str = r#"
apiVersion: runbook/v1
kind: Scenario
metadata: { name: many }
objects:
  - apiVersion: v1
    kind: Pod
    metadata: { name: web-1, namespace: shop }
    spec: { containers: [ { name: web, image: web:1 } ] }
generate: { pods: 20000, nodes: 10, namespace: crowd }
"#;

#[test]
fn a_reader_that_never_reads_stalls_no_one_else() {
    let rt = runtime();
    let f = rt.block_on(fixture(MANY));
    // A list of 20,000 pods, far more than the socket buffers hold, asked
    // for and never read.
    let stalled = rt.block_on(async {
        let mut stream = TcpStream::connect(f.addr()).await.expect("connect");
        let head = format!("GET /{}/api/v1/pods HTTP/1.1\r\nHost: x\r\n\r\n", f.token);
        stream.write_all(head.as_bytes()).await.expect("head");
        // Its first bytes arrive: the gateway is streaming to it.
        let mut first = [0u8; 64];
        let n = tokio::time::timeout(PATIENCE, stream.read(&mut first))
            .await
            .expect("the list started")
            .expect("read");
        assert!(first[..n].starts_with(b"HTTP/1.1 200"));
        stream
    });
    for _ in 0..3 {
        rt.block_on(f.still_serves());
    }
    // The panes' own client is apart from the gateway's: a session on the
    // same cluster still goes live and sees a change.
    let sim_kubeconfig = f._dir.path().join("sim.kubeconfig");
    f._sim
        .write_kubeconfig(&sim_kubeconfig)
        .expect("kubeconfig");
    let mut session = background(
        &rt,
        ClusterConfig {
            kubeconfig: Some(sim_kubeconfig),
            context: None,
        },
    );
    rt.block_on(until(&mut session.snapshots, "web-1 in the pane", |s| {
        s.pods().rows.iter().any(|p| &*p.name == "web-1")
    }));
    rt.block_on(async {
        let mut stream = TcpStream::connect(f.addr()).await.expect("connect");
        let request = format!(
            "DELETE /{}/api/v1/namespaces/shop/pods/web-1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            f.token
        );
        stream.write_all(request.as_bytes()).await.expect("delete");
        assert_eq!(status_of(&read_all(&mut stream).await), 200);
    });
    rt.block_on(until(
        &mut session.snapshots,
        "web-1 gone from the pane",
        |s| !s.pods().rows.iter().any(|p| &*p.name == "web-1"),
    ));
    drop(stalled);
    session.shutdown();
}
