//! The home screen: resumable sessions first, then playbooks, narrowed by a
//! fuzzy search over titles, names, tags and alert names; then, for a
//! playbook with required params, a form that checks each value as it is
//! typed.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

use crate::journal::SessionSummary;
use crate::playbook::catalog::Entry;
use crate::playbook::params::check_param;

#[derive(Debug, Clone, PartialEq)]
pub enum Choice {
    Resume(String),
    Run {
        playbook: String,
        params: Vec<(String, String)>,
    },
    Quit,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Session(usize),
    Playbook(usize),
}

pub struct Field {
    pub name: String,
    pub description: String,
    pub input: TextArea<'static>,
    pub error: Option<String>,
}

pub struct Form {
    pub playbook: usize,
    pub fields: Vec<Field>,
    pub focus: usize,
}

pub struct HomeState {
    pub entries: Vec<Entry>,
    pub sessions: Vec<SessionSummary>,
    pub context: Option<String>,
    pub namespace: Option<String>,
    pub query: String,
    pub selected: usize,
    pub form: Option<Form>,
    pub choice: Option<Choice>,
}

impl HomeState {
    pub fn new(
        entries: Vec<Entry>,
        sessions: Vec<SessionSummary>,
        context: Option<String>,
        namespace: Option<String>,
    ) -> Self {
        HomeState {
            entries,
            sessions: sessions.into_iter().filter(|s| s.is_active()).collect(),
            context,
            namespace,
            query: String::new(),
            selected: 0,
            form: None,
            choice: None,
        }
    }

    fn haystack_playbook(&self, i: usize) -> String {
        let m = &self.entries[i].playbook.metadata;
        format!(
            "{} {} {} {}",
            m.title,
            m.name.value,
            m.tags.join(" "),
            self.entries[i].playbook.alert_names().join(" ")
        )
    }

    /// Items matching the query, best first; sessions before playbooks.
    pub fn items(&self) -> Vec<Item> {
        if self.query.trim().is_empty() {
            return (0..self.sessions.len())
                .map(Item::Session)
                .chain((0..self.entries.len()).map(Item::Playbook))
                .collect();
        }
        let mut matcher = Matcher::new(Config::DEFAULT);
        let pattern = Pattern::parse(&self.query, CaseMatching::Ignore, Normalization::Smart);
        let mut buf = Vec::new();
        let mut score = |text: &str| pattern.score(Utf32Str::new(text, &mut buf), &mut matcher);
        let mut sessions: Vec<(u32, Item)> = (0..self.sessions.len())
            .filter_map(|i| {
                let s = &self.sessions[i];
                score(&format!("{} {} {}", s.title, s.playbook, s.id))
                    .map(|sc| (sc, Item::Session(i)))
            })
            .collect();
        let mut playbooks: Vec<(u32, Item)> = (0..self.entries.len())
            .filter_map(|i| score(&self.haystack_playbook(i)).map(|sc| (sc, Item::Playbook(i))))
            .collect();
        sessions.sort_by_key(|s| std::cmp::Reverse(s.0));
        playbooks.sort_by_key(|p| std::cmp::Reverse(p.0));
        sessions
            .into_iter()
            .chain(playbooks)
            .map(|(_, i)| i)
            .collect()
    }

    pub fn on_key(&mut self, key: KeyEvent) {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && key.code == KeyCode::Char('c') {
            self.choice = Some(Choice::Quit);
            return;
        }
        if self.form.is_some() {
            self.on_form_key(key);
            return;
        }
        let count = self.items().len();
        match key.code {
            KeyCode::Esc => {
                if self.query.is_empty() {
                    self.choice = Some(Choice::Quit);
                } else {
                    self.query.clear();
                    self.selected = 0;
                }
            }
            KeyCode::Down => self.selected = (self.selected + 1).min(count.saturating_sub(1)),
            KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            KeyCode::Backspace => {
                self.query.pop();
                self.selected = 0;
            }
            KeyCode::Enter => match self.items().get(self.selected) {
                Some(Item::Session(i)) => {
                    self.choice = Some(Choice::Resume(self.sessions[*i].id.clone()))
                }
                Some(Item::Playbook(i)) => self.open(*i),
                None => {}
            },
            KeyCode::Char(c) if !ctrl => {
                self.query.push(c);
                self.selected = 0;
            }
            _ => {}
        }
    }

    fn open(&mut self, i: usize) {
        let pb = &self.entries[i].playbook;
        if pb.params.is_empty() {
            self.choice = Some(Choice::Run {
                playbook: pb.name().to_string(),
                params: Vec::new(),
            });
            return;
        }
        let fields = pb
            .params
            .iter()
            .map(|p| {
                let mut input = TextArea::default();
                if let Some(d) = &p.default {
                    input.insert_str(d);
                }
                let mut f = Field {
                    name: p.name.value.clone(),
                    description: p.description.clone().unwrap_or_default(),
                    input,
                    error: None,
                };
                f.error = validate_field(p, &f, p.required);
                f
            })
            .collect();
        self.form = Some(Form {
            playbook: i,
            fields,
            focus: 0,
        });
    }

    fn on_form_key(&mut self, key: KeyEvent) {
        let Some(form) = self.form.as_mut() else {
            return;
        };
        let pb = &self.entries[form.playbook].playbook;
        match key.code {
            KeyCode::Esc => self.form = None,
            KeyCode::Tab | KeyCode::Down => form.focus = (form.focus + 1) % form.fields.len(),
            KeyCode::BackTab | KeyCode::Up => {
                form.focus = (form.focus + form.fields.len() - 1) % form.fields.len()
            }
            KeyCode::Enter => {
                for (p, f) in pb.params.iter().zip(form.fields.iter_mut()) {
                    f.error = validate_field(p, f, p.required);
                }
                if form.fields.iter().all(|f| f.error.is_none()) {
                    let params = form
                        .fields
                        .iter()
                        .map(|f| (f.name.clone(), f.input.lines().join("")))
                        .filter(|(_, v)| !v.is_empty())
                        .collect();
                    self.choice = Some(Choice::Run {
                        playbook: pb.name().to_string(),
                        params,
                    });
                } else if let Some(first) = form.fields.iter().position(|f| f.error.is_some()) {
                    form.focus = first;
                }
            }
            _ => {
                let focus = form.focus;
                form.fields[focus].input.input(key);
                let p = &pb.params[focus];
                form.fields[focus].error = validate_field(p, &form.fields[focus], p.required);
            }
        }
    }
}

fn validate_field(p: &crate::playbook::model::Param, f: &Field, required: bool) -> Option<String> {
    let value = f.input.lines().join("");
    if value.is_empty() && !required {
        return None;
    }
    check_param(p, &value).err()
}
