//! The runner against real child processes.

use super::*;

fn planned(argv: &[&str], read_only_safe: bool, mutating: bool) -> Planned {
    Planned {
        argv: argv.iter().map(|s| s.to_string()).collect(),
        mutating,
        read_only_safe,
        confirm_word: String::new(),
        ..Planned::default()
    }
}

fn sealed() -> Access {
    Access::Sealed("no gateway in this test".into())
}

fn through(env: &[(&str, &str)], held: impl Send + 'static) -> Access {
    Access::Gateway {
        env: env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        held: Box::new(held),
        secret: "s3cr3t-token".into(),
        port: 1,
    }
}

async fn collect(mut rx: mpsc::Receiver<RunEvent>) -> (Vec<String>, Finish) {
    let mut lines = Vec::new();
    while let Some(event) = rx.recv().await {
        match event {
            RunEvent::Line(l) => lines.push(l),
            RunEvent::Finished(f) => return (lines, f),
        }
    }
    panic!("runner ended without Finished");
}

#[tokio::test]
async fn streams_output_and_exit_code_with_no_shell() {
    let (tx, rx) = mpsc::channel(16);
    let p = planned(
        &["sh", "-c", "echo one; echo 'two\x1b[2J'; exit 3"],
        true,
        false,
    );
    start(
        &p,
        &[],
        through(&[], ()),
        false,
        Duration::from_secs(30),
        None,
        tx,
    );
    let (lines, finish) = collect(rx).await;
    assert_eq!(lines, ["one", "two"], "escape sequences are stripped");
    assert_eq!(finish.exit_code, Some(3));
    assert_eq!(finish.excerpt, "one\ntwo");
}

#[tokio::test]
async fn arguments_are_not_interpreted_by_a_shell() {
    let (tx, rx) = mpsc::channel(16);
    let p = planned(&["echo", "$(id); ls"], true, false);
    start(
        &p,
        &[],
        through(&[], ()),
        false,
        Duration::from_secs(30),
        None,
        tx,
    );
    let (lines, _) = collect(rx).await;
    assert_eq!(lines, ["$(id); ls"]);
}

#[tokio::test]
async fn read_only_mode_refuses_before_starting() {
    let dir = tempfile::tempdir().expect("tempdir");
    let marker = dir.path().join("ran");
    let (tx, rx) = mpsc::channel(16);
    let p = planned(&["touch", marker.to_str().expect("utf8")], false, true);
    start(&p, &[], sealed(), true, Duration::from_secs(30), None, tx);
    let (_, finish) = collect(rx).await;
    assert!(finish.error.expect("refused").contains("read-only"));
    assert!(!marker.exists(), "the command never ran");
}

#[tokio::test]
async fn timeout_and_cancel_stop_the_process() {
    let (tx, rx) = mpsc::channel(16);
    let p = planned(&["sleep", "30"], true, false);
    start(
        &p,
        &[],
        sealed(),
        false,
        Duration::from_millis(200),
        None,
        tx,
    );
    let (_, finish) = collect(rx).await;
    assert!(finish.timed_out);

    let (tx, rx) = mpsc::channel(16);
    let mut running = start(&p, &[], sealed(), false, Duration::from_secs(30), None, tx);
    running.cancel();
    let (_, finish) = collect(rx).await;
    assert!(finish.cancelled);
}

