//! `runbook` with no arguments: pick a firing alert, a session to resume or
//! a playbook to start (with a params form), then hand over to the
//! walkthrough.

pub mod alerts;
pub mod state;
pub mod view;

use std::future::Future;
use std::pin::Pin;

use futures::StreamExt;
use ratatui::crossterm::event::{Event, EventStream, KeyEventKind};

pub use state::{Choice, HomeState};

use crate::tui::theme::Theme;

/// The alerts being fetched: the client's own deadline bounds it, and its
/// failure is one line of text.
pub type AlertFetch =
    Pin<Box<dyn Future<Output = Result<Vec<crate::alerts::Alert>, String>> + Send>>;

/// Runs the home screen in the real terminal until a choice is made.
pub fn pick(state: HomeState, theme: Theme) -> anyhow::Result<Choice> {
    pick_with_alerts(state, theme, None)
}

/// As `pick`, with alerts arriving while the screen is already usable: the
/// first frame is drawn before the fetch is first polled.
pub fn pick_with_alerts(
    mut state: HomeState,
    theme: Theme,
    fetch: Option<AlertFetch>,
) -> anyhow::Result<Choice> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut terminal = ratatui::try_init()?;
    let result: anyhow::Result<Choice> = runtime.block_on(async {
        let mut input = EventStream::new();
        let mut pending = fetch;
        loop {
            terminal.draw(|f| view::view(&state, &theme, f))?;
            if let Some(choice) = state.choice.take() {
                return Ok(choice);
            }
            let fetched = async {
                match pending.as_mut() {
                    Some(f) => f.await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                event = input.next() => match event {
                    Some(Ok(Event::Key(k))) if k.kind != KeyEventKind::Release => state.on_key(k),
                    Some(Ok(_)) => {}
                    Some(Err(_)) | None => return Ok(Choice::Quit),
                },
                result = fetched => {
                    pending = None;
                    state.set_alerts(result, jiff::Timestamp::now());
                }
            }
        }
    });
    ratatui::restore();
    result
}
