//! The session state machine. Operations are split in two so nothing is shown
//! before it is durable: a `propose_*` method checks the operation against the
//! current state and returns the events it would cause; the caller journals
//! them and then `apply`s the returned records.

use std::collections::BTreeMap;
use std::sync::Arc;

use thiserror::Error;

use super::event::{CheckResult, Event, Record};
use crate::playbook::model::{Outcome, Playbook, Step};

#[derive(Debug, Error, PartialEq)]
pub enum EngineError {
    #[error("the session has ended")]
    Ended,
    #[error("the session has not started")]
    NotStarted,
    #[error("step `{0}` is not in the playbook")]
    UnknownStep(String),
    #[error("step `{step}` has no checklist item {item}")]
    UnknownItem { step: String, item: usize },
    #[error("step `{step}` has no choice {choice}")]
    UnknownChoice { step: String, choice: usize },
    #[error("{count} required item(s) unconfirmed; give a reason to override")]
    Unconfirmed { count: usize, items: Vec<usize> },
    #[error("this step has choices; pick one")]
    ChoiceRequired,
    #[error("this step has no next step")]
    NoWayOut,
    #[error("already at the first step")]
    AtStart,
    #[error("an override needs a reason")]
    EmptyReason,
    #[error("a note cannot be empty")]
    EmptyNote,
    #[error("event {seq} is out of order (expected {expected})")]
    OutOfOrder { seq: u64, expected: u64 },
    #[error("event does not fit the session: {0}")]
    Mismatch(String),
}