/// Sets a flag when dropped: the credential's revocation, in miniature.
struct Revoked(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Drop for Revoked {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

#[tokio::test]
async fn a_command_sees_only_its_own_way_to_a_cluster_held_while_it_runs() {
    let revoked = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (tx, rx) = mpsc::channel(16);
    let p = planned(
        &[
            "sh",
            "-c",
            "echo \"$KUBECONFIG|$KUBECACHEDIR|$HELM_KUBEAPISERVER|$OTHER\"",
        ],
        true,
        false,
    );
    let playbook_env = [
        ("KUBECONFIG".to_string(), "/home/me/.kube/prod".to_string()),
        ("HELM_KUBEAPISERVER".to_string(), "https://prod".to_string()),
        ("OTHER".to_string(), "kept".to_string()),
    ];
    let access = through(
        &[
            ("KUBECONFIG", "/s/gw.kubeconfig"),
            ("KUBECACHEDIR", "/s/gw.cache"),
        ],
        Revoked(revoked.clone()),
    );
    start(
        &p,
        &playbook_env,
        access,
        false,
        Duration::from_secs(30),
        None,
        tx,
    );
    let (lines, _) = collect(rx).await;
    assert_eq!(lines, ["/s/gw.kubeconfig|/s/gw.cache||kept"]);
    assert!(
        revoked.load(std::sync::atomic::Ordering::SeqCst),
        "the credential ends with the command"
    );

    let (tx, rx) = mpsc::channel(16);
    let p = planned(&["sh", "-c", "echo \"$KUBECONFIG\""], true, false);
    start(
        &p,
        &playbook_env,
        sealed(),
        false,
        Duration::from_secs(30),
        None,
        tx,
    );
    let (lines, _) = collect(rx).await;
    assert_eq!(
        lines,
        [
            "runbook: no gateway in this test; this command cannot reach a cluster",
            SEALED_KUBECONFIG
        ]
    );
}

#[tokio::test]
async fn the_token_never_shows_in_the_output() {
    let (tx, rx) = mpsc::channel(16);
    let p = planned(
        &[
            "sh",
            "-c",
            "echo http://127.0.0.1:1/s3cr3t-token/api; echo s3cr3t-token >&2",
        ],
        true,
        false,
    );
    start(
        &p,
        &[],
        through(&[], ()),
        false,
        Duration::from_secs(30),
        None,
        tx,
    );
    let (mut lines, finish) = collect(rx).await;
    lines.sort();
    assert_eq!(
        lines,
        [
            REDACTED.to_string(),
            format!("http://127.0.0.1:1/{REDACTED}/api")
        ]
    );
    assert!(!finish.excerpt.contains("s3cr3t"), "{}", finish.excerpt);
}

#[test]
fn the_sealed_kubeconfig_cannot_be_read() {
    for path in SEALED_KUBECONFIG.split(':') {
        assert!(std::fs::read(path).is_err(), "{path}");
    }
}

#[tokio::test]
async fn the_whole_output_goes_to_its_file_and_the_excerpt_says_so() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("out.log");
    let (tx, rx) = mpsc::channel(256);
    let p = planned(&["seq", "1", "100"], true, false);
    let output = OutputFile {
        path: path.clone(),
        name: "output/out.log".into(),
    };
    start(
        &p,
        &[],
        sealed(),
        false,
        Duration::from_secs(30),
        Some(output),
        tx,
    );
    let (lines, finish) = collect(rx).await;
    assert_eq!(lines.len(), 101, "the sealed notice, then 100 lines");
    let kept = std::fs::read_to_string(&path).expect("output file");
    assert_eq!(kept.lines().count(), 101, "every line is in the file");
    let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let excerpt = finish.journal_excerpt();
    assert!(
        excerpt.starts_with("(61 earlier lines left out; the whole output is in output/out.log)"),
        "{excerpt}"
    );
    assert!(excerpt.ends_with("\n100"));
}

#[tokio::test]
async fn a_missing_program_is_an_error_not_a_panic() {
    let (tx, rx) = mpsc::channel(16);
    let p = planned(&["definitely-not-a-program-xyz"], true, false);
    start(&p, &[], sealed(), false, Duration::from_secs(5), None, tx);
    let (_, finish) = collect(rx).await;
    assert!(finish.error.expect("error").contains("cannot start"));
}

/// A kernel without Landlock network rules, for the runner's side of it.
fn lacking(_: &mut Command, _: Option<u16>) -> Outcome {
    Outcome::Unconfined("this test's kernel lacks Landlock".into())
}

fn confining(policy: Policy) -> Run {
    Run {
        env: Vec::new(),
        access: sealed(),
        policy,
        timeout: Duration::from_secs(30),
        output: None,
    }
}

#[tokio::test]
async fn without_landlock_a_command_still_runs_says_unconfined_once_and_is_marked() {
    static TOLD: AtomicBool = AtomicBool::new(false);
    static LACKING: Confinement = Confinement {
        confine: lacking,
        told: &TOLD,
    };
    let policy = Policy {
        read_only: true,
        confine: true,
    };
    let p = planned(&["echo", "hello"], true, false);
    let mut seen = Vec::new();
    for _ in 0..2 {
        let (tx, rx) = mpsc::channel(16);
        start_with(&p, confining(policy), &LACKING, tx);
        let (lines, finish) = collect(rx).await;
        assert_eq!(finish.exit_code, Some(0), "{lines:?}");
        assert_eq!(finish.confined, Some(false));
        assert_eq!(lines.last().map(String::as_str), Some("hello"));
        seen.push(lines);
    }
    let told: Vec<_> = seen
        .iter()
        .flatten()
        .filter(|l| l.starts_with("runbook: unconfined: this test's kernel lacks Landlock"))
        .collect();
    assert_eq!(told.len(), 1, "told once: {seen:?}");
    assert!(seen[0].iter().any(|l| l.starts_with("runbook: unconfined")));
}

#[tokio::test]
async fn confinement_is_asked_for_by_read_only_or_by_the_policy_alone() {
    static TOLD: AtomicBool = AtomicBool::new(false);
    static LACKING: Confinement = Confinement {
        confine: lacking,
        told: &TOLD,
    };
    let p = planned(&["true"], true, false);
    for (policy, confined) in [
        (Policy::from(true), Some(false)),
        (Policy::from(false), None),
        (
            Policy {
                read_only: false,
                confine: true,
            },
            Some(false),
        ),
    ] {
        let (tx, rx) = mpsc::channel(16);
        start_with(&p, confining(policy), &LACKING, tx);
        let (_, finish) = collect(rx).await;
        assert_eq!(finish.confined, confined, "{policy:?}");
    }
}

#[tokio::test]
async fn a_read_only_command_is_confined_by_the_kernel_to_the_gateway_port() {
    if std::env::var_os("RUNBOOK_SKIP_CONFINE").is_some_and(|v| v == "1") {
        return;
    }
    let gateway = std::net::TcpListener::bind("127.0.0.1:0").expect("listen");
    let other = std::net::TcpListener::bind("127.0.0.1:0").expect("listen");
    let port = |l: &std::net::TcpListener| l.local_addr().expect("addr").port();
    let script = format!(
        "import socket\nfor p in ({}, {}):\n    try:\n        socket.create_connection(('127.0.0.1', p)); print('yes')\n    except OSError:\n        print('no')",
        port(&gateway),
        port(&other)
    );
    let p = planned(&["python3", "-c", &script], true, false);
    let (tx, rx) = mpsc::channel(16);
    let mut access = through(&[], ());
    if let Access::Gateway { port: p, .. } = &mut access {
        *p = port(&gateway);
    }
    start(&p, &[], access, true, Duration::from_secs(30), None, tx);
    let (lines, finish) = collect(rx).await;
    assert_eq!(finish.confined, Some(true));
    assert_eq!(lines, ["yes", "no"]);
}

/// Issue 20: `kubectl config view --raw` put the ambient credentials into
/// the journal and the export.
#[tokio::test]
async fn credentials_in_a_config_view_never_reach_screen_excerpt_or_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("out.log");
    let (tx, rx) = mpsc::channel(64);
    let script = "printf 'users:\\n- name: a\\n  user:\\n    token: s3cr3t-ambient\\n    client-key-data: S0VZ\\n'";
    let mut p = planned(&["sh", "-c", script], true, false);
    p.redact = crate::argv::redact::Redact::Credentials;
    let output = OutputFile {
        path: path.clone(),
        name: "output/out.log".into(),
    };
    start(
        &p,
        &[],
        through(&[], ()),
        false,
        Duration::from_secs(30),
        Some(output),
        tx,
    );
    let (lines, finish) = collect(rx).await;
    let kept = std::fs::read_to_string(&path).expect("output file");
    for text in [lines.join("\n"), finish.journal_excerpt(), kept] {
        assert!(!text.contains("s3cr3t-ambient"), "{text}");
        assert!(!text.contains("S0VZ"), "{text}");
        assert!(text.contains("token: REDACTED"), "{text}");
        assert!(text.contains("client-key-data: REDACTED"), "{text}");
    }
}

