//! The kernel layer of read-only (issue 19, "Children cannot reach another
//! cluster"): commands run through the real runner with confinement on and
//! its argv check off, so nothing but Landlock stands between them and two
//! simulators on loopback. Each simulator's audit log is the proof of what
//! reached it. Every bypass also runs unconfined against a second pair of
//! simulators, where it must change something: the bypasses are real.
//!
//! Needs curl, python3, kubectl, sh, env and watch, and a kernel with Landlock
//! ABI 4+; a missing one fails the test unless `RUNBOOK_SKIP_CONFINE=1`.

#[allow(dead_code)]
#[path = "support/pty.rs"]
mod pty;
#[path = "support/ui.rs"]
mod ui;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use runbook::cluster::gateway::{Gateway, ReadOnly};
use runbook::exec::Planned;
use runbook::exec::runner::{self, Access, Finish, Policy, RunEvent};
use runbook::sim::{Scenario, SimHandle, Simulator};
use tokio::sync::mpsc;

const PATIENCE: Duration = Duration::from_secs(60);

/// How long a bypass that loops (`watch -g`) may run: it ends on its own
/// only when something changed, so confined it runs until this bound.
const LOOPING: Duration = Duration::from_secs(4);

const SHOP: &str = r#"
apiVersion: runbook/v1
kind: Scenario
metadata: { name: shop, params: { namespace: shop } }
objects:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: checkout, namespace: shop, labels: { app: checkout } }
    spec:
      replicas: 1
      selector: { matchLabels: { app: checkout } }
      template:
        metadata: { labels: { app: checkout } }
        spec: { containers: [ { name: checkout, image: "shop/checkout:v1" } ] }
  - apiVersion: v1
    kind: Pod
    metadata: { name: web-1, namespace: shop, labels: { app: web } }
    spec: { containers: [ { name: web, image: web:1 } ] }
    status: { phase: Running }
"#;

fn skip() -> bool {
    std::env::var_os("RUNBOOK_SKIP_CONFINE").is_some_and(|v| v == "1")
}

