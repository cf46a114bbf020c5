//! `runbook completions bash|zsh|fish`: each shell's script, sourced in
//! the real shell, completes subcommands and the names that are there at
//! the time: playbooks (built-in and on the search path), scenarios and
//! sessions. The scripts call the binary back for candidates.

#[path = "support/cli.rs"]
mod cli;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use cli::{bin, runbook, stderr, stdout};
use runbook::engine::{Event, Session};
use runbook::journal::{FileJournal, Sink};
use runbook::playbook::model::Playbook;

const PLAYBOOK: &str = r#"apiVersion: runbook/v1
kind: Playbook
metadata: { name: disk-full, title: A disk is full }
start: a
steps:
  - { id: a, title: Look, next: b }
  - { id: b, title: Done, outcome: resolved }
"#;

/// A data dir with two sessions (one abandoned) and a config dir whose
/// playbooks folder holds `disk-full`.
fn data() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let playbooks = dir.path().join("config/playbooks");
    std::fs::create_dir_all(&playbooks).expect("mkdir");
    std::fs::write(playbooks.join("disk-full.yaml"), PLAYBOOK).expect("write");
    for id in [
        "20251125-070000-disk-full-0001",
        "20251126-080000-disk-full-0002",
    ] {
        let pb: Playbook = serde_saphyr::from_str(PLAYBOOK).expect("parses");
        let session = Session::new(Arc::new(pb));
        let mut journal = FileJournal::create(dir.path(), id, PLAYBOOK).expect("create");
        let start = Event::Started {
            playbook: "disk-full".into(),
            title: "A disk is full".into(),
            hash: "h".into(),
            params: Default::default(),
            context: None,
            namespace: None,
            user: "u".into(),
            host: "h".into(),
            drill: None,
            alert: None,
            read_only: false,
            read_only_contexts: Vec::new(),
        };
        let events = session.propose_start(start).expect("start");
        journal
            .append(1, jiff::Timestamp::now(), events)
            .expect("append");
    }
    let out = runbook(
        dir.path(),
        &["abandon", "20251125-070000", "--reason", "a test"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    dir
}

/// Runs `script` in `shell` with the binary's own folders.
fn shell(data: &Path, shell: &str, script: &str) -> Output {
    let out = Command::new(shell)
        .args(["-c", script])
        .env("RUNBOOK_DATA_DIR", data)
        .env("RUNBOOK_CONFIG_DIR", data.join("config"))
        .env_remove("RUNBOOK_PLAYBOOKS")
        .env("BIN", bin())
        .output()
        .unwrap_or_else(|e| panic!("{shell} is needed for this test (.ci/run installs it): {e}"));
    assert!(out.status.success(), "{shell}: {}", stderr(&out));
    out
}

/// The candidates, less the flags clap offers beside names for an empty word.
fn lines(out: &Output) -> Vec<String> {
    stdout(out)
        .lines()
        .map(str::to_string)
        .filter(|l| !l.is_empty() && !l.starts_with("--"))
        .collect()
}

#[test]
fn each_shell_gets_a_script_that_calls_this_runbook_back() {
    let data = tempfile::tempdir().expect("tempdir");
    for (name, marker) in [
        (
            "bash",
            "complete -o nospace -o bashdefault -o nosort -F _clap_complete_runbook runbook",
        ),
        ("zsh", "#compdef runbook"),
        (
            "fish",
            "complete --keep-order --exclusive --command runbook",
        ),
    ] {
        let out = runbook(data.path(), &["completions", name], None);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let script = stdout(&out);
        assert!(script.contains(marker), "{name}:\n{script}");
        assert!(
            script.contains(&bin().display().to_string()) && script.contains("RUNBOOK_COMPLETE"),
            "{name}: the script asks this binary:\n{script}"
        );
    }
    let out = runbook(data.path(), &["completions", "tcsh"], None);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}

/// Bash: the completion function as bash calls it for `runbook WORDS<tab>`.
fn bash_complete(data: &Path, words: &[&str]) -> Vec<String> {
    bash_complete_with(data, "", words)
}

/// `bash_complete` after `setup` (an `export`).
fn bash_complete_with(data: &Path, setup: &str, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let script = format!(
        r#"{setup}
source <("$BIN" completions bash)
COMP_WORDS=({})
COMP_CWORD={}
COMP_TYPE=9
_clap_complete_runbook runbook '{}' '{}'
printf '%s\n' "${{COMPREPLY[@]}}""#,
        quoted.join(" "),
        words.len() - 1,
        words[words.len() - 1],
        words[words.len().saturating_sub(2)],
    );
    lines(&shell(data, "bash", &script))
}

#[test]
fn bash_completes_subcommands_playbooks_scenarios_and_sessions() {
    let data = data();
    let d = data.path();
    let subcommands = bash_complete(d, &["runbook", "re"]);
    assert_eq!(subcommands, ["resume"]);
    assert_eq!(
        bash_complete(d, &["runbook", "run", "pod-"]),
        ["pod-crashloop", "pod-pending"]
    );
    assert_eq!(
        bash_complete(d, &["runbook", "run", "di"]),
        ["disk-full"],
        "playbooks on the search path too"
    );
    assert_eq!(
        bash_complete(d, &["runbook", "drill", ""]),
        [
            "checkout-oom",
            "image-typo",
            "node-down",
            "dns-down",
            "service-selector",
            "netpol-block",
            "pvc-unbound",
            "hpa-maxed",
            "ingress-backend",
            "cronjob-failing",
            "disk-pressure",
            "config-missing",
            "probe-too-eager"
        ],
        "every drill, and no generated scale cluster"
    );
    assert!(bash_complete(d, &["runbook", "sim", ""]).contains(&"scale-10k".to_string()));
    assert_eq!(
        bash_complete(d, &["runbook", "resume", ""]),
        ["20251126-080000-disk-full-0002"],
        "resume offers unfinished sessions only"
    );
    assert_eq!(
        bash_complete(d, &["runbook", "export", "2025"]),
        [
            "20251126-080000-disk-full-0002",
            "20251125-070000-disk-full-0001"
        ],
        "export offers every session, newest first"
    );
    assert_eq!(bash_complete(d, &["runbook", "completions", "z"]), ["zsh"]);
}

/// #24 (20): `--context`, `--set KEY=` and `test --scenario` complete too.
#[test]
fn bash_completes_contexts_params_and_test_scenarios() {
    let data = data();
    let d = data.path();
    let kubeconfig = d.join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        "apiVersion: v1\nkind: Config\nclusters:\n- name: a\n  cluster: { server: 'https://127.0.0.1:1' }\n- name: b\n  cluster: { server: 'https://127.0.0.1:2' }\nusers: []\ncontexts:\n- name: prod-eu\n  context: { cluster: a }\n- name: staging\n  context: { cluster: b }\ncurrent-context: staging\n",
    )
    .expect("write kubeconfig");
    let setup = format!("export KUBECONFIG='{}'", kubeconfig.display());
    assert_eq!(
        bash_complete_with(
            d,
            &setup,
            &["runbook", "run", "pod-crashloop", "--context", "pro"]
        ),
        ["prod-eu"]
    );
    let keys = bash_complete(d, &["runbook", "run", "pod-crashloop", "--set", "dep"]);
    assert_eq!(keys, ["deployment="], "{keys:?}");
    assert_eq!(
        bash_complete(
            d,
            &["runbook", "test", "pod-crashloop", "--scenario", "checkout"]
        ),
        ["checkout-oom"]
    );
}

