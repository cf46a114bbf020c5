//! One record in words, for the export's timeline and the timeline window.

use super::{Style, Words, filled, object, result_word, status_word, utc};
use crate::engine::{Event, Record, Session};

fn step_title(w: &Words, session: &Session, id: &str) -> String {
    session.playbook().step(id).map_or_else(
        || w.code(id),
        |s| format!("{} ({})", w.text(&filled(session, &s.title)), w.code(id)),
    )
}

fn item_text(w: &Words, session: &Session, step: &str, item: usize) -> String {
    session
        .playbook()
        .step(step)
        .and_then(|s| s.checklist.get(item))
        .map_or_else(
            || format!("item {}", item + 1),
            |i| w.text(&filled(session, &i.text)),
        )
}

/// ` (context `prod-b`)` at the end of a record's words, or nothing for a
/// record without one.
fn in_context(w: &Words, context: &Option<String>) -> String {
    context
        .as_ref()
        .map_or_else(String::new, |c| format!(" (context {})", w.code(c)))
}

/// A drain's record in words: when it cordoned the node, and each pod's
/// outcome.
pub fn drain_words(d: &crate::engine::drain::DrainRecord) -> String {
    let mut parts = Vec::new();
    match d.cordoned_at {
        Some(at) => parts.push(format!("cordoned at {}", utc(at))),
        None if d.already_cordoned => parts.push("was already cordoned".to_string()),
        None => {}
    }
    if d.stopped {
        parts.push("stopped by the responder; the node stays cordoned".to_string());
    }
    if d.interrupted {
        parts.push("interrupted; the node stays cordoned".to_string());
    }
    parts.extend(d.pods.iter().map(|p| format!("{} {}", p.pod, p.outcome)));
    parts.extend(d.left_in_place.iter().map(|p| format!("{p} left in place")));
    parts.join("; ")
}

