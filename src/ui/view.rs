//! `view(&State, &mut Frame)`: a pure function of the state.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{panes, status, step, tree};
use crate::app::keymap::Mode;
use crate::app::model::State;
use crate::tui::theme::Role;

/// Wide enough for the tree map, the step and the panes side by side.
const WIDE: u16 = 120;
/// Tall enough to stack the panes under the step.
const TALL: u16 = 34;

pub fn view(state: &State, frame: &mut Frame) {
    let area = frame.area();
    // The same layout `update` pages by.
    let screen =
        crate::app::model::layout::screen(area.width, area.height, state.screen().hint.height);
    let (main, status_area, hint_area) = (screen.main, screen.status, screen.hint);
    frame.render_widget(
        Paragraph::new(status::status_line(state)).style(state.theme.style(Role::Normal)),
        status_area,
    );
    frame.render_widget(
        Paragraph::new(status::hint_line(state)).wrap(Wrap { trim: false }),
        hint_area,
    );

    let panes_focused = state.base_mode() == Mode::Panes;
    if area.width >= WIDE {
        let [tree_area, step_area, panes_area] = Layout::horizontal([
            Constraint::Length(28),
            Constraint::Fill(1),
            Constraint::Percentage(45),
        ])
        .areas(main);
        draw_tree(frame, tree_area, state);
        draw_step(frame, step_area, state, !panes_focused);
        panes::draw(frame, panes_area, state, panes_focused);
    } else if area.height >= TALL {
        let [crumb, step_area, panes_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(3),
            Constraint::Fill(2),
        ])
        .areas(main);
        frame.render_widget(Paragraph::new(tree::breadcrumb(state)), crumb);
        draw_step(frame, step_area, state, !panes_focused);
        panes::draw(frame, panes_area, state, panes_focused);
    } else {
        // 80x24: one panel at a time; tab switches, the hint line says so.
        let [crumb, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(main);
        let mut crumb_line = tree::breadcrumb(state);
        crumb_line.spans.push(Span::styled(
            if panes_focused {
                "   (tab: back to the step)"
            } else {
                "   (tab: cluster panes)"
            },
            state.theme.style(Role::Muted),
        ));
        frame.render_widget(Paragraph::new(crumb_line), crumb);
        if panes_focused {
            panes::draw(frame, body, state, true);
        } else {
            draw_step(frame, body, state, true);
        }
    }
    // Overlays leave the status line in view: the cluster's state, READ-ONLY
    // and a due escalation stay visible while a window is open.
    for overlay in &state.overlays {
        overlay.draw(frame, main, state);
    }
}

/// Where the step panel is drawn on a screen of `size` (the layouts of
/// `view`), for what pages by it from `update`.
fn step_rect(state: &State, size: (u16, u16)) -> Rect {
    let area = Rect::new(0, 0, size.0, size.1);
    let screen =
        crate::app::model::layout::screen(area.width, area.height, state.screen().hint.height);
    let main = screen.main;
    if area.width >= WIDE {
        let [_, step, _] = Layout::horizontal([
            Constraint::Length(28),
            Constraint::Fill(1),
            Constraint::Percentage(45),
        ])
        .areas(main);
        step
    } else if area.height >= TALL {
        let [_, step, _] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(3),
            Constraint::Fill(2),
        ])
        .areas(main);
        step
    } else {
        let [_, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(main);
        body
    }
}

/// How far the ended screen can scroll: its wrapped lines less the lines
/// its panel shows.
pub fn ended_scroll_limit(state: &State) -> usize {
    let inner = Block::default()
        .borders(ratatui::widgets::Borders::ALL)
        .inner(step_rect(state, state.size));
    let total = Paragraph::new(ended_lines(state))
        .wrap(Wrap { trim: false })
        .line_count(inner.width);
    total.saturating_sub(usize::from(inner.height))
}

fn draw_tree(frame: &mut Frame, area: Rect, state: &State) {
    let theme = &state.theme;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border())
        .border_style(theme.style(Role::Muted))
        .title(" Path ");
    frame.render_widget(
        Paragraph::new(tree::lines(state))
            .wrap(Wrap { trim: true })
            .block(block),
        area,
    );
}

fn draw_step(frame: &mut Frame, area: Rect, state: &State, focused: bool) {
    let theme = &state.theme;
    let n = state.session.path().len();
    let title = if state.session.is_ended() {
        " Done ".to_string()
    } else {
        format!(" Step {n} ")
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border())
        .border_style(if focused {
            theme.style(Role::Focused)
        } else {
            theme.style(Role::Muted)
        })
        .title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let (lines, selected) = if state.session.is_ended() {
        (ended_lines(state), None)
    } else {
        step::lines(state)
    };
    let ended_scroll = if state.session.is_ended() {
        state.ended_scroll.min(ended_scroll_limit(state)) as u16
    } else {
        0
    };
    let scroll = selected.map_or(ended_scroll, |sel| {
        // Keep the selected row (and the line after it) in view.
        let before = Paragraph::new(lines[..=sel].to_vec())
            .wrap(Wrap { trim: false })
            .line_count(inner.width) as u16;
        (before + 1).saturating_sub(inner.height)
    });
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        inner,
    );
}

/// The reason the responder gave for ending early, if any.
fn end_reason(s: &crate::engine::Session) -> Option<String> {
    s.records().iter().rev().find_map(|r| match &r.event {
        crate::engine::Event::Ended { reason, .. } => reason.clone(),
        _ => None,
    })
}

fn ended_lines(state: &State) -> Vec<Line<'static>> {
    let theme = &state.theme;
    let s = &state.session;
    let outcome = match (s.outcome(), s.abandoned()) {
        (Some(o), _) => o.as_str(),
        (None, Some(_)) => "abandoned",
        _ => "-",
    };
    let duration = match (s.started_at(), s.ended_at()) {
        (Some(a), Some(b)) => status::elapsed(b.as_second() - a.as_second()),
        _ => "-".into(),
    };
    let mut lines = vec![
        Line::from(Span::styled(
            format!("Session ended: {outcome}"),
            theme.style(Role::Ok),
        )),
        Line::default(),
        Line::from(format!("Duration: {}", duration.trim_start_matches("T+"))),
        Line::from(format!("Steps taken: {}", s.path().join(" > "))),
        Line::from(format!(
            "Overrides: {}   Notes: {}",
            s.overrides().len(),
            s.notes().len()
        )),
        Line::from(format!("Session: {}", state.session_id)),
    ];
    if let Some(reason) = s.abandoned().map(str::to_string).or_else(|| end_reason(s)) {
        lines.insert(1, Line::from(format!("Why: {reason}")));
    }
    if let Some(report) = crate::drill::report_text::drill_report_compared(
        &state.session_id,
        s,
        Some(state.now),
        &state.earlier_tries,
    ) {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            "Drill report",
            theme.style(Role::Title),
        )));
        lines.extend(report.lines().map(|l| Line::from(l.replace('`', ""))));
    }
    lines.push(Line::default());
    lines.push(Line::from(format!(
        "Export the timeline: runbook export {} > incident.md",
        state.session_id
    )));
    lines.push(Line::from("t timeline   q quit"));
    lines
}
