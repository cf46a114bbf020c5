use super::output::{errln, outln};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::playbook::catalog::{self, Catalog, Entry, Unresolved};
use crate::playbook::{self, Diagnostic, Playbook};

/// Everything wrong with one parsed playbook: the graph and the checks.
pub fn check_playbook(pb: &Playbook, path: &Path, text: &str) -> Vec<Diagnostic> {
    let mut diags = playbook::validate(pb, path, &crate::kinds::pane_names());
    diags.extend(playbook::validate_checks(pb, path, compile_check));
    let mut diags: Vec<Diagnostic> = diags
        .into_iter()
        .map(|d| d.with_snippet_from(text))
        .collect();
    diags.sort_by_key(|d| (d.line, d.col));
    diags
}

/// Everything wrong with a playbook the catalog resolved (a name on the
/// search path, a built-in, or a file).
pub fn check_entry(entry: &Entry) -> Vec<Diagnostic> {
    check_playbook(&entry.playbook, &entry.source.display_path(), &entry.text)
}

/// A PLAYBOOK argument that `validate` passes, for a command that runs it
/// (`test`). When it names nothing, one `error:` line; when it has errors,
/// what `validate` would say of it, word for word. `Err` carries the exit
/// code: a usage error either way, as for any argument that cannot work.
pub fn valid_playbook(arg: &str) -> Result<Entry, u8> {
    let catalog = Catalog::load(&catalog::user_folders());
    let entry = match catalog.resolve(arg) {
        Ok(entry) => entry,
        Err(Unresolved::Unknown(why)) => return Err(super::failure::usage(why)),
        Err(Unresolved::File(diags)) => {
            say(&diags, 1);
            return Err(super::USAGE);
        }
    };
    let diags = check_entry(&entry);
    if diags.iter().any(Diagnostic::is_error) {
        say(&diags, 1);
        return Err(super::USAGE);
    }
    // Warnings do not stop a run; they are said where a run's account is not.
    for d in &diags {
        errln!("{d}");
    }
    Ok(entry)
}

/// Says diagnostics as `validate` does: each on stdout, the count of
/// playbooks, errors and warnings on stderr. The number of errors.
fn say(diags: &[Diagnostic], checked: usize) -> usize {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    for d in diags {
        outln!("{d}");
    }
    errln!(
        "checked {checked} playbook{}: {errors} error{}, {warnings} warning{}",
        if checked == 1 { "" } else { "s" },
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
    );
    errors
}

/// The CEL compiler as the validator's seam.
pub fn compile_check(expr: &str) -> Result<(), (String, Option<usize>)> {
    crate::checks::compile(expr)
        .map(|_| ())
        .map_err(|e| (e.message, e.offset))
}

pub fn run(paths: Vec<PathBuf>) -> anyhow::Result<u8> {
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut checked = 0usize;
    if paths.is_empty() {
        let catalog = Catalog::load(&catalog::user_folders());
        diags.extend(catalog.problems.iter().cloned());
        for entry in &catalog.entries {
            checked += 1;
            let path = entry.source.display_path();
            diags.extend(check_playbook(&entry.playbook, &path, &entry.text));
        }
    } else {
        let mut names: BTreeMap<String, PathBuf> = BTreeMap::new();
        for arg in &paths {
            let files = if arg.is_dir() {
                catalog::yaml_files(arg)
            } else {
                vec![arg.clone()]
            };
            if arg.is_dir() && files.is_empty() {
                diags.push(Diagnostic::warning(
                    arg,
                    0,
                    0,
                    "no *.yaml or *.yml files here",
                ));
            }
            for file in files {
                checked += 1;
                match playbook::load_file(&file) {
                    Err(mut d) => diags.append(&mut d),
                    Ok((text, pb)) => {
                        if let Some(first) = names.get(pb.name()) {
                            diags.push(
                                Diagnostic::at(
                                    &file,
                                    &pb.metadata.name,
                                    format!(
                                        "duplicate playbook name `{}`: also in {}",
                                        pb.name(),
                                        first.display()
                                    ),
                                )
                                .with_snippet_from(&text),
                            );
                        } else {
                            names.insert(pb.name().to_string(), file.clone());
                        }
                        diags.extend(check_playbook(&pb, &file, &text));
                    }
                }
            }
        }
    }
    let errors = say(&diags, checked);
    Ok(if errors > 0 {
        super::PROBLEMS
    } else {
        super::OK
    })
}
