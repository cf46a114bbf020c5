//! `runbook test` for every built-in drill: the cluster suggests the
//! answer's branch, each proven kubectl fix reaches the goal, and a
//! wrong fix does not. A drill without an entry here fails the suite.

use std::process::Command;

use super::kube_support;

/// (scenario, playbook, fixes that each heal, a fix that must not).
type Drill = (
    &'static str,
    &'static str,
    &'static [&'static [&'static str]],
    &'static [&'static str],
);

pub(crate) const DRILLS: &[Drill] = &[
    (
        "checkout-oom",
        "pod-crashloop",
        &[
            &["kubectl -n shop set resources deployment/checkout --limits=memory=512Mi"],
            &[
                r#"kubectl -n shop patch deployment checkout --type json -p '[{"op":"replace","path":"/spec/template/spec/containers/0/resources/limits/memory","value":"400Mi"}]'"#,
            ],
        ],
        &["kubectl -n shop rollout restart deployment/checkout"],
    ),
    (
        "config-missing",
        "pod-crashloop",
        &[
            &[
                r#"kubectl -n shop patch configmap reports-config -p '{"data":{"database-url":"postgres://reports-db.shop.svc:5432/reports"}}'"#,
            ],
            &[
                r#"kubectl -n shop patch deployment reports --type json -p '[{"op":"replace","path":"/spec/template/spec/containers/0/env/0/valueFrom/configMapKeyRef/key","value":"database_url"}]'"#,
            ],
        ],
        // More memory does not give a container the config it reads.
        &["kubectl -n shop set resources deployment/reports --limits=memory=1Gi"],
    ),
    (
        "probe-too-eager",
        "pod-crashloop",
        &[
            &[
                r#"kubectl -n shop patch deployment search --type json -p '[{"op":"replace","path":"/spec/template/spec/containers/0/livenessProbe/initialDelaySeconds","value":60}]'"#,
            ],
            &[
                r#"kubectl -n shop patch deployment search --type json -p '[{"op":"add","path":"/spec/template/spec/containers/0/startupProbe","value":{"httpGet":{"path":"/healthz","port":"http"},"periodSeconds":10,"failureThreshold":30}}]'"#,
            ],
        ],
        // The app is healthy and slow; more memory does not let it warm up.
        &["kubectl -n shop set resources deployment/search --limits=memory=1Gi"],
    ),
    (
        "image-typo",
        "image-pull-backoff",
        &[
            &["kubectl -n shop set image deployment/cart cart=registry.example.com/cart:v2.3.1"],
            &["kubectl -n shop rollout undo deployment/cart"],
        ],
        &["kubectl -n shop set image deployment/cart cart=registry.example.com/cart:v2.3.2"],
    ),
    (
        "node-down",
        "node-not-ready",
        &[&["kubectl drain node-b --ignore-daemonsets --delete-emptydir-data --force"]],
        &["kubectl -n shop rollout restart deployment/checkout"],
    ),
    (
        "dns-down",
        "dns-failures",
        &[&["kubectl -n kube-system scale deployment coredns --replicas=2"]],
        &["kubectl -n shop rollout restart deployment/checkout"],
    ),
    (
        "service-selector",
        "service-5xx",
        &[
            &[r#"kubectl -n shop patch service cart -p '{"spec":{"selector":{"app":"cart"}}}'"#],
            &["kubectl -n shop set selector service cart app=cart"],
        ],
        &["kubectl -n shop rollout restart deployment/frontend"],
    ),
    (
        "netpol-block",
        "upstream-unreachable",
        &[
            &[
                r#"kubectl -n shop patch networkpolicy cart-ingress --type json -p '[{"op":"add","path":"/spec/ingress/0/from/-","value":{"podSelector":{"matchLabels":{"app":"frontend"}}}}]'"#,
            ],
            &["kubectl -n shop delete networkpolicy cart-ingress"],
        ],
        &["kubectl -n shop rollout restart deployment/cart"],
    ),
    (
        "pvc-unbound",
        "pod-pending",
        &[&["kubectl apply -f assets/fixes/fast-ssd-storageclass.yaml"]],
        &["kubectl -n shop delete pod orders-db-0"],
    ),
    (
        "hpa-maxed",
        "hpa-maxed",
        &[&[r#"kubectl -n shop patch hpa api -p '{"spec":{"maxReplicas":12}}'"#]],
        &["kubectl -n shop scale deployment api --replicas=10"],
    ),
    (
        "ingress-backend",
        "ingress-backend",
        &[&[
            r#"kubectl -n shop patch ingress shop --type json -p '[{"op":"replace","path":"/spec/rules/0/http/paths/1/backend/service/name","value":"cart"}]'"#,
        ]],
        &["kubectl -n shop rollout restart deployment/cart"],
    ),
    (
        "cronjob-failing",
        "cronjob-failing",
        &[&[
            r#"kubectl -n shop patch cronjob nightly-report --type json -p '[{"op":"replace","path":"/spec/jobTemplate/spec/template/spec/containers/0/resources/limits/memory","value":"512Mi"}]'"#,
        ]],
        &["kubectl -n shop delete jobs -l app=nightly-report"],
    ),
    (
        "disk-pressure",
        "pods-evicted",
        &[&[
            "kubectl cordon node-c",
            "kubectl -n shop delete pods --field-selector=status.phase=Failed",
        ]],
        &["kubectl -n shop rollout restart deployment/web"],
    ),
];

fn runbook_test(scenario: &str, playbook: &str, fixes: &[&str], within: &str) -> (bool, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_runbook"));
    cmd.args(["test", playbook, "--scenario", scenario, "--within", within]);
    for fix in fixes {
        cmd.args(["--fix", fix]);
    }
    if !fixes.is_empty() {
        // `--fix` runs `kubectl` by name: the built one comes first.
        cmd.env("PATH", kube_support::path_env());
    }
    let out = cmd
        .env(
            "RUNBOOK_DATA_DIR",
            std::env::temp_dir().join("runbook-test-data"),
        )
        .env("RUNBOOK_PLAYBOOKS", "")
        .output()
        .expect("runbook runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn every_builtin_drill_has_its_fixes_proven() {
    let listed = Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["drill", "--list"])
        .output()
        .unwrap();
    let listed = String::from_utf8(listed.stdout).unwrap();
    for line in listed.lines().skip(1) {
        let name = line.split_whitespace().next().unwrap();
        assert!(
            DRILLS.iter().any(|d| d.0 == name),
            "drill {name} has no entry in tests/sim/runbook_test.rs"
        );
    }
}

#[test]
fn runbook_test_passes_every_drill_with_each_fix_and_fails_a_wrong_one() {
    if !kube_support::need_kubectl("`runbook test --fix` runs each fix's kubectl") {
        return;
    }
    // A few drills at a time: each is its own process and simulator.
    for chunk in DRILLS.chunks(4) {
        std::thread::scope(|s| {
            for (scenario, playbook, fixes, wrong) in chunk {
                s.spawn(move || {
                    // The CronJob runs every ten minutes of a clock that
                    // starts at the wall clock's now: after the fix the next
                    // run can be up to ten minutes off, then it must finish
                    // and hold (with "10m" this failed at some times of day).
                    let within = if *scenario == "cronjob-failing" {
                        "15m"
                    } else {
                        "10m"
                    };
                    for fix in *fixes {
                        let (ok, text) = runbook_test(scenario, playbook, fix, within);
                        assert!(ok, "{scenario} with {fix:?}:\n{text}");
                        assert!(text.contains("the cluster suggests"), "{text}");
                        assert!(text.contains("goal reached"), "{text}");
                    }
                    let (ok, text) = runbook_test(scenario, playbook, wrong, "3m");
                    assert!(!ok, "{scenario}: a wrong fix healed: {wrong:?}\n{text}");
                    assert!(text.contains("was not reached"), "{text}");
                });
            }
        });
    }
}

#[test]
fn a_path_the_cluster_does_not_suggest_fails_with_the_check_named() {
    let (ok, text) = runbook_test("checkout-oom", "pod-crashloop", &[], "1m");
    assert!(!ok, "no fix: the goal is not reached\n{text}");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_runbook"));
    let out = cmd
        .args([
            "test",
            "pod-crashloop",
            "--scenario",
            "checkout-oom",
            "--path",
            "confirm,why,app-error",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains("the cluster does not suggest")
            && err.contains("check `app-error` is failing"),
        "{err}"
    );
}
