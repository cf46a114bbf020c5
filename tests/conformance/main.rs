//! The simulator measured against the real thing: the same objects loaded
//! into a real control plane (built from source, `tests/controlplane/up`)
//! and into the simulator (without its kubelet, as the real one has none),
//! the same kubectl 1.37 invocations run against both, outputs normalised
//! (`normalize.rs`) and compared. Accept/reject decisions and outputs are
//! counted; the test fails when either share falls under its floor. The
//! full report (every difference as a diff) is written to
//! `target/tmp/conformance.md`; docs/conformance.md keeps the figures.

#[path = "../support/kube.rs"]
mod kube;
mod normalize;
mod run;
mod scenarios;

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use runbook::sim::{Scenario, SimHandle, SimOptions, Simulator};

use normalize::normalize;
use run::{Answer, Target};

/// Floors the suite may not fall under (shares of the invocations): every
/// accept/reject decision the real server's, and 95 % of the outputs (the
/// rest differ in what the real one leaves to chance or to Go's printing:
/// see docs/conformance.md).
const DECISIONS_FLOOR: f64 = 1.0;
const OUTPUTS_FLOOR: f64 = 0.95;

const SIM_SCENARIO: &str = r#"
apiVersion: runbook/v1
kind: Scenario
metadata: { name: conformance }
objects:
  - { apiVersion: v1, kind: Namespace, metadata: { name: shop } }
"#;

fn here() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/conformance")
}

struct Outcome {
    args: Vec<String>,
    real: Answer,
    sim: Answer,
}

impl Outcome {
    fn same_decision(&self) -> bool {
        self.real.accepted == self.sim.accepted
    }

    fn same_output(&self) -> bool {
        self.same_decision()
            && normalize(&self.real.stdout) == normalize(&self.sim.stdout)
            && normalize(&self.real.stderr) == normalize(&self.sim.stderr)
    }
}

#[test]
fn the_simulator_answers_as_the_real_api_server() {
    let Some(cp) = kube::control_plane() else {
        return;
    };
    let kubectl = kube::kubectl();
    let rt = runtime();
    let (sim, _dir, simulated) = simulator(&rt);
    let real = Target {
        kubeconfig: cp.admin(),
    };
    let cwd = here();

    // The node agent neither side has: renew conf-node-1's Lease on the real
    // one so its node lifecycle controller keeps the node Ready.
    let stop = Arc::new(AtomicBool::new(false));
    let heartbeat = {
        let stop = stop.clone();
        let admin = cp.admin();
        let kubectl = kubectl.clone();
        std::thread::spawn(move || renew_lease(&kubectl, &admin, &stop))
    };

    let load: Vec<String> = ["apply", "-f", "objects/base.yaml"]
        .map(String::from)
        .to_vec();
    let loaded_real = run::kubectl(&kubectl, &real, &cwd, &load);
    assert!(
        loaded_real.accepted,
        "the real API server refused the base objects: {}",
        loaded_real.stderr
    );
    let loaded_sim = run::kubectl(&kubectl, &simulated, &cwd, &load);
    let mut outcomes = vec![Outcome {
        args: load,
        real: loaded_real,
        sim: loaded_sim,
    }];
    settle(&kubectl, &[&real, &simulated], &cwd);
    // The real PV controller binds `reports` to its PV at once, or, when
    // the claim reached it before the volume, at its next 15 s sync: a
    // stable resourceVersion does not mean it has. Both sides wait for it
    // (the simulator has bound it already); the comparison is of objects
    // that settled, not of the binder's timing.
    let bound: Vec<String> = [
        "wait",
        "--for=jsonpath={.status.phase}=Bound",
        "pvc/reports",
        "-n",
        "conf",
        "--timeout=25s",
    ]
    .map(String::from)
    .to_vec();
    for target in [&real, &simulated] {
        let waited = run::kubectl(&kubectl, target, &cwd, &bound);
        assert!(
            waited.accepted,
            "the claim `reports` was never bound: {}",
            waited.stderr
        );
    }
    settle(&kubectl, &[&real, &simulated], &cwd);

    // For working on one difference: only the invocations this matches run
    // (the floors are then not checked).
    let filter = std::env::var("RUNBOOK_CONFORMANCE_FILTER")
        .ok()
        .map(|f| regex::Regex::new(&f).expect("RUNBOOK_CONFORMANCE_FILTER is a regex"));
    let lines: Vec<Vec<String>> = run::invocations(&cwd.join("invocations.txt"))
        .into_iter()
        .filter(|args| filter.as_ref().is_none_or(|f| f.is_match(&args.join(" "))))
        .collect();
    // Reads between two writes see the same objects: they run side by side.
    let mut reads: Vec<Vec<String>> = Vec::new();
    for args in lines {
        if !run::writes(&args) {
            reads.push(args);
            continue;
        }
        outcomes.extend(both_many(
            &kubectl,
            &real,
            &simulated,
            &cwd,
            std::mem::take(&mut reads),
        ));
        let (r, s) = both(&kubectl, &real, &simulated, &cwd, &args);
        settle(&kubectl, &[&real, &simulated], &cwd);
        outcomes.push(Outcome {
            args,
            real: r,
            sim: s,
        });
    }
    outcomes.extend(both_many(&kubectl, &real, &simulated, &cwd, reads));
    stop.store(true, Ordering::Relaxed);
    let _ = heartbeat.join();
    rt.block_on(sim.shutdown());

    let total = outcomes.len();
    let decisions = outcomes.iter().filter(|o| o.same_decision()).count();
    let outputs = outcomes.iter().filter(|o| o.same_output()).count();
    let report = report(&outcomes, decisions, outputs);
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("conformance.md");
    std::fs::write(&path, &report).expect("write the report");
    eprintln!("{report}");
    eprintln!("report: {}", path.display());
    if filter.is_some() {
        return;
    }
    let decided = decisions as f64 / total as f64;
    let output = outputs as f64 / total as f64;
    assert!(
        total >= 200,
        "the suite runs at least 200 invocations ({total})"
    );
    assert!(
        decided >= DECISIONS_FLOOR,
        "identical decisions {decisions}/{total} ({:.1} %) fell under the floor of {:.1} %",
        decided * 100.0,
        DECISIONS_FLOOR * 100.0
    );
    assert!(
        output >= OUTPUTS_FLOOR,
        "identical outputs {outputs}/{total} ({:.1} %) fell under the floor of {:.1} %",
        output * 100.0,
        OUTPUTS_FLOOR * 100.0
    );
}

