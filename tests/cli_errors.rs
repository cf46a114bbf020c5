//! The CLI's one rule for failures, through the real binary: usage errors
//! (unknown names, bad flag values, missing params without a terminal,
//! files given on the command line that do not parse) exit 2, failed runs
//! exit 1, and every message starts with `error: ` (clap's style), or with
//! `path:line:col: error: ` for a problem in a file.

#[path = "support/cli.rs"]
mod cli;

use cli::{runbook, stderr};

const BROKEN_PLAYBOOK: &str = "apiVersion: runbook/v1\nkind: Playbook\nmetadata: { name: broken, title: B }\nstart: a\nsteps:\n  - id: a\n    title: A\n    next: b\n";

/// Every line of stderr follows the rule: `error: `, a `usage: ` line
/// (clap's `Usage:` and its hints too), or a diagnostic at a place in a
/// file (with its snippet).
fn follows_the_rule(text: &str) -> bool {
    text.lines().all(|l| {
        l.starts_with("error: ")
            || l.to_lowercase().starts_with("usage: ")
            || l.starts_with("  ")
            || l.starts_with("For more information, try '--help'.")
            || l.contains(": error: ")
            || l.trim_start()
                .starts_with(|c: char| c.is_ascii_digit() || c == '|')
            || l.is_empty()
    }) && !text.contains("runbook: ")
}

#[test]
fn usage_errors_exit_2_with_one_prefix() {
    let data = tempfile::tempdir().expect("tempdir");
    let d = data.path();
    let playbook = d.join("broken.yaml");
    std::fs::write(&playbook, BROKEN_PLAYBOOK).expect("write");
    let scenario = d.join("bad-scenario.yaml");
    std::fs::write(
        &scenario,
        "apiVersion: runbook/v1\nkind: Scenario\nmetadata: [x]\n",
    )
    .expect("write");
    let playbook = playbook.display().to_string();
    let scenario = scenario.display().to_string();
    let kubeconfig = d.join("kc").display().to_string();
    let cases: &[(&[&str], &str)] = &[
        (
            &["run", "no-such-playbook"],
            "error: no playbook named `no-such-playbook` and no such file; known playbooks: cronjob-failing,",
        ),
        (
            &["run", "pod-crashlop"],
            "error: no playbook named `pod-crashlop` and no such file (did you mean `pod-crashloop`?)",
        ),
        (
            &["drill", "no-such-drill"],
            "error: no built-in scenario or scenario file named `no-such-drill`; built-in scenarios: checkout-oom,",
        ),
        (
            &["sim", "no-such-drill", "--kubeconfig", &kubeconfig],
            "error: no built-in scenario or scenario file named `no-such-drill`",
        ),
        (&["resume", "nope"], "error: no session `nope` in "),
        (&["export", "nope"], "error: no session `nope` in "),
        (
            &["abandon", "nope", "--reason", "x"],
            "error: no session `nope` in ",
        ),
        (
            // No terminal to ask in: the missing params are named.
            &["run", "pod-crashloop"],
            "error: param `namespace`: is required (give it with --set)\nerror: param `deployment`: is required",
        ),
        (
            &["run", "pod-crashloop", "--set", "namespace"],
            "error: `--set namespace`: expected KEY=VALUE",
        ),
        (
            &[
                "run",
                "pod-crashloop",
                "--set",
                "namespace=Shop!",
                "--set",
                "deployment=checkout",
            ],
            "error: param `namespace`: `Shop!` must be a DNS label",
        ),
        (
            &["run", &playbook],
            &format!("{playbook}:8:11: error: step `a` leads to `b`"),
        ),
        (&["drill", &scenario], &format!("{scenario}:3:")),
        (
            &[
                "run",
                "node-not-ready",
                "--set",
                "node=node-b",
                "--kubeconfig",
                &kubeconfig,
            ],
            "error: the walkthrough needs a terminal",
        ),
        (&[], "error: the home screen needs a terminal"),
        (
            &[
                "sim",
                "checkout-oom",
                "--listen",
                "nowhere",
                "--kubeconfig",
                &kubeconfig,
            ],
            "error: --listen wants ADDRESS:PORT",
        ),
        (
            &["validate", "--bogus"],
            "error: unexpected argument '--bogus' found",
        ),
    ];
    for (args, expected) in cases {
        let out = runbook(d, args, None);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.starts_with(expected), "{args:?}:\n{err}");
        assert!(follows_the_rule(&err), "{args:?}:\n{err}");
    }
}

#[test]
fn failed_runs_and_problems_found_exit_1() {
    let data = tempfile::tempdir().expect("tempdir");
    let d = data.path();
    let out = runbook(d, &["resume"], None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "error: no unfinished session to resume (see `runbook sessions`)\n"
    );
    let playbook = d.join("broken.yaml");
    std::fs::write(&playbook, BROKEN_PLAYBOOK).expect("write");
    let out = runbook(d, &["validate", &playbook.display().to_string()], None);
    assert_eq!(out.status.code(), Some(1), "validate found a problem");
}
