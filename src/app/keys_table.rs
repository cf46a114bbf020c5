//! The one key table (the windows' part in `keys_windows.rs`). Each row: the modes it applies in, its keys, how
//! help names them, what they do, and whether (and when) the hint line
//! shows them.

use ratatui::crossterm::event::KeyCode;

use super::keymap::{Action, Binding, Chord, Hint, Mode, When, ch, hint, hint_when, key};

const MAIN: &[Mode] = &[Mode::Step, Mode::Panes, Mode::Ended];
const LIVE: &[Mode] = &[Mode::Step, Mode::Panes];
const STEP: &[Mode] = &[Mode::Step];
const PANES: &[Mode] = &[Mode::Panes];
/// `1`-`9`: a choice in the step, a pane in the panes (`Action::Pick(i)`).
const DIGITS: &[Chord] = &[
    ch('1'),
    ch('2'),
    ch('3'),
    ch('4'),
    ch('5'),
    ch('6'),
    ch('7'),
    ch('8'),
    ch('9'),
];
/// Windows that list or scroll text.
const SCROLLING: &[Mode] = &[
    Mode::Help,
    Mode::Step,
    Mode::Panes,
    Mode::Ended,
    Mode::Timeline,
    Mode::Output,
    Mode::ActionProgress,
    Mode::Detail,
    Mode::Contexts,
    Mode::Actions,
];
const PAGING: &[Mode] = &[
    Mode::Help,
    Mode::Step,
    Mode::Panes,
    Mode::Ended,
    Mode::Timeline,
    Mode::Output,
    Mode::ActionProgress,
    Mode::Detail,
];
/// Windows that ask for text: esc cancels, enter submits.
pub(super) const TYPING: &[Mode] = &[
    Mode::Override,
    Mode::Filter,
    Mode::ConfirmRunTyped,
    Mode::ConfirmAction,
    Mode::EndSession,
    Mode::Silence,
    Mode::AskValues,
    Mode::CommandLine,
];

/// Every binding: the main screen's first, then the windows'
/// (`keys_windows.rs`). The first binding of a mode that holds a key wins.
pub fn bindings() -> impl Iterator<Item = &'static Binding> {
    MAIN_SCREEN.iter().chain(super::keys_windows::WINDOWS)
}

