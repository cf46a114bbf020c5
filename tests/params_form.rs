//! The params form (home screen, `run`, `run --alert`): no error before a
//! field was touched, errors wrapped rather than cut, names offered from
//! the cluster (the simulator here) as they are typed, and `run` without
//! its required `--set` opening the form in a terminal.

#[allow(dead_code)] // the pty helpers this file does not need
#[path = "support/pty.rs"]
mod pty;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use runbook::app::home::state::{Choice, HomeState};
use runbook::app::home::suggest::{self, Names};
use runbook::cluster::connect::ClusterConfig;
use runbook::playbook::catalog::Catalog;
use runbook::sim::{SimHandle, Simulator};
use runbook::tui::theme::Theme;

fn form(given: &[(&str, &str)]) -> HomeState {
    let entry = Catalog::load(&[])
        .get("pod-crashloop")
        .cloned()
        .expect("built-in");
    let given = given
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut h = HomeState::form_for(entry, given, None);
    h.context = Some("prod-eu1".into());
    h
}

fn press(h: &mut HomeState, code: KeyCode) {
    h.on_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn typed(h: &mut HomeState, text: &str) {
    for c in text.chars() {
        press(h, KeyCode::Char(c));
    }
}

fn screen(h: &HomeState) -> String {
    let (w, rows) = (80, 24);
    let mut t = Terminal::new(TestBackend::new(w, rows)).expect("terminal");
    t.draw(|f| runbook::app::home::view::view(h, &Theme::default(), f))
        .expect("draw");
    let b = t.backend().buffer().clone();
    (0..rows)
        .map(|y| {
            (0..w)
                .map(|x| b[(x, y)].symbol().to_string())
                .collect::<String>()
                .trim_end()
                .to_string()
                + "\n"
        })
        .collect()
}

fn value(h: &HomeState, field: usize) -> String {
    h.form.as_ref().expect("form").fields[field].value()
}

#[test]
fn no_error_before_a_field_is_touched_then_on_leaving_or_submitting() {
    let mut h = form(&[]);
    let s = screen(&h);
    assert!(!s.contains("a value is required"), "{s}");
    assert!(
        s.contains("│  required"),
        "says what is needed, quietly:\n{s}"
    );
    insta::assert_snapshot!("params_form_untouched_80x24", s);
    // Leaving the field touches it.
    press(&mut h, KeyCode::Tab);
    let s = screen(&h);
    assert_eq!(s.matches("a value is required").count(), 1, "{s}");
    // Submitting touches every field, and starts nothing.
    press(&mut h, KeyCode::Enter);
    assert_eq!(screen(&h).matches("a value is required").count(), 2);
    assert_eq!(h.choice, None);
    assert_eq!(
        h.form.as_ref().map(|f| f.focus),
        Some(0),
        "back to the first"
    );
}

#[test]
fn a_wrong_value_given_on_the_command_line_shows_its_error_at_once() {
    let h = form(&[("namespace", "Shop")]);
    let s = screen(&h);
    assert!(s.contains("must be a DNS label"), "{s}");
}

#[test]
fn the_dns_label_error_wraps_instead_of_being_cut() {
    let mut h = form(&[]);
    typed(&mut h, "Shop!");
    let s = screen(&h);
    assert!(
        s.contains(
            "│  must be a DNS label: lowercase letters, digits and '-', starting and ending │"
        ) && s.contains("│  with a letter or digit"),
        "{s}"
    );
    insta::assert_snapshot!("params_form_dns_error_80x24", s);
}

fn names() -> Names {
    Names {
        namespaces: vec!["default".into(), "shop".into(), "staging".into()],
        nodes: vec!["node-a".into()],
        deployments: vec![
            ("shop".into(), "cart".into()),
            ("shop".into(), "checkout".into()),
            ("staging".into(), "search".into()),
        ],
        owner: None,
    }
}

#[test]
fn cluster_names_are_offered_and_taken_as_typed() {
    let mut h = form(&[("namespace", "shop")]);
    assert!(h.wants_names(), "the form asks for the cluster's names");
    h.set_names(Ok(names()));
    let s = screen(&h);
    assert!(
        s.contains("│  in the cluster:  cart  checkout"),
        "the deployments of namespace shop:\n{s}"
    );
    assert!(s.contains("→ takes cart"), "{s}");
    insta::assert_snapshot!("params_form_names_80x24", s);
    typed(&mut h, "ch");
    press(&mut h, KeyCode::Tab);
    assert_eq!(value(&h, 1), "checkout", "tab completes a name begun");
    assert_eq!(h.form.as_ref().map(|f| f.focus), Some(1));
    press(&mut h, KeyCode::Up);
    // Right at the end of the text takes the highlighted one; ctrl-n moves on.
    for _ in 0..4 {
        press(&mut h, KeyCode::Backspace);
    }
    assert!(screen(&h).contains("in the cluster:  default  shop  staging"));
    for _ in 0..2 {
        h.on_key(KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL));
    }
    press(&mut h, KeyCode::Right);
    assert_eq!(value(&h, 0), "staging");
    press(&mut h, KeyCode::Enter);
    assert_eq!(
        h.choice,
        Some(Choice::Run {
            playbook: "pod-crashloop".into(),
            params: vec![
                ("namespace".into(), "staging".into()),
                ("deployment".into(), "checkout".into())
            ],
            alert: None,
        })
    );
}

