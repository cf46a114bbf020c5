//! Parsing playbook text into the model, with every problem a `Diagnostic`.

use std::path::Path;

use super::diagnostic::Diagnostic;
use super::model::{API_VERSION, Playbook};

/// Parses `text` (read from `path`). Never panics, whatever the input.
pub fn parse(text: &str, path: &Path) -> Result<Playbook, Vec<Diagnostic>> {
    if text.trim().is_empty()
        || text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Err(vec![Diagnostic::error(
            path,
            1,
            1,
            "the file is empty: a playbook needs apiVersion, kind, metadata, start and steps",
        )]);
    }
    let playbook: Playbook = match serde_saphyr::from_str(text) {
        Ok(playbook) => playbook,
        Err(err) => return Err(every_problem(text, path, err)),
    };
    let mut problems = Vec::new();
    if playbook.api_version != API_VERSION {
        problems.push(
            Diagnostic::error(
                path,
                find_key(text, "apiVersion"),
                1,
                format!(
                    "apiVersion is `{}`; this runbook reads `{API_VERSION}`",
                    playbook.api_version
                ),
            )
            .with_snippet_from(text),
        );
    }
    if playbook.kind != "Playbook" {
        problems.push(
            Diagnostic::error(
                path,
                find_key(text, "kind"),
                1,
                format!("kind is `{}`; expected `Playbook`", playbook.kind),
            )
            .with_snippet_from(text),
        );
    }
    if problems.is_empty() {
        Ok(playbook)
    } else {
        Err(problems)
    }
}

/// Most problems reported from one file before giving up.
const MAX_PROBLEMS: usize = 50;

/// The parser stops at the first problem. An unknown field in block style is
/// recoverable: its key and the lines under it are blanked (line numbers
/// kept) and the text parsed again, so every misspelled field in a file is
/// reported at once, not one per run.
fn every_problem(text: &str, path: &Path, first: serde_saphyr::Error) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut current = text.to_string();
    let mut err = first;
    loop {
        let (line, col) = err
            .location()
            .map_or((1, 1), |loc| (loc.line().max(1), loc.column().max(1)));
        let message = clean_message(&err);
        problems.push(Diagnostic::error(path, line, col, message.clone()).with_snippet_from(text));
        let Some(field) = unknown_field(&message) else {
            break;
        };
        let Some(blanked) = blank_key(&current, line, col, field) else {
            break;
        };
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
        current = blanked;
        match serde_saphyr::from_str::<Playbook>(&current) {
            Ok(_) => break,
            Err(next) => err = next,
        }
    }
    problems
}

/// `unknown field `titel`, expected ...` → `titel`.
fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next()
}

/// The text with the block-style key `field` at (line, col) and every more
/// deeply indented line under it replaced by blank lines; `None` when the
/// key is not alone at the start of its line (flow style), where blanking
/// the line would hide other keys.
fn blank_key(text: &str, line: u64, col: u64, field: &str) -> Option<String> {
    let lines: Vec<&str> = text.split('\n').collect();
    let at = usize::try_from(line).ok()?.checked_sub(1)?;
    let key_line = lines.get(at)?;
    let indent = usize::try_from(col).ok()?.checked_sub(1)?;
    let rest = key_line.get(indent..)?;
    let body = rest.strip_prefix(field)?;
    if !body.trim_start().starts_with(':') {
        return None;
    }
    // A key after "- " starts a list item: keep the dash so the list keeps
    // its shape.
    let before = &key_line[..indent];
    if !matches!(before.trim(), "" | "-") {
        return None;
    }
    let keep = if before.trim_end().ends_with('-') {
        before.to_string()
    } else {
        " ".repeat(before.chars().count())
    };
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    out[at] = if keep.trim().is_empty() {
        String::new()
    } else {
        format!("{keep}_removed: null")
    };
    for line in out.iter_mut().skip(at + 1) {
        let deeper = line.chars().take_while(|c| *c == ' ').count() > indent;
        if line.trim().is_empty() || deeper {
            line.clear();
        } else {
            break;
        }
    }
    Some(out.join("\n"))
}

/// Reads and parses a file; a missing or unreadable file is a diagnostic.
pub fn load_file(path: &Path) -> Result<(String, Playbook), Vec<Diagnostic>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![Diagnostic::error(
            path,
            0,
            0,
            format!("cannot read the file: {e}"),
        )]
    })?;
    let playbook = parse(&text, path)?;
    Ok((text, playbook))
}

/// The first line of serde-saphyr's message, without its own location
/// suffix (we print the location in front, compiler style).
fn clean_message(err: &serde_saphyr::Error) -> String {
    let text = err.without_snippet().to_string();
    let first = text.lines().next().unwrap_or("invalid YAML").trim();
    let first = match first.rfind(" at line ") {
        Some(i) => &first[..i],
        None => first,
    };
    first.trim_end_matches(',').to_string()
}

fn find_key(text: &str, key: &str) -> u64 {
    text.lines()
        .position(|l| l.starts_with(&format!("{key}:")))
        .map_or(1, |i| i as u64 + 1)
}
