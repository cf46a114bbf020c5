//! The params form: one field per param, filled with what was given (the
//! command line, an alert's labels, defaults). A value is checked as it is
//! typed, but its problem is shown only once the field was touched (typed
//! in, left, or the form submitted): an empty field nobody got to yet is not
//! an error. A field whose param names a namespace, deployment or node
//! offers the cluster's names as it is typed.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::{CursorMove, TextArea};

use super::suggest::{Kind, Names, PodOwner};
use crate::alerts::Alert;
use crate::playbook::Playbook;
use crate::playbook::model::Param;
use crate::playbook::params::check_param;

pub struct Field {
    pub name: String,
    pub description: String,
    pub required: bool,
    pub input: TextArea<'static>,
    /// What is wrong with the value now, shown once `touched`.
    pub error: Option<String>,
    pub touched: bool,
    /// The kind of cluster object the param names, if it names one.
    pub names: Option<Kind>,
    /// Which of the offered names is highlighted.
    pub pick: usize,
    /// The pod whose Deployment the value is, when the cluster filled it
    /// in (shown as "from the cluster"), until the responder changes it.
    pub from_cluster: Option<PodOwner>,
}

impl Field {
    pub fn value(&self) -> String {
        self.input.lines().join("")
    }

    /// The problem to show, if the field was touched.
    pub fn shown_error(&self) -> Option<&str> {
        self.error.as_deref().filter(|_| self.touched)
    }

    fn set_value(&mut self, value: &str) {
        self.input.clear();
        self.input.insert_str(value);
        self.input.move_cursor(CursorMove::End);
    }
}

pub struct Form {
    pub playbook: usize,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// The alert whose labels filled it in, carried to the start.
    pub alert: Option<Alert>,
    /// Opened by `run` or `run --alert`, with no list behind it: esc quits.
    pub standalone: bool,
}

/// What a key did to the form.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    Stay,
    /// Back to the list (or quit, when standalone).
    Leave,
    /// Every value is acceptable: start with these (empty ones left out).
    Submit(Vec<(String, String)>),
}

