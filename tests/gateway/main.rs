//! The session's API gateway: commands through the real runner and kubectl
//! against simulators over loopback, each simulator's audit log as the
//! proof of what reached it. Waits are on conditions with generous
//! deadlines; they bound a hang, they do not measure speed.

mod auth;
mod contexts;
mod e2e;
mod fake_api;
mod guard;
mod hostile;
mod journal;
#[path = "../support/kube.rs"]
mod kube_support;
mod previews;
mod read_only;
mod stall;
mod streaming;
mod upgrade;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use runbook::app::background::Background;
use runbook::cluster::connect::ClusterConfig;
use runbook::cluster::gateway::{ApiWrite, Gateway, ReadOnly};
use runbook::cluster::watch::Focus;
use runbook::exec::Planned;
use runbook::exec::runner::{self, Access, Finish, RunEvent};
use runbook::kinds::snapshot::{Connection, Snapshot};
use runbook::sim::{Scenario, SimHandle, Simulator};
use tokio::sync::{mpsc, watch};

pub const PATIENCE: Duration = Duration::from_secs(60);

/// A pod and a deployment in `shop`, and logs that can grow.
pub const SHOP: &str = r#"
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
logs:
  shop/web-1: |
    first line
    second line
phases:
  - when: { step: more-logs }
    logs:
      shop/web-1: "a line written later\n"
"#;

pub fn scenario(yaml: &str) -> Scenario {
    Scenario::from_yaml(yaml, Path::new("test.yaml")).expect("scenario")
}

pub fn loopback() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

/// A simulator writing its audit log to `dir/NAME.audit`.
pub async fn sim(yaml: &str, dir: &Path, name: &str) -> (SimHandle, PathBuf) {
    let audit = dir.join(format!("{name}.audit"));
    let sim = Simulator::start(scenario(yaml), loopback(), Some(audit.clone()))
        .await
        .expect("simulator");
    (sim, audit)
}

/// The audit log's lines as (verb, path?query, status).
pub fn audit(path: &Path) -> Vec<(String, String, u16)> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter_map(|l| {
            let mut parts = l.split_whitespace().skip(1);
            Some((
                parts.next()?.to_string(),
                parts.next()?.to_string(),
                parts.next()?.parse().ok()?,
            ))
        })
        .collect()
}

/// The requests that would change something.
pub fn mutating(path: &Path) -> Vec<(String, String, u16)> {
    audit(path)
        .into_iter()
        .filter(|(verb, _, _)| !matches!(verb.as_str(), "get" | "list" | "watch"))
        .collect()
}

pub fn kubeconfig_for(sim: &SimHandle, dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    sim.write_kubeconfig(&path).expect("kubeconfig");
    path
}

/// A planned command; the runner's own read-only check is off in these
/// tests (`run` passes `false`): the gateway alone must hold the line.
pub fn planned(argv: &[&str]) -> Planned {
    Planned {
        argv: argv.iter().map(|s| s.to_string()).collect(),
        mutating: false,
        read_only_safe: true,
        confirm_word: String::new(),
        ..Planned::default()
    }
}

/// Runs `argv` through the real runner with `access`; its output and end.
pub async fn run(argv: &[&str], access: Access, env: &[(&str, &str)]) -> (String, Finish) {
    let (tx, mut rx) = mpsc::channel(256);
    let env: Vec<(String, String)> = path_for(argv)
        .into_iter()
        .chain(env.iter().map(|(k, v)| (k.to_string(), v.to_string())))
        .collect();
    runner::start(&planned(argv), &env, access, false, PATIENCE, None, tx);
    let mut lines = Vec::new();
    let finish = tokio::time::timeout(PATIENCE, async {
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

/// A credential from `gateway` as the app gives one to a command.
pub fn access(gateway: &Gateway, label: &str, dir: &Path) -> Access {
    let credential = gateway.issue(label, dir).expect("credential");
    Access::Gateway {
        env: credential.env(),
        secret: credential.secret().to_string(),
        held: Box::new(credential),
        port: gateway.addr().port(),
    }
}

/// The server URL a command's kubeconfig names, and the token in its path.
pub fn server_of(kubeconfig: &Path) -> (String, String) {
    let text = std::fs::read_to_string(kubeconfig).expect("kubeconfig");
    let config: serde_json::Value = serde_json::from_str(&text).expect("json");
    let server = config["clusters"][0]["cluster"]["server"]
        .as_str()
        .expect("server")
        .to_string();
    let token = server.rsplit('/').next().expect("a token").to_string();
    (server, token)
}

/// A gateway in front of `sim`, connected the way the switchboard does it.
pub async fn gateway_for(
    sim: &SimHandle,
    read_only: bool,
) -> (Gateway, mpsc::UnboundedReceiver<ApiWrite>) {
    let (gateway, writes) = Gateway::start(ReadOnly::new(read_only))
        .await
        .expect("gateway");
    let kubeconfig = kube::config::Kubeconfig::from_yaml(&sim.kubeconfig_yaml()).expect("yaml");
    let config = kube::Config::from_custom_kubeconfig(kubeconfig, &Default::default())
        .await
        .expect("config");
    let epoch = gateway.connecting(Some("runbook-sim"), Some("shop"));
    gateway.connected(epoch, config, "shop");
    (gateway, writes)
}

/// The writes the gateway has reported so far.
pub fn drain(writes: &mut mpsc::UnboundedReceiver<ApiWrite>) -> Vec<ApiWrite> {
    let mut out = Vec::new();
    while let Ok(w) = writes.try_recv() {
        out.push(w);
    }
    out
}

/// A session's cluster side as the binary builds it, waited on until live.
pub fn background(rt: &tokio::runtime::Runtime, cfg: ClusterConfig) -> Background {
    let mut b = Background::connect(
        cfg,
        Focus {
            namespace: Some("shop".into()),
            ..Focus::default()
        },
    )
    .expect("background");
    rt.block_on(until(&mut b.snapshots, "a live connection", |s| {
        s.connection == Connection::Live
    }));
    b
}

pub async fn until(
    rx: &mut watch::Receiver<Snapshot>,
    what: &str,
    ok: impl Fn(&Snapshot) -> bool,
) -> Snapshot {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        {
            let s = rx.borrow_and_update();
            if ok(&s) {
                return s.clone();
            }
        }
        if tokio::time::timeout_at(deadline, rx.changed())
            .await
            .is_err()
        {
            panic!("never saw {what}: {:?}", rx.borrow().connection);
        }
    }
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

/// A kubectl test goes on with the built kubectl (v1.37.2), or fails
/// loudly where it cannot be built: a silent pass would claim what was
/// never tried. `RUNBOOK_SKIP_CONTROLPLANE=1` alone skips it, saying so.
#[macro_export]
macro_rules! require_kubectl {
    () => {
        if !$crate::kube_support::need_kubectl(module_path!()) {
            return;
        }
    };
}

/// PATH with the built kubectl first, for a command that runs kubectl by
/// name (itself, or through env, timeout or sh): the runner finds programs
/// by PATH, as it does for a responder.
pub fn path_for(argv: &[&str]) -> Option<(String, String)> {
    argv.iter()
        .any(|a| a.contains("kubectl"))
        .then(|| ("PATH".to_string(), kube_support::path_var()))
}
