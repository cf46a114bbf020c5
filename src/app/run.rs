//! The shell: one `select!` over input, answers, cluster snapshots and the
//! clock; `update` decides, the shell carries out its effects through the
//! ports. Generic over the input stream and the backend, so tests drive
//! whole sessions with scripted keys into `TestBackend` and fake ports.

use std::collections::HashMap;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{Event as TermEvent, KeyEventKind};
use tokio::sync::{mpsc, watch};
use tokio::time::{Instant, MissedTickBehavior};

use super::model::{Effect, Msg, RequestId, State};
use super::ports::{Cancel, CommandStart, Ports};
use super::update::{finished_quitting, update};
use crate::journal::Sink;
use crate::kinds::snapshot::Snapshot;

/// At most ~10 frames a second for cluster changes.
const CLUSTER_FRAME: Duration = Duration::from_millis(100);
/// How long quitting waits for running work before journaling it as
/// interrupted; a hang-up waits less, so the process is gone within 1 s.
const QUIT_GRACE: Duration = Duration::from_secs(2);
const HANGUP_GRACE: Duration = Duration::from_millis(400);
/// After the grace, how long the last journal writes may take.
const LAST_WRITES: Duration = Duration::from_millis(300);

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub draws: u64,
}

/// When quitting must stop waiting.
#[derive(Clone, Copy)]
enum Quitting {
    /// Work still running is journaled as interrupted at this instant.
    Grace(Instant),
    /// The session leaves at this instant, written or not.
    Last(Instant),
}

