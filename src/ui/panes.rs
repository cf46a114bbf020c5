//! The live cluster panes: pods, nodes, events, workloads, as tables of the
//! rows the cluster task projected. Until a cluster is connected they say so.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Tabs, Wrap};

use super::theme::{Role, Theme};
use crate::app::state::{PaneTab, State};
use crate::cluster::format::{age, restarts};
use crate::cluster::snapshot::{Connection, ResourceState, Snapshot};

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
    let title = match (&state.scope.namespace, state.panes.all_namespaces) {
        (_, true) => " Cluster (all namespaces) ".to_string(),
        (Some(ns), false) => format!(" Cluster (namespace {ns}) "),
        (None, false) => " Cluster ".to_string(),
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
    let tab = PaneTab::ALL[state.panes.tab.min(PaneTab::ALL.len() - 1)];
    if let Some(msg) = problem(snapshot, tab) {
        frame.render_widget(
            Paragraph::new(Span::styled(msg, theme.style(Role::Error))).wrap(Wrap { trim: false }),
            body,
        );
        return;
    }
    table(frame, body, state, snapshot, tab, theme);
}

/// Rows in view for a tab (the focus, or all namespaces when widened).
fn count(state: &State, s: &Snapshot, tab: PaneTab) -> String {
    let all = state.panes.all_namespaces;
    let ns_ok = |ns: &str| all || state.scope.namespace_ok(ns);
    let n = match tab {
        PaneTab::Pods => s
            .pods
            .rows
            .iter()
            .filter(|p| ns_ok(&p.namespace) && (all || state.scope.labels_ok(&p.labels)))
            .count(),
        PaneTab::Nodes => s.nodes.rows.len(),
        PaneTab::Events => s
            .events
            .rows
            .iter()
            .filter(|e| ns_ok(&e.namespace) || state.scope.node.as_deref() == Some(&e.object_name))
            .count(),
        PaneTab::Workloads => s
            .deployments
            .rows
            .iter()
            .filter(|d| ns_ok(&d.namespace))
            .count(),
    };
    format!("({n})")
}

fn problem(s: &Snapshot, tab: PaneTab) -> Option<String> {
    let state = match tab {
        PaneTab::Pods => &s.pods.state,
        PaneTab::Nodes => &s.nodes.state,
        PaneTab::Events => &s.events.state,
        PaneTab::Workloads => &s.deployments.state,
    };
    match state {
        ResourceState::Live => None,
        ResourceState::Loading => Some("loading...".into()),
        ResourceState::Forbidden(m) | ResourceState::Missing(m) | ResourceState::Error(m) => {
            Some(m.clone())
        }
    }
}