/// The main screen: moving, the step, the panes, and what works anywhere
/// on it.
const MAIN_SCREEN: &[Binding] = &[
    // ---- moving ----
    Binding {
        modes: SCROLLING,
        keys: &[ch('j'), key(KeyCode::Down)],
        label: "j / down",
        action: Action::Down,
        help: "move or scroll down",
        hint: None,
        alt_hint: None,
    },
    Binding {
        modes: SCROLLING,
        keys: &[ch('k'), key(KeyCode::Up)],
        label: "k / up",
        action: Action::Up,
        help: "move or scroll up",
        hint: None,
        alt_hint: None,
    },
    Binding {
        modes: &[Mode::EndSession],
        keys: &[key(KeyCode::Down)],
        label: "down",
        action: Action::Down,
        help: "next outcome",
        hint: hint("outcome", 1),
        alt_hint: None,
    },
    Binding {
        modes: &[Mode::EndSession],
        keys: &[key(KeyCode::Up)],
        label: "up",
        action: Action::Up,
        help: "previous outcome",
        hint: None,
        alt_hint: None,
    },
    Binding {
        modes: PAGING,
        keys: &[key(KeyCode::PageDown)],
        label: "pgdn",
        action: Action::PageDown,
        help: "a page down",
        hint: None,
        alt_hint: None,
    },
    Binding {
        modes: PAGING,
        keys: &[key(KeyCode::PageUp)],
        label: "pgup",
        action: Action::PageUp,
        help: "a page up",
        hint: None,
        alt_hint: None,
    },
    Binding {
        modes: &[
            Mode::Timeline,
            Mode::Output,
            Mode::ActionProgress,
            Mode::Detail,
            Mode::Ended,
        ],
        keys: &[ch('g'), key(KeyCode::Home)],
        label: "g/G",
        action: Action::Top,
        help: "to the top",
        hint: hint("top/end", 3),
        alt_hint: None,
    },
    Binding {
        modes: &[
            Mode::Timeline,
            Mode::Output,
            Mode::ActionProgress,
            Mode::Detail,
            Mode::Ended,
        ],
        keys: &[ch('G'), key(KeyCode::End)],
        label: "G / end",
        action: Action::Bottom,
        help: "to the end (and stay there as lines arrive)",
        hint: None,
        alt_hint: None,
    },
    // ---- the step ----
    Binding {
        modes: STEP,
        keys: &[ch(' ')],
        label: "space",
        action: Action::Toggle,
        help: "confirm / unconfirm the selected checklist item",
        hint: hint_when("confirm", When::ItemSelected, 0),
        alt_hint: None,
    },
    Binding {
        modes: STEP,
        keys: &[ch('r')],
        label: "r",
        action: Action::Run,
        help: "run the selected command (asks first; typed name for changes)",
        hint: hint_when("run", When::CommandSelected, 0),
        alt_hint: None,
    },
    Binding {
        modes: STEP,
        keys: &[ch('y')],
        label: "y",
        action: Action::Copy,
        help: "copy the selected command (OSC 52; works over SSH)",
        hint: hint_when("copy", When::CommandSelected, 1),
        alt_hint: None,
    },
    Binding {
        modes: STEP,
        keys: &[ch('e')],
        label: "e",
        action: Action::Edit,
        help: "edit the selected command (params filled) before running it",
        hint: hint_when("edit", When::CommandSelected, 1),
        alt_hint: None,
    },
    Binding {
        modes: LIVE,
        keys: &[ch(':')],
        label: ":",
        action: Action::TypeCommand,
        help: "run a command of your own (no shell; confirmed, journaled)",
        hint: None,
        alt_hint: None,
    },
    Binding {
        modes: STEP,
        keys: &[ch('H')],
        label: "H",
        action: Action::Hint,
        help: "a drill's hint: what the cluster suggests here (counted)",
        hint: hint_when("hint", When::HintAvailable, 6),
        alt_hint: None,
    },
    Binding {
        modes: MAIN,
        keys: &[ch('B')],
        label: "B",
        action: Action::Briefing,
        help: "a drill's briefing: page, goal, target time, KUBECONFIG",
        hint: hint_when("briefing", When::Drill, 9),
        alt_hint: None,
    },
    Binding {
        modes: STEP,
        keys: &[ch('a')],
        label: "a",
        action: Action::Actions,
        help: "the step's built-in actions (dry-run preview, typed confirm)",
        hint: hint_when("actions", When::HasActions, 2),
        alt_hint: None,
    },
    Binding {
        modes: STEP,
        keys: &[key(KeyCode::Enter)],
        label: "enter",
        action: Action::Enter,
        help: "pick the selected choice, or go to the next step",
        hint: hint_when("next", When::NoChoices, 3),
        alt_hint: None,
    },
    Binding {
        modes: STEP,
        keys: DIGITS,
        label: "1-9",
        action: Action::Pick(0),
        help: "pick that choice",
        hint: hint_when("choose", When::ChoicesUnselected, 3),
        alt_hint: Some(Hint {
            label: Some("enter/1-9"),
            text: "choose",
            when: When::ChoiceSelected,
            rank: 3,
        }),
    },
    Binding {
        modes: STEP,
        keys: &[ch('b')],
        label: "b",
        action: Action::Back,
        help: "back to the previous step (history is kept)",
        hint: hint("back", 6),
        alt_hint: None,
    },
    Binding {
        modes: STEP,
        keys: &[key(KeyCode::Tab), key(KeyCode::BackTab)],
        label: "tab",
        action: Action::CycleFocus,
        help: "to the cluster panes",
        hint: hint("panes", 5),
        alt_hint: None,
    },
    Binding {
        modes: PANES,
        keys: &[key(KeyCode::Tab), key(KeyCode::BackTab)],
        label: "tab",
        action: Action::CycleFocus,
        help: "back to the step",
        hint: hint("step", 5),
        alt_hint: None,
    },
    Binding {
        modes: LIVE,
        keys: &[ch('n')],
        label: "n",
        action: Action::Note,
        help: "write a note (ctrl-s saves it to the journal)",
        hint: hint("note", 7),
        alt_hint: None,
    },
    Binding {
        modes: LIVE,
        keys: &[ch('o')],
        label: "o",
        action: Action::Reopen,
        help: "open the last command's output or action's progress again",
        hint: hint_when("output", When::HasWork, 4),
        alt_hint: None,
    },
    Binding {
        modes: LIVE,
        keys: &[ch('c')],
        label: "c",
        action: Action::SwitchContext,
        help: "switch the kube context (journaled; read-only stays on)",
        hint: None,
        alt_hint: None,
    },
    Binding {
        modes: LIVE,
        keys: &[ch('s')],
        label: "s",
        action: Action::Silence,
        help: "silence the alert that paged (Alertmanager; asked, journaled)",
        hint: hint_when("silence", When::HasAlert, 7),
        alt_hint: None,
    },
    Binding {
        modes: LIVE,
        keys: &[ch('E')],
        label: "E",
        action: Action::EndSession,
        help: "end the session now: outcome and reason (journaled)",
        hint: None,
        alt_hint: None,
    },
    // ---- the panes ----
    Binding {
        modes: PANES,
        keys: &[key(KeyCode::Enter)],
        label: "enter",
        action: Action::Detail,
        help: "details of the selected row, as kubectl describe shows them",
        hint: hint("describe", 0),
        alt_hint: None,
    },
    Binding {
        modes: PANES,
        keys: DIGITS,
        label: "1-9",
        action: Action::Pick(0),
        help: "that pane (numbered in the tabs; the playbook's first)",
        hint: None,
        alt_hint: None,
    },
    Binding {
        modes: PANES,
        keys: &[ch('l')],
        label: "l",
        action: Action::Logs,
        help: "the selected pod's logs (then p previous container, f follow)",
        hint: hint_when("logs", When::Pod, 1),
        alt_hint: None,
    },
    Binding {
        modes: PANES,
        keys: &[key(KeyCode::Right)],
        label: "right",
        action: Action::NextTab,
        help: "next pane: the playbook's, then every other kind",
        hint: hint("pane", 1),
        alt_hint: None,
    },
    Binding {
        modes: PANES,
        keys: &[key(KeyCode::Left)],
        label: "left",
        action: Action::PrevTab,
        help: "previous pane",
        hint: None,
        alt_hint: None,
    },
    Binding {
        modes: PANES,
        keys: &[ch('>')],
        label: "< >",
        action: Action::ScrollRight,
        help: "scroll the pane's columns left / right (NAME stays)",
        hint: hint_when("columns", When::ColumnsHidden, 11),
        alt_hint: None,
    },
    Binding {
        modes: PANES,
        keys: &[ch('<')],
        label: "<",
        action: Action::ScrollLeft,
        help: "scroll the pane's columns left",
        hint: None,
        alt_hint: None,
    },
    Binding {
        modes: PANES,
        keys: &[ch('/')],
        label: "/",
        action: Action::Filter,
        help: "filter the pane's rows (esc clears)",
        hint: hint("filter", 2),
        alt_hint: None,
    },
    Binding {
        modes: PANES,
        keys: &[ch('A')],
        label: "A",
        action: Action::WidenNamespace,
        help: "all namespaces / back to the playbook's focus",
        hint: hint("all ns", 3),
        alt_hint: None,
    },
    // ---- everywhere on the main screen ----
    Binding {
        modes: MAIN,
        keys: &[ch('t')],
        label: "t",
        action: Action::Timeline,
        help: "the session's timeline",
        hint: hint("timeline", 9),
        alt_hint: None,
    },
    Binding {
        modes: MAIN,
        keys: &[ch('q')],
        label: "q",
        action: Action::Quit,
        help: "quit (asks; an unfinished session stays resumable)",
        hint: hint("quit", 8),
        alt_hint: None,
    },
    Binding {
        modes: MAIN,
        keys: &[ch('?')],
        label: "?",
        action: Action::Help,
        help: "every key, for where you are",
        hint: hint("keys", 10),
        alt_hint: None,
    },
];

