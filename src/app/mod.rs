//! The app (The Elm Architecture): messages in, `update` changes the one
//! state (`model`) and returns effects, the shell (`run`) carries them out
//! through its ports, `ui::view` draws. Windows are components.

pub mod background;
pub mod components;
pub mod home;
pub mod journal_actor;
pub mod keymap;
mod keys_table;
mod keys_windows;
pub mod launch;
pub mod log_file;
pub mod model;
pub mod pane_rows;
pub mod ports;
pub mod run;
mod running;
mod step_keys;
pub mod terminal;
pub mod update;

pub use model::{Effect, Msg, State};
pub use ports::Ports;
pub use run::{Stats, run};
pub use running::offer_unfinished;
pub use update::{sim_stopped_notice, update};
