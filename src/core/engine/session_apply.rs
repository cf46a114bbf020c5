//! Applying a durable record: the only way a session's state changes
//! (replay is applying a journal's records in order).

use super::*;

impl Session {
    pub fn apply(&mut self, record: Record) -> Result<(), EngineError> {
        let expected = self.next_seq();
        if record.seq != expected {
            return Err(EngineError::OutOfOrder {
                seq: record.seq,
                expected,
            });
        }
        let at = record.at;
        match &record.event {
            Event::Started {
                params,
                context,
                read_only,
                ..
            } => {
                if !self.records.is_empty() {
                    return Err(EngineError::Mismatch("second `started`".into()));
                }
                self.started_at = Some(at);
                self.params = params.clone();
                self.context = context.clone();
                self.contexts.extend(context.clone());
                self.read_only = *read_only;
            }
            _ if self.started_at.is_none() => return Err(EngineError::NotStarted),
            Event::Entered { step } => {
                if self.playbook.step(step).is_none() {
                    return Err(EngineError::UnknownStep(step.clone()));
                }
                self.path.push(step.clone());
                self.visits.push(Visit {
                    step: step.clone(),
                    entered_at: at,
                });
            }
            Event::Confirmed { step, item, .. } | Event::Unconfirmed { step, item } => {
                let len = self
                    .playbook
                    .step(step)
                    .ok_or_else(|| EngineError::UnknownStep(step.clone()))?
                    .checklist
                    .len();
                if *item >= len {
                    return Err(EngineError::UnknownItem {
                        step: step.clone(),
                        item: *item,
                    });
                }
                let items = self
                    .checklist
                    .entry(step.clone())
                    .or_insert_with(|| vec![false; len]);
                items[*item] = matches!(record.event, Event::Confirmed { .. });
            }
            Event::Overridden {
                step,
                items,
                reason,
            } => self.overrides.push(OverrideMade {
                step: step.clone(),
                items: items.clone(),
                reason: reason.clone(),
                at,
            }),
            Event::Chose {
                step,
                choice,
                label,
                next,
            } => self.choices.push(ChoiceMade {
                step: step.clone(),
                choice: *choice,
                label: label.clone(),
                next: next.clone(),
                at,
            }),
            Event::Back { to, .. } => {
                if self.path.len() < 2 || self.path[self.path.len() - 2] != *to {
                    return Err(EngineError::Mismatch(format!("cannot go back to `{to}`")));
                }
                self.path.pop();
                self.visits.push(Visit {
                    step: to.clone(),
                    entered_at: at,
                });
            }
            Event::Note { step, text } => self.notes.push(NoteEntry {
                step: step.clone(),
                at,
                text: text.clone(),
            }),
            Event::Ended { outcome, .. } => {
                self.outcome = Some(*outcome);
                self.ended_at.get_or_insert(at);
            }
            Event::Abandoned { reason } => {
                self.abandoned = Some(reason.clone());
                self.ended_at.get_or_insert(at);
            }
            Event::Command { .. }
            | Event::Hint { .. }
            | Event::GoalReached { .. }
            | Event::ApiWrite { .. }
            | Event::Refused { .. }
            | Event::Action { .. }
            | Event::ActionStarted { .. }
            | Event::DrainProgress { .. }
            | Event::Evidence { .. }
            | Event::Escalated { .. }
            | Event::Silenced { .. }
            | Event::SilenceExpired { .. } => {}
            Event::ContextSwitched { to, read_only, .. } => {
                self.context = Some(to.clone());
                self.contexts.push(to.clone());
                self.read_only |= *read_only;
            }
            Event::ReadOnlyOn { .. } => self.read_only = true,
        }
        self.records.push(record);
        Ok(())
    }
}
