//! A playbook's checks over real objects as the API server stores them:
//! managedFields from several managers (client-side apply, a server-side
//! apply by another, the controllers' status), last-applied-configuration and many annotations, a
//! Deployment of forty containers and a ConfigMap near a megabyte, pods the
//! controllers made that stay Pending. The verdicts are what the objects
//! call for.

use std::fmt::Write as _;
use std::path::Path;

use runbook::checks::{CheckSet, Scope};
use runbook::engine::CheckResult;
use runbook::kinds;
use runbook::kinds::snapshot::ResourceState;

use super::*;

const PLAYBOOK: &str = r#"
apiVersion: runbook/v1
kind: Playbook
metadata: { name: real-checks, title: Real objects }
params:
  - { name: namespace, default: real-checks }
focus:
  namespace: "{{ namespace }}"
panes: [pods, deployments, configmaps, services]
checks:
  big_deployment:
    expr: deployments.exists(d, d.name == "big" && d.images.size() == 40 && d.replicas == 2)
  big_not_ready:
    expr: deployments.exists(d, d.name == "big" && d.ready == 0 && d.available == 0)
  pods_pending:
    expr: pods.filter(p, p.labels.app == "big").size() == 2 && pods.all(p, p.labels.app != "big" || (p.phase == "Pending" && p.totalContainers == 40 && !p.ready))
  pods_owned:
    expr: pods.all(p, p.labels.app != "big" || p.owner.startsWith("ReplicaSet/big-"))
  wide_config:
    expr: configmaps.exists(c, c.name == "wide" && c.keys.size() == 200 && "key-199" in c.keys)
  service_labels:
    expr: services.exists(s, s.name == "big" && s.labels.team == "checkout" && s.selector.app == "big")
  nothing_running:
    expr: pods.exists(p, p.labels.app == "big" && p.phase == "Running")
start: look
steps:
  - id: look
    title: Look
    checklist:
      - { text: big, check: big_deployment }
      - { text: not ready, check: big_not_ready }
      - { text: pending, check: pods_pending }
      - { text: owned, check: pods_owned }
      - { text: wide, check: wide_config }
      - { text: labels, check: service_labels }
      - { text: running, check: nothing_running }
    outcome: resolved
"#;

/// A Deployment of forty containers, each with fifty variables, and a
/// hundred annotations.
fn big_deployment(ns: &str, image_tag: &str) -> String {
    let mut y = format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: big\n  namespace: {ns}\n  annotations:\n"
    );
    for i in 0..100 {
        let _ = writeln!(y, "    note.example.com/n{i}: \"{}\"", "x".repeat(200));
    }
    y.push_str("spec:\n  replicas: 2\n  selector: { matchLabels: { app: big } }\n  template:\n    metadata: { labels: { app: big } }\n    spec:\n      containers:\n");
    for c in 0..40 {
        let _ = writeln!(
            y,
            "        - name: c{c}\n          image: registry.example/big-{c}:{image_tag}\n          env:"
        );
        for e in 0..50 {
            let _ = writeln!(
                y,
                "            - {{ name: VAR_{e}, value: \"value-{c}-{e}\" }}"
            );
        }
    }
    y
}

fn wide_config(ns: &str) -> String {
    let mut y = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{ name: wide, namespace: {ns} }}\ndata:\n"
    );
    for k in 0..200 {
        let _ = writeln!(y, "  key-{k}: \"{}\"", "v".repeat(4000));
    }
    y
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_give_their_verdicts_over_real_objects() {
    let Some(cp) = control_plane() else { return };
    let ns = namespace(cp, "real-checks");
    // Client-side apply (last-applied-configuration), then a server-side
    // apply by another manager: managedFields from both.
    cp.apply(&big_deployment(&ns, "1"));
    cp.apply(&format!(
        "apiVersion: v1\nkind: Service\nmetadata: {{ name: big, namespace: {ns}, labels: {{ team: checkout }} }}\nspec: {{ selector: {{ app: big }}, ports: [ {{ port: 80 }} ] }}\n"
    ));
    let dir = tempfile::tempdir().expect("tempdir");
    let patch = dir.path().join("labels.yaml");
    std::fs::write(
        &patch,
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata: {{ name: big, namespace: {ns}, labels: {{ owner: sre }} }}\n"),
    )
    .expect("patch");
    cp.kubectl_ok(&[
        "apply",
        "--server-side",
        "--field-manager=sre-tooling",
        "-f",
        &patch.display().to_string(),
    ]);
    // Too big for client-side apply's annotation (256 KiB): server-side.
    let wide = dir.path().join("wide.yaml");
    std::fs::write(&wide, wide_config(&ns)).expect("wide");
    cp.kubectl_ok(&["apply", "--server-side", "-f", &wide.display().to_string()]);
    let managers = cp.kubectl_ok(&[
        "get",
        "deployment",
        "big",
        "-n",
        &ns,
        "--show-managed-fields",
        "-o",
        "jsonpath={.metadata.managedFields[*].manager}",
    ]);
    // (kubectl moves the client-side apply's fields to the new manager.)
    assert!(
        managers.contains("sre-tooling") && managers.contains("kube-controller-manager"),
        "{managers}"
    );

    let pb = runbook::playbook::parse(PLAYBOOK, Path::new("real-checks.yaml")).expect("parses");
    let (checks, errors) = CheckSet::compile(&pb);
    assert!(errors.is_empty(), "{errors:?}");
    let wanted: Vec<kinds::KindId> = [
        "pods",
        "deployments",
        "configmaps",
        "services",
        "endpointslices",
    ]
    .iter()
    .filter_map(|n| kinds::id_of(n))
    .collect();
    let handle = panes(&cp.admin(), &ns, wanted.clone()).await;
    let mut rx = handle.snapshots.clone();
    let scope = Scope::new(Some(ns.clone()), None, None).expect("scope");
    let params = [("namespace".to_string(), ns.clone())].into();
    let want = |id: &str| {
        if id == "nothing_running" {
            CheckResult::Fail
        } else {
            CheckResult::Pass
        }
    };
    // The controllers make the ReplicaSet and its pods as the panes watch:
    // the verdicts are awaited, and the last ones are what the test reports.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let wrong = {
            let s = rx.borrow_and_update();
            if wanted.iter().all(|&id| *s.state(id) == ResourceState::Live) {
                let now = jiff::Timestamp::now().as_second();
                let outcomes = checks.evaluate_all(&s, &scope, &params, now);
                assert_eq!(outcomes.len(), pb.checks.len());
                outcomes
                    .iter()
                    .filter(|(id, o)| o.result != want(id))
                    .map(|(id, o)| format!("{id}: {o:?}"))
                    .collect::<Vec<_>>()
            } else {
                vec!["the panes are not live yet".to_string()]
            }
        };
        if wrong.is_empty() {
            break;
        }
        // The controllers make the ReplicaSet and its pods as the panes
        // watch: the verdicts are awaited on each new snapshot.
        if tokio::time::timeout_at(deadline, rx.changed())
            .await
            .is_err()
        {
            panic!("wrong verdicts:\n{}", wrong.join("\n"));
        }
    }
}
