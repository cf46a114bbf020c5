use super::output::{errln, outln};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::playbook::catalog::{self, Catalog};
use crate::playbook::{self, Diagnostic, Playbook};

/// Everything wrong with one parsed playbook: the graph and the checks.
pub fn check_playbook(pb: &Playbook, path: &Path, text: &str) -> Vec<Diagnostic> {
    let mut diags = playbook::validate(pb, path);
    diags.extend(playbook::validate_checks(pb, path, compile_check));
    let mut diags: Vec<Diagnostic> = diags
        .into_iter()
        .map(|d| d.with_snippet_from(text))
        .collect();
    diags.sort_by_key(|d| (d.line, d.col));
    diags
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
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    for d in &diags {
        outln!("{d}");
    }
    errln!(
        "checked {checked} playbook{}: {errors} error{}, {warnings} warning{}",
        if checked == 1 { "" } else { "s" },
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
    );
    Ok(if errors > 0 {
        super::PROBLEMS
    } else {
        super::OK
    })
}
