//! One table per cluster pane, built from the rows in view. Columns that
//! hold short words (a node's status, an event's reason) are as wide as
//! their widest visible value, so an 80-column terminal keeps its room for
//! names and messages; below 90 columns events take two lines each, the
//! message on its own line.

use std::sync::Arc;

use ratatui::layout::Constraint;
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Cell, Row};

use crate::cluster::format::{age, restarts};
use crate::cluster::rows::{DeploymentRow, EventRow, NodeRow, PodRow};
use crate::tui::theme::{Role, Theme};

/// A pane's table: header, column widths, rows and how many lines a row takes.
pub struct PaneTable<'a> {
    pub header: Vec<&'static str>,
    pub widths: Vec<Constraint>,
    pub rows: Vec<Row<'a>>,
}

/// Below this inner width, panes drop their least needed columns.
pub const WIDE: u16 = 90;

/// Lines a row of this pane takes at this width.
pub fn row_height(events: bool, width: u16) -> usize {
    if events && width < WIDE { 2 } else { 1 }
}

/// The widest of `values` and the header, within `max`.
fn fit<'s>(header: &str, values: impl Iterator<Item = &'s str>, max: usize) -> Constraint {
    let widest = values
        .map(|v| v.chars().count())
        .chain([header.len()])
        .max()
        .unwrap_or(0);
    Constraint::Length(widest.min(max) as u16)
}

/// Plain when all is well, `role` (error, warning) when not.
fn unless(ok: bool, role: Role, theme: &Theme) -> Style {
    if ok { Style::new() } else { theme.style(role) }
}

fn styled<'a>(text: impl Into<std::borrow::Cow<'a, str>>, style: Style) -> Cell<'a> {
    Cell::from(Span::styled(text, style))
}

pub fn pods<'a>(rows: &[&'a Arc<PodRow>], wide: bool, now: i64, theme: &Theme) -> PaneTable<'a> {
    let mut header = vec!["NAME", "READY", "STATUS", "RESTARTS", "AGE"];
    let mut widths = vec![
        Constraint::Fill(3),
        Constraint::Length(5),
        fit("STATUS", rows.iter().map(|p| p.status.as_ref()), 26),
        Constraint::Length(13),
        Constraint::Length(4),
    ];
    if wide {
        header.push("NODE");
        widths.push(Constraint::Fill(1));
    }
    let rows = rows
        .iter()
        .map(|p| {
            let healthy = p.status == "Running" && p.ready_containers == p.total_containers
                || p.status == "Completed";
            let mut cells = vec![
                Cell::from(p.name.as_ref()),
                Cell::from(format!("{}/{}", p.ready_containers, p.total_containers)),
                styled(p.status.as_ref(), unless(healthy, Role::Error, theme)),
                Cell::from(restarts(p.restarts, p.last_restart_at, now)),
                Cell::from(p.created_at.map_or("-".into(), |c| age(now - c))),
            ];
            if wide {
                cells.push(Cell::from(p.node.as_deref().unwrap_or_default()));
            }
            Row::new(cells)
        })
        .collect();
    PaneTable {
        header,
        widths,
        rows,
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

pub fn nodes<'a>(
    rows: &[&'a Arc<NodeRow>],
    pods_per_node: &std::collections::HashMap<crate::cluster::intern::Text, u32>,
    wide: bool,
    now: i64,
    theme: &Theme,
) -> PaneTable<'a> {
    let status = fit("STATUS", rows.iter().map(|n| n.status.as_str()), 27);
    let pressures: Vec<String> = rows
        .iter()
        .map(|n| pressure_text(&n.pressure(), wide))
        .collect();
    let pressure = fit("PRESSURE", pressures.iter().map(String::as_str), 60);
    let header = if wide {
        vec![
            "NAME", "STATUS", "PRESSURE", "ROLES", "AGE", "VERSION", "PODS",
        ]
    } else {
        vec!["NAME", "STATUS", "PRESSURE", "AGE", "PODS"]
    };
    let widths = if wide {
        vec![
            Constraint::Fill(2),
            status,
            pressure,
            Constraint::Fill(1),
            Constraint::Length(5),
            Constraint::Length(9),
            Constraint::Length(4),
        ]
    } else {
        vec![
            Constraint::Fill(1),
            status,
            pressure,
            Constraint::Length(4),
            Constraint::Length(4),
        ]
    };
    let rows = rows
        .iter()
        .zip(pressures)
        .map(|(n, pressure)| {
            let ok = n.ready == Some(true);
            let mut cells = vec![
                Cell::from(n.name.as_str()),
                styled(n.status.as_str(), unless(ok, Role::Error, theme)),
                if pressure.is_empty() {
                    Cell::from("-")
                } else {
                    styled(pressure, theme.style(Role::Warn))
                },
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
                cells.push(Cell::from(n.version.as_str()));
            }
            cells.push(Cell::from(
                pods_per_node
                    .get(n.name.as_str())
                    .copied()
                    .unwrap_or(0)
                    .to_string(),
            ));
            Row::new(cells)
        })
        .collect();
    PaneTable {
        header,
        widths,
        rows,
    }
}

