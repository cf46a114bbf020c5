//! The playbook search path: built-in playbooks (compiled into the binary so
//! an installed `runbook` works from any folder), then the config dir's
//! `playbooks/`, then the folders in `RUNBOOK_PLAYBOOKS`. A user playbook
//! with a built-in's name overrides it; two user playbooks with one name are
//! an error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::diagnostic::Diagnostic;
use super::load::parse;
use super::model::Playbook;

pub const BUILTIN: &[(&str, &str)] = &[
    (
        "pod-crashloop.yaml",
        include_str!("../../../playbooks/pod-crashloop.yaml"),
    ),
    (
        "image-pull-backoff.yaml",
        include_str!("../../../playbooks/image-pull-backoff.yaml"),
    ),
    (
        "pod-pending.yaml",
        include_str!("../../../playbooks/pod-pending.yaml"),
    ),
    (
        "node-not-ready.yaml",
        include_str!("../../../playbooks/node-not-ready.yaml"),
    ),
    (
        "service-5xx.yaml",
        include_str!("../../../playbooks/service-5xx.yaml"),
    ),
    (
        "production-deployment.yaml",
        include_str!("../../../playbooks/production-deployment.yaml"),
    ),
    (
        "dns-failures.yaml",
        include_str!("../../../playbooks/dns-failures.yaml"),
    ),
    (
        "upstream-unreachable.yaml",
        include_str!("../../../playbooks/upstream-unreachable.yaml"),
    ),
    (
        "hpa-maxed.yaml",
        include_str!("../../../playbooks/hpa-maxed.yaml"),
    ),
    (
        "ingress-backend.yaml",
        include_str!("../../../playbooks/ingress-backend.yaml"),
    ),
    (
        "cronjob-failing.yaml",
        include_str!("../../../playbooks/cronjob-failing.yaml"),
    ),
    (
        "pods-evicted.yaml",
        include_str!("../../../playbooks/pods-evicted.yaml"),
    ),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "path", rename_all = "lowercase")]
pub enum Source {
    Builtin(String),
    File(PathBuf),
}

impl Source {
    /// The path diagnostics name: `builtin:pod-crashloop.yaml` or the file.
    pub fn display_path(&self) -> PathBuf {
        match self {
            Source::Builtin(name) => PathBuf::from(format!("builtin:{name}")),
            Source::File(p) => p.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub source: Source,
    pub text: String,
    pub playbook: Playbook,
}

#[derive(Debug, Clone, Serialize)]
pub struct EntrySummary {
    pub name: String,
    pub title: String,
    pub severity: Option<String>,
    pub tags: Vec<String>,
    pub alerts: Vec<String>,
    pub source: Source,
}

impl Entry {
    pub fn summary(&self) -> EntrySummary {
        let m = &self.playbook.metadata;
        EntrySummary {
            name: m.name.value.clone(),
            title: m.title.clone(),
            severity: m.severity.clone(),
            tags: m.tags.clone(),
            alerts: self
                .playbook
                .alert_names()
                .into_iter()
                .map(str::to_string)
                .collect(),
            source: self.source.clone(),
        }
    }
}

/// The folders searched after the built-ins, in order.
pub fn user_folders() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(dir) = crate::config::config_dir() {
        out.push(dir.join("playbooks"));
    }
    if let Some(extra) = std::env::var_os("RUNBOOK_PLAYBOOKS") {
        out.extend(std::env::split_paths(&extra).filter(|p| !p.as_os_str().is_empty()));
    }
    out
}

/// `*.yaml` / `*.yml` files under `dir`, recursively, sorted.
pub fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(yaml_files(&path));
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The resolved catalog plus every problem met while building it.
#[derive(Debug, Default)]
pub struct Catalog {
    pub entries: Vec<Entry>,
    pub problems: Vec<Diagnostic>,
}

impl Catalog {
    /// Built-ins plus `folders` (normally `user_folders()`).
    pub fn load(folders: &[PathBuf]) -> Catalog {
        let mut by_name: BTreeMap<String, Entry> = BTreeMap::new();
        let mut problems = Vec::new();
        for (file, text) in BUILTIN {
            let source = Source::Builtin((*file).to_string());
            match parse(text, &source.display_path()) {
                Ok(playbook) => {
                    by_name.insert(
                        playbook.name().to_string(),
                        Entry {
                            source,
                            text: (*text).to_string(),
                            playbook,
                        },
                    );
                }
                Err(mut diags) => problems.append(&mut diags),
            }
        }
        for folder in folders {
            for path in yaml_files(folder) {
                let text = match std::fs::read_to_string(&path) {
                    Ok(t) => t,
                    Err(e) => {
                        problems.push(Diagnostic::error(
                            &path,
                            0,
                            0,
                            format!("cannot read the file: {e}"),
                        ));
                        continue;
                    }
                };
                let playbook = match parse(&text, &path) {
                    Ok(p) => p,
                    Err(mut diags) => {
                        problems.append(&mut diags);
                        continue;
                    }
                };
                let name = playbook.name().to_string();
                let entry = Entry {
                    source: Source::File(path.clone()),
                    text,
                    playbook,
                };
                match by_name.get(&name).map(|e| e.source.clone()) {
                    Some(Source::Builtin(b)) => {
                        problems.push(Diagnostic::warning(
                            &path,
                            entry.playbook.metadata.name.referenced.line(),
                            entry.playbook.metadata.name.referenced.column(),
                            format!("playbook `{name}` overrides the built-in one ({b})"),
                        ));
                        by_name.insert(name, entry);
                    }
                    Some(Source::File(other)) => problems.push(Diagnostic::error(
                        &path,
                        entry.playbook.metadata.name.referenced.line(),
                        entry.playbook.metadata.name.referenced.column(),
                        format!(
                            "duplicate playbook name `{name}`: also in {}",
                            other.display()
                        ),
                    )),
                    None => {
                        by_name.insert(name, entry);
                    }
                }
            }
        }
        Catalog {
            entries: by_name.into_values().collect(),
            problems,
        }
    }

    pub fn get(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.playbook.name() == name)
    }

    /// A PLAYBOOK argument: an existing file, else a name on the search path.
    pub fn resolve(&self, arg: &str) -> Result<Entry, Unresolved> {
        let path = Path::new(arg);
        if path.is_file() {
            let (text, playbook) = super::load::load_file(path).map_err(Unresolved::File)?;
            return Ok(Entry {
                source: Source::File(path.to_path_buf()),
                text,
                playbook,
            });
        }
        if let Some(entry) = self.get(arg) {
            return Ok(entry.clone());
        }
        let names: Vec<&str> = self.entries.iter().map(|e| e.playbook.name()).collect();
        let hint = super::validate::did_you_mean(arg, names.iter());
        Err(Unresolved::Unknown(format!(
            "no playbook named `{arg}` and no such file{hint}; known playbooks: {}",
            names.join(", ")
        )))
    }
}

/// Why a PLAYBOOK argument names no playbook.
#[derive(Debug, Clone, PartialEq)]
pub enum Unresolved {
    /// Neither a file nor a name on the search path.
    Unknown(String),
    /// The file does not load, with each problem at its place.
    File(Vec<Diagnostic>),
}
