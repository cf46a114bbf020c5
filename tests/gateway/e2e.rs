//! The real binary in a pseudo-terminal: `runbook run P --kubeconfig F
//! --context ctx-a` while F's current context is ctx-b and the ambient
//! KUBECONFIG is F too. `r` runs a watch (while it runs, its credential is
//! read from the session's folder) and then a rollout restart. The change
//! lands on ctx-a only, is journaled as `api_write` and exported, and the
//! token is nowhere on screen, in the journal, the log or the export.

#[allow(dead_code)]
#[path = "../support/pty.rs"]
mod pty;

use std::process::{Child, Command, Stdio};

use pty::{Pty, keys};

use super::*;

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_runbook"))
}

/// `runbook sim` in its own process, as a real cluster would be.
struct SimProcess {
    child: Child,
    server: String,
    audit: PathBuf,
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn sim_process(dir: &Path, name: &str) -> SimProcess {
    let kubeconfig = dir.join(format!("{name}.kubeconfig"));
    let audit = dir.join(format!("{name}.audit"));
    let child = Command::new(bin())
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
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("runbook sim");
    let deadline = std::time::Instant::now() + PATIENCE;
    let text = loop {
        if let Ok(text) = std::fs::read_to_string(&kubeconfig)
            && text.contains("current-context")
        {
            break text;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no kubeconfig from runbook sim"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let server = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("server: "))
        .expect("a server line")
        .to_string();
    SimProcess {
        child,
        server,
        audit,
    }
}

const PLAYBOOK: &str = r#"apiVersion: runbook/v1
kind: Playbook
metadata: { name: gateway-e2e, title: Change through the gateway }
start: act
steps:
  - id: act
    title: Change the cluster
    commands:
      - run: kubectl -n shop get pods --watch
      - run: kubectl -n shop rollout restart deployment/checkout
    outcome: mitigated
"#;

fn files_named(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect()
}

#[test]
fn a_changing_command_reaches_the_sessions_context_and_is_journaled() {
    require_kubectl!();
    let dir = tempfile::tempdir().expect("tempdir");
    let a = sim_process(dir.path(), "a");
    let b = sim_process(dir.path(), "b");
    let kubeconfig = dir.path().join("two.kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1
kind: Config
clusters:
- {{ name: a, cluster: {{ server: '{}' }} }}
- {{ name: b, cluster: {{ server: '{}' }} }}
users:
- {{ name: drill, user: {{ token: drill-token }} }}
contexts:
- {{ name: ctx-a, context: {{ cluster: a, user: drill, namespace: shop }} }}
- {{ name: ctx-b, context: {{ cluster: b, user: drill, namespace: shop }} }}
current-context: ctx-b
",
            a.server, b.server
        ),
    )
    .expect("kubeconfig");
    let data = dir.path().join("data");
    let playbooks = data.join("config").join("playbooks");
    std::fs::create_dir_all(&playbooks).expect("playbooks dir");
    std::fs::write(playbooks.join("gateway-e2e.yaml"), PLAYBOOK).expect("playbook");
    let kc = kubeconfig.display().to_string();
    let data_dir = data.display().to_string();
    let config_dir = data.join("config").display().to_string();
    // The playbook's commands run `kubectl` by name: the built one first.
    let path = kube_support::path_var();
    let mut t = Pty::spawn(
        &bin(),
        &[
            "run",
            "gateway-e2e",
            "--kubeconfig",
            &kc,
            "--context",
            "ctx-a",
        ],
        &[
            ("RUNBOOK_DATA_DIR", &data_dir),
            ("RUNBOOK_CONFIG_DIR", &config_dir),
            ("PATH", &path),
            // The ambient kubeconfig points at ctx-b: nothing may read it.
            ("KUBECONFIG", &kc),
        ],
        160,
        48,
    );
    t.wait_for("[live]");

    // The watch: while it runs, its credential is in the session's folder.
    t.type_keys("r");
    t.wait_for("get pods --watch");
    t.type_keys("y");
    t.wait_for("checkout-6d8f9c7b5");
    let sessions = data.join("sessions");
    let session = std::fs::read_dir(&sessions)
        .expect("sessions")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.is_dir())
        .expect("a session folder");
    let credentials = files_named(&session, ".kubeconfig");
    assert_eq!(credentials.len(), 1, "{credentials:?}");
    let (_, token) = server_of(&credentials[0]);
    let text = std::fs::read_to_string(&credentials[0]).expect("credential");
    assert!(text.contains("\"current-context\":\"ctx-a\""), "{text}");
    t.type_keys("x");
    t.wait_for(" stopped; journaled ");
    t.type_keys("\x1b");

    // The change.
    t.type_keys("jr");
    t.wait_for("This command may change the cluster.");
    t.type_keys("checkout");
    t.send(keys::ENTER);
    t.wait_for("deployment.apps/checkout restarted");
    t.wait_for("exit 0; journaled");
    t.type_keys("\x1b");
    t.type_keys("t");
    t.wait_for("API write PATCH deployments.apps/checkout in shop → 200");
    t.type_keys("\x1b");
    t.type_keys("qy");
    assert!(t.wait_exit(Duration::from_secs(10)).is_some());

    // ctx-a got the change; ctx-b heard nothing at all.
    assert!(
        mutating(&a.audit)
            .iter()
            .any(|(verb, path, status)| verb == "patch"
                && path.starts_with("/apis/apps/v1/namespaces/shop/deployments/checkout")
                && *status == 200),
        "{:?}",
        audit(&a.audit)
    );
    assert_eq!(audit(&b.audit), [], "ctx-b was never spoken to");

    let journal = std::fs::read_to_string(session.join("journal.jsonl")).expect("journal");
    let write = journal
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|r| r["type"] == "api_write")
        .unwrap_or_else(|| panic!("no api_write in {journal}"));
    assert_eq!(write["method"], "PATCH");
    assert_eq!(write["resource"], "deployments.apps");
    assert_eq!(write["name"], "checkout");
    assert_eq!(write["status"], 200);
    assert_eq!(
        write["by"],
        "kubectl -n shop rollout restart deployment/checkout"
    );

    let id = session.file_name().and_then(|n| n.to_str()).expect("id");
    let out = Command::new(bin())
        .args(["export", id])
        .env("RUNBOOK_DATA_DIR", &data)
        .output()
        .expect("export");
    let md = String::from_utf8(out.stdout).expect("utf8");
    assert!(
        md.contains("**API write** `PATCH deployments.apps/checkout in shop` → 200 by `kubectl -n shop rollout restart deployment/checkout`"),
        "{md}"
    );
    assert!(md.contains("## Changes to the cluster"), "{md}");

    let log = std::fs::read_to_string(data.join("runbook.log")).unwrap_or_default();
    let screen = String::from_utf8_lossy(&t.raw()).into_owned();
    for (what, text) in [
        ("screen", &screen),
        ("journal", &journal),
        ("log", &log),
        ("export", &md),
    ] {
        assert!(!text.contains(&token), "the token is in the {what}");
    }
    assert_eq!(
        files_named(&session, ".kubeconfig"),
        Vec::<PathBuf>::new(),
        "credentials go with their commands"
    );
}