#[test]
fn without_a_cluster_the_form_says_nothing_about_it() {
    let mut h = form(&[("namespace", "shop")]);
    h.set_names(Err("no kubeconfig found".into()));
    let s = screen(&h);
    assert!(
        !s.contains("in the cluster") && !s.contains("kubeconfig"),
        "{s}"
    );
    typed(&mut h, "checkout");
    press(&mut h, KeyCode::Enter);
    assert!(matches!(h.choice, Some(Choice::Run { .. })));
}

async fn simulator(dir: &Path) -> (SimHandle, PathBuf) {
    let scenario = runbook::sim::load("checkout-oom").expect("scenario");
    let sim = Simulator::start(scenario, SocketAddr::from(([127, 0, 0, 1], 0)), None)
        .await
        .expect("simulator");
    let kubeconfig = dir.join("kubeconfig");
    sim.write_kubeconfig(&kubeconfig).expect("kubeconfig");
    (sim, kubeconfig)
}

#[tokio::test]
async fn the_names_come_from_the_cluster_the_session_would_use() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_sim, kubeconfig) = simulator(dir.path()).await;
    let names = suggest::fetch(
        ClusterConfig {
            kubeconfig: Some(kubeconfig),
            context: None,
        },
        None,
    )
    .await
    .expect("names");
    assert!(names.namespaces.contains(&"shop".to_string()), "{names:?}");
    assert_eq!(names.nodes, ["node-a", "node-b"]);
    assert_eq!(
        names.candidates(suggest::Kind::Deployment, "", Some("shop")),
        ["checkout", "frontend"]
    );
    let none = suggest::fetch(
        ClusterConfig {
            kubeconfig: Some(dir.path().join("missing")),
            context: None,
        },
        None,
    )
    .await;
    assert!(none.is_err(), "no kubeconfig, no names: {none:?}");
}

/// The simulator on a runtime of its own, a data dir, and the real binary
/// started in a terminal against them.
struct SimTerminal {
    dir: tempfile::TempDir,
    runtime: tokio::runtime::Runtime,
    _sim: SimHandle,
    kubeconfig: PathBuf,
}

impl SimTerminal {
    fn start() -> SimTerminal {
        let dir = tempfile::tempdir().expect("tempdir");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let (sim, kubeconfig) = runtime.block_on(simulator(dir.path()));
        SimTerminal {
            dir,
            runtime,
            _sim: sim,
            kubeconfig,
        }
    }

    fn spawn(&self, args: &[&str], cols: u16, rows: u16) -> pty::Pty {
        let data = self.dir.path().display().to_string();
        let config = self.dir.path().join("config").display().to_string();
        let kubeconfig = self.kubeconfig.display().to_string();
        let env = [
            ("RUNBOOK_DATA_DIR", data.as_str()),
            ("RUNBOOK_CONFIG_DIR", config.as_str()),
            ("KUBECONFIG", kubeconfig.as_str()),
        ];
        let bin = PathBuf::from(env!("CARGO_BIN_EXE_runbook"));
        pty::Pty::spawn(&bin, args, &env, cols, rows)
    }
}

/// The real binary in a terminal: `run` without a required `--set` opens
/// the form filled with what was given, offers the simulator's names, and
/// starts the session with what was typed.
#[test]
fn run_without_its_required_params_asks_in_the_form() {
    let cluster = SimTerminal::start();
    let args = ["run", "pod-crashloop", "--set", "namespace=shop"];
    let mut t = cluster.spawn(&args, 80, 24);
    let s = t.wait_for("in the cluster:  checkout  frontend");
    assert!(s.contains("Pod in CrashLoopBackOff needs:"), "{s}");
    assert!(s.contains("│shop"), "filled with what was given:\n{s}");
    assert!(!s.contains("a value is required"), "{s}");
    t.type_keys("che\t");
    t.wait_for("│checkout");
    t.send(pty::keys::ENTER);
    t.wait_for("Confirm the symptom");
    t.type_keys("q");
    t.wait_for("Quit runbook?");
    t.type_keys("y");
    assert!(
        t.wait_exit(Duration::from_secs(10))
            .is_some_and(|s| s.success())
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["sessions", "--json"])
        .env("RUNBOOK_DATA_DIR", cluster.dir.path())
        .output()
        .expect("sessions");
    let sessions: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(sessions[0]["playbook"], "pod-crashloop");
}