#[tokio::test]
async fn read_only_mode_names_the_flag_that_leaves_the_cluster() {
    let dir = tempfile::tempdir().expect("tempdir");
    let marker = dir.path().join("ran");
    let (tx, rx) = mpsc::channel(16);
    let argv = ["touch", marker.to_str().expect("utf8")];
    // Even a command otherwise known to read.
    let mut p = planned(&argv, true, false);
    p.outside = Some("--kubeconfig".into());
    start(&p, &[], sealed(), true, Duration::from_secs(30), None, tx);
    let (_, finish) = collect(rx).await;
    let error = finish.error.expect("refused");
    assert!(error.contains("`--kubeconfig`"), "{error}");
    assert!(!marker.exists(), "the command never ran");
}

/// Whether a process is alive: it exists and is not a zombie waiting for a
/// parent (this machine's init may not reap them).
fn alive(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // `pid (comm) S ...`: the state follows the last `)`.
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| !rest.trim_start().starts_with(['Z', 'X'])),
        Err(_) => false,
    }
}

/// The live processes of a process group.
fn group_members(pgid: i32) -> Vec<i32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
                stat.rsplit_once(')').is_some_and(|(_, rest)| {
                    let fields: Vec<&str> = rest.split_whitespace().collect();
                    // state, ppid, pgrp
                    fields.get(2).and_then(|g| g.parse::<i32>().ok()) == Some(pgid)
                        && !matches!(fields.first(), Some(&("Z" | "X")))
                })
            })
        })
        .collect()
}

