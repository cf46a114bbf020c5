//! `runbook completions bash|zsh|fish`: the shell's completion script. The
//! script asks runbook itself for candidates as words are completed
//! (`RUNBOOK_COMPLETE=SHELL runbook -- WORDS...`, answered in `main` by
//! clap_complete's `CompleteEnv` before anything else runs), so names come
//! from what is there at that moment: the playbooks on the search path, the
//! scenarios, the sessions in the data dir. Also where flags and
//! subcommands are completed, from the same clap definition.

use std::ffi::OsStr;
use std::path::Path;

use clap_complete::engine::{CompletionCandidate, PathCompleter, ValueCompleter};
use clap_complete::env::{Bash, EnvCompleter, Fish, Zsh};

use crate::cli::Shell;
use crate::journal::{self, SessionSummary};
use crate::playbook::catalog::{self, Catalog};
use crate::sim;

/// The environment variable the scripts set to ask for candidates; not
/// clap_complete's default `COMPLETE`, which another program's setting
/// could turn on by accident.
pub const VAR: &str = "RUNBOOK_COMPLETE";

pub fn run(shell: Shell) -> anyhow::Result<u8> {
    let completer: &dyn EnvCompleter = match shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
    };
    let mut script = Vec::new();
    completer.write_registration(VAR, "runbook", "runbook", &this_program(), &mut script)?;
    super::output::out(format_args!("{}", String::from_utf8_lossy(&script)));
    Ok(super::OK)
}

/// How the script calls runbook back: as it was called now (a bare
/// `runbook` is found on PATH; a relative path is made absolute), as
/// clap_complete's `CompleteEnv` does.
fn this_program() -> String {
    let arg0 = std::env::args_os()
        .next()
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| "runbook".into());
    let program = if arg0.components().count() > 1 && arg0.is_relative() {
        std::env::current_dir()
            .map(|d| d.join(&arg0))
            .unwrap_or(arg0)
    } else {
        arg0
    };
    program.to_string_lossy().into_owned()
}

/// Playbook names (built-ins and the search path) starting with what was
/// typed; files and folders too once it looks like a path, or when no
/// name fits.
pub fn playbooks(current: &OsStr) -> Vec<CompletionCandidate> {
    let typed = current.to_string_lossy();
    let catalog = Catalog::load(&catalog::user_folders());
    let mut found: Vec<CompletionCandidate> = catalog
        .entries
        .iter()
        .filter(|e| e.playbook.name().starts_with(typed.as_ref()))
        .map(|e| {
            CompletionCandidate::new(e.playbook.name())
                .help(Some(e.playbook.metadata.title.clone().into()))
        })
        .collect();
    if looks_like_path(&typed) || found.is_empty() {
        found.extend(yaml_paths(current));
    }
    found
}

/// The contexts of the kubeconfig (KUBECONFIG or ~/.kube/config).
pub fn contexts(current: &OsStr) -> Vec<CompletionCandidate> {
    let typed = current.to_string_lossy();
    let Ok(config) = kube::config::Kubeconfig::read() else {
        return Vec::new();
    };
    config
        .contexts
        .iter()
        .filter(|c| c.name.starts_with(typed.as_ref()))
        .map(|c| {
            let cluster = c
                .context
                .as_ref()
                .map(|x| x.cluster.clone())
                .unwrap_or_default();
            CompletionCandidate::new(&c.name).help(Some(format!("cluster {cluster}").into()))
        })
        .collect()
}

/// `KEY=` for the params of the playbooks on the search path (the
/// completer does not see which playbook was typed): each once, described
/// by the first playbook that declares it.
pub fn param_keys(current: &OsStr) -> Vec<CompletionCandidate> {
    let typed = current.to_string_lossy();
    if typed.contains('=') {
        return Vec::new();
    }
    let catalog = Catalog::load(&catalog::user_folders());
    let mut seen = std::collections::BTreeSet::new();
    let mut found = Vec::new();
    for entry in &catalog.entries {
        for p in &entry.playbook.params {
            let name = &p.name.value;
            if name.starts_with(typed.as_ref()) && seen.insert(name.clone()) {
                found.push(
                    CompletionCandidate::new(format!("{name}="))
                        .help(Some(p.description.clone().unwrap_or_default().into())),
                );
            }
        }
    }
    found
}

/// Scenarios a drill can run: the built-ins a trainee walks through (not
/// the generated scale clusters, which are for benchmarks and `sim`).
pub fn drill_scenarios(current: &OsStr) -> Vec<CompletionCandidate> {
    scenarios(current, false)
}

/// Every built-in scenario `sim` can serve.
pub fn sim_scenarios(current: &OsStr) -> Vec<CompletionCandidate> {
    scenarios(current, true)
}

fn scenarios(current: &OsStr, generated: bool) -> Vec<CompletionCandidate> {
    let typed = current.to_string_lossy();
    let mut found: Vec<CompletionCandidate> = sim::builtin_names()
        .into_iter()
        .filter(|n| n.starts_with(typed.as_ref()))
        .filter_map(|n| {
            let scenario = sim::load(n).ok()?;
            (generated || scenario.generate.is_none()).then(|| {
                CompletionCandidate::new(n).help(Some(scenario.metadata.title.clone().into()))
            })
        })
        .collect();
    if looks_like_path(&typed) || found.is_empty() {
        found.extend(yaml_paths(current));
    }
    found
}

/// Unfinished sessions (`resume`, `abandon`), newest first.
pub fn active_sessions(current: &OsStr) -> Vec<CompletionCandidate> {
    sessions(current, true)
}

/// Every session (`export`), newest first.
pub fn all_sessions(current: &OsStr) -> Vec<CompletionCandidate> {
    sessions(current, false)
}

fn sessions(current: &OsStr, active_only: bool) -> Vec<CompletionCandidate> {
    let typed = current.to_string_lossy();
    let Ok(data) = journal::data_dir() else {
        return Vec::new();
    };
    journal::list_sessions(&data)
        .unwrap_or_default()
        .into_iter()
        .filter(|s| !active_only || s.is_active())
        .filter(|s| s.id.starts_with(typed.as_ref()))
        .enumerate()
        .map(|(i, s)| {
            CompletionCandidate::new(&s.id)
                .help(Some(describe(&s).into()))
                // Newest first, as `runbook sessions` lists them.
                .display_order(Some(i))
        })
        .collect()
}

/// `Pod in CrashLoopBackOff (active, at step why)`.
fn describe(s: &SessionSummary) -> String {
    match (&s.outcome, &s.current_step) {
        (Some(outcome), _) => format!("{} ({}, {outcome})", s.title, s.state),
        (None, Some(step)) => format!("{} ({}, at step {step})", s.title, s.state),
        (None, None) => format!("{} ({})", s.title, s.state),
    }
}

fn looks_like_path(typed: &str) -> bool {
    typed.contains('/') || typed.starts_with('.') || typed.starts_with('~')
}

/// Folders and YAML files under what was typed.
fn yaml_paths(current: &OsStr) -> Vec<CompletionCandidate> {
    PathCompleter::any()
        .filter(|p: &Path| p.is_dir() || p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .complete(current)
}
