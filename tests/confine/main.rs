//! The kernel layer of read-only (issue 19, "Children cannot reach another
//! cluster"): commands run through the real runner with confinement on and
//! its argv check off, so nothing but Landlock stands between them and two
//! simulators on loopback. Each simulator's audit log is the proof of what
//! reached it. Every bypass also runs unconfined against a second pair of
//! simulators, where it must change something: the bypasses are real.
//!
//! Needs curl, python3, sh, env and watch, and a kernel with Landlock ABI
//! 4+; a missing one fails the test unless `RUNBOOK_SKIP_CONFINE=1`. kubectl
//! is the one built from source (v1.37.2), never the machine's: it fails
//! the test where it cannot be built unless `RUNBOOK_SKIP_CONTROLPLANE=1`.

mod app;
mod bypasses;
#[path = "../support/kube.rs"]
mod kube_support;

#[allow(dead_code)]
#[path = "../support/pty.rs"]
mod pty;
#[path = "../support/ui.rs"]
mod ui;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use runbook::cluster::gateway::{Gateway, ReadOnly};
use runbook::exec::Planned;
use runbook::exec::runner::{self, Access, Finish, Policy, RunEvent};
use runbook::sim::{Scenario, SimHandle, Simulator};
use tokio::sync::mpsc;

pub const PATIENCE: Duration = Duration::from_secs(60);

/// How long a bypass that loops (`watch -g`) may run: it ends on its own
/// only when something changed, so confined it runs until this bound.
pub const LOOPING: Duration = Duration::from_secs(4);

const SHOP: &str = r#"
apiVersion: runbook/v1
kind: Scenario
metadata: { name: shop, params: { namespace: shop } }
objects:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: checkout, namespace: shop, labels: { app: checkout } }
    spec:
      replicas: 1
      selector: { matchLabels: { app: checkout } }
      template:
        metadata: { labels: { app: checkout } }
        spec: { containers: [ { name: checkout, image: "shop/checkout:v1" } ] }
  - apiVersion: v1
    kind: Pod
    metadata: { name: web-1, namespace: shop, labels: { app: web } }
    spec: { containers: [ { name: web, image: web:1 } ] }
    status: { phase: Running }
"#;

pub fn skip() -> bool {
    std::env::var_os("RUNBOOK_SKIP_CONFINE").is_some_and(|v| v == "1")
}

