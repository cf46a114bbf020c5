//! Validation's warnings about what commands may do: placeholders left in
//! a command line, shells in disguise read-only mode can never run, and
//! param or ask patterns that admit a value that would be a flag.

use std::path::Path;

use super::diagnostic::Diagnostic;
use super::model::Playbook;
use super::template::references;

/// Warnings about command lines: placeholders the responder must replace
/// (`kubectl cordon NODE`), and shells in disguise read-only mode can never
/// run (`watch` without -x, `sh -c`).
pub(super) fn command_lines(pb: &Playbook, path: &Path, out: &mut Vec<Diagnostic>) {
    for step in &pb.steps {
        let id = &step.id.value;
        for c in &step.commands {
            // Single-line commands are found in the source; others point at the step.
            let at = || {
                let d = Diagnostic::at(path, &step.id, String::new()).as_warning();
                if c.run.contains('\n') {
                    d
                } else {
                    d.finding(c.run.clone())
                }
            };
            let found = super::placeholder::placeholders(&c.run);
            if let Some(first) = found.first() {
                let words = found
                    .iter()
                    .map(|w| format!("`{w}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let name = first
                    .trim_matches(['<', '>'])
                    .to_lowercase()
                    .replace('-', "_");
                let mut d = at();
                d.message = format!(
                    "step `{id}` command `{}`: {words} {} a placeholder, so it cannot run as written; give the value as `{{{{ {name} }}}}` with `ask:`",
                    c.run,
                    if found.len() == 1 { "is" } else { "are" }
                );
                // The playbook's text is echoed: no control byte reaches the terminal.
                d.message = crate::sanitize::line(&d.message);
                out.push(d);
            }
            if let Some(shell) = shell_in_disguise(&c.run) {
                let mut d = at();
                d.message = format!(
                    "step `{id}` command `{}`: read-only mode can never run it: {shell}",
                    c.run
                );
                d.message = crate::sanitize::line(&d.message);
                out.push(d);
            }
        }
    }
}

/// Why a command line runs through a shell, if it does (templates filled
/// with a plain value).
fn shell_in_disguise(run: &str) -> Option<String> {
    let mut filled = String::with_capacity(run.len());
    let mut from = 0;
    for r in references(run) {
        let end = run[r.offset..]
            .find("}}")
            .map_or(run.len(), |e| r.offset + e + 2);
        filled.push_str(&run[from..r.offset]);
        filled.push_str("value");
        from = end;
    }
    filled.push_str(&run[from..]);
    let argv = shlex::split(&filled).filter(|a| !a.is_empty())?;
    crate::argv::classify::classify(&argv).shell
}

/// Warns on param and ask patterns that admit a value starting with `-`:
/// such a value is refused (it would be a flag) unless `allowFlags: true`.
pub(super) fn flag_patterns(pb: &Playbook, path: &Path, out: &mut Vec<Diagnostic>) {
    let advice = "values starting with `-` are refused (they would be flags); make the pattern's first character exclude `-`, or set `allowFlags: true`";
    for p in &pb.params {
        if let Some(pattern) = &p.pattern
            && !p.allow_flags
            && let Some(probe) = super::params::admits_a_flag(&pattern.value)
        {
            out.push(
                Diagnostic::at(
                    path,
                    pattern,
                    format!(
                        "param `{}`: pattern `{}` admits `{probe}`; {advice}",
                        p.name.value, pattern.value
                    ),
                )
                .as_warning(),
            );
        }
    }
    for step in &pb.steps {
        for a in step.commands.iter().flat_map(|c| c.ask.iter()) {
            if let Some(pattern) = &a.pattern
                && !a.allow_flags
                && let Some(probe) = super::params::admits_a_flag(pattern)
            {
                out.push(
                    Diagnostic::at(
                        path,
                        &step.id,
                        format!(
                            "step `{}` ask `{}`: pattern `{pattern}` admits `{probe}`; {advice}",
                            step.id.value, a.name
                        ),
                    )
                    .as_warning()
                    .finding(pattern.clone()),
                );
            }
        }
    }
}
