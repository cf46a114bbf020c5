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
use crate::cluster::switchboard::Switchboard;
use crate::cluster::watch::Focus;
use crate::exec::runner::Access;
use crate::kinds::snapshot::Snapshot;
use crate::sim::{SimHandle, Simulator};

pub struct Background {
    pub snapshots: watch::Receiver<Snapshot>,
    pub context: Option<String>,
    /// Every context in the kubeconfig, for switching from the UI.
    pub contexts: Vec<String>,
    /// Each context's API server URL, for the journal's records.
    pub servers: std::collections::BTreeMap<String, String>,
    board: Arc<Switchboard>,
    /// Every command's way to the cluster.
    pub gateway: Gateway,
    api_writes: Option<mpsc::UnboundedReceiver<ApiWrite>>,
    goal_reached: Option<mpsc::UnboundedReceiver<jiff::Timestamp>>,
    /// Why the drill's simulation stopped (a caught panic), once.
    sim_stopped: Option<mpsc::UnboundedReceiver<String>>,
    pub sim: Option<Arc<SimHandle>>,
    /// What starting a drill's simulator passed over (a saved cluster that
    /// would not start), for the command to say before the terminal is taken.
    pub notes: Vec<String>,
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
        let servers = crate::cluster::connect::context_servers(&cfg);
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
            servers,
            board,
            gateway,
            api_writes: Some(api_writes),
            goal_reached: None,
            sim_stopped: None,
            sim: None,
            notes: Vec::new(),
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
        let mut notes = Vec::new();
        let sim = match restore {
            None => runtime.block_on(Simulator::start_with(
                scenario,
                listen,
                None,
                crate::sim::SimOptions::default(),
            ))?,
            // A saved cluster that cannot be started (an error, or a bug
            // that panics on it) gives way to the scenario's start.
            Some(saved) => {
                let options = crate::sim::SimOptions {
                    restore: Some(saved),
                    ..Default::default()
                };
                let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    runtime.block_on(Simulator::start_with(
                        scenario.clone(),
                        listen,
                        None,
                        options,
                    ))
                }));
                match attempt {
                    Ok(Ok(sim)) => sim,
                    failed => {
                        let why = match failed {
                            Ok(Err(e)) => e.to_string(),
                            Err(panic) => crate::sim::panic_text(&*panic),
                            Ok(Ok(_)) => unreachable!(),
                        };
                        notes.push(format!(
                            "the drill's saved cluster could not be started ({why}); its cluster starts from the scenario again"
                        ));
                        runtime.block_on(Simulator::start_with(
                            scenario,
                            listen,
                            None,
                            crate::sim::SimOptions::default(),
                        ))?
                    }
                }
            }
        };
        // The trainee's second terminal signs in as `drill`, the app as
        // `runbook`: the simulator tells their changes apart by it.
        sim.write_kubeconfig(kubeconfig)?;
        let own = app_kubeconfig(kubeconfig);
        sim.write_kubeconfig_as(&own, crate::sim::api::write_log::APP_USER)?;
        let cfg = ClusterConfig {
            kubeconfig: Some(own),
            context: None,
        };
        let mut background = Background::on(runtime, cfg, focus)?;
        background.notes = notes;
        let sim = Arc::new(sim);
        background.sim = Some(sim.clone());
        background.follow_drill(sim);
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
                port: gateway.addr().port(),
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

    /// A drill's news for the journal, polled from the simulator: changes
    /// made from outside the app join the gateway's, and the goal's
    /// reaching is sent once.
    fn follow_drill(&mut self, sim: Arc<SimHandle>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let (goal_tx, goal_rx) = mpsc::unbounded_channel();
        let (stopped_tx, stopped_rx) = mpsc::unbounded_channel();
        if let Some(mut gateway) = self.api_writes.take() {
            let tx = tx.clone();
            self.runtime.spawn(async move {
                while let Some(w) = gateway.recv().await {
                    if tx.send(w).is_err() {
                        break;
                    }
                }
            });
        }
        self.runtime.spawn(async move {
            let mut seen = 0;
            let mut reached = false;
            let mut every = tokio::time::interval(std::time::Duration::from_millis(500));
            let mut stopped = false;
            loop {
                every.tick().await;
                // A simulator that stopped (a caught panic) says why in the
                // panes' connection state (its answers are 503 with the
                // reason); the session and its journal go on.
                if !stopped && let Some(reason) = sim.stopped() {
                    stopped = true;
                    tracing::error!("the drill's simulation ended: {reason}");
                    let _ = stopped_tx.send(reason);
                }
                let writes = sim.writes_since(seen);
                seen += writes.len();
                for w in writes.into_iter().filter(|w| !w.from_app()) {
                    if tx.send(outside_write(&w)).is_err() {
                        return;
                    }
                }
                if !reached
                    && let Some(crate::drill::GoalState::Reached { since, .. }) = sim.goal_state()
                {
                    reached = true;
                    let since = goal_since_in_journal_clock(
                        jiff::Timestamp::now(),
                        sim.now().as_second() - since,
                        sim.time_scale(),
                    );
                    if goal_tx.send(since).is_err() {
                        return;
                    }
                }
            }
        });
        self.api_writes = Some(rx);
        self.goal_reached = Some(goal_rx);
        self.sim_stopped = Some(stopped_rx);
    }

    /// Why the drill's simulation stopped, once, if it does.
    pub fn take_sim_stopped(&mut self) -> Option<mpsc::UnboundedReceiver<String>> {
        self.sim_stopped.take()
    }

    /// When a drill's goal was reached (held since), once.
    pub fn take_goal_reached(&mut self) -> Option<mpsc::UnboundedReceiver<jiff::Timestamp>> {
        self.goal_reached.take()
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

/// The app's own kubeconfig beside the trainee's: `NAME-PID.app.kubeconfig`.
pub fn app_kubeconfig(trainee: &std::path::Path) -> PathBuf {
    let name = trainee
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix(".kubeconfig"))
        .unwrap_or("drill");
    trainee.with_file_name(format!("{name}.app.kubeconfig"))
}