#[cfg(test)]
mod tests {
    use super::super::keymap::{ALL_MODES, help};
    use super::*;

    #[test]
    fn help_lists_the_pane_keys() {
        let panes: Vec<&str> = help(Mode::Panes).into_iter().map(|(k, _)| k).collect();
        for k in ["l", "right", "left", "/", "A", "enter", "< >"] {
            assert!(panes.contains(&k), "`{k}` missing from the panes' help");
        }
        // #24 (6, 7): `l` is logs wherever there is a pod, and no two keys
        // of a window contradict each other.
        let help_of = |mode, key: &str| {
            help(mode)
                .into_iter()
                .find(|(k, _)| *k == key)
                .map(|(_, h)| h)
                .unwrap_or_default()
        };
        assert!(help_of(Mode::Panes, "l").contains("logs"));
        assert!(help_of(Mode::Detail, "l").contains("logs"));
        assert!(help_of(Mode::Panes, "< >").contains("left / right"));
        let detail: Vec<&str> = help(Mode::Detail).into_iter().map(|(k, _)| k).collect();
        for k in ["l", "p", "f"] {
            assert!(detail.contains(&k), "`{k}` missing from the detail help");
        }
    }

    #[test]
    fn help_lines_fit_an_80_column_window_unwrapped() {
        // 80 columns less the borders, the label column and its gap.
        for b in bindings() {
            assert!(b.help.chars().count() <= 62, "too long to fit: {}", b.help);
        }
    }

    #[test]
    fn every_mode_has_a_hint() {
        for mode in ALL_MODES {
            assert!(
                bindings().any(|b| b.modes.contains(mode) && b.hint.is_some()),
                "{mode:?} has nothing for the hint line"
            );
        }
    }
}
