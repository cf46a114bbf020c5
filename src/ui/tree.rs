//! The tree map: the path taken, the current step, and the branches ahead
//! with their outcomes. In a narrow terminal it folds into a breadcrumb.

use ratatui::text::{Line, Span};

use crate::app::model::State;
use crate::tui::theme::{Role, Sym};

pub fn lines(state: &State) -> Vec<Line<'static>> {
    let theme = &state.theme;
    let pb = state.session.playbook();
    let path = state.session.path();
    let mut out = Vec::new();
    for (i, id) in path.iter().enumerate() {
        let current = i + 1 == path.len() && !state.session.is_ended();
        let title = pb.step(id).map_or(id.as_str(), |s| s.title.as_str());
        let (sym, role) = if current {
            (Sym::Current, Role::Focused)
        } else {
            (Sym::Done, Role::Ok)
        };
        out.push(Line::from(vec![
            Span::styled(format!("{} ", theme.sym(sym)), theme.style(role)),
            Span::styled(
                state.render(title),
                if current {
                    theme.style(Role::Focused)
                } else {
                    theme.style(Role::Normal)
                },
            ),
        ]));
    }
    if let Some(step) = state
        .session
        .current_step()
        .filter(|_| !state.session.is_ended())
    {
        for next in step.successors() {
            let Some(s) = pb.step(next) else { continue };
            let end = s
                .outcome
                .filter(|_| state.reveal())
                .map(|o| format!(" [{}]", o.as_str()))
                .unwrap_or_default();
            out.push(Line::from(vec![
                Span::styled(
                    format!("  {} ", theme.sym(Sym::Ahead)),
                    theme.style(Role::Muted),
                ),
                Span::styled(
                    format!("{}{end}", state.render(&s.title)),
                    theme.style(Role::Muted),
                ),
            ]));
        }
    }
    if let Some(outcome) = state.session.outcome() {
        out.push(Line::from(Span::styled(
            format!("{} ended: {}", theme.sym(Sym::Done), outcome.as_str()),
            theme.style(Role::Ok),
        )));
    }
    out
}

/// `look > decide > [fix]` for narrow screens.
pub fn breadcrumb(state: &State) -> Line<'static> {
    let theme = &state.theme;
    let path = state.session.path();
    let n = path.len();
    let shown: Vec<String> = path
        .iter()
        .enumerate()
        .skip(n.saturating_sub(4))
        .map(|(i, id)| {
            if i + 1 == n {
                format!("[{id}]")
            } else {
                id.clone()
            }
        })
        .collect();
    let prefix = if n > 4 {
        format!("{} ", theme.sym(Sym::Ellipsis))
    } else {
        String::new()
    };
    Line::from(Span::styled(
        format!(
            "{prefix}{}",
            shown.join(&format!(" {} ", theme.sym(Sym::Arrow)))
        ),
        theme.style(Role::Muted),
    ))
}