/// Wide: one line per event. Narrow: what happened to which object on the
/// first line and the whole width for the message on the second.
pub fn events<'a>(
    rows: &[&'a Arc<EventRow>],
    wide: bool,
    now: i64,
    theme: &Theme,
) -> PaneTable<'a> {
    let kind_style = |e: &EventRow| unless(e.type_ != "Warning", Role::Warn, theme);
    let object = |e: &EventRow| format!("{}/{}", e.kind.to_lowercase(), e.object_name);
    let message = |e: &EventRow| {
        if e.count > 1 {
            format!("{} (x{})", e.message, e.count)
        } else {
            e.message.clone()
        }
    };
    let seen = |e: &EventRow| e.last_seen.map_or("-".into(), |t| age(now - t));
    if wide {
        let reason = fit("REASON", rows.iter().map(|e| e.reason.as_str()), 22);
        let rows = rows
            .iter()
            .map(|e| {
                Row::new(vec![
                    Cell::from(seen(e)),
                    styled(e.type_.as_str(), kind_style(e)),
                    Cell::from(e.reason.as_str()),
                    Cell::from(object(e)),
                    Cell::from(message(e)),
                ])
            })
            .collect();
        return PaneTable {
            header: vec!["AGE", "TYPE", "REASON", "OBJECT", "MESSAGE"],
            widths: vec![
                Constraint::Length(5),
                Constraint::Length(7),
                reason,
                Constraint::Fill(1),
                Constraint::Fill(2),
            ],
            rows,
        };
    }
    let rows = rows
        .iter()
        .map(|e| {
            let what = Line::from(vec![
                Span::styled(e.type_.as_str(), kind_style(e)),
                Span::raw(" "),
                Span::raw(e.reason.as_str()),
                Span::raw(" "),
                Span::raw(object(e)),
            ]);
            let text = Text::from(vec![what, Line::from(format!("  {}", message(e)))]);
            Row::new(vec![Cell::from(seen(e)), Cell::from(text)]).height(2)
        })
        .collect();
    PaneTable {
        header: vec!["AGE", "EVENT"],
        widths: vec![Constraint::Length(5), Constraint::Fill(1)],
        rows,
    }
}

pub fn deployments<'a>(rows: &[&'a Arc<DeploymentRow>], now: i64, theme: &Theme) -> PaneTable<'a> {
    let rows = rows
        .iter()
        .map(|d| {
            let ok = d.ready == d.replicas;
            Row::new(vec![
                Cell::from(d.name.as_str()),
                styled(
                    format!("{}/{}", d.ready, d.replicas),
                    unless(ok, Role::Error, theme),
                ),
                Cell::from(d.updated.to_string()),
                Cell::from(d.available.to_string()),
                Cell::from(d.created_at.map_or("-".into(), |c| age(now - c))),
            ])
        })
        .collect();
    PaneTable {
        header: vec!["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
        widths: vec![
            Constraint::Fill(2),
            Constraint::Length(7),
            Constraint::Length(10),
            Constraint::Length(9),
            Constraint::Length(5),
        ],
        rows,
    }
}
