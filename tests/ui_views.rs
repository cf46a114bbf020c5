//! Every screen, rendered into TestBackend at 80x24 and 160x48.

#[path = "support/ui.rs"]
mod ui;

use std::sync::Arc;

use ratatui::crossterm::event::KeyCode;
use ratatui::style::Color;
use runbook::app::state::Msg;
use runbook::cluster::rows::{ContainerRow, DeploymentRow, EventRow, NodeRow, PodRow};
use runbook::cluster::snapshot::{Connection, ResourceState, Rows, Snapshot};
use runbook::journal::{JournalError, Sink};
use runbook::ui::theme::Theme;
use ui::{Driver, T0};

const CRASHLOOP: &str = include_str!("../playbooks/pod-crashloop.yaml");

fn color() -> Theme {
    Theme {
        color: true,
        ascii: false,
    }
}

fn rows<T>(items: Vec<T>) -> Rows<T> {
    Rows {
        state: ResourceState::Live,
        rows: Arc::new(items.into_iter().map(Arc::new).collect()),
    }
}

fn cluster() -> Snapshot {
    let pod = |name: &str, status: &str, ready: u32, restarts: u32| PodRow {
        namespace: "shop".into(),
        name: name.into(),
        node: Some("node-a".into()),
        phase: "Running".into(),
        status: status.into(),
        ready_containers: ready,
        total_containers: 1,
        restarts,
        last_restart_at: Some(T0 - 120),
        created_at: Some(T0 - 3600),
        labels: [("app".to_string(), "checkout".to_string())].into(),
        owner: Some("ReplicaSet/checkout-6d8f9".into()),
        containers: Box::new([ContainerRow {
            name: "checkout".into(),
            last_reason: (status == "CrashLoopBackOff").then(|| "OOMKilled".into()),
            last_exit_code: (status == "CrashLoopBackOff").then_some(137),
            ..ContainerRow::default()
        }]),
    };
    Snapshot {
        generation: 7,
        context: Some("drill".into()),
        namespace: Some("shop".into()),
        connection: Connection::Live,
        pods: rows(vec![
            pod("checkout-6d8f9-x2k4q", "CrashLoopBackOff", 0, 7),
            pod("checkout-6d8f9-p9s1z", "Running", 1, 0),
        ]),
        nodes: rows(vec![
            NodeRow {
                name: "node-b".into(),
                status: "NotReady,SchedulingDisabled".into(),
                ready: Some(false),
                unschedulable: true,
                conditions: [
                    ("Ready".to_string(), "False".to_string()),
                    ("MemoryPressure".to_string(), "True".to_string()),
                    ("DiskPressure".to_string(), "True".to_string()),
                ]
                .into(),
                roles: vec!["worker".into()],
                version: "v1.34.1".into(),
                created_at: Some(T0 - 86_400 * 30),
                ..NodeRow::default()
            },
            NodeRow {
                name: "node-a".into(),
                status: "Ready".into(),
                ready: Some(true),
                roles: vec!["worker".into()],
                version: "v1.34.1".into(),
                created_at: Some(T0 - 86_400 * 30),
                ..NodeRow::default()
            },
        ]),
        events: rows(vec![EventRow {
            namespace: "shop".into(),
            name: "checkout.1".into(),
            type_: "Warning".into(),
            reason: "BackOff".into(),
            message: "Back-off restarting failed container checkout".into(),
            kind: "Pod".into(),
            object_name: "checkout-6d8f9-x2k4q".into(),
            count: 12,
            last_seen: Some(T0 - 30),
        }]),
        deployments: rows(vec![DeploymentRow {
            namespace: "shop".into(),
            name: "checkout".into(),
            replicas: 2,
            ready: 1,
            updated: 2,
            available: 1,
            created_at: Some(T0 - 86_400),
            ..DeploymentRow::default()
        }]),
        pods_per_node: Arc::new([("node-a".into(), 2)].into()),
    }
}

fn crashloop(theme: Theme) -> Driver {
    let mut d = Driver::new(CRASHLOOP, theme);
    d.state.scope =
        runbook::app::launch::scope_for(d.state.session.playbook(), d.state.session.params(), None);
    d.state.context = Some("drill".into());
    d.state.namespace = Some("shop".into());
    d
}

fn both(d: &mut Driver, name: &str) {
    insta::assert_snapshot!(format!("{name}_80x24"), d.screen(80, 24));
    insta::assert_snapshot!(format!("{name}_160x48"), d.screen(160, 48));
}

#[test]
fn walkthrough_without_a_cluster() {
    let mut d = crashloop(color());
    both(&mut d, "walkthrough_no_cluster");
}

