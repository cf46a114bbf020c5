//! The session's one line to a cluster, switchable between kubeconfig
//! contexts while the walkthrough runs. The UI holds one snapshots channel
//! and one client channel for the whole session; a switch tears down the
//! old watchers, says "connecting" at once, and connects to the new context
//! in the background. A failed switch is shown, never fatal. The session's
//! API gateway, when there is one, follows every switch (a new epoch, so
//! commands started for the old context cannot reach the new one), and the
//! read-only gate guards the client the UI gets.

use std::sync::{Arc, Mutex, MutexGuard};

use kube::Client;
use tokio::runtime::Handle;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::connect::{ClusterConfig, connect_guarded, context_namespace};
use super::gateway::{Epoch, Gateway};
use super::watch::{ClusterHandle, Focus, spawn_kinds};
use crate::kinds::snapshot::{Connection, Snapshot};

/// Connecting longer than this is reported as a failure (and can be retried).
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

pub struct Switchboard {
    runtime: Handle,
    kubeconfig: Option<std::path::PathBuf>,
    /// Where the panes look (`--namespace` or the playbook's focus); with
    /// neither a namespace nor a node, each context's own default
    /// namespace. Widening lives in `Inner`.
    focus: Focus,
    snapshots: watch::Sender<Snapshot>,
    clients: watch::Sender<Option<Client>>,
    inner: Mutex<Inner>,
    gateway: Option<Gateway>,
}

#[derive(Default)]
struct Inner {
    all_namespaces: bool,
    /// The kinds the panes and checks need (None: the default panes).
    kinds: Option<Vec<crate::kinds::KindId>>,
    /// The nodes the nodes pane shows, whose pods are counted.
    counted: Vec<String>,
    cluster: Option<ClusterHandle>,
    /// Connects, then forwards the cluster's snapshots to the UI's channel.
    link: Option<JoinHandle<()>>,
    /// Bumped by every switch so a slow, superseded connect is dropped.
    generation: u64,
}

impl Switchboard {
    /// Starts connecting to `cfg.context` (or the kubeconfig's current one)
    /// on `runtime`; snapshots say "connecting" until it answers.
    pub fn start(runtime: Handle, cfg: ClusterConfig, focus: Focus) -> Arc<Switchboard> {
        Self::start_with(runtime, cfg, focus, None)
    }

    /// `start`, with the session's gateway following the connection.
    pub fn start_with(
        runtime: Handle,
        cfg: ClusterConfig,
        focus: Focus,
        gateway: Option<Gateway>,
    ) -> Arc<Switchboard> {
        let (snapshots, _) = watch::channel(Snapshot {
            connection: Connection::Connecting,
            context: cfg.context.clone(),
            generation: 1,
            ..Snapshot::default()
        });
        let board = Arc::new(Switchboard {
            runtime,
            kubeconfig: cfg.kubeconfig.clone(),
            focus,
            snapshots,
            clients: watch::channel(None).0,
            inner: Mutex::new(Inner::default()),
            gateway,
        });
        board.switch(cfg.context);
        board
    }

    pub fn snapshots(&self) -> watch::Receiver<Snapshot> {
        self.snapshots.subscribe()
    }

