//! What the shell reaches outside the loop through: the clock, the
//! clipboard, commands, and the cluster. The real ports run processes and
//! talk to the API server; tests put fakes in their place and drive the
//! real `run()` with them.

use std::path::PathBuf;

use futures::future::BoxFuture;
use futures::stream::BoxStream;
use tokio::sync::{mpsc, watch};

use crate::cluster::actions::ActionRequest;
use crate::exec::Planned;
use crate::exec::runner::{Access, OutputFile, RunEvent};
use crate::kinds::rows::EventRow;

/// Stops a running command; dropping it does not.
pub type Cancel = Box<dyn FnMut() + Send>;

/// Starts commands. Events arrive on `events`, ending with `Finished`.
pub trait CommandPort: Send {
    fn start(&mut self, run: CommandStart, events: mpsc::Sender<RunEvent>) -> Cancel;
}

/// Everything a command starts with.
pub struct CommandStart {
    pub planned: Planned,
    pub env: Vec<(String, String)>,
    pub read_only: bool,
    /// Confine the command to the gateway's port even when not read-only
    /// (the config's `confineCommands`); read-only always does.
    pub confine: bool,
    pub timeout: std::time::Duration,
    pub output: Option<OutputFile>,
    /// Its way to the cluster (the session's gateway).
    pub access: Access,
}

pub type Lines = Result<Vec<String>, String>;

/// Reads and changes the cluster for details, logs and actions.
pub trait ClusterPort: Send + Sync {
    fn detail(
        &self,
        kind: &'static str,
        namespace: String,
        name: String,
        events: Vec<EventRow>,
        now: i64,
    ) -> BoxFuture<'static, Lines>;
    fn logs(&self, namespace: String, name: String, previous: bool) -> BoxFuture<'static, Lines>;
    /// Batches of lines until the stream ends.
    fn follow(
        &self,
        namespace: String,
        name: String,
    ) -> BoxFuture<'static, Result<BoxStream<'static, Lines>, String>>;
    /// The dry run (`execute` false) or the action itself, reporting its
    /// progress and stopping (a drain) when asked to.
    fn action(
        &self,
        request: ActionRequest,
        execute: bool,
        read_only: bool,
        report: crate::cluster::drain::Reporter,
    ) -> BoxFuture<'static, Result<String, String>>;
}

/// Creates and expires Alertmanager silences for the session's alert.
pub trait SilencePort: Send + Sync {
    fn create(
        &self,
        request: crate::alerts::silence::SilenceRequest,
        read_only: bool,
    ) -> BoxFuture<'static, Result<crate::alerts::silence::Silence, String>>;
    fn expire(&self, id: String, read_only: bool) -> BoxFuture<'static, Result<(), String>>;
}

/// The configured Alertmanager (none: every call says so).
pub struct AlertmanagerSilences {
    pub endpoint: Option<crate::alerts::Endpoint>,
}

impl AlertmanagerSilences {
    fn client(&self) -> Result<crate::alerts::Client, String> {
        let endpoint = self
            .endpoint
            .as_ref()
            .ok_or_else(crate::alerts::endpoint::how_to_configure)?;
        crate::alerts::Client::new(endpoint).map_err(|e| e.to_string())
    }
}

impl SilencePort for AlertmanagerSilences {
    fn create(
        &self,
        request: crate::alerts::silence::SilenceRequest,
        read_only: bool,
    ) -> BoxFuture<'static, Result<crate::alerts::silence::Silence, String>> {
        let client = self.client();
        Box::pin(async move {
            crate::alerts::silence::create(&client?, request, read_only)
                .await
                .map_err(|e| e.to_string())
        })
    }

    fn expire(&self, id: String, read_only: bool) -> BoxFuture<'static, Result<(), String>> {
        let client = self.client();
        Box::pin(async move {
            crate::alerts::silence::expire(&client?, &id, read_only)
                .await
                .map_err(|e| e.to_string())
        })
    }
}

/// Hands the real terminal to a command that needs it and takes it back:
/// the app's input let go of, raw mode and the alternate screen left, then
/// all of it restored (the loop redraws the whole screen after).
pub trait Suspend: Send {
    fn leave(&mut self) -> std::io::Result<()>;
    fn enter(&mut self) -> std::io::Result<()>;
}

/// Looks at the state after each message (tests publish what they wait on).
pub type Observer = Box<dyn FnMut(&crate::app::model::State) + Send>;