/// Fails loudly where a tool the proof needs is missing.
pub fn need(tools: &[&str]) -> bool {
    if skip() {
        eprintln!("skipped: RUNBOOK_SKIP_CONFINE=1");
        return false;
    }
    for tool in tools {
        if *tool == "kubectl" {
            if !kube_support::need_kubectl("the confinement proof") {
                return false;
            }
            continue;
        }
        let found = std::env::var_os("PATH")
            .is_some_and(|path| std::env::split_paths(&path).any(|d| d.join(tool).is_file()));
        assert!(
            found,
            "`{tool}` is needed for the confinement proof (RUNBOOK_SKIP_CONFINE=1 skips it)"
        );
    }
    assert_eq!(
        runbook::exec::confine::support(),
        &Ok(()),
        "this kernel cannot confine commands (RUNBOOK_SKIP_CONFINE=1 skips the proof)"
    );
    true
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

/// A cluster: a simulator writing its audit log, and a kubeconfig that
/// names it directly (the ambient credentials a bypass would use).
pub struct Cluster {
    pub sim: SimHandle,
    pub audit: PathBuf,
    pub kubeconfig: PathBuf,
}

pub async fn cluster(dir: &Path, name: &str) -> Cluster {
    let audit = dir.join(format!("{name}.audit"));
    let scenario = Scenario::from_yaml(SHOP, Path::new("test.yaml")).expect("scenario");
    let sim = Simulator::start(
        scenario,
        SocketAddr::from(([127, 0, 0, 1], 0)),
        Some(audit.clone()),
    )
    .await
    .expect("simulator");
    let kubeconfig = dir.join(format!("{name}.kubeconfig"));
    sim.write_kubeconfig(&kubeconfig).expect("kubeconfig");
    Cluster {
        sim,
        audit,
        kubeconfig,
    }
}

impl Cluster {
    pub fn port(&self) -> u16 {
        self.sim.addr().port()
    }

    /// The requests in its audit log that would change something.
    pub fn mutating(&self) -> Vec<String> {
        let text = std::fs::read_to_string(&self.audit).unwrap_or_default();
        text.lines()
            .filter(|l| {
                let verb = l.split_whitespace().nth(1).unwrap_or("");
                !matches!(verb, "get" | "list" | "watch")
            })
            .map(str::to_string)
            .collect()
    }
}

/// A read-only session's gateway in front of `cluster`.
pub async fn gateway_for(cluster: &Cluster) -> Gateway {
    let (gateway, _writes) = Gateway::start(ReadOnly::new(true)).await.expect("gateway");
    let kubeconfig =
        kube::config::Kubeconfig::from_yaml(&cluster.sim.kubeconfig_yaml()).expect("yaml");
    let config = kube::Config::from_custom_kubeconfig(kubeconfig, &Default::default())
        .await
        .expect("config");
    let epoch = gateway.connecting(Some("runbook-sim"), Some("shop"));
    gateway.connected(epoch, config, "shop");
    gateway
}

/// A credential from `gateway` as the app gives one to a command, and the
/// server URL (with its token) its kubeconfig names.
pub fn access(gateway: &Gateway, label: &str, dir: &Path) -> (Access, String) {
    let credential = gateway.issue(label, dir).expect("credential");
    let text = std::fs::read_to_string(credential.kubeconfig()).expect("kubeconfig");
    let config: serde_json::Value = serde_json::from_str(&text).expect("json");
    let server = config["clusters"][0]["cluster"]["server"]
        .as_str()
        .expect("server")
        .to_string();
    let access = Access::Gateway {
        env: credential.env(),
        secret: credential.secret().to_string(),
        held: Box::new(credential),
        port: gateway.addr().port(),
    };
    (access, server)
}

pub fn planned(argv: &[String]) -> Planned {
    Planned {
        argv: argv.to_vec(),
        mutating: false,
        read_only_safe: true,
        confirm_word: String::new(),
        ..Planned::default()
    }
}

/// Runs `argv` through the real runner: the argv check off, confinement
/// as asked. Its output and end.
pub async fn run(
    argv: &[String],
    access: Access,
    confine: bool,
    timeout: Duration,
) -> (String, Finish) {
    let (tx, mut rx) = mpsc::channel(256);
    let policy = Policy {
        read_only: false,
        confine,
    };
    // `watch` needs a terminal type to draw to a pipe.
    let mut env = vec![("TERM".to_string(), "xterm".to_string())];
    // A command that runs kubectl by name (itself, or through env, watch
    // or sh) finds the built one first, as the runner finds programs.
    if argv.iter().any(|a| a.contains("kubectl")) {
        env.push(("PATH".to_string(), kube_support::path_var()));
    }
    runner::start(&planned(argv), &env, access, policy, timeout, None, tx);
    let mut lines = Vec::new();
    let finish = tokio::time::timeout(PATIENCE + timeout, async {
        while let Some(event) = rx.recv().await {
            match event {
                RunEvent::Line(l) => lines.push(l),
                RunEvent::Finished(f) => return f,
            }
        }
        panic!("the runner ended without Finished");
    })
    .await
    .unwrap_or_else(|_| panic!("{argv:?} did not finish: {lines:?}"));
    (lines.join("\n"), finish)
}

pub fn argv(line: &[&str]) -> Vec<String> {
    line.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_confined_child_reaches_the_gateway_and_not_another_cluster() {
    if !need(&["curl", "python3"]) {
        return;
    }
    let rt = runtime();
    let dir = tempfile::tempdir().expect("tempdir");
    rt.block_on(async {
        let own = cluster(dir.path(), "own").await;
        let other = cluster(dir.path(), "other").await;
        let gateway = gateway_for(&own).await;

        let (through, server) = access(&gateway, "curl", dir.path());
        let (out, finish) = run(
            &argv(&["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", &format!("{server}/api/v1/namespaces")]),
            through,
            true,
            PATIENCE,
        )
        .await;
        assert_eq!((finish.exit_code, finish.confined), (Some(0), Some(true)), "{out}");
        assert!(out.ends_with("200"), "{out}");

        let url = format!("http://127.0.0.1:{}/api/v1/namespaces", other.port());
        let (through, _) = access(&gateway, "curl", dir.path());
        let (out, finish) = run(&argv(&["curl", "-sS", &url]), through, true, PATIENCE).await;
        // curl's 7: could not connect (the kernel answered EACCES).
        assert_eq!((finish.exit_code, finish.confined), (Some(7), Some(true)), "{out}");
        assert!(!out.contains("NamespaceList"), "{out}");
        // What the kernel answers a confined connect: EACCES.
        let (through, _) = access(&gateway, "python3", dir.path());
        let connect = format!(
            "import errno, socket\ntry:\n    socket.create_connection(('127.0.0.1', {}))\n    print('connected')\nexcept OSError as e:\n    print(errno.errorcode.get(e.errno, e.errno))",
            other.port()
        );
        let (out, _) = run(&argv(&["python3", "-c", &connect]), through, true, PATIENCE).await;
        assert_eq!(out, "EACCES");

        // The same curl unconfined reaches it: the refusal above is the kernel's.
        let (through, _) = access(&gateway, "curl", dir.path());
        let (out, finish) = run(&argv(&["curl", "-sS", &url]), through, false, PATIENCE).await;
        assert_eq!((finish.exit_code, finish.confined), (Some(0), None), "{out}");
        assert!(out.contains("NamespaceList"), "{out}");
    });
}