/// One record in words.
pub fn describe(session: &Session, r: &Record, style: Style) -> String {
    let w = Words(style);
    match &r.event {
        Event::Started { title, alert, .. } => format!(
            "Started {}{}",
            w.bold(&w.text(title)),
            alert
                .as_ref()
                .map(|a| super::super::export_alert::started_words(a, |t| w.code(t)))
                .unwrap_or_default()
        ),
        Event::Entered { step } => format!("Entered step {}", step_title(&w, session, step)),
        Event::Confirmed {
            step,
            item,
            against_evidence: None,
        } => {
            format!("Confirmed: {}", item_text(&w, session, step, *item))
        }
        Event::Confirmed {
            step,
            item,
            against_evidence: Some(against),
        } => format!(
            "{}: confirmed {} against the evidence (check {} {}); reason: {}",
            w.bold("Override"),
            item_text(&w, session, step, *item),
            w.code(&against.check),
            result_word(against.result),
            w.text(&against.reason)
        ),
        Event::ReadOnlyOn { reason } => {
            format!(
                "{}; reason: {}",
                w.bold("Read-only turned on"),
                w.text(reason)
            )
        }
        Event::Unconfirmed { step, item } => {
            format!("Unconfirmed: {}", item_text(&w, session, step, *item))
        }
        Event::Overridden {
            step,
            items,
            reason,
        } => {
            let texts: Vec<String> = items
                .iter()
                .map(|i| item_text(&w, session, step, *i))
                .collect();
            format!(
                "{} past unconfirmed: {}; reason: {}",
                w.bold("Override"),
                texts.join("; "),
                w.text(reason)
            )
        }
        Event::Chose { label, next, .. } => format!(
            "Chose {} → {}",
            w.bold(&w.text(&filled(session, label))),
            step_title(&w, session, next)
        ),
        Event::Back { from, to } => {
            format!("Went back from {} to {}", w.code(from), w.code(to))
        }
        Event::Note { text, .. } => format!("Note: {}", w.lines(text)),
        Event::Command {
            argv,
            exit_code,
            output_excerpt,
            origin,
            confined,
            context,
            outside,
            ..
        } => {
            let line =
                shlex::try_join(argv.iter().map(String::as_str)).unwrap_or_else(|_| argv.join(" "));
            let ended = super::how_it_ended(*exit_code, output_excerpt);
            let how = match origin.as_deref() {
                Some("edited") => ", edited from the playbook's",
                Some("typed") => ", typed by the responder",
                _ => "",
            };
            // Asked to be confined to the gateway, and the kernel could not.
            let unconfined = if *confined == Some(false) {
                ", unconfined: the kernel could not hold it to the session's gateway"
            } else {
                ""
            };
            let outside = outside.as_ref().map_or(String::new(), |reason| {
                format!(
                    "; {}: {}",
                    w.bold("outside the session's cluster"),
                    w.text(reason)
                )
            });
            format!(
                "Ran {} ({ended}{how}{unconfined}){}{outside}",
                w.code(&line),
                in_context(&w, context)
            )
        }
        Event::DrainProgress {
            target, pods, pod, ..
        } => match pod {
            Some(p) => format!(
                "Drain of {}: {} {}",
                w.code(target),
                w.code(&p.pod),
                p.outcome
            ),
            None => format!(
                "Drain of {}: {} pod(s) to evict",
                w.code(target),
                pods.len()
            ),
        },
        Event::ActionStarted { kind, target, .. } => format!(
            "Started action {} on {}",
            w.bold(&w.text(kind)),
            w.code(target)
        ),
        Event::Action {
            kind,
            target,
            outcome,
            context,
            drain,
            ..
        } => format!(
            "Action {} on {}: {}{}{}",
            w.bold(&w.text(kind)),
            w.code(target),
            w.text(outcome),
            in_context(&w, context),
            drain
                .as_deref()
                .map(|d| format!(" ({})", w.text(&drain_words(d))))
                .unwrap_or_default()
        ),
        Event::ApiWrite {
            method,
            path,
            resource,
            subresource,
            namespace,
            name,
            status,
            dry_run,
            by,
            context,
            ..
        } => format!(
            "{} {} → {} by {}{}",
            if *dry_run {
                "API dry run".to_string()
            } else {
                w.bold("API write")
            },
            w.code(&format!(
                "{method} {}",
                object(path, resource, subresource, namespace, name)
            )),
            status_word(*status),
            w.code(by),
            in_context(&w, context)
        ),
        Event::Refused {
            method,
            path,
            resource,
            subresource,
            namespace,
            name,
            reason,
            by,
            ..
        } => format!(
            "{} {} by {}: {}",
            w.bold("Refused"),
            w.code(&format!(
                "{method} {}",
                object(path, resource, subresource, namespace, name)
            )),
            w.code(by),
            w.text(reason)
        ),
        Event::Evidence {
            check,
            result,
            objects,
            ..
        } => {
            let objs = if objects.is_empty() {
                String::new()
            } else {
                format!(" ({})", w.text(&objects.join(", ")))
            };
            format!(
                "Evidence: check {} {}{objs}",
                w.code(check),
                result_word(*result)
            )
        }
        Event::Escalated { to, after } => format!(
            "{} to {} (due after {})",
            w.bold("Escalated"),
            w.text(to),
            w.text(after)
        ),
        Event::Ended { outcome, reason } => {
            let ended = w.bold(&format!("Ended: {}", outcome.as_str()));
            match reason {
                Some(why) => format!("{ended}; reason: {}", w.text(why)),
                None => ended,
            }
        }
        Event::Hint { step } => format!("Asked for a hint on {}", step_title(&w, session, step)),
        Event::GoalReached { since } => format!(
            "{}: it held from {}",
            w.bold("Drill goal reached"),
            since.strftime("%H:%M:%S")
        ),
        Event::Abandoned { reason } => {
            format!("{}; reason: {}", w.bold("Abandoned"), w.text(reason))
        }
        Event::Silenced {
            id, until, comment, ..
        } => format!(
            "{} the alert until {} (silence {}): {}",
            w.bold("Silenced"),
            utc(*until),
            w.code(id),
            w.text(comment)
        ),
        Event::SilenceExpired { id } => {
            format!("{} ({})", w.bold("Silence expired"), w.code(id))
        }
        Event::ContextSwitched {
            from,
            to,
            read_only,
            ..
        } => {
            let switched = match from {
                Some(from) => format!(
                    "{} from {} to {}",
                    w.bold("Context switched"),
                    w.code(from),
                    w.code(to)
                ),
                None => format!("{} to {}", w.bold("Context switched"), w.code(to)),
            };
            if *read_only {
                format!("{switched} (read-only)")
            } else {
                switched
            }
        }
    }
}