impl Form {
    /// Says on each field why the alert's label for it was not used (it
    /// failed the param's pattern), so the responder knows what to type.
    pub fn note_rejected(&mut self, rejected: &[crate::alerts::matching::Rejected]) {
        for r in rejected {
            if let Some(i) = self.fields.iter().position(|f| f.name == r.param) {
                let f = &mut self.fields[i];
                if f.error.is_some() || crate::app::update::text_of(&f.input).is_empty() {
                    f.error = Some(format!(
                        "the alert's {}={} was not used: {}",
                        r.label, r.value, r.reason
                    ));
                    f.touched = true;
                }
            }
        }
        if let Some(first) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = first;
        }
    }

    /// Fills each empty deployment field with the Deployment the alert's
    /// pod belongs to, saying so; the cursor moves on from a field that is
    /// now right.
    pub fn fill_from_cluster(&mut self, owner: &PodOwner, pb: &Playbook) {
        for (i, f) in self.fields.iter_mut().enumerate() {
            if f.names != Some(Kind::Deployment) || !f.value().is_empty() {
                continue;
            }
            f.set_value(&owner.deployment);
            f.from_cluster = Some(owner.clone());
            f.error = validate(&pb.params[i], f);
        }
        if self.fields[self.focus].error.is_none()
            && let Some(next) = self.fields.iter().position(|f| f.error.is_some())
        {
            self.focus = next;
        }
    }

    pub fn new(
        playbook: usize,
        pb: &Playbook,
        given: &[(String, String)],
        alert: Option<Alert>,
    ) -> Form {
        let fields: Vec<Field> = pb
            .params
            .iter()
            .map(|p| {
                let mut input = TextArea::default();
                let value = given
                    .iter()
                    .find(|(k, _)| *k == p.name.value)
                    .map(|(_, v)| v)
                    .or(p.default.as_ref());
                if let Some(v) = value {
                    input.insert_str(v);
                }
                let mut f = Field {
                    name: p.name.value.clone(),
                    description: p.description.clone().unwrap_or_default(),
                    required: p.required,
                    input,
                    error: None,
                    // A value that is there was given by someone: if it is
                    // wrong, that is worth saying at once.
                    touched: value.is_some_and(|v| !v.is_empty()),
                    names: Kind::of_param(&p.name.value),
                    pick: 0,
                    from_cluster: None,
                };
                f.error = validate(p, &f);
                f
            })
            .collect();
        // Straight to what is left to type.
        let focus = fields.iter().position(|f| f.error.is_some()).unwrap_or(0);
        Form {
            playbook,
            fields,
            focus,
            alert,
            standalone: false,
        }
    }

    /// Whether a field offers names from the cluster.
    pub fn wants_names(&self) -> bool {
        self.fields.iter().any(|f| f.names.is_some())
    }

    /// The names offered for field `i` as it stands: for a deployment, those
    /// in the namespace the form names (when it names one that has any).
    pub fn candidates(&self, i: usize, names: Option<&Names>) -> Vec<String> {
        let (Some(names), Some(field)) = (names, self.fields.get(i)) else {
            return Vec::new();
        };
        let Some(kind) = field.names else {
            return Vec::new();
        };
        let namespace = self
            .fields
            .iter()
            .find(|f| f.names == Some(Kind::Namespace))
            .map(Field::value)
            .filter(|v| !v.is_empty());
        names.candidates(kind, &field.value(), namespace.as_deref())
    }

    /// The highlighted name for the focused field, if it offers one.
    pub fn picked(&self, names: Option<&Names>) -> Option<String> {
        let field = self.fields.get(self.focus)?;
        let candidates = self.candidates(self.focus, names);
        candidates
            .get(field.pick.min(candidates.len().saturating_sub(1)))
            .cloned()
    }

    pub fn on_key(&mut self, key: KeyEvent, pb: &Playbook, names: Option<&Names>) -> Outcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let picked = self.picked(names);
        let focus = self.focus;
        let value = self.fields[focus].value();
        match key.code {
            KeyCode::Esc => return Outcome::Leave,
            // Tab completes a name that was begun, as a shell does; else it
            // goes on to the next field.
            KeyCode::Tab
                if picked
                    .as_deref()
                    .is_some_and(|p| !value.is_empty() && p != value && p.starts_with(&value)) =>
            {
                self.take(picked.as_deref().unwrap_or_default(), pb)
            }
            // Right at the end of the text takes the highlighted name.
            KeyCode::Right
                if picked.as_deref().is_some_and(|p| p != value)
                    && self.fields[focus].input.cursor().1 == value.chars().count() =>
            {
                self.take(picked.as_deref().unwrap_or_default(), pb)
            }
            KeyCode::Char('n') if ctrl => self.cycle(names, 1),
            KeyCode::Char('p') if ctrl => self.cycle(names, -1),
            KeyCode::Tab | KeyCode::Down => self.move_focus(1),
            KeyCode::BackTab | KeyCode::Up => self.move_focus(-1),
            KeyCode::Enter => {
                for f in &mut self.fields {
                    f.touched = true;
                }
                if self.fields.iter().all(|f| f.error.is_none()) {
                    return Outcome::Submit(
                        self.fields
                            .iter()
                            .map(|f| (f.name.clone(), f.value()))
                            .filter(|(_, v)| !v.is_empty())
                            .collect(),
                    );
                }
                if let Some(first) = self.fields.iter().position(|f| f.error.is_some()) {
                    self.focus = first;
                }
            }
            _ => {
                let field = &mut self.fields[focus];
                field.input.input(key);
                if field.value() != value {
                    field.touched = true;
                    field.pick = 0;
                    field.from_cluster = None;
                }
                field.error = validate(&pb.params[focus], field);
            }
        }
        Outcome::Stay
    }

    fn take(&mut self, name: &str, pb: &Playbook) {
        let focus = self.focus;
        let field = &mut self.fields[focus];
        field.set_value(name);
        field.from_cluster = None;
        field.touched = true;
        field.pick = 0;
        field.error = validate(&pb.params[focus], field);
    }

    fn cycle(&mut self, names: Option<&Names>, by: isize) {
        let count = self.candidates(self.focus, names).len();
        if count > 0 {
            let field = &mut self.fields[self.focus];
            field.pick = (field.pick as isize + by).rem_euclid(count as isize) as usize;
        }
    }

    /// Leaving a field touches it: an empty required field says so then.
    fn move_focus(&mut self, by: isize) {
        let count = self.fields.len() as isize;
        self.fields[self.focus].touched = true;
        self.focus = (self.focus as isize + by).rem_euclid(count) as usize;
    }
}

fn validate(p: &Param, f: &Field) -> Option<String> {
    let value = f.value();
    if value.is_empty() && !p.required {
        return None;
    }
    check_param(p, &value).err().map(|e| e.to_string())
}
