//! The loop: one `select!` over input, journal answers, cluster snapshots
//! and the clock. Generic over the input stream and the backend, so tests
//! drive whole sessions with scripted keys into `TestBackend`.

use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{Event as TermEvent, KeyEventKind};
use tokio::sync::{mpsc, watch};
use tokio::time::{Instant, MissedTickBehavior};

use super::state::{Effect, Msg, State};
use super::update::update;
use crate::cluster::snapshot::Snapshot;
use crate::journal::actor::JournalHandle;

/// At most ~10 frames a second for cluster changes.
const CLUSTER_FRAME: Duration = Duration::from_millis(100);

/// What the loop does on behalf of `update`'s effects.
pub struct Hooks {
    pub clock: Box<dyn Fn() -> jiff::Timestamp + Send>,
    /// Writes an OSC 52 sequence (or records it, in tests).
    pub copy: Box<dyn FnMut(&str) + Send>,
    /// A step was entered (drills advance their scenario).
    pub entered: Box<dyn FnMut(&str) + Send>,
    /// The panes widen to all namespaces, or back.
    pub all_namespaces: Box<dyn FnMut(bool) + Send>,
    /// Connect to another kubeconfig context (the snapshots follow).
    pub switch_context: Box<dyn FnMut(String) + Send>,
    /// The current context's client, for details, logs and actions; none
    /// without a cluster or while connecting.
    pub clients: watch::Receiver<Option<kube::Client>>,
    /// A command's way to the cluster (a gateway credential labelled with
    /// its command line), or why there is none.
    pub access: Box<dyn FnMut(&str) -> crate::exec::runner::Access + Send>,
    /// The changes the session's gateway passed, to journal.
    pub api_writes: Option<mpsc::UnboundedReceiver<crate::cluster::gateway::ApiWrite>>,
}

impl Hooks {
    pub fn new(clock: impl Fn() -> jiff::Timestamp + Send + 'static) -> Hooks {
        Hooks {
            clock: Box::new(clock),
            copy: Box::new(|_| {}),
            entered: Box::new(|_| {}),
            all_namespaces: Box::new(|_| {}),
            switch_context: Box::new(|_| {}),
            clients: watch::channel(None).1,
            access: Box::new(|_| {
                crate::exec::runner::Access::Sealed("this session has no cluster gateway".into())
            }),
            api_writes: None,
        }
    }

