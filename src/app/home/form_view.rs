//! The params form's view: each field's label, its input, what is wrong
//! with it (wrapped, never cut) once it was touched, and for the focused
//! field the names the cluster offers.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::form::{Field, Form};
use super::state::HomeState;
use crate::tui::theme::{Role, Sym, Theme};
use crate::tui::wrap::hanging;

pub fn draw(state: &HomeState, form: &Form, theme: &Theme, frame: &mut Frame, area: Rect) {
    let pb = &state.entries[form.playbook].playbook;
    let from = form
        .alert
        .as_ref()
        .map(|a| format!("(the rest from alert {}) ", a.name()))
        .unwrap_or_default();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border())
        .title(format!(" {} needs: {from}", pb.metadata.title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let bottom = inner.y + inner.height;
    let mut y = inner.y;
    for (i, f) in form.fields.iter().enumerate() {
        let label = label_lines(f, width, theme);
        let height = label.len() as u16 + 3;
        if y + height > bottom {
            break;
        }
        let mut lines = label;
        let label_rows = lines.len() as u16;
        frame.render_widget(
            Paragraph::new(std::mem::take(&mut lines)),
            rect(inner, y, label_rows),
        );
        y += label_rows;
        let mut input = f.input.clone();
        let border = if i == form.focus {
            theme.style(Role::Focused)
        } else {
            theme.style(Role::Muted)
        };
        input.set_block(
            Block::default()
                .borders(Borders::ALL)
                .border_set(theme.border())
                .border_style(border),
        );
        frame.render_widget(&input, rect(inner, y, 3));
        y += 3;
        let mut below = message_lines(f, width, theme);
        if i == form.focus {
            below.extend(names_line(form, state, width, theme));
        }
        let rows = (below.len() as u16).min(bottom.saturating_sub(y));
        frame.render_widget(Paragraph::new(below), rect(inner, y, rows));
        y += rows;
    }
}

fn rect(inner: Rect, y: u16, height: u16) -> Rect {
    Rect { y, height, ..inner }
}

/// `name - description`, continuing under the name's text.
fn label_lines(f: &Field, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let text = if f.description.is_empty() {
        f.name.clone()
    } else {
        format!("{} - {}", f.name, f.description)
    };
    hanging(&text, width, 2)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, theme.style(Role::Title))))
        .collect()
}

/// The problem once the field was touched, else how it stands.
fn message_lines(f: &Field, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let (text, role) = match (f.shown_error(), f.touched || !f.value().is_empty()) {
        (Some(e), _) => (e.to_string(), Role::Error),
        (None, true) => match &f.from_cluster {
            Some(owner) => (
                format!(
                    "ok, from the cluster: {}",
                    owner.chain(theme.sym(Sym::Arrow))
                ),
                Role::Ok,
            ),
            None => ("ok".to_string(), Role::Ok),
        },
        (None, false) if f.required => ("required".to_string(), Role::Muted),
        (None, false) => ("optional".to_string(), Role::Muted),
    };
    hanging(&format!("  {text}"), width, 2)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, theme.style(role))))
        .collect()
}

/// `  in the cluster: cart  checkout  → takes cart`, the highlighted name
/// marked; nothing when the cluster offers none.
fn names_line(
    form: &Form,
    state: &HomeState,
    width: usize,
    theme: &Theme,
) -> Option<Line<'static>> {
    let candidates = form.candidates(form.focus, state.names.as_ref());
    let picked = form.picked(state.names.as_ref())?;
    let mut spans = vec![Span::styled("  in the cluster:", theme.style(Role::Muted))];
    let mut used = 17;
    for name in &candidates {
        if used + name.len() + 2 > width {
            break;
        }
        used += name.len() + 2;
        spans.push(Span::raw("  "));
        let role = if *name == picked {
            Role::Selected
        } else {
            Role::Normal
        };
        spans.push(Span::styled(name.clone(), theme.style(role)));
    }
    Some(Line::from(spans))
}