#[test]
fn walkthrough_with_cluster_data_and_checks() {
    let mut d = crashloop(color());
    d.send(Msg::Cluster(Box::new(cluster())));
    both(&mut d, "walkthrough_cluster");
    let screen = d.screen(160, 48);
    assert!(screen.contains("checkout-6d8f9-x2k4q"));
    assert!(screen.contains("CrashLoopBackOff"));
    assert!(screen.contains("7 (2m ago)"));
    // The crashlooping check passes, with the pod as evidence.
    let flat: String = screen
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("│ │", "");
    assert!(
        screen.contains("✓ cluster:") && flat.contains("(pod/shop/checkout-6d8f9-x2k4q)"),
        "{screen}"
    );
}

#[test]
fn choices_marked_by_the_cluster() {
    let mut d = crashloop(color());
    d.send(Msg::Cluster(Box::new(cluster())));
    d.keys(" ");
    d.key(KeyCode::Char('j'));
    d.keys(" \n");
    assert_eq!(d.state.session.current_id(), Some("why"));
    let screen = d.screen(160, 48);
    assert!(screen.contains("1. OOMKilled (exit 137)"), "{screen}");
    assert_eq!(
        screen.matches("cluster suggests").count(),
        1,
        "only the OOM branch is suggested:\n{screen}"
    );
    both(&mut d, "choices_suggested");
}

#[test]
fn panes_tab_at_80x24_and_forbidden_nodes() {
    let mut d = crashloop(color());
    let mut c = cluster();
    c.nodes.state =
        ResourceState::Forbidden("forbidden: cannot list nodes at cluster scope".into());
    d.send(Msg::Cluster(Box::new(c)));
    d.key(KeyCode::Tab);
    insta::assert_snapshot!("panes_pods_80x24", d.screen(80, 24));
    d.key(KeyCode::Char('l'));
    let screen = d.screen(80, 24);
    assert!(
        screen.contains("forbidden: cannot list nodes at cluster scope"),
        "{screen}"
    );
    d.key(KeyCode::Char('l'));
    insta::assert_snapshot!("panes_events_80x24", d.screen(80, 24));
}

#[test]
fn nodes_pane_shows_pressure_and_pod_counts() {
    let mut d = crashloop(color());
    d.send(Msg::Cluster(Box::new(cluster())));
    d.key(KeyCode::Tab);
    d.key(KeyCode::Char('l'));
    let wide = d.screen(300, 60);
    assert!(
        wide.contains("PRESSURE") && wide.contains("VERSION") && wide.contains("PODS"),
        "{wide}"
    );
    let row = |screen: &str, node: &str| {
        screen
            .lines()
            .find(|l| l.contains(node))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    };
    assert!(
        row(&wide, "node-b").contains("NotReady,SchedulingDisabled MemoryPressure,DiskPressure"),
        "{wide}"
    );
    assert!(
        row(&wide, "node-a").ends_with(" 2 │"),
        "{}",
        row(&wide, "node-a")
    );
    for (w, h) in [(80, 24), (160, 48)] {
        let narrow = d.screen(w, h);
        assert!(
            row(&narrow, "node-b").contains("NotReady,SchedulingDisabled Mem,Disk"),
            "{narrow}"
        );
    }
    both(&mut d, "panes_nodes");
}

#[test]
fn switching_context_is_journaled_first_and_read_only_sticks() {
    let mut d = crashloop(color());
    d.send(Msg::Cluster(Box::new(cluster())));
    d.state.contexts = vec!["drill".into(), "prod-eu".into(), "staging".into()];
    d.state.config = runbook::config::parse(
        "readOnlyContexts: [\"prod-*\"]\n",
        std::path::Path::new("config.yaml"),
    )
    .expect("config");
    d.key(KeyCode::Char('c'));
    let screen = d.screen(80, 24);
    assert!(screen.contains("> drill  (current)"), "{screen}");
    both(&mut d, "contexts");
    d.key(KeyCode::Char('j'));
    d.key(KeyCode::Enter);
    assert_eq!(
        d.switched,
        ["prod-eu"],
        "the loop switches after the journal"
    );
    assert_eq!(d.state.context.as_deref(), Some("prod-eu"));
    assert_eq!(d.state.session.context(), Some("prod-eu"));
    assert!(d.state.session.records().iter().any(|r| matches!(
        &r.event,
        runbook::engine::Event::ContextSwitched { from: Some(f), to } if f == "drill" && to == "prod-eu"
    )));
    assert!(d.state.read_only, "prod-* is read-only by the config");
    let screen = d.screen(100, 30);
    assert!(screen.contains("prod-eu"), "{screen}");
    // Back to a context the config does not protect: read-only stays on.
    d.key(KeyCode::Char('c'));
    d.key(KeyCode::Char('j'));
    d.key(KeyCode::Enter);
    assert_eq!(d.switched, ["prod-eu", "staging"]);
    assert!(d.state.read_only, "read-only never turns itself off");
    // Picking the current context changes nothing.
    d.key(KeyCode::Char('c'));
    d.key(KeyCode::Enter);
    assert_eq!(d.switched.len(), 2);
}

