//! The one state of the app. Views read it; only `update` changes it.

use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::TextArea;

use crate::checks::{CheckOutcome, CheckSet, Scope};
use crate::cluster::snapshot::Snapshot;
pub use crate::engine::Record;
use crate::engine::{Event, Session};
use crate::ui::theme::Theme;

pub use super::keymap::Mode;

#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    Resize(u16, u16),
    /// The clock moved (once a second).
    Tick(jiff::Timestamp),
    Cluster(Box<Snapshot>),
    /// The journal's answer to `Effect::Journal`.
    Journaled(Result<Vec<Record>, String>),
    /// The terminal went away (SIGHUP, EOF/EIO on input) or SIGTERM.
    Hangup(String),
    /// A background task failed; shown, never a garbled screen.
    TaskFailed(String),
    /// Output or the end of a command started with `Effect::RunCommand`.
    Command(crate::exec::runner::RunEvent),
    /// The dry run of an action.
    ActionPreview(Result<String, String>),
    ActionProgress(String),
    ActionDone(Result<String, String>),
    /// A detail view's or logs' lines.
    Detail(Result<Vec<String>, String>),
    /// A check job's results.
    Checked(Box<crate::checks::Evaluated>),
    /// Lines of a followed log (stream id, lines).
    LogLines(u64, Vec<String>),
    /// A followed log ended (stream id, why).
    LogsEnded(u64, String),
    /// A change a command made through the session's gateway.
    ApiWrite(Box<crate::cluster::gateway::ApiWrite>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Make these events durable, then answer with `Msg::Journaled`.
    Journal(Vec<Event>),
    /// Copy to the clipboard with OSC 52.
    Copy(String),
    /// A step was entered (drills use it to advance the scenario).
    EnteredStep(String),
    /// Start a planned command; output arrives as `Msg::Command`.
    RunCommand(crate::exec::Planned),
    CancelCommand,
    /// Widen the panes to all namespaces (true) or back to the focus.
    AllNamespaces(bool),
    PreviewAction(crate::cluster::actions::ActionRequest),
    /// Fetch an object (kind, namespace, name) for the detail view.
    FetchDetail(&'static str, String, String),
    /// Fetch a pod's logs (namespace, name, previous container).
    FetchLogs(String, String, bool),
    /// Follow a pod's logs (stream id, namespace, name), replacing any other.
    FollowLogs(u64, String, String),
    StopLogs,
    /// Evaluate the checks off the loop; answers with `Msg::Checked`.
    EvaluateChecks(Box<crate::checks::CheckJob>),
    /// Point the panes, checks and actions at another kube context.
    SwitchContext(String),
    ExecuteAction(crate::cluster::actions::ActionRequest),
    Quit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaneTab {
    Pods,
    Nodes,
    Events,
    Workloads,
}

impl PaneTab {
    pub const ALL: [PaneTab; 4] = [
        PaneTab::Pods,
        PaneTab::Nodes,
        PaneTab::Events,
        PaneTab::Workloads,
    ];

    pub fn title(self) -> &'static str {
        match self {
            PaneTab::Pods => "Pods",
            PaneTab::Nodes => "Nodes",
            PaneTab::Events => "Events",
            PaneTab::Workloads => "Workloads",
        }
    }
}

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

pub enum Overlay {
    Help,
    ConfirmQuit,
    /// Asks why the responder advances past unconfirmed required items.
    Override {
        choice: Option<usize>,
        input: TextArea<'static>,
    },
    Notes {
        input: TextArea<'static>,
        confirm_discard: bool,
    },
    Timeline {
        scroll: usize,
    },
    /// An escalation is due; enter acknowledges it (journaled).
    Escalation {
        index: usize,
    },
    Filter {
        input: TextArea<'static>,
    },
    /// Confirms a command before it runs; a mutating one needs its target
    /// typed.
    ConfirmRun {
        planned: crate::exec::Planned,
        typed: TextArea<'static>,
    },
    /// An object described, or a pod's logs.
    Detail(super::detail::DetailView),
    /// The kubeconfig's contexts to switch to.
    Contexts(super::contexts::ContextPicker),
    /// The step's actions to pick from.
    Actions {
        selected: usize,
    },
    /// A previewed action waiting for its target's name to be typed.
    ConfirmAction {
        request: crate::cluster::actions::ActionRequest,
        preview: Option<Result<String, String>>,
        typed: TextArea<'static>,
    },
    /// An action running, then its result.
    ActionProgress {
        request: crate::cluster::actions::ActionRequest,
        dry_run: String,
        lines: Vec<String>,
        done: Option<Result<String, String>>,
    },
    /// A command's output, live; esc cancels it while it runs.
    Output {
        argv: Vec<String>,
        lines: Vec<String>,
        finish: Option<crate::exec::runner::Finish>,
        scroll: Option<usize>,
    },
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
}

impl PanesView {
    /// Back to the first row, following whatever sorts first.
    pub fn reset_selection(&mut self) {
        self.scroll = 0;
        self.pinned = None;
    }

    pub fn current_tab(&self) -> PaneTab {
        PaneTab::ALL[self.tab.min(PaneTab::ALL.len() - 1)]
    }
}

pub struct State {
    pub session: Session,
    pub theme: Theme,
    pub now: jiff::Timestamp,
    pub mode_focus: Mode,
    /// Index over the step's selectable rows: checklist items, then choices,
    /// then commands.
    pub selection: usize,
    pub overlays: Vec<Overlay>,
    pub banner: Option<Banner>,
    pub snapshot: Option<Snapshot>,
    pub checks: std::sync::Arc<CheckSet>,
    /// A check job is running off the loop; newer snapshots wait for it.
    pub checks_in_flight: bool,
    /// The last evaluation, so unchanged lists are not evaluated again.
    pub last_evaluated: Option<std::sync::Arc<crate::checks::Evaluated>>,
    /// Results of snapshots up to this generation belong to a context the
    /// session has switched away from.
    pub checks_after: u64,
    pub scope: Scope,
    pub panes: PanesView,
    /// A journal write is in flight: input waits until it is durable.
    pub pending: bool,
    /// Events to journal after the in-flight write (gateway writes, a
    /// finished command): see `api_writes`.
    pub journal_after: Vec<Event>,
    pub context: Option<String>,
    pub namespace: Option<String>,
    pub read_only: bool,
    pub session_id: String,
    /// Escalations acknowledged or already shown, by index in metadata.
    pub escalations_seen: Vec<usize>,
    pub quit: bool,
    pub size: (u16, u16),
    /// A note draft saved on quit is journaled before leaving.
    pub quitting_after_journal: bool,
    /// Environment for commands (a drill points KUBECONFIG at the simulator).
    pub command_env: Vec<(String, String)>,
    /// The kubeconfig's contexts, for switching from the UI.
    pub contexts: Vec<String>,
    /// The user's config (read-only context patterns apply on a switch).
    pub config: crate::config::Config,
    /// Id of the last followed log stream (lines of older ones are dropped).
    pub next_log_stream: u64,
    pub command_running: bool,
    pub command_timeout: std::time::Duration,
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
            overlays: Vec::new(),
            banner: None,
            snapshot: None,
            checks: std::sync::Arc::new(checks),
            checks_in_flight: false,
            last_evaluated: None,
            checks_after: 0,
            scope: Scope::default(),
            panes: PanesView::default(),
            pending: false,
            journal_after: Vec::new(),
            context: None,
            namespace: None,
            read_only: false,
            session_id,
            escalations_seen,
            quit: false,
            size: (80, 24),
            quitting_after_journal: false,
            command_env: Vec::new(),
            next_log_stream: 0,
            contexts: Vec::new(),
            config: crate::config::Config::default(),
            command_running: false,
            command_timeout: std::time::Duration::from_secs(120),
        }
    }

    pub fn mode(&self) -> Mode {
        if self.session.is_ended() {
            Mode::Ended
        } else {
            self.mode_focus
        }
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

    pub fn elapsed_secs(&self) -> i64 {
        self.session
            .started_at()
            .map_or(0, |s| (self.now.as_second() - s.as_second()).max(0))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selected {
    Item(usize),
    Choice(usize),
    Command(usize),
    Nothing,
}
