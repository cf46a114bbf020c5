//! [`SimHandle`]: a running simulator, as the app, the `runbook sim`
//! command and the tests hold it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::JoinHandle;

use super::USER;
use super::api::SimState;
use super::api::write_log::SimWrite;
use super::cluster::state::SavedState;

/// A running simulator. Dropping it stops the server.
pub struct SimHandle {
    pub(super) state: Arc<SimState>,
    pub(super) addr: SocketAddr,
    pub(super) namespace: Option<String>,
    pub(super) scenario: String,
    pub(super) autosave: Arc<Mutex<Option<PathBuf>>>,
    pub(super) server: Option<JoinHandle<()>>,
    pub(super) tasks: Vec<JoinHandle<()>>,
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
        self.kubeconfig_yaml_as(USER)
    }

    /// [`Self::kubeconfig_yaml`] signed in as `user`: the simulator tells
    /// runbook's own changes (`write_log::APP_USER`) from the trainee's by it.
    pub fn kubeconfig_yaml_as(&self, user: &str) -> String {
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
- name: {user}
  user:
    token: {user}-token
contexts:
- name: runbook-sim
  context:
    cluster: runbook-sim
    user: {user}
{namespace}current-context: runbook-sim
preferences: {{}}
",
            url = self.url()
        )
    }

    /// Write [`Self::kubeconfig_yaml`] to `path`, readable only by the owner.
    pub fn write_kubeconfig(&self, path: &Path) -> std::io::Result<()> {
        self.write_kubeconfig_as(path, USER)
    }

    /// The changes made since the `from`th (every one for 0), in order.
    pub fn writes_since(&self, from: usize) -> Vec<SimWrite> {
        let writes = self.state.writes.lock().unwrap_or_else(|p| p.into_inner());
        writes
            .get(from..)
            .map(<[SimWrite]>::to_vec)
            .unwrap_or_default()
    }

    /// [`Self::write_kubeconfig`] signed in as `user`.
    pub fn write_kubeconfig_as(&self, path: &Path, user: &str) -> std::io::Result<()> {
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
        file.write_all(self.kubeconfig_yaml_as(user).as_bytes())?;
        file.sync_all()
    }

    /// Answers one request in process, as the server would over HTTP:
    /// the status and the body (JSON, or `Value::String` for any other
    /// body). For tests that send many requests; not for watches.
    pub async fn request(
        &self,
        method: &str,
        path_and_query: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> (u16, serde_json::Value) {
        use axum::http::{HeaderMap, HeaderValue, Method, Uri, header};
        let method = Method::from_bytes(method.as_bytes()).unwrap_or(Method::GET);
        let uri: Uri = path_and_query
            .parse()
            .unwrap_or_else(|_| Uri::from_static("/"));
        let mut headers = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_str(content_type) {
            headers.insert(header::CONTENT_TYPE, value);
        }
        let response =
            super::api::in_process(self.state.clone(), method, uri, headers, body.into()).await;
        let status = response.status().as_u16();
        let bytes = axum::body::to_bytes(response.into_body(), 64 << 20)
            .await
            .unwrap_or_default();
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(&bytes).into()));
        (status, body)
    }

    /// Why the simulation stopped (a caught panic), if it did.
    pub fn stopped(&self) -> Option<String> {
        self.state.stopped()
    }

    /// Test hook: the next request panics inside the simulator with
    /// `text`, as a bug would (tests prove a drill survives one).
    #[doc(hidden)]
    pub fn panic_on_next_request(&self, text: &str) {
        *self
            .state
            .panic_next
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some(text.to_string());
    }

    /// The responder reached a step: fire its `{step: ID}` phases.
    pub fn reached_step(&self, step: &str) {
        self.state.cluster().reached_step(step);
    }

    /// Moves the simulated clock forward and runs everything that falls
    /// due on the way, in order (the test hook: no test sleeps).
    pub fn advance(&self, by: Duration) {
        self.state.cluster().step(by);
        // The outage flag follows the clock.
        drop(self.state.cluster());
    }

    /// Judge the scenario's goal in the playbook's scope (the drill's
    /// focus) from now on; without it, the `namespace` param's.
    pub fn set_goal_scope(&self, scope: crate::checks::Scope) {
        let mut cluster = self.state.cluster();
        if let Some(referee) = cluster.referee.as_mut() {
            referee.set_scope(scope);
        }
        cluster.touch();
        cluster.settle();
    }

    /// Where the cluster stands against the scenario's goal, as the
    /// simulator judges it (`None`: the scenario has no goal).
    pub fn goal_state(&self) -> Option<crate::drill::GoalState> {
        self.state
            .cluster()
            .referee
            .as_ref()
            .map(|r| r.state().clone())
    }

    /// Simulated time now.
    pub fn now(&self) -> jiff::Timestamp {
        self.state.cluster().now()
    }

    /// Simulated seconds per real second (the scenario's `timeScale`; 0
    /// when only a test steps the clock).
    pub fn time_scale(&self) -> f64 {
        self.state.cluster().clock.scale()
    }

    /// Drop the change history, as an etcd compaction: watches and continue
    /// tokens from before now get 410 Gone.
    pub fn compact_history(&self) {
        self.state.cluster().store.compact();
    }

    /// The current cluster-wide resourceVersion.
    pub fn resource_version(&self) -> u64 {
        self.state.cluster().store.resource_version()
    }

    /// The cluster as it is (objects, logs, clock), to save and restore
    /// with [`super::SimOptions::restore`].
    pub fn export_state(&self) -> SavedState {
        SavedState::of(&self.state.cluster(), &self.scenario)
    }

    /// The state as JSON.
    pub fn export_json(&self) -> serde_json::Value {
        serde_json::to_value(self.export_state()).unwrap_or_default()
    }

    /// Writes the state to `path` now (whole or not at all).
    pub fn save_state(&self, path: &Path) -> std::io::Result<()> {
        self.export_state().write(path)
    }

    /// From now on, keep the state written to `path` while the cluster
    /// changes (at most every two seconds), e.g. beside a drill's journal.
    pub fn autosave_to(&self, path: PathBuf) {
        if let Err(err) = self.save_state(&path) {
            tracing::warn!(
                "cannot save the drill's cluster to {}: {err}",
                path.display()
            );
        }
        *self.autosave.lock().unwrap_or_else(|p| p.into_inner()) = Some(path);
    }

    /// Stop serving: long requests end, then the server stops.
    pub async fn shutdown(mut self) {
        self.save_now();
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

    /// The last changes, written before the simulator goes.
    fn save_now(&self) {
        let path = self
            .autosave
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if let Some(path) = path
            && let Err(err) = self.save_state(&path)
        {
            tracing::warn!(
                "cannot save the drill's cluster to {}: {err}",
                path.display()
            );
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        if self.server.is_some() {
            self.save_now();
        }
        self.state.shutdown.send_replace(true);
        for task in &self.tasks {
            task.abort();
        }
        if let Some(server) = &self.server {
            server.abort();
        }
    }
}
