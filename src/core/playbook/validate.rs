//! Semantic checks of a parsed playbook. Graph errors point at the line and
//! column of the offending id.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

use regex::Regex;

use super::diagnostic::Diagnostic;
use super::model::{ActionKind, Playbook, Spanned};
use super::template::references;

/// Every problem found, errors and warnings, in file order. `panes` are
/// the pane names a playbook may use (the cluster's kinds, given as data:
/// the playbook layer does not know the cluster's).
pub fn validate(pb: &Playbook, path: &Path, panes: &[&str]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    metadata(pb, path, &mut out);
    alert_entries(pb, path, &mut out);
    params(pb, path, &mut out);
    graph(pb, path, &mut out);
    check_refs(pb, path, &mut out);
    pane_names(pb, path, panes, &mut out);
    templates(pb, path, &mut out);
    focus_selector(pb, path, &mut out);
    asks(pb, path, &mut out);
    actions(pb, path, &mut out);
    super::warnings::command_lines(pb, path, &mut out);
    super::warnings::flag_patterns(pb, path, &mut out);
    out.sort_by_key(|d| (d.line, d.col));
    out
}

/// Compiles every check expression with `compile`, reporting failures at
/// the expression's position. `compile` returns the message and optionally
/// a byte offset into the expression.
pub fn validate_checks(
    pb: &Playbook,
    path: &Path,
    compile: impl Fn(&str) -> Result<(), (String, Option<usize>)>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (id, check) in &pb.checks {
        if let Err((message, offset)) = compile(&check.expr.value) {
            let mut d = Diagnostic::at(path, &check.expr, format!("check `{id}`: {message}"));
            // Single-line expressions: point at the offending character.
            if let Some(offset) = offset
                && !check.expr.value.contains('\n')
            {
                d.col += check.expr.value[..offset.min(check.expr.value.len())]
                    .chars()
                    .count() as u64;
            }
            out.push(d);
        }
    }
    out
}

fn is_dns_label(s: &str) -> bool {
    s.len() <= 63 && Regex::new(super::params::DNS_LABEL).is_ok_and(|re| re.is_match(s))
}

fn metadata(pb: &Playbook, path: &Path, out: &mut Vec<Diagnostic>) {
    let name = &pb.metadata.name;
    if !is_dns_label(&name.value) {
        out.push(Diagnostic::at(
            path,
            name,
            format!(
                "metadata.name `{}` must be a DNS label (lowercase letters, digits, '-'; at most 63)",
                name.value
            ),
        ));
    }
    for e in &pb.metadata.escalation {
        if let Err(err) = parse_duration(&e.after.value) {
            out.push(Diagnostic::at(
                path,
                &e.after,
                format!("escalation after `{}`: {err}", e.after.value),
            ));
        }
    }
}

/// The longest duration a playbook may name: a year. Longer ones are
/// mistakes, and past i64 seconds they would wrap and fire at once.
pub const MAX_DURATION_SECS: u64 = 366 * 24 * 3600;

/// A playbook duration (`15m`, `1h 30m`), bounded.
pub fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let d = humantime::parse_duration(text)
        .map_err(|e| format!("not a duration like `15m` or `1h 30m`: {e}"))?;
    if d.as_secs() > MAX_DURATION_SECS {
        return Err("longer than a year; durations must be at most 366d".into());
    }
    Ok(d)
}

/// Seconds of a valid playbook duration; `None` for one validation refuses.
pub fn duration_secs(text: &str) -> Option<i64> {
    parse_duration(text)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs()).ok())
}

