//! Step bodies are markdown; this turns them into styled lines: headings,
//! emphasis, inline code, code blocks, lists and tables (as aligned text).

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::tui::theme::{Role, Sym, Theme};

pub fn render(markdown: &str, theme: &Theme) -> Vec<Line<'static>> {
    let mut r = Renderer {
        theme,
        lines: Vec::new(),
        current: Vec::new(),
        styles: vec![Style::new()],
        lists: Vec::new(),
        in_code_block: false,
        table: None,
    };
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    for event in parser {
        r.event(event);
    }
    r.flush();
    while r.lines.last().is_some_and(|l| l.spans.is_empty()) {
        r.lines.pop();
    }
    r.lines
}

struct Table {
    rows: Vec<Vec<String>>,
    cell: String,
    row: Vec<String>,
}

struct Renderer<'t> {
    theme: &'t Theme,
    lines: Vec<Line<'static>>,
    current: Vec<Span<'static>>,
    styles: Vec<Style>,
    /// Per nesting level: the next number for ordered lists.
    lists: Vec<Option<u64>>,
    in_code_block: bool,
    table: Option<Table>,
}

impl Renderer<'_> {
    fn style(&self) -> Style {
        self.styles.last().copied().unwrap_or_default()
    }

    fn push_style(&mut self, add: Style) {
        let s = self.style().patch(add);
        self.styles.push(s);
    }

    fn flush(&mut self) {
        if !self.current.is_empty() {
            self.lines
                .push(Line::from(std::mem::take(&mut self.current)));
        }
    }

    fn blank(&mut self) {
        self.flush();
        if self.lines.last().is_some_and(|l| !l.spans.is_empty()) {
            self.lines.push(Line::default());
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(t) = &mut self.table {
            t.cell.push_str(text);
            return;
        }
        if self.in_code_block {
            let code = self.theme.style(Role::Code);
            for (i, line) in text.split('\n').enumerate() {
                if i > 0 {
                    self.flush();
                }
                if !line.is_empty() {
                    self.current.push(Span::styled(format!("    {line}"), code));
                }
            }
            return;
        }
        let style = self.style();
        self.current.push(Span::styled(text.to_string(), style));
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text(&t),
            Event::Code(c) => {
                if let Some(t) = &mut self.table {
                    t.cell.push_str(&c);
                } else {
                    self.current
                        .push(Span::styled(c.to_string(), self.theme.style(Role::Code)));
                }
            }
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.flush(),
            Event::Rule => {
                self.blank();
                self.lines.push(Line::from("-".repeat(20)));
            }
            Event::TaskListMarker(done) => {
                let sym = if done { Sym::Checked } else { Sym::Unchecked };
                self.current
                    .push(Span::raw(format!("{} ", self.theme.sym(sym))));
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => {}
            Tag::Heading { .. } => {
                self.blank();
                self.push_style(self.theme.style(Role::Title));
            }
            Tag::Emphasis => self.push_style(Style::new().add_modifier(Modifier::ITALIC)),
            Tag::Strong => self.push_style(Style::new().add_modifier(Modifier::BOLD)),
            Tag::Strikethrough => self.push_style(Style::new().add_modifier(Modifier::CROSSED_OUT)),
            Tag::CodeBlock(_) => {
                self.blank();
                self.in_code_block = true;
            }
            Tag::List(start) => {
                if self.lists.is_empty() {
                    self.blank();
                } else {
                    self.flush();
                }
                self.lists.push(start);
            }
            Tag::Item => {
                self.flush();
                let depth = self.lists.len().saturating_sub(1);
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let m = format!("{n}. ");
                        *n += 1;
                        m
                    }
                    _ => format!("{} ", self.theme.sym(Sym::Bullet)),
                };
                self.current
                    .push(Span::raw(format!("{}{marker}", "  ".repeat(depth))));
            }
            Tag::Table(_) => {
                self.blank();
                self.table = Some(Table {
                    rows: Vec::new(),
                    cell: String::new(),
                    row: Vec::new(),
                });
            }
            Tag::Link { .. } => self.push_style(Style::new().add_modifier(Modifier::UNDERLINED)),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                self.flush();
                if self.lists.is_empty() {
                    self.lines.push(Line::default());
                }
            }
            TagEnd::Heading(_) => {
                self.styles.pop();
                self.flush();
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link => {
                self.styles.pop();
            }
            TagEnd::CodeBlock => {
                self.flush();
                self.in_code_block = false;
                self.lines.push(Line::default());
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
                if self.lists.is_empty() {
                    self.lines.push(Line::default());
                }
            }
            TagEnd::Item => self.flush(),
            TagEnd::TableCell => {
                if let Some(t) = &mut self.table {
                    let cell = std::mem::take(&mut t.cell);
                    t.row.push(cell.trim().to_string());
                }
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                if let Some(t) = &mut self.table {
                    let row = std::mem::take(&mut t.row);
                    t.rows.push(row);
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.table_lines(&t.rows);
                }
            }
            _ => {}
        }
    }

    fn table_lines(&mut self, rows: &[Vec<String>]) {
        let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..cols)
            .map(|c| {
                rows.iter()
                    .filter_map(|r| r.get(c))
                    .map(|s| unicode_width::UnicodeWidthStr::width(s.as_str()))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for (i, row) in rows.iter().enumerate() {
            let cells: Vec<String> = (0..cols)
                .map(|c| {
                    let s = row.get(c).map(String::as_str).unwrap_or("");
                    let pad = widths[c].saturating_sub(unicode_width::UnicodeWidthStr::width(s));
                    format!("{s}{}", " ".repeat(pad))
                })
                .collect();
            let style = if i == 0 {
                self.theme.style(Role::Title)
            } else {
                Style::new()
            };
            self.lines.push(Line::from(Span::styled(
                cells.join("  ").trim_end().to_string(),
                style,
            )));
        }
        self.lines.push(Line::default());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(md: &str) -> Vec<String> {
        render(
            md,
            &Theme {
                color: false,
                ascii: true,
            },
        )
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect()
    }

    #[test]
    fn paragraphs_lists_code_and_tables() {
        let md = "Look at **pods**.\n\n- one\n- two `x`\n\n1. first\n2. second\n\n```\nkubectl get pods\n```\n\n| a | bb |\n|---|---|\n| 1 | 2 |\n";
        assert_eq!(
            plain(md),
            [
                "Look at pods.",
                "",
                "* one",
                "* two x",
                "",
                "1. first",
                "2. second",
                "",
                "    kubectl get pods",
                "",
                "a  bb",
                "1  2",
            ]
        );
    }
}
