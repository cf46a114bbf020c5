//! The live cluster panes, any kind, as tables of the rows the cluster task
//! projected. From 160x40 up several panes show at once, each sized to its
//! rows; below, one at a time under tabs. The selected row's full text is
//! on the footer line. Until a cluster is connected they say so.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Wrap};

use super::pane_tables::{self, pane_columns};
use crate::app::model::State;
use crate::app::pane_rows;
use crate::kinds::format::age;
use crate::kinds::snapshot::{Connection, ResourceState, Snapshot};
use crate::kinds::{self, Ctx, KindId};
use crate::tui::theme::{Role, Theme};

pub fn connection_text(state: &State) -> (String, Role) {
    match state.snapshot.as_ref().map(|s| &s.connection) {
        None | Some(Connection::Disconnected) => ("no cluster".into(), Role::Muted),
        Some(Connection::Connecting) => ("connecting...".into(), Role::Warn),
        Some(Connection::Live) => ("live".into(), Role::Ok),
        Some(Connection::Reconnecting { since, .. }) => (
            format!(
                "reconnecting (data {} old)",
                age(state.now.as_second() - since)
            ),
            Role::Warn,
        ),
        Some(Connection::Failed(reason)) => (format!("failed: {reason}"), Role::Error),
    }
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, focused: bool) {
    let theme = &state.theme;
    let border = if focused {
        theme.style(Role::Focused)
    } else {
        theme.style(Role::Muted)
    };
    // Which pods the panes (and PODS per node) count: the focus or all.
    let title = match (&state.scope.namespace, &state.scope.node) {
        _ if state.panes.all_namespaces => " Cluster (all namespaces) ".to_string(),
        (Some(ns), _) => format!(" Cluster (namespace {ns}) "),
        (None, Some(node)) => format!(" Cluster (node {node}, all namespaces) "),
        (None, None) => " Cluster ".to_string(),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border())
        .border_style(border)
        .title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 2 {
        return;
    }
    let Some(snapshot) = state
        .snapshot
        .as_ref()
        .filter(|s| s.connection != Connection::Disconnected)
    else {
        let text = vec![
            Line::from(Span::styled(
                "No cluster connected.",
                theme.style(Role::Warn),
            )),
            Line::from(""),
            Line::from("This session runs without live panes: checks show `?` and"),
            Line::from("the steps work as a checklist. `runbook run` connects with"),
            Line::from("your kubeconfig; `runbook drill` uses a simulated cluster."),
        ];
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
        return;
    };
    let shown = state.shown_panes();
    let mut body = inner;
    if shown.len() == 1 {
        frame.render_widget(
            Paragraph::new(tab_line(state, snapshot, inner.width)),
            Rect { height: 1, ..inner },
        );
        body.y += 1;
        body.height -= 1;
    }
    if !state.panes.filter.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!("/{}", state.panes.filter),
                theme.style(Role::Key),
            )),
            Rect { height: 1, ..body },
        );
        body.y += 1;
        body.height = body.height.saturating_sub(1);
    }
    // The selected row, whole, on the last line when the panes have focus.
    let footer = focused && body.height > 3;
    if footer {
        body.height -= 1;
        let line = footer_line(state, snapshot);
        frame.render_widget(
            Paragraph::new(Span::styled(line, theme.style(Role::Muted))),
            Rect {
                y: body.y + body.height,
                height: 1,
                ..body
            },
        );
    }
    if shown.len() == 1 {
        pane(frame, body, state, snapshot, shown[0], focused, theme);
        return;
    }
    // Each pane's rows counted once a frame: the heights and titles share it.
    let counts: Vec<usize> = shown
        .iter()
        .map(|id| pane_rows::count(state, snapshot, *id))
        .collect();
    let heights = heights(snapshot, &shown, &counts, body.height);
    let mut y = body.y;
    for ((id, h), count) in shown.iter().zip(heights).zip(&counts) {
        if h == 0 {
            continue;
        }
        let current = *id == state.current_kind();
        let title = titled(snapshot, *id, *count);
        let style = if current {
            theme.style(Role::Selected)
        } else {
            theme.style(Role::Title)
        };
        frame.render_widget(
            Paragraph::new(Span::styled(format!(" {title} "), style)),
            Rect {
                y,
                height: 1,
                ..body
            },
        );
        let area = Rect {
            y: y + 1,
            height: h - 1,
            ..body
        };
        pane(frame, area, state, snapshot, *id, focused && current, theme);
        y += h;
    }
}

