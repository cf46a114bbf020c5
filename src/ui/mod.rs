//! ratatui views (pure functions of state), key map, theme.

pub mod theme;
