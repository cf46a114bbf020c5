//! Connecting as kubectl would, through the switchboard the app uses:
//! token and exec credentials, and the reasons a connection fails (no
//! kubeconfig, unreachable, 401) as the status line shows them.

use super::*;
use runbook::cluster::switchboard::Switchboard;

const LOCKED: &str = r#"
apiVersion: runbook/v1
kind: Scenario
metadata: { name: locked }
objects:
  - { apiVersion: v1, kind: Pod, metadata: { name: web-1, namespace: shop } }
faults:
  requireToken: s3cret
"#;

/// A kubeconfig for `server` whose user is given as YAML.
fn kubeconfig(dir: &Path, server: &str, user: &str) -> std::path::PathBuf {
    let path = dir.join("kubeconfig");
    let text = format!(
        "apiVersion: v1
kind: Config
clusters:
- {{ name: c, cluster: {{ server: '{server}' }} }}
users:
- name: u
  user: {user}
contexts:
- {{ name: ctx, context: {{ cluster: c, user: u, namespace: shop }} }}
current-context: ctx
"
    );
    std::fs::write(&path, text).expect("kubeconfig");
    path
}

/// The first snapshot through the switchboard that `ok` accepts.
async fn connection_with(path: std::path::PathBuf, ok: impl Fn(&Snapshot) -> bool) -> Snapshot {
    let board = Switchboard::start(
        tokio::runtime::Handle::current(),
        ClusterConfig {
            kubeconfig: Some(path),
            context: None,
        },
        Focus::default(),
    );
    let mut rx = board.snapshots();
    let snap = until(&mut rx, "the expected connection state", ok).await;
    board.stop();
    snap
}

async fn locked_sim() -> SimHandle {
    let scenario = Scenario::from_yaml(LOCKED, Path::new("locked.yaml")).expect("scenario");
    Simulator::start(scenario, SocketAddr::from(([127, 0, 0, 1], 0)), None)
        .await
        .expect("simulator")
}

#[tokio::test]
async fn a_token_and_an_exec_plugin_both_authenticate() {
    let sim = locked_sim().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let token = kubeconfig(dir.path(), &sim.url(), "{ token: s3cret }");
    let live_with_pods =
        |s: &Snapshot| s.connection == Connection::Live && s.pods().rows.len() == 1;
    connection_with(token, live_with_pods).await;

    let dir = tempfile::tempdir().expect("tempdir");
    let credential = r#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"s3cret"}}"#;
    let exec = format!(
        "{{ exec: {{ apiVersion: client.authentication.k8s.io/v1, command: sh, args: ['-c', 'echo ''{credential}'''], interactiveMode: Never }} }}"
    );
    let path = kubeconfig(dir.path(), &sim.url(), &exec);
    connection_with(path, live_with_pods).await;
    sim.shutdown().await;
}

#[tokio::test]
async fn refused_credentials_say_401() {
    let sim = locked_sim().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = kubeconfig(dir.path(), &sim.url(), "{ token: expired }");
    let snap = connection_with(path, |s| matches!(s.connection, Connection::Failed(_))).await;
    let Connection::Failed(reason) = snap.connection else {
        unreachable!()
    };
    assert!(reason.starts_with("unauthorized (401)"), "{reason}");
    sim.shutdown().await;
}

#[tokio::test]
async fn no_kubeconfig_and_an_unreachable_server_say_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope");
    let snap = connection_with(missing, |s| matches!(s.connection, Connection::Failed(_))).await;
    let Connection::Failed(reason) = snap.connection else {
        unreachable!()
    };
    assert!(reason.starts_with("cannot read kubeconfig"), "{reason}");

    // Port 1 on loopback: nothing listens there.
    let path = kubeconfig(dir.path(), "http://127.0.0.1:1", "{ token: t }");
    let snap = connection_with(path, |s| matches!(s.connection, Connection::Failed(_))).await;
    let Connection::Failed(reason) = snap.connection else {
        unreachable!()
    };
    assert!(
        reason.starts_with("unreachable") && reason.to_lowercase().contains("connection refused"),
        "{reason}"
    );
}
