//! The live cluster panes: pods, nodes, events, workloads, as tables of the
//! rows the cluster task projected. Until a cluster is connected they say so.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Tabs, Wrap};

use super::pane_tables;
use crate::app::model::{PaneTab, State};
use crate::app::pane_rows;
use crate::cluster::format::age;
use crate::cluster::snapshot::{Connection, ResourceState, Snapshot};
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
    let titles: Vec<Line> = PaneTab::ALL
        .iter()
        .map(|t| Line::from(format!("{} {}", t.title(), count(state, snapshot, *t))))
        .collect();
    let tabs = Tabs::new(titles)
        .select(state.panes.tab)
        .highlight_style(theme.style(Role::Selected))
        .divider("|");
    frame.render_widget(tabs, Rect { height: 1, ..inner });
    let mut body = Rect {
        y: inner.y + 1,
        height: inner.height - 1,
        ..inner
    };
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
    let tab = state.panes.current_tab();
    if let Some(msg) = problem(snapshot, tab) {
        frame.render_widget(
            Paragraph::new(Text::styled(msg, theme.style(Role::Error))).wrap(Wrap { trim: false }),
            body,
        );
        return;
    }
    table(frame, body, state, snapshot, tab, theme);
}

fn count(state: &State, s: &Snapshot, tab: PaneTab) -> String {
    format!("({})", pane_rows::count(state, s, tab))
}

fn problem(s: &Snapshot, tab: PaneTab) -> Option<String> {
    let state = match tab {
        PaneTab::Pods => &s.pods.state,
        PaneTab::Nodes => &s.nodes.state,
        PaneTab::Events => &s.events.state,
        PaneTab::Workloads => &s.deployments.state,
    };
    match (state, &s.connection) {
        // Never connected: the reason, not a list that will not come.
        (ResourceState::Loading, Connection::Failed(reason)) => Some(format!(
            "cannot connect: {reason}\n\nThe steps work without the cluster (checks show ?); c switches context."
        )),
        (ResourceState::Live, _) => None,
        (ResourceState::Loading, _) => Some("loading...".into()),
        (ResourceState::Forbidden(m) | ResourceState::Missing(m) | ResourceState::Error(m), _) => {
            Some(m.clone())
        }
    }
}

/// The rows from `skip` that fit in `visible`.
fn window<'a, T: 'a>(rows: impl Iterator<Item = &'a T>, skip: usize, visible: usize) -> Vec<&'a T> {
    rows.skip(skip).take(visible).collect()
}

fn table(frame: &mut Frame, area: Rect, state: &State, s: &Snapshot, tab: PaneTab, theme: &Theme) {
    let now = state.now.as_second();
    let f = state.panes.filter.as_str();
    let wide = area.width >= pane_tables::WIDE;
    let line_height = pane_tables::row_height(tab == PaneTab::Events, area.width);
    let visible = (area.height.saturating_sub(1) as usize / line_height).max(1);
    // `scroll` is the selected row; the view scrolls to keep it visible.
    let selected = state.panes.scroll;
    let skip = selected.saturating_sub(visible.saturating_sub(1));
    let table = match tab {
        PaneTab::Pods => pane_tables::pods(
            &window(pane_rows::pods(state, s, f), skip, visible),
            wide,
            now,
            theme,
        ),
        PaneTab::Nodes => pane_tables::nodes(
            &window(pane_rows::nodes(s, f), skip, visible),
            &s.pods_per_node,
            wide,
            now,
            theme,
        ),
        PaneTab::Events => pane_tables::events(
            &window(pane_rows::events(state, s, f), skip, visible),
            wide,
            now,
            theme,
        ),
        PaneTab::Workloads => pane_tables::deployments(
            &window(pane_rows::deployments(state, s, f), skip, visible),
            now,
            theme,
        ),
    };
    if table.rows.is_empty() {
        let what = if f.is_empty() {
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
    let highlight = selected - skip;
    let rows: Vec<Row> = table
        .rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            if i == highlight && state.mode() == crate::app::keymap::Mode::Panes {
                r.style(theme.style(Role::Selected))
            } else {
                r
            }
        })
        .collect();
    let widget = Table::new(rows, table.widths)
        .header(Row::new(table.header).style(theme.style(Role::Title)))
        .column_spacing(1);
    frame.render_widget(widget, area);
}
