//! `runbook` with no arguments: pick a session to resume or a playbook to
//! start (with a params form), then hand over to the walkthrough.

pub mod state;
pub mod view;

use futures::StreamExt;
use ratatui::crossterm::event::{Event, EventStream, KeyEventKind};

pub use state::{Choice, HomeState};

use crate::tui::theme::Theme;

/// Runs the home screen in the real terminal until a choice is made.
pub fn pick(mut state: HomeState, theme: Theme) -> anyhow::Result<Choice> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut terminal = ratatui::try_init()?;
    let result: anyhow::Result<Choice> = runtime.block_on(async {
        let mut input = EventStream::new();
        loop {
            terminal.draw(|f| view::view(&state, &theme, f))?;
            if let Some(choice) = state.choice.take() {
                return Ok(choice);
            }
            match input.next().await {
                Some(Ok(Event::Key(k))) if k.kind != KeyEventKind::Release => state.on_key(k),
                Some(Ok(_)) => {}
                Some(Err(_)) | None => return Ok(Choice::Quit),
            }
        }
    });
    ratatui::restore();
    result
}
