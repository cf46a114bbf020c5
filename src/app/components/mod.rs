//! Windows over the main screen, one component per file: its state, its
//! keys (rows of the one key table, under its `Mode`), what they do, and
//! how it is drawn. Work a window shows (a command's output, an action's
//! progress) lives in the model's `Work`, so closing a window loses
//! nothing.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use super::keymap::{Action, Mode, lookup};
use super::model::{Effect, State};

pub mod action_pick;
pub mod action_progress;
pub mod ask_values;
pub mod briefing;
pub mod command_line;
pub mod confirm_action;
pub mod confirm_run;
pub mod contexts;
pub mod detail;
pub mod end_session;
pub mod escalation;
pub mod expire_silence;
pub mod filter;
pub mod help;
pub mod interrupted;
pub mod notes;
pub mod output;
pub mod override_reason;
pub mod quit;
pub mod silence;
pub mod timeline;

pub use action_pick::ActionPick;
pub use action_progress::ActionProgress;
pub use ask_values::AskValues;
pub use briefing::BriefingWindow;
pub use command_line::CommandLine;
pub use confirm_action::ConfirmAction;
pub use confirm_run::ConfirmRun;
pub use contexts::ContextPicker;
pub use detail::DetailView;
pub use end_session::EndSession;
pub use escalation::Escalation;
pub use expire_silence::ExpireSilence;
pub use filter::Filter;
pub use help::Help;
pub use interrupted::Interrupted;
pub use notes::Notes;
pub use output::Output;
pub use override_reason::Override;
pub use quit::ConfirmQuit;
pub use silence::SilenceAlert;
pub use timeline::Timeline;

pub enum Overlay {
    Help(Help),
    ConfirmQuit(ConfirmQuit),
    EndSession(EndSession),
    Override(Override),
    Notes(Notes),
    Timeline(Timeline),
    Escalation(Escalation),
    Filter(Filter),
    ConfirmRun(ConfirmRun),
    Output(Output),
    Detail(DetailView),
    Contexts(ContextPicker),
    Actions(ActionPick),
    ConfirmAction(ConfirmAction),
    ActionProgress(ActionProgress),
    Silence(Box<SilenceAlert>),
    ExpireSilence(ExpireSilence),
    Interrupted(Interrupted),
    AskValues(Box<AskValues>),
    CommandLine(Box<CommandLine>),
    Briefing(BriefingWindow),
}

/// Whether a window stays open after a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum After {
    Keep,
    Close,
}

/// What a key did: the window stays or goes, and effects for the shell.
pub type Handled = (After, Vec<Effect>);

pub fn keep(effects: Vec<Effect>) -> Handled {
    (After::Keep, effects)
}

pub fn close(effects: Vec<Effect>) -> Handled {
    (After::Close, effects)
}