/// Runs until the state says quit and nothing is left in flight (or input
/// ends: a hang-up). The journal actor runs on `sink` and answers into the
/// loop; it is flushed before this returns.
#[allow(clippy::too_many_arguments)]
pub async fn run<B, S>(
    terminal: &mut Terminal<B>,
    mut input: S,
    state: &mut State,
    sink: Box<dyn Sink>,
    mut snapshots: Option<watch::Receiver<Snapshot>>,
    mut ports: Ports,
    tx: mpsc::UnboundedSender<Msg>,
    mut rx: mpsc::UnboundedReceiver<Msg>,
) -> io::Result<Stats>
where
    B: Backend,
    B::Error: std::fmt::Display,
    S: Stream<Item = io::Result<TermEvent>> + Unpin,
{
    let journal = {
        let tx = tx.clone();
        crate::app::journal_actor::spawn(sink, state.session.next_seq(), move |w| {
            let _ = tx.send(Msg::Journaled {
                id: w.id,
                result: w.result,
            });
        })
    };
    let mut stats = Stats::default();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut dirty = true;
    let mut last_draw: Option<Instant> = None;
    let mut throttled_until: Option<Instant> = None;
    let mut shown_second = -1i64;
    let mut running: HashMap<RequestId, Cancel> = HashMap::new();
    // The stop switch of each action running (`x` on a drain).
    let mut stops: HashMap<RequestId, watch::Sender<bool>> = HashMap::new();
    let mut quitting: Option<Quitting> = None;
    // When the next check job may start: a job waits as long as the last
    // one took, so the worker is busy at most half the time however often
    // a large cluster changes.
    let checks_not_before: Arc<Mutex<Option<std::time::Instant>>> = Arc::default();
    // The one followed log; aborted when another starts or the view closes.
    let mut follow: Option<tokio::task::JoinHandle<()>> = None;
    if let Ok(size) = terminal.size() {
        state.size = (size.width, size.height);
    }
    if let Some(mut writes) = ports.api_writes.take() {
        let tx = tx.clone();
        tokio::spawn(async move {
            while let Some(write) = writes.recv().await {
                if tx.send(Msg::ApiWrite(Box::new(write))).is_err() {
                    break;
                }
            }
        });
    }
    if let Some(mut stopped) = ports.sim_stopped.take() {
        let tx = tx.clone();
        tokio::spawn(async move {
            if let Some(reason) = stopped.recv().await {
                let _ = tx.send(Msg::TaskFailed(crate::app::sim_stopped_notice(&reason)));
            }
        });
    }
    if let Some(mut reached) = ports.goal_reached.take() {
        let tx = tx.clone();
        tokio::spawn(async move {
            if let Some(since) = reached.recv().await {
                let _ = tx.send(Msg::GoalReached(since));
            }
        });
    }
    if let Some(rx) = &mut snapshots {
        // In the state before the first frame (which then says
        // "connecting", not "no cluster"), and through the queue, so its
        // effects (a check job) are carried out.
        let first = rx.borrow_and_update().clone();
        state.snapshot = Some(first.clone());
        let _ = tx.send(Msg::Cluster(Box::new(first)));
    }
    let result = loop {
        if dirty && throttled_until.is_none() {
            if let Err(e) = terminal.draw(|f| crate::ui::view(state, f)) {
                // A terminal that is gone (EIO after an SSH drop) is a
                // hang-up: the record is finished, not abandoned.
                if quitting.is_none() {
                    let _ = tx.send(Msg::Hangup(format!("cannot draw: {e}")));
                }
                dirty = false;
            } else {
                stats.draws += 1;
                dirty = false;
                last_draw = Some(Instant::now());
                shown_second = state.elapsed_secs();
            }
        }
        if state.quit {
            if finished_quitting(state) {
                break Ok(stats);
            }
            if let Some(Quitting::Last(at)) = quitting
                && Instant::now() >= at
            {
                tracing::warn!("left with journal writes unanswered");
                break Ok(stats);
            }
        }
        let throttle = throttled_until;
        let deadline = quitting.map(|q| match q {
            Quitting::Grace(at) | Quitting::Last(at) => at,
        });
        let msg = tokio::select! {
            biased;
            Some(msg) = rx.recv() => msg,
            _ = async { tokio::time::sleep_until(deadline.unwrap_or_else(Instant::now)).await }, if deadline.is_some() => {
                match quitting {
                    Some(Quitting::Grace(_)) => {
                        quitting = Some(Quitting::Last(Instant::now() + LAST_WRITES));
                        Msg::QuitDeadline
                    }
                    _ => continue,
                }
            }
            event = input.next(), if !state.pending() && !state.quit => match event {
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
            _ = tick.tick() => Msg::Tick((ports.clock)()),
        };
        let is_cluster = matches!(msg, Msg::Cluster(_));
        let is_hangup = matches!(msg, Msg::Hangup(_));
        // The responder's own keys never wait behind the cluster's frame
        // budget: a key's frame is drawn at once, cluster changes included.
        let is_input = matches!(msg, Msg::Key(_) | Msg::Resize(..));
        let is_tick = matches!(msg, Msg::Tick(_));
        if let Msg::Command {
            id,
            event: crate::exec::runner::RunEvent::Finished(_),
        } = &msg
        {
            running.remove(id);
        }
        if let Msg::ActionDone { id, .. } = &msg {
            stops.remove(id);
        }
        let overlays_before = state.overlays.len();
        let effects = update(state, msg);
        if let Some(observe) = ports.observe.as_mut() {
            observe(state);
        }
        if state.quit && quitting.is_none() {
            let grace = if is_hangup { HANGUP_GRACE } else { QUIT_GRACE };
            quitting = Some(Quitting::Grace(Instant::now() + grace));
        }
        for effect in effects {
            let effect = match effect {
                Effect::RunCommand { id, planned } if on_terminal(state, &ports, &planned) => {
                    let env = state.command_env.clone();
                    let read_only = state.read_only;
                    run_suspended(terminal, (env, read_only), &mut ports, &tx, id, planned).await;
                    continue;
                }
                other => other,
            };
            perform(
                effect,
                state,
                &mut ports,
                &journal,
                &tx,
                &mut running,
                &mut stops,
                &mut follow,
                &checks_not_before,
            );
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
    };
    if let Some(f) = follow.take() {
        f.abort();
    }
    // Whatever was queued is on disk (or answered with its error) first.
    let _ = tokio::time::timeout(LAST_WRITES, journal.flush()).await;
    result
}

/// Carries out one effect through the ports.
#[allow(clippy::too_many_arguments)]
fn perform(
    effect: Effect,
    state: &State,
    ports: &mut Ports,
    journal: &crate::app::journal_actor::JournalHandle,
    tx: &mpsc::UnboundedSender<Msg>,
    running: &mut HashMap<RequestId, Cancel>,
    stops: &mut HashMap<RequestId, watch::Sender<bool>>,
    follow: &mut Option<tokio::task::JoinHandle<()>>,
    checks_not_before: &Arc<Mutex<Option<std::time::Instant>>>,
) {
    match effect {
        Effect::Journal { id, events } => {
            if let Err(e) = journal.append(id, (ports.clock)(), events) {
                let _ = tx.send(Msg::Journaled { id, result: Err(e) });
            }
        }
        Effect::Copy(text) => (ports.copy)(&text),
        Effect::EnteredStep(step) => (ports.entered)(&step),
        Effect::RunCommand { id, planned } => {
            let (out_tx, mut out_rx) = mpsc::channel(256);
            let planned_label = planned.display();
            let start = CommandStart {
                planned,
                env: state.command_env.clone(),
                read_only: state.read_only,
                confine: state.config.confine_commands,
                timeout: state.command_timeout,
                output: output_file(ports.session_dir.as_deref(), state, id),
                access: (ports.access)(&planned_label),
            };
            running.insert(id, ports.commands.start(start, out_tx));
            let tx = tx.clone();
            tokio::spawn(async move {
                while let Some(event) = out_rx.recv().await {
                    if tx.send(Msg::Command { id, event }).is_err() {
                        break;
                    }
                }
            });
        }
        Effect::CancelCommand(id) => {
            if let Some(cancel) = running.get_mut(&id) {
                cancel();
            }
        }
        Effect::AllNamespaces(all) => (ports.all_namespaces)(all),
        Effect::WatchKinds(kinds) => (ports.watch_kinds)(kinds),
        Effect::CountPods(nodes) => (ports.count_pods)(nodes),
        Effect::EvaluateChecks { id, job } => {
            let (tx, not_before) = (tx.clone(), checks_not_before.clone());
            tokio::task::spawn_blocking(move || {
                let lock = |m: &Mutex<_>| *m.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(at) = lock(&not_before) {
                    std::thread::sleep(at.saturating_duration_since(std::time::Instant::now()));
                }
                let started = std::time::Instant::now();
                let evaluated = job.run();
                let took = started.elapsed();
                tracing::debug!(?took, ran = evaluated.ran, "checks evaluated");
                *not_before.lock().unwrap_or_else(|p| p.into_inner()) =
                    Some(std::time::Instant::now() + took);
                let _ = tx.send(Msg::Checked {
                    id,
                    evaluated: Box::new(evaluated),
                });
            });
        }
        Effect::SwitchContext(context) => {
            if let Some(old) = follow.take() {
                old.abort();
            }
            (ports.switch_context)(context);
        }
        Effect::FetchDetail {
            id,
            kind,
            namespace,
            name,
        } => {
            let events: Vec<crate::kinds::rows::EventRow> = state
                .snapshot
                .as_ref()
                .map(|s| {
                    s.rows::<crate::kinds::event::Events>()
                        .rows
                        .iter()
                        .map(|e| (**e).clone())
                        .collect()
                })
                .unwrap_or_default();
            let fetch = ports
                .cluster
                .detail(kind, namespace, name, events, state.now.as_second());
            let tx = tx.clone();
            tokio::spawn(async move {
                let result = fetch.await;
                let _ = tx.send(Msg::Detail { id, result });
            });
        }
        Effect::FetchLogs {
            id,
            namespace,
            name,
            previous,
        } => {
            let fetch = ports.cluster.logs(namespace, name, previous);
            let tx = tx.clone();
            tokio::spawn(async move {
                let result = fetch.await;
                let _ = tx.send(Msg::Detail { id, result });
            });
        }
        Effect::FollowLogs {
            id,
            namespace,
            name,
        } => {
            if let Some(old) = follow.take() {
                old.abort();
            }
            let stream = ports.cluster.follow(namespace, name);
            *follow = Some(spawn_follow(stream, id, tx.clone()));
        }
        Effect::StopLogs => {
            if let Some(old) = follow.take() {
                old.abort();
            }
        }
        Effect::PreviewAction { id, request } => {
            let answer = ports.cluster.action(
                request,
                false,
                state.read_only,
                crate::cluster::drain::Reporter::silent(),
            );
            let tx = tx.clone();
            tokio::spawn(async move {
                let result = answer.await;
                let _ = tx.send(Msg::ActionPreview { id, result });
            });
        }
        Effect::ExecuteAction { id, request } => {
            let (progress, mut reports) = mpsc::channel(64);
            let (stop, stopped) = watch::channel(false);
            stops.insert(id, stop);
            let report = crate::cluster::drain::Reporter::new(progress, stopped);
            let answer = ports.cluster.action(request, true, state.read_only, report);
            let tx = tx.clone();
            tokio::spawn(async move {
                let forward = tx.clone();
                let relay = tokio::spawn(async move {
                    while let Some(progress) = reports.recv().await {
                        let _ = forward.send(Msg::ActionProgress { id, progress });
                    }
                });
                let result = answer.await;
                let _ = relay.await;
                let _ = tx.send(Msg::ActionDone { id, result });
            });
        }
        Effect::StopAction(id) => {
            if let Some(stop) = stops.get(&id) {
                let _ = stop.send(true);
            }
        }
        Effect::CreateSilence { id, request } => {
            let answer = ports.silences.create(request, state.read_only);
            let tx = tx.clone();
            tokio::spawn(async move {
                let result = answer.await;
                let _ = tx.send(Msg::SilenceCreated { id, result });
            });
        }
        Effect::ExpireSilence { id, silence } => {
            let answer = ports.silences.expire(silence.clone(), state.read_only);
            let tx = tx.clone();
            tokio::spawn(async move {
                let result = answer.await;
                let _ = tx.send(Msg::SilenceExpired {
                    id,
                    silence,
                    result,
                });
            });
        }
        Effect::Quit => {}
    }
}

/// Whether a command runs on the real terminal, the app suspended: it
/// needs one, and there is one to give it.
fn on_terminal(state: &State, ports: &Ports, planned: &crate::exec::Planned) -> bool {
    let editor = ["KUBE_EDITOR", "EDITOR"].iter().find_map(|name| {
        state
            .command_env
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .or_else(|| std::env::var(name).ok())
    });
    ports.suspend.is_some()
        && crate::exec::interactive::needs_terminal(&planned.argv, editor.as_deref())
}

/// Runs a command on the real terminal with the app suspended, then takes
/// the terminal back and redraws it whole. The loop waits meanwhile: keys
/// belong to the command. A hang-up while it runs ends the command too
/// (it is in the terminal's foreground group) and is handled once the
/// loop goes on, so the session is left resumable as on any hang-up.
async fn run_suspended<B>(
    terminal: &mut Terminal<B>,
    (env, read_only): (Vec<(String, String)>, bool),
    ports: &mut Ports,
    tx: &mpsc::UnboundedSender<Msg>,
    id: RequestId,
    planned: crate::exec::Planned,
) where
    B: Backend,
    B::Error: std::fmt::Display,
{
    use tokio::signal::unix::{SignalKind, signal};
    // ctrl-c and ctrl-\ outside raw mode signal the whole foreground
    // group: they are the command's, and must not end runbook.
    let _keys_for_the_command = [SignalKind::interrupt(), SignalKind::quit()].map(signal);
    if let Some(suspend) = ports.suspend.as_mut()
        && let Err(e) = suspend.leave()
    {
        tracing::warn!("cannot hand the terminal over: {e}");
    }
    let access = (ports.access)(&planned.display());
    let finish = crate::exec::runner::run_on_terminal(&planned, &env, access, read_only).await;
    let back = ports.suspend.as_mut().map(|s| s.enter());
    if let Some(Err(e)) = back {
        let _ = tx.send(Msg::Hangup(format!("cannot take the terminal back: {e}")));
    } else {
        if let Err(e) = terminal.clear() {
            tracing::warn!("cannot clear the terminal: {e}");
        }
        if let Ok(size) = terminal.size() {
            let _ = tx.send(Msg::Resize(size.width, size.height));
        }
    }
    let _ = tx.send(Msg::Command {
        id,
        event: crate::exec::runner::RunEvent::Finished(finish),
    });
}

/// A new file for a command's whole output, under the session's folder.
fn output_file(
    session_dir: Option<&std::path::Path>,
    state: &State,
    id: RequestId,
) -> Option<crate::exec::runner::OutputFile> {
    use std::os::unix::fs::DirBuilderExt;
    let dir = session_dir?.join("output");
    if let Err(e) = std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&dir)
    {
        tracing::warn!("cannot create {}: {e}", dir.display());
        return None;
    }
    let name = format!(
        "{}-{}-{id}.log",
        state.session.next_seq(),
        state.now.strftime("%Y%m%dT%H%M%S")
    );
    Some(crate::exec::runner::OutputFile {
        path: dir.join(&name),
        name: format!("output/{name}"),
    })
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
    stream: futures::future::BoxFuture<
        'static,
        Result<futures::stream::BoxStream<'static, super::ports::Lines>, String>,
    >,
    id: RequestId,
    tx: mpsc::UnboundedSender<Msg>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut lines = match stream.await {
            Ok(lines) => lines,
            Err(why) => {
                let _ = tx.send(Msg::LogsEnded { id, why });
                return;
            }
        };
        let mut why = "the stream ended (the container stopped or the API closed it)".to_string();
        while let Some(batch) = lines.next().await {
            match batch {
                Ok(good) => {
                    if tx.send(Msg::LogLines { id, lines: good }).is_err() {
                        return;
                    }
                }
                Err(e) => {
                    why = format!("stream error: {e}");
                    break;
                }
            }
        }
        let _ = tx.send(Msg::LogsEnded { id, why });
    })
}
