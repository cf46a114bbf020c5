//! The cluster side of a session runs on its own small runtime, apart from
//! the UI's, so nothing the cluster does can block a key press. The UI only
//! reads the snapshots' watch channel. The session's API gateway runs here
//! too, in front of whichever context the switchboard is connected to.

use std::path::PathBuf;
use std::sync::Arc;

use tokio::runtime::Runtime;
use tokio::sync::{mpsc, watch};

use crate::cluster::connect::{ClusterConfig, current_context, list_contexts};
use crate::cluster::gateway::{ApiWrite, Gateway, ReadOnly};
use crate::cluster::snapshot::Snapshot;
use crate::cluster::switchboard::Switchboard;
use crate::cluster::watch::Focus;
use crate::exec::runner::Access;
use crate::sim::{SimHandle, Simulator};

pub struct Background {
    pub snapshots: watch::Receiver<Snapshot>,
    pub context: Option<String>,
    /// Every context in the kubeconfig, for switching from the UI.
    pub contexts: Vec<String>,
    board: Arc<Switchboard>,
    /// Every command's way to the cluster.
    pub gateway: Gateway,
    api_writes: Option<mpsc::UnboundedReceiver<ApiWrite>>,
    pub sim: Option<Arc<SimHandle>>,
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
    /// Connects as kubectl would, in the background: the UI draws at once
    /// and shows "connecting", then live data or why it failed.
    pub fn connect(cfg: ClusterConfig, focus: Focus) -> anyhow::Result<Background> {
        Background::on(runtime()?, cfg, focus)
    }

    /// Without its gateway a session could not keep its commands to its
    /// cluster, so failing to start one fails the session.
    fn on(runtime: Runtime, cfg: ClusterConfig, focus: Focus) -> anyhow::Result<Background> {
        let (gateway, api_writes) = runtime.block_on(Gateway::start(ReadOnly::new(false)))?;
        let context = current_context(&cfg);
        let contexts = list_contexts(&cfg).unwrap_or_default();
        let cfg = ClusterConfig {
            context: context.clone(),
            ..cfg
        };
        let board =
            Switchboard::start_with(runtime.handle().clone(), cfg, focus, Some(gateway.clone()));
        Ok(Background {
            snapshots: board.snapshots(),
            context,
            contexts,
            board,
            gateway,
            api_writes: Some(api_writes),
            sim: None,
            runtime,
        })
    }

    /// Starts the scenario's simulator on a free loopback port and connects
    /// to it through kube-rs, exactly as to a real cluster.
    /// `restore`: the cluster as a resumed drill left it.
    pub fn drill(
        scenario: crate::sim::Scenario,
        focus: Focus,
        kubeconfig: &std::path::Path,
        restore: Option<crate::sim::SavedState>,
    ) -> anyhow::Result<Background> {
        let runtime = runtime()?;
        let listen = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
        let options = crate::sim::SimOptions {
            restore,
            ..Default::default()
        };
        let sim = runtime.block_on(Simulator::start_with(scenario, listen, None, options))?;
        sim.write_kubeconfig(kubeconfig)?;
        let cfg = ClusterConfig {
            kubeconfig: Some(kubeconfig.to_path_buf()),
            context: None,
        };
        let mut background = Background::on(runtime, cfg, focus)?;
        background.sim = Some(Arc::new(sim));
        Ok(background)
    }

    pub fn set_all_namespaces(&self, all: bool) {
        self.board.set_all_namespaces(all);
    }

    pub fn board(&self) -> Arc<Switchboard> {
        self.board.clone()
    }

    /// Read-only from now on, on the wire and for the actions' client.
    pub fn enforce_read_only(&self) {
        self.gateway.read_only().enforce();
    }

    /// Issues each command a gateway credential whose kubeconfig lives in
    /// `dir` (the session's folder) until the command ends.
    pub fn command_access(&self, dir: PathBuf) -> Box<dyn FnMut(&str) -> Access + Send> {
        let gateway = self.gateway.clone();
        Box::new(move |label| match gateway.issue(label, &dir) {
            Ok(credential) => Access::Gateway {
                env: credential.env(),
                secret: credential.secret().to_string(),
                held: Box::new(credential),
            },
            Err(e) => Access::Sealed(e.to_string()),
        })
    }

    /// Switches context; one the config marks read-only turns read-only on
    /// (before the first request can reach it) and nothing turns it off.
    pub fn switcher(&self, config: crate::config::Config) -> Box<dyn FnMut(String) + Send> {
        let (board, read_only) = (self.board(), self.gateway.read_only().clone());
        Box::new(move |context| {
            if config.is_read_only_context(&context) {
                read_only.enforce();
            }
            board.switch(Some(context));
        })
    }

    /// The changes the gateway passes, once (the loop journals them).
    pub fn take_api_writes(&mut self) -> Option<mpsc::UnboundedReceiver<ApiWrite>> {
        self.api_writes.take()
    }

    pub fn shutdown(self) {
        self.board.stop();
        self.gateway.shutdown();
        drop(self.sim);
        self.runtime
            .shutdown_timeout(std::time::Duration::from_millis(300));
    }
}
