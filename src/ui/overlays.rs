//! Overlays drawn over the screen, top of the stack last.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::theme::{Role, Theme};
use crate::app::keymap::help;
use crate::app::state::{Overlay, State};

pub(super) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [h] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(area);
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(h);
    v
}

/// A window over nearly all of `area` (less `margin` columns), for text
/// that wants the room: details, logs, output, the timeline.
pub(super) fn nearly_full(area: Rect, margin: u16) -> Rect {
    centered(
        area,
        area.width.saturating_sub(margin).max(40),
        area.height.saturating_sub(2).max(6),
    )
}

/// A centered box `width` wide (at most the screen) and tall enough for
/// `lines` as they wrap inside its borders, plus `extra` rows (an input).
fn fit_box(area: Rect, width: u16, lines: &[Line], extra: u16) -> Rect {
    let width = width.min(area.width);
    let wrapped = Paragraph::new(lines.to_vec())
        .wrap(Wrap { trim: false })
        .line_count(width.saturating_sub(2)) as u16;
    centered(area, width, wrapped + 2 + extra)
}

pub(super) fn boxed<'a>(theme: &Theme, title: &'a str) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border())
        .border_style(theme.style(Role::Focused))
        .title(title)
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, overlay: &Overlay) {
    let theme = &state.theme;
    match overlay {
        Overlay::Help => {
            let mode = state.mode();
            let mut lines: Vec<Line> = help(mode)
                .into_iter()
                .map(|(k, h)| {
                    Line::from(vec![
                        Span::styled(format!("{k:>10}  "), theme.style(Role::Key)),
                        Span::raw(h),
                    ])
                })
                .collect();
            lines.push(Line::default());
            lines.push(Line::from(Span::styled(
                "In text boxes: ctrl-s saves a note, enter submits, esc cancels.",
                theme.style(Role::Muted),
            )));
            lines.push(Line::from(Span::styled(
                "esc or ? closes this help",
                theme.style(Role::Muted),
            )));
            let rect = fit_box(area, 76, &lines, 0);
            frame.render_widget(Clear, rect);
            frame.render_widget(
                Paragraph::new(lines)
                    .wrap(Wrap { trim: false })
                    .block(boxed(theme, " Keys ")),
                rect,
            );
        }
        Overlay::ConfirmQuit => {
            let lines = vec![
                Line::from("Quit runbook?"),
                Line::from(Span::styled(
                    "The session stays on disk: `runbook resume` continues here.",
                    theme.style(Role::Muted),
                )),
                Line::default(),
                Line::from(vec![
                    Span::styled("y", theme.style(Role::Key)),
                    Span::raw(" quit   "),
                    Span::styled("n", theme.style(Role::Key)),
                    Span::raw(" stay"),
                ]),
            ];
            let rect = centered(area, 66, 6);
            frame.render_widget(Clear, rect);
            frame.render_widget(
                Paragraph::new(lines)
                    .wrap(Wrap { trim: false })
                    .block(boxed(theme, " Quit ")),
                rect,
            );
        }
        Overlay::Override { input, .. } => {
            let missing = state.session.unconfirmed_required();
            let step = state.session.current_step();
            let mut lines = vec![Line::from(Span::styled(
                format!("{} required item(s) are not confirmed:", missing.len()),
                theme.style(Role::Warn),
            ))];
            for i in &missing {
                if let Some(item) = step.and_then(|s| s.checklist.get(*i)) {
                    lines.push(Line::from(format!("  - {}", state.render(&item.text))));
                }
            }
            lines.push(Line::from(
                "Type why you go on anyway (it is journaled); enter continues, esc goes back.",
            ));
            let rect = fit_box(area, 76, &lines, 3);
            frame.render_widget(Clear, rect);
            let block = boxed(theme, " Override ");
            let inner = block.inner(rect);
            frame.render_widget(block, rect);
            frame.render_widget(
                Paragraph::new(lines).wrap(Wrap { trim: false }),
                Rect {
                    height: inner.height.saturating_sub(3),
                    ..inner
                },
            );
            let input_area = Rect {
                y: inner.y + inner.height.saturating_sub(3),
                height: 3,
                ..inner
            };
            let mut input = input.clone();
            input.set_block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_set(theme.border())
                    .title(" reason "),
            );
            frame.render_widget(&input, input_area);
        }
        Overlay::Notes {
            input,
            confirm_discard,
        } => {
            let rect = centered(area, 78, 14);
            frame.render_widget(Clear, rect);
            let title = if *confirm_discard {
                " Discard this note? y discards, any other key keeps editing "
            } else {
                " Note (ctrl-s saves to the journal, esc cancels) "
            };
            let mut input = input.clone();
            input.set_block(boxed(theme, title));
            frame.render_widget(&input, rect);
        }
        Overlay::Timeline { scroll } => super::timeline::draw(frame, area, state, *scroll),
        Overlay::Escalation { index } => {
            let Some(e) = state.session.playbook().metadata.escalation.get(*index) else {
                return;
            };
            let lines = vec![
                Line::from(Span::styled(
                    format!("Escalation due: {} into the incident.", e.after.value),
                    theme.style(Role::Error),
                )),
                Line::from(format!("Escalate to: {}", e.to)),
                Line::default(),
                Line::from(vec![
                    Span::styled("enter", theme.style(Role::Key)),
                    Span::raw(" I escalated (journaled)   "),
                    Span::styled("esc", theme.style(Role::Key)),
                    Span::raw(" not now"),
                ]),
            ];
            let rect = centered(area, 70, 6);
            frame.render_widget(Clear, rect);
            frame.render_widget(
                Paragraph::new(lines)
                    .wrap(Wrap { trim: false })
                    .block(boxed(theme, " Escalate ")),
                rect,
            );
        }
        Overlay::Detail(view) => {
            let rect = nearly_full(area, 2);
            frame.render_widget(Clear, rect);
            let visible = rect.height.saturating_sub(2) as usize;
            let mut body: Vec<Line> = match &view.lines {
                None => vec![Line::from(Span::styled(
                    "fetching...",
                    theme.style(Role::Muted),
                ))],
                Some(Err(e)) => vec![Line::from(Span::styled(
                    e.clone(),
                    theme.style(Role::Error),
                ))],
                Some(Ok(lines)) if lines.is_empty() && view.following().is_some() => {
                    vec![Line::from(Span::styled(
                        "waiting for log lines...",
                        theme.style(Role::Muted),
                    ))]
                }
                Some(Ok(lines)) => lines[view.top(visible)..]
                    .iter()
                    .take(visible)
                    .map(|l| Line::from(l.clone()))
                    .collect(),
            };
            if let Some(why) = &view.ended
                && body.len() < visible
            {
                body.push(Line::from(Span::styled(
                    format!("-- not following: {why} --"),
                    theme.style(Role::Warn),
                )));
            }
            let block = boxed(theme, "")
                .title(format!(" {} ", view.title()))
                .title_bottom(view.hints());
            frame.render_widget(Paragraph::new(body).block(block), rect);
        }
        Overlay::Actions { selected } => {
            let Some(step) = state.session.current_step() else {
                return;
            };
            let items: Vec<String> = step
                .actions
                .iter()
                .map(|a| {
                    format!(
                        "{} {} {}",
                        a.kind.as_str(),
                        state.render(&a.target),
                        a.description
                            .as_deref()
                            .map(|d| format!("- {}", state.render(d)))
                            .unwrap_or_default()
                    )
                })
                .collect();
            let footer = vec![Line::from(Span::styled(
                "enter previews it with a server-side dry run; nothing changes yet. esc closes.",
                theme.style(Role::Muted),
            ))];
            pick_list(frame, area, theme, " Actions ", &items, *selected, footer);
        }
        Overlay::Contexts(picker) => {
            let items: Vec<String> = picker
                .names
                .iter()
                .map(|name| {
                    if state.context.as_deref() == Some(name.as_str()) {
                        format!("{name}  (current)")
                    } else {
                        name.clone()
                    }
                })
                .collect();
            let mut footer = vec![Line::from(Span::styled(
                "enter switches the panes, checks and actions to it (journaled); esc closes.",
                theme.style(Role::Muted),
            ))];
            if state.read_only {
                footer.push(Line::from(Span::styled(
                    "read-only stays on for the rest of this session.",
                    theme.style(Role::Warn),
                )));
            }
            pick_list(
                frame,
                area,
                theme,
                " Kube context ",
                &items,
                picker.selected,
                footer,
            );
        }
        Overlay::ConfirmAction {
            request,
            preview,
            typed,
        } => {
            let mut lines = vec![Line::from(Span::styled(
                format!("{} {}", request.kind.as_str(), request.target),
                theme.style(Role::Title),
            ))];
            match preview {
                None => lines.push(Line::from("dry run: asking the API server...")),
                Some(Ok(summary)) => {
                    lines.push(Line::from(format!("dry run: {summary}")));
                    lines.push(Line::from(vec![
                        Span::styled("This changes the cluster. ", theme.style(Role::Error)),
                        Span::raw("Type "),
                        Span::styled(request.confirm_word().to_string(), theme.style(Role::Key)),
                        Span::raw(" and press enter; esc cancels."),
                    ]));
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
            typed_name(frame, inner, theme, typed);
        }
        Overlay::ActionProgress {
            request,
            lines,
            done,
            ..
        } => {
            let mut body: Vec<Line> = lines.iter().map(|l| Line::from(l.clone())).collect();
            match done {
                None => body.push(Line::from(Span::styled(
                    "working...",
                    theme.style(Role::Muted),
                ))),
                Some(Ok(summary)) => {
                    body.push(Line::from(Span::styled(
                        summary.clone(),
                        theme.style(Role::Ok),
                    )));
                    body.push(Line::from(Span::styled(
                        "journaled; esc closes",
                        theme.style(Role::Muted),
                    )));
                }
                Some(Err(e)) => body.push(Line::from(Span::styled(
                    format!("failed: {e}"),
                    theme.style(Role::Error),
                ))),
            }
            let rect = fit_box(area, 78, &body, 0);
            frame.render_widget(Clear, rect);
            let title = format!(" {} {} ", request.kind.as_str(), request.target);
            frame.render_widget(
                Paragraph::new(body)
                    .wrap(Wrap { trim: false })
                    .block(boxed(theme, "").title(title)),
                rect,
            );
        }
        Overlay::ConfirmRun { planned, typed } => {
            let mut lines = vec![
                Line::from(Span::styled(
                    format!("$ {}", planned.display()),
                    theme.style(Role::Code),
                )),
                Line::default(),
            ];
            if planned.mutating {
                lines.push(Line::from(Span::styled(
                    "This command changes the cluster.",
                    theme.style(Role::Error),
                )));
                lines.push(Line::from(vec![
                    Span::raw("Type "),
                    Span::styled(planned.confirm_word.clone(), theme.style(Role::Key)),
                    Span::raw(" and press enter to run it; esc cancels."),
                ]));
            } else {
                lines.push(Line::from(vec![
                    Span::styled("y", theme.style(Role::Key)),
                    Span::raw(" run it (no shell; output is journaled)   "),
                    Span::styled("n", theme.style(Role::Key)),
                    Span::raw(" cancel"),
                ]));
            }
            let extra = if planned.mutating { 3 } else { 0 };
            let rect = fit_box(area, 78, &lines, extra);
            frame.render_widget(Clear, rect);
            let block = boxed(theme, " Run command ");
            let inner = block.inner(rect);
            frame.render_widget(block, rect);
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
            if planned.mutating {
                typed_name(frame, inner, theme, typed);
            }
        }
        Overlay::Output {
            argv,
            lines,
            finish,
            scroll,
        } => {
            let rect = nearly_full(area, 4);
            frame.render_widget(Clear, rect);
            let status = match finish {
                None => " running; esc cancels ".to_string(),
                Some(f) => match (&f.error, f.exit_code) {
                    (Some(e), _) => format!(" {e} "),
                    (None, _) if f.timed_out => " timed out ".to_string(),
                    (None, _) if f.cancelled => " cancelled ".to_string(),
                    (None, Some(code)) => format!(" exit {code}; journaled; esc closes "),
                    (None, None) => " ended; esc closes ".to_string(),
                },
            };
            let visible = rect.height.saturating_sub(2) as usize;
            let end = scroll.map_or(lines.len(), |s| (s + 1).min(lines.len()));
            let start = end.saturating_sub(visible);
            let body: Vec<Line> = lines[start..end]
                .iter()
                .map(|l| Line::from(l.clone()))
                .collect();
            let title = format!(" $ {} ", argv.join(" "));
            let block = boxed(theme, "").title(title).title_bottom(status);
            frame.render_widget(Paragraph::new(body).block(block), rect);
        }
        Overlay::Filter { input } => {
            let rect = Rect {
                y: area.y + area.height.saturating_sub(4),
                height: 3.min(area.height),
                ..area
            };
            frame.render_widget(Clear, rect);
            let mut input = input.clone();
            input.set_block(boxed(theme, " Filter rows (enter applies, esc clears) "));
            frame.render_widget(&input, rect);
        }
    }
}

/// The box at the bottom of a confirmation where the target's name is typed.
fn typed_name(
    frame: &mut Frame,
    inner: Rect,
    theme: &Theme,
    typed: &ratatui_textarea::TextArea<'static>,
) {
    let input_area = Rect {
        y: inner.y + inner.height.saturating_sub(3),
        height: 3,
        ..inner
    };
    let mut typed = typed.clone();
    typed.set_block(
        Block::default()
            .borders(Borders::ALL)
            .border_set(theme.border()),
    );
    frame.render_widget(&typed, input_area);
}

/// A list to pick one from (`>` marks the selection, which stays in view),
/// with explaining lines under it.
fn pick_list(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    title: &str,
    items: &[String],
    selected: usize,
    footer: Vec<Line<'static>>,
) {
    let visible = usize::from(area.height.saturating_sub(8)).max(1);
    let top = selected.saturating_sub(visible.saturating_sub(1));
    let mut lines: Vec<Line> = items
        .iter()
        .enumerate()
        .skip(top)
        .take(visible)
        .map(|(i, text)| {
            if i == selected {
                Line::from(Span::styled(
                    format!("> {text}"),
                    theme.style(Role::Selected),
                ))
            } else {
                Line::from(format!("  {text}"))
            }
        })
        .collect();
    lines.push(Line::default());
    lines.extend(footer);
    let rect = fit_box(area, 78, &lines, 0);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(boxed(theme, title)),
        rect,
    );
}
