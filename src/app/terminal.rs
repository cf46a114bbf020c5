//! The real terminal: error-report hook first, then raw mode and the
//! alternate screen; restored on every exit path (normal, error, panic,
//! SIGHUP, SIGTERM). Logs go to a file, never to the terminal.

use std::io::Write;
use std::path::Path;

use ratatui::crossterm::event::EventStream;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::{mpsc, watch};

use super::run::{Hooks, Stats, osc52, run};
use super::state::{Msg, State};
use crate::cluster::snapshot::Snapshot;
use crate::journal::actor::JournalHandle;

/// Logs to `<data>/runbook.log` (RUST_LOG filters; default info).
pub fn init_logging(data_dir: &Path) {
    let Ok(file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(data_dir.join("runbook.log"))
    else {
        return;
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init();
}

/// Runs the loop in the real terminal and restores it afterwards.
pub async fn run_in_terminal(
    state: &mut State,
    journal: JournalHandle,
    snapshots: Option<watch::Receiver<Snapshot>>,
    cluster_hooks: Hooks,
) -> anyhow::Result<Stats> {
    let _ = color_eyre::install();
    let mut terminal = ratatui::try_init()?;
    if let Ok(size) = terminal.size() {
        state.size = (size.width, size.height);
    }
    let (tx, rx) = mpsc::unbounded_channel();
    for (kind, name) in [
        (SignalKind::hangup(), "SIGHUP"),
        (SignalKind::terminate(), "SIGTERM"),
    ] {
        if let Ok(mut s) = signal(kind) {
            let tx = tx.clone();
            tokio::spawn(async move {
                if s.recv().await.is_some() {
                    let _ = tx.send(Msg::Hangup(name.into()));
                }
            });
        }
    }
    let in_tmux = std::env::var_os("TMUX").is_some();
    let hooks = Hooks {
        clock: Box::new(jiff::Timestamp::now),
        copy: Box::new(move |text| {
            let mut out = std::io::stdout();
            let _ = out.write_all(osc52(text, in_tmux).as_bytes());
            let _ = out.flush();
        }),
        ..cluster_hooks
    };
    let result = run(
        &mut terminal,
        EventStream::new(),
        state,
        journal,
        snapshots,
        hooks,
        tx,
        rx,
    )
    .await;
    ratatui::restore();
    Ok(result?)
}
