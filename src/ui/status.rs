//! The status bar: playbook, severity, elapsed time, escalation, cluster,
//! and the keys that matter now.

use ratatui::text::{Line, Span};

use super::panes::connection_text;
use super::theme::Role;
use crate::app::keymap::Mode;
use crate::app::state::{BannerLevel, Selected, State};
use crate::cluster::snapshot::Connection;

pub fn elapsed(secs: i64) -> String {
    let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
    if h > 0 {
        format!("T+{h}:{m:02}:{s:02}")
    } else {
        format!("T+{m:02}:{s:02}")
    }
}

/// The first line: where we are. The cluster's state and READ-ONLY always
/// show; when the line is too narrow the title shrinks first, then the
/// context, the escalation countdown (never a due escalation) and the
/// severity give way, so an 80-column terminal still says whether the panes
/// are live.
pub fn status_line(state: &State) -> Line<'static> {
    let theme = &state.theme;
    let meta = &state.session.playbook().metadata;
    let width = state.size.0 as usize;
    let mut tail: Vec<Part> = Vec::new();
    if let Some(sev) = &meta.severity {
        tail.push(Part::droppable(format!("{sev} "), Role::Error));
    }
    tail.push(Part::kept(
        format!("{} ", elapsed(state.elapsed_secs())),
        Role::Normal,
    ));
    if let Some(text) = escalation(state) {
        if text.starts_with("ESCALATE") {
            tail.push(Part::kept(format!("{text} "), Role::Error));
        } else {
            tail.push(Part::droppable(format!("{text} "), Role::Muted));
        }
    }
    let ctx = match (&state.context, &state.namespace) {
        (Some(c), Some(n)) => format!("{c}/{n} "),
        (Some(c), None) => format!("{c} "),
        (None, Some(n)) => format!("ns {n} "),
        (None, None) => String::new(),
    };
    if !ctx.is_empty() {
        tail.push(Part::droppable(ctx, Role::Muted));
    }
    let (conn, conn_role) = connection_text(state);
    let mut conn = Part::kept(format!("[{conn}]"), conn_role);
    // A failure's kind ("failed: unreachable") when its whole reason does
    // not fit; the cluster panes give the reason.
    if let Some(Connection::Failed(reason)) = state.snapshot.as_ref().map(|s| &s.connection) {
        let kind = reason.split(':').next().unwrap_or(reason).trim();
        conn.short = Some(format!("[failed: {kind}; tab shows why]"));
    }
    tail.push(conn);
    if state.read_only {
        tail.push(Part::kept(" READ-ONLY".into(), Role::Warn));
    }
    const MIN_TITLE: usize = 12;
    let used = |tail: &[Part]| -> usize { tail.iter().map(|p| p.text.chars().count()).sum() };
    // Give way in this order: context, countdown, severity; then shorten.
    while used(&tail) + MIN_TITLE + 2 > width {
        if let Some(i) = tail.iter().rposition(|p| p.droppable) {
            tail.remove(i);
        } else if let Some(part) = tail.iter_mut().find(|p| p.short.is_some()) {
            part.text = part.short.take().unwrap_or_default();
        } else {
            break;
        }
    }
    let room = width.saturating_sub(used(&tail) + 2).max(MIN_TITLE);
    let title = state.render(&meta.title);
    let title = if title.chars().count() > room {
        format!(
            "{}{}",
            title.chars().take(room - 1).collect::<String>(),
            theme.sym(super::theme::Sym::Ellipsis)
        )
    } else {
        title
    };
    let mut spans = vec![Span::styled(format!(" {title} "), theme.style(Role::Title))];
    spans.extend(
        tail.into_iter()
            .map(|p| Span::styled(p.text, theme.style(p.role))),
    );
    Line::from(spans)
}

/// A piece of the status line after the title.
struct Part {
    text: String,
    role: Role,
    /// Left out when the line is too narrow.
    droppable: bool,
    /// What it shrinks to when nothing is left to drop.
    short: Option<String>,
}

impl Part {
    fn kept(text: String, role: Role) -> Part {
        Part {
            text,
            role,
            droppable: false,
            short: None,
        }
    }

    fn droppable(text: String, role: Role) -> Part {
        Part {
            droppable: true,
            ..Part::kept(text, role)
        }
    }
}

/// The next escalation, or the one that is due.
fn escalation(state: &State) -> Option<String> {
    if state.session.is_ended() {
        return None;
    }
    let elapsed = state.elapsed_secs();
    let mut next: Option<(i64, &str)> = None;
    for e in &state.session.playbook().metadata.escalation {
        let Ok(after) = humantime::parse_duration(&e.after.value) else {
            continue;
        };
        let left = after.as_secs() as i64 - elapsed;
        if left <= 0 {
            let acknowledged = state.session.records().iter().any(
                |r| matches!(&r.event, crate::engine::Event::Escalated { to, .. } if *to == e.to),
            );
            if !acknowledged {
                return Some(format!("ESCALATE to {}", e.to));
            }
        } else if next.is_none_or(|(l, _)| left < l) {
            next = Some((left, &e.to));
        }
    }
    next.map(|(left, _)| format!("escalate in {}m", (left + 59) / 60))
}

