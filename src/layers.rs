//! The layers, checked. The core is its own crate (`runbook-core`, in
//! src/core), so the compiler holds it to importing nothing of this one;
//! here, `Cargo.lock` shows that none of tokio, kube, ratatui, crossterm,
//! hyper or axum is among its dependencies, direct or not. In this crate,
//! which top-level modules the code of each imports (`crate::x` in its
//! non-test source): the cluster layer nothing of the app, the simulator
//! nothing of the app. What still crosses a
//! layer is listed in `NOT_YET` with the reason, until it moves (#22): the
//! list may only shrink, and an entry no longer needed fails the test too.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The core crate's modules, re-exported here under the same names.
const CORE: &[&str] = &[
    "action_kind",
    "argv",
    "checks",
    "config",
    "drill",
    "engine",
    "journal",
    "kinds",
    "playbook",
    "sanitize",
];

/// Crates the core never depends on: the runtime, the network, the
/// terminal.
const SHELL_CRATES: &[&str] = &["tokio", "kube", "ratatui", "crossterm", "hyper", "axum"];

/// What each layer may never import.
const NEVER: &[(&str, &[&str])] = &[
    (
        "core",
        &["app", "ui", "tui", "commands", "cli", "sim", "alerts"],
    ),
    (
        "cluster",
        &["app", "ui", "tui", "commands", "cli", "sim", "drill"],
    ),
    ("sim", &["app", "ui", "tui", "commands", "cli"]),
];

/// Imports that cross a layer today, each with where it is going: none
/// now (#22 moved the kinds, rows and snapshot into the core's `kinds`, and
/// argv classification into `argv`). Kept so a crossing that must stay a
/// while is written down, not hidden.
const NOT_YET: &[(&str, &str, &str)] = &[];

fn module_imports(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let import = regex::Regex::new(r"crate::([a-z_]+)").expect("pattern");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut files = Vec::new();
    collect(src, &mut files);
    for file in files {
        let rel = file.strip_prefix(src).expect("under src");
        let top = rel
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .unwrap_or_default()
            .trim_end_matches(".rs")
            .to_string();
        let name = rel.to_string_lossy();
        if name.ends_with("tests.rs")
            || name.contains("/tests/")
            || top == "layers"
            || top == "core"
        {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("read source");
        // A file's own test module is test code.
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        let mut tos: Vec<String> = import
            .captures_iter(text)
            .map(|c| c[1].to_string())
            .collect();
        tos.extend(grouped(text));
        for to in tos {
            if to != top {
                graph.entry(top.clone()).or_default().insert(to);
            }
        }
    }
    graph
}

/// The first segments of `crate::{a, b::c, d::{e, f}}`.
fn grouped(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("crate::{") {
        let body = &text[at + "crate::{".len()..];
        let mut depth = 0usize;
        let mut items = vec![String::new()];
        for c in body.chars() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => items.push(String::new()),
                c => {
                    if let Some(item) = items.last_mut() {
                        item.push(c);
                    }
                }
            }
        }
        for item in items {
            let word: String = item
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !word.is_empty() && word != "self" {
                out.push(word);
            }
        }
    }
    out
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_layers_import_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = module_imports(&src);
    fn layer_of(m: &str) -> &str {
        if CORE.contains(&m) { "core" } else { m }
    }
    let mut wrong = Vec::new();
    let mut used = BTreeSet::new();
    for (from, tos) in &graph {
        let never = NEVER
            .iter()
            .find(|(layer, _)| *layer == layer_of(from))
            .map_or(&[][..], |(_, n)| *n);
        for to in tos {
            let crosses = never.contains(&to.as_str())
                || (layer_of(from) == "core" && !CORE.contains(&to.as_str()));
            if !crosses {
                continue;
            }
            match NOT_YET.iter().find(|(f, t, _)| f == from && t == to) {
                Some(entry) => {
                    used.insert(*entry);
                }
                None => wrong.push(format!("{from} -> {to}")),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers: {wrong:?}\n(the whole graph: {graph:#?})"
    );
    let stale: Vec<_> = NOT_YET.iter().filter(|e| !used.contains(*e)).collect();
    assert!(
        stale.is_empty(),
        "no longer crossing, take them off NOT_YET: {stale:?}"
    );
}

/// Every package `package` depends on in `Cargo.lock`, directly or not.
fn locked_dependencies(lock: &str, package: &str) -> BTreeSet<String> {
    let mut deps: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for block in lock.split("[[package]]").skip(1) {
        let field = |key: &str| {
            block
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{key} = \"")))
                .map(|v| v.trim_end_matches('"').to_string())
        };
        let Some(name) = field("name") else { continue };
        let list = block
            .split_once("dependencies = [")
            .map(|(_, rest)| rest.split(']').next().unwrap_or_default())
            .unwrap_or_default();
        let names = list
            .split(',')
            .filter_map(|d| d.trim().trim_matches('"').split(' ').next())
            .filter(|d| !d.is_empty())
            .map(str::to_string)
            .collect();
        deps.entry(name).or_default().extend::<Vec<String>>(names);
    }
    let mut seen = BTreeSet::new();
    let mut todo = vec![package.to_string()];
    while let Some(p) = todo.pop() {
        for d in deps.get(&p).into_iter().flatten() {
            if seen.insert(d.clone()) {
                todo.push(d.clone());
            }
        }
    }
    seen
}

#[test]
fn the_core_depends_on_no_shell_crate() {
    let lock = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock"))
        .expect("Cargo.lock");
    let deps = locked_dependencies(&lock, "runbook-core");
    assert!(
        deps.contains("k8s-openapi"),
        "the scan sees its dependencies: {deps:?}"
    );
    let shell: Vec<&&str> = SHELL_CRATES.iter().filter(|c| deps.contains(**c)).collect();
    assert!(shell.is_empty(), "runbook-core depends on {shell:?}");
    let app = locked_dependencies(&lock, "runbook");
    assert!(
        app.contains("tokio") && app.contains("runbook-core"),
        "{app:?}"
    );
}

#[test]
fn grouped_imports_are_seen() {
    assert_eq!(
        grouped("use crate::{ui, cluster::kinds::{self, Row}, engine::Event};"),
        vec!["ui", "cluster", "engine"]
    );
}

#[test]
fn the_scan_sees_imports() {
    let graph = module_imports(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(graph["cluster"].contains("kinds"), "{graph:?}");
    assert!(
        !graph.contains_key("checks"),
        "the core is not scanned: {graph:?}"
    );
    assert!(graph["app"].contains("ui"), "{graph:?}");
}
