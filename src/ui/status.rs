//! The status bar: playbook, severity, elapsed time, escalation, cluster,
//! and the keys that matter now.

use ratatui::text::{Line, Span};

use super::panes::connection_text;
use crate::app::keymap::{When, hints};
use crate::app::model::state::Overlay;
use crate::app::model::{BannerLevel, Selected, State};
use crate::kinds::snapshot::Connection;
use crate::tui::theme::Role;

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
    // Fixed (a drill's goal held) or silenced: the page is handled, and the
    // line says so instead of counting down to an escalation.
    let fixed = state
        .session
        .records()
        .iter()
        .any(|r| matches!(r.event, crate::engine::Event::GoalReached { .. }));
    if fixed && !state.session.is_ended() {
        tail.push(Part::kept("FIXED ".into(), Role::Ok));
    } else if !state.session.open_silences().is_empty() && !state.session.is_ended() {
        tail.push(Part::kept("SILENCED ".into(), Role::Muted));
    }
    let handled = fixed || !state.session.open_silences().is_empty();
    if let Some(text) = escalation(state).filter(|_| !handled) {
        if text.starts_with("ESCALATE") {
            let mut due = Part::kept(format!("{text} "), Role::Error);
            // Narrow: the word stays, whom to call is in the window.
            due.short = Some("ESCALATE ".into());
            tail.push(due);
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
    if state.unconfined {
        tail.push(Part::kept(" UNCONFINED".into(), Role::Warn));
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
    // The title takes what is left, down to nothing: the cluster's state
    // and READ-ONLY are never the part that is cut.
    let room = width.saturating_sub(used(&tail) + 2);
    let title = state.render(&meta.title);
    let title = if title.chars().count() <= room {
        title
    } else if room >= 2 {
        format!(
            "{}{}",
            title.chars().take(room - 1).collect::<String>(),
            theme.sym(crate::tui::theme::Sym::Ellipsis)
        )
    } else {
        String::new()
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
        let Some(after) = crate::playbook::validate::duration_secs(&e.after.value) else {
            continue;
        };
        let left = after - elapsed;
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

/// The second line: a banner if there is one, else the keys for now,
/// from the key table: the window's keys when one is open.
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
    if state.pending() {
        return Line::from(Span::styled(" saving...", theme.style(Role::Muted)));
    }
    let mut keys = keys_for_now(state);
    if !state.notices.is_empty() && !state.overlays.is_empty() {
        keys.insert(0, ("!", "escalation due: opens when this window closes"));
    }
    // The keys for what is selected come first; the last one always shows.
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    let width = state.size.0 as usize;
    let Some((last, rest)) = keys.split_last() else {
        return Line::default();
    };
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

/// The keys that do something now, most useful first.
fn keys_for_now(state: &State) -> Vec<(&'static str, &'static str)> {
    let step = state.session.current_step();
    let selected = state.selected();
    let has_choices = step.is_some_and(|s| !s.choices.is_empty());
    let detail = state.overlays.last().and_then(|o| match o {
        Overlay::Detail(v) => Some(v),
        _ => None,
    });
    let running = state.overlays.last().is_some_and(|o| match o {
        Overlay::Output(out) => state
            .work
            .commands
            .get(&out.id)
            .is_some_and(|c| c.finish.is_none()),
        Overlay::ActionProgress(p) => state.work.actions.get(&p.id).is_some_and(|a| {
            a.done.is_none() && a.request.kind == crate::cluster::actions::ActionKind::Drain
        }),
        _ => false,
    });
    hints(state.mode(), |when| match when {
        When::Always => true,
        When::ItemSelected => matches!(selected, Selected::Item(_)),
        When::CommandSelected => matches!(selected, Selected::Command(_)),
        When::ChoicesUnselected => has_choices && !matches!(selected, Selected::Choice(_)),
        When::ChoiceSelected => matches!(selected, Selected::Choice(_)),
        When::NoChoices => !has_choices,
        When::HasActions => step.is_some_and(|s| !s.actions.is_empty()),
        When::HasWork => state.work.last.is_some(),
        // A detail window on a pod, or the pods pane with a row to open.
        When::Pod => detail.map_or_else(
            || {
                crate::app::pane_rows::selected_object(state)
                    .is_some_and(|(kind, _, _)| kind == "Pod")
            },
            |d| d.is_pod(),
        ),
        When::HasAlert => state.session.alert().is_some(),
        When::HintAvailable => !state.reveal() && state.hint_has_something(),
        When::Drill => state.briefing.is_some(),
        When::Following => detail.is_some_and(|d| d.following().is_some()),
        When::Running => running,
        When::ColumnsHidden => {
            state.panes.hscroll > 0
                || crate::kinds::get(state.current_kind())
                    .columns()
                    .iter()
                    .filter(|c| c.pane)
                    .count()
                    > 5
        }
    })
}

/// Where a change goes, for the window that confirms it: ` in prod-b
/// (namespace shop)`, the context in the key style so it stands out. The
/// namespace is left out for node-level changes (`None`).
pub fn change_target(state: &State, namespace: Option<&str>) -> Vec<Span<'static>> {
    let theme = &state.theme;
    let context = state.context.as_deref().or_else(|| state.session.context());
    let mut spans = Vec::new();
    if let Some(context) = context {
        spans.push(Span::raw(" in "));
        spans.push(Span::styled(context.to_string(), theme.style(Role::Key)));
    }
    if let Some(ns) = namespace {
        spans.push(Span::raw(format!(" ({ns})")));
    }
    spans
}

/// A confirmation window's notice in a read-only session.
pub fn read_only_notice(state: &State) -> Option<Line<'static>> {
    state.read_only.then(|| {
        Line::from(Span::styled(
            "READ-ONLY session: the gateway refuses every change.",
            state.theme.style(Role::Warn),
        ))
    })
}

/// The namespace words for a command: its own `-n`/`--namespace`, all of
/// them with `-A`, else the session's; none for node-level verbs.
pub fn command_namespace(argv: &[String], session_namespace: Option<&str>) -> Option<String> {
    const NODE_VERBS: &[&str] = &["cordon", "uncordon", "drain", "taint"];
    if argv.iter().any(|a| NODE_VERBS.contains(&a.as_str())) {
        return None;
    }
    let mut args = argv.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-A" | "--all-namespaces" => return Some("all namespaces".into()),
            "-n" | "--namespace" => {
                return args.next().map(|ns| format!("namespace {ns}"));
            }
            other => {
                if let Some(ns) = other
                    .strip_prefix("--namespace=")
                    .or_else(|| other.strip_prefix("-n").filter(|n| !n.is_empty()))
                {
                    return Some(format!("namespace {}", ns.trim_start_matches('=')));
                }
            }
        }
    }
    session_namespace.map(|ns| format!("namespace {ns}"))
}

#[cfg(test)]
mod tests {
    use super::command_namespace;

    fn argv(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn a_commands_namespace_is_its_own_flag_else_the_sessions() {
        let ns = |line: &str| command_namespace(&argv(line), Some("shop"));
        assert_eq!(
            ns("kubectl -n web delete pod x").as_deref(),
            Some("namespace web")
        );
        assert_eq!(
            ns("kubectl --namespace=web get pods").as_deref(),
            Some("namespace web")
        );
        assert_eq!(
            ns("kubectl -nweb get pods").as_deref(),
            Some("namespace web")
        );
        assert_eq!(ns("kubectl get pods -A").as_deref(), Some("all namespaces"));
        assert_eq!(
            ns("kubectl delete pod x").as_deref(),
            Some("namespace shop")
        );
        assert_eq!(ns("kubectl cordon node-b"), None);
    }
}