/// The second line: a banner if there is one, else the keys for now.
pub fn hint_line(state: &State) -> Line<'static> {
    let theme = &state.theme;
    if let Some(b) = &state.banner {
        let role = match b.level {
            BannerLevel::Info => Role::Normal,
            BannerLevel::Warn => Role::Warn,
            BannerLevel::Error => Role::Error,
        };
        return Line::from(Span::styled(format!(" {}", b.text), theme.style(role)));
    }
    if state.pending {
        return Line::from(Span::styled(" saving...", theme.style(Role::Muted)));
    }
    if !state.overlays.is_empty() {
        // The window's own keys are in its frame; this line says how out.
        return Line::from(vec![
            Span::raw(" "),
            Span::styled("esc", theme.style(Role::Key)),
            Span::raw(" closes this window; its keys are in its frame"),
        ]);
    }
    let keys = keys_for_now(state);
    // The keys for what is selected come first; `? keys` always shows.
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    let width = state.size.0 as usize;
    let (last, rest) = keys.split_last().expect("at least ? and q");
    let tail = |(k, what): &(&str, &str)| k.len() + what.len() + 2;
    let reserved = tail(last);
    for (k, what) in rest {
        if used + tail(&(k, what)) + reserved > width {
            break;
        }
        used += tail(&(k, what));
        spans.push(Span::styled(k.to_string(), theme.style(Role::Key)));
        spans.push(Span::raw(format!(" {what} ")));
    }
    spans.push(Span::styled(last.0.to_string(), theme.style(Role::Key)));
    spans.push(Span::raw(format!(" {} ", last.1)));
    Line::from(spans)
}

/// The keys that do something now, most useful first; `?` last.
fn keys_for_now(state: &State) -> Vec<(&'static str, &'static str)> {
    let step = state.session.current_step();
    hint_keys(
        state.mode(),
        state.selected(),
        step.is_some_and(|s| !s.actions.is_empty()),
        step.is_some_and(|s| !s.choices.is_empty()),
    )
}

fn hint_keys(
    mode: Mode,
    selected: Selected,
    has_actions: bool,
    has_choices: bool,
) -> Vec<(&'static str, &'static str)> {
    match mode {
        Mode::Step => {
            let mut keys = Vec::new();
            match selected {
                Selected::Item(_) => keys.push(("space", "confirm")),
                Selected::Command(_) => keys.extend([("r", "run"), ("y", "copy")]),
                Selected::Choice(_) | Selected::Nothing => {}
            }
            if has_actions {
                keys.push(("a", "actions"));
            }
            if matches!(selected, Selected::Choice(_)) {
                keys.push(("enter/1-9", "choose"));
            } else if has_choices {
                keys.push(("1-9", "choose"));
            } else {
                keys.push(("enter", "next"));
            }
            keys.extend([
                ("tab", "panes"),
                ("n", "note"),
                ("b", "back"),
                ("q", "quit"),
                ("?", "keys"),
            ]);
            keys
        }
        Mode::Panes => vec![
            ("enter", "describe"),
            ("h/l", "pane"),
            ("j/k", "scroll"),
            ("/", "filter"),
            ("A", "all ns"),
            ("tab", "step"),
            ("q", "quit"),
            ("?", "help"),
        ],
        Mode::Ended => vec![("t", "timeline"), ("q", "quit"), ("?", "help")],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::keymap::lookup;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn code(name: &str) -> KeyCode {
        match name {
            "space" => KeyCode::Char(' '),
            "enter" => KeyCode::Enter,
            "tab" => KeyCode::Tab,
            "1-9" => KeyCode::Char('1'),
            one => KeyCode::Char(one.chars().next().expect("a key")),
        }
    }

    /// The hint line only names keys the key table binds in that mode.
    #[test]
    fn every_hinted_key_does_something_in_its_mode() {
        let selections = [
            Selected::Item(0),
            Selected::Choice(0),
            Selected::Command(0),
            Selected::Nothing,
        ];
        for mode in [Mode::Step, Mode::Panes, Mode::Ended] {
            for selected in selections {
                for (actions, choices) in [(false, false), (true, true)] {
                    for (label, _) in hint_keys(mode, selected, actions, choices) {
                        let parts: Vec<&str> = if label == "/" {
                            vec!["/"]
                        } else {
                            label.split('/').collect()
                        };
                        for part in parts {
                            let key = KeyEvent::new(code(part), KeyModifiers::NONE);
                            assert!(
                                lookup(mode, &key).is_some(),
                                "`{part}` is hinted in {mode:?} but bound to nothing"
                            );
                        }
                    }
                }
            }
        }
    }
}
