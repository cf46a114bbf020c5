//! Prompts the clock raises (a due escalation). They queue and show in the
//! status line at once, but open as a window only when no window is open,
//! so one never pops up over a note being typed and takes its keystrokes.

use std::collections::VecDeque;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Escalation `index` of the playbook's metadata is due.
    Escalation(usize),
    /// The session ended with this silence of its alert still on.
    ExpireSilence(String),
}

#[derive(Debug, Default)]
pub struct Notices {
    queue: VecDeque<Notice>,
}

impl Notices {
    pub fn push(&mut self, notice: Notice) {
        if !self.queue.contains(&notice) {
            self.queue.push_back(notice);
        }
    }

    pub fn pop(&mut self) -> Option<Notice> {
        self.queue.pop_front()
    }

    pub fn len(&self) -> usize {
        self.queue.len()
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }
}
