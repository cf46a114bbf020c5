//! Keys while an overlay is on top: each overlay takes its own keys, and
//! esc (or q where nothing is typed) closes it.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::detail::KeyResult;
use super::running::{action_request, start_command};
use super::state::{BannerLevel, Effect, Overlay, State};
use super::update::{advance, choose, detail_body_height, info, journal, single_line, text_of};
use crate::engine::Event;

pub(super) fn on_overlay_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let Some(top) = state.overlays.last_mut() else {
        return Vec::new();
    };
    match top {
        Overlay::Help => {
            if matches!(
                key.code,
                KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') | KeyCode::Enter
            ) {
                state.overlays.pop();
            }
            Vec::new()
        }
        Overlay::ConfirmQuit => match key.code {
            KeyCode::Char('y') | KeyCode::Char('Y') => {
                state.quit = true;
                vec![Effect::Quit]
            }
            KeyCode::Char('n') | KeyCode::Esc | KeyCode::Char('q') => {
                state.overlays.pop();
                Vec::new()
            }
            _ => Vec::new(),
        },
        Overlay::Timeline { scroll } => {
            match key.code {
                KeyCode::Esc | KeyCode::Char('t') | KeyCode::Char('q') => {
                    state.overlays.pop();
                }
                KeyCode::Char('k') | KeyCode::Up => {
                    *scroll = (*scroll)
                        .min(state.session.records().len())
                        .saturating_sub(1)
                }
                KeyCode::Char('j') | KeyCode::Down => *scroll = scroll.saturating_add(1),
                _ => {}
            }
            Vec::new()
        }
        Overlay::Escalation { index } => {
            let index = *index;
            match key.code {
                KeyCode::Enter | KeyCode::Char('y') => {
                    state.overlays.pop();
                    let Some(e) = state.session.playbook().metadata.escalation.get(index) else {
                        return Vec::new();
                    };
                    let event = Event::Escalated {
                        to: e.to.clone(),
                        after: e.after.value.clone(),
                    };
                    journal(state, vec![event])
                }
                KeyCode::Esc => {
                    state.overlays.pop();
                    Vec::new()
                }
                _ => Vec::new(),
            }
        }
        Overlay::Filter { input } => {
            match key.code {
                KeyCode::Enter => {
                    state.panes.filter = text_of(input).trim().to_string();
                    state.panes.reset_selection();
                    state.overlays.pop();
                }
                KeyCode::Esc => {
                    state.panes.filter.clear();
                    state.overlays.pop();
                }
                _ => {
                    input.input(key);
                }
            }
            Vec::new()
        }
        Overlay::Detail(view) => {
            let visible = detail_body_height(state.size.1);
            match view.on_key(key, visible, &mut state.next_log_stream) {
                KeyResult::Stay(effects) => effects,
                KeyResult::Close(effects) => {
                    state.overlays.pop();
                    effects
                }
            }
        }
        Overlay::Contexts(_) => super::contexts::on_key(state, key),
        Overlay::Actions { selected } => {
            let count = state.session.current_step().map_or(0, |s| s.actions.len());
            match key.code {
                KeyCode::Esc | KeyCode::Char('q') => {
                    state.overlays.pop();
                }
                KeyCode::Char('j') | KeyCode::Down => {
                    *selected = (*selected + 1).min(count.saturating_sub(1))
                }
                KeyCode::Char('k') | KeyCode::Up => *selected = selected.saturating_sub(1),
                KeyCode::Enter => {
                    let index = *selected;
                    state.overlays.pop();
                    return match action_request(state, index) {
                        Ok(request) => {
                            state.overlays.push(Overlay::ConfirmAction {
                                request: request.clone(),
                                preview: None,
                                typed: single_line(" type the name to confirm "),
                            });
                            vec![Effect::PreviewAction(request)]
                        }
                        Err(e) => {
                            info(state, BannerLevel::Error, e);
                            Vec::new()
                        }
                    };
                }
                _ => {}
            }
            Vec::new()
        }
        Overlay::ConfirmAction {
            request,
            preview,
            typed,
        } => {
            match key.code {
                KeyCode::Esc => {
                    state.overlays.pop();
                }
                KeyCode::Enter => match preview {
                    Some(Ok(summary)) if text_of(typed).trim() == request.confirm_word() => {
                        let (request, dry_run) = (request.clone(), summary.clone());
                        state.overlays.pop();
                        state.overlays.push(Overlay::ActionProgress {
                            request: request.clone(),
                            dry_run,
                            lines: Vec::new(),
                            done: None,
                        });
                        return vec![Effect::ExecuteAction(request)];
                    }
                    Some(Ok(_)) => {
                        let word = request.confirm_word().to_string();
                        info(
                            state,
                            BannerLevel::Warn,
                            format!("type `{word}` exactly to go ahead, or esc"),
                        );
                    }
                    Some(Err(_)) => info(
                        state,
                        BannerLevel::Warn,
                        "the dry run failed: nothing to confirm",
                    ),
                    None => info(state, BannerLevel::Info, "waiting for the dry run..."),
                },
                _ => {
                    typed.input(key);
                }
            }
            Vec::new()
        }
        Overlay::ActionProgress { done, .. } => {
            if done.is_some()
                && matches!(key.code, KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q'))
            {
                state.overlays.pop();
            }
            Vec::new()
        }
        Overlay::ConfirmRun { planned, typed } => {
            if key.code == KeyCode::Esc || (!planned.mutating && key.code == KeyCode::Char('n')) {
                state.overlays.pop();
                return Vec::new();
            }
            if !planned.mutating {
                if matches!(key.code, KeyCode::Char('y') | KeyCode::Enter) {
                    let planned = planned.clone();
                    state.overlays.pop();
                    return start_command(state, planned);
                }
                return Vec::new();
            }
            if key.code == KeyCode::Enter {
                if text_of(typed).trim() == planned.confirm_word {
                    let planned = planned.clone();
                    state.overlays.pop();
                    return start_command(state, planned);
                }
                let word = planned.confirm_word.clone();
                info(
                    state,
                    BannerLevel::Warn,
                    format!("type `{word}` exactly to run it, or esc"),
                );
                return Vec::new();
            }
            typed.input(key);
            Vec::new()
        }
        Overlay::Output {
            finish,
            scroll,
            lines,
            ..
        } => {
            match key.code {
                KeyCode::Esc | KeyCode::Char('q') => {
                    if finish.is_none() {
                        return vec![Effect::CancelCommand];
                    }
                    state.overlays.pop();
                }
                KeyCode::Char('k') | KeyCode::Up => {
                    *scroll = Some(scroll.unwrap_or(lines.len()).saturating_sub(1));
                }
                KeyCode::Char('j') | KeyCode::Down => {
                    let next = scroll.map(|s| s + 1);
                    *scroll = next.filter(|s| *s < lines.len());
                }
                _ => {}
            }
            Vec::new()
        }
        Overlay::Override { choice, input } => match key.code {
            KeyCode::Esc => {
                state.overlays.pop();
                Vec::new()
            }
            KeyCode::Enter => {
                let reason = text_of(input).trim().to_string();
                let choice = *choice;
                if reason.is_empty() {
                    info(
                        state,
                        BannerLevel::Warn,
                        "type the reason first: it goes into the journal",
                    );
                    return Vec::new();
                }
                state.overlays.pop();
                match choice {
                    Some(c) => choose(state, c, Some(&reason)),
                    None => advance(state, Some(&reason)),
                }
            }
            _ => {
                input.input(key);
                Vec::new()
            }
        },
        Overlay::Notes {
            input,
            confirm_discard,
        } => {
            if *confirm_discard {
                if matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y')) {
                    state.overlays.pop();
                } else {
                    *confirm_discard = false;
                }
                return Vec::new();
            }
            match key.code {
                KeyCode::Char('s') if ctrl => {
                    let text = text_of(input);
                    match state.session.propose_note(&text) {
                        Ok(event) => {
                            state.overlays.pop();
                            journal(state, vec![event])
                        }
                        Err(e) => {
                            info(state, BannerLevel::Warn, e.to_string());
                            Vec::new()
                        }
                    }
                }
                KeyCode::Esc => {
                    if input.is_empty() || text_of(input).trim().is_empty() {
                        state.overlays.pop();
                    } else {
                        *confirm_discard = true;
                    }
                    Vec::new()
                }
                _ => {
                    input.input(key);
                    Vec::new()
                }
            }
        }
    }
}