#[test]
fn a_drill_has_no_context_to_switch_to() {
    let mut d = crashloop(color());
    d.key(KeyCode::Char('c'));
    assert!(d.state.overlays.is_empty());
    assert!(d.screen(100, 30).contains("no kubeconfig contexts"));
}

#[test]
fn a_long_body_wraps_and_the_selection_stays_visible() {
    let long = format!(
        "apiVersion: runbook/v1\nkind: Playbook\nmetadata: {{ name: long, title: A very long step }}\nstart: a\nsteps:\n  - id: a\n    title: Long\n    body: |\n{}\n    checklist:\n      - text: first\n      - text: second\n      - text: last item at the bottom\n    outcome: resolved\n",
        (0..40)
            .map(|i| format!("      Paragraph {i}: the quick brown fox jumps over the lazy dog again and again.\n"))
            .collect::<String>()
    );
    let mut d = Driver::new(&long, color());
    d.keys("jj");
    let screen = d.screen(80, 24);
    assert!(screen.contains("last item at the bottom"), "{screen}");
    both(&mut d, "long_body");
}

#[test]
fn help_overlay_lists_every_key() {
    let mut d = crashloop(color());
    d.key(KeyCode::Char('?'));
    both(&mut d, "help");
    let screen = d.screen(160, 48);
    for key in ["space", "enter", "1-9", "tab", "n", "y", "t", "q"] {
        assert!(screen.contains(key), "help lacks {key}");
    }
}

#[test]
fn notes_editor() {
    let mut d = crashloop(color());
    d.key(KeyCode::Char('n'));
    d.keys("restarts every 40s");
    both(&mut d, "notes");
    d.ctrl('s');
    assert_eq!(d.state.session.notes()[0].text, "restarts every 40s");
}

#[test]
fn timeline_quit_and_override() {
    let mut d = crashloop(color());
    d.keys(" ");
    d.key(KeyCode::Char('t'));
    both(&mut d, "timeline");
    d.key(KeyCode::Esc);
    d.key(KeyCode::Char('q'));
    both(&mut d, "quit");
    d.key(KeyCode::Char('n'));
    d.key(KeyCode::Enter);
    both(&mut d, "override");
}

#[test]
fn ended_screen() {
    let mut d = crashloop(color());
    d.keys(" ");
    d.key(KeyCode::Char('j'));
    d.keys(" \n1");
    d.keys(" j \n");
    assert!(
        d.state.session.is_ended(),
        "{:?}",
        d.state.session.current_id()
    );
    both(&mut d, "ended");
}

struct FullDisk;

impl Sink for FullDisk {
    fn append(
        &mut self,
        _: u64,
        _: jiff::Timestamp,
        _: Vec<runbook::engine::Event>,
    ) -> Result<Vec<runbook::engine::Record>, JournalError> {
        Err(JournalError::Io {
            path: "/data/sessions/x/journal.jsonl".into(),
            source: std::io::Error::from_raw_os_error(28),
        })
    }
}

#[test]
fn a_failed_journal_write_is_shown_and_nothing_is_marked_done() {
    let mut d = crashloop(color());
    d.sink = Box::new(FullDisk);
    d.keys(" ");
    assert!(!d.state.session.is_confirmed("confirm", 0));
    let screen = d.screen(80, 24);
    assert!(screen.contains("NOT SAVED"), "{screen}");
    assert!(screen.contains("[ ] A pod of checkout"), "{screen}");
    both(&mut d, "journal_error");
}

#[test]
fn ascii_mode_uses_no_box_drawing_or_symbols() {
    let mut d = crashloop(Theme {
        color: false,
        ascii: true,
    });
    d.send(Msg::Cluster(Box::new(cluster())));
    d.keys(" ");
    for (w, h) in [(80, 24), (160, 48)] {
        let screen = d.screen(w, h);
        assert!(screen.is_ascii(), "non-ASCII at {w}x{h}:\n{screen}");
    }
    both(&mut d, "ascii");
}

#[test]
fn no_color_writes_no_color() {
    let mut d = crashloop(Theme::new(false, false, Some("1")));
    d.send(Msg::Cluster(Box::new(cluster())));
    d.key(KeyCode::Char('?'));
    for (w, h) in [(80, 24), (160, 48)] {
        let terminal = d.render(w, h);
        for cell in terminal.backend().buffer().content() {
            assert_eq!(cell.fg, Color::Reset, "a foreground color at {w}x{h}");
            assert_eq!(cell.bg, Color::Reset, "a background color at {w}x{h}");
        }
    }
}