/// `Pods (3)`, `Nodes forbidden`, `Events` (not watched: no count).
fn pane_title(state: &State, s: &Snapshot, id: KindId) -> String {
    let counted = matches!(s.state(id), ResourceState::Live | ResourceState::Error(_));
    let count = if counted {
        pane_rows::count(state, s, id)
    } else {
        0
    };
    titled(s, id, count)
}

/// A pane's title with its rows counted already.
fn titled(s: &Snapshot, id: KindId, count: usize) -> String {
    let title = kinds::get(id).meta().title;
    match s.state(id) {
        ResourceState::Live | ResourceState::Error(_) => format!("{title} ({count})"),
        ResourceState::Forbidden(_) => format!("{title} forbidden"),
        ResourceState::Loading => format!("{title} …"),
        ResourceState::Idle | ResourceState::Missing(_) => title.to_string(),
    }
}

/// The tabs: the named panes (and the one in focus), from the one in
/// focus when they do not all fit; a note names kinds the cluster lacks.
fn tab_line<'a>(state: &State, s: &Snapshot, width: u16) -> Line<'a> {
    let theme = &state.theme;
    let list = state.pane_list();
    let current = state.current_kind();
    let named = state.named_panes().min(list.len());
    let mut ids: Vec<KindId> = list[..named].to_vec();
    if !ids.contains(&current) {
        ids.push(current);
    }
    // Numbered as `1`-`9` reach them.
    let titles: Vec<String> = ids
        .iter()
        .map(|id| {
            let title = pane_title(state, s, *id);
            match list.iter().position(|l| l == id) {
                Some(i) if i < 9 => format!("{} {title}", i + 1),
                _ => title,
            }
        })
        .collect();
    let total: usize = titles.iter().map(|t| t.chars().count() + 3).sum();
    let start = if total > usize::from(width) {
        ids.iter().position(|id| *id == current).unwrap_or(0)
    } else {
        0
    };
    let mut spans = Vec::new();
    if start > 0 {
        let more = if theme.ascii { "< " } else { "‹ " };
        spans.push(Span::styled(more, theme.style(Role::Muted)));
    }
    for (i, (id, t)) in ids.iter().zip(titles).enumerate().skip(start) {
        if i > start {
            spans.push(Span::styled(" | ", theme.style(Role::Muted)));
        }
        let style = if *id == current {
            theme.style(Role::Selected)
        } else {
            ratatui::style::Style::new()
        };
        spans.push(Span::styled(t, style));
    }
    let missing: Vec<&str> = kinds::KindId::all()
        .filter(|id| matches!(s.state(*id), ResourceState::Missing(_)))
        .map(|id| kinds::get(id).meta().title)
        .collect();
    if !missing.is_empty() {
        spans.push(Span::styled(
            format!("  (not served here: {})", missing.join(", ")),
            theme.style(Role::Muted),
        ));
    }
    Line::from(spans)
}

/// Each shown pane's height (its title included), sized to its rows: all
/// get a little, then the rest goes to those with more rows than room.
fn heights(s: &Snapshot, shown: &[KindId], counts: &[usize], total: u16) -> Vec<u16> {
    let need: Vec<u16> = shown
        .iter()
        .zip(counts)
        .map(|(id, count)| {
            let rows = if s.state(*id) == &ResourceState::Live {
                (*count).max(1)
            } else {
                1
            };
            // title, header, rows (a message row may wrap: a little more)
            2 + u16::try_from(rows).unwrap_or(u16::MAX).saturating_add(
                u16::from(
                    kinds::get(*id)
                        .columns()
                        .iter()
                        .any(|c| c.width == kinds::Width::Fill && c.pane),
                ) * 2,
            )
        })
        .collect();
    let mut got: Vec<u16> = need.iter().map(|n| (*n).min(3)).collect();
    // Too many for the room: the last ones wait.
    while got.iter().sum::<u16>() > total {
        match got.iter().rposition(|g| *g > 0) {
            Some(i) => got[i] = 0,
            None => break,
        }
    }
    let mut left = total.saturating_sub(got.iter().sum::<u16>());
    while left > 0 {
        let mut gave = false;
        for (g, n) in got.iter_mut().zip(&need) {
            if left > 0 && *g > 0 && *g < *n {
                *g += 1;
                left -= 1;
                gave = true;
            }
        }
        if !gave {
            break;
        }
    }
    // What nobody needs stays blank below the last pane.
    got
}