    /// The current context's client (none while connecting or failed).
    pub fn clients(&self) -> watch::Receiver<Option<Client>> {
        self.clients.subscribe()
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn set_all_namespaces(&self, all: bool) {
        let mut inner = self.inner();
        inner.all_namespaces = all;
        if let Some(c) = &inner.cluster {
            c.set_all_namespaces(all);
        }
    }

    /// Counts every pod of these nodes, from now on (and after a switch).
    pub fn set_counted_nodes(&self, nodes: Vec<String>) {
        let mut inner = self.inner();
        inner.counted = nodes.clone();
        if let Some(c) = &inner.cluster {
            c.set_counted_nodes(nodes);
        }
    }

    /// Watches these kinds, and no others, from now on (and after a switch).
    pub fn set_kinds(&self, kinds: Vec<crate::kinds::KindId>) {
        let mut inner = self.inner();
        inner.kinds = Some(kinds.clone());
        if let Some(c) = &inner.cluster {
            c.set_kinds(kinds);
        }
    }

    /// Drops the current context's watchers and connects to `context`
    /// (`None`: the kubeconfig's current context).
    pub fn switch(self: &Arc<Self>, context: Option<String>) {
        let cfg = ClusterConfig {
            kubeconfig: self.kubeconfig.clone(),
            context,
        };
        // The namespace commands get, known before the connect answers.
        let namespace = self.gateway.as_ref().and_then(|_| {
            self.focus
                .namespace
                .clone()
                .or_else(|| context_namespace(&cfg, cfg.context.as_deref()))
        });
        let context = cfg.context.clone();
        let mut inner = self.inner();
        inner.generation += 1;
        let generation = inner.generation;
        if let Some(link) = inner.link.take() {
            link.abort();
        }
        inner.cluster = None;
        // Under the lock, so epochs follow generations in order.
        let epoch = self
            .gateway
            .as_ref()
            .map(|g| g.connecting(context.as_deref(), namespace.as_deref()));
        drop(inner);
        self.clients.send_replace(None);
        let next_generation = self.snapshots.borrow().generation + 1;
        self.snapshots.send_replace(Snapshot {
            connection: Connection::Connecting,
            context: context.clone(),
            namespace: self.focus.namespace.clone(),
            generation: next_generation,
            ..Snapshot::default()
        });
        let board = Arc::clone(self);
        let link = self.runtime.spawn(async move {
            board.link(cfg, generation, epoch).await;
        });
        let mut inner = self.inner();
        if inner.generation == generation {
            inner.link = Some(link);
        } else {
            link.abort();
        }
    }

    /// Stops watching (the link task holds the board, so dropping is not enough).
    pub fn stop(&self) {
        let mut inner = self.inner();
        inner.generation += 1;
        if let Some(link) = inner.link.take() {
            link.abort();
        }
        inner.cluster = None;
        if let Some(gateway) = &self.gateway {
            gateway.disconnect("the session has ended");
        }
    }

    async fn link(self: Arc<Self>, cfg: ClusterConfig, generation: u64, epoch: Option<Epoch>) {
        let guard = self.gateway.as_ref().map(|g| g.read_only());
        let connected = tokio::time::timeout(CONNECT_TIMEOUT, connect_guarded(&cfg, guard))
            .await
            .unwrap_or_else(|_| {
                Err(format!(
                    "connecting took over {}s",
                    CONNECT_TIMEOUT.as_secs()
                ))
            });
        let connected = match connected {
            Ok(c) => c,
            Err(reason) => {
                tracing::warn!(context = ?cfg.context, "cluster: {reason}");
                if let (Some(gateway), Some(epoch)) = (&self.gateway, epoch) {
                    gateway.failed(epoch, &reason);
                }
                let next = self.snapshots.borrow().generation + 1;
                self.snapshots.send_replace(Snapshot {
                    connection: Connection::Failed(reason),
                    context: cfg.context,
                    namespace: self.focus.namespace.clone(),
                    generation: next,
                    ..Snapshot::default()
                });
                return;
            }
        };
        let mut rx = {
            let mut inner = self.inner();
            if inner.generation != generation {
                return;
            }
            let handle = spawn_kinds(
                connected.client.clone(),
                connected.context.clone(),
                Focus {
                    namespace: self.focus.namespace.clone().or_else(|| {
                        self.focus
                            .node
                            .is_none()
                            .then(|| connected.default_namespace.clone())
                    }),
                    node: self.focus.node.clone(),
                    all_namespaces: inner.all_namespaces,
                },
                inner.kinds.clone(),
            );
            let rx = handle.snapshots.clone();
            handle.set_counted_nodes(inner.counted.clone());
            inner.cluster = Some(handle);
            rx
        };
        if let (Some(gateway), Some(epoch)) = (&self.gateway, epoch) {
            let namespace = self
                .focus
                .namespace
                .as_deref()
                .unwrap_or(&connected.default_namespace);
            gateway.connected(epoch, connected.config.clone(), namespace);
        }
        self.clients.send_replace(Some(connected.client));
        // Forward with generations that only go up across switches, so the
        // UI's "skip work when unchanged" never mistakes a new cluster's
        // first snapshot for an old one.
        loop {
            let mut snapshot = rx.borrow_and_update().clone();
            snapshot.generation = self.snapshots.borrow().generation + 1;
            self.snapshots.send_replace(snapshot);
            if rx.changed().await.is_err() {
                return;
            }
        }
    }
}
