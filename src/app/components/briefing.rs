//! A drill's briefing: the scenario, the page, the goal, the target time
//! and `export KUBECONFIG=...` for a second terminal. A new drill opens on
//! it; `B` shows it again.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{Handled, close, keep};
use crate::app::keymap::Action;
use crate::app::model::State;
use crate::tui::theme::Role;
use crate::tui::window::{key_hint, text_box};

pub struct BriefingWindow;

impl BriefingWindow {
    pub fn on_key(&mut self, _: &mut State, action: Option<Action>) -> Handled {
        match action {
            Some(Action::Close | Action::Submit) => close(Vec::new()),
            _ => keep(Vec::new()),
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        let theme = &state.theme;
        let Some(briefing) = &state.briefing else {
            return;
        };
        let mut lines: Vec<Line> = briefing
            .lines()
            .into_iter()
            .enumerate()
            .map(|(i, l)| {
                if i == 0 {
                    Line::from(Span::styled(l, theme.style(Role::Title)))
                } else {
                    Line::from(l)
                }
            })
            .collect();
        lines.push(Line::default());
        let mut keys = key_hint(theme, "enter", "start");
        keys.extend(key_hint(theme, "B", "shows this again"));
        lines.push(Line::from(keys));
        text_box(frame, area, theme, " Briefing ", lines);
    }
}

/// `B`: the briefing again, in a drill.
pub fn open(state: &mut State) -> Vec<crate::app::model::Effect> {
    if state.briefing.is_some() {
        state
            .overlays
            .push(super::Overlay::Briefing(BriefingWindow));
    } else {
        crate::app::update::info(
            state,
            crate::app::model::BannerLevel::Info,
            "a briefing is for drills",
        );
    }
    Vec::new()
}