/// One invocation on both clusters at once.
fn both(
    kubectl: &Path,
    real: &Target,
    sim: &Target,
    cwd: &Path,
    args: &[String],
) -> (Answer, Answer) {
    std::thread::scope(|scope| {
        let r = scope.spawn(|| run::kubectl(kubectl, real, cwd, args));
        let s = scope.spawn(|| run::kubectl(kubectl, sim, cwd, args));
        (
            r.join().expect("kubectl on the real one"),
            s.join().expect("kubectl on the simulator"),
        )
    })
}

/// Invocations that change nothing, three at a time, answers in their order.
fn both_many(
    kubectl: &Path,
    real: &Target,
    sim: &Target,
    cwd: &Path,
    lines: Vec<Vec<String>>,
) -> Vec<Outcome> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let answers: std::sync::Mutex<Vec<Option<(Answer, Answer)>>> =
        std::sync::Mutex::new(vec![None; lines.len()]);
    std::thread::scope(|scope| {
        for _ in 0..3 {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(args) = lines.get(i) else { break };
                    let answer = both(kubectl, real, sim, cwd, args);
                    answers.lock().expect("answers")[i] = Some(answer);
                }
            });
        }
    });
    let answers = answers.into_inner().expect("answers");
    lines
        .into_iter()
        .zip(answers)
        .map(|(args, answer)| {
            let (real, sim) = answer.expect("every invocation answered");
            Outcome { args, real, sim }
        })
        .collect()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

/// A simulator with no objects of its own and no kubelet, and kubectl's
/// way to it (the folder holds its kubeconfig).
fn simulator(rt: &tokio::runtime::Runtime) -> (SimHandle, tempfile::TempDir, Target) {
    let scenario = Scenario::from_yaml(SIM_SCENARIO, Path::new("conformance.yaml"))
        .expect("the conformance scenario");
    let options = SimOptions {
        without_kubelet: true,
        ..SimOptions::default()
    };
    let loopback: SocketAddr = "127.0.0.1:0".parse().expect("loopback");
    let sim = rt
        .block_on(Simulator::start_with(scenario, loopback, None, options))
        .expect("start the simulator");
    let dir = tempfile::tempdir().expect("tempdir");
    let kubeconfig = dir.path().join("sim.kubeconfig");
    sim.write_kubeconfig(&kubeconfig)
        .expect("write the simulator's kubeconfig");
    (sim, dir, Target { kubeconfig })
}

