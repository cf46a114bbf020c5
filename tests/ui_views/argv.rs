//! What a command line may do, seen from the app: a command that reaches
//! outside the session's cluster needs a typed reason (journaled, exported)
//! and is refused in read-only mode; the typed confirmation asks for the
//! target, never the verb; a playbook's placeholder does not run.

use ratatui::crossterm::event::KeyCode;
use runbook::app::components::Overlay;
use runbook::app::model::{Effect, Msg};
use runbook::engine::Event;
use runbook::exec::runner::{Finish, RunEvent};

use super::color;
use super::ui::Driver;

const PLAYBOOK: &str = r#"
apiVersion: runbook/v1
kind: Playbook
metadata: { name: argv, title: Argv }
params: [ { name: namespace, required: true } ]
start: a
steps:
  - id: a
    title: A
    commands:
      - run: kubectl cordon NODE
      - run: watch -g kubectl get pods ; kubectl --kubeconfig=ambient delete pod x
    outcome: mitigated
"#;

const ELSEWHERE: &str = "kubectl --kubeconfig /tmp/other.kubeconfig --context prod-a -n shop annotate deployment checkout x=y";

fn confirm(d: &Driver) -> &runbook::app::components::ConfirmRun {
    match d.state.overlays.last() {
        Some(Overlay::ConfirmRun(c)) => c,
        _ => panic!("no confirmation window"),
    }
}

fn finish(d: &mut Driver) {
    let id = d.last_request();
    d.send(Msg::Command {
        id,
        event: RunEvent::Finished(Finish {
            exit_code: Some(0),
            timed_out: false,
            cancelled: false,
            error: None,
            excerpt: String::new(),
            lines: 0,
            output_file: None,
            confined: None,
        }),
    });
}

/// Issue 19: "asks Type checkout and changes prod-a; nothing in the journal
/// or the export shows it".
#[test]
fn a_command_naming_another_cluster_needs_a_reason_that_is_journaled_and_exported() {
    let mut d = Driver::new(PLAYBOOK, color());
    d.keys(":");
    d.keys(&format!("{ELSEWHERE}\n"));
    assert_eq!(confirm(&d).planned.outside.as_deref(), Some("--kubeconfig"));
    let screen = d.screen(120, 30);
    assert!(
        screen.contains("It reaches outside the session's cluster: `--kubeconfig`"),
        "{screen}"
    );
    d.keys("checkout\n");
    // The name alone does not run it: a reason is asked for.
    assert!(
        !d.effects
            .iter()
            .any(|e| matches!(e, Effect::RunCommand { .. }))
    );
    let screen = d.screen(120, 30);
    assert!(
        screen.contains("Why must it reach outside the session's cluster?"),
        "{screen}"
    );
    d.keys("\n");
    assert!(
        matches!(d.state.overlays.last(), Some(Overlay::ConfirmRun(_))),
        "an empty reason does not run it"
    );
    d.keys("prod-a needs the same hotfix\n");
    assert!(
        d.effects
            .iter()
            .any(|e| matches!(e, Effect::RunCommand { .. }))
    );
    finish(&mut d);
    let outside = d
        .state
        .session
        .records()
        .iter()
        .find_map(|r| match &r.event {
            Event::Command { outside, .. } => Some(outside.clone()),
            _ => None,
        })
        .expect("a command record");
    assert_eq!(outside.as_deref(), Some("prod-a needs the same hotfix"));
    let md = runbook::journal::export::markdown("s", &d.state.session);
    assert!(
        md.contains("**outside the session's cluster**: prod-a needs the same hotfix"),
        "{md}"
    );
}

#[test]
fn read_only_mode_refuses_a_command_naming_another_cluster_and_names_the_flag() {
    let mut d = Driver::new(PLAYBOOK, color());
    d.state.read_only = true;
    d.keys(":");
    d.keys("kubectl get pods --kubeconfig=EVIL\n");
    assert!(d.state.overlays.is_empty(), "refused: nothing to confirm");
    let screen = d.screen(120, 30);
    assert!(
        screen.contains("refused: read-only mode: `--kubeconfig`"),
        "{screen}"
    );
}

/// Issue 20: `watch` without -x skipped the typed confirmation.
#[test]
fn a_shell_in_disguise_asks_for_a_typed_confirmation_and_is_refused_read_only() {
    let mut d = Driver::new(PLAYBOOK, color());
    d.keys("jr");
    assert!(confirm(&d).planned.mutating, "typed, not y");
    let mut d = Driver::new(PLAYBOOK, color());
    d.keys(":");
    d.keys("watch -g kubectl get pods ; kubectl --kubeconfig=AMBIENT delete pod X\n");
    assert!(confirm(&d).planned.mutating, "typed, not y");
    let mut d = Driver::new(PLAYBOOK, color());
    d.state.read_only = true;
    d.keys("jr");
    assert!(d.state.overlays.is_empty());
    let screen = d.screen(160, 30);
    assert!(screen.contains("refused: read-only mode"), "{screen}");
    d.keys(":");
    d.keys("watch -x kubectl get pods\n");
    assert!(
        matches!(d.state.overlays.last(), Some(Overlay::ConfirmRun(_))),
        "watch -x runs kubectl itself: a read"
    );
}

/// Issue 19: "Type delete" and "Type apply".
#[test]
fn the_typed_confirmation_asks_for_the_target_and_lists_a_files_objects() {
    let mut d = Driver::new(PLAYBOOK, color());
    d.keys(":");
    d.keys("kubectl -n shop delete pods --field-selector=status.phase=Failed\n");
    assert_eq!(confirm(&d).planned.confirm_word, "status.phase=Failed");
    let screen = d.screen(100, 30);
    assert!(
        screen.contains("Type status.phase=Failed and press enter"),
        "{screen}"
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("x.yaml");
    std::fs::write(
        &file,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web, namespace: shop }\n---\n\
         apiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: shop }\n",
    )
    .expect("write");
    let path = file.to_str().expect("utf-8").to_string();
    let mut d = Driver::new(PLAYBOOK, color());
    d.keys(":");
    d.keys(&format!("kubectl apply -f {path}\n"));
    assert_eq!(confirm(&d).planned.confirm_word, path);
    let screen = d.screen(200, 40);
    assert!(
        screen.contains(&format!("The objects in {path}:")),
        "{screen}"
    );
    assert!(
        screen.contains("Deployment/web (namespace shop)"),
        "{screen}"
    );
    assert!(screen.contains("Service/web (namespace shop)"), "{screen}");
    d.keys(&format!("{path}\n"));
    assert!(
        d.effects
            .iter()
            .any(|e| matches!(e, Effect::RunCommand { .. }))
    );
}

/// Issue 19: "`kubectl cordon NODE` runs as written (Type NODE, then
/// nodes "NODE" not found)".
#[test]
fn a_placeholder_does_not_run_until_edited() {
    let mut d = Driver::new(PLAYBOOK, color());
    d.keys("r");
    assert!(d.state.overlays.is_empty(), "nothing to confirm");
    let screen = d.screen(120, 30);
    assert!(
        screen.contains("edit this command first: NODE is a placeholder"),
        "{screen}"
    );
    d.keys("e");
    d.keys("\n");
    assert!(
        matches!(d.state.overlays.last(), Some(Overlay::CommandLine(_))),
        "the placeholder is still there"
    );
    for _ in 0.."NODE".len() {
        d.key(KeyCode::Backspace);
    }
    d.keys("node-b\n");
    assert_eq!(confirm(&d).planned.confirm_word, "node-b");
}
