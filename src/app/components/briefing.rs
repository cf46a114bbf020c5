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
use crate::tui::window::{key_hint, text_box_wide};

pub struct BriefingWindow;

impl BriefingWindow {
    pub fn on_key(&mut self, state: &mut State, action: Option<Action>) -> Handled {
        match action {
            Some(Action::Close | Action::Submit) => close(Vec::new()),
            // The line whole, whatever the box wrapped: a copied path works.
            Some(Action::Copy) => match state.briefing.as_ref().and_then(|b| b.export_line()) {
                Some(line) => {
                    crate::app::update::info(
                        state,
                        crate::app::model::BannerLevel::Info,
                        "copied the export line: paste it in a second terminal",
                    );
                    keep(vec![crate::app::model::Effect::Copy(line)])
                }
                None => keep(Vec::new()),
            },
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
        if briefing.export_line().is_some() {
            keys.extend(key_hint(theme, "y", "copies the export line"));
        }
        keys.extend(key_hint(theme, "B", "shows this again"));
        lines.push(Line::from(keys));
        // As wide as the export line needs, where the screen allows, so the
        // path is not broken over two lines.
        let widest = briefing
            .lines()
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0);
        let width = u16::try_from(widest + 4)
            .unwrap_or(u16::MAX)
            .clamp(78, area.width.max(78));
        text_box_wide(frame, area, theme, " Briefing ", lines, width);
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
