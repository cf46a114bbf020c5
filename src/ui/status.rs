//! The status bar: playbook, severity, elapsed time, escalation, cluster,
//! and the keys that matter now.

use ratatui::text::{Line, Span};

use super::panes::connection_text;
use super::theme::Role;
use crate::app::state::{BannerLevel, State};

pub fn elapsed(secs: i64) -> String {
    let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
    if h > 0 {
        format!("T+{h}:{m:02}:{s:02}")
    } else {
        format!("T+{m:02}:{s:02}")
    }
}

/// The first line: where we are.
pub fn status_line(state: &State) -> Line<'static> {
    let theme = &state.theme;
    let meta = &state.session.playbook().metadata;
    let title = state.render(&meta.title);
    let room = (state.size.0 as usize).saturating_sub(50).max(12);
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
    if let Some(sev) = &meta.severity {
        spans.push(Span::styled(format!("{sev} "), theme.style(Role::Error)));
    }
    spans.push(Span::raw(format!("{} ", elapsed(state.elapsed_secs()))));
    if let Some(text) = escalation(state) {
        let due = text.starts_with("ESCALATE");
        spans.push(Span::styled(
            format!("{text} "),
            if due {
                theme.style(Role::Error)
            } else {
                theme.style(Role::Muted)
            },
        ));
    }
    let ctx = match (&state.context, &state.namespace) {
        (Some(c), Some(n)) => format!("{c}/{n} "),
        (Some(c), None) => format!("{c} "),
        (None, Some(n)) => format!("ns {n} "),
        (None, None) => String::new(),
    };
    spans.push(Span::styled(ctx, theme.style(Role::Muted)));
    let (conn, role) = connection_text(state);
    spans.push(Span::styled(format!("[{conn}]"), theme.style(role)));
    if state.read_only {
        spans.push(Span::styled(" READ-ONLY", theme.style(Role::Warn)));
    }
    Line::from(spans)
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
    let keys: &[(&str, &str)] = match state.mode() {
        crate::app::keymap::Mode::Step => &[
            ("space", "confirm"),
            ("enter", "next"),
            ("1-9", "choose"),
            ("b", "back"),
            ("n", "note"),
            ("tab", "panes"),
            ("?", "keys"),
            ("q", "quit"),
        ],
        crate::app::keymap::Mode::Panes => &[
            ("h/l", "pane"),
            ("j/k", "scroll"),
            ("/", "filter"),
            ("A", "all ns"),
            ("tab", "step"),
            ("?", "help"),
            ("q", "quit"),
        ],
        crate::app::keymap::Mode::Ended => &[("t", "timeline"), ("?", "help"), ("q", "quit")],
    };
    let mut spans = vec![Span::raw(" ")];
    for (k, what) in keys {
        spans.push(Span::styled(k.to_string(), theme.style(Role::Key)));
        spans.push(Span::raw(format!(" {what} ")));
    }
    Line::from(spans)
}