/// The selected row, every pane column in full.
fn footer_line(state: &State, s: &Snapshot) -> String {
    let id = state.current_kind();
    let kind = kinds::get(id);
    let Some(row) = pane_rows::rows(state, s, id, &state.panes.filter).nth(state.panes.scroll)
    else {
        return String::new();
    };
    let ctx = Ctx::new(state.now.as_second(), Some(s));
    let cells = kind.cells(row, &ctx);
    let mut parts: Vec<String> = Vec::new();
    if kind.namespaced() && !row.namespace().is_empty() {
        parts.push(row.namespace().to_string());
    }
    // The pane's columns and kubectl's own: the row as `kubectl get` has it.
    for (c, cell) in kind.columns().iter().zip(cells) {
        if (c.pane || c.kubectl == Some(0)) && !cell.text.is_empty() {
            parts.push(cell.text.to_string());
        }
    }
    let hidden = if state.panes.hscroll > 0 {
        format!("  (< > columns: {} scrolled)", state.panes.hscroll)
    } else {
        String::new()
    };
    format!("{}{hidden}", parts.join("  "))
}

fn problem(s: &Snapshot, id: KindId) -> Option<String> {
    match (s.state(id), &s.connection) {
        // Never connected: the reason, not a list that will not come.
        (ResourceState::Loading | ResourceState::Idle, Connection::Failed(reason)) => {
            Some(format!(
                "cannot connect: {reason}\n\nThe steps work without the cluster (checks show ?); c switches context."
            ))
        }
        (ResourceState::Live, _) => None,
        (ResourceState::Loading | ResourceState::Idle, _) => Some("loading...".into()),
        (ResourceState::Forbidden(m) | ResourceState::Missing(m) | ResourceState::Error(m), _) => {
            Some(m.clone())
        }
    }
}

/// One pane's table in `area`; the selection shows when `selecting`.
fn pane(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    s: &Snapshot,
    id: KindId,
    selecting: bool,
    theme: &Theme,
) {
    if area.height == 0 {
        return;
    }
    if let Some(msg) = problem(s, id) {
        frame.render_widget(
            Paragraph::new(Text::styled(msg, theme.style(Role::Error))).wrap(Wrap { trim: false }),
            area,
        );
        return;
    }
    let kind = kinds::get(id);
    let filter = pane_rows::filter_of(state, id);
    let current = id == state.current_kind();
    let selected = if current { state.panes.scroll } else { 0 };
    let visible = usize::from(area.height.saturating_sub(1)).max(1);
    // Rows around the selection: widths and wrapping come from these.
    let skip_guess = selected.saturating_sub(visible.saturating_sub(1));
    let ctx = Ctx::new(state.now.as_second(), Some(s));
    let window: Vec<(String, Vec<kinds::Cell>)> = pane_rows::rows(state, s, id, filter)
        .skip(skip_guess)
        .take(visible)
        .map(|r| (r.namespace().to_string(), kind.cells(r, &ctx)))
        .collect();
    if window.is_empty() {
        let what = if filter.is_empty() {
            "nothing in focus"
        } else {
            "no row matches the filter"
        };
        frame.render_widget(
            Paragraph::new(Span::styled(what, theme.style(Role::Muted))),
            area,
        );
        return;
    }
    let columns = pane_columns(
        kind.columns(),
        kind.namespaced() && state.panes.all_namespaces,
    );
    let highlight = (selecting && state.mode() == crate::app::keymap::Mode::Panes)
        .then(|| selected - skip_guess);
    let skip = if current { state.panes.hscroll } else { 0 };
    let table = pane_tables::table(&columns, &window, area.width, skip, highlight, theme);
    // Rows that wrap take more lines: keep only those that fit, the
    // selection among them.
    let mut rows: Vec<Row> = table.rows;
    let mut used = 0usize;
    let mut keep = 0usize;
    for h in &table.heights {
        if used + h > visible {
            break;
        }
        used += h;
        keep += 1;
    }
    let first = highlight.map_or(0, |h| h.saturating_sub(keep.saturating_sub(1)));
    rows = rows.into_iter().skip(first).take(keep.max(1)).collect();
    let widget = Table::new(rows, table.widths)
        .header(Row::new(table.header).style(theme.style(Role::Title)))
        .column_spacing(1);
    frame.render_widget(widget, area);
}
