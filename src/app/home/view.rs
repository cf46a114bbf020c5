//! The home screen's view.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::alerts;
use super::state::{HomeState, Item};
use crate::tui::theme::{Role, Sym, Theme};

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
    let (alerts_line, failed) = state.alerts.status();
    let standalone = state.form.as_ref().is_some_and(|f| f.standalone);
    let mut header = vec![
        Line::from(vec![
            Span::styled(" runbook ", theme.style(Role::Title)),
            Span::styled(cluster, theme.style(Role::Muted)),
        ]),
        Line::from(vec![
            Span::raw(" search: "),
            Span::styled(format!("{}_", state.query), theme.style(Role::Key)),
        ]),
        // One line, whatever happened: a long reason is cut, not wrapped.
        Line::from(Span::styled(
            format!(" {alerts_line}"),
            theme.style(if failed { Role::Error } else { Role::Muted }),
        )),
    ];
    // The form of `run` has no list to search and no alerts behind it.
    if standalone {
        header.truncate(1);
    }
    frame.render_widget(Paragraph::new(header), head);
    if let Some(form) = &state.form {
        super::form_view::draw(state, form, theme, frame, body);
        let esc = if form.standalone { "quit" } else { "back" };
        let keys = match form.picked(state.names.as_ref()) {
            Some(name) => format!(
                " {} takes {name}  ctrl-n/p other names  tab next field  enter start  esc {esc}",
                theme.sym(Sym::Arrow)
            ),
            None => format!(" tab next field  enter start  esc {esc}"),
        };
        frame.render_widget(
            Paragraph::new(Span::styled(keys, theme.style(Role::Muted))),
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
    // Inside the border.
    let width = body.width.saturating_sub(2) as usize;
    let mut last_kind = None;
    for (i, item) in items.iter().enumerate() {
        // An alert and a group of alerts are one section.
        let kind = std::mem::discriminant(match item {
            Item::AlertGroup(_) => &Item::Alert(0),
            other => other,
        });
        if last_kind != Some(kind) {
            if last_kind.is_some() {
                lines.push(Line::default());
            }
            lines.push(Line::from(Span::styled(
                match item {
                    Item::Alert(_) | Item::AlertGroup(_) => "Firing alerts",
                    Item::Session(_) => "Resume an unfinished session",
                    Item::Playbook(_) => "Start a playbook",
                },
                theme.style(Role::Title),
            )));
            last_kind = Some(kind);
        }
        match item {
            Item::Alert(a) => {
                lines.push(alert_line(state, *a, i == state.selected, theme, width));
                continue;
            }
            Item::AlertGroup(g) => {
                lines.push(group_line(state, *g, i == state.selected, theme, width));
                continue;
            }
            _ => {}
        }
        // A wrapped entry continues under its text (after the severity
        // tag), so the eye still finds where each entry starts.
        let (text, indent) = match item {
            Item::Alert(_) | Item::AlertGroup(_) => (String::new(), 0),
            Item::Session(s) => {
                let s = &state.sessions[*s];
                let text = format!(
                    "{}  at step {}  ({})",
                    s.title,
                    s.current_step.as_deref().unwrap_or("-"),
                    s.id
                );
                (text, 4)
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
                let indent = (2 + unicode_width::UnicodeWidthStr::width(sev.as_str())).max(4);
                (
                    format!("{sev}{}  ({}){alerts}", m.title, m.name.value),
                    indent,
                )
            }
        };
        let style = if i == state.selected {
            theme.style(Role::Selected)
        } else {
            theme.style(Role::Normal)
        };
        for line in crate::tui::wrap::hanging(&format!("  {text}"), width, indent) {
            lines.push(Line::from(Span::styled(line, style)));
        }
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
    let keys = match items.get(state.selected) {
        Some(Item::AlertGroup(g)) => {
            let open = state.alerts.groups()[*g]
                .first()
                .is_some_and(|&m| state.unfolded.contains(state.alerts.rows()[m].alert.name()));
            if open {
                " left/enter fold  up/down move  type to search  esc quit"
            } else {
                " right/enter unfold  up/down move  type to search  esc quit"
            }
        }
        Some(Item::Alert(a))
            if state.query.is_empty() && state.alerts.group_members(*a).len() > 1 =>
        {
            " enter open  left fold  up/down move  type to search  esc quit"
        }
        _ => " type to search (alerts, titles, tags)  up/down move  enter open  esc quit",
    };
    let footer = match &state.notice {
        Some(notice) => Span::styled(format!(" {notice}"), theme.style(Role::Warn)),
        None => Span::styled(keys, theme.style(Role::Muted)),
    };
    frame.render_widget(Paragraph::new(footer), foot);
}

/// `WARN  12m  KubePodCrashLooping  -> pod-crashloop  Pod shop/x is crash looping`,
/// cut at the width: one alert, one line, what to do before the summary.
fn alert_line<'a>(
    state: &'a HomeState,
    i: usize,
    selected: bool,
    theme: &Theme,
    width: usize,
) -> Line<'a> {
    let Some(row) = state.alerts.rows().get(i) else {
        return Line::default();
    };
    let a = &row.alert;
    let since = a
        .age_seconds(state.now)
        .map_or_else(|| "-".to_string(), crate::kinds::format::age);
    let arrow = theme.sym(Sym::Arrow);
    let outcome = match (row.session, &row.matched) {
        (Some(s), _) => format!(
            "{arrow} being worked on in session {} (enter resumes)",
            state.sessions[s].id
        ),
        (None, Some(m)) if m.filled.missing.is_empty() => format!("{arrow} {}", m.playbook),
        // The first refused label says why it asks (`namespace=Shop_Prod:
        // must be a DNS label`); the form says it again.
        (None, Some(m)) => format!(
            "{arrow} {} (asks for {}{})",
            m.playbook,
            m.filled.missing.join(", "),
            m.filled
                .rejected
                .first()
                .map(|r| format!("; {}={}: {}", r.label, r.value, r.reason))
                .unwrap_or_default()
        ),
        (None, None) => "no playbook matches".into(),
    };
    let summary = a.summary().map(|s| format!("  {s}")).unwrap_or_default();
    // What tells this alert from the others of its name, right after it.
    let differs = differing_labels(state, i);
    let differs = if differs.is_empty() {
        String::new()
    } else {
        format!(" {differs}")
    };
    // A member of an unfolded group sits under its group's row, which
    // names it: the member says what tells it apart.
    let member = state.query.is_empty() && state.alerts.group_members(i).len() > 1;
    let (lead, name) = if member {
        ("    ", differs.trim_start().to_string())
    } else {
        ("  ", format!("{}{differs}", a.name()))
    };
    let rest = fit(
        &format!(" {since:>4}  {name}  {outcome}{summary}"),
        width.saturating_sub(4 + lead.len()),
        theme.sym(Sym::Ellipsis),
    );
    severity_row(lead, a, rest, selected, theme)
}

