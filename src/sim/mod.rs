//! The drill cluster: a scenario served as a Kubernetes API on loopback.
//!
//! Three layers: `scenario` (the file format and loading), `cluster` (the
//! object store, its one clock, the controllers and the kubelet, behind
//! one lock) and `api` (the HTTP handlers). The app (and kubectl) talk to
//! it over plain HTTP exactly as to a real API server. See
//! docs/scenario-format.md for the scenario files.

pub mod api;
pub mod cluster;
pub mod scenario;

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use serde_json::{Value, json};
use tokio::task::JoinHandle;

use api::SimState;
pub use cluster::state::{Recovered, SavedState, StateError, recover as recover_state};
use cluster::{Clock, Cluster, Key, Logs, Parts, Store};
pub use scenario::builtin::{builtin, builtin_names, load};
pub use scenario::diagnostic::ScenarioError;
/// A generated cluster's objects, for benchmarks that need them without a server.
pub use scenario::generate::objects as generated_objects;
pub use scenario::{Generate, Scenario};

/// The text of a caught panic.
pub fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    api::panic_text(panic)
}

/// The user the simulator says a request comes from (in 403 messages and the kubeconfig).
pub const USER: &str = "drill";
/// The file a drill's cluster state is kept in, beside its journal.
pub const STATE_FILE: &str = "cluster.json";
/// The drill `runbook drill` runs without an argument.
pub const DEFAULT_SCENARIO: &str = "checkout-oom";
/// How often the cluster is brought up to its clock when nobody asks
/// (watchers see a crash when it happens, not at the next request).
const TICK: Duration = Duration::from_millis(250);
/// How often an autosaved state is written, at most.
const AUTOSAVE_EVERY: Duration = Duration::from_secs(2);

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
    #[error(transparent)]
    State(#[from] StateError),
}

/// Tuning beyond what a scenario says.
#[derive(Debug, Clone, Default)]
pub struct SimOptions {
    /// How many changes a watch can resume from before it gets 410 Gone
    /// (0: the default).
    pub history: usize,
    /// Simulated time stands still until [`SimHandle::advance`] moves it
    /// (tests), whatever the scenario's `timeScale`.
    pub manual_clock: bool,
    /// Start from a saved state instead of the scenario's objects.
    pub restore: Option<SavedState>,
    /// Keep writing the state here while the cluster changes.
    pub autosave: Option<PathBuf>,
    /// No kubelet: a control plane without node agents (see `Cluster::kubelet`).
    pub without_kubelet: bool,
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
        let cluster = build_cluster(&scenario, &options)?;
        tracing::debug!(objects = cluster.store.len(), "scenario loaded");
        let namespace = scenario.metadata.params.get("namespace").cloned();
        let (outage, _) = tokio::sync::watch::channel(cluster.outage());
        let (shutdown, _) = tokio::sync::watch::channel(false);
        let state = Arc::new(SimState {
            cluster: Mutex::new(cluster),
            forbidden: scenario.faults.forbidden.clone(),
            require_token: scenario.faults.require_token.clone(),
            outage,
            shutdown,
            audit,
            server_address: addr.to_string(),
            alerts: scenario.alerts.clone(),
            silences: Mutex::new(Vec::new()),
            writes: Mutex::new(Vec::new()),
            stopped: Mutex::new(None),
            panic_next: Mutex::new(None),
        });
        let autosave = Arc::new(Mutex::new(options.autosave.clone()));
        let name = scenario.metadata.name.clone();
        let mut tasks = vec![spawn_ticker(&state, autosave.clone(), name.clone())];
        if let Some(g) = scenario.generate.clone()
            && g.events_per_second > 0.0
        {
            tasks.push(spawn_event_stream(&state, g));
        }
        let app = api::router(state.clone());
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
        tracing::info!(%addr, scenario = %name, "simulator listening");
        Ok(SimHandle {
            state,
            addr,
            namespace,
            scenario: name,
            autosave,
            server: Some(server),
            tasks,
        })
    }
}

