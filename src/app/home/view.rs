//! The home screen's view.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::state::{HomeState, Item};
use crate::ui::theme::{Role, Theme};

pub fn view(state: &HomeState, theme: &Theme, frame: &mut Frame) {
    let area = frame.area();
    let [head, body, foot] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let cluster = match (&state.context, &state.namespace) {
        (Some(c), Some(n)) => format!("context {c}, namespace {n}"),
        (Some(c), None) => format!("context {c}"),
        _ => "no kubeconfig context".into(),
    };
    let header = vec![
        Line::from(vec![
            Span::styled(" runbook ", theme.style(Role::Title)),
            Span::styled(cluster, theme.style(Role::Muted)),
        ]),
        Line::from(vec![
            Span::raw(" search: "),
            Span::styled(format!("{}_", state.query), theme.style(Role::Key)),
        ]),
    ];
    frame.render_widget(Paragraph::new(header), head);
    if let Some(form) = &state.form {
        draw_form(state, form, theme, frame, body);
        frame.render_widget(
            Paragraph::new(Span::styled(
                " tab next field  enter start  esc back",
                theme.style(Role::Muted),
            )),
            foot,
        );
        return;
    }
    let items = state.items();
    let mut lines = Vec::new();
    if items.is_empty() {
        lines.push(Line::from(Span::styled(
            "nothing matches; backspace widens the search",
            theme.style(Role::Muted),
        )));
    }
    let mut last_kind = None;
    for (i, item) in items.iter().enumerate() {
        let kind = matches!(item, Item::Session(_));
        if last_kind != Some(kind) {
            if last_kind.is_some() {
                lines.push(Line::default());
            }
            lines.push(Line::from(Span::styled(
                if kind {
                    "Resume an unfinished session"
                } else {
                    "Start a playbook"
                },
                theme.style(Role::Title),
            )));
            last_kind = Some(kind);
        }
        let text = match item {
            Item::Session(s) => {
                let s = &state.sessions[*s];
                format!(
                    "{}  at step {}  ({})",
                    s.title,
                    s.current_step.as_deref().unwrap_or("-"),
                    s.id
                )
            }
            Item::Playbook(p) => {
                let m = &state.entries[*p].playbook.metadata;
                let sev = m
                    .severity
                    .as_deref()
                    .map(|s| format!("[{s}] "))
                    .unwrap_or_default();
                let alerts = if m.alerts.is_empty() {
                    String::new()
                } else {
                    format!(
                        "  alerts: {}",
                        state.entries[*p].playbook.alert_names().join(", ")
                    )
                };
                format!("{sev}{}  ({}){alerts}", m.title, m.name.value)
            }
        };
        let style = if i == state.selected {
            theme.style(Role::Selected)
        } else {
            theme.style(Role::Normal)
        };
        lines.push(Line::from(Span::styled(format!("  {text}"), style)));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border());
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        body,
    );
    frame.render_widget(
        Paragraph::new(Span::styled(
            " type to search (title, tags, alert names)  up/down move  enter open  esc quit",
            theme.style(Role::Muted),
        )),
        foot,
    );
}

fn draw_form(
    state: &HomeState,
    form: &super::state::Form,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let pb = &state.entries[form.playbook].playbook;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border())
        .title(format!(" {} needs: ", pb.metadata.title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut y = inner.y;
    for (i, f) in form.fields.iter().enumerate() {
        if y + 4 > inner.y + inner.height {
            break;
        }
        let label = format!(
            "{}{}",
            f.name,
            if f.description.is_empty() {
                String::new()
            } else {
                format!(" - {}", f.description)
            }
        );
        frame.render_widget(
            Paragraph::new(Span::styled(label, theme.style(Role::Title))),
            Rect {
                y,
                height: 1,
                ..inner
            },
        );
        let mut input = f.input.clone();
        let border = if i == form.focus {
            theme.style(Role::Focused)
        } else {
            theme.style(Role::Muted)
        };
        input.set_block(
            Block::default()
                .borders(Borders::ALL)
                .border_set(theme.border())
                .border_style(border),
        );
        frame.render_widget(
            &input,
            Rect {
                y: y + 1,
                height: 3,
                ..inner
            },
        );
        let msg = match &f.error {
            Some(e) => Span::styled(format!("  {e}"), theme.style(Role::Error)),
            None => Span::styled("  ok", theme.style(Role::Ok)),
        };
        if y + 4 < inner.y + inner.height {
            frame.render_widget(
                Paragraph::new(msg),
                Rect {
                    y: y + 4,
                    height: 1,
                    ..inner
                },
            );
        }
        y += 5;
    }
}
