//! The terminal's vocabulary, shared by the model's components and the
//! views: the theme (roles, symbols, NO_COLOR and ASCII) and the window
//! shapes overlays are drawn in. A leaf: it knows neither `app` nor `ui`.

pub mod theme;
pub mod window;
pub mod wrap;