    pub fn client(&self) -> Option<kube::Client> {
        self.clients.borrow().clone()
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub draws: u64,
}

/// Runs until the state says quit (or input ends: a hang-up).
#[allow(clippy::too_many_arguments)]
pub async fn run<B, S>(
    terminal: &mut Terminal<B>,
    mut input: S,
    state: &mut State,
    journal: JournalHandle,
    mut snapshots: Option<watch::Receiver<Snapshot>>,
    mut hooks: Hooks,
    tx: mpsc::UnboundedSender<Msg>,
    mut rx: mpsc::UnboundedReceiver<Msg>,
) -> io::Result<Stats>
where
    B: Backend,
    B::Error: std::fmt::Display,
    S: Stream<Item = io::Result<TermEvent>> + Unpin,
{
    let mut stats = Stats::default();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut dirty = true;
    let mut last_draw: Option<Instant> = None;
    let mut throttled_until: Option<Instant> = None;
    let mut shown_second = -1i64;
    let mut running: Option<crate::exec::runner::Running> = None;
    // When the next check job may start: a job waits as long as the last
    // one took, so the worker is busy at most half the time however often
    // a large cluster changes.
    let checks_not_before: Arc<Mutex<Option<std::time::Instant>>> = Arc::default();
    // The one followed log; aborted when another starts or the view closes.
    let mut follow: Option<tokio::task::JoinHandle<()>> = None;
    if let Ok(size) = terminal.size() {
        state.size = (size.width, size.height);
    }
    if let Some(mut writes) = hooks.api_writes.take() {
        let tx = tx.clone();
        tokio::spawn(async move {
            while let Some(write) = writes.recv().await {
                if tx.send(Msg::ApiWrite(Box::new(write))).is_err() {
                    break;
                }
            }
        });
    }
    if let Some(rx) = &mut snapshots {
        // Through the queue, so its effects (a check job) are carried out.
        let first = rx.borrow_and_update().clone();
        let _ = tx.send(Msg::Cluster(Box::new(first)));
    }
    loop {
        if dirty && throttled_until.is_none() {
            terminal
                .draw(|f| crate::ui::view(state, f))
                .map_err(|e| io::Error::other(e.to_string()))?;
            stats.draws += 1;
            dirty = false;
            last_draw = Some(Instant::now());
            shown_second = state.elapsed_secs();
        }
        if state.quit {
            return Ok(stats);
        }
        let throttle = throttled_until;
        let msg = tokio::select! {
            biased;
            Some(msg) = rx.recv() => msg,
            event = input.next(), if !state.pending => match event {
                Some(Ok(TermEvent::Key(key))) if key.kind != KeyEventKind::Release => Msg::Key(key),
                Some(Ok(TermEvent::Resize(w, h))) => Msg::Resize(w, h),
                Some(Ok(_)) => continue,
                Some(Err(e)) => Msg::Hangup(format!("terminal error: {e}")),
                None => Msg::Hangup("input closed".into()),
            },
            _ = async { tokio::time::sleep_until(throttle.unwrap_or_else(Instant::now)).await }, if throttle.is_some() => {
                throttled_until = None;
                continue;
            }
            changed = async {
                match snapshots.as_mut() {
                    Some(rx) => rx.changed().await.map(|_| rx.borrow_and_update().clone()),
                    None => std::future::pending().await,
                }
            } => match changed {
                Ok(snapshot) => Msg::Cluster(Box::new(snapshot)),
                Err(_) => {
                    snapshots = None;
                    Msg::TaskFailed("the cluster connection task stopped".into())
                }
            },
            _ = tick.tick() => Msg::Tick((hooks.clock)()),
        };
        let is_cluster = matches!(msg, Msg::Cluster(_));
        // The responder's own keys never wait behind the cluster's frame
        // budget: a key's frame is drawn at once, cluster changes included.
        let is_input = matches!(msg, Msg::Key(_) | Msg::Resize(..));
        let is_tick = matches!(msg, Msg::Tick(_));
        let overlays_before = state.overlays.len();
        for effect in update(state, msg) {
            let effect_kind = if matches!(effect, Effect::ExecuteAction(_)) {
                EffectKind::Execute
            } else {
                EffectKind::Other
            };
            match effect {
                Effect::Journal(events) => {
                    let (handle, tx) = (journal.clone(), tx.clone());
                    let (seq, at) = (state.session.next_seq(), (hooks.clock)());
                    tokio::spawn(async move {
                        let result = handle
                            .append(seq, at, events)
                            .await
                            .map_err(|e| e.to_string());
                        let _ = tx.send(Msg::Journaled(result));
                    });
                }
                Effect::Copy(text) => (hooks.copy)(&text),
                Effect::EnteredStep(step) => (hooks.entered)(&step),
                Effect::RunCommand(planned) => {
                    let (out_tx, mut out_rx) = mpsc::channel(256);
                    let access = (hooks.access)(&planned.display());
                    running = Some(crate::exec::runner::start(
                        &planned,
                        &state.command_env,
                        access,
                        state.read_only,
                        state.command_timeout,
                        out_tx,
                    ));
                    let tx = tx.clone();
                    tokio::spawn(async move {
                        while let Some(event) = out_rx.recv().await {
                            if tx.send(Msg::Command(event)).is_err() {
                                break;
                            }
                        }
                    });
                }
                Effect::CancelCommand => {
                    if let Some(r) = running.as_mut() {
                        r.cancel();
                    }
                }
                Effect::AllNamespaces(all) => (hooks.all_namespaces)(all),
                Effect::EvaluateChecks(job) => {
                    let (tx, not_before) = (tx.clone(), checks_not_before.clone());
                    tokio::task::spawn_blocking(move || {
                        let lock = |m: &Mutex<_>| *m.lock().unwrap_or_else(|p| p.into_inner());
                        if let Some(at) = lock(&not_before) {
                            std::thread::sleep(
                                at.saturating_duration_since(std::time::Instant::now()),
                            );
                        }
                        let started = std::time::Instant::now();
                        let evaluated = job.run();
                        let took = started.elapsed();
                        tracing::debug!(?took, ran = evaluated.ran, "checks evaluated");
                        *not_before.lock().unwrap_or_else(|p| p.into_inner()) =
                            Some(std::time::Instant::now() + took);
                        let _ = tx.send(Msg::Checked(Box::new(evaluated)));
                    });
                }
                Effect::SwitchContext(context) => {
                    if let Some(old) = follow.take() {
                        old.abort();
                    }
                    (hooks.switch_context)(context);
                }
                Effect::FetchDetail(kind, ns, name) => {
                    let events: Vec<crate::cluster::rows::EventRow> = state
                        .snapshot
                        .as_ref()
                        .map(|s| s.events.rows.iter().map(|e| (**e).clone()).collect())
                        .unwrap_or_default();
                    let (client, tx, now) = (hooks.client(), tx.clone(), state.now.as_second());
                    tokio::spawn(async move {
                        let result = match client {
                            Some(c) => {
                                crate::cluster::fetch::detail(&c, kind, &ns, &name, &events, now)
                                    .await
                            }
                            None => Err("no cluster connected".into()),
                        };
                        let _ = tx.send(Msg::Detail(result));
                    });
                }
                Effect::FetchLogs(ns, name, previous) => {
                    let (client, tx) = (hooks.client(), tx.clone());
                    tokio::spawn(async move {
                        let result = match client {
                            Some(c) => crate::cluster::fetch::logs(&c, &ns, &name, previous).await,
                            None => Err("no cluster connected".into()),
                        };
                        let _ = tx.send(Msg::Detail(result));
                    });
                }
                Effect::FollowLogs(stream, ns, name) => {
                    if let Some(old) = follow.take() {
                        old.abort();
                    }
                    follow = Some(spawn_follow(hooks.client(), stream, ns, name, tx.clone()));
                }
                Effect::StopLogs => {
                    if let Some(old) = follow.take() {
                        old.abort();
                    }
                }
                Effect::PreviewAction(request) | Effect::ExecuteAction(request) => {
                    let execute = matches!(effect_kind, EffectKind::Execute);
                    spawn_action(
                        hooks.client(),
                        request,
                        execute,
                        state.read_only,
                        tx.clone(),
                    );
                }
                Effect::Quit => {}
            }
        }
        if is_tick {
            // The clock is the only thing a tick can change on screen.
            dirty |=
                state.elapsed_secs() != shown_second || state.overlays.len() != overlays_before;
        } else {
            dirty = true;
        }
        if is_input {
            throttled_until = None;
        } else if is_cluster
            && let Some(last) = last_draw
            && last.elapsed() < CLUSTER_FRAME
        {
            throttled_until = Some(last + CLUSTER_FRAME);
        }
    }
}

/// OSC 52: set the clipboard through the terminal, wrapped for tmux so it
/// works in a multiplexer and over SSH.
pub fn osc52(text: &str, in_tmux: bool) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(text);
    if in_tmux {
        format!("\x1bPtmux;\x1b\x1b]52;c;{b64}\x07\x1b\\")
    } else {
        format!("\x1b]52;c;{b64}\x07")
    }
}

