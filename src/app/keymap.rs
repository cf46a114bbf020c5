//! Keys are data: one table (`keys_table.rs`) from (mode, key) to action,
//! for the main screen and for every window. The help window and the hint
//! line are both generated from it, so neither can name a key that does
//! nothing or leave one out.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub use super::keys_table::bindings;

/// Where input goes, which decides what a key means: the main screen's
/// focus, or the window on top.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Step,
    Panes,
    Ended,
    Help,
    Quit,
    EndSession,
    Override,
    Notes,
    Timeline,
    Escalation,
    Filter,
    ConfirmRun,
    ConfirmRunTyped,
    Output,
    Detail,
    Contexts,
    Actions,
    ConfirmAction,
    ActionProgress,
    Silence,
    ExpireSilence,
    AskValues,
    CommandLine,
    Briefing,
    /// A drain left half-done by an interrupted session.
    Interrupted,
}

impl Mode {
    /// Windows with a text field: keys not in the table type into it.
    pub fn types_text(self) -> bool {
        matches!(
            self,
            Mode::Override
                | Mode::Notes
                | Mode::Filter
                | Mode::ConfirmRunTyped
                | Mode::ConfirmAction
                | Mode::EndSession
                | Mode::Silence
                | Mode::AskValues
                | Mode::CommandLine
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Toggle,
    Enter,
    Pick(usize),
    Back,
    CycleFocus,
    NextTab,
    PrevTab,
    ScrollLeft,
    ScrollRight,
    Filter,
    WidenNamespace,
    Note,
    Copy,
    Run,
    Actions,
    Detail,
    Timeline,
    SwitchContext,
    Reopen,
    Help,
    Quit,
    /// Leave a window (esc); in a text field, cancel it.
    Close,
    /// Submit a window's text or choice (enter).
    Submit,
    /// Save a note (ctrl-s).
    Save,
    Yes,
    No,
    /// End the session now, with an outcome and a reason.
    EndSession,
    /// Stop a running command.
    CancelWork,
    /// Silence the alert that opened the session.
    Silence,
    /// Edit the selected command before running it.
    Edit,
    /// Type an ad-hoc command.
    TypeCommand,
    /// A drill's hint: the cluster's suggestion on this step.
    Hint,
    /// A drill's briefing again.
    Briefing,
    /// Take up what an interruption left half-done (a drain).
    Continue,
    /// Undo what an interruption left half-done (uncordon).
    Undo,
    Logs,
    PreviousLogs,
    Follow,
    ClearLine,
}

/// A key as the table names it: a code and whether ctrl is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chord {
    pub code: KeyCode,
    pub ctrl: bool,
}

pub const fn key(code: KeyCode) -> Chord {
    Chord { code, ctrl: false }
}

pub const fn ch(c: char) -> Chord {
    key(KeyCode::Char(c))
}

pub const fn ctrl(c: char) -> Chord {
    Chord {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

impl Chord {
    pub fn matches(&self, event: &KeyEvent) -> bool {
        let held = event.modifiers.contains(KeyModifiers::CONTROL);
        let alt = event.modifiers.contains(KeyModifiers::ALT);
        !alt && held == self.ctrl && self.code == event.code
    }
}

/// When a hint earns its place on the hint line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Always,
    ItemSelected,
    CommandSelected,
    /// The step has choices, none selected.
    ChoicesUnselected,
    ChoiceSelected,
    NoChoices,
    HasActions,
    /// A command or action runs, or has output to look at again.
    HasWork,
    /// A detail window on a pod.
    Pod,
    /// The session was opened from an alert.
    HasAlert,
    /// A drill whose current step has not been hinted yet.
    HintAvailable,
    /// A drill (it has a briefing).
    Drill,
    Following,
    Running,
    /// The pane in focus has more columns than a narrow pane shows.
    ColumnsHidden,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    /// How the hint names the keys, when not as help does.
    pub label: Option<&'static str>,
    pub text: &'static str,
    pub when: When,
    /// Lower ranks come first; the hint line fills left to right.
    pub rank: u8,
}

pub const fn hint(text: &'static str, rank: u8) -> Option<Hint> {
    hint_when(text, When::Always, rank)
}

pub const fn hint_when(text: &'static str, when: When, rank: u8) -> Option<Hint> {
    Some(Hint {
        label: None,
        text,
        when,
        rank,
    })
}

pub struct Binding {
    pub modes: &'static [Mode],
    pub keys: &'static [Chord],
    /// How help and the hint line name the keys.
    pub label: &'static str,
    pub action: Action,
    pub help: &'static str,
    pub hint: Option<Hint>,
    /// A second hint, for another condition (enter also chooses a
    /// selected choice).
    pub alt_hint: Option<Hint>,
}

pub fn lookup(mode: Mode, event: &KeyEvent) -> Option<Action> {
    bindings()
        .filter(|b| b.modes.contains(&mode))
        .find_map(|b| {
            b.keys
                .iter()
                .position(|k| k.matches(event))
                .map(|i| match b.action {
                    Action::Pick(_) => Action::Pick(i),
                    other => other,
                })
        })
}

/// (keys, what they do) for the help window of `mode`.
pub fn help(mode: Mode) -> Vec<(&'static str, &'static str)> {
    bindings()
        .filter(|b| b.modes.contains(&mode))
        .map(|b| (b.label, b.help))
        .collect()
}

/// (keys, hint) for the hint line of `mode`, best first, where `holds`
/// says which conditions are true now.
pub fn hints(mode: Mode, holds: impl Fn(When) -> bool) -> Vec<(&'static str, &'static str)> {
    let mut found: Vec<(u8, &'static str, &'static str)> = bindings()
        .filter(|b| b.modes.contains(&mode))
        .flat_map(|b| {
            [b.hint, b.alt_hint]
                .into_iter()
                .flatten()
                .map(|h| (b.label, h))
        })
        .filter(|(_, h)| holds(h.when))
        .map(|(label, h)| (h.rank, h.label.unwrap_or(label), h.text))
        .collect();
    found.sort_by_key(|(rank, ..)| *rank);
    found.into_iter().map(|(_, l, t)| (l, t)).collect()
}

pub const ALL_MODES: &[Mode] = &[
    Mode::Step,
    Mode::Panes,
    Mode::Ended,
    Mode::Help,
    Mode::Quit,
    Mode::EndSession,
    Mode::Override,
    Mode::Notes,
    Mode::Timeline,
    Mode::Escalation,
    Mode::Filter,
    Mode::ConfirmRun,
    Mode::ConfirmRunTyped,
    Mode::Output,
    Mode::Detail,
    Mode::Contexts,
    Mode::Actions,
    Mode::ConfirmAction,
    Mode::ActionProgress,
    Mode::Silence,
    Mode::ExpireSilence,
    Mode::AskValues,
    Mode::CommandLine,
    Mode::Briefing,
    Mode::Interrupted,
];

#[cfg(test)]
mod tests {
    use super::*;

    fn press(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn digits_pick_their_choice() {
        assert_eq!(
            lookup(Mode::Step, &press(KeyCode::Char('1'))),
            Some(Action::Pick(0))
        );
        assert_eq!(
            lookup(Mode::Step, &press(KeyCode::Char('9'))),
            Some(Action::Pick(8))
        );
        // In the panes a digit is a pane (#24 item 5).
        assert_eq!(
            lookup(Mode::Panes, &press(KeyCode::Char('3'))),
            Some(Action::Pick(2))
        );
    }

    #[test]
    fn every_binding_has_help_and_no_key_is_bound_twice_in_a_mode() {
        for mode in ALL_MODES {
            let mut seen: Vec<Chord> = Vec::new();
            let bindings: Vec<&Binding> = bindings().filter(|b| b.modes.contains(mode)).collect();
            assert!(!bindings.is_empty(), "{mode:?} has no keys at all");
            for b in bindings {
                assert!(!b.help.is_empty());
                for k in b.keys {
                    assert!(!seen.contains(k), "{k:?} bound twice in {mode:?}");
                    seen.push(*k);
                }
            }
        }
    }

    #[test]
    fn every_window_can_be_left_with_esc() {
        for mode in ALL_MODES {
            if matches!(mode, Mode::Step | Mode::Panes | Mode::Ended) {
                continue;
            }
            assert!(
                lookup(*mode, &press(KeyCode::Esc)).is_some(),
                "esc does nothing in {mode:?}"
            );
        }
    }

    #[test]
    fn control_chords_are_not_plain_keys() {
        let ctrl_q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL);
        assert_eq!(lookup(Mode::Step, &ctrl_q), None);
        let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(lookup(Mode::Notes, &ctrl_s), Some(Action::Save));
        assert_eq!(lookup(Mode::Notes, &press(KeyCode::Char('s'))), None);
    }

    #[test]
    fn text_fields_leave_letters_to_the_field() {
        for mode in ALL_MODES.iter().filter(|m| m.types_text()) {
            for c in 'a'..='z' {
                assert_eq!(
                    lookup(*mode, &press(KeyCode::Char(c))),
                    None,
                    "`{c}` is taken from the text field in {mode:?}"
                );
            }
        }
    }
}
