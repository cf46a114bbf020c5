//! The cluster side of a session runs on its own small runtime, apart from
//! the UI's, so nothing the cluster does can block a key press. The UI only
//! reads the snapshots' watch channel.

use std::sync::Arc;

use tokio::runtime::Runtime;
use tokio::sync::watch;

use crate::cluster::connect::{ClusterConfig, current_context, list_contexts};
use crate::cluster::snapshot::Snapshot;
use crate::cluster::switchboard::Switchboard;
use crate::cluster::watch::Focus;
use crate::sim::{SimHandle, Simulator};

pub struct Background {
    pub snapshots: watch::Receiver<Snapshot>,
    pub context: Option<String>,
    /// Every context in the kubeconfig, for switching from the UI.
    pub contexts: Vec<String>,
    board: Arc<Switchboard>,
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
        Ok(Background::on(runtime()?, cfg, focus))
    }

    fn on(runtime: Runtime, cfg: ClusterConfig, focus: Focus) -> Background {
        let context = current_context(&cfg);
        let contexts = list_contexts(&cfg).unwrap_or_default();
        let cfg = ClusterConfig {
            context: context.clone(),
            ..cfg
        };
        let board = Switchboard::start(runtime.handle().clone(), cfg, focus);
        Background {
            snapshots: board.snapshots(),
            context,
            contexts,
            board,
            sim: None,
            runtime,
        }
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
        let mut background = Background::on(runtime, cfg, focus);
        background.sim = Some(Arc::new(sim));
        Ok(background)
    }

    pub fn set_all_namespaces(&self, all: bool) {
        self.board.set_all_namespaces(all);
    }

    pub fn board(&self) -> Arc<Switchboard> {
        self.board.clone()
    }

    pub fn shutdown(self) {
        self.board.stop();
        drop(self.sim);
        self.runtime
            .shutdown_timeout(std::time::Duration::from_millis(300));
    }
}
