//! The app's side: the record, the export and the status line, and the
//! real binary in a read-only session.

use std::path::PathBuf;
use std::time::Duration;

use runbook::exec::runner::{Finish, RunEvent};

use crate::{PATIENCE, need, pty, ui};

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
    // The command typed below runs `kubectl` by name: the built one first.
    let path = crate::kube_support::path_var();
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
        &[
            ("RUNBOOK_DATA_DIR", &data),
            ("RUNBOOK_CONFIG_DIR", &config),
            ("PATH", &path),
        ],
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
