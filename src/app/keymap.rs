//! Keys are data: one table from (mode, key) to action. The help overlay is
//! generated from the same table, so it can never drift from what keys do.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where input goes, which decides what a key means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Step,
    Panes,
    Ended,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    Toggle,
    Enter,
    Pick(usize),
    Back,
    CycleFocus,
    NextTab,
    PrevTab,
    Filter,
    WidenNamespace,
    Note,
    Copy,
    Run,
    Actions,
    Detail,
    Timeline,
    SwitchContext,
    Help,
    Quit,
    PageUp,
    PageDown,
}

pub struct Binding {
    pub modes: &'static [Mode],
    pub keys: &'static [KeyCode],
    /// How the help overlay names the keys.
    pub label: &'static str,
    pub action: Action,
    pub help: &'static str,
}

const ALL: &[Mode] = &[Mode::Step, Mode::Panes, Mode::Ended];
const LIVE: &[Mode] = &[Mode::Step, Mode::Panes];
const STEP: &[Mode] = &[Mode::Step];
const PANES: &[Mode] = &[Mode::Panes];

pub const BINDINGS: &[Binding] = &[
    Binding {
        modes: ALL,
        keys: &[KeyCode::Char('j'), KeyCode::Down],
        label: "j / down",
        action: Action::Down,
        help: "move down",
    },
    Binding {
        modes: ALL,
        keys: &[KeyCode::Char('k'), KeyCode::Up],
        label: "k / up",
        action: Action::Up,
        help: "move up",
    },
    Binding {
        modes: STEP,
        keys: &[KeyCode::Char(' ')],
        label: "space",
        action: Action::Toggle,
        help: "confirm / unconfirm the selected checklist item",
    },
    Binding {
        modes: STEP,
        keys: &[KeyCode::Enter],
        label: "enter",
        action: Action::Enter,
        help: "pick the selected choice, or go to the next step",
    },
    Binding {
        modes: STEP,
        keys: &[
            KeyCode::Char('1'),
            KeyCode::Char('2'),
            KeyCode::Char('3'),
            KeyCode::Char('4'),
            KeyCode::Char('5'),
            KeyCode::Char('6'),
            KeyCode::Char('7'),
            KeyCode::Char('8'),
            KeyCode::Char('9'),
        ],
        label: "1-9",
        action: Action::Pick(0),
        help: "pick that choice",
    },
    Binding {
        modes: STEP,
        keys: &[KeyCode::Char('b')],
        label: "b",
        action: Action::Back,
        help: "back to the previous step (history is kept)",
    },
    Binding {
        modes: LIVE,
        keys: &[KeyCode::Tab, KeyCode::BackTab],
        label: "tab",
        action: Action::CycleFocus,
        help: "switch between the step and the cluster panes",
    },
    Binding {
        modes: PANES,
        keys: &[KeyCode::Char('l'), KeyCode::Right],
        label: "l / right",
        action: Action::NextTab,
        help: "next pane: pods, nodes, events, workloads",
    },
    Binding {
        modes: PANES,
        keys: &[KeyCode::Char('h'), KeyCode::Left],
        label: "h / left",
        action: Action::PrevTab,
        help: "previous pane",
    },
    Binding {
        modes: PANES,
        keys: &[KeyCode::Enter],
        label: "enter",
        action: Action::Detail,
        help: "details of the selected row (then l: a pod's logs, p: the previous container's, f: follow)",
    },
    Binding {
        modes: PANES,
        keys: &[KeyCode::Char('/')],
        label: "/",
        action: Action::Filter,
        help: "filter the pane's rows (esc clears)",
    },
    Binding {
        modes: PANES,
        keys: &[KeyCode::Char('A')],
        label: "A",
        action: Action::WidenNamespace,
        help: "all namespaces / back to the playbook's focus",
    },
    Binding {
        modes: ALL,
        keys: &[KeyCode::PageDown],
        label: "pgdn",
        action: Action::PageDown,
        help: "scroll down a page",
    },
    Binding {
        modes: ALL,
        keys: &[KeyCode::PageUp],
        label: "pgup",
        action: Action::PageUp,
        help: "scroll up a page",
    },
    Binding {
        modes: LIVE,
        keys: &[KeyCode::Char('n')],
        label: "n",
        action: Action::Note,
        help: "write a note (ctrl-s saves it to the journal)",
    },
    Binding {
        modes: STEP,
        keys: &[KeyCode::Char('y')],
        label: "y",
        action: Action::Copy,
        help: "copy the selected command (OSC 52; works over SSH)",
    },
    Binding {
        modes: STEP,
        keys: &[KeyCode::Char('r')],
        label: "r",
        action: Action::Run,
        help: "run the selected command (asks first; typed name for changes)",
    },
    Binding {
        modes: STEP,
        keys: &[KeyCode::Char('a')],
        label: "a",
        action: Action::Actions,
        help: "the step's built-in actions (dry-run preview, typed confirm)",
    },
    Binding {
        modes: LIVE,
        keys: &[KeyCode::Char('c')],
        label: "c",
        action: Action::SwitchContext,
        help: "switch the kube context (journaled; read-only stays on)",
    },
    Binding {
        modes: ALL,
        keys: &[KeyCode::Char('t')],
        label: "t",
        action: Action::Timeline,
        help: "the session's timeline",
    },
    Binding {
        modes: ALL,
        keys: &[KeyCode::Char('?')],
        label: "?",
        action: Action::Help,
        help: "this help",
    },
    Binding {
        modes: ALL,
        keys: &[KeyCode::Char('q')],
        label: "q",
        action: Action::Quit,
        help: "quit (asks; the session stays resumable)",
    },
];

pub fn lookup(mode: Mode, key: &KeyEvent) -> Option<Action> {
    if key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        return None;
    }
    BINDINGS
        .iter()
        .filter(|b| b.modes.contains(&mode))
        .find_map(|b| {
            b.keys
                .iter()
                .position(|k| *k == key.code)
                .map(|i| match b.action {
                    Action::Pick(_) => Action::Pick(i),
                    other => other,
                })
        })
}

/// (keys, what they do) for the help overlay of `mode`.
pub fn help(mode: Mode) -> Vec<(&'static str, &'static str)> {
    BINDINGS
        .iter()
        .filter(|b| b.modes.contains(&mode))
        .map(|b| (b.label, b.help))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn digits_pick_their_choice() {
        assert_eq!(
            lookup(Mode::Step, &key(KeyCode::Char('1'))),
            Some(Action::Pick(0))
        );
        assert_eq!(
            lookup(Mode::Step, &key(KeyCode::Char('9'))),
            Some(Action::Pick(8))
        );
        assert_eq!(lookup(Mode::Panes, &key(KeyCode::Char('1'))), None);
    }

    #[test]
    fn every_binding_has_help_and_no_key_is_bound_twice_in_a_mode() {
        for mode in [Mode::Step, Mode::Panes, Mode::Ended] {
            let mut seen = Vec::new();
            for b in BINDINGS.iter().filter(|b| b.modes.contains(&mode)) {
                assert!(!b.help.is_empty());
                for k in b.keys {
                    assert!(!seen.contains(k), "{k:?} bound twice in {mode:?}");
                    seen.push(*k);
                }
            }
        }
    }

    #[test]
    fn control_chords_are_not_plain_keys() {
        let ctrl_q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL);
        assert_eq!(lookup(Mode::Step, &ctrl_q), None);
    }
}
