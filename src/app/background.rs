//! The cluster side of a session runs on its own small runtime, apart from
//! the UI's, so nothing the cluster does can block a key press. The UI only
//! reads the snapshots' watch channel.

use std::sync::Arc;

use tokio::runtime::Runtime;
use tokio::sync::watch;

use crate::cluster::connect::{ClusterConfig, connect};
use crate::cluster::snapshot::{Connection, Snapshot};
use crate::cluster::watch::{ClusterHandle, Focus, spawn};
use crate::sim::{SimHandle, Simulator};

pub struct Background {
    pub snapshots: watch::Receiver<Snapshot>,
    pub context: Option<String>,
    cluster: Option<ClusterHandle>,
    pub sim: Option<Arc<SimHandle>>,
    _failed: Option<watch::Sender<Snapshot>>,
    // Dropped last: the tasks above live on it.
    runtime: Runtime,
}

fn runtime() -> anyhow::Result<Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("cluster")
        .enable_all()
        .build()?)
}

impl Background {
    /// Connects as kubectl would; a failure is shown in the UI, not fatal.
    pub fn connect(cfg: ClusterConfig, namespace: Option<String>) -> anyhow::Result<Background> {
        let runtime = runtime()?;
        let connected = runtime.block_on(async {
            tokio::time::timeout(std::time::Duration::from_secs(10), connect(&cfg))
                .await
                .unwrap_or_else(|_| Err("connecting took over 10s".into()))
        });
        match connected {
            Ok(c) => {
                let ns = namespace.or(Some(c.default_namespace.clone()));
                let handle = {
                    let _guard = runtime.enter();
                    spawn(
                        c.client,
                        c.context.clone(),
                        Focus {
                            namespace: ns,
                            all_namespaces: false,
                        },
                    )
                };
                Ok(Background {
                    snapshots: handle.snapshots.clone(),
                    context: c.context,
                    cluster: Some(handle),
                    sim: None,
                    _failed: None,
                    runtime,
                })
            }
            Err(reason) => {
                tracing::warn!("cluster: {reason}");
                let (tx, rx) = watch::channel(Snapshot {
                    connection: Connection::Failed(reason),
                    generation: 1,
                    ..Snapshot::default()
                });
                Ok(Background {
                    snapshots: rx,
                    context: cfg.context,
                    cluster: None,
                    sim: None,
                    _failed: Some(tx),
                    runtime,
                })
            }
        }
    }

    /// Starts the scenario's simulator on a free loopback port and connects
    /// to it through kube-rs, exactly as to a real cluster.
    pub fn drill(
        scenario: crate::sim::Scenario,
        namespace: Option<String>,
        kubeconfig: &std::path::Path,
    ) -> anyhow::Result<Background> {
        let runtime = runtime()?;
        let listen = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
        let sim = runtime.block_on(Simulator::start(scenario, listen, None))?;
        sim.write_kubeconfig(kubeconfig)?;
        let cfg = ClusterConfig {
            kubeconfig: Some(kubeconfig.to_path_buf()),
            context: None,
        };
        let connected = runtime
            .block_on(connect(&cfg))
            .map_err(|e| anyhow::anyhow!("cannot connect to the drill's simulator: {e}"))?;
        let handle = {
            let _guard = runtime.enter();
            spawn(
                connected.client,
                connected.context.clone(),
                Focus {
                    namespace,
                    all_namespaces: false,
                },
            )
        };
        Ok(Background {
            snapshots: handle.snapshots.clone(),
            context: connected.context,
            cluster: Some(handle),
            sim: Some(Arc::new(sim)),
            _failed: None,
            runtime,
        })
    }

    pub fn set_all_namespaces(&self, all: bool) {
        if let Some(c) = &self.cluster {
            c.set_all_namespaces(all);
        }
    }

    pub fn focus(&self) -> Option<watch::Sender<Focus>> {
        self.cluster.as_ref().map(ClusterHandle::focus_sender)
    }

    pub fn client(&self) -> Option<kube::Client> {
        self.cluster.as_ref().map(|c| c.client.clone())
    }

    pub fn shutdown(self) {
        drop(self.cluster);
        drop(self.sim);
        self.runtime
            .shutdown_timeout(std::time::Duration::from_millis(300));
    }
}