#[test]
fn every_size_from_80x24_to_300x100_renders() {
    let mut d = crashloop(color());
    d.send(Msg::Cluster(Box::new(cluster())));
    for (w, h) in [
        (80, 24),
        (100, 30),
        (120, 40),
        (200, 60),
        (300, 100),
        (40, 10),
    ] {
        let screen = d.screen(w, h);
        assert!(
            screen.contains("Confirm the symptom") || h < 24,
            "{w}x{h}:\n{screen}"
        );
    }
}

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
        screen.contains("This command changes the cluster."),
        "{screen}"
    );
    assert!(screen.contains("Type checkout and press enter"), "{screen}");
    insta::assert_snapshot!("confirm_mutating_80x24", screen);
    d.keys("checkou\n");
    assert!(
        matches!(
            d.state.overlays.last(),
            Some(runbook::app::state::Overlay::ConfirmRun { .. })
        ),
        "a wrong word does not run it"
    );
    d.keys("t\n");
    assert!(matches!(
        d.state.overlays.last(),
        Some(runbook::app::state::Overlay::Output { .. })
    ));
    assert!(d.state.command_running);
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
    use runbook::app::state::Overlay;
    let mut d = crashloop(color());
    d.keys(" j \n1");
    assert_eq!(d.state.session.current_id(), Some("oom"));
    d.keys("a");
    assert!(matches!(
        d.state.overlays.last(),
        Some(Overlay::Actions { .. })
    ));
    d.key(KeyCode::Enter);
    assert!(matches!(
        d.state.overlays.last(),
        Some(Overlay::ConfirmAction { preview: None, .. })
    ));
    d.send(Msg::ActionPreview(Ok(
        "deployment shop/checkout would be restarted".into(),
    )));
    insta::assert_snapshot!("confirm_action_80x24", d.screen(80, 24));
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
    d.send(Msg::ActionDone(Ok(
        "deployment shop/checkout restarted".into()
    )));
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
fn an_escalation_comes_due_and_its_acknowledgement_is_journaled() {
    use runbook::app::state::Overlay;
    let mut d = crashloop(color());
    d.tick(14 * 60);
    assert!(d.state.overlays.is_empty());
    assert!(d.screen(100, 30).contains("escalate in 1m"));
    d.tick(15 * 60 + 1);
    assert!(matches!(
        d.state.overlays.last(),
        Some(Overlay::Escalation { index: 0 })
    ));
    let screen = d.screen(100, 30);
    assert!(
        screen.contains("Escalate to: platform secondary on-call"),
        "{screen}"
    );
    assert!(
        screen.contains("ESCALATE to platform secondary on-call"),
        "{screen}"
    );
    d.key(KeyCode::Enter);
    assert!(d.state.session.records().iter().any(|r| matches!(
        &r.event,
        runbook::engine::Event::Escalated { to, after } if to == "platform secondary on-call" && after == "15m"
    )));
    assert!(
        !d.screen(100, 30).contains("ESCALATE to platform"),
        "acknowledged"
    );
}

#[test]
fn a_pane_row_opens_its_detail() {
    use runbook::app::state::Overlay;
    let mut d = crashloop(color());
    d.send(Msg::Cluster(Box::new(cluster())));
    d.key(KeyCode::Tab);
    d.key(KeyCode::Enter);
    let Some(Overlay::Detail(view)) = d.state.overlays.last() else {
        panic!("no detail overlay");
    };
    assert_eq!(
        &view.object,
        &(
            "Pod",
            "shop".to_string(),
            "checkout-6d8f9-x2k4q".to_string()
        )
    );
    d.send(Msg::Detail(Ok(vec![
        "Name:         checkout-6d8f9-x2k4q".into(),
        "      DB_PASSWORD: <redacted>".into(),
    ])));
    let screen = d.screen(100, 30);
    assert!(screen.contains("DB_PASSWORD: <redacted>"), "{screen}");
    assert!(screen.contains("l logs"), "{screen}");
    // f follows the pod's logs: lines arrive in batches and the end stays in view
    d.keys("f");
    let screen = d.screen(100, 30);
    assert!(
        screen.contains("logs shop/checkout-6d8f9-x2k4q (following)")
            && screen.contains("waiting for log lines..."),
        "{screen}"
    );
    let stream = d.state.next_log_stream;
    for batch in 0..10 {
        d.send(Msg::LogLines(
            stream,
            (0..10)
                .map(|i| format!("GET /cart 200 line {}", batch * 10 + i))
                .collect(),
        ));
    }
    let screen = d.screen(100, 30);
    assert!(
        screen.contains("line 99") && !screen.contains("line 50"),
        "{screen}"
    );
    both(&mut d, "logs_following");
    d.send(Msg::LogsEnded(stream, "the stream ended".into()));
    assert!(d.screen(100, 30).contains("(stopped)"));
}