pub struct Ports {
    pub clock: Box<dyn Fn() -> jiff::Timestamp + Send>,
    /// Writes an OSC 52 sequence (or records it, in tests).
    pub copy: Box<dyn FnMut(&str) + Send>,
    /// A step was entered.
    pub entered: Box<dyn FnMut(&str) + Send>,
    /// The panes widen to all namespaces, or back.
    pub all_namespaces: Box<dyn FnMut(bool) + Send>,
    /// The kinds the panes on screen and the checks need watched.
    pub watch_kinds: Box<dyn FnMut(Vec<crate::kinds::KindId>) + Send>,
    /// The nodes whose every pod is counted (the nodes pane's).
    pub count_pods: Box<dyn FnMut(Vec<String>) + Send>,
    /// Connect to another kubeconfig context (the snapshots follow).
    pub switch_context: Box<dyn FnMut(String) + Send>,
    pub commands: Box<dyn CommandPort>,
    pub cluster: Box<dyn ClusterPort>,
    pub silences: Box<dyn SilencePort>,
    /// A command's way to the cluster (a gateway credential labelled with
    /// its command line), or why there is none.
    pub access: Box<dyn FnMut(&str) -> Access + Send>,
    /// The changes the session's gateway passed, to journal.
    pub api_writes: Option<mpsc::UnboundedReceiver<crate::cluster::gateway::ApiWrite>>,
    /// A drill's goal reached (held since then), from the simulator.
    pub goal_reached: Option<mpsc::UnboundedReceiver<jiff::Timestamp>>,
    /// Why a drill's simulation stopped (a bug it caught), once.
    pub sim_stopped: Option<mpsc::UnboundedReceiver<String>>,
    /// The session's folder: commands' whole output goes under it.
    pub session_dir: Option<PathBuf>,
    /// Shown the state after every message, so tests wait on state.
    pub observe: Option<Observer>,
    /// The real terminal, for commands that need it (none: they run like
    /// any command, with no terminal).
    pub suspend: Option<Box<dyn Suspend>>,
}

impl Ports {
    /// Real commands, no cluster, nothing else.
    pub fn new(clock: impl Fn() -> jiff::Timestamp + Send + 'static) -> Ports {
        Ports {
            clock: Box::new(clock),
            copy: Box::new(|_| {}),
            entered: Box::new(|_| {}),
            all_namespaces: Box::new(|_| {}),
            watch_kinds: Box::new(|_| {}),
            count_pods: Box::new(|_| {}),
            switch_context: Box::new(|_| {}),
            commands: Box::new(ProcessCommands),
            cluster: Box::new(KubeCluster {
                clients: watch::channel(None).1,
            }),
            silences: Box::new(AlertmanagerSilences { endpoint: None }),
            access: Box::new(|_| Access::Sealed("this session has no cluster gateway".into())),
            api_writes: None,
            goal_reached: None,
            sim_stopped: None,
            session_dir: None,
            observe: None,
            suspend: None,
        }
    }
}

/// Commands as processes, with no shell (`exec::runner`).
pub struct ProcessCommands;

impl CommandPort for ProcessCommands {
    fn start(&mut self, run: CommandStart, events: mpsc::Sender<RunEvent>) -> Cancel {
        let mut running = crate::exec::runner::start(
            &run.planned,
            &run.env,
            run.access,
            crate::exec::runner::Policy {
                read_only: run.read_only,
                confine: run.read_only || run.confine,
            },
            run.timeout,
            run.output,
            events,
        );
        Box::new(move || running.cancel())
    }
}

/// The current context's kube client, through the switchboard's channel.
pub struct KubeCluster {
    pub clients: watch::Receiver<Option<kube::Client>>,
}

const NO_CLUSTER: &str = "no cluster connected";

impl KubeCluster {
    fn client(&self) -> Option<kube::Client> {
        self.clients.borrow().clone()
    }
}

impl ClusterPort for KubeCluster {
    fn detail(
        &self,
        kind: &'static str,
        namespace: String,
        name: String,
        events: Vec<EventRow>,
        now: i64,
    ) -> BoxFuture<'static, Lines> {
        let client = self.client();
        Box::pin(async move {
            let client = client.ok_or(NO_CLUSTER)?;
            crate::cluster::fetch::detail(&client, kind, &namespace, &name, &events, now).await
        })
    }

    fn logs(&self, namespace: String, name: String, previous: bool) -> BoxFuture<'static, Lines> {
        let client = self.client();
        Box::pin(async move {
            let client = client.ok_or(NO_CLUSTER)?;
            crate::cluster::fetch::logs(&client, &namespace, &name, previous).await
        })
    }

    fn follow(
        &self,
        namespace: String,
        name: String,
    ) -> BoxFuture<'static, Result<BoxStream<'static, Lines>, String>> {
        use futures::StreamExt;
        let client = self.client();
        Box::pin(async move {
            let client = client.ok_or(NO_CLUSTER)?;
            let lines = crate::cluster::fetch::follow_logs(&client, &namespace, &name).await?;
            Ok(lines.boxed())
        })
    }

    fn action(
        &self,
        request: ActionRequest,
        execute: bool,
        read_only: bool,
        report: crate::cluster::drain::Reporter,
    ) -> BoxFuture<'static, Result<String, String>> {
        use crate::cluster::actions::{Mutations, execute as run_action, preview};
        let client = self.client();
        Box::pin(async move {
            let client = client.ok_or(NO_CLUSTER)?;
            let permit = Mutations::allow(read_only)
                .ok_or("read-only mode: no change is sent".to_string())?;
            if execute {
                run_action(&client, &request, &permit, report).await
            } else {
                preview(&client, &request, &permit).await
            }
        })
    }
}
