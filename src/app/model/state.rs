//! The one state of the app. Views read it; only `update` changes it.

use crate::checks::{CheckOutcome, CheckSet, Scope};
pub use crate::engine::Record;
use crate::engine::{Event, Session};
use crate::kinds::snapshot::Snapshot;
use crate::tui::theme::Theme;

pub use super::super::components::Overlay;
pub use super::super::keymap::Mode;
use super::notices::Notices;
use super::work::Work;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BannerLevel {
    Info,
    Warn,
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Banner {
    pub level: BannerLevel,
    pub text: String,
}

/// What the live panes show besides the rows themselves.
#[derive(Debug, Clone, Default)]
pub struct PanesView {
    pub tab: usize,
    /// The selected row's index in the pane (after the filter).
    pub scroll: usize,
    /// The selected row's (namespace, name), once the responder has moved:
    /// new rows keep the selection on this object.
    pub pinned: Option<(String, String)>,
    pub filter: String,
    pub all_namespaces: bool,
    /// How many columns after NAME the panes scroll past (`<`/`>`).
    pub hscroll: usize,
    /// The kinds last asked to be watched (visible panes and check roots),
    /// so the shell is told only of a change.
    pub watched: Option<Vec<crate::kinds::KindId>>,
    /// The nodes last asked to be counted.
    pub counted: Vec<String>,
    /// Each pane's row count for the snapshot on screen (`pane_rows`).
    pub counts: crate::app::pane_rows::PaneCounts,
}

impl PanesView {
    /// Back to the first row, following whatever sorts first.
    pub fn reset_selection(&mut self) {
        self.scroll = 0;
        self.pinned = None;
    }
}

impl State {
    /// The panes in order: the step's, else the playbook's, else pods,
    /// events, nodes and the workloads; then every other kind, so `h`/`l`
    /// reach them all.
    pub fn pane_list(&self) -> Vec<crate::kinds::KindId> {
        use crate::kinds;
        let playbook = self.session.playbook();
        let step = self.session.current_step().map(|s| &s.panes);
        let named: Vec<&str> = match step.filter(|p| !p.is_empty()) {
            Some(p) => p.iter().map(|p| p.value.as_str()).collect(),
            None if !playbook.panes.is_empty() => {
                playbook.panes.iter().map(|p| p.value.as_str()).collect()
            }
            None => kinds::DEFAULT_PANES.to_vec(),
        };
        let mut list: Vec<kinds::KindId> = Vec::new();
        for id in named
            .iter()
            .filter_map(|n| kinds::id_of(n))
            .chain(kinds::KindId::all())
        {
            // A kind the cluster does not serve (404) has no pane.
            let missing = self.snapshot.as_ref().is_some_and(|s| {
                matches!(
                    s.state(id),
                    crate::kinds::snapshot::ResourceState::Missing(_)
                )
            });
            if !list.contains(&id) && !missing {
                list.push(id);
            }
        }
        list
    }

    /// How many of the list the playbook (or step) named, or the default.
    pub fn named_panes(&self) -> usize {
        let playbook = self.session.playbook();
        match self.session.current_step().map(|s| s.panes.len()) {
            Some(n) if n > 0 => n,
            _ if !playbook.panes.is_empty() => playbook.panes.len(),
            _ => crate::kinds::DEFAULT_PANES.len(),
        }
    }

    /// The kind of the pane in focus.
    pub fn current_kind(&self) -> crate::kinds::KindId {
        let list = self.pane_list();
        // The list holds every kind the cluster serves; pods when it
        // serves none.
        list.get(self.panes.tab.min(list.len().saturating_sub(1)))
            .copied()
            .unwrap_or_else(crate::kinds::id::<crate::kinds::pod::Pods>)
    }

    /// The panes on screen: from 160x40 up, up to six at once (a window of
    /// the list that holds the one in focus); below, the one in focus.
    pub fn shown_panes(&self) -> Vec<crate::kinds::KindId> {
        let list = self.pane_list();
        if !super::layout::many_panes(self.size.0, self.size.1) {
            return vec![self.current_kind()];
        }
        let n = super::layout::MAX_PANES
            .min(self.named_panes().max(1))
            .min(list.len());
        let tab = self.panes.tab.min(list.len().saturating_sub(1));
        let start = tab / n.max(1) * n;
        list.into_iter().skip(start).take(n).collect()
    }

    /// The kinds to watch: the panes on screen and what the checks read.
    pub fn wanted_kinds(&self) -> Vec<crate::kinds::KindId> {
        use crate::kinds;
        let roots = self.checks.roots().iter().filter_map(|r| kinds::id_of(r));
        kinds::with_needs(self.shown_panes().into_iter().chain(roots))
    }
}

pub struct State {
    pub session: Session,
    pub theme: Theme,
    pub now: jiff::Timestamp,
    /// The main screen's focus: the step or the panes.
    pub mode_focus: Mode,
    /// Index over the step's selectable rows: checklist items, then choices,
    /// then commands.
    pub selection: usize,
    /// How far the ended screen (the summary and drill report) is scrolled;
    /// `usize::MAX` is its end.
    pub ended_scroll: usize,
    /// Windows, the top one last. Work they show lives in `work`.
    pub overlays: Vec<Overlay>,
    pub banner: Option<Banner>,
    pub snapshot: Option<Snapshot>,
    pub checks: std::sync::Arc<CheckSet>,
    /// The last evaluation, so unchanged lists are not evaluated again.
    pub last_evaluated: Option<std::sync::Arc<crate::checks::Evaluated>>,
    /// Results of snapshots up to this generation belong to a context the
    /// session has switched away from.
    pub checks_after: u64,
    pub scope: Scope,
    pub panes: PanesView,
    /// Requests in flight and what came of them.
    pub work: Work,
    /// Prompts the clock raised, waiting for no window to be open.
    pub notices: Notices,
    pub context: Option<String>,
    pub namespace: Option<String>,
    pub read_only: bool,
    /// Commands were to be confined by the kernel and it cannot: the
    /// status line says UNCONFINED.
    pub unconfined: bool,
    /// Each kubeconfig context's API server URL, for the journal's records.
    pub servers: std::collections::BTreeMap<String, String>,
    pub session_id: String,
    /// Escalations acknowledged or already raised, by index in metadata.
    pub escalations_seen: Vec<usize>,
    pub quit: bool,
    pub size: (u16, u16),
    /// Environment for commands (a drill points KUBECONFIG at the simulator).
    pub command_env: Vec<(String, String)>,
    /// The kubeconfig's contexts, for switching from the UI.
    pub contexts: Vec<String>,
    /// The user's config (read-only context patterns apply on a switch).
    pub config: crate::config::Config,
    pub command_timeout: std::time::Duration,
    /// An Alertmanager is configured: `s` can silence the session's alert.
    pub alertmanager: bool,
    /// A drill's briefing (`B` opens it again).
    pub briefing: Option<std::sync::Arc<crate::drill::Briefing>>,
    /// The trainee's earlier tries of this drill's scenario, which the
    /// report at the end compares with.
    pub earlier_tries: Vec<crate::drill::progress::Attempt>,
}

impl State {
    pub fn new(session: Session, theme: Theme, now: jiff::Timestamp, session_id: String) -> State {
        let (checks, _) = CheckSet::compile(session.playbook());
        let escalations_seen = session
            .records()
            .iter()
            .filter_map(|r| match &r.event {
                Event::Escalated { to, .. } => session
                    .playbook()
                    .metadata
                    .escalation
                    .iter()
                    .position(|e| e.to == *to),
                _ => None,
            })
            .collect();
        State {
            session,
            theme,
            now,
            mode_focus: Mode::Step,
            selection: 0,
            ended_scroll: 0,
            overlays: Vec::new(),
            banner: None,
            snapshot: None,
            checks: std::sync::Arc::new(checks),
            last_evaluated: None,
            checks_after: 0,
            scope: Scope::default(),
            panes: PanesView::default(),
            work: Work::default(),
            notices: Notices::default(),
            context: None,
            namespace: None,
            read_only: false,
            unconfined: false,
            servers: std::collections::BTreeMap::new(),
            session_id,
            escalations_seen,
            quit: false,
            size: (80, 24),
            command_env: Vec::new(),
            contexts: Vec::new(),
            config: crate::config::Config::default(),
            command_timeout: std::time::Duration::from_secs(120),
            alertmanager: false,
            briefing: None,
            earlier_tries: Vec::new(),
        }
    }

    /// The cluster changes go to now: the context and its server.
    pub fn cluster_ref(&self) -> super::work::ClusterRef {
        super::work::ClusterRef {
            context: self.context.clone(),
            server: self
                .context
                .as_ref()
                .and_then(|c| self.servers.get(c))
                .cloned(),
        }
    }

    /// The main screen's mode, under any window.
    pub fn base_mode(&self) -> Mode {
        if self.session.is_ended() {
            Mode::Ended
        } else {
            self.mode_focus
        }
    }

    /// Where keys go now: the window on top, else the main screen.
    pub fn mode(&self) -> Mode {
        self.overlays
            .last()
            .map_or_else(|| self.base_mode(), Overlay::mode)
    }

    /// A journal write is in flight (the hint line says "saving...").
    pub fn pending(&self) -> bool {
        self.work.writing()
    }

    /// Params substituted into step text.
    pub fn render(&self, text: &str) -> String {
        crate::playbook::template::render(text, self.session.params())
    }

    /// Number of selectable rows on the current step.
    pub fn selectable(&self) -> usize {
        self.session.current_step().map_or(0, |s| {
            s.checklist.len() + s.choices.len() + s.commands.len()
        })
    }

    pub fn selected(&self) -> Selected {
        let Some(step) = self.session.current_step() else {
            return Selected::Nothing;
        };
        let (items, choices) = (step.checklist.len(), step.choices.len());
        let i = self.selection;
        if i < items {
            Selected::Item(i)
        } else if i < items + choices {
            Selected::Choice(i - items)
        } else if i < items + choices + step.commands.len() {
            Selected::Command(i - items - choices)
        } else {
            Selected::Nothing
        }
    }

    /// The latest check results shown (and journaled as evidence).
    pub fn check_result(&self, id: Option<&str>) -> Option<&CheckOutcome> {
        id.and_then(|id| self.last_evaluated.as_ref()?.results.get(id))
    }

    /// The snapshot generation the results shown were evaluated on.
    pub fn checked_generation(&self) -> Option<u64> {
        self.last_evaluated.as_ref().map(|e| e.generation)
    }

    /// Whether the cluster's suggestion and the outcomes ahead may show: a
    /// drill hides them until the trainee asks for a hint on the step.
    pub fn reveal(&self) -> bool {
        self.session.drill().is_none()
            || self
                .session
                .current_id()
                .is_some_and(|step| self.session.hinted(step))
    }

    /// Whether a hint would show anything on the current step: the
    /// cluster's suggestion among its choices (a choice with a check).
    pub fn hint_has_something(&self) -> bool {
        self.session
            .current_step()
            .is_some_and(|s| s.choices.iter().any(|c| c.when.is_some()))
    }

    /// Time since the start; a finished session's clock stops at its end.
    pub fn elapsed_secs(&self) -> i64 {
        let until = self.session.ended_at().unwrap_or(self.now);
        self.session
            .started_at()
            .map_or(0, |s| (until.as_second() - s.as_second()).max(0))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selected {
    Item(usize),
    Choice(usize),
    Command(usize),
    Nothing,
}
