//! The home screen: firing alerts first, then resumable sessions, then
//! playbooks, narrowed by a fuzzy search over alert names and labels,
//! titles, names, tags and the alert names playbooks list; then, for a
//! playbook with required params, a form that checks each value as it is
//! typed (filled in from the alert's labels when an alert opened it).

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::alerts::{self, AlertsPane};
use super::form::Outcome;
pub use super::form::{Field, Form};
use super::suggest::{self, Names};
use crate::alerts::Alert;
use crate::journal::SessionSummary;
use crate::playbook::catalog::Entry;

#[derive(Debug, Clone, PartialEq)]
pub enum Choice {
    Resume(String),
    Run {
        playbook: String,
        params: Vec<(String, String)>,
        /// The alert that opened it, journaled with the start.
        alert: Option<Alert>,
    },
    Quit,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Alert(usize),
    /// The alerts of one name (two or more), folded into one row with
    /// their count: index into `AlertsPane::groups`.
    AlertGroup(usize),
    Session(usize),
    Playbook(usize),
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
    pub alerts: AlertsPane,
    /// When the alerts were fetched: their ages are counted from it.
    pub now: jiff::Timestamp,
    /// A one-line answer to the last key (shown in the footer).
    pub notice: Option<String>,
    /// The cluster's names for the params form, once listed.
    pub names: Option<Names>,
    /// Whether the listing was started (it is, once a form needs it).
    pub names_asked: bool,
    /// The alert names whose group is unfolded (groups start folded).
    pub unfolded: std::collections::BTreeSet<String>,
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
            alerts: AlertsPane::Off,
            now: jiff::Timestamp::UNIX_EPOCH,
            notice: None,
            names: None,
            names_asked: false,
            unfolded: Default::default(),
        }
    }

    /// Just the params form for `entry`, filled with `given` (`run` when a
    /// required param was not given, `run --alert` when the alert's labels
    /// leave one empty).
    pub fn form_for(entry: Entry, given: Vec<(String, String)>, alert: Option<Alert>) -> Self {
        let mut state = HomeState::new(vec![entry], Vec::new(), None, None);
        state.open(0, &given, alert);
        if let Some(form) = &mut state.form {
            form.standalone = true;
        }
        state
    }

    /// The first fetch from `url` has started.
    pub fn expect_alerts(&mut self, url: &str) {
        self.alerts = AlertsPane::Loading {
            url: url.to_string(),
        };
    }

    /// The fetch's answer: the alerts, or one line saying why not.
    pub fn set_alerts(&mut self, result: Result<Vec<Alert>, String>, now: jiff::Timestamp) {
        let url = match &self.alerts {
            AlertsPane::Loading { url } | AlertsPane::Ready { url, .. } => url.clone(),
            _ => String::new(),
        };
        let before = self.items().get(self.selected).cloned();
        self.now = now;
        self.alerts = match result {
            Ok(firing) => {
                AlertsPane::ready(url, alerts::rows(firing, &self.entries, &self.sessions))
            }
            Err(why) => AlertsPane::Failed(why),
        };
        // Alerts arrive above the list. Untouched, the selection is the top
        // item, now the most urgent alert; moved, it stays on its item.
        if let Some(item) = before.filter(|_| self.selected > 0) {
            self.selected = self.items().iter().position(|i| *i == item).unwrap_or(0);
        }
    }

    /// The alert name of group `g`.
    fn group_name(&self, g: usize) -> Option<String> {
        let first = *self.alerts.groups().get(g)?.first()?;
        Some(self.alerts.rows()[first].alert.name().to_string())
    }

    /// Unfolds (or folds) the group under the selection: the selected group
    /// row, or the group of the selected alert. Folding selects the group.
    fn fold(&mut self, open: bool) {
        let group = match self.items().get(self.selected) {
            Some(Item::AlertGroup(g)) => Some(*g),
            Some(Item::Alert(a)) if !open && self.alerts.group_members(*a).len() > 1 => {
                self.alerts.group_of(*a)
            }
            _ => None,
        };
        let Some((g, name)) = group.and_then(|g| Some((g, self.group_name(g)?))) else {
            return;
        };
        if open {
            self.unfolded.insert(name);
        } else {
            self.unfolded.remove(&name);
        }
        if let Some(at) = self.items().iter().position(|i| *i == Item::AlertGroup(g)) {
            self.selected = at;
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

    /// Items matching the query, best match first whatever its kind (on a
    /// tie: alerts, then sessions, then playbooks); with no query, firing
    /// alerts first, then resumable sessions, then playbooks.
    pub fn items(&self) -> Vec<Item> {
        let rows = self.alerts.rows();
        if self.query.trim().is_empty() {
            // Alerts of one name are one row until unfolded; a search
            // lists each alert that matches.
            let mut items = Vec::new();
            for (g, members) in self.alerts.groups().iter().enumerate() {
                if members.len() == 1 {
                    items.push(Item::Alert(members[0]));
                    continue;
                }
                items.push(Item::AlertGroup(g));
                if self.unfolded.contains(rows[members[0]].alert.name()) {
                    items.extend(members.iter().copied().map(Item::Alert));
                }
            }
            return items
                .into_iter()
                .chain((0..self.sessions.len()).map(Item::Session))
                .chain((0..self.entries.len()).map(Item::Playbook))
                .collect();
        }
        let mut matcher = Matcher::new(Config::DEFAULT);
        let pattern = Pattern::parse(&self.query, CaseMatching::Ignore, Normalization::Smart);
        let mut buf = Vec::new();
        let mut score = |text: &str| pattern.score(Utf32Str::new(text, &mut buf), &mut matcher);
        let mut found: Vec<(u32, Item)> = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            if let Some(sc) = score(&alerts::haystack(r)) {
                found.push((sc, Item::Alert(i)));
            }
        }
        // A session is found by its title and playbook, not by the digits
        // of its id, which fuzzy-match nearly anything.
        for (i, s) in self.sessions.iter().enumerate() {
            if let Some(sc) = score(&format!("{} {}", s.title, s.playbook)) {
                found.push((sc, Item::Session(i)));
            }
        }
        for i in 0..self.entries.len() {
            if let Some(sc) = score(&self.haystack_playbook(i)) {
                found.push((sc, Item::Playbook(i)));
            }
        }
        // Stable: among equal scores, the order above stays.
        found.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
        found.into_iter().map(|(_, i)| i).collect()
    }

    pub fn on_key(&mut self, key: KeyEvent) {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && key.code == KeyCode::Char('c') {
            self.choice = Some(Choice::Quit);
            return;
        }
        if ctrl && key.code == KeyCode::Char('u') && self.form.is_none() {
            self.query.clear();
            self.selected = 0;
            return;
        }
        if self.form.is_some() {
            self.on_form_key(key);
            return;
        }
        let count = self.items().len();
        self.notice = None;
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
            KeyCode::Right => self.fold(true),
            KeyCode::Left => self.fold(false),
            KeyCode::Enter => match self.items().get(self.selected) {
                Some(Item::Alert(i)) => self.open_alert(*i),
                Some(Item::AlertGroup(g)) => {
                    let open = self
                        .group_name(*g)
                        .is_some_and(|n| !self.unfolded.contains(&n));
                    self.fold(open);
                }
                Some(Item::Session(i)) => {
                    self.choice = Some(Choice::Resume(self.sessions[*i].id.clone()))
                }
                Some(Item::Playbook(i)) => self.open(*i, &[], None),
                None => {}
            },
            KeyCode::Char(c) if !ctrl => {
                self.query.push(c);
                self.selected = 0;
            }
            _ => {}
        }
    }

    /// An alert opens the session already working on it, else its
    /// playbook with the params its labels fill (the form when a required
    /// one is left).
    fn open_alert(&mut self, i: usize) {
        let Some(row) = self.alerts.rows().get(i) else {
            return;
        };
        if let Some(s) = row.session {
            self.choice = Some(Choice::Resume(self.sessions[s].id.clone()));
            return;
        }
        let Some(m) = &row.matched else {
            self.notice = Some(format!(
                "no playbook lists {}; start one below, or add it to a playbook's metadata.alerts",
                row.alert.name()
            ));
            return;
        };
        let given: Vec<(String, String)> = m.filled.params.clone().into_iter().collect();
        let alert = Some(row.alert.clone());
        if m.filled.missing.is_empty() {
            self.choice = Some(Choice::Run {
                playbook: m.playbook.clone(),
                params: given,
                alert,
            });
        } else {
            let rejected = m.filled.rejected.clone();
            self.open(m.index, &given, alert);
            if let Some(form) = self.form.as_mut() {
                form.note_rejected(&rejected);
            }
        }
    }

    /// Starts playbook `i`, or opens its params form filled with `given`.
    fn open(&mut self, i: usize, given: &[(String, String)], alert: Option<Alert>) {
        let pb = &self.entries[i].playbook;
        if pb.params.is_empty() {
            self.choice = Some(Choice::Run {
                playbook: pb.name().to_string(),
                params: Vec::new(),
                alert,
            });
            return;
        }
        self.form = Some(Form::new(i, pb, given, alert));
    }

    /// Whether the cluster's names should be listed now: a form offers
    /// them and nobody asked yet.
    pub fn wants_names(&self) -> bool {
        !self.names_asked && self.form.as_ref().is_some_and(Form::wants_names)
    }

    /// The pod whose Deployment the form wants: the alert that opened it
    /// names a pod (and its namespace) and the form has a deployment field
    /// still empty.
    pub fn pod_to_look_up(&self) -> Option<suggest::PodRef> {
        let form = self.form.as_ref()?;
        let alert = form.alert.as_ref()?;
        let empty_deployment = form
            .fields
            .iter()
            .any(|f| f.names == Some(suggest::Kind::Deployment) && f.value().is_empty());
        if !empty_deployment {
            return None;
        }
        let namespace = form
            .fields
            .iter()
            .find(|f| f.names == Some(suggest::Kind::Namespace))
            .map(Field::value)
            .filter(|v| !v.is_empty())
            .or_else(|| alert.label("namespace").map(str::to_string))?;
        Some((namespace, alert.label("pod")?.to_string()))
    }

    /// The listing's answer; without a cluster the form offers nothing.
    /// The Deployment found for the alert's pod fills its empty field.
    pub fn set_names(&mut self, result: Result<Names, String>) {
        match result {
            Ok(names) => {
                if let (Some(form), Some(owner)) = (self.form.as_mut(), names.owner.as_ref()) {
                    let pb = &self.entries[form.playbook].playbook;
                    form.fill_from_cluster(owner, pb);
                }
                self.names = Some(names);
            }
            Err(why) => tracing::debug!("params form: no names from the cluster: {why}"),
        }
    }

    fn on_form_key(&mut self, key: KeyEvent) {
        let Some(form) = self.form.as_mut() else {
            return;
        };
        let pb = &self.entries[form.playbook].playbook;
        match form.on_key(key, pb, self.names.as_ref()) {
            Outcome::Stay => {}
            Outcome::Leave if form.standalone => self.choice = Some(Choice::Quit),
            Outcome::Leave => self.form = None,
            Outcome::Submit(params) => {
                self.choice = Some(Choice::Run {
                    playbook: pb.name().to_string(),
                    params,
                    alert: form.alert.clone(),
                })
            }
        }
    }
}
