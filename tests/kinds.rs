//! Every kind the panes know besides pods, nodes, events and deployments,
//! tested on real object YAML (tests/fixtures/kinds/every-kind.yaml):
//! `kubectl get`'s columns as kubectl's printers print them, the describe
//! view, and the check fields, through a playbook that validates and whose
//! checks give the verdicts the objects call for.

use std::collections::BTreeMap;
use std::path::Path;

use runbook::checks::{CheckSet, Scope};
use runbook::cluster::store::snapshot_of;
use runbook::engine::CheckResult;
use runbook::kinds::{self, REGISTRY};
use serde_json::Value;

const SCENARIO: &str = include_str!("fixtures/kinds/every-kind.yaml");
const PLAYBOOK: &str = include_str!("fixtures/kinds/every-kind-playbook.yaml");
/// The scenario's capturedAt: 2025-06-01T12:00:00Z.
const NOW: i64 = 1_748_779_200;

fn objects() -> Vec<Value> {
    let doc: Value = serde_saphyr::from_str(SCENARIO).expect("fixture parses");
    doc["objects"].as_array().expect("objects").clone()
}

fn object(kind: &str, name: &str) -> Value {
    objects()
        .into_iter()
        .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name} in the fixture"))
}

/// What `kubectl get -o wide` prints for the object (every kubectl column).
fn printed(kind: &str, name: &str) -> Vec<String> {
    let id = kinds::by_kind(kind).expect("registered");
    let k = kinds::get(id);
    let cells = k.print(&object(kind, name), NOW).expect("prints");
    k.columns()
        .iter()
        .zip(cells)
        .filter(|(c, _)| c.kubectl.is_some())
        .map(|(_, cell)| cell.text.to_string())
        .collect()
}

fn described(kind: &str, name: &str) -> String {
    let id = kinds::by_kind(kind).expect("registered");
    kinds::get(id)
        .describe_json(&object(kind, name), &[], NOW)
        .expect("describes")
        .join("\n")
}

#[test]
fn services_and_their_endpoints_print_like_kubectl() {
    assert_eq!(
        printed("Service", "cart"),
        [
            "cart",
            "ClusterIP",
            "10.96.12.34",
            "<none>",
            "80/TCP",
            "2d",
            "app=cart"
        ]
    );
    assert_eq!(
        printed("Service", "checkout"),
        [
            "checkout",
            "NodePort",
            "10.96.40.7",
            "<none>",
            "80:30080/TCP",
            "61d",
            "app=checkout"
        ]
    );
    assert_eq!(
        printed("EndpointSlice", "checkout-k2f9s"),
        [
            "checkout-k2f9s",
            "IPv4",
            "8080",
            "10.244.0.12,10.244.1.7",
            "61d"
        ]
    );
    assert_eq!(
        printed("EndpointSlice", "cart-7x2lp"),
        ["cart-7x2lp", "IPv4", "8080", "<unset>", "2d"]
    );
    let text = described("Service", "checkout");
    assert!(text.contains("Selector:     app=checkout"), "{text}");
    assert!(text.contains("Port:         80:30080/TCP"), "{text}");
}

#[test]
fn ingresses_volumes_and_classes_print_like_kubectl() {
    assert_eq!(
        printed("Ingress", "shop"),
        [
            "shop",
            "nginx",
            "shop.example.com",
            "203.0.113.10",
            "80, 443",
            "31d"
        ]
    );
    assert_eq!(
        printed("PersistentVolumeClaim", "data-postgres-0"),
        [
            "data-postgres-0",
            "Pending",
            "",
            "",
            "",
            "fast-ssd",
            "<unset>",
            "10m",
            "Filesystem"
        ]
    );
    assert_eq!(
        printed("PersistentVolumeClaim", "uploads"),
        [
            "uploads",
            "Bound",
            "pvc-3f1c2b7a-9d4e-4c1a-8f3e-1b2c3d4e5f60",
            "50Gi",
            "RWX",
            "standard",
            "<unset>",
            "92d",
            "Filesystem"
        ]
    );
    assert_eq!(
        printed(
            "PersistentVolume",
            "pvc-3f1c2b7a-9d4e-4c1a-8f3e-1b2c3d4e5f60"
        ),
        [
            "pvc-3f1c2b7a-9d4e-4c1a-8f3e-1b2c3d4e5f60",
            "50Gi",
            "RWX",
            "Delete",
            "Bound",
            "shop/uploads",
            "standard",
            "<unset>",
            "",
            // created five seconds after the claim: not yet 92 days
            "91d",
            "Filesystem"
        ]
    );
    assert_eq!(
        printed("StorageClass", "standard"),
        [
            "standard (default)",
            "ebs.csi.aws.com",
            "Delete",
            "WaitForFirstConsumer",
            "true",
            "142d"
        ]
    );
    let text = described("Ingress", "shop");
    assert!(text.contains("  search:80"), "{text}");
    let text = described("PersistentVolumeClaim", "data-postgres-0");
    assert!(
        text.contains("StorageClass: fast-ssd") && text.contains("Status:       Pending"),
        "{text}"
    );
}

