//! The drill cluster: a scenario served as a Kubernetes API on loopback.
//!
//! The app (and kubectl) talk to it over plain HTTP exactly as to a real API
//! server: discovery, list, watch, get, logs, and the few writes actions need.
//! See docs/scenario-format.md for the scenario files.

mod builtin;
mod diagnostic;
mod events_v1;
mod generate;
mod logs;
mod owners;
mod patch;
mod phase_file;
mod phases;
mod read;
pub mod resources;
pub mod scenario;
pub mod selectors;
mod server;
mod status;
mod store;
mod table;
mod watch;
mod write;

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use serde_json::{Value, json};
use tokio::task::JoinHandle;

pub use builtin::{builtin, builtin_names, load};
pub use diagnostic::ScenarioError;
/// A generated cluster's objects, for benchmarks that need them without a server.
pub use generate::objects as generated_objects;
pub use scenario::{ActionKind, Scenario};

use phases::PhaseBook;
use server::SimState;
use store::{Key, Store};

/// The user the simulator says a request comes from (in 403 messages and the kubeconfig).
pub const USER: &str = "drill";
/// The drill `runbook drill` runs without an argument.
pub const DEFAULT_SCENARIO: &str = "checkout-oom";

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot open the audit log {path}: {source}")]
    Audit {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("capturedAt {0:?} is not an RFC 3339 time")]
    CapturedAt(String),
}

/// Tuning beyond what a scenario says.
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// How many changes a watch can resume from before it gets 410 Gone.
    pub history: usize,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            history: store::DEFAULT_HISTORY,
        }
    }
}

pub struct Simulator;

impl Simulator {
    /// Serve `scenario` on `listen` (port 0 picks a free port). Must be called
    /// inside a tokio runtime; the server runs until [`SimHandle::shutdown`]
    /// or until the handle is dropped.
    pub async fn start(
        scenario: Scenario,
        listen: SocketAddr,
        audit_log: Option<PathBuf>,
    ) -> Result<SimHandle, SimError> {
        Self::start_with(scenario, listen, audit_log, SimOptions::default()).await
    }

    pub async fn start_with(
        scenario: Scenario,
        listen: SocketAddr,
        audit_log: Option<PathBuf>,
        options: SimOptions,
    ) -> Result<SimHandle, SimError> {
        let audit = match audit_log {
            Some(path) => Some(Mutex::new(
                open_audit(&path).map_err(|source| SimError::Audit { path, source })?,
            )),
            None => None,
        };
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|source| SimError::Bind {
                addr: listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| SimError::Bind {
            addr: listen,
            source,
        })?;
        let start = tokio::time::Instant::now();
        let now = Timestamp::now();
        let captured_at = match &scenario.metadata.captured_at {
            Some(text) => Some(
                text.parse::<Timestamp>()
                    .map_err(|_| SimError::CapturedAt(text.clone()))?,
            ),
            None => None,
        };

        let mut store = Store::new(options.history);
        for object in initial_objects(&scenario, captured_at, now) {
            store.upsert(object, now);
        }
        tracing::debug!(objects = store.len(), "scenario loaded");
        let namespace = scenario.metadata.params.get("namespace").cloned();
        let (outage, _) = tokio::sync::watch::channel(false);
        let (shutdown, _) = tokio::sync::watch::channel(false);
        let state = Arc::new(SimState {
            store: Mutex::new(store),
            logs: Mutex::new(scenario.logs.clone()),
            log_appends: tokio::sync::broadcast::channel(256).0,
            forbidden: scenario.faults.forbidden.clone(),
            require_token: scenario.faults.require_token.clone(),
            phases: Mutex::new(PhaseBook::new(scenario.phases.clone(), captured_at)),
            outage,
            shutdown,
            audit,
            server_address: addr.to_string(),
        });

        let mut tasks = Vec::new();
        tasks.extend(spawn_timers(&state, start));
        tasks.extend(spawn_outages(&state, &scenario, start));
        if let Some(g) = scenario.generate.clone()
            && g.events_per_second > 0.0
        {
            tasks.push(spawn_event_stream(&state, g));
        }

        let app = server::router(state.clone());
        let mut stop = state.shutdown.subscribe();
        let server = tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stop.wait_for(|s| *s).await;
                })
                .await;
            if let Err(err) = served {
                tracing::error!("simulator server stopped: {err}");
            }
        });
        tracing::info!(%addr, scenario = %scenario.metadata.name, "simulator listening");
        Ok(SimHandle {
            state,
            addr,
            namespace,
            server: Some(server),
            tasks,
        })
    }
}