fn report(outcomes: &[Outcome], decisions: usize, outputs: usize) -> String {
    let total = outcomes.len();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Simulator vs real control plane\n\ninvocations: {total}\nidentical decisions: {decisions} ({:.1} %)\nidentical outputs: {outputs} ({:.1} %)\n",
        decisions as f64 * 100.0 / total as f64,
        outputs as f64 * 100.0 / total as f64
    );
    let mut slow: Vec<&Outcome> = outcomes.iter().collect();
    slow.sort_by_key(|o| std::cmp::Reverse(o.real.took.max(o.sim.took)));
    let _ = writeln!(out, "slowest (real / sim):");
    for o in slow.iter().take(12) {
        let _ = writeln!(
            out,
            "- {:.2} s / {:.2} s: kubectl {}",
            o.real.took.as_secs_f64(),
            o.sim.took.as_secs_f64(),
            o.args.join(" ")
        );
    }
    let _ = writeln!(out);
    for o in outcomes.iter().filter(|o| !o.same_output()) {
        let line = o.args.join(" ");
        let verdict = if o.same_decision() {
            "output differs"
        } else {
            "DECISION differs"
        };
        let _ = writeln!(
            out,
            "## kubectl {line}\n{verdict}: real {}, sim {}",
            if o.real.accepted {
                "accepted"
            } else {
                "refused"
            },
            if o.sim.accepted {
                "accepted"
            } else {
                "refused"
            }
        );
        for (what, real, sim) in [
            ("stdout", &o.real.stdout, &o.sim.stdout),
            ("stderr", &o.real.stderr, &o.sim.stderr),
        ] {
            let (real, sim) = (normalize(real), normalize(sim));
            if real != sim {
                let diff = similar::TextDiff::from_lines(&real, &sim);
                let _ = writeln!(
                    out,
                    "```diff\n{}```",
                    diff.unified_diff()
                        .context_radius(2)
                        .header(&format!("real {what}"), &format!("sim {what}"))
                );
            }
        }
    }
    out
}

/// Waits until neither cluster's objects in `conf` change for a while (the
/// controllers have answered the last write: nothing changed in 250 ms),
/// at most 15 s.
fn settle(kubectl: &Path, targets: &[&Target], cwd: &Path) {
    let probe: Vec<String> = [
        "get",
        "deployments,replicasets,statefulsets,daemonsets,jobs,cronjobs,pods,services,endpointslices,persistentvolumeclaims,horizontalpodautoscalers,poddisruptionbudgets,configmaps",
        "-n",
        "conf",
        "-o",
        "jsonpath={..resourceVersion}",
    ]
    .map(String::from)
    .to_vec();
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut last: Vec<String> = Vec::new();
    while Instant::now() < deadline {
        let now: Vec<String> = std::thread::scope(|scope| {
            let probes: Vec<_> = targets
                .iter()
                .map(|t| scope.spawn(|| run::kubectl(kubectl, t, cwd, &probe).stdout))
                .collect();
            probes
                .into_iter()
                .map(|p| p.join().expect("probe"))
                .collect()
        });
        if now == last {
            return;
        }
        last = now;
        std::thread::sleep(Duration::from_millis(250));
    }
}

fn renew_lease(kubectl: &Path, kubeconfig: &Path, stop: &AtomicBool) {
    use std::io::Write;
    while !stop.load(Ordering::Relaxed) {
        let now = jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%S%.6fZ");
        let lease = format!(
            "apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata: {{name: conf-node-1, namespace: kube-node-lease}}\nspec: {{holderIdentity: conf-node-1, leaseDurationSeconds: 40, renewTime: \"{now}\"}}\n"
        );
        if let Ok(mut child) = std::process::Command::new(kubectl)
            .arg("--kubeconfig")
            .arg(kubeconfig)
            .args(["apply", "-f", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
        {
            if let Some(mut input) = child.stdin.take() {
                let _ = input.write_all(lease.as_bytes());
            }
            let _ = child.wait();
        }
        for _ in 0..50 {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}