#[test]
fn zsh_completes_through_its_script() {
    let data = data();
    // _describe is compsys's; here it prints what it was given, so the
    // script's own function runs as zsh runs it on a tab.
    let complete = |words: &str, current: usize| {
        let script = format!(
            r#"autoload -U compinit && compinit -u -D
source <("$BIN" completions zsh)
print -r -- "registered: $_comps[runbook]"
_describe() {{ print -rl -- "${{(@P)${{@[-1]}}}}" }}
words=({words})
CURRENT={current}
_clap_dynamic_completer_runbook"#
        );
        lines(&shell(data.path(), "zsh", &script))
    };
    let out = complete("runbook resume ''", 3);
    assert_eq!(
        out,
        [
            "registered: _clap_dynamic_completer_runbook",
            "20251126-080000-disk-full-0002:A disk is full (active, at step a)"
        ]
    );
    let out = complete("runbook drill node", 3);
    assert_eq!(out[1..], ["node-down:A node stopped reporting"]);
}

#[test]
fn fish_completes_through_its_script() {
    let data = data();
    let complete = |line: &str| {
        let script = format!(
            r#""$BIN" completions fish | source
complete --do-complete '{line}'"#
        );
        lines(&shell(data.path(), "fish", &script))
    };
    assert_eq!(
        complete("runbook export 20251125"),
        ["20251125-070000-disk-full-0001\tA disk is full (abandoned, at step a)"]
    );
    assert_eq!(
        complete("runbook run pod-c"),
        ["pod-crashloop\tPod in CrashLoopBackOff"]
    );
}
