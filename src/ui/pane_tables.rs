//! One table for any kind's pane, from the kind's columns and cells. The
//! NAME column is sized first, then the columns a responder needs (a pod's
//! STATUS and RESTARTS, an event's REASON and MESSAGE: `Column::keep`), for
//! which a name shrinks, keeping its unique tail (`checkout-6d…q9dtn`) so
//! two rows never look alike; the other columns follow while they fit and
//! the rest are reached with `<`/`>`. A message column wraps over up to
//! three lines; a cell cut short ends in `…`. Widths come from the rows in
//! view only, so a frame costs the same at 100 or 100,000 rows.

use ratatui::layout::Constraint;
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Cell as TableCell, Row};

use crate::kinds::{Cell, Column, Tone, Width};
use crate::tui::theme::{Role, Theme};

/// Most lines a wrapped cell takes.
const WRAP_LINES: usize = 3;
/// The narrowest a kept message column gets (then it wraps).
const FILL_MIN: usize = 20;
/// The narrowest a name shrinks to for the kept columns.
const NAME_MIN: usize = 12;

/// A pane's table, ready to draw.
pub struct PaneTable<'a> {
    pub header: Vec<String>,
    pub widths: Vec<Constraint>,
    pub rows: Vec<Row<'a>>,
    /// Lines each row takes.
    pub heights: Vec<usize>,
    /// Columns left out for want of room (reachable with `<`/`>`).
    pub hidden: usize,
}

/// A column as the pane lays it out: the kind's, or NAMESPACE (`A`).
#[derive(Debug, Clone, Copy)]
pub struct PaneColumn {
    pub header: &'static str,
    pub width: Width,
    /// Index into the kind's cells; None for NAMESPACE.
    pub cell: Option<usize>,
    /// Kept in a narrow pane, by rank (`Column::keep`; 0: not kept).
    pub keep: u8,
}

/// The kind's pane columns, NAMESPACE first when every namespace shows.
pub fn pane_columns(columns: &'static [Column], namespaced: bool) -> Vec<PaneColumn> {
    let mut out = Vec::new();
    if namespaced {
        out.push(PaneColumn {
            header: "Namespace",
            width: Width::Fit(24),
            cell: None,
            keep: 0,
        });
    }
    out.extend(
        columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.pane)
            .map(|(i, c)| PaneColumn {
                header: c.name,
                width: c.width,
                cell: Some(i),
                keep: c.keep,
            }),
    );
    out
}

/// `name` in `width` columns: whole if it fits, else its head, `…`, and
/// a tail long enough that no two of `names` end alike.
pub fn fit_name(name: &str, width: usize, names: &[&str]) -> String {
    let len = name.chars().count();
    if len <= width {
        return name.to_string();
    }
    if width <= 2 {
        return name.chars().take(width).collect();
    }
    let tail_of = |s: &str, t: usize| -> String {
        let n = s.chars().count();
        s.chars().skip(n.saturating_sub(t)).collect()
    };
    let long: Vec<&&str> = names.iter().filter(|n| n.chars().count() > width).collect();
    let mut tail = 5.min(width - 2);
    while tail < width - 2 {
        let mut tails: Vec<String> = long.iter().map(|n| tail_of(n, tail)).collect();
        tails.sort();
        let before = tails.len();
        tails.dedup();
        if tails.len() == before {
            break;
        }
        tail += 1;
    }
    let head: String = name.chars().take(width - 1 - tail).collect();
    format!("{head}…{}", tail_of(name, tail))
}

/// Words wrapped to `width`, at most `WRAP_LINES` lines (the last ends in
/// `…` when text is left).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_string();
        loop {
            let used = line.chars().count();
            let need = word.chars().count() + usize::from(used > 0);
            if used + need <= width {
                if used > 0 {
                    line.push(' ');
                }
                line.push_str(&word);
                break;
            }
            if used == 0 {
                // A word longer than the line is cut across lines.
                let head: String = word.chars().take(width).collect();
                word = word.chars().skip(width).collect();
                lines.push(head);
                if word.is_empty() {
                    break;
                }
                continue;
            }
            lines.push(std::mem::take(&mut line));
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    if lines.len() > WRAP_LINES {
        lines.truncate(WRAP_LINES);
        if let Some(last) = lines.last_mut() {
            let keep: String = last.chars().take(width.saturating_sub(1)).collect();
            *last = format!("{keep}…");
        }
    }
    lines
}

fn style(tone: Tone, theme: &Theme) -> Style {
    match tone {
        Tone::Plain => Style::new(),
        Tone::Bad => theme.style(Role::Error),
        Tone::Warn => theme.style(Role::Warn),
    }
}

