//! Every screen, rendered into TestBackend at 80x24 and 160x48.

#[path = "../support/ui.rs"]
mod ui;

use std::sync::Arc;

use ratatui::crossterm::event::KeyCode;
use ratatui::style::Color;
use runbook::app::model::{Effect, Msg};
use runbook::journal::{JournalError, Sink};
use runbook::kinds::deployment::Deployments;
use runbook::kinds::event::Events;
use runbook::kinds::node::Nodes;
use runbook::kinds::pod::Pods;
use runbook::kinds::rows::{ContainerRow, DeploymentRow, EventRow, NodeRow, PodRow};
use runbook::kinds::snapshot::{Connection, ResourceState, Rows, Snapshot};
use runbook::tui::theme::Theme;
use ui::{Driver, T0};

const CRASHLOOP: &str = include_str!("../../playbooks/pod-crashloop.yaml");

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
        reason: None,
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
        ..Snapshot::default()
    }
    .all(&ResourceState::Live)
    .with::<Pods>(rows(vec![
        pod("checkout-6d8f9-x2k4q", "CrashLoopBackOff", 0, 7),
        pod("checkout-6d8f9-p9s1z", "Running", 1, 0),
    ]))
    .with::<Nodes>(rows(vec![
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
    ]))
    .with::<Events>(rows(vec![EventRow {
        namespace: "shop".into(),
        name: "checkout.1".into(),
        type_: "Warning".into(),
        reason: "BackOff".into(),
        message: "Back-off restarting failed container checkout".into(),
        kind: "Pod".into(),
        object_name: "checkout-6d8f9-x2k4q".into(),
        count: 12,
        last_seen: Some(T0 - 30),
    }]))
    .with::<Deployments>(rows(vec![DeploymentRow {
        namespace: "shop".into(),
        name: "checkout".into(),
        replicas: 2,
        ready: 1,
        updated: 2,
        available: 1,
        created_at: Some(T0 - 86_400),
        ..DeploymentRow::default()
    }]))
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
    snap(&format!("{name}_80x24"), d.screen(80, 24));
    snap(&format!("{name}_160x48"), d.screen(160, 48));
}

/// Every snapshot is taken here, so all keep the `ui_views__` prefix.
fn snap(name: &str, screen: String) {
    insta::assert_snapshot!(name.to_string(), screen);
}

mod argv;
mod briefing;
mod cluster;
mod cluster_named;
mod commands;
mod drain;
mod editing;
mod hints;
mod kinds;
mod shell;
mod terminal;
mod walkthrough;