/// Waits (bounded) for a condition on processes that die asynchronously
/// after a signal; the bound only matters when the code under test is wrong.
async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("still not true after 10 s: {what}");
}

/// `x` on a command whose shell started children of its own: the whole
/// process group goes, none is left behind as an orphan.
#[tokio::test]
async fn cancel_stops_the_whole_process_group() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let script = dir.path().join("two-sleeps");
    std::fs::write(
        &script,
        "#!/bin/sh\necho $$\nsleep 1000 &\necho $!\nsleep 1000 &\necho $!\nwait\n",
    )
    .expect("script");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let (tx, mut rx) = mpsc::channel(16);
    let p = planned(&[script.to_str().expect("utf-8")], true, false);
    let mut running = start(&p, &[], sealed(), false, Duration::from_secs(60), None, tx);
    let mut pids = Vec::new();
    while pids.len() < 3 {
        match rx.recv().await {
            Some(RunEvent::Line(l)) => {
                if let Ok(pid) = l.trim().parse::<i32>() {
                    pids.push(pid);
                }
            }
            other => panic!("the script ended early: {other:?}"),
        }
    }
    let shell = pids[0];
    running.cancel();
    let (_, finish) = collect(rx).await;
    assert!(finish.cancelled);
    let cleanup = || {
        for pid in &pids {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(*pid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
    };
    let children = pids[1..].to_vec();
    let orphans = async {
        eventually("the shell's children are gone", || {
            !children.iter().any(|p| alive(*p))
        })
        .await;
        eventually("its process group is empty", || {
            group_members(shell).is_empty()
        })
        .await;
    };
    let outcome = futures::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(orphans)).await;
    cleanup();
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// #24 (20): an output whose last line is empty said "(1 earlier lines
/// left out)" when nothing was.
#[test]
fn nothing_left_out_is_not_said_to_be() {
    let finish = |excerpt: &str, lines: usize| Finish {
        exit_code: Some(0),
        timed_out: false,
        cancelled: false,
        error: None,
        excerpt: excerpt.into(),
        lines,
        output_file: Some("output/x.log".into()),
        confined: None,
    };
    assert_eq!(finish("a\nb\n", 3).journal_excerpt(), "a\nb\n");
    assert_eq!(finish("", 1).journal_excerpt(), "");
    assert!(
        finish("b\n", 3)
            .journal_excerpt()
            .starts_with("(1 earlier lines left out")
    );
}