/// `MemoryPressure,DiskPressure` when there is room, `Mem,Disk` when not.
fn pressure_text(conditions: &[&str], wide: bool) -> String {
    if wide {
        return conditions.join(",");
    }
    conditions
        .iter()
        .map(|c| match *c {
            "MemoryPressure" => "Mem",
            "DiskPressure" => "Disk",
            "PIDPressure" => "PID",
            "NetworkUnavailable" => "Net",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn matches(filter: &str, fields: &[&str]) -> bool {
    filter.is_empty() || fields.iter().any(|f| f.contains(filter))
}

fn table(frame: &mut Frame, area: Rect, state: &State, s: &Snapshot, tab: PaneTab, theme: &Theme) {
    let now = state.now.as_second();
    let f = state.panes.filter.as_str();
    let ns_ok = |ns: &str| state.panes.all_namespaces || state.scope.namespace_ok(ns);
    let visible = area.height.saturating_sub(1) as usize;
    // `scroll` is the selected row; the view scrolls to keep it visible.
    let selected = state.panes.scroll;
    let skip = selected.saturating_sub(visible.saturating_sub(1));
    let wide = area.width >= 90;
    let (header, widths, rows): (Vec<&str>, Vec<Constraint>, Vec<Row>) = match tab {
        PaneTab::Pods => (
            if wide {
                vec!["NAME", "READY", "STATUS", "RESTARTS", "AGE", "NODE"]
            } else {
                vec!["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
            },
            if wide {
                vec![
                    Constraint::Fill(3),
                    Constraint::Length(5),
                    Constraint::Length(17),
                    Constraint::Length(13),
                    Constraint::Length(4),
                    Constraint::Fill(1),
                ]
            } else {
                vec![
                    Constraint::Fill(1),
                    Constraint::Length(5),
                    Constraint::Length(17),
                    Constraint::Length(13),
                    Constraint::Length(4),
                ]
            },
            s.pods
                .rows
                .iter()
                .filter(|p| {
                    ns_ok(&p.namespace)
                        && (state.panes.all_namespaces || state.scope.labels_ok(&p.labels))
                })
                .filter(|p| matches(f, &[&p.name, &p.status, p.node.as_deref().unwrap_or("")]))
                .skip(skip)
                .take(visible)
                .map(|p| {
                    let healthy = p.status == "Running" && p.ready_containers == p.total_containers
                        || p.status == "Completed";
                    let mut cells = vec![
                        Cell::from(p.name.as_str()),
                        Cell::from(format!("{}/{}", p.ready_containers, p.total_containers)),
                        Cell::from(Span::styled(
                            p.status.as_str(),
                            if healthy {
                                Style::new()
                            } else {
                                theme.style(Role::Error)
                            },
                        )),
                        Cell::from(restarts(p.restarts, p.last_restart_at, now)),
                        Cell::from(p.created_at.map_or("-".into(), |c| age(now - c))),
                    ];
                    if wide {
                        cells.push(Cell::from(p.node.as_deref().unwrap_or_default()));
                    }
                    Row::new(cells)
                })
                .collect(),
        ),
        PaneTab::Nodes => (
            if wide {
                vec![
                    "NAME", "STATUS", "PRESSURE", "ROLES", "AGE", "VERSION", "PODS",
                ]
            } else {
                vec!["NAME", "STATUS", "PRESSURE", "AGE", "PODS"]
            },
            if wide {
                vec![
                    Constraint::Fill(2),
                    Constraint::Length(27),
                    Constraint::Fill(2),
                    Constraint::Fill(1),
                    Constraint::Length(5),
                    Constraint::Length(9),
                    Constraint::Length(4),
                ]
            } else {
                vec![
                    Constraint::Fill(1),
                    Constraint::Length(27),
                    Constraint::Length(10),
                    Constraint::Length(4),
                    Constraint::Length(4),
                ]
            },
            s.nodes
                .rows
                .iter()
                .filter(|n| matches(f, &[&n.name, &n.status]))
                .skip(skip)
                .take(visible)
                .map(|n| {
                    let ok = n.ready == Some(true);
                    let pressure = n.pressure();
                    let mut cells = vec![
                        Cell::from(n.name.clone()),
                        Cell::from(Span::styled(
                            n.status.clone(),
                            if ok {
                                Style::new()
                            } else {
                                theme.style(Role::Error)
                            },
                        )),
                        Cell::from(if pressure.is_empty() {
                            Span::raw("-")
                        } else {
                            Span::styled(pressure_text(&pressure, wide), theme.style(Role::Warn))
                        }),
                    ];
                    if wide {
                        cells.push(Cell::from(if n.roles.is_empty() {
                            "<none>".into()
                        } else {
                            n.roles.join(",")
                        }));
                    }
                    cells.push(Cell::from(
                        n.created_at.map_or("-".into(), |c| age(now - c)),
                    ));
                    if wide {
                        cells.push(Cell::from(n.version.clone()));
                    }
                    cells.push(Cell::from(
                        s.pods_per_node
                            .get(n.name.as_str())
                            .copied()
                            .unwrap_or(0)
                            .to_string(),
                    ));
                    Row::new(cells)
                })
                .collect(),
        ),
        PaneTab::Events => (
            vec!["AGE", "TYPE", "REASON", "OBJECT", "MESSAGE"],
            vec![
                Constraint::Length(5),
                Constraint::Length(7),
                Constraint::Length(16),
                Constraint::Fill(1),
                Constraint::Fill(2),
            ],
            s.events
                .rows
                .iter()
                .filter(|e| {
                    ns_ok(&e.namespace) || state.scope.node.as_deref() == Some(&e.object_name)
                })
                .filter(|e| matches(f, &[&e.reason, &e.object_name, &e.message]))
                .skip(skip)
                .take(visible)
                .map(|e| {
                    let warn = e.type_ == "Warning";
                    let count = if e.count > 1 {
                        format!(" (x{})", e.count)
                    } else {
                        String::new()
                    };
                    Row::new(vec![
                        Cell::from(e.last_seen.map_or("-".into(), |t| age(now - t))),
                        Cell::from(Span::styled(
                            e.type_.clone(),
                            if warn {
                                theme.style(Role::Warn)
                            } else {
                                Style::new()
                            },
                        )),
                        Cell::from(e.reason.clone()),
                        Cell::from(format!("{}/{}", e.kind.to_lowercase(), e.object_name)),
                        Cell::from(format!("{}{count}", e.message)),
                    ])
                })
                .collect(),
        ),
        PaneTab::Workloads => (
            vec!["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
            vec![
                Constraint::Fill(2),
                Constraint::Length(7),
                Constraint::Length(10),
                Constraint::Length(9),
                Constraint::Length(5),
            ],
            s.deployments
                .rows
                .iter()
                .filter(|d| ns_ok(&d.namespace))
                .filter(|d| matches(f, &[&d.name]))
                .skip(skip)
                .take(visible)
                .map(|d| {
                    let ok = d.ready == d.replicas;
                    Row::new(vec![
                        Cell::from(d.name.clone()),
                        Cell::from(Span::styled(
                            format!("{}/{}", d.ready, d.replicas),
                            if ok {
                                Style::new()
                            } else {
                                theme.style(Role::Error)
                            },
                        )),
                        Cell::from(d.updated.to_string()),
                        Cell::from(d.available.to_string()),
                        Cell::from(d.created_at.map_or("-".into(), |c| age(now - c))),
                    ])
                })
                .collect(),
        ),
    };
    if rows.is_empty() {
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
    let rows: Vec<Row> = rows
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
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.style(Role::Title)))
        .column_spacing(1);
    frame.render_widget(table, area);
}

/// What the selected row of the current pane is: (kind, namespace, name).
pub fn selected_object(state: &State) -> Option<(&'static str, String, String)> {
    let s = state.snapshot.as_ref()?;
    let all = state.panes.all_namespaces;
    let f = state.panes.filter.as_str();
    let ns_ok = |ns: &str| all || state.scope.namespace_ok(ns);
    let i = state.panes.scroll;
    match PaneTab::ALL[state.panes.tab.min(PaneTab::ALL.len() - 1)] {
        PaneTab::Pods => s
            .pods
            .rows
            .iter()
            .filter(|p| ns_ok(&p.namespace) && (all || state.scope.labels_ok(&p.labels)))
            .filter(|p| matches(f, &[&p.name, &p.status, p.node.as_deref().unwrap_or("")]))
            .nth(i)
            .map(|p| ("Pod", p.namespace.to_string(), p.name.to_string())),
        PaneTab::Nodes => s
            .nodes
            .rows
            .iter()
            .filter(|n| matches(f, &[&n.name, &n.status]))
            .nth(i)
            .map(|n| ("Node", String::new(), n.name.clone())),
        PaneTab::Events => s
            .events
            .rows
            .iter()
            .filter(|e| ns_ok(&e.namespace) || state.scope.node.as_deref() == Some(&e.object_name))
            .filter(|e| matches(f, &[&e.reason, &e.object_name, &e.message]))
            .nth(i)
            .map(|e| {
                let kind = match e.kind.as_str() {
                    "Node" => "Node",
                    "Deployment" => "Deployment",
                    _ => "Pod",
                };
                (kind, e.namespace.clone(), e.object_name.clone())
            }),
        PaneTab::Workloads => s
            .deployments
            .rows
            .iter()
            .filter(|d| ns_ok(&d.namespace))
            .filter(|d| matches(f, &[&d.name]))
            .nth(i)
            .map(|d| ("Deployment", d.namespace.clone(), d.name.clone())),
    }
}
