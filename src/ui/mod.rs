//! Views: pure functions of the model. Windows draw themselves (they are
//! components in `app::components`); this module draws the main screen.

pub mod markdown;
pub mod pane_tables;
pub mod panes;
pub mod status;
pub mod step;
pub mod tree;
pub mod view;

pub use view::view;
