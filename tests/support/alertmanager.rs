//! A real Alertmanager for the tests: Debian's `prometheus-alertmanager`,
//! started on a free loopback port with a minimal config and its own
//! storage folder, stopped when dropped. Its absence fails the test with
//! how to install it (CI's .ci/run does); it is never skipped silently.
//!
//! Requests from the test side are plain HTTP/1.0 over a std TcpStream, so
//! this helper needs nothing beyond std and serde_json.

#![allow(dead_code)] // each test crate uses a part

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Bounds a hang; the waits end as soon as their condition holds.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// Where the binary is: `RUNBOOK_TEST_ALERTMANAGER`, else the Debian
/// package's name, else upstream's, on PATH or in /usr/bin.
pub fn binary() -> PathBuf {
    if let Some(p) = std::env::var_os("RUNBOOK_TEST_ALERTMANAGER") {
        return PathBuf::from(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs: Vec<PathBuf> = std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/bin"), PathBuf::from("/usr/local/bin")])
        .collect();
    for name in ["prometheus-alertmanager", "alertmanager"] {
        for dir in &dirs {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "no Alertmanager binary: these tests run against a real one. Install it with \
         `apt-get install -y prometheus-alertmanager` (.ci/run does), or point \
         RUNBOOK_TEST_ALERTMANAGER at an alertmanager binary"
    );
}

pub struct Alertmanager {
    child: Child,
    pub url: String,
    pub port: u16,
    dir: tempfile::TempDir,
}

/// A password file for `web.config.file` basic auth: user `ops`, password
/// `s3cret` (bcrypt, cost 4 so checking it is quick).
pub const BASIC_USER: &str = "ops";
pub const BASIC_PASSWORD: &str = "s3cret";
const BASIC_HASH: &str = "$2b$04$F3n4KM18x2fwSV4Adp4mOOWHEC01WWr1SXdXwSFV8bxXrwMGhELvK";

impl Alertmanager {
    pub fn start() -> Alertmanager {
        Alertmanager::start_with(false, None)
    }

    /// With `basic_auth`, every request needs `ops:s3cret`; with `webhook`,
    /// every alert is posted there at once, as a pager's receiver gets it.
    pub fn start_with(basic_auth: bool, webhook: Option<&str>) -> Alertmanager {
        let bin = binary();
        // The port is picked free, then given to Alertmanager; another
        // process can take it in between, so a start that fails is retried.
        let mut last_log = String::new();
        for _ in 0..3 {
            let dir = tempfile::tempdir().expect("tempdir");
            let port = free_port();
            let config = match webhook {
                Some(url) => format!(
                    "route:\n  receiver: hook\n  group_wait: 0s\n  group_interval: 1s\nreceivers:\n  - name: hook\n    webhook_configs:\n      - url: {url}\n        send_resolved: false\n"
                ),
                None => "route:\n  receiver: none\n  group_wait: 1h\nreceivers:\n  - name: none\n"
                    .into(),
            };
            std::fs::write(dir.path().join("alertmanager.yml"), config).expect("write config");
            let mut args = vec![
                format!(
                    "--config.file={}",
                    dir.path().join("alertmanager.yml").display()
                ),
                format!("--storage.path={}", dir.path().join("data").display()),
                format!("--web.listen-address=127.0.0.1:{port}"),
                // No gossip port: tests run side by side.
                "--cluster.listen-address=".to_string(),
            ];
            if basic_auth {
                let web = dir.path().join("web.yml");
                std::fs::write(
                    &web,
                    format!("basic_auth_users:\n  {BASIC_USER}: '{BASIC_HASH}'\n"),
                )
                .expect("write web config");
                args.push(format!("--web.config.file={}", web.display()));
            }
            let log = std::fs::File::create(dir.path().join("alertmanager.log")).expect("log");
            let child = Command::new(&bin)
                .args(&args)
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("log"))
                .stderr(log)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
            let mut am = Alertmanager {
                child,
                url: format!("http://127.0.0.1:{port}"),
                port,
                dir,
            };
            if am.wait_ready(basic_auth) {
                return am;
            }
            last_log = am.log();
        }
        panic!("Alertmanager did not become ready:\n{last_log}");
    }

    fn wait_ready(&mut self, basic_auth: bool) -> bool {
        let start = Instant::now();
        while start.elapsed() < DEADLINE {
            if let Ok(Some(_)) = self.child.try_wait() {
                return false;
            }
            let auth = basic_auth.then_some((BASIC_USER, BASIC_PASSWORD));
            if let Ok((200, _)) = http(self.port, "GET", "/-/ready", None, auth) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("alertmanager.log")).unwrap_or_default()
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        http(self.port, "GET", path, None, None).expect("GET from Alertmanager")
    }

    /// Posts alerts (a JSON array of postable alerts) and waits until each
    /// is listed as active, so a test never races Alertmanager's ingest.
    pub fn post_alerts(&self, alerts: serde_json::Value) {
        let body = alerts.to_string();
        let (status, text) =
            http(self.port, "POST", "/api/v2/alerts", Some(&body), None).expect("POST alerts");
        assert_eq!(status, 200, "posting alerts: {text}");
        let names: Vec<serde_json::Value> = alerts
            .as_array()
            .expect("an array of alerts")
            .iter()
            .map(|a| a["labels"].clone())
            .collect();
        self.wait_until("the posted alerts are active", |listed| {
            names
                .iter()
                .all(|labels| listed.iter().any(|a| &a["labels"] == labels))
        });
    }

    /// Waits until the active, unsilenced alerts satisfy `cond`.
    pub fn wait_until(&self, what: &str, cond: impl Fn(&[serde_json::Value]) -> bool) {
        let start = Instant::now();
        loop {
            let (_, text) = self.get("/api/v2/alerts?active=true&silenced=false&inhibited=false");
            let listed: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap_or_default();
            if cond(&listed) {
                return;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "{what}: never happened; alerts now: {text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn silences(&self) -> Vec<serde_json::Value> {
        let (status, text) = self.get("/api/v2/silences");
        assert_eq!(status, 200, "{text}");
        serde_json::from_str(&text).expect("silences json")
    }
}

impl Drop for Alertmanager {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// A postable alert: labels, annotations, a generator URL.
pub fn alert(labels: &[(&str, &str)], annotations: &[(&str, &str)]) -> serde_json::Value {
    let map = |pairs: &[(&str, &str)]| -> serde_json::Map<String, serde_json::Value> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
            .collect()
    };
    serde_json::json!({
        "labels": map(labels),
        "annotations": map(annotations),
        "generatorURL": "http://prometheus.example:9090/graph?g0.expr=up",
    })
}

/// One HTTP/1.0 exchange (the server closes; no chunking to undo).
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&str>,
    basic: Option<(&str, &str)>,
) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(DEADLINE))?;
    let body = body.unwrap_or("");
    let auth = basic
        .map(|(u, p)| {
            use base64::Engine as _;
            let pair = base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}"));
            format!("Authorization: Basic {pair}\r\n")
        })
        .unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut raw = String::new();
    s.read_to_string(&mut raw)?;
    let status = raw
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = raw
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    Ok((status, body))
}

/// A webhook receiver on loopback: takes what Alertmanager posts, answers
/// 200, and hands each body to the test.
pub struct Hook {
    pub url: String,
    bodies: std::sync::mpsc::Receiver<String>,
}

impl Hook {
    pub fn listen() -> Hook {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let (tx, bodies) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut s) = stream else { return };
                if let Some(body) = read_request(&mut s) {
                    let _ = s.write_all(
                        b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    );
                    if tx.send(body).is_err() {
                        return;
                    }
                }
            }
        });
        Hook {
            url: format!("http://127.0.0.1:{port}/hook"),
            bodies,
        }
    }

    /// The next payload Alertmanager posts.
    pub fn next(&self) -> String {
        self.bodies
            .recv_timeout(DEADLINE)
            .expect("Alertmanager posted nothing to the webhook")
    }
}

/// One HTTP request's body (by Content-Length).
fn read_request(s: &mut TcpStream) -> Option<String> {
    s.set_read_timeout(Some(DEADLINE)).ok()?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = s.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let len = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if body.len() >= len {
                return Some(body[..len].to_string());
            }
        }
    }
}