/// Streams a pod's logs into `Msg::LogLines` until the stream ends.
fn spawn_follow(
    client: Option<kube::Client>,
    stream: u64,
    namespace: String,
    name: String,
    tx: mpsc::UnboundedSender<Msg>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let Some(client) = client else {
            let _ = tx.send(Msg::LogsEnded(stream, "no cluster connected".into()));
            return;
        };
        let lines = match crate::cluster::fetch::follow_logs(&client, &namespace, &name).await {
            Ok(lines) => lines,
            Err(e) => {
                let _ = tx.send(Msg::LogsEnded(stream, e));
                return;
            }
        };
        futures::pin_mut!(lines);
        let mut why = "the stream ended (the container stopped or the API closed it)".to_string();
        while let Some(batch) = lines.next().await {
            match batch {
                Ok(good) => {
                    if tx.send(Msg::LogLines(stream, good)).is_err() {
                        return;
                    }
                }
                Err(e) => {
                    why = format!("stream error: {e}");
                    break;
                }
            }
        }
        let _ = tx.send(Msg::LogsEnded(stream, why));
    })
}

enum EffectKind {
    Execute,
    Other,
}

/// Runs an action's dry run or the action itself; answers with messages.
fn spawn_action(
    client: Option<kube::Client>,
    request: crate::cluster::actions::ActionRequest,
    execute: bool,
    read_only: bool,
    tx: mpsc::UnboundedSender<Msg>,
) {
    use crate::cluster::actions::{Mutations, execute as run_action, preview};
    tokio::spawn(async move {
        let answer = |r: Result<String, String>| {
            if execute {
                Msg::ActionDone(r)
            } else {
                Msg::ActionPreview(r)
            }
        };
        let Some(client) = client else {
            let _ = tx.send(answer(Err("no cluster connected".into())));
            return;
        };
        let Some(permit) = Mutations::allow(read_only) else {
            let _ = tx.send(answer(Err("read-only mode: no change is sent".into())));
            return;
        };
        let result = if execute {
            let (ptx, mut prx) = mpsc::channel::<String>(64);
            let forward = tx.clone();
            let relay = tokio::spawn(async move {
                while let Some(line) = prx.recv().await {
                    let _ = forward.send(Msg::ActionProgress(line));
                }
            });
            let r = run_action(&client, &request, &permit, ptx).await;
            let _ = relay.await;
            r
        } else {
            preview(&client, &request, &permit).await
        };
        let _ = tx.send(answer(result));
    });
}
