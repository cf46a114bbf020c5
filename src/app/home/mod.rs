//! `runbook` with no arguments: pick a firing alert, a session to resume or
//! a playbook to start (with a params form), then hand over to the
//! walkthrough. `run` and `run --alert` open the same form on its own when
//! a required param is left.

pub mod alerts;
pub mod form;
pub mod form_view;
pub mod state;
pub mod suggest;
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

/// What the screen fetches beside the input loop; the first frame never
/// waits for either.
#[derive(Default)]
pub struct Fetches {
    pub alerts: Option<AlertFetch>,
    /// The cluster's names for the params form, listed when a form that
    /// offers them first opens (so a resume never lists anything).
    pub names: Option<suggest::NamesFactory>,
}

/// Runs the home screen (or the form alone) in the real terminal until a
/// choice is made.
pub fn pick(mut state: HomeState, theme: Theme, fetches: Fetches) -> anyhow::Result<Choice> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut terminal = ratatui::try_init()?;
    let result: anyhow::Result<Choice> = runtime.block_on(async {
        let mut input = EventStream::new();
        let mut alerts = fetches.alerts;
        let mut factory = fetches.names;
        let mut names: Option<suggest::NamesFetch> = None;
        loop {
            if state.wants_names()
                && let Some(start) = factory.take()
            {
                state.names_asked = true;
                names = Some(start(state.pod_to_look_up()));
            }
            terminal.draw(|f| view::view(&state, &theme, f))?;
            if let Some(choice) = state.choice.take() {
                return Ok(choice);
            }
            tokio::select! {
                event = input.next() => match event {
                    Some(Ok(Event::Key(k))) if k.kind != KeyEventKind::Release => state.on_key(k),
                    Some(Ok(_)) => {}
                    Some(Err(_)) | None => return Ok(Choice::Quit),
                },
                result = wait(&mut alerts) => {
                    alerts = None;
                    state.set_alerts(result, jiff::Timestamp::now());
                }
                result = wait(&mut names) => {
                    names = None;
                    state.set_names(result);
                }
            }
        }
    });
    ratatui::restore();
    result
}

/// The fetch's answer, or never when there is none.
async fn wait<T>(fetch: &mut Option<Pin<Box<dyn Future<Output = T> + Send>>>) -> T {
    match fetch.as_mut() {
        Some(f) => f.await,
        None => std::future::pending().await,
    }
}
