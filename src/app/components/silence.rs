//! `s`: silence the alert that opened the session. First how long (30m,
//! 2h...), then the alert's name typed to confirm, since a silence hides
//! the page from everyone else on call. Refused in read-only mode; the
//! silence is journaled once Alertmanager has it.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui_textarea::TextArea;

use super::{Handled, Overlay, close, keep};
use crate::alerts::silence::{SilenceRequest, parse_duration};
use crate::app::keymap::Action;
use crate::app::model::{BannerLevel, Effect, State};
use crate::app::update::{info, single_line, text_of};
use crate::engine::Event;
use crate::tui::theme::Role;
use crate::tui::window::{boxed, fit_box, typed_name};

pub struct SilenceAlert {
    pub duration: TextArea<'static>,
    /// Set once the duration is accepted: the name is typed next.
    pub chosen: Option<std::time::Duration>,
    pub typed: TextArea<'static>,
}

/// `s`: opens the window, or says why the alert cannot be silenced.
pub fn open(state: &mut State) -> Vec<Effect> {
    let why_not = if state.session.alert().is_none() {
        Some("this session was not opened from an alert: there is nothing to silence".to_string())
    } else if state.read_only {
        Some("refused: read-only mode creates no silences".to_string())
    } else if !state.alertmanager {
        Some(format!(
            "no Alertmanager is configured: {}",
            crate::alerts::endpoint::how_to_configure()
        ))
    } else {
        None
    };
    match why_not {
        Some(why) => info(state, BannerLevel::Warn, why),
        None => {
            let mut duration = single_line("how long, e.g. 30m or 2h");
            duration.insert_str("2h");
            state.overlays.push(Overlay::Silence(Box::new(SilenceAlert {
                duration,
                chosen: None,
                typed: single_line("type the alert's name to confirm"),
            })));
        }
    }
    Vec::new()
}

/// The responder, as the session's start recorded them.
fn who(state: &State) -> (String, String) {
    state
        .session
        .records()
        .iter()
        .find_map(|r| match &r.event {
            Event::Started { user, host, .. } => Some((user.clone(), host.clone())),
            _ => None,
        })
        .unwrap_or_default()
}

impl SilenceAlert {
    pub fn on_key(&mut self, state: &mut State, action: Option<Action>, key: KeyEvent) -> Handled {
        let Some(alert) = state.session.alert().cloned() else {
            return close(Vec::new());
        };
        match (action, self.chosen) {
            (Some(Action::Close), _) => close(Vec::new()),
            (Some(Action::Submit), None) => {
                match parse_duration(&text_of(&self.duration)) {
                    Ok(d) => self.chosen = Some(d),
                    Err(why) => info(state, BannerLevel::Warn, why),
                }
                keep(Vec::new())
            }
            (Some(Action::Submit), Some(duration)) => {
                if text_of(&self.typed).trim() != alert.name() {
                    let name = alert.name().to_string();
                    info(
                        state,
                        BannerLevel::Warn,
                        format!("type `{name}` exactly to silence it, or esc"),
                    );
                    return keep(Vec::new());
                }
                let (user, host) = who(state);
                match SilenceRequest::for_labels(
                    &alert.labels,
                    state.now,
                    duration,
                    &state.session_id,
                    &user,
                    &host,
                ) {
                    Ok(request) => {
                        let id = state.work.next_id();
                        info(state, BannerLevel::Info, "asking Alertmanager...");
                        close(vec![Effect::CreateSilence { id, request }])
                    }
                    Err(e) => {
                        info(state, BannerLevel::Error, e.to_string());
                        close(Vec::new())
                    }
                }
            }
            (_, None) => {
                self.duration.input(key);
                keep(Vec::new())
            }
            (_, Some(_)) => {
                self.typed.input(key);
                keep(Vec::new())
            }
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        let theme = &state.theme;
        let Some(alert) = state.session.alert() else {
            return;
        };
        let labels: Vec<String> = alert
            .labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let mut lines = vec![
            Line::from(Span::styled(
                format!("Silence {}", alert.name()),
                theme.style(Role::Title),
            )),
            Line::from(format!("Matching every label: {}", labels.join(" "))),
            Line::from(Span::styled(
                "Nobody else on call is paged for it while the silence lasts.",
                theme.style(Role::Warn),
            )),
        ];
        match self.chosen {
            None => lines.push(Line::from("For how long? (1m to 7d; enter goes on)")),
            Some(d) => lines.push(Line::from(vec![
                Span::raw(format!("For {}. Type ", humantime::format_duration(d))),
                Span::styled(alert.name().to_string(), theme.style(Role::Key)),
                Span::raw(" and press enter to create it; esc cancels."),
            ])),
        }
        let rect = fit_box(area, 78, &lines, 3);
        frame.render_widget(Clear, rect);
        let block = boxed(theme, " Silence the alert ");
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        let field = if self.chosen.is_some() {
            &self.typed
        } else {
            &self.duration
        };
        typed_name(frame, inner, theme, field);
    }
}