fn open_audit(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// The scenario's objects with their times moved to now, the generated ones,
/// and a Namespace for every namespace they use.
fn initial_objects(
    scenario: &Scenario,
    captured_at: Option<Timestamp>,
    now: Timestamp,
) -> Vec<Value> {
    let mut objects: Vec<Value> = scenario.objects.clone();
    if let Some(captured) = captured_at {
        let shift = now.duration_since(captured);
        objects
            .iter_mut()
            .for_each(|o| phases::shift_times(o, shift));
    }
    if let Some(g) = &scenario.generate {
        objects.extend(generate::objects(g, now));
    }
    let mut namespaces: BTreeSet<String> =
        ["default", "kube-node-lease", "kube-public", "kube-system"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    let mut declared = BTreeSet::new();
    let mut oldest = now;
    for o in &objects {
        if let Some(ns) = o["metadata"]["namespace"].as_str() {
            namespaces.insert(ns.to_string());
        }
        if o["kind"] == "Namespace" {
            declared.insert(Key::of(o).name);
        }
        if let Some(t) = o["metadata"]["creationTimestamp"]
            .as_str()
            .and_then(|t| t.parse::<Timestamp>().ok())
        {
            oldest = oldest.min(t);
        }
    }
    let created = store::format_time(oldest);
    for ns in namespaces.difference(&declared) {
        objects.push(json!({
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {
                "name": ns,
                "creationTimestamp": created,
                "labels": { "kubernetes.io/metadata.name": ns }
            },
            "spec": { "finalizers": ["kubernetes"] },
            "status": { "phase": "Active" }
        }));
    }
    objects
}

fn spawn_timers(state: &Arc<SimState>, start: tokio::time::Instant) -> Vec<JoinHandle<()>> {
    let timers = state.phases.lock().map(|b| b.timers()).unwrap_or_default();
    timers
        .into_iter()
        .map(|(index, after)| {
            let state = state.clone();
            tokio::spawn(async move {
                tokio::time::sleep_until(start + after).await;
                phases::on_timer(&state, index);
            })
        })
        .collect()
}

fn spawn_outages(
    state: &Arc<SimState>,
    scenario: &Scenario,
    start: tokio::time::Instant,
) -> Vec<JoinHandle<()>> {
    scenario
        .faults
        .outages
        .iter()
        .map(|outage| {
            let state = state.clone();
            let outage = *outage;
            // An outage from the start is in force before the first request.
            if outage.after.is_zero() {
                state.outage.send_replace(true);
            }
            tokio::spawn(async move {
                tokio::time::sleep_until(start + outage.after).await;
                tracing::info!("outage begins");
                state.outage.send_replace(true);
                tokio::time::sleep_until(start + outage.after + outage.lasting).await;
                tracing::info!("outage ends");
                state.outage.send_replace(false);
            })
        })
        .collect()
}

fn spawn_event_stream(state: &Arc<SimState>, g: scenario::Generate) -> JoinHandle<()> {
    let state = state.clone();
    tokio::spawn(async move {
        // Batches every 100ms keep the rate without a timer per event.
        let mut ticker = tokio::time::interval(Duration::from_millis(100));
        let mut seq = 0u64;
        let mut owed = 0.0f64;
        loop {
            ticker.tick().await;
            owed += g.events_per_second / 10.0;
            let now = Timestamp::now();
            let mut store = state.store();
            while owed >= 1.0 {
                store.upsert(generate::event(&g, seq, now), now);
                seq += 1;
                owed -= 1.0;
            }
        }
    })
}

/// A running simulator. Dropping it stops the server.
pub struct SimHandle {
    state: Arc<SimState>,
    addr: SocketAddr,
    namespace: Option<String>,
    server: Option<JoinHandle<()>>,
    tasks: Vec<JoinHandle<()>>,
}

impl SimHandle {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A kubeconfig whose current context points at this simulator (token
    /// user `drill`, namespace from the scenario's `namespace` param).
    pub fn kubeconfig_yaml(&self) -> String {
        let namespace = self
            .namespace
            .as_deref()
            .map(|ns| format!("    namespace: {ns}\n"))
            .unwrap_or_default();
        format!(
            "apiVersion: v1
kind: Config
clusters:
- name: runbook-sim
  cluster:
    server: {url}
users:
- name: {USER}
  user:
    token: {USER}-token
contexts:
- name: runbook-sim
  context:
    cluster: runbook-sim
    user: {USER}
{namespace}current-context: runbook-sim
preferences: {{}}
",
            url = self.url()
        )
    }

    /// Write [`Self::kubeconfig_yaml`] to `path`, readable only by the owner.
    pub fn write_kubeconfig(&self, path: &Path) -> std::io::Result<()> {
        use std::io::Write;
        let mut options = std::fs::OpenOptions::new();
        options.create(true).write(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(path)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        file.write_all(self.kubeconfig_yaml().as_bytes())?;
        file.sync_all()
    }

    /// The responder reached a step: fire its `{step: ID}` phases.
    pub fn reached_step(&self, step: &str) {
        phases::on_step(&self.state, step);
    }

    /// Drop the change history, as an etcd compaction: watches and continue
    /// tokens from before now get 410 Gone.
    pub fn compact_history(&self) {
        self.state.store().compact();
    }

    /// The current cluster-wide resourceVersion.
    pub fn resource_version(&self) -> u64 {
        self.state.store().resource_version()
    }

    /// Stop serving: long requests end, then the server stops.
    pub async fn shutdown(mut self) {
        self.state.shutdown.send_replace(true);
        for task in self.tasks.drain(..) {
            task.abort();
        }
        if let Some(server) = self.server.take() {
            let aborter = server.abort_handle();
            if tokio::time::timeout(Duration::from_secs(5), server)
                .await
                .is_err()
            {
                aborter.abort();
            }
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        self.state.shutdown.send_replace(true);
        for task in &self.tasks {
            task.abort();
        }
        if let Some(server) = &self.server {
            server.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_are_made_for_the_objects() {
        let scenario = load("node-down").unwrap();
        let now = Timestamp::now();
        let objects = initial_objects(&scenario, None, now);
        let names: Vec<&str> = objects
            .iter()
            .filter(|o| o["kind"] == "Namespace")
            .filter_map(|o| o["metadata"]["name"].as_str())
            .collect();
        assert_eq!(
            names,
            [
                "default",
                "kube-node-lease",
                "kube-public",
                "kube-system",
                "shop"
            ]
        );
    }
}
