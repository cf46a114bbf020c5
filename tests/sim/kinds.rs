//! Plain `kubectl get` and `kubectl describe` work on every kind the panes
//! know, against the simulator serving real object YAML, and print what
//! the panes print.

use super::tools::kubectl;
use super::*;

const EVERY_KIND: &str = include_str!("../fixtures/kinds/every-kind.yaml");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_gets_and_describes_every_kind() {
    let handle = Simulator::start_with(scenario(EVERY_KIND), loopback(), None, manual())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    handle.write_kubeconfig(&kubeconfig).unwrap();
    // (resource, object, a line of `get -o wide`, a line of `describe`)
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "services",
            "cart",
            "80/TCP",
            "Selector:                 app=cart",
        ),
        (
            "endpointslices",
            "checkout-k2f9s",
            "10.244.0.12,10.244.1.7",
            "AddressType:  IPv4",
        ),
        (
            "ingresses",
            "shop",
            "80, 443",
            "shop-tls terminates shop.example.com",
        ),
        (
            "pvc",
            "data-postgres-0",
            "fast-ssd",
            "Status:        Pending",
        ),
        (
            "storageclasses",
            "standard",
            "standard (default)",
            "IsDefaultClass:        Yes",
        ),
        ("hpa", "checkout", "cpu: 95%/80%", "10 current / 10 desired"),
        ("jobs", "nightly-report-29143800", "Failed", "7 Failed"),
        ("cronjobs", "nightly-report", "0 2 * * *", "Schedule:"),
        (
            "statefulsets",
            "postgres",
            "0/1",
            // Aligned with the defaulted fields above it (Pod Management
            // Policy, the claim retention policy), as on a real server.
            "1 desired | 1 total",
        ),
        (
            "daemonsets",
            "node-exporter",
            "kubernetes.io/os=linux",
            "Node-Selector:  kubernetes.io/os=linux",
        ),
        (
            "replicasets",
            "legacy-api-5c7d9f",
            "legacy-api:v0.9",
            "0 current / 0 desired",
        ),
        ("pdb", "checkout", "N/A", "Min available:  2"),
        (
            "networkpolicies",
            "deny-all",
            "<none>",
            "Policy Types: Ingress, Egress",
        ),
        (
            "configmaps",
            "checkout-config",
            "checkout-config",
            "LOG_LEVEL",
        ),
        ("secrets", "checkout-db", "Opaque", "password:"),
    ];
    for (resource, name, got, said) in cases {
        let Some(table) =
            kubectl(&kubeconfig, &["-n", "shop", "get", resource, "-o", "wide"]).await
        else {
            return; // skipped: RUNBOOK_SKIP_CONTROLPLANE=1
        };
        let row = table
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{resource}: no {name} in\n{table}"));
        assert!(row.contains(got), "{resource}: {row}");
        let text = kubectl(&kubeconfig, &["-n", "shop", "describe", resource, name])
            .await
            .unwrap();
        assert!(text.contains(said), "{resource} {name}:\n{text}");
    }
    let pv = kubectl(&kubeconfig, &["get", "pv"]).await.unwrap();
    assert!(pv.contains("shop/uploads") && pv.contains("Bound"), "{pv}");
    handle.shutdown().await;
}
