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
    let playbook: Playbook = serde_saphyr::from_str(text).map_err(|err| {
        let (line, col) = err
            .location()
            .map_or((1, 1), |loc| (loc.line().max(1), loc.column().max(1)));
        vec![Diagnostic::error(path, line, col, clean_message(&err)).with_snippet_from(text)]
    })?;
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
