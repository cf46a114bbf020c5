//! A previewed action waiting for its target's name to be typed. The dry
//! run is a request in the work table; this window shows its answer.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui_textarea::TextArea;

use super::{Handled, close, keep};
use crate::action_kind::ActionKind;
use crate::app::keymap::Action;
use crate::app::model::{BannerLevel, RequestId, State};
use crate::app::update::{info, single_line, text_of};
use crate::tui::theme::Role;
use crate::tui::window::{boxed, fit_box, typed_name};

/// `restart deployment checkout`: the action on its target, in words.
fn what(request: &crate::cluster::actions::ActionRequest) -> String {
    let verb = match request.kind {
        ActionKind::Cordon => "cordon",
        ActionKind::Uncordon => "uncordon",
        ActionKind::Drain => "drain",
        ActionKind::DeletePod => "delete",
        ActionKind::RolloutRestart => "restart",
        ActionKind::Scale => "scale",
    };
    let target = request.target.replacen('/', " ", 1);
    match (request.kind, request.replicas) {
        (ActionKind::Scale, Some(n)) => format!("{verb} {target} to {n}"),
        _ => format!("{verb} {target}"),
    }
}

pub struct ConfirmAction {
    /// The dry run's request.
    pub preview: RequestId,
    pub typed: TextArea<'static>,
}

impl ConfirmAction {
    pub fn new(preview: RequestId) -> ConfirmAction {
        ConfirmAction {
            preview,
            typed: single_line("type the name to confirm"),
        }
    }

    pub fn on_key(&mut self, state: &mut State, action: Option<Action>, key: KeyEvent) -> Handled {
        let Some(preview) = state.work.previews.get(&self.preview).cloned() else {
            return close(Vec::new());
        };
        match action {
            Some(Action::Close) => {
                state.work.previews.remove(&self.preview);
                close(Vec::new())
            }
            Some(Action::Submit) => match &preview.result {
                Some(Ok(summary))
                    if text_of(&self.typed).trim() == preview.request.confirm_word() =>
                {
                    state.work.previews.remove(&self.preview);
                    close(crate::app::running::start_action(
                        state,
                        preview.request,
                        summary.clone(),
                    ))
                }
                Some(Ok(_)) => {
                    let word = preview.request.confirm_word().to_string();
                    info(
                        state,
                        BannerLevel::Warn,
                        format!("type `{word}` exactly to go ahead, or esc"),
                    );
                    keep(Vec::new())
                }
                Some(Err(_)) => {
                    info(
                        state,
                        BannerLevel::Warn,
                        "the dry run failed: nothing to confirm",
                    );
                    keep(Vec::new())
                }
                None => {
                    info(state, BannerLevel::Info, "waiting for the dry run...");
                    keep(Vec::new())
                }
            },
            _ => {
                self.typed.input(key);
                keep(Vec::new())
            }
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        let theme = &state.theme;
        let Some(preview) = state.work.previews.get(&self.preview) else {
            return;
        };
        let request = &preview.request;
        let mut lines = vec![Line::from(Span::styled(
            format!("{} {}", request.kind.as_str(), request.target),
            theme.style(Role::Title),
        ))];
        lines.extend(crate::ui::status::read_only_notice(state));
        match &preview.result {
            None => lines.push(Line::from("dry run: asking the API server...")),
            Some(Ok(summary)) => {
                lines.push(Line::from(format!("dry run: {summary}")));
                let mut line = vec![
                    Span::styled("This changes the cluster. ", theme.style(Role::Error)),
                    Span::raw("Type "),
                    Span::styled(request.confirm_word().to_string(), theme.style(Role::Key)),
                    Span::raw(format!(" to {}", what(request))),
                ];
                let namespace = (!matches!(
                    request.kind,
                    ActionKind::Cordon | ActionKind::Uncordon | ActionKind::Drain
                ))
                .then(|| format!("namespace {}", request.namespace));
                line.extend(crate::ui::status::change_target(
                    state,
                    namespace.as_deref(),
                ));
                line.push(Span::raw(", and press enter; esc cancels."));
                lines.push(Line::from(line));
            }
            Some(Err(e)) => lines.push(Line::from(Span::styled(
                format!("dry run failed: {e}"),
                theme.style(Role::Error),
            ))),
        }
        let rect = fit_box(area, 78, &lines, 3);
        frame.render_widget(Clear, rect);
        let block = boxed(theme, " Confirm action ");
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        typed_name(frame, inner, theme, &self.typed);
    }
}
