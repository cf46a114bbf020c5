//! The current step: title, markdown body, checklist, choices, commands and
//! actions, with the selection highlighted and the cluster's word beside
//! each item and choice.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::markdown;
use crate::app::model::{Selected, State};
use crate::checks::CheckOutcome;
use crate::engine::CheckResult;
use crate::tui::theme::{Role, Sym, Theme};

/// The step's lines and the index of the line holding the selection.
pub fn lines(state: &State) -> (Vec<Line<'static>>, Option<usize>) {
    let theme = &state.theme;
    let Some(step) = state.session.current_step() else {
        return (vec![Line::from("No step.")], None);
    };
    let id = step.id.value.as_str();
    let selected = state.selected();
    let mut out: Vec<Line<'static>> = Vec::new();
    let mut selected_line = None;
    out.push(Line::from(Span::styled(
        state.render(&step.title),
        theme.style(Role::Title),
    )));
    out.push(Line::default());
    if let Some(body) = &step.body {
        out.extend(markdown::render(&state.render(body), theme));
        out.push(Line::default());
    }
    if !step.checklist.is_empty() {
        out.push(heading(theme, "Checklist"));
        for (i, item) in step.checklist.iter().enumerate() {
            let done = state.session.is_confirmed(id, i);
            let is_sel = selected == Selected::Item(i);
            if is_sel {
                selected_line = Some(out.len());
            }
            let mut spans = vec![
                cursor(theme, is_sel),
                Span::styled(
                    format!(
                        "{} ",
                        theme.sym(if done { Sym::Checked } else { Sym::Unchecked })
                    ),
                    if done {
                        theme.style(Role::Ok)
                    } else {
                        Style::new()
                    },
                ),
                Span::styled(
                    state.render(&item.text),
                    if is_sel {
                        theme.style(Role::Selected)
                    } else {
                        Style::new()
                    },
                ),
            ];
            if !item.required {
                spans.push(Span::styled(" (optional)", theme.style(Role::Muted)));
            }
            let outcome = state.check_result(item.check.as_ref().map(|c| c.value.as_str()));
            spans.extend(check_badge(theme, outcome, item.check.is_some(), is_sel));
            out.push(Line::from(spans));
            if is_sel {
                out.extend(evidence_lines(theme, outcome));
            }
        }
        out.push(Line::default());
    }
    if !step.choices.is_empty() {
        out.push(heading(theme, "What do you see? (1-9 or enter)"));
        for (i, choice) in step.choices.iter().enumerate() {
            let is_sel = selected == Selected::Choice(i);
            if is_sel {
                selected_line = Some(out.len());
            }
            // A drill keeps the cluster's word on its choices to itself
            // until the trainee asks for a hint (H).
            let outcome = state
                .check_result(choice.when.as_ref().map(|w| w.value.as_str()))
                .filter(|_| state.reveal());
            let suggested = outcome.is_some_and(|o| o.result == CheckResult::Pass);
            let mut spans = vec![
                cursor(theme, is_sel),
                Span::styled(format!("{}. ", i + 1), theme.style(Role::Key)),
                Span::styled(
                    state.render(&choice.label),
                    if is_sel {
                        theme.style(Role::Selected)
                    } else if suggested {
                        theme.style(Role::Suggested)
                    } else {
                        Style::new()
                    },
                ),
            ];
            if suggested {
                spans.push(Span::styled(
                    format!(" {} cluster suggests", theme.sym(Sym::Arrow)),
                    theme.style(Role::Suggested),
                ));
            } else if state.reveal() {
                spans.extend(check_badge(theme, outcome, choice.when.is_some(), is_sel));
            }
            out.push(Line::from(spans));
            if is_sel {
                out.extend(evidence_lines(theme, outcome));
            }
        }
        out.push(Line::default());
    }
    if !step.commands.is_empty() {
        out.push(heading(theme, "Commands (y copies)"));
        for (i, command) in step.commands.iter().enumerate() {
            let is_sel = selected == Selected::Command(i);
            if is_sel {
                selected_line = Some(out.len());
            }
            let style = if is_sel {
                theme.style(Role::Selected)
            } else {
                theme.style(Role::Code)
            };
            out.push(Line::from(vec![
                cursor(theme, is_sel),
                Span::styled(format!("$ {}", state.render(&command.run)), style),
            ]));
            if let Some(d) = &command.description {
                out.push(Line::from(Span::styled(
                    format!("    {}", state.render(d)),
                    theme.style(Role::Muted),
                )));
            }
        }
        out.push(Line::default());
    }
    if !step.actions.is_empty() {
        out.push(heading(theme, "Actions"));
        for a in &step.actions {
            let text = a
                .description
                .as_deref()
                .map(|d| format!(" - {}", state.render(d)))
                .unwrap_or_default();
            out.push(Line::from(format!(
                "  {} {}{}",
                a.kind.as_str(),
                state.render(&a.target),
                text
            )));
        }
        out.push(Line::default());
    }
    out.push(next_hint(state));
    (out, selected_line)
}