/// The widths of `columns` in `width`: NAME first, the kept columns (for
/// which the name shrinks to `NAME_MIN`), then the others from `skip` on
/// while they fit, and what is left to the wrapping ones. Returns each
/// shown column's (index, width) in display order.
pub fn layout(
    columns: &[PaneColumn],
    natural: &[usize],
    width: usize,
    skip: usize,
) -> Vec<(usize, usize)> {
    let name = columns.iter().position(|c| c.width == Width::Name);
    let others = columns.len() - usize::from(name.is_some());
    let room = |i: usize| {
        if columns[i].width == Width::Fill {
            FILL_MIN
        } else {
            natural[i]
        }
    };
    let mut kept: Vec<usize> = (0..columns.len())
        .filter(|i| Some(*i) != name && columns[*i].keep > 0)
        .collect();
    kept.sort_by_key(|i| columns[*i].keep);
    let kept_room: usize = kept.iter().map(|i| room(*i) + 1).sum();
    let mut left = width;
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    if let Some(n) = name {
        // The name first, leaving room for the kept columns (down to
        // NAME_MIN) and a little for what tells rows apart.
        let reserve = if others > 0 { (width / 4).min(12) } else { 0 };
        let floor = natural[n].min(NAME_MIN).min(width);
        let w = natural[n]
            .min(width.saturating_sub(reserve.max(kept_room)))
            .max(floor)
            .max(4.min(width));
        chosen.push((n, w));
        left = left.saturating_sub(w);
    }
    let mut fills: Vec<usize> = Vec::new();
    for &i in &kept {
        let need = room(i);
        if need < left {
            chosen.push((i, need));
            if columns[i].width == Width::Fill {
                fills.push(i);
            }
            left -= need + 1;
        }
    }
    let rest: Vec<usize> = (0..columns.len())
        .filter(|i| Some(*i) != name && columns[*i].keep == 0)
        .skip(skip)
        .collect();
    for i in rest {
        if columns[i].width == Width::Fill {
            if left >= 13 {
                fills.push(i);
                chosen.push((i, 12));
                left -= 13;
            }
            continue;
        }
        let w = natural[i];
        if w < left {
            chosen.push((i, w));
            left -= w + 1;
        } else {
            break;
        }
    }
    // What is left goes to the wrapping columns.
    if !fills.is_empty() {
        let base: usize = chosen
            .iter()
            .filter(|(i, _)| fills.contains(i))
            .map(|(_, w)| *w)
            .sum();
        let share = (left + base) / fills.len();
        for c in chosen.iter_mut().filter(|(i, _)| fills.contains(i)) {
            c.1 = share.max(c.1);
        }
    }
    // Display order: the kind's, NAMESPACE first.
    chosen.sort_by_key(|(i, _)| *i);
    chosen
}

/// `text` in `width` columns, ending in `…` when cut.
fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let keep: String = text.chars().take(width.saturating_sub(1)).collect();
    format!("{keep}…")
}

