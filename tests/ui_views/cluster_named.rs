//! Issue 19: the cluster is named where a change is decided, and a check
//! the cluster contradicts is confirmed only with a reason.

use super::*;
use runbook::app::components::Overlay;
use runbook::engine::Event;

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
    outcome: resolved
"#;

/// The window's text on one line, box drawing left out.
fn flat(screen: &str) -> String {
    screen
        .lines()
        .map(|l| l.trim_matches(|c| c == '│' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_typed_command_confirmation_names_the_context_and_namespace() {
    let mut d = Driver::new(COMMANDS, color());
    d.state.context = Some("prod-b".into());
    d.keys("jr");
    let screen = d.screen(100, 30);
    assert!(
        flat(&screen)
            .contains("Type checkout and press enter to run it in prod-b (namespace shop)"),
        "{screen}"
    );
}

#[test]
fn an_action_confirmation_names_what_where() {
    let mut d = crashloop(color());
    d.state.context = Some("prod-b".into());
    d.keys(" j \n1a");
    d.key(KeyCode::Enter);
    let preview = d.last_request();
    d.send(Msg::ActionPreview {
        id: preview,
        result: Ok("deployment shop/checkout would be restarted".into()),
    });
    let screen = d.screen(100, 30);
    // Wrapped in the 78-column box: the line breaks after "in".
    assert!(
        screen.contains("Type checkout to restart deployment checkout in")
            && screen.contains("prod-b (namespace shop), and press enter; esc cancels."),
        "{screen}"
    );
    d.keys("checkout\n");
    let id = d.last_request();
    d.send(Msg::ActionDone {
        id,
        result: Ok("restarted".into()),
    });
    let context = d
        .state
        .session
        .records()
        .iter()
        .find_map(|r| match &r.event {
            Event::Action { context, .. } => Some(context.clone()),
            _ => None,
        })
        .expect("an action record");
    assert_eq!(context.as_deref(), Some("prod-b"));
}

#[test]
fn a_read_only_sessions_confirmations_say_so() {
    let mut d = Driver::new(COMMANDS, color());
    d.state.context = Some("prod-b".into());
    d.state.read_only = true;
    d.keys("r");
    let screen = d.screen(100, 30);
    assert!(
        screen.contains("│READ-ONLY session: the gateway refuses every change."),
        "the window itself says it:\n{screen}"
    );
    assert!(
        screen.contains("│Runs in prod-b (namespace shop)."),
        "{screen}"
    );
}

/// `c` to another context, then the same write in each: the export's
/// header names both contexts in order and its changes table tells the two
/// writes apart.
#[test]
fn after_a_switch_the_export_names_both_contexts_and_tells_writes_apart() {
    let mut d = crashloop(color());
    d.state.contexts = vec!["drill".into(), "prod-eu".into()];
    let write = |context: &str| {
        let mut w = runbook::cluster::gateway::ApiWrite::new(
            "PATCH",
            "/apis/apps/v1/namespaces/shop/deployments/checkout",
            b"{}",
            false,
            "kubectl -n shop annotate deployment checkout x=y",
        );
        w.status = 200;
        w.context = Some(context.into());
        w.server = Some(format!("https://{context}.example:6443"));
        Msg::ApiWrite(Box::new(w))
    };
    d.send(write("drill"));
    d.key(KeyCode::Char('c'));
    d.key(KeyCode::Char('j'));
    d.key(KeyCode::Enter);
    d.send(write("prod-eu"));
    let md = runbook::journal::export::markdown("s1", &d.state.session);
    assert!(
        md.contains("- Contexts used, in order: `drill` → `prod-eu`"),
        "{md}"
    );
    let changes = md
        .split("## Changes to the cluster")
        .nth(1)
        .expect("a changes section");
    assert!(changes.contains("| Context |"), "{changes}");
    assert!(
        changes.contains("| `drill` | `PATCH deployments.apps/checkout in shop` |"),
        "{changes}"
    );
    assert!(
        changes.contains("| `prod-eu` | `PATCH deployments.apps/checkout in shop` |"),
        "{changes}"
    );
    let servers: Vec<Option<String>> = d
        .state
        .session
        .records()
        .iter()
        .filter_map(|r| match &r.event {
            Event::ApiWrite { server, .. } => Some(server.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        servers,
        [
            Some("https://drill.example:6443".to_string()),
            Some("https://prod-eu.example:6443".to_string())
        ]
    );
}

/// The cluster with no pod crashing: `crashlooping` fails.
fn healed() -> Msg {
    let mut c = cluster();
    let rows: Vec<_> = c
        .pods()
        .rows
        .iter()
        .map(|p| {
            let mut p = (**p).clone();
            p.status = "Running".into();
            p
        })
        .collect();
    c.set::<Pods>(Rows::live(rows));
    Msg::Cluster(Box::new(c))
}

#[test]
fn confirming_an_item_the_cluster_contradicts_asks_why() {
    let mut d = crashloop(color());
    d.send(healed());
    let screen = d.screen(120, 40);
    assert!(screen.contains("cluster: no"), "{screen}");
    let before = d.state.session.records().len();
    d.keys(" ");
    assert!(
        matches!(d.state.overlays.last(), Some(Overlay::Override(_))),
        "space asks for a reason first"
    );
    assert_eq!(
        d.state.session.records().len(),
        before,
        "nothing journaled yet"
    );
    assert!(!d.state.session.is_confirmed("confirm", 0));
    let screen = d.screen(80, 24);
    assert!(flat(&screen).contains("the cluster says no"), "{screen}");
    snap("confirm_against_80x24", screen);
    // An empty reason is not enough.
    d.key(KeyCode::Enter);
    assert!(matches!(
        d.state.overlays.last(),
        Some(Overlay::Override(_))
    ));
    d.keys("the pane lags; kubectl shows it crashing\n");
    assert!(d.state.overlays.is_empty());
    assert!(d.state.session.is_confirmed("confirm", 0));
    let against = d
        .state
        .session
        .records()
        .iter()
        .find_map(|r| match &r.event {
            Event::Confirmed {
                against_evidence, ..
            } => Some(against_evidence.clone()),
            _ => None,
        })
        .expect("confirmed")
        .expect("against the evidence");
    assert_eq!(against.reason, "the pane lags; kubectl shows it crashing");
    assert_eq!(against.check, "crashlooping");
    assert_eq!(against.result, runbook::engine::CheckResult::Fail);
    assert!(
        d.state.session.records().iter().any(|r| matches!(
            &r.event,
            Event::Evidence { check, result: runbook::engine::CheckResult::Fail, .. } if check == "crashlooping"
        )),
        "the evidence is journaled beside it"
    );
    let md = runbook::journal::export::markdown("s1", &d.state.session);
    assert!(
        md.contains("**Override**: confirmed A checkout pod crashes or never starts against the evidence (check `crashlooping` fail); reason: the pane lags; kubectl shows it crashing"),
        "{md}"
    );
}

#[test]
fn confirming_an_item_the_cluster_agrees_with_or_cannot_judge_is_one_key() {
    let mut d = crashloop(color());
    d.keys(" ");
    assert!(d.state.overlays.is_empty(), "unknown: one key");
    assert!(d.state.session.is_confirmed("confirm", 0));
    d.keys(" ");
    d.send(Msg::Cluster(Box::new(cluster())));
    d.keys(" ");
    assert!(d.state.overlays.is_empty(), "passing: one key");
    assert!(d.state.session.is_confirmed("confirm", 0));
    // Unconfirming never asks.
    d.send(healed());
    d.keys(" ");
    assert!(d.state.overlays.is_empty());
    assert!(!d.state.session.is_confirmed("confirm", 0));
}