/// `WARN  40m  [+] KubePodCrashLooping x12  -> pod-crashloop  by pod (12), namespace (2)`:
/// the alerts of one name, most urgent severity, longest firing, where they
/// lead, and which labels tell them apart.
fn group_line<'a>(
    state: &'a HomeState,
    g: usize,
    selected: bool,
    theme: &Theme,
    width: usize,
) -> Line<'a> {
    let rows = state.alerts.rows();
    let Some(members) = state.alerts.groups().get(g) else {
        return Line::default();
    };
    let Some(first) = members.first().map(|&m| &rows[m]) else {
        return Line::default();
    };
    let name = first.alert.name();
    let fold = if state.unfolded.contains(name) {
        "[-]"
    } else {
        "[+]"
    };
    let since = members
        .iter()
        .filter_map(|&m| rows[m].alert.age_seconds(state.now))
        .max()
        .map_or_else(|| "-".to_string(), crate::kinds::format::age);
    let arrow = theme.sym(Sym::Arrow);
    let worked = members
        .iter()
        .filter(|&&m| rows[m].session.is_some())
        .count();
    let mut playbooks: Vec<&str> = members
        .iter()
        .filter_map(|&m| rows[m].matched.as_ref().map(|x| x.playbook.as_str()))
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    playbooks.retain(|p| seen.insert(*p));
    let outcome = match playbooks.as_slice() {
        [] => "no playbook matches".to_string(),
        [one] => format!("{arrow} {one}"),
        several => format!("{arrow} {}", several.join(", ")),
    };
    let worked = if worked > 0 {
        format!(", {worked} being worked on")
    } else {
        String::new()
    };
    let by: Vec<String> = alerts::differing(rows, members)
        .into_iter()
        .map(|(k, n)| format!("{k} ({n})"))
        .collect();
    let by = if by.is_empty() {
        String::new()
    } else {
        format!("  by {}", by.join(", "))
    };
    let rest = fit(
        &format!(
            " {since:>4}  {fold} {name} x{}  {outcome}{worked}{by}",
            members.len()
        ),
        width.saturating_sub(6),
        theme.sym(Sym::Ellipsis),
    );
    severity_row("  ", &first.alert, rest, selected, theme)
}

/// `lead`, the severity word in its color, then `rest`; all reversed when
/// selected.
fn severity_row<'a>(
    lead: &'a str,
    alert: &crate::alerts::Alert,
    rest: String,
    selected: bool,
    theme: &Theme,
) -> Line<'a> {
    let sev = alerts::severity_word(alert);
    if selected {
        return Line::from(Span::styled(
            format!("{lead}{sev:<4}{rest}"),
            theme.style(Role::Selected),
        ));
    }
    let sev_role = match crate::alerts::severity_rank(alert.severity()) {
        0 => Role::Error,
        1 | 2 => Role::Warn,
        _ => Role::Muted,
    };
    Line::from(vec![
        Span::raw(lead),
        Span::styled(format!("{sev:<4}"), theme.style(sev_role)),
        Span::styled(rest, theme.style(Role::Normal)),
    ])
}

/// The labels whose values differ among the firing alerts of alert `i`'s
/// name (`pod=checkout-1`), so two KubePodCrashLooping rows can be told
/// apart; nothing for a lone alert (its summary names its object).
fn differing_labels(state: &HomeState, i: usize) -> String {
    let rows = state.alerts.rows();
    let members = state.alerts.group_members(i);
    let Some(me) = rows.get(i).map(|r| &r.alert) else {
        return String::new();
    };
    if members.len() < 2 {
        return String::new();
    }
    alerts::differing(rows, members)
        .into_iter()
        .filter_map(|(k, _)| me.labels.get(&k).map(|v| format!("{k}={v}")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` in at most `width` columns, cut with `ellipsis` when longer.
fn fit(text: &str, width: usize, ellipsis: &str) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if text.width() <= width {
        return text.to_string();
    }
    let room = width.saturating_sub(ellipsis.width());
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > room {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push_str(ellipsis);
    out
}
