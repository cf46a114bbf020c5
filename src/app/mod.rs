//! The event loop (The Elm Architecture): messages in, `update` changes the
//! one state and returns effects, the shell executes them, `view` draws.

mod api_writes;
pub mod background;
pub mod contexts;
pub mod detail;
pub mod home;
pub mod keymap;
pub mod launch;
mod overlay_keys;
pub mod pane_rows;
pub mod run;
mod running;
pub mod state;
pub mod terminal;
pub mod update;

pub use run::{Hooks, Stats, run};
pub use state::{Effect, Msg, State};
pub use update::update;
