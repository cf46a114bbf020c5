//! Commands and actions: previewed, confirmed, refused when read-only.

use super::*;

const COMMANDS: &str = r#"
apiVersion: runbook/v1
kind: Playbook
metadata: { name: cmds, title: Commands }
params:
  - { name: namespace, required: true }
  - { name: deployment, required: true }
start: a
steps:
  - id: a
    title: A
    commands:
      - run: kubectl -n {{ namespace }} get pods
      - run: kubectl -n {{ namespace }} rollout restart deployment/{{ deployment }}
      - run: echo {{ deployment }}
    outcome: resolved
"#;

#[test]
fn a_mutating_command_needs_its_target_typed() {
    let mut d = Driver::new(COMMANDS, color());
    d.keys("jr");
    let screen = d.screen(80, 24);
    assert!(
        screen.contains("This command may change the cluster."),
        "{screen}"
    );
    assert!(screen.contains("Type checkout and press enter"), "{screen}");
    snap("confirm_mutating_80x24", screen);
    d.keys("checkou\n");
    assert!(
        matches!(
            d.state.overlays.last(),
            Some(runbook::app::components::Overlay::ConfirmRun { .. })
        ),
        "a wrong word does not run it"
    );
    d.keys("t\n");
    assert!(matches!(
        d.state.overlays.last(),
        Some(runbook::app::components::Overlay::Output { .. })
    ));
    assert!(d.state.work.command_running());
}

#[test]
fn a_reading_command_asks_yes_or_no() {
    let mut d = Driver::new(COMMANDS, color());
    d.keys("r");
    let screen = d.screen(80, 24);
    assert!(screen.contains("$ kubectl -n shop get pods"), "{screen}");
    d.keys("n");
    assert!(d.state.overlays.is_empty());
}

#[test]
fn read_only_mode_refuses_mutating_and_unknown_commands() {
    let mut d = Driver::new(COMMANDS, color());
    d.state.read_only = true;
    d.keys("jr");
    assert!(d.state.overlays.is_empty(), "nothing to confirm: refused");
    let screen = d.screen(100, 30);
    assert!(screen.contains("refused: read-only mode"), "{screen}");
    assert!(screen.contains("READ-ONLY"), "{screen}");
    d.keys("jr");
    assert!(
        d.state.overlays.is_empty(),
        "echo is not known to be read-only"
    );
    d.keys("kkr");
    assert!(!d.state.overlays.is_empty(), "kubectl get is allowed");
}

#[test]
fn an_action_is_previewed_confirmed_by_name_and_journaled() {
    use runbook::app::components::Overlay;
    let mut d = crashloop(color());
    d.keys(" j \n1");
    assert_eq!(d.state.session.current_id(), Some("oom"));
    d.keys("a");
    assert!(matches!(
        d.state.overlays.last(),
        Some(Overlay::Actions { .. })
    ));
    let screen = d.screen(80, 24);
    let flat = screen
        .lines()
        .map(|l| l.trim_matches(|c| c == '│' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains("nothing changes yet. esc closes."),
        "the wrapped explanation fits in the box:\n{screen}"
    );
    d.key(KeyCode::Enter);
    assert!(matches!(
        d.state.overlays.last(),
        Some(Overlay::ConfirmAction(_))
    ));
    let preview = d.last_request();
    assert!(d.state.work.previews[&preview].result.is_none());
    d.send(Msg::ActionPreview {
        id: preview,
        result: Ok("deployment shop/checkout would be restarted".into()),
    });
    snap("confirm_action_80x24", d.screen(80, 24));
    d.keys("checkou\n");
    assert!(
        matches!(d.state.overlays.last(), Some(Overlay::ConfirmAction { .. })),
        "a wrong name does nothing"
    );
    d.keys("t\n");
    assert!(matches!(
        d.state.overlays.last(),
        Some(Overlay::ActionProgress { .. })
    ));
    let id = d.last_request();
    d.send(Msg::ActionDone {
        id,
        result: Ok("deployment shop/checkout restarted".into()),
    });
    let action = d
        .state
        .session
        .records()
        .iter()
        .find_map(|r| match &r.event {
            runbook::engine::Event::Action {
                kind,
                target,
                dry_run,
                outcome,
                ..
            } => Some((
                kind.clone(),
                target.clone(),
                dry_run.clone(),
                outcome.clone(),
            )),
            _ => None,
        })
        .expect("journaled");
    assert_eq!(
        action,
        (
            "rollout-restart".to_string(),
            "deployment/checkout".to_string(),
            "deployment shop/checkout would be restarted".to_string(),
            "deployment shop/checkout restarted".to_string()
        )
    );
}

#[test]
fn read_only_refuses_actions() {
    let mut d = crashloop(color());
    d.state.read_only = true;
    d.keys(" j \n1a");
    assert!(d.state.overlays.is_empty());
    assert!(d.screen(100, 30).contains("refused: read-only mode"));
}

#[test]
fn an_actions_dry_run_and_outcome_reach_the_journal_sanitized() {
    let mut d = crashloop(color());
    d.keys(" j \n1");
    d.keys("a");
    d.key(KeyCode::Enter);
    let preview = d.last_request();
    d.send(Msg::ActionPreview {
        id: preview,
        result: Ok("\u{1b}]52;c;aGk=\u{7}deployment would be restarted\u{1b}[2J".into()),
    });
    d.keys("checkout\n");
    let id = d.last_request();
    d.send(Msg::ActionDone {
        id,
        result: Ok("restarted\u{1b}[31m red".into()),
    });
    let (dry_run, outcome) = d
        .state
        .session
        .records()
        .iter()
        .find_map(|r| match &r.event {
            runbook::engine::Event::Action {
                dry_run, outcome, ..
            } => Some((dry_run.clone(), outcome.clone())),
            _ => None,
        })
        .expect("an action record");
    assert_eq!(dry_run, "deployment would be restarted");
    assert_eq!(outcome, "restarted red");
}
