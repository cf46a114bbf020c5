//! Where things go on the screen, as a pure function of its size. The view
//! draws into these rectangles and `update` pages by their heights, so the
//! two can never disagree on how many lines a window shows.

use ratatui::layout::{Constraint, Layout, Rect};

use super::state::{BannerLevel, State};
use crate::tui::window::{body_height, nearly_full};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Screen {
    /// The step, the panes, and the windows over them.
    pub main: Rect,
    /// The status line: the cluster's state and READ-ONLY stay in view.
    pub status: Rect,
    /// Keys for now, or a banner.
    pub hint: Rect,
}

/// The screen of `width` x `height` with a hint area `hint_lines` high.
pub fn screen(width: u16, height: u16, hint_lines: u16) -> Screen {
    let area = Rect::new(0, 0, width, height);
    let [main, status, hint] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(hint_lines),
    ])
    .areas(area);
    Screen { main, status, hint }
}

/// How many cluster panes show at once, at most.
pub const MAX_PANES: usize = 6;

/// From 160x40 up the cluster column shows several panes at once; below,
/// one at a time with tabs.
pub fn many_panes(width: u16, height: u16) -> bool {
    width >= 160 && height >= 40
}

/// The window a command's output, or the timeline, is shown in.
pub fn output_window(main: Rect) -> Rect {
    nearly_full(main, 4)
}

/// The window an object's details or a pod's logs are shown in.
pub fn detail_window(main: Rect) -> Rect {
    nearly_full(main, 2)
}

impl State {
    pub fn screen(&self) -> Screen {
        // An error banner may take two lines: it must be read in full.
        let error = matches!(&self.banner, Some(b) if b.level == BannerLevel::Error);
        screen(self.size.0, self.size.1, if error { 2 } else { 1 })
    }

    /// Lines of text the detail window shows now.
    pub fn detail_lines(&self) -> usize {
        body_height(detail_window(self.screen().main))
    }

    /// Lines of text the output and timeline windows show now.
    pub fn output_lines(&self) -> usize {
        body_height(output_window(self.screen().main))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_and_hint_lines_are_at_the_bottom() {
        let s = screen(80, 24, 1);
        assert_eq!(s.main, Rect::new(0, 0, 80, 22));
        assert_eq!(s.status, Rect::new(0, 22, 80, 1));
        assert_eq!(s.hint, Rect::new(0, 23, 80, 1));
        assert_eq!(body_height(detail_window(s.main)), 18);
    }
}