/// Fails loudly where a tool the proof needs is missing.
fn need(tools: &[&str]) -> bool {
    if skip() {
        eprintln!("skipped: RUNBOOK_SKIP_CONFINE=1");
        return false;
    }
    for tool in tools {
        let found = std::env::var_os("PATH")
            .is_some_and(|path| std::env::split_paths(&path).any(|d| d.join(tool).is_file()));
        assert!(
            found,
            "`{tool}` is needed for the confinement proof (RUNBOOK_SKIP_CONFINE=1 skips it)"
        );
    }
    assert_eq!(
        runbook::exec::confine::support(),
        &Ok(()),
        "this kernel cannot confine commands (RUNBOOK_SKIP_CONFINE=1 skips the proof)"
    );
    true
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

/// A cluster: a simulator writing its audit log, and a kubeconfig that
/// names it directly (the ambient credentials a bypass would use).
struct Cluster {
    sim: SimHandle,
    audit: PathBuf,
    kubeconfig: PathBuf,
}

async fn cluster(dir: &Path, name: &str) -> Cluster {
    let audit = dir.join(format!("{name}.audit"));
    let scenario = Scenario::from_yaml(SHOP, Path::new("test.yaml")).expect("scenario");
    let sim = Simulator::start(
        scenario,
        SocketAddr::from(([127, 0, 0, 1], 0)),
        Some(audit.clone()),
    )
    .await
    .expect("simulator");
    let kubeconfig = dir.join(format!("{name}.kubeconfig"));
    sim.write_kubeconfig(&kubeconfig).expect("kubeconfig");
    Cluster {
        sim,
        audit,
        kubeconfig,
    }
}

impl Cluster {
    fn port(&self) -> u16 {
        self.sim.addr().port()
    }

    /// The requests in its audit log that would change something.
    fn mutating(&self) -> Vec<String> {
        let text = std::fs::read_to_string(&self.audit).unwrap_or_default();
        text.lines()
            .filter(|l| {
                let verb = l.split_whitespace().nth(1).unwrap_or("");
                !matches!(verb, "get" | "list" | "watch")
            })
            .map(str::to_string)
            .collect()
    }
}

/// A read-only session's gateway in front of `cluster`.
async fn gateway_for(cluster: &Cluster) -> Gateway {
    let (gateway, _writes) = Gateway::start(ReadOnly::new(true)).await.expect("gateway");
    let kubeconfig =
        kube::config::Kubeconfig::from_yaml(&cluster.sim.kubeconfig_yaml()).expect("yaml");
    let config = kube::Config::from_custom_kubeconfig(kubeconfig, &Default::default())
        .await
        .expect("config");
    let epoch = gateway.connecting(Some("runbook-sim"), Some("shop"));
    gateway.connected(epoch, config, "shop");
    gateway
}

/// A credential from `gateway` as the app gives one to a command, and the
/// server URL (with its token) its kubeconfig names.
fn access(gateway: &Gateway, label: &str, dir: &Path) -> (Access, String) {
    let credential = gateway.issue(label, dir).expect("credential");
    let text = std::fs::read_to_string(credential.kubeconfig()).expect("kubeconfig");
    let config: serde_json::Value = serde_json::from_str(&text).expect("json");
    let server = config["clusters"][0]["cluster"]["server"]
        .as_str()
        .expect("server")
        .to_string();
    let access = Access::Gateway {
        env: credential.env(),
        secret: credential.secret().to_string(),
        held: Box::new(credential),
        port: gateway.addr().port(),
    };
    (access, server)
}

fn planned(argv: &[String]) -> Planned {
    Planned {
        argv: argv.to_vec(),
        mutating: false,
        read_only_safe: true,
        confirm_word: String::new(),
    }
}

/// Runs `argv` through the real runner: the argv check off, confinement
/// as asked. Its output and end.
async fn run(
    argv: &[String],
    access: Access,
    confine: bool,
    timeout: Duration,
) -> (String, Finish) {
    let (tx, mut rx) = mpsc::channel(256);
    let policy = Policy {
        read_only: false,
        confine,
    };
    // `watch` needs a terminal type to draw to a pipe.
    let env = vec![("TERM".to_string(), "xterm".to_string())];
    runner::start(&planned(argv), &env, access, policy, timeout, None, tx);
    let mut lines = Vec::new();
    let finish = tokio::time::timeout(PATIENCE + timeout, async {
        while let Some(event) = rx.recv().await {
            match event {
                RunEvent::Line(l) => lines.push(l),
                RunEvent::Finished(f) => return f,
            }
        }
        panic!("the runner ended without Finished");
    })
    .await
    .unwrap_or_else(|_| panic!("{argv:?} did not finish: {lines:?}"));
    (lines.join("\n"), finish)
}

fn argv(line: &[&str]) -> Vec<String> {
    line.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_confined_child_reaches_the_gateway_and_not_another_cluster() {
    if !need(&["curl", "python3"]) {
        return;
    }
    let rt = runtime();
    let dir = tempfile::tempdir().expect("tempdir");
    rt.block_on(async {
        let own = cluster(dir.path(), "own").await;
        let other = cluster(dir.path(), "other").await;
        let gateway = gateway_for(&own).await;

        let (through, server) = access(&gateway, "curl", dir.path());
        let (out, finish) = run(
            &argv(&["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", &format!("{server}/api/v1/namespaces")]),
            through,
            true,
            PATIENCE,
        )
        .await;
        assert_eq!((finish.exit_code, finish.confined), (Some(0), Some(true)), "{out}");
        assert!(out.ends_with("200"), "{out}");

        let url = format!("http://127.0.0.1:{}/api/v1/namespaces", other.port());
        let (through, _) = access(&gateway, "curl", dir.path());
        let (out, finish) = run(&argv(&["curl", "-sS", &url]), through, true, PATIENCE).await;
        // curl's 7: could not connect (the kernel answered EACCES).
        assert_eq!((finish.exit_code, finish.confined), (Some(7), Some(true)), "{out}");
        assert!(!out.contains("NamespaceList"), "{out}");
        // What the kernel answers a confined connect: EACCES.
        let (through, _) = access(&gateway, "python3", dir.path());
        let connect = format!(
            "import errno, socket\ntry:\n    socket.create_connection(('127.0.0.1', {}))\n    print('connected')\nexcept OSError as e:\n    print(errno.errorcode.get(e.errno, e.errno))",
            other.port()
        );
        let (out, _) = run(&argv(&["python3", "-c", &connect]), through, true, PATIENCE).await;
        assert_eq!(out, "EACCES");

        // The same curl unconfined reaches it: the refusal above is the kernel's.
        let (through, _) = access(&gateway, "curl", dir.path());
        let (out, finish) = run(&argv(&["curl", "-sS", &url]), through, false, PATIENCE).await;
        assert_eq!((finish.exit_code, finish.confined), (Some(0), None), "{out}");
        assert!(out.contains("NamespaceList"), "{out}");
    });
}

/// The bypasses of issues 19 and 20: each names a cluster of its own, so
/// the gateway never sees it. `own` is the session's cluster reached
/// directly, `other` another cluster.
fn bypasses(own: &Path, other: &Path) -> Vec<(Vec<String>, Duration)> {
    let (own, other) = (own.display(), other.display());
    let other_server = {
        let text = std::fs::read_to_string(other.to_string()).expect("kubeconfig");
        let at = text.find("server:").expect("a server line");
        text[at + 7..]
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let one = |line: &[&str]| (argv(line), PATIENCE);
    vec![
        one(&[
            "kubectl",
            "--kubeconfig",
            &other.to_string(),
            "--context",
            "runbook-sim",
            "-n",
            "shop",
            "annotate",
            "deployment",
            "checkout",
            "x=y",
        ]),
        one(&[
            "kubectl",
            "--server",
            &other_server,
            "-n",
            "shop",
            "annotate",
            "pod",
            "web-1",
            "s=1",
        ]),
        one(&[
            "kubectl",
            "--server",
            &other_server,
            "--token",
            "anything",
            "-n",
            "shop",
            "label",
            "pod",
            "web-1",
            "t=1",
        ]),
        one(&[
            "env",
            &format!("KUBECONFIG={other}"),
            "kubectl",
            "-n",
            "shop",
            "delete",
            "pod",
            "web-1",
        ]),
        (
            argv(&[
                "watch",
                "-t",
                "-g",
                "-n",
                "0.2",
                "kubectl",
                "get",
                "pods",
                ";",
                "kubectl",
                &format!("--kubeconfig={own}"),
                "-n",
                "shop",
                "delete",
                "deployment",
                "checkout",
            ]),
            LOOPING,
        ),
        one(&[
            "sh",
            "-c",
            &format!("kubectl --kubeconfig {own} -n shop delete pod web-1"),
        ]),
    ]
}

#[test]
fn in_a_read_only_session_no_bypass_reaches_either_cluster() {
    if !need(&["kubectl", "sh", "env", "watch"]) {
        return;
    }
    let rt = runtime();
    let dir = tempfile::tempdir().expect("tempdir");
    rt.block_on(async {
        let own = cluster(dir.path(), "own").await;
        let other = cluster(dir.path(), "other").await;
        let gateway = gateway_for(&own).await;
        for (line, timeout) in bypasses(&own.kubeconfig, &other.kubeconfig) {
            let (through, _) = access(&gateway, &line.join(" "), dir.path());
            let (out, finish) = run(&line, through, true, timeout).await;
            assert_eq!(finish.confined, Some(true), "{line:?}: {out}");
            assert!(finish.error.is_none(), "{line:?} did not start: {finish:?}");
            assert_eq!(own.mutating(), Vec::<String>::new(), "{line:?}: {out}");
            assert_eq!(other.mutating(), Vec::<String>::new(), "{line:?}: {out}");
        }
        // Confined, kubectl still reads the session's cluster through the gateway.
        let (through, _) = access(&gateway, "kubectl get pods", dir.path());
        let (out, finish) = run(
            &argv(&["kubectl", "-n", "shop", "get", "pods"]),
            through,
            true,
            PATIENCE,
        )
        .await;
        assert_eq!(finish.exit_code, Some(0), "{out}");
        assert!(out.contains("web-1"), "{out}");
    });
}

#[test]
fn unconfined_each_bypass_does_change_a_cluster() {
    if !need(&["kubectl", "sh", "env", "watch"]) {
        return;
    }
    let rt = runtime();
    let dir = tempfile::tempdir().expect("tempdir");
    rt.block_on(async {
        let own = cluster(dir.path(), "own").await;
        let other = cluster(dir.path(), "other").await;
        let gateway = gateway_for(&own).await;
        let mut before = 0;
        for (line, _) in bypasses(&own.kubeconfig, &other.kubeconfig) {
            let (through, _) = access(&gateway, &line.join(" "), dir.path());
            let (out, finish) = run(&line, through, false, PATIENCE).await;
            let now = own.mutating().len() + other.mutating().len();
            assert!(now > before, "{line:?} changed nothing: {finish:?} {out}");
            before = now;
        }
    });
}

const TYPED: &str = r#"
apiVersion: runbook/v1
kind: Playbook
metadata: { name: look, title: Look }
start: look
steps:
  - id: look
    title: Look
    outcome: resolved
"#;

/// Where the kernel could not confine a command, its record says so and
/// so does the export's timeline.
#[test]
fn an_unconfined_command_is_marked_in_the_record_and_the_export() {
    use runbook::app::model::{Effect, Msg};
    let theme = runbook::tui::theme::Theme {
        color: false,
        ascii: true,
    };
    let mut d = ui::Driver::new(TYPED, theme);
    assert!(!d.screen(80, 24).contains("UNCONFINED"));
    d.keys(":");
    d.keys("kubectl -n shop get pods\n");
    d.keys("y");
    assert!(
        d.effects
            .iter()
            .any(|e| matches!(e, Effect::RunCommand { .. })),
        "the command did not start: {:?}",
        d.effects
    );
    let id = d.last_request();
    d.send(Msg::Command {
        id,
        event: RunEvent::Finished(Finish {
            exit_code: Some(0),
            timed_out: false,
            cancelled: false,
            error: None,
            excerpt: "runbook: unconfined: no Landlock".into(),
            lines: 1,
            output_file: None,
            confined: Some(false),
        }),
    });
    let confined = d
        .state
        .session
        .records()
        .iter()
        .rev()
        .find_map(|r| match &r.event {
            runbook::engine::Event::Command { confined, .. } => Some(*confined),
            _ => None,
        });
    assert_eq!(confined, Some(Some(false)));
    let screen = d.screen(80, 24);
    let status = screen
        .lines()
        .find(|l| l.contains("T+"))
        .unwrap_or_default();
    assert!(status.contains("UNCONFINED"), "{screen}");
    let export = runbook::journal::export::markdown("s", &d.state.session);
    assert!(
        export.contains("unconfined: the kernel could not hold it"),
        "{export}"
    );
}

/// The real binary: a read-only session runs kubectl through the gateway,
/// confined by the kernel, and journals that it was.
#[test]
fn a_read_only_session_runs_kubectl_confined_and_journals_it() {
    if !need(&["kubectl"]) {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_runbook"));
    let kubeconfig = dir.path().join("sim.kubeconfig");
    let audit = dir.path().join("sim.audit");
    let mut sim = std::process::Command::new(&bin)
        .args([
            "sim",
            "checkout-oom",
            "--listen",
            "127.0.0.1:0",
            "--kubeconfig",
        ])
        .arg(&kubeconfig)
        .arg("--audit-log")
        .arg(&audit)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("runbook sim");
    let started = std::time::Instant::now();
    // The file appears when the simulator listens; nothing to await but it.
    while !kubeconfig.exists() {
        assert!(
            started.elapsed() < PATIENCE,
            "runbook sim never wrote its kubeconfig"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let data = dir.path().display().to_string();
    let config = dir.path().join("config").display().to_string();
    let kc = kubeconfig.display().to_string();
    let mut t = pty::Pty::spawn(
        &bin,
        &[
            "run",
            "pod-crashloop",
            "--set",
            "namespace=shop",
            "--set",
            "deployment=checkout",
            "--kubeconfig",
            &kc,
            "--read-only",
        ],
        &[("RUNBOOK_DATA_DIR", &data), ("RUNBOOK_CONFIG_DIR", &config)],
        160,
        48,
    );
    t.wait_for("[live]");
    let screen = t.wait_for("READ-ONLY");
    assert!(!screen.contains("UNCONFINED"), "{screen}");
    t.type_keys(":");
    t.type_keys("kubectl -n shop get pods");
    t.send(pty::keys::ENTER);
    t.type_keys("y");
    let screen = t.wait_for("exit 0; journaled");
    assert!(screen.contains("checkout-"), "{screen}");
    t.type_keys("\x1b");
    t.type_keys("qy");
    assert!(t.wait_exit(PATIENCE).is_some());
    let _ = sim.kill();
    let _ = sim.wait();

    let sessions = dir.path().join("sessions");
    let journal = std::fs::read_dir(&sessions)
        .expect("sessions folder")
        .filter_map(Result::ok)
        .map(|e| e.path().join("journal.jsonl"))
        .find(|p| p.exists())
        .expect("a journal");
    let text = std::fs::read_to_string(&journal).expect("journal");
    let command = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|r| r.to_string().contains("\"get\",\"pods\""))
        .unwrap_or_else(|| panic!("no command record:\n{text}"));
    assert!(
        command.to_string().contains("\"confined\":true"),
        "{command}"
    );
}
