//! runbook against a real control plane (kube-apiserver, etcd, controllers
//! and scheduler v1.37.2 built from source by tests/controlplane, started
//! once per test process by `kube::control_plane()`): the panes show what
//! `kubectl get` prints, a viewer's panes say what is forbidden, the gateway
//! passes kubectl and holds read-only on the wire (the API server's audit log
//! is the proof), the actions do what kubectl would with the real controllers
//! reacting, checks read real objects, an alert's pod leads to its
//! Deployment, and the panes survive an API server restart and a 410 Gone.
//!
//! Every test uses its own namespace and node names, so they run side by
//! side on the one control plane; the restart has a control plane of its
//! own. Without the control plane a test fails, unless
//! RUNBOOK_SKIP_CONTROLPLANE=1 says to skip it.

#[path = "../support/kube.rs"]
mod kube;

mod actions;
mod checks;
mod gateway;
mod owner;
mod panes;
mod recovery;
mod table;
mod viewer;

use std::path::Path;
use std::time::Duration;

use runbook::cluster::connect::{ClusterConfig, connect};
use runbook::cluster::watch::{ClusterHandle, Focus, spawn_kinds};
use runbook::kinds::KindId;
use runbook::kinds::snapshot::Snapshot;
use tokio::sync::watch;

/// Bounds a hang; no test waits this long when things work.
pub const PATIENCE: Duration = Duration::from_secs(90);

/// The shared control plane, or None when the caller said to skip.
pub fn control_plane() -> Option<&'static kube::ControlPlane> {
    kube::control_plane()
}

/// A namespace of the test's own, created (and its default service
/// account waited for: pods cannot be created before it exists).
pub fn namespace(cp: &kube::ControlPlane, name: &str) -> String {
    cp.apply(&format!(
        "apiVersion: v1\nkind: Namespace\nmetadata: {{ name: {name} }}\n"
    ));
    cp.kubectl_ok(&[
        "wait",
        "--for=create",
        "serviceaccount/default",
        "-n",
        name,
        "--timeout=90s",
    ]);
    name.to_string()
}

/// runbook's cluster side (watchers → store → snapshots) on `kubeconfig`,
/// watching `kinds` with the focus namespace `namespace`.
pub async fn panes(kubeconfig: &Path, namespace: &str, kinds: Vec<KindId>) -> ClusterHandle {
    let connected = connect(&ClusterConfig {
        kubeconfig: Some(kubeconfig.to_path_buf()),
        context: None,
    })
    .await
    .expect("connect");
    let focus = Focus {
        namespace: Some(namespace.to_string()),
        ..Focus::default()
    };
    spawn_kinds(connected.client, connected.context, focus, Some(kinds))
}

/// A kube client as the app makes one from `kubeconfig`.
pub async fn client(kubeconfig: &Path) -> ::kube::Client {
    connect(&ClusterConfig {
        kubeconfig: Some(kubeconfig.to_path_buf()),
        context: None,
    })
    .await
    .expect("connect")
    .client
}

/// Waits for a snapshot that satisfies `ok`; the deadline only bounds a hang.
pub async fn until(
    rx: &mut watch::Receiver<Snapshot>,
    what: &str,
    ok: impl Fn(&Snapshot) -> bool,
) -> Snapshot {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        {
            let s = rx.borrow_and_update();
            if ok(&s) {
                return s.clone();
            }
        }
        if tokio::time::timeout_at(deadline, rx.changed())
            .await
            .is_err()
        {
            let s = rx.borrow();
            let states: Vec<String> = runbook::kinds::KindId::all()
                .map(|id| {
                    let name = runbook::kinds::get(id).meta().name;
                    format!("{name}={:?}", s.state(id))
                })
                .collect();
            panic!("never saw {what}: {:?} {}", s.connection, states.join(" "));
        }
    }
}

/// The audit log's events as JSON.
pub fn audit_events(cp: &kube::ControlPlane) -> Vec<serde_json::Value> {
    std::fs::read_to_string(cp.audit_log())
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

pub const MUTATING: &[&str] = &["create", "update", "patch", "delete", "deletecollection"];
