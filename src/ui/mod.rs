//! ratatui views (pure functions of state), markdown, theme.

pub mod markdown;
pub mod overlays;
pub mod pane_tables;
pub mod panes;
pub mod status;
pub mod step;
pub mod theme;
pub mod timeline;
pub mod tree;
pub mod view;
pub mod wrap;

pub use view::view;