fn build_cluster(scenario: &Scenario, options: &SimOptions) -> Result<Cluster, SimError> {
    let wall = Timestamp::now();
    let captured_at = match &scenario.metadata.captured_at {
        Some(text) => Some(
            text.parse::<Timestamp>()
                .map_err(|_| SimError::CapturedAt(text.clone()))?,
        ),
        None => None,
    };
    let scale = if options.manual_clock {
        0.0
    } else {
        scenario.time_scale
    };
    let history = if options.history == 0 {
        cluster::store::DEFAULT_HISTORY
    } else {
        options.history
    };
    let mut store = Store::new(history);
    let mut rules = scenario.rules.clone();
    if let Some(g) = &scenario.generate {
        let generated = scenario::generate::rules(g);
        rules.registry = rules.registry.or(generated.registry);
        rules.workloads.extend(generated.workloads);
    }
    let parts = match &options.restore {
        Some(saved) => {
            if saved.scenario != scenario.metadata.name {
                return Err(StateError::Scenario {
                    saved: saved.scenario.clone(),
                    wanted: scenario.metadata.name.clone(),
                }
                .into());
            }
            // The drill was away; its cluster was not. Every time moves so
            // that the moment it was saved is now: ages and back-offs go
            // on where they were.
            let shift = wall.duration_since(saved.now);
            for object in &saved.objects {
                let mut object = object.clone();
                cluster::phases_shift(&mut object, shift);
                // A cluster saved before the simulator defaulted objects.
                cluster::defaults::apply(&mut object);
                store.upsert(object, wall);
            }
            let logs = saved
                .logs
                .iter()
                .map(|(k, v)| (k.clone(), shift_log(v, shift)))
                .collect();
            let start = saved.start.checked_add(shift).unwrap_or(wall);
            let mut clock = Clock::new(start, scale);
            clock.step(Duration::try_from(wall.duration_since(start)).unwrap_or_default());
            let pulls = saved
                .pulls
                .iter()
                .map(|(k, p)| {
                    let mut p = *p;
                    p.last += shift.as_secs();
                    (k.clone(), p)
                })
                .collect();
            Parts {
                store,
                clock,
                rules: rules.clone(),
                logs: Logs::new(logs),
                phases: scenario.phases.clone(),
                fired: saved.fired.clone(),
                captured_at,
                outages: scenario.faults.outages.clone(),
                pulls,
                applied: saved.applied.clone(),
                seq: saved.seq,
                run_from: None,
                controllers: scenario.generate.is_none(),
                referee: cluster::referee::Referee::new(
                    scenario.goal.as_ref(),
                    &scenario.metadata.params,
                ),
            }
        }
        None => {
            // With a `history` the cluster starts that long ago and runs up
            // to now before the drill begins: the incident is under way.
            let history = jiff::SignedDuration::try_from(scenario.history).unwrap_or_default();
            let start = wall.checked_sub(history).unwrap_or(wall);
            for object in initial_objects(scenario, captured_at, start) {
                // As if created through the API server: defaulted.
                let mut object = store.prepare(object, start);
                cluster::defaults::on_create(&mut object);
                store.upsert(object, start);
            }
            cluster::adopt_involved_uids(&mut store, start);
            let shift = captured_at.map(|c| wall.duration_since(c));
            let logs = scenario
                .logs
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        shift.map_or_else(|| v.clone(), |s| shift_log(v, s)),
                    )
                })
                .collect();
            let mut clock = Clock::new(start, scale);
            clock.step(scenario.history);
            Parts {
                store,
                clock,
                rules: rules.clone(),
                logs: Logs::new(logs),
                phases: scenario.phases.clone(),
                fired: Vec::new(),
                captured_at,
                outages: scenario.faults.outages.clone(),
                pulls: Default::default(),
                applied: Default::default(),
                seq: 0,
                run_from: (!scenario.history.is_zero()).then_some(start),
                controllers: scenario.generate.is_none(),
                referee: cluster::referee::Referee::new(
                    scenario.goal.as_ref(),
                    &scenario.metadata.params,
                ),
            }
        }
    };
    let mut cluster = Cluster::new(parts);
    cluster.kubelet = !options.without_kubelet;
    Ok(cluster)
}