/// One visit to a step, in the order they happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    pub step: String,
    pub entered_at: jiff::Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NoteEntry {
    pub step: String,
    pub at: jiff::Timestamp,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceMade {
    pub step: String,
    pub choice: usize,
    pub label: String,
    pub next: String,
    pub at: jiff::Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OverrideMade {
    pub step: String,
    pub items: Vec<usize>,
    pub reason: String,
    pub at: jiff::Timestamp,
}

#[derive(Debug, Clone)]
pub struct Session {
    playbook: Arc<Playbook>,
    records: Vec<Record>,
    started_at: Option<jiff::Timestamp>,
    params: BTreeMap<String, String>,
    /// The kube context the session looks at: where it started, or where it
    /// was last switched to.
    context: Option<String>,
    /// Every context the session looked at, in order: where it started,
    /// then each switch (a context switched back to is listed again).
    contexts: Vec<String>,
    /// Read-only: from the start, a switch into a read-only context, or a
    /// `read_only_on`; never turned off.
    read_only: bool,
    /// The path from the start to the current step (back pops it).
    path: Vec<String>,
    /// Every step entered, including ones later backed out of.
    visits: Vec<Visit>,
    checklist: BTreeMap<String, Vec<bool>>,
    choices: Vec<ChoiceMade>,
    overrides: Vec<OverrideMade>,
    notes: Vec<NoteEntry>,
    outcome: Option<Outcome>,
    /// Why it was abandoned, if it was.
    abandoned: Option<String>,
    /// When it ended or was abandoned: its clock stops there.
    ended_at: Option<jiff::Timestamp>,
}

impl Session {
    pub fn new(playbook: Arc<Playbook>) -> Self {
        Session {
            playbook,
            records: Vec::new(),
            started_at: None,
            params: BTreeMap::new(),
            context: None,
            contexts: Vec::new(),
            read_only: false,
            path: Vec::new(),
            visits: Vec::new(),
            checklist: BTreeMap::new(),
            choices: Vec::new(),
            overrides: Vec::new(),
            notes: Vec::new(),
            outcome: None,
            abandoned: None,
            ended_at: None,
        }
    }

    /// Rebuilds a session from journal records (resume, export).
    pub fn replay(playbook: Arc<Playbook>, records: &[Record]) -> Result<Self, EngineError> {
        let mut session = Session::new(playbook);
        for record in records {
            session.apply(record.clone())?;
        }
        Ok(session)
    }

    pub fn playbook(&self) -> &Arc<Playbook> {
        &self.playbook
    }
    pub fn records(&self) -> &[Record] {
        &self.records
    }
    pub fn next_seq(&self) -> u64 {
        self.records.last().map_or(1, |r| r.seq + 1)
    }
    pub fn started_at(&self) -> Option<jiff::Timestamp> {
        self.started_at
    }
    pub fn params(&self) -> &BTreeMap<String, String> {
        &self.params
    }
    pub fn context(&self) -> Option<&str> {
        self.context.as_deref()
    }
    /// Every context the session used, in order (start, then each switch).
    pub fn contexts(&self) -> &[String] {
        &self.contexts
    }
    /// Whether the record makes this session read-only.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }
    /// The drill this session is, if it is one.
    pub fn drill(&self) -> Option<&super::Drill> {
        self.records.first().and_then(|r| match &r.event {
            Event::Started { drill, .. } => drill.as_ref(),
            _ => None,
        })
    }
    pub fn path(&self) -> &[String] {
        &self.path
    }
    pub fn visits(&self) -> &[Visit] {
        &self.visits
    }
    pub fn choices(&self) -> &[ChoiceMade] {
        &self.choices
    }
    pub fn overrides(&self) -> &[OverrideMade] {
        &self.overrides
    }
    pub fn notes(&self) -> &[NoteEntry] {
        &self.notes
    }
    pub fn outcome(&self) -> Option<Outcome> {
        self.outcome
    }
    /// Ended with an outcome, or abandoned: no more steps.
    pub fn is_ended(&self) -> bool {
        self.outcome.is_some() || self.abandoned.is_some()
    }
    pub fn abandoned(&self) -> Option<&str> {
        self.abandoned.as_deref()
    }
    pub fn ended_at(&self) -> Option<jiff::Timestamp> {
        self.ended_at
    }
    pub fn current_id(&self) -> Option<&str> {
        self.path.last().map(String::as_str)
    }
    pub fn current_step(&self) -> Option<&Step> {
        self.current_id().and_then(|id| self.playbook.step(id))
    }

    /// Whether item `item` of step `step` is confirmed.
    pub fn is_confirmed(&self, step: &str, item: usize) -> bool {
        self.checklist
            .get(step)
            .and_then(|items| items.get(item))
            .copied()
            .unwrap_or(false)
    }

    /// Required items of the current step that are not confirmed.
    pub fn unconfirmed_required(&self) -> Vec<usize> {
        let Some(step) = self.current_step() else {
            return Vec::new();
        };
        let id = &step.id.value;
        step.checklist
            .iter()
            .enumerate()
            .filter(|(i, item)| item.required && !self.is_confirmed(id, *i))
            .map(|(i, _)| i)
            .collect()
    }

    // ---- proposals: validate an operation, return the events it causes ----

    pub fn propose_start(&self, started: Event) -> Result<Vec<Event>, EngineError> {
        if !self.records.is_empty() {
            return Err(EngineError::Mismatch("session already started".into()));
        }
        if !matches!(started, Event::Started { .. }) {
            return Err(EngineError::Mismatch(
                "first event must be `started`".into(),
            ));
        }
        let start = self.playbook.start.value.clone();
        if self.playbook.step(&start).is_none() {
            return Err(EngineError::UnknownStep(start));
        }
        Ok(vec![started, Event::Entered { step: start }])
    }

    fn live_step(&self) -> Result<&Step, EngineError> {
        if self.is_ended() {
            return Err(EngineError::Ended);
        }
        self.current_step().ok_or(EngineError::NotStarted)
    }

    fn item_exists(&self, step: &Step, item: usize) -> Result<(), EngineError> {
        if item < step.checklist.len() {
            Ok(())
        } else {
            Err(EngineError::UnknownItem {
                step: step.id.value.clone(),
                item,
            })
        }
    }

    /// Toggles a checklist item of the current step.
    pub fn propose_toggle(&self, item: usize) -> Result<Event, EngineError> {
        let step = self.live_step()?;
        self.item_exists(step, item)?;
        let id = step.id.value.clone();
        Ok(if self.is_confirmed(&id, item) {
            Event::Unconfirmed { step: id, item }
        } else {
            Event::Confirmed {
                step: id,
                item,
                against_evidence: None,
            }
        })
    }

    /// Confirms an item of the current step whose check says otherwise:
    /// the reason goes into the record beside the result it contradicts.
    pub fn propose_confirm_against(
        &self,
        item: usize,
        reason: &str,
        check: &str,
        result: CheckResult,
    ) -> Result<Event, EngineError> {
        let step = self.live_step()?;
        self.item_exists(step, item)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(EngineError::EmptyReason);
        }
        let id = step.id.value.clone();
        if self.is_confirmed(&id, item) {
            return Err(EngineError::Mismatch(format!(
                "item {} is confirmed already",
                item + 1
            )));
        }
        Ok(Event::Confirmed {
            step: id,
            item,
            against_evidence: Some(super::event::AgainstEvidence {
                reason: reason.to_string(),
                check: check.to_string(),
                result,
            }),
        })
    }

    /// Picks choice `choice` (0-based) of the current step and enters its target.
    pub fn propose_choose(&self, choice: usize) -> Result<Vec<Event>, EngineError> {
        let step = self.live_step()?;
        let picked = step.choices.get(choice).ok_or(EngineError::UnknownChoice {
            step: step.id.value.clone(),
            choice,
        })?;
        let mut events = self.gate(step, None)?;
        events.push(Event::Chose {
            step: step.id.value.clone(),
            choice,
            label: picked.label.clone(),
            next: picked.next.value.clone(),
        });
        events.push(Event::Entered {
            step: picked.next.value.clone(),
        });
        Ok(events)
    }

    /// Like `propose_choose`, past unconfirmed required items, with a reason.
    pub fn propose_choose_overriding(
        &self,
        choice: usize,
        reason: &str,
    ) -> Result<Vec<Event>, EngineError> {
        let step = self.live_step()?;
        let picked = step.choices.get(choice).ok_or(EngineError::UnknownChoice {
            step: step.id.value.clone(),
            choice,
        })?;
        let mut events = self.gate(step, Some(reason))?;
        events.push(Event::Chose {
            step: step.id.value.clone(),
            choice,
            label: picked.label.clone(),
            next: picked.next.value.clone(),
        });
        events.push(Event::Entered {
            step: picked.next.value.clone(),
        });
        Ok(events)
    }

    /// Advances along `next`, or ends the session on an outcome step. With
    /// `override_reason`, unconfirmed required items are passed and the
    /// override is recorded.
    pub fn propose_advance(
        &self,
        override_reason: Option<&str>,
    ) -> Result<Vec<Event>, EngineError> {
        let step = self.live_step()?;
        let mut events = self.gate(step, override_reason)?;
        if let Some(outcome) = step.outcome {
            events.push(Event::Ended {
                outcome,
                reason: None,
            });
        } else if let Some(next) = &step.next {
            events.push(Event::Entered {
                step: next.value.clone(),
            });
        } else if !step.choices.is_empty() {
            return Err(EngineError::ChoiceRequired);
        } else {
            return Err(EngineError::NoWayOut);
        }
        Ok(events)
    }

    /// The checklist gate: nothing when all required items are confirmed, an
    /// `Overridden` event when a reason is given, an error otherwise.
    fn gate(&self, step: &Step, reason: Option<&str>) -> Result<Vec<Event>, EngineError> {
        let missing = self.unconfirmed_required();
        if missing.is_empty() {
            return Ok(Vec::new());
        }
        match reason.map(str::trim) {
            None => Err(EngineError::Unconfirmed {
                count: missing.len(),
                items: missing,
            }),
            Some("") => Err(EngineError::EmptyReason),
            Some(reason) => Ok(vec![Event::Overridden {
                step: step.id.value.clone(),
                items: missing,
                reason: reason.to_string(),
            }]),
        }
    }

    pub fn propose_back(&self) -> Result<Event, EngineError> {
        let step = self.live_step()?;
        if self.path.len() < 2 {
            return Err(EngineError::AtStart);
        }
        Ok(Event::Back {
            from: step.id.value.clone(),
            to: self.path[self.path.len() - 2].clone(),
        })
    }

    pub fn propose_note(&self, text: &str) -> Result<Event, EngineError> {
        if text.trim().is_empty() {
            return Err(EngineError::EmptyNote);
        }
        let step = self.current_id().ok_or(EngineError::NotStarted)?;
        Ok(Event::Note {
            step: step.to_string(),
            text: text.to_string(),
        })
    }

    /// Points the session at another kube context (journaled, so the record
    /// says which cluster each later confirmation was checked against).
    /// `read_only`: the caller's read-only after the switch (on already, or
    /// the context is marked read-only); the record's own never goes off.
    pub fn propose_context_switch(
        &self,
        to: &str,
        read_only: bool,
        read_only_contexts: &[String],
    ) -> Result<Event, EngineError> {
        self.live_step()?;
        if to.trim().is_empty() {
            return Err(EngineError::Mismatch("an empty context name".into()));
        }
        Ok(Event::ContextSwitched {
            from: self.context.clone(),
            to: to.to_string(),
            read_only: self.read_only || read_only,
            read_only_contexts: read_only_contexts.to_vec(),
        })
    }

    /// Turns read-only on for the rest of the session, saying why; none
    /// when it is on already.
    pub fn propose_read_only_on(&self, reason: &str) -> Result<Option<Event>, EngineError> {
        if self.started_at.is_none() {
            return Err(EngineError::NotStarted);
        }
        if self.read_only {
            return Ok(None);
        }
        Ok(Some(Event::ReadOnlyOn {
            reason: reason.to_string(),
        }))
    }

    /// Ends the session early (e.g. aborted, escalated) from any step.
    pub fn propose_end(
        &self,
        outcome: Outcome,
        reason: Option<&str>,
    ) -> Result<Event, EngineError> {
        self.live_step()?;
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        Ok(Event::Ended {
            outcome,
            reason: reason.map(str::to_string),
        })
    }

    /// Gives the session up without an outcome; needs a reason.
    pub fn propose_abandon(&self, reason: &str) -> Result<Event, EngineError> {
        if self.is_ended() {
            return Err(EngineError::Ended);
        }
        if self.started_at.is_none() {
            return Err(EngineError::NotStarted);
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(EngineError::EmptyReason);
        }
        Ok(Event::Abandoned {
            reason: reason.to_string(),
        })
    }

    /// Evidence gathered at a decision.
    pub fn evidence(&self, check: &str, result: CheckResult, objects: Vec<String>) -> Event {
        Event::Evidence {
            step: self.current_id().unwrap_or_default().to_string(),
            check: check.to_string(),
            result,
            objects,
        }
    }
}

#[path = "session_apply.rs"]
mod apply;
