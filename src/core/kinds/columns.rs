//! A kind's columns, declared once: what `kubectl get` prints (the
//! simulator's tables, `-o wide` for priority 1) and what its pane shows,
//! with how wide each may be. Cells are plain text with a tone; the panes
//! colour them, the simulator sends the text.

use std::borrow::Cow;

/// How a pane sizes a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// The object's name: sized first, to its widest visible value; a name
    /// that must shrink keeps its unique tail.
    Name,
    /// Exactly this wide.
    Fixed(u16),
    /// As wide as its widest visible value, at most this.
    Fit(u16),
    /// What is left; text wraps over up to three lines (messages).
    Fill,
}

/// One column of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// As kubectl's table prints it (`Name`, `Up-to-date`); the pane's
    /// header is this upper-cased.
    pub name: &'static str,
    pub width: Width,
    /// kubectl's priority: 0 in `get`, 1 in `get -o wide`; None: a pane
    /// column kubectl does not print.
    pub kubectl: Option<u8>,
    /// Whether the pane shows it.
    pub pane: bool,
    /// What a responder needs of the kind (a pod's STATUS and RESTARTS, an
    /// event's REASON and MESSAGE): a narrow pane keeps it, shrinking the
    /// name and leaving other columns out first. 0: not kept; 1 kept
    /// first; 2 kept next, as room allows.
    pub keep: u8,
}

impl Column {
    /// This column, kept first in a narrow pane (see [`Column::keep`]).
    pub const fn kept(self) -> Column {
        Column { keep: 1, ..self }
    }

    /// This column, kept after the first ones when there is room.
    pub const fn kept_next(self) -> Column {
        Column { keep: 2, ..self }
    }
}

/// A column both kubectl and the pane show.
pub const fn col(name: &'static str, width: Width) -> Column {
    Column {
        name,
        width,
        kubectl: Some(0),
        pane: true,
        keep: 0,
    }
}

/// A column only `kubectl get -o wide` prints.
pub const fn wide(name: &'static str, width: Width) -> Column {
    Column {
        name,
        width,
        kubectl: Some(1),
        pane: false,
        keep: 0,
    }
}

/// A `-o wide` column the pane shows too.
pub const fn wide_pane(name: &'static str, width: Width) -> Column {
    Column {
        name,
        width,
        kubectl: Some(1),
        pane: true,
        keep: 0,
    }
}

/// A column only the pane shows.
pub const fn pane(name: &'static str, width: Width) -> Column {
    Column {
        name,
        width,
        kubectl: None,
        pane: true,
        keep: 0,
    }
}

/// How a cell reads at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    #[default]
    Plain,
    /// Broken: a crash, not ready, not bound.
    Bad,
    /// Worth a look: pressure, a warning, pinned at a maximum.
    Warn,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cell {
    pub text: Cow<'static, str>,
    pub tone: Tone,
    /// Sent to kubectl as a number (its table's integer columns).
    pub number: bool,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: Cow::Owned(text.into()),
            ..Cell::default()
        }
    }

    pub fn number(n: impl Into<i64>) -> Cell {
        Cell {
            text: Cow::Owned(n.into().to_string()),
            number: true,
            tone: Tone::Plain,
        }
    }

    /// `tone` unless `ok`.
    pub fn unless(mut self, ok: bool, tone: Tone) -> Cell {
        if !ok {
            self.tone = tone;
        }
        self
    }
}
