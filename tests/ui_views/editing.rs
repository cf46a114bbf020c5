//! Commands the responder edits (`e`), types (`:`), or must give a value
//! for (`ask:`): the same argv rules, confirmation, read-only refusal and
//! journal as a playbook command.

use ratatui::crossterm::event::KeyCode;
use runbook::app::components::Overlay;
use runbook::app::model::{Effect, Msg};
use runbook::exec::runner::{Finish, RunEvent};

use super::color;
use super::ui::Driver;

const PLAYBOOK: &str = r#"
apiVersion: runbook/v1
kind: Playbook
metadata: { name: fixit, title: Fix it }
params: [ { name: namespace, required: true } ]
start: fix
steps:
  - id: fix
    title: Fix
    commands:
      - run: kubectl -n {{ namespace }} get pods
      - run: kubectl -n {{ namespace }} set image deployment/cart cart={{ image }}
        ask:
          - name: image
            description: the image that exists in the registry
            pattern: "[a-z0-9./-]+:[a-zA-Z0-9._-]+"
    outcome: mitigated
"#;

fn planned_argv(d: &Driver) -> Vec<String> {
    match d.state.overlays.last() {
        Some(Overlay::ConfirmRun(c)) => c.planned.argv.clone(),
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

fn last_command(d: &Driver) -> (Vec<String>, Option<String>) {
    d.state
        .session
        .records()
        .iter()
        .rev()
        .find_map(|r| match &r.event {
            runbook::engine::Event::Command { argv, origin, .. } => {
                Some((argv.clone(), origin.clone()))
            }
            _ => None,
        })
        .expect("a command record")
}

#[test]
fn e_edits_the_selected_command_with_its_params_filled() {
    let mut d = Driver::new(PLAYBOOK, color());
    d.keys("e");
    let Some(Overlay::CommandLine(line)) = d.state.overlays.last() else {
        panic!("no editor")
    };
    assert_eq!(line.input.lines()[0], "kubectl -n shop get pods");
    d.keys(" -o wide\n");
    assert_eq!(
        planned_argv(&d),
        ["kubectl", "-n", "shop", "get", "pods", "-o", "wide"]
    );
    d.keys("y");
    finish(&mut d);
    assert_eq!(
        last_command(&d),
        (
            vec!["kubectl", "-n", "shop", "get", "pods", "-o", "wide"]
                .into_iter()
                .map(String::from)
                .collect(),
            Some("edited".into())
        )
    );
}

#[test]
fn a_typed_command_that_changes_the_cluster_needs_its_target_typed() {
    let mut d = Driver::new(PLAYBOOK, color());
    d.keys(":");
    d.keys("kubectl -n shop delete pod web-1\n");
    let Some(Overlay::ConfirmRun(c)) = d.state.overlays.last() else {
        panic!("no confirmation")
    };
    assert!(c.planned.mutating);
    d.keys("web-1\n");
    assert!(
        d.effects
            .iter()
            .any(|e| matches!(e, Effect::RunCommand { planned, .. } if planned.argv.last().map(String::as_str) == Some("web-1")))
    );
    finish(&mut d);
    assert_eq!(last_command(&d).1.as_deref(), Some("typed"));
    let md = runbook::journal::export::markdown("s", &d.state.session);
    assert!(md.contains("typed by the responder"), "{md}");
}

#[test]
fn a_typed_command_is_refused_in_read_only_mode() {
    let mut d = Driver::new(PLAYBOOK, color());
    d.state.read_only = true;
    d.keys(":");
    d.keys("kubectl -n shop delete pod web-1\n");
    assert!(d.state.overlays.is_empty());
    assert!(d.screen(100, 30).contains("refused: read-only mode"));
}

#[test]
fn a_command_with_an_ask_cannot_run_until_its_value_is_given() {
    let mut d = Driver::new(PLAYBOOK, color());
    d.key(KeyCode::Char('j'));
    d.keys("r");
    assert!(matches!(
        d.state.overlays.last(),
        Some(Overlay::AskValues(_))
    ));
    let screen = d.screen(100, 30);
    assert!(
        screen.contains("the image that exists in the registry"),
        "{screen}"
    );
    // A value failing the pattern is refused; the window stays.
    d.keys("REGISTRY/IMAGE:TAG\n");
    assert!(matches!(
        d.state.overlays.last(),
        Some(Overlay::AskValues(_))
    ));
    assert!(d.screen(100, 30).contains("must match the pattern"));
    for _ in 0.."REGISTRY/IMAGE:TAG".len() {
        d.key(KeyCode::Backspace);
    }
    d.keys("shop/cart:v2.3.1\n");
    // #24 (12): what was said of the wrong value goes with it.
    assert!(
        !d.screen(100, 30).contains("must match the pattern"),
        "a stale message in the footer"
    );
    assert_eq!(
        planned_argv(&d),
        [
            "kubectl",
            "-n",
            "shop",
            "set",
            "image",
            "deployment/cart",
            "cart=shop/cart:v2.3.1"
        ]
    );
    // Editing it instead leaves the placeholder, and it does not run.
    let mut d = Driver::new(PLAYBOOK, color());
    d.key(KeyCode::Char('j'));
    d.keys("e\n");
    assert!(matches!(
        d.state.overlays.last(),
        Some(Overlay::CommandLine(_))
    ));
    assert!(
        d.screen(100, 30)
            .contains("replace {{ image }} with a value first")
    );
}