/// Prometheus' label name rule; alert labels can be nothing else.
pub fn is_label_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `metadata.alerts` entries carry no position of their own (a name or a
/// map, read by hand), so problems point at `metadata.name`.
fn alert_entries(pb: &Playbook, path: &Path, out: &mut Vec<Diagnostic>) {
    let anchor = &pb.metadata.name;
    for (i, entry) in pb.metadata.alerts.iter().enumerate() {
        let at = format!("metadata.alerts[{i}]");
        if entry.name().trim().is_empty() {
            out.push(Diagnostic::at(
                path,
                anchor,
                format!("{at}: the alert name is empty"),
            ));
        }
        for label in entry.matchers().into_iter().flat_map(|m| m.keys()) {
            if label == "alertname" {
                out.push(Diagnostic::at(
                    path,
                    anchor,
                    format!("{at}: `alertname` is the entry's `name`; drop the matcher"),
                ));
            } else if !is_label_name(label) {
                out.push(Diagnostic::at(
                    path,
                    anchor,
                    format!("{at}: matcher `{label}` is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)"),
                ));
            }
        }
    }
}

/// The focus's label selector, as the API server would read it, with each
/// param's place taken by a value (params are checked as they are given).
fn focus_selector(pb: &Playbook, path: &Path, out: &mut Vec<Diagnostic>) {
    let Some(selector) = &pb.focus.label_selector else {
        return;
    };
    let mut filled = String::new();
    let mut from = 0;
    for r in super::template::references(&selector.value) {
        let end = selector.value[r.offset..]
            .find("}}")
            .map_or(selector.value.len(), |e| r.offset + e + 2);
        filled.push_str(&selector.value[from..r.offset]);
        filled.push('x');
        from = end;
    }
    filled.push_str(&selector.value[from..]);
    if let Err(e) = crate::kinds::selector::LabelSelector::parse(&filled) {
        out.push(Diagnostic::at(
            path,
            selector,
            format!("focus.labelSelector `{}`: {e}", selector.value),
        ));
    }
}

fn params(pb: &Playbook, path: &Path, out: &mut Vec<Diagnostic>) {
    let mut seen = BTreeSet::new();
    for p in &pb.params {
        if !seen.insert(p.name.value.as_str()) {
            out.push(Diagnostic::at(
                path,
                &p.name,
                format!("duplicate param `{}`", p.name.value),
            ));
        }
        if let Some(pattern) = &p.pattern
            && let Err(e) = Regex::new(&pattern.value)
        {
            let reason = e.to_string();
            let last = reason
                .lines()
                .last()
                .unwrap_or("invalid")
                .trim()
                .to_string();
            out.push(Diagnostic::at(
                path,
                pattern,
                format!("param `{}`: invalid pattern: {last}", p.name.value),
            ));
        }
        if let Some(label) = &p.from_label
            && !is_label_name(&label.value)
        {
            out.push(Diagnostic::at(
                path,
                label,
                format!(
                    "param `{}`: fromLabel `{}` is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)",
                    p.name.value, label.value
                ),
            ));
        }
        // A default must pass its own param's rule (the pattern, or the
        // DNS-label rule without one); an invalid pattern is reported above.
        let pattern_ok = p
            .pattern
            .as_ref()
            .is_none_or(|pat| Regex::new(&pat.value).is_ok());
        if let Some(default) = &p.default
            && pattern_ok
            && let Err(why) = super::params::check_param(p, default)
        {
            out.push(Diagnostic::at(
                path,
                p.pattern.as_ref().unwrap_or(&p.name),
                format!("param `{}`: default `{default}` {why}", p.name.value),
            ));
        }
    }
}

fn graph(pb: &Playbook, path: &Path, out: &mut Vec<Diagnostic>) {
    let mut ids: BTreeMap<&str, &Spanned<String>> = BTreeMap::new();
    for step in &pb.steps {
        if let Some(first) = ids.get(step.id.value.as_str()) {
            out.push(Diagnostic::at(
                path,
                &step.id,
                format!(
                    "duplicate step id `{}` (first defined at line {})",
                    step.id.value,
                    first.referenced.line()
                ),
            ));
        } else {
            ids.insert(&step.id.value, &step.id);
        }
    }
    if !ids.contains_key(pb.start.value.as_str()) {
        out.push(Diagnostic::at(
            path,
            &pb.start,
            format!(
                "start `{}` names no step{}",
                pb.start.value,
                did_you_mean(&pb.start.value, ids.keys())
            ),
        ));
    }
    for step in &pb.steps {
        let id = &step.id.value;
        for target in step.choices.iter().map(|c| &c.next).chain(step.next.iter()) {
            if !ids.contains_key(target.value.as_str()) {
                out.push(Diagnostic::at(
                    path,
                    target,
                    format!(
                        "step `{id}` leads to `{}`, which is no step{}",
                        target.value,
                        did_you_mean(&target.value, ids.keys())
                    ),
                ));
            }
        }
        let has_way_on = step.next.is_some() || !step.choices.is_empty();
        if step.outcome.is_some() && has_way_on {
            out.push(Diagnostic::at(
                path,
                &step.id,
                format!(
                    "step `{id}` has an outcome and also leads on; a terminal step ends the session"
                ),
            ));
        }
        if step.outcome.is_none() && !has_way_on {
            out.push(Diagnostic::at(
                path,
                &step.id,
                format!("step `{id}` has no way out: give it `next`, `choices` or an `outcome`"),
            ));
        }
        if step.choices.len() > 9 {
            out.push(Diagnostic::at(
                path,
                &step.id,
                format!(
                    "step `{id}` has {} choices; keys 1-9 pick at most 9",
                    step.choices.len()
                ),
            ));
        }
    }
    // Reachability from start.
    let mut reached = BTreeSet::new();
    let mut queue = VecDeque::from([pb.start.value.as_str()]);
    while let Some(id) = queue.pop_front() {
        if !reached.insert(id) {
            continue;
        }
        if let Some(step) = pb.step(id) {
            queue.extend(step.successors());
        }
    }
    for step in &pb.steps {
        if !reached.contains(step.id.value.as_str()) && ids.contains_key(pb.start.value.as_str()) {
            out.push(Diagnostic::at(
                path,
                &step.id,
                format!(
                    "step `{}` cannot be reached from start `{}`",
                    step.id.value, pb.start.value
                ),
            ));
        }
    }
}

/// Every pane a playbook or step names is a kind the panes know.
fn pane_names(pb: &Playbook, path: &Path, panes: &[&str], out: &mut Vec<Diagnostic>) {
    let known = || panes.iter().copied();
    let named = pb
        .panes
        .iter()
        .chain(pb.steps.iter().flat_map(|s| s.panes.iter()));
    for pane in named {
        if !panes.contains(&pane.value.as_str()) {
            out.push(Diagnostic::at(
                path,
                pane,
                format!(
                    "unknown pane `{}`{}; the panes are {}",
                    pane.value,
                    did_you_mean(&pane.value, known()),
                    known().collect::<Vec<_>>().join(", ")
                ),
            ));
        }
    }
}

fn check_refs(pb: &Playbook, path: &Path, out: &mut Vec<Diagnostic>) {
    let known = || pb.checks.keys();
    for step in &pb.steps {
        let refs = step
            .checklist
            .iter()
            .filter_map(|i| i.check.as_ref())
            .chain(step.choices.iter().filter_map(|c| c.when.as_ref()));
        for r in refs {
            if !pb.checks.contains_key(&r.value) {
                out.push(Diagnostic::at(
                    path,
                    r,
                    format!(
                        "step `{}` names check `{}`, which is not defined under `checks`{}",
                        step.id.value,
                        r.value,
                        did_you_mean(&r.value, known())
                    ),
                ));
            }
        }
    }
}

fn templates(pb: &Playbook, path: &Path, out: &mut Vec<Diagnostic>) {
    let declared: BTreeSet<&str> = pb.params.iter().map(|p| p.name.value.as_str()).collect();
    let mut check = |text: &str, place: String, anchor: &Spanned<String>| {
        for r in references(text) {
            if !declared.contains(r.name.as_str()) {
                // The template as written, to point at it in the source.
                let written = text[r.offset..]
                    .find("}}")
                    .map_or(&text[r.offset..], |end| &text[r.offset..r.offset + end + 2]);
                out.push(
                    Diagnostic::at(
                        path,
                        anchor,
                        format!(
                            "{place} uses `{{{{ {} }}}}`, but no param `{}` is declared{}",
                            r.name,
                            r.name,
                            did_you_mean(&r.name, declared.iter())
                        ),
                    )
                    .finding(written),
                );
            }
        }
    };
    let name = &pb.metadata.name;
    check(&pb.metadata.title, "metadata.title".into(), name);
    for (field, value) in [
        ("focus.namespace", &pb.focus.namespace),
        (
            "focus.labelSelector",
            &pb.focus.label_selector.as_ref().map(|s| s.value.clone()),
        ),
        ("focus.node", &pb.focus.node),
    ] {
        if let Some(v) = value {
            check(v, field.into(), name);
        }
    }
    for step in &pb.steps {
        let id = &step.id;
        let at = |what: &str| format!("step `{}` {what}", id.value);
        check(&step.title, at("title"), id);
        if let Some(body) = &step.body {
            check(body, at("body"), id);
        }
        for item in &step.checklist {
            check(&item.text, at("checklist item"), id);
        }
        for c in &step.commands {
            // A command's own asks are declared for it alone.
            let text = c
                .ask
                .iter()
                .fold(c.run.clone(), |t, a| strip_template(&t, &a.name));
            check(&text, at("command"), id);
        }
        for c in &step.choices {
            check(&c.label, at("choice"), id);
        }
        for a in &step.actions {
            check(&a.target, at("action target"), id);
        }
    }
}

/// `text` with every `{{ name }}` taken out.
fn strip_template(text: &str, name: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for r in references(text) {
        let end = text[r.offset..]
            .find("}}")
            .map_or(text.len(), |e| r.offset + e + 2);
        out.push_str(&text[from..r.offset]);
        if r.name != name {
            out.push_str(&text[r.offset..end]);
        }
        from = end;
    }
    out.push_str(&text[from..]);
    out
}

/// A command's asks: named once, with a pattern that compiles, and used.
fn asks(pb: &Playbook, path: &Path, out: &mut Vec<Diagnostic>) {
    for step in &pb.steps {
        for c in &step.commands {
            let mut seen = BTreeSet::new();
            for a in &c.ask {
                let problem = if !seen.insert(a.name.as_str()) {
                    Some(format!("asks for `{}` twice", a.name))
                } else if pb.params.iter().any(|p| p.name.value == a.name) {
                    Some(format!(
                        "asks for `{}`, which is a param of the playbook",
                        a.name
                    ))
                } else if !references(&c.run).iter().any(|r| r.name == a.name) {
                    Some(format!(
                        "asks for `{}` but its command line has no `{{{{ {} }}}}`",
                        a.name, a.name
                    ))
                } else if let Some(e) = a.pattern.as_deref().and_then(|p| Regex::new(p).err()) {
                    let last = e
                        .to_string()
                        .lines()
                        .last()
                        .unwrap_or("invalid")
                        .trim()
                        .to_string();
                    Some(format!("ask `{}`: invalid pattern: {last}", a.name))
                } else {
                    None
                };
                if let Some(problem) = problem {
                    out.push(
                        Diagnostic::at(
                            path,
                            &step.id,
                            format!("step `{}` command {problem}", step.id.value),
                        )
                        .finding(format!("name: {}", a.name)),
                    );
                }
            }
        }
    }
}

fn actions(pb: &Playbook, path: &Path, out: &mut Vec<Diagnostic>) {
    for step in &pb.steps {
        for a in &step.actions {
            let kind = a.target.split('/').next().unwrap_or("");
            let expected = match a.kind {
                ActionKind::Cordon | ActionKind::Uncordon | ActionKind::Drain => "node",
                ActionKind::DeletePod => "pod",
                ActionKind::RolloutRestart | ActionKind::Scale => "deployment",
            };
            if !a.target.contains('/') || kind != expected {
                out.push(Diagnostic::at(
                    path,
                    &step.id,
                    format!(
                        "step `{}`: action `{}` needs a target like `{expected}/NAME`, not `{}`",
                        step.id.value,
                        a.kind.as_str(),
                        a.target
                    ),
                ));
            }
            if a.kind == ActionKind::Scale && a.replicas.is_none() {
                out.push(Diagnostic::at(
                    path,
                    &step.id,
                    format!("step `{}`: action `scale` needs `replicas`", step.id.value),
                ));
            }
        }
    }
}

/// `" (did you mean `x`?)"` for the closest known name, if close enough.
pub fn did_you_mean<'a, S: AsRef<str> + 'a>(
    wrong: &str,
    known: impl IntoIterator<Item = S>,
) -> String {
    known
        .into_iter()
        .map(|k| (edit_distance(wrong, k.as_ref()), k.as_ref().to_string()))
        .filter(|(d, k)| *d <= 1.max(k.len() / 3) && *d < wrong.chars().count())
        .min()
        .map(|(_, k)| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}