fn shift_log(text: &scenario::LogText, shift: jiff::SignedDuration) -> scenario::LogText {
    use scenario::LogText;
    let moved = |t: &Option<String>| t.as_deref().map(|t| cluster::shift_log_lines(t, shift));
    match text {
        LogText::Text(t) => LogText::Text(cluster::shift_log_lines(t, shift)),
        LogText::Split { current, previous } => LogText::Split {
            current: moved(current),
            previous: moved(previous),
        },
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
    // Stored as the API server would have stored them.
    objects.iter_mut().for_each(cluster::defaults::apply);
    if let Some(captured) = captured_at {
        let shift = now.duration_since(captured);
        objects
            .iter_mut()
            .for_each(|o| cluster::phases_shift(o, shift));
    }
    if let Some(g) = &scenario.generate {
        objects.extend(scenario::generate::objects(g, now));
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
    let created = cluster::store::format_time(oldest);
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
    let declared_api = objects.iter().any(|o| {
        o["kind"] == "Service"
            && o["metadata"]["namespace"] == "default"
            && o["metadata"]["name"] == "kubernetes"
    });
    if !declared_api {
        objects.extend(api_server_service(&created));
    }
    // What the API server would have written into them as they were created.
    objects
        .iter_mut()
        .for_each(cluster::defaults::kinds::on_write);
    objects
}

/// The address the API server advertises (`--advertise-address`), the
/// one endpoint of `default/kubernetes`.
const API_SERVER_ADDRESS: &str = "10.0.0.2";

/// `default/kubernetes`, its EndpointSlice and Endpoints, as kube-apiserver's
/// bootstrap controller writes them (the first address of
/// `--service-cluster-ip-range=10.96.0.0/12`, https 443 to the secure port).
fn api_server_service(created: &str) -> [Value; 3] {
    [
        json!({
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {
                "name": "kubernetes",
                "namespace": "default",
                "creationTimestamp": created,
                "labels": { "component": "apiserver", "provider": "kubernetes" }
            },
            "spec": {
                "clusterIP": "10.96.0.1",
                "clusterIPs": ["10.96.0.1"],
                "internalTrafficPolicy": "Cluster",
                "ipFamilies": ["IPv4"],
                "ipFamilyPolicy": "SingleStack",
                "ports": [ { "name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443 } ],
                "sessionAffinity": "None",
                "type": "ClusterIP"
            },
            "status": { "loadBalancer": {} }
        }),
        json!({
            "apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice",
            "metadata": {
                "name": "kubernetes",
                "namespace": "default",
                "creationTimestamp": created,
                "generation": 1,
                "labels": { "kubernetes.io/service-name": "kubernetes" }
            },
            "addressType": "IPv4",
            "endpoints": [ { "addresses": [API_SERVER_ADDRESS], "conditions": { "ready": true } } ],
            "ports": [ { "name": "https", "port": 6443, "protocol": "TCP" } ]
        }),
        json!({
            "apiVersion": "v1",
            "kind": "Endpoints",
            "metadata": {
                "name": "kubernetes",
                "namespace": "default",
                "creationTimestamp": created,
                "labels": { "endpointslice.kubernetes.io/skip-mirror": "true" }
            },
            "subsets": [ {
                "addresses": [ { "ip": API_SERVER_ADDRESS } ],
                "ports": [ { "name": "https", "port": 6443, "protocol": "TCP" } ]
            } ]
        }),
    ]
}

/// Brings the cluster up to its clock a few times a second (so a crash is
/// seen when it happens) and writes the autosaved state when it changed.
fn spawn_ticker(
    state: &Arc<SimState>,
    autosave: Arc<Mutex<Option<PathBuf>>>,
    scenario: String,
) -> JoinHandle<()> {
    let state = state.clone();
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(TICK);
        let mut saved_rv = 0u64;
        let mut last_save = std::time::Instant::now() - AUTOSAVE_EVERY;
        loop {
            ticker.tick().await;
            if state.stopped().is_some() {
                return;
            }
            let path = autosave.lock().unwrap_or_else(|p| p.into_inner()).clone();
            // Bringing the cluster up to its clock runs the controllers: a
            // bug that panics there ends the simulation, not the app.
            let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                drop(state.cluster());
            }));
            if let Err(panic) = caught {
                state.stop(api::panic_text(&*panic));
                return;
            }
            let cluster = state.cluster();
            let Some(path) = path else {
                continue;
            };
            let rv = cluster.store.resource_version();
            if rv == saved_rv || last_save.elapsed() < AUTOSAVE_EVERY {
                continue;
            }
            let saved = SavedState::of(&cluster, &scenario);
            drop(cluster);
            match saved.write(&path) {
                Ok(()) => {
                    saved_rv = rv;
                    last_save = std::time::Instant::now();
                }
                Err(err) => tracing::warn!(
                    "cannot save the drill's cluster to {}: {err}",
                    path.display()
                ),
            }
        }
    })
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
            let mut cluster = state.cluster();
            let now = cluster.now();
            while owed >= 1.0 {
                cluster
                    .store
                    .upsert(scenario::generate::event(&g, seq, now), now);
                seq += 1;
                owed -= 1.0;
            }
        }
    })
}

mod handle;
pub use handle::SimHandle;
