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
use crate::journal::Sink;
use crate::kinds::snapshot::Snapshot;

/// Logs to `<data>/runbook.log` (RUST_LOG filters; default info): the file
/// 0600 in a 0700 folder, since it names clusters, namespaces and pods;
/// rotated by size (`log_file`), so a flood of lines cannot fill the disk.
pub fn init_logging(data_dir: &Path) {
    use std::os::unix::fs::DirBuilderExt;
    let _ = std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(data_dir);
    let Ok(file) = super::log_file::LogFile::open(data_dir, "runbook.log", super::log_file::LIMITS)
    else {
        return;
    };
    // `try_init` also routes the `log` crate's records here.
    let _ = tracing_subscriber::util::SubscriberInitExt::try_init(super::log_file::subscriber(
        file, "info",
    ));
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
    let input = Input::default();
    let ports = Ports {
        suspend: Some(Box::new(RealTerminal {
            input: input.slot.clone(),
        })),
        clock: Box::new(jiff::Timestamp::now),
        copy: Box::new(move |text| {
            let mut out = std::io::stdout();
            let _ = out.write_all(osc52(text, in_tmux).as_bytes());
            let _ = out.flush();
        }),
        ..ports
    };
    let result = run(&mut terminal, input, state, sink, snapshots, ports, tx, rx).await;
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

/// The keys the loop reads: crossterm's stream, which can be let go of
/// while a command has the terminal. crossterm reads the terminal from a
/// thread of its own once the stream is waiting, so a stream merely not
/// polled would still take the command's first keys: it is dropped (which
/// stops that thread) and made anew afterwards.
pub struct Input {
    slot: std::sync::Arc<std::sync::Mutex<Option<EventStream>>>,
}

impl Default for Input {
    fn default() -> Input {
        Input {
            slot: std::sync::Arc::new(std::sync::Mutex::new(Some(EventStream::new()))),
        }
    }
}

impl futures::Stream for Input {
    type Item = std::io::Result<ratatui::crossterm::event::Event>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        let mut slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        match slot.as_mut() {
            Some(stream) => std::pin::Pin::new(stream).poll_next(cx),
            // Handed over: the loop is not reading keys now, and polls
            // again once the terminal is back.
            None => std::task::Poll::Pending,
        }
    }
}

/// The real terminal, handed to a command and taken back.
struct RealTerminal {
    input: std::sync::Arc<std::sync::Mutex<Option<EventStream>>>,
}

impl super::ports::Suspend for RealTerminal {
    fn leave(&mut self) -> std::io::Result<()> {
        use ratatui::crossterm::{cursor::Show, execute};
        drop(self.input.lock().unwrap_or_else(|p| p.into_inner()).take());
        ratatui::try_restore()?;
        execute!(std::io::stdout(), Show)
    }

    fn enter(&mut self) -> std::io::Result<()> {
        use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
        use ratatui::crossterm::{cursor::Hide, execute};
        enable_raw_mode()?;
        execute!(std::io::stdout(), EnterAlternateScreen, Hide)?;
        *self.input.lock().unwrap_or_else(|p| p.into_inner()) = Some(EventStream::new());
        Ok(())
    }
}