impl Overlay {
    pub fn mode(&self) -> Mode {
        match self {
            Overlay::Help(_) => Mode::Help,
            Overlay::ConfirmQuit(_) => Mode::Quit,
            Overlay::EndSession(_) => Mode::EndSession,
            Overlay::Override(_) => Mode::Override,
            Overlay::Notes(_) => Mode::Notes,
            Overlay::Timeline(_) => Mode::Timeline,
            Overlay::Escalation(_) => Mode::Escalation,
            Overlay::Filter(_) => Mode::Filter,
            Overlay::ConfirmRun(c) => c.mode(),
            Overlay::Output(_) => Mode::Output,
            Overlay::Detail(_) => Mode::Detail,
            Overlay::Contexts(_) => Mode::Contexts,
            Overlay::Actions(_) => Mode::Actions,
            Overlay::ConfirmAction(_) => Mode::ConfirmAction,
            Overlay::ActionProgress(_) => Mode::ActionProgress,
            Overlay::Silence(_) => Mode::Silence,
            Overlay::ExpireSilence(_) => Mode::ExpireSilence,
            Overlay::Interrupted(_) => Mode::Interrupted,
            Overlay::AskValues(_) => Mode::AskValues,
            Overlay::CommandLine(_) => Mode::CommandLine,
            Overlay::Briefing(_) => Mode::Briefing,
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        match self {
            Overlay::Help(c) => c.draw(frame, area, state),
            Overlay::ConfirmQuit(c) => c.draw(frame, area, state),
            Overlay::EndSession(c) => c.draw(frame, area, state),
            Overlay::Override(c) => c.draw(frame, area, state),
            Overlay::Notes(c) => c.draw(frame, area, state),
            Overlay::Timeline(c) => c.draw(frame, area, state),
            Overlay::Escalation(c) => c.draw(frame, area, state),
            Overlay::Filter(c) => c.draw(frame, area, state),
            Overlay::ConfirmRun(c) => c.draw(frame, area, state),
            Overlay::Output(c) => c.draw(frame, area, state),
            Overlay::Detail(c) => c.draw(frame, area, state),
            Overlay::Contexts(c) => c.draw(frame, area, state),
            Overlay::Actions(c) => c.draw(frame, area, state),
            Overlay::ConfirmAction(c) => c.draw(frame, area, state),
            Overlay::ActionProgress(c) => c.draw(frame, area, state),
            Overlay::Silence(c) => c.draw(frame, area, state),
            Overlay::ExpireSilence(c) => c.draw(frame, area, state),
            Overlay::Interrupted(c) => c.draw(frame, area, state),
            Overlay::AskValues(c) => c.draw(frame, area, state),
            Overlay::CommandLine(c) => c.draw(frame, area, state),
            Overlay::Briefing(c) => c.draw(frame, area, state),
        }
    }

    fn on_key(&mut self, state: &mut State, action: Option<Action>, key: KeyEvent) -> Handled {
        match self {
            Overlay::Help(c) => c.on_key(state, action),
            Overlay::ConfirmQuit(c) => c.on_key(state, action),
            Overlay::EndSession(c) => c.on_key(state, action, key),
            Overlay::Override(c) => c.on_key(state, action, key),
            Overlay::Notes(c) => c.on_key(state, action, key),
            Overlay::Timeline(c) => c.on_key(state, action),
            Overlay::Escalation(c) => c.on_key(state, action),
            Overlay::Filter(c) => c.on_key(state, action, key),
            Overlay::ConfirmRun(c) => c.on_key(state, action, key),
            Overlay::Output(c) => c.on_key(state, action),
            Overlay::Detail(c) => c.on_key(state, action),
            Overlay::Contexts(c) => c.on_key(state, action),
            Overlay::Actions(c) => c.on_key(state, action),
            Overlay::ConfirmAction(c) => c.on_key(state, action, key),
            Overlay::ActionProgress(c) => c.on_key(state, action),
            Overlay::Silence(c) => c.on_key(state, action, key),
            Overlay::ExpireSilence(c) => c.on_key(state, action),
            Overlay::Interrupted(c) => c.on_key(state, action),
            Overlay::AskValues(c) => c.on_key(state, action, key),
            Overlay::CommandLine(c) => c.on_key(state, action, key),
            Overlay::Briefing(c) => c.on_key(state, action),
        }
    }
}

/// A key while a window is open: the top window takes it. The window is
/// taken off the stack while it acts, so it may change anything in the
/// state (open another window, journal), then goes back where it was.
pub fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(mut top) = state.overlays.pop() else {
        return Vec::new();
    };
    let depth = state.overlays.len();
    let mode = top.mode();
    let action = lookup(mode, &key);
    let is_ctrl_c = key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
    if action.is_none() && is_ctrl_c && !mode.types_text() {
        // ctrl-c asks to quit from any window but the quit prompt itself.
        let asking = matches!(top, Overlay::ConfirmQuit(_));
        state.overlays.insert(depth, top);
        if !asking {
            state.overlays.push(Overlay::ConfirmQuit(ConfirmQuit));
        }
        return Vec::new();
    }
    let (after, effects) = top.on_key(state, action, key);
    if after == After::Keep {
        state.overlays.insert(depth.min(state.overlays.len()), top);
    }
    effects
}