fn heading(theme: &Theme, text: &str) -> Line<'static> {
    Line::from(Span::styled(text.to_string(), theme.style(Role::Title)))
}

fn cursor(theme: &Theme, selected: bool) -> Span<'static> {
    if selected {
        Span::styled(
            format!("{} ", theme.sym(Sym::Current)),
            theme.style(Role::Focused),
        )
    } else {
        Span::raw("  ")
    }
}

/// ` ✓ cluster: yes (2 objects)` and friends, beside an item or choice.
fn check_badge(
    theme: &Theme,
    outcome: Option<&CheckOutcome>,
    has_check: bool,
    listed_below: bool,
) -> Vec<Span<'static>> {
    if !has_check {
        return Vec::new();
    }
    let Some(o) = outcome else {
        return vec![Span::styled(
            format!("  {}", theme.sym(Sym::Unknown)),
            theme.style(Role::Muted),
        )];
    };
    let (sym, role, word) = match o.result {
        CheckResult::Pass => (Sym::Pass, Role::Ok, "yes"),
        CheckResult::Fail => (Sym::Fail, Role::Warn, "no"),
        CheckResult::Unknown => (Sym::Unknown, Role::Muted, "unknown"),
    };
    let detail = match (&o.detail, o.objects.first()) {
        (Some(d), _) => format!(" ({d})"),
        // The selected row lists them all under it (`evidence_lines`).
        (None, Some(_)) if o.objects.len() > 1 && listed_below => {
            format!(" ({} objects)", o.objects.len())
        }
        (None, Some(first)) if o.objects.len() > 1 => {
            format!(" ({first} +{})", o.objects.len() - 1)
        }
        (None, Some(first)) => format!(" ({first})"),
        _ => String::new(),
    };
    vec![Span::styled(
        format!("  {} cluster: {word}{detail}", theme.sym(sym)),
        theme.style(role),
    )]
}

/// The matching objects of the selected item's check, listed in full.
fn evidence_lines(theme: &Theme, outcome: Option<&CheckOutcome>) -> Vec<Line<'static>> {
    let Some(o) = outcome.filter(|o| o.objects.len() > 1) else {
        return Vec::new();
    };
    o.objects
        .iter()
        .map(|name| {
            Line::from(Span::styled(
                format!("      {} {name}", theme.sym(Sym::Bullet)),
                theme.style(Role::Muted),
            ))
        })
        .collect()
}

fn next_hint(state: &State) -> Line<'static> {
    let theme = &state.theme;
    let Some(step) = state.session.current_step() else {
        return Line::default();
    };
    let missing = state.session.unconfirmed_required().len();
    let text = if missing > 0 {
        format!("Next: confirm {missing} required item(s) with space, then enter")
    } else if let Some(outcome) = step.outcome {
        format!("Next: enter ends the session as {}", outcome.as_str())
    } else if !step.choices.is_empty() {
        "Next: pick what you see (1-9)".to_string()
    } else {
        "Next: enter goes to the next step".to_string()
    };
    Line::from(Span::styled(text, theme.style(Role::Focused)))
}