/// A pod of `deployment` in namespace shop, as the simulator named it.
async fn pod_of(kubeconfig: &Path, deployment: &str) -> String {
    let cfg = ClusterConfig {
        kubeconfig: Some(kubeconfig.to_path_buf()),
        context: None,
    };
    let client = runbook::cluster::connect::connect(&cfg)
        .await
        .expect("connect")
        .client;
    let pods: kube::Api<k8s_openapi::api::core::v1::Pod> = kube::Api::namespaced(client, "shop");
    let list = pods.list_metadata(&Default::default()).await.expect("pods");
    list.items
        .into_iter()
        .filter_map(|p| p.metadata.name)
        .find(|n| n.starts_with(&format!("{deployment}-")))
        .unwrap_or_else(|| panic!("no pod of {deployment}"))
}

/// #24 (18): kube-prometheus alerts carry `pod`, not `deployment`. The
/// pod's Deployment is looked up from the cluster (pod → ReplicaSet →
/// Deployment, by controller references); a pod with none gives nothing.
#[tokio::test]
async fn the_deployment_of_an_alerts_pod_is_looked_up_from_the_cluster() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_sim, kubeconfig) = simulator(dir.path()).await;
    let pod = pod_of(&kubeconfig, "checkout").await;
    let cfg = ClusterConfig {
        kubeconfig: Some(kubeconfig),
        context: None,
    };
    let names = suggest::fetch(cfg.clone(), Some(("shop".into(), pod.clone())))
        .await
        .expect("names");
    let owner = names.owner.expect("the pod's owner");
    assert_eq!(owner.deployment, "checkout");
    assert!(
        pod.starts_with(&owner.replicaset) && owner.replicaset.starts_with("checkout-"),
        "{owner:?}"
    );
    let gone = suggest::fetch(cfg, Some(("shop".into(), "no-such-pod".into())))
        .await
        .expect("the names, still");
    assert_eq!(gone.owner, None);
    assert!(!gone.namespaces.is_empty());
}

/// #24 (18): the form opened by an alert fills the deployment its pod
/// belongs to and says it came from the cluster; typing over it drops that.
#[test]
fn the_form_fills_the_deployment_from_the_cluster_and_says_so() {
    let entry = Catalog::load(&[])
        .get("pod-crashloop")
        .cloned()
        .expect("built-in");
    let page = serde_json::json!([{
        "labels": {"alertname": "KubePodCrashLooping", "namespace": "shop", "pod": "checkout-6d8f9-x2k4q"},
        "annotations": {}, "startsAt": "2025-11-25T07:00:00Z", "fingerprint": "0123456789abcdef",
    }]);
    let alert = runbook::alerts::payload::parse(&page.to_string(), "t")
        .expect("alert")
        .remove(0);
    let mut h = HomeState::form_for(
        entry,
        vec![("namespace".into(), "shop".into())],
        Some(alert),
    );
    assert_eq!(
        h.pod_to_look_up(),
        Some(("shop".into(), "checkout-6d8f9-x2k4q".into()))
    );
    let mut found = names();
    found.owner = Some(suggest::PodOwner {
        namespace: "shop".into(),
        pod: "checkout-6d8f9-x2k4q".into(),
        replicaset: "checkout-6d8f9".into(),
        deployment: "checkout".into(),
    });
    h.set_names(Ok(found));
    assert_eq!(value(&h, 1), "checkout");
    let s = screen(&h);
    assert!(
        s.contains("ok, from the cluster: pod checkout-6d8f9-x2k4q → ReplicaSet")
            && s.contains("Deployment checkout"),
        "{s}"
    );
    assert_eq!(h.pod_to_look_up(), None, "nothing left to look up");
    press(&mut h, KeyCode::Enter);
    let Some(Choice::Run { params, .. }) = h.choice.clone() else {
        panic!("no run: {:?}", h.choice)
    };
    assert_eq!(
        params[1],
        ("deployment".to_string(), "checkout".to_string())
    );
}

/// The real binary: `run --alert` with a kube-prometheus page (pod, no
/// deployment) against the simulator fills the deployment from the
/// cluster, and enter starts the session on it.
#[test]
fn run_alert_with_only_a_pod_label_finds_its_deployment() {
    let cluster = SimTerminal::start();
    let pod = cluster
        .runtime
        .block_on(pod_of(&cluster.kubeconfig, "checkout"));
    let page = cluster.dir.path().join("page.json");
    let alert = serde_json::json!({
        "labels": {"alertname": "KubePodCrashLooping", "namespace": "shop", "pod": pod},
        "annotations": {}, "startsAt": "2025-11-25T07:00:00Z", "fingerprint": "0123456789abcdef",
    });
    std::fs::write(&page, alert.to_string()).expect("page");
    let page = page.display().to_string();
    let mut t = cluster.spawn(&["run", "--alert", &page], 120, 30);
    let s = t.wait_for("Deployment checkout");
    assert!(s.contains("from the cluster: pod"), "{s}");
    t.send(pty::keys::ENTER);
    t.wait_for("Confirm the symptom");
    t.type_keys("q");
    t.wait_for("Quit runbook?");
    t.type_keys("y");
    assert!(
        t.wait_exit(Duration::from_secs(10))
            .is_some_and(|s| s.success())
    );
}