#[test]
fn autoscalers_jobs_and_sets_print_like_kubectl() {
    assert_eq!(
        printed("HorizontalPodAutoscaler", "checkout"),
        [
            "checkout",
            "Deployment/checkout",
            "cpu: 95%/80%",
            "2",
            "10",
            "10",
            "61d"
        ]
    );
    assert_eq!(
        printed("Job", "nightly-report-29143800"),
        [
            "nightly-report-29143800",
            "Failed",
            "0/1",
            "10h",
            "10h",
            "report",
            "registry.example.com/report:v1.4.0",
            "batch.kubernetes.io/controller-uid=9f0e"
        ]
    );
    assert_eq!(
        printed("CronJob", "nightly-report"),
        [
            "nightly-report",
            "0 2 * * *",
            "<none>",
            "False",
            "0",
            "10h",
            "120d",
            "report",
            "registry.example.com/report:v1.4.0",
            "<none>"
        ]
    );
    assert_eq!(
        printed("StatefulSet", "postgres"),
        ["postgres", "0/1", "10m", "postgres", "postgres:16.3"]
    );
    assert_eq!(
        printed("DaemonSet", "node-exporter"),
        [
            "node-exporter",
            "2",
            "2",
            "1",
            "2",
            "1",
            "kubernetes.io/os=linux",
            "142d",
            "exporter",
            "prom/node-exporter:v1.8.1",
            "app=node-exporter"
        ]
    );
    assert_eq!(
        printed("ReplicaSet", "legacy-api-5c7d9f"),
        [
            "legacy-api-5c7d9f",
            "0",
            "0",
            "0",
            "142d",
            "api",
            "registry.example.com/legacy-api:v0.9",
            "app=legacy-api"
        ]
    );
    let text = described("Job", "nightly-report-29143800");
    assert!(
        text.contains("Failed:       BackoffLimitExceeded"),
        "{text}"
    );
    assert!(
        text.contains("Controlled By: CronJob/nightly-report"),
        "{text}"
    );
    let text = described("HorizontalPodAutoscaler", "checkout");
    assert!(text.contains("ScalingLimited   True"), "{text}");
}

#[test]
fn budgets_policies_and_keys_print_like_kubectl() {
    assert_eq!(
        printed("PodDisruptionBudget", "checkout"),
        ["checkout", "2", "N/A", "0", "61d"]
    );
    assert_eq!(
        printed("NetworkPolicy", "deny-all"),
        ["deny-all", "<none>", "31d"]
    );
    assert_eq!(
        printed("NetworkPolicy", "allow-checkout"),
        ["allow-checkout", "app=checkout", "31d"]
    );
    assert_eq!(
        printed("ConfigMap", "checkout-config"),
        ["checkout-config", "2", "61d"]
    );
    assert_eq!(
        printed("Secret", "checkout-db"),
        ["checkout-db", "Opaque", "2", "61d"]
    );
    let text = described("PodDisruptionBudget", "checkout");
    assert!(text.contains("Allowed disruptions:  0"), "{text}");
}

/// A Secret's values are skipped while it is parsed: no row, cell, or
/// describe line can hold them.
#[test]
fn a_secrets_values_are_never_read() {
    let secret = object("Secret", "checkout-db");
    let id = kinds::by_kind("Secret").expect("registered");
    let k = kinds::get(id);
    let (_, row) = k
        .row_json(&secret, &mut runbook::kinds::intern::Interner::new())
        .expect("projects");
    let everything = format!(
        "{row:?}\n{:?}\n{}",
        k.print(&secret, NOW).expect("prints"),
        k.describe_json(&secret, &[], NOW)
            .expect("describes")
            .join("\n")
    );
    for value in ["aHVudGVyMg", "hunter2", "cG9zdGdyZXM6"] {
        assert!(!everything.contains(value), "{value} leaked:\n{everything}");
    }
    assert!(everything.contains("password") && everything.contains("url"));
}

#[test]
fn a_playbook_over_every_kind_validates_and_its_checks_give_the_right_verdicts() {
    let pb = runbook::playbook::parse(PLAYBOOK, Path::new("every-kind.yaml")).expect("parses");
    let problems = runbook::playbook::validate(
        &pb,
        Path::new("every-kind.yaml"),
        &runbook::kinds::pane_names(),
    );
    assert!(problems.is_empty(), "{problems:?}");
    let (checks, errors) = CheckSet::compile(&pb);
    assert!(errors.is_empty(), "{errors:?}");
    let snapshot = snapshot_of(&objects(), NOW).expect("a snapshot of the fixture");
    let scope = Scope::new(Some("shop".into()), None, None).expect("scope");
    let outcomes = checks.evaluate_all(&snapshot, &scope, &BTreeMap::new(), NOW);
    for (id, outcome) in &outcomes {
        let want = if id == "hpa_has_room" {
            CheckResult::Fail
        } else {
            CheckResult::Pass
        };
        assert_eq!(outcome.result, want, "{id}: {outcome:?}");
    }
    assert_eq!(outcomes.len(), pb.checks.len());
    // Evidence names the objects.
    assert_eq!(outcomes["backend_missing"].objects, ["ingress/shop/shop"]);
    assert_eq!(
        outcomes["hpa_has_room"].objects,
        ["horizontalpodautoscaler/shop/checkout"]
    );
    assert_eq!(
        outcomes["volume_bound"].objects,
        ["persistentvolume/pvc-3f1c2b7a-9d4e-4c1a-8f3e-1b2c3d4e5f60"]
    );
}

#[test]
fn validate_names_an_unknown_pane_and_the_known_ones() {
    let text = PLAYBOOK.replace("panes: [services,", "panes: [servces,");
    let pb = runbook::playbook::parse(&text, Path::new("p.yaml")).expect("parses");
    let problems =
        runbook::playbook::validate(&pb, Path::new("p.yaml"), &runbook::kinds::pane_names());
    assert_eq!(problems.len(), 1, "{problems:?}");
    let message = &problems[0].message;
    assert!(
        message.starts_with(
            "unknown pane `servces` (did you mean `services`?); the panes are pods, events,"
        ),
        "{message}"
    );
    assert_eq!(problems[0].line, 10);
    for k in REGISTRY {
        assert!(message.contains(k.meta().name), "{message}");
    }
}
