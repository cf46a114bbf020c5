//! The real terminal: a panic hook first, then raw mode and the alternate
//! screen; restored on every exit path (normal, error, panic, SIGHUP,
//! SIGTERM). Restoring a terminal that is gone (EIO after an SSH drop) is
//! not an error worth dying for: nothing here may panic or abort, and
//! logs go to a file, never to the terminal.

use std::io::Write;
use std::path::Path;

use ratatui::crossterm::event::EventStream;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::{mpsc, watch};

use super::model::{Msg, State};
use super::ports::Ports;
use super::run::{Stats, osc52, run};
use crate::cluster::snapshot::Snapshot;
use crate::journal::Sink;

/// Logs to `<data>/runbook.log` (RUST_LOG filters; default info): the file
/// 0600 in a 0700 folder, since it names clusters, namespaces and pods.
pub fn init_logging(data_dir: &Path) {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
    let _ = std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(data_dir);
    let path = data_dir.join("runbook.log");
    let Ok(file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(&path)
    else {
        return;
    };
    // A log an older runbook created 0644 is tightened too.
    let _ = file.set_permissions(std::fs::Permissions::from_mode(0o600));
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init();
}

/// A panic restores the terminal (ignoring a terminal that is gone),
/// logs where it happened, and says so on stderr only if stderr still
/// takes it; a failed write there is ignored rather than panicking again.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        // The cluster side runs on its own runtime ("cluster" threads):
        // a panic there is caught (the drill's simulator stops with a
        // notice; tokio ends any other task) and the app goes on, so the
        // terminal is left to it.
        if std::thread::current().name() == Some("cluster") {
            tracing::error!("panic on the cluster side (caught): {info}");
            return;
        }
        let _ = ratatui::try_restore();
        tracing::error!("panic: {info}");
        let _ = writeln!(
            std::io::stderr(),
            "error: internal error: {info}\nThe session's journal is intact: `runbook resume` continues it."
        );
    }));
}

/// Runs the loop in the real terminal and restores it afterwards.
pub async fn run_in_terminal(
    state: &mut State,
    sink: Box<dyn Sink>,
    snapshots: Option<watch::Receiver<Snapshot>>,
    ports: Ports,
) -> anyhow::Result<Stats> {
    install_panic_hook();
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
    let ports = Ports {
        clock: Box::new(jiff::Timestamp::now),
        copy: Box::new(move |text| {
            let mut out = std::io::stdout();
            let _ = out.write_all(osc52(text, in_tmux).as_bytes());
            let _ = out.flush();
        }),
        ..ports
    };
    let result = run(
        &mut terminal,
        EventStream::new(),
        state,
        sink,
        snapshots,
        ports,
        tx,
        rx,
    )
    .await;
    let restored = terminal.show_cursor().and_then(|()| ratatui::try_restore());
    if let Err(e) = restored {
        tracing::info!("the terminal could not be restored (gone?): {e}");
        // ratatui's Terminal shows the cursor again when dropped and
        // eprintln!s if it cannot, which panics on a stderr that is gone
        // too (an SSH drop) and aborts the process. There is no terminal
        // left to show a cursor on.
        std::mem::forget(terminal);
    }
    Ok(result?)
}