/// The table of `rows` (each a row's namespace, name and cells) in
/// `width`; `selected` is highlighted.
pub fn table<'a>(
    columns: &[PaneColumn],
    rows: &[(String, Vec<Cell>)],
    width: u16,
    skip: usize,
    selected: Option<usize>,
    theme: &Theme,
) -> PaneTable<'a> {
    let text_of = |row: &(String, Vec<Cell>), c: &PaneColumn| -> String {
        match c.cell {
            None => row.0.clone(),
            Some(i) => row.1.get(i).map(|c| c.text.to_string()).unwrap_or_default(),
        }
    };
    let natural: Vec<usize> = columns
        .iter()
        .map(|c| {
            let widest = rows
                .iter()
                .map(|r| text_of(r, c).chars().count())
                .chain([c.header.len()])
                .max()
                .unwrap_or(0);
            match c.width {
                Width::Name | Width::Fill => widest,
                Width::Fixed(n) => usize::from(n).max(c.header.len()),
                Width::Fit(max) => widest.min(usize::from(max)),
            }
        })
        .collect();
    let chosen = layout(columns, &natural, usize::from(width), skip);
    let names: Vec<String> = match columns.iter().position(|c| c.width == Width::Name) {
        Some(n) => rows.iter().map(|r| text_of(r, &columns[n])).collect(),
        None => Vec::new(),
    };
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    // Where text was cut: `…`, or `~` in plain ASCII (one column either way).
    let marked = |text: String| {
        if theme.ascii {
            text.replace('…', "~")
        } else {
            text
        }
    };
    let mut heights = Vec::new();
    let out_rows: Vec<Row> = rows
        .iter()
        .enumerate()
        .map(|(r, row)| {
            let mut height = 1;
            let cells: Vec<TableCell> = chosen
                .iter()
                .map(|(i, w)| {
                    let c = &columns[*i];
                    let text = text_of(row, c);
                    let tone = c
                        .cell
                        .and_then(|k| row.1.get(k))
                        .map_or(Tone::Plain, |cell| cell.tone);
                    let st = style(tone, theme);
                    match c.width {
                        Width::Name => TableCell::from(Span::styled(
                            marked(fit_name(&text, *w, &name_refs)),
                            st,
                        )),
                        Width::Fill => {
                            let lines = wrap(&text, *w);
                            height = height.max(lines.len());
                            TableCell::from(Text::from(
                                lines
                                    .into_iter()
                                    .map(|l| Line::from(Span::styled(marked(l), st)))
                                    .collect::<Vec<_>>(),
                            ))
                        }
                        _ => TableCell::from(Span::styled(marked(cut(&text, *w)), st)),
                    }
                })
                .collect();
            heights.push(height);
            let row = Row::new(cells).height(height as u16);
            if Some(r) == selected {
                row.style(theme.style(Role::Selected))
            } else {
                row
            }
        })
        .collect();
    PaneTable {
        header: chosen
            .iter()
            .map(|(i, _)| columns[*i].header.to_uppercase())
            .collect(),
        widths: chosen
            .iter()
            .map(|(_, w)| Constraint::Length(*w as u16))
            .collect(),
        rows: out_rows,
        heights,
        hidden: columns.len() - chosen.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shrunk_name_keeps_the_tail_that_tells_it_apart() {
        let names = [
            "checkout-6d8f9c7b5-q9dtn",
            "checkout-6d8f9c7b5-x2k4q",
            "checkout-6d8f9c7b5-p9s1z",
        ];
        let shown: Vec<String> = names.iter().map(|n| fit_name(n, 17, &names)).collect();
        assert_eq!(shown[0], "checkout-6d…q9dtn");
        let mut unique = shown.clone();
        unique.dedup();
        assert_eq!(unique.len(), 3, "{shown:?}");
        // Tails alike for 5 characters grow until they differ.
        let alike = ["web-aaaa-1xxxxx", "web-bbbb-2xxxxx"];
        let a = fit_name(alike[0], 12, &alike);
        let b = fit_name(alike[1], 12, &alike);
        assert_ne!(a, b);
        assert_eq!(a.chars().count(), 12);
        assert_eq!(fit_name("short", 17, &names), "short");
    }

    #[test]
    fn messages_wrap_over_three_lines_at_most() {
        assert_eq!(
            wrap("Back-off restarting failed container", 16),
            ["Back-off", "restarting", "failed container"]
        );
        let long = wrap(&"word ".repeat(40), 10);
        assert_eq!(long.len(), 3);
        assert!(long[2].ends_with('…'));
    }

    #[test]
    fn the_name_is_sized_first_and_columns_scroll() {
        let cols = [
            PaneColumn {
                header: "Name",
                width: Width::Name,
                cell: Some(0),
                keep: 0,
            },
            PaneColumn {
                header: "Ready",
                width: Width::Fixed(5),
                cell: Some(1),
                keep: 0,
            },
            PaneColumn {
                header: "Status",
                width: Width::Fit(26),
                cell: Some(2),
                keep: 0,
            },
        ];
        let natural = [24, 5, 16];
        assert_eq!(layout(&cols, &natural, 60, 0), [(0, 24), (1, 5), (2, 16)]);
        // Narrow: the name keeps its width, STATUS waits for `>`.
        assert_eq!(layout(&cols, &natural, 34, 0), [(0, 24), (1, 5)]);
        assert_eq!(layout(&cols, &natural, 42, 1), [(0, 24), (2, 16)]);
    }

    #[test]
    fn kept_columns_stay_and_the_name_shrinks_for_them() {
        // #24 (1): a narrow pods pane showed NAME READY STATUS only.
        let col = |header, width, cell, keep: bool| PaneColumn {
            header,
            width,
            cell: Some(cell),
            keep: u8::from(keep),
        };
        let cols = [
            col("Name", Width::Name, 0, false),
            col("Ready", Width::Fixed(5), 1, false),
            col("Status", Width::Fit(26), 2, true),
            col("Restarts", Width::Fit(17), 3, true),
            col("Age", Width::Fit(6), 4, false),
        ];
        let natural = [28, 5, 16, 14, 3];
        let shown = layout(&cols, &natural, 50, 0);
        let ids: Vec<usize> = shown.iter().map(|(i, _)| *i).collect();
        assert!(ids.contains(&2) && ids.contains(&3), "{shown:?}");
        assert!(
            shown.iter().map(|(_, w)| w + 1).sum::<usize>() <= 51,
            "{shown:?}"
        );
        // Events: REASON and MESSAGE stay; MESSAGE gets what is left.
        let cols = [
            col("Last Seen", Width::Fixed(9), 0, false),
            col("Type", Width::Fixed(7), 1, false),
            col("Reason", Width::Fit(22), 2, true),
            col("Object", Width::Name, 3, false),
            col("Message", Width::Fill, 4, true),
        ];
        let natural = [9, 7, 7, 30, 45];
        let shown = layout(&cols, &natural, 60, 0);
        let ids: Vec<usize> = shown.iter().map(|(i, _)| *i).collect();
        assert!(ids.contains(&2) && ids.contains(&4), "{shown:?}");
        let wide = layout(&cols, &natural, 200, 0);
        let message = wide.iter().find(|(i, _)| *i == 4).map(|(_, w)| *w);
        assert!(message.is_some_and(|w| w >= 100), "{wide:?}");
    }

    #[test]
    fn a_cell_cut_short_says_so() {
        assert_eq!(cut("28 (6m56s ago)", 13), "28 (6m56s ag…");
        assert_eq!(cut("Running", 13), "Running");
    }
}
