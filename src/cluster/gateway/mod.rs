//! The session's Kubernetes API gateway (DESIGN principle 7: the wire is the
//! safety boundary). Every command the session runs gets a kubeconfig that
//! names this gateway, on loopback, as its only cluster. The gateway
//!
//! - lets a request in only with a live per-command token (401 otherwise),
//! - forwards it through its own kube-rs client for the session's current
//!   context, so the credentials are whatever kube loaded (the command never
//!   sees or runs them) and the context is the one the panes show,
//! - refuses changes and streams in read-only mode on the HTTP request
//!   itself (`gate`), answering a Kubernetes `Status` 403,
//! - reports every change that passed (`ApiWrite`) for the journal, and
//!   every attempt it refused (at most once a second per command, method
//!   and path),
//! - bounds what a command can hold: connections, and watches and streams
//!   (`limit`); a command's streams end with its credential.
//!
//! Responses stream (watch, `logs -f`), and connection upgrades (exec,
//! attach, port-forward over websocket or SPDY) are spliced through.

mod credential;
mod forward;
pub mod gate;
pub mod guard;
mod limit;
pub mod path;
mod record;
mod server;
pub mod status;
mod upstream;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

pub use credential::Credential;
pub use gate::ReadOnly;
pub use record::ApiWrite;

use credential::{Grant, Registry};
use upstream::{Link, Upstream};

/// Request bodies read at once: 8 x 16 MiB bounds what a flood can hold.
const BODY_SLOTS: usize = 8;

#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    #[error("cannot listen on loopback for the API gateway: {0}")]
    Bind(std::io::Error),
    #[error("cannot write a command's kubeconfig in {dir}: {source}")]
    Credential {
        dir: std::path::PathBuf,
        source: std::io::Error,
    },
}

/// What the server's tasks share. Holds no task handle, so the tasks (and
/// credentials) holding it never keep the server alive.
pub(crate) struct Core {
    read_only: ReadOnly,
    tokens: Registry,
    upstream: Mutex<Upstream>,
    /// Bumped with every epoch: long requests of an older epoch end.
    epochs: watch::Sender<u64>,
    /// True once the gateway stops: every connection ends.
    shutdown: watch::Sender<bool>,
    writes: mpsc::UnboundedSender<ApiWrite>,
    /// Request bodies being read at once (each up to `forward::MAX_BODY`).
    body_slots: tokio::sync::Semaphore,
    /// How often a refused attempt is reported and logged.
    refusals: limit::Refusals,
}

impl Core {
    fn upstream(&self) -> MutexGuard<'_, Upstream> {
        // Every change under the lock is one assignment: a poisoned lock
        // still holds a whole value.
        self.upstream.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A handle on the running gateway; clones share it. The server stops when
/// [`Gateway::shutdown`] is called or the last handle is dropped.
#[derive(Clone)]
pub struct Gateway {
    inner: Arc<Running>,
}

struct Running {
    core: Arc<Core>,
    addr: SocketAddr,
    accept: JoinHandle<()>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.core.shutdown.send_replace(true);
        self.accept.abort();
    }
}

/// Where a session stands, for the gateway: an epoch from
/// [`Gateway::connecting`], answered by `connected` or `failed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Epoch(u64);

impl Gateway {
    /// Listens on 127.0.0.1 (a free port). Must be called inside a tokio
    /// runtime; the server's tasks run on it. The receiver gets every
    /// change that passes.
    pub async fn start(
        read_only: ReadOnly,
    ) -> Result<(Gateway, mpsc::UnboundedReceiver<ApiWrite>), GatewayError> {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .map_err(GatewayError::Bind)?;
        let addr = listener.local_addr().map_err(GatewayError::Bind)?;
        let (writes, rx) = mpsc::unbounded_channel();
        let core = Arc::new(Core {
            read_only,
            tokens: Registry::default(),
            upstream: Mutex::new(Upstream::default()),
            epochs: watch::channel(0).0,
            shutdown: watch::channel(false).0,
            writes,
            body_slots: tokio::sync::Semaphore::new(BODY_SLOTS),
            refusals: limit::Refusals::default(),
        });
        let accept = tokio::spawn(server::accept(listener, Arc::clone(&core)));
        tracing::info!(%addr, "API gateway listening");
        let inner = Arc::new(Running { core, addr, accept });
        Ok((Gateway { inner }, rx))
    }

    pub fn addr(&self) -> SocketAddr {
        self.inner.addr
    }

    pub fn read_only(&self) -> &ReadOnly {
        &self.inner.core.read_only
    }

    /// A credential for one command (`label` names it in the journal): a
    /// kubeconfig in `dir` for the current context and namespace.
    pub fn issue(&self, label: &str, dir: &Path) -> Result<Credential, GatewayError> {
        let core = &self.inner.core;
        let upstream = core.upstream().clone();
        let grant = Grant {
            server: format!("http://{}", self.inner.addr),
            context: upstream.context_name(),
            namespace: upstream.namespace.as_deref(),
            epoch: upstream.epoch,
            label,
        };
        Credential::issue(core, dir, grant).map_err(|source| GatewayError::Credential {
            dir: dir.to_path_buf(),
            source,
        })
    }

    /// The session is (re)connecting to `context`: requests wait for
    /// nothing and get a 503 saying so; a new epoch begins, so credentials
    /// and long requests of the previous context end.
    pub fn connecting(&self, context: Option<&str>, namespace: Option<&str>) -> Epoch {
        let core = &self.inner.core;
        let mut upstream = core.upstream();
        let epoch = upstream.epoch + 1;
        *upstream = Upstream {
            epoch,
            context: context.map(str::to_string),
            namespace: namespace.map(str::to_string),
            server: None,
            link: Link::Connecting,
        };
        drop(upstream);
        core.epochs.send_replace(epoch);
        Epoch(epoch)
    }

    /// The connect of `epoch` succeeded: requests go to the cluster
    /// `config` describes, in `namespace` by default. A superseded epoch is
    /// ignored.
    pub fn connected(&self, epoch: Epoch, config: kube::Config, namespace: &str) {
        // As a kubeconfig writes it: `http::Uri` adds a `/` to a bare host.
        let server = config
            .cluster_url
            .to_string()
            .trim_end_matches('/')
            .to_string();
        let link = match upstream::client(config) {
            Ok(client) => Link::Up(client),
            Err(why) => Link::Down(format!("cannot build a client: {why}")),
        };
        let mut upstream = self.inner.core.upstream();
        if upstream.epoch == epoch.0 {
            upstream.link = link;
            upstream.namespace = Some(namespace.to_string());
            upstream.server = Some(server);
        }
    }

    /// The connect of `epoch` failed.
    pub fn failed(&self, epoch: Epoch, reason: &str) {
        let mut upstream = self.inner.core.upstream();
        if upstream.epoch == epoch.0 {
            upstream.link = Link::Down(reason.to_string());
        }
    }

    /// No cluster any more (the session is ending): a new epoch with none.
    pub fn disconnect(&self, reason: &str) {
        let epoch = self.connecting(None, None);
        self.failed(epoch, reason);
    }

    /// Stops serving; open connections and streams end.
    pub fn shutdown(&self) {
        self.inner.core.shutdown.send_replace(true);
        self.inner.accept.abort();
    }
}