/// Who made a change outside the app. kubectl sends no token over plain
/// HTTP, so the trainee's changes are usually anonymous.
fn outside_by(user: &str) -> String {
    match user {
        "anonymous" => "outside runbook".into(),
        user => format!("outside runbook (user {user})"),
    }
}

/// A change the simulator saw from a client other than the app.
fn outside_write(w: &crate::sim::api::write_log::SimWrite) -> ApiWrite {
    let mut write = ApiWrite::new(&w.method, &w.path, &w.body, false, &outside_by(&w.user));
    write.status = w.status;
    write
}

/// When the goal began to hold, in the journal's (wall) clock: it held for
/// `simulated_ago` simulated seconds before now, which took that divided by
/// the scenario's `timeScale` of real time (a scale of 0 or 1 counts them
/// as real seconds). Without the division a sped-up drill's goal seemed to
/// hold from long before the fix, so the fix was never credited.
fn goal_since_in_journal_clock(
    now: jiff::Timestamp,
    simulated_ago: i64,
    scale: f64,
) -> jiff::Timestamp {
    let simulated_ago = simulated_ago.max(0) as f64;
    let real_ago = if scale > 0.0 {
        simulated_ago / scale
    } else {
        simulated_ago
    };
    let ago =
        jiff::SignedDuration::try_from_secs_f64(real_ago).unwrap_or(jiff::SignedDuration::ZERO);
    now.checked_sub(ago).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::goal_since_in_journal_clock;

    #[test]
    fn a_sped_up_drills_goal_time_is_brought_back_to_real_seconds() {
        let now = jiff::Timestamp::from_second(1_800_000_000).expect("time");
        let at = |ago: i64, scale: f64| {
            now.as_second() - goal_since_in_journal_clock(now, ago, scale).as_second()
        };
        // Held 60 simulated seconds at ten times the wall clock: 6 real ones.
        assert_eq!(at(60, 10.0), 6);
        assert_eq!(at(60, 1.0), 60);
        // A stepped clock (tests) counts simulated seconds as they are.
        assert_eq!(at(60, 0.0), 60);
        assert_eq!(at(-5, 1.0), 0);
    }
}
