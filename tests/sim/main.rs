//! The simulator over loopback, through kube-rs and kubectl as a real cluster.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::core::v1::{Node, Pod};
use kube::api::{Api, ListParams, Patch, PatchParams, WatchEvent, WatchParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::runtime::watcher;
use kube::{Client, Config};
use runbook::sim::{self, Scenario, SimHandle, SimOptions, Simulator};

/// Upper bound for anything that should happen at once; only reached on a hang.
const PATIENCE: Duration = Duration::from_secs(30);

fn loopback() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

fn scenario(yaml: &str) -> Scenario {
    Scenario::from_yaml(yaml, Path::new("test.yaml")).unwrap()
}

async fn client_for(handle: &SimHandle) -> Client {
    let kubeconfig = Kubeconfig::from_yaml(&handle.kubeconfig_yaml()).unwrap();
    let mut config = Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
        .await
        .unwrap();
    // kube-rs retries 429 and 503 by itself; the tests want to see them.
    config.default_retry = false;
    Client::try_from(config).unwrap()
}

async fn start(scenario: Scenario) -> (SimHandle, Client) {
    let handle = Simulator::start(scenario, loopback(), None).await.unwrap();
    let client = client_for(&handle).await;
    (handle, client)
}

/// A simulator whose clock moves only when the test advances it.
async fn start_manual(scenario: Scenario) -> (SimHandle, Client) {
    let handle = Simulator::start_with(scenario, loopback(), None, manual())
        .await
        .unwrap();
    let client = client_for(&handle).await;
    (handle, client)
}

fn manual() -> SimOptions {
    SimOptions {
        manual_clock: true,
        ..SimOptions::default()
    }
}

/// Steps the simulated clock `total` forward, `step` at a time.
fn advance(handle: &SimHandle, total: Duration, step: Duration) {
    let mut done = Duration::ZERO;
    while done < total {
        handle.advance(step);
        done += step;
    }
}

async fn soon<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(PATIENCE, future)
        .await
        .expect("the simulator did not answer")
}

const ONE_POD: &str = r#"
apiVersion: runbook/v1
kind: Scenario
metadata: { name: one-pod, params: { namespace: shop } }
objects:
  - apiVersion: v1
    kind: Pod
    metadata: { name: web-1, namespace: shop, labels: { app: web } }
    spec: { containers: [ { name: web, image: web:1 } ] }
    status: { phase: Pending }
phases:
  - when: { step: fix }
    apply:
      - apiVersion: v1
        kind: Pod
        metadata: { name: web-1, namespace: shop }
        status: { phase: Running }
"#;

fn api_error(err: kube::Error) -> kube::core::Status {
    match err {
        kube::Error::Api(status) => *status,
        other => panic!("expected an API error, got {other}"),
    }
}

fn names(pods: &[Pod]) -> Vec<String> {
    let mut names: Vec<String> = pods
        .iter()
        .map(|p| p.metadata.name.clone().unwrap())
        .collect();
    names.sort();
    names
}

mod alertmanager;
mod api;
mod control_plane_kinds;
mod controllers;
mod drill_reports;
mod drills;
mod fidelity;
mod fidelity_writes;
mod fuzz_scenarios;
mod fuzz_writes;
mod hostile;
mod kinds;
/// The kubectl the tests run: v1.37.2 built from source, never the machine's.
#[path = "../support/kube.rs"]
mod kube_support;
mod kubectl;
mod protobuf;
mod runbook_test;
mod state;
mod tools;
mod writes;
