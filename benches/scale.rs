//! Scale: `runbook sim` in its own process serves 150,000 pods on 5,000
//! nodes with 500 events a second, 20,000 Services with their
//! EndpointSlices and 50,000 ReplicaSets (Kubernetes' envelope; each
//! number from `SCALE_PODS`, `SCALE_SERVICES`, `SCALE_REPLICASETS`,
//! `SCALE_EVENTS`); this process runs runbook's cluster side
//! (kube-rs watchers → rows → store → snapshots) and measures time to the
//! full pod count, resident memory and CPU while events stream.
//! Then the real app (`runbook run` in a pseudo-terminal) against the same
//! simulator: the full pod count on screen, its resident memory, its CPU
//! while events stream, and a key press to the changed screen.
//! Run: `cargo build --release && cargo bench --bench scale`.

#[path = "support/pty_run.rs"]
mod pty_run;

use std::time::{Duration, Instant};

use runbook::checks::{CheckSet, Scope};
use runbook::cluster::connect::{ClusterConfig, connect};
use runbook::cluster::watch::{Focus, spawn};
use runbook::kinds;

/// This process's /proc status field in KiB.
fn kib(field: &str) -> u64 {
    pty_run::status_kib(std::process::id(), field)
}

fn cpu_seconds() -> f64 {
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_SELF)
        .expect("getrusage");
    let tv = |t: nix::sys::time::TimeVal| t.tv_sec() as f64 + t.tv_usec() as f64 / 1e6;
    tv(usage.user_time()) + tv(usage.system_time())
}

fn main() {
    let env = |name: &str, default: u64| -> u64 {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let pods = env("SCALE_PODS", 150_000);
    let services = env("SCALE_SERVICES", 20_000);
    let replica_sets = env("SCALE_REPLICASETS", 50_000);
    let events = env("SCALE_EVENTS", 500);
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut sim, kubeconfig, ready) = pty_run::start_generated_sim(
        dir.path(),
        &format!(
            "pods: {pods}, nodes: 5000, eventsPerSecond: {events}, services: {services}, replicaSets: {replica_sets}"
        ),
    );
    println!(
        "simulator ready with {pods} pods in {:.2} s",
        ready.as_secs_f64()
    );

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let c = connect(&ClusterConfig { kubeconfig: Some(kubeconfig.clone()), context: None }).await.expect("connect");
        let t = Instant::now();
        let handle = spawn(c.client, c.context, Focus { namespace: Some("load".into()), node: None, all_namespaces: false });
        // The new kinds' panes open: Services (with their EndpointSlices) and ReplicaSets.
        let wanted = ["pods", "events", "nodes", "deployments", "services", "replicasets"];
        handle.set_kinds(kinds::with_needs(wanted.iter().filter_map(|n| kinds::id_of(n))));
        let mut rx = handle.snapshots.clone();
        loop {
            if rx.borrow_and_update().pods().rows.len() as u64 >= pods {
                break;
            }
            tokio::time::timeout(Duration::from_secs(120), rx.changed()).await.expect("progress").expect("channel");
        }
        println!("all {pods} pods in the snapshot {:.2} s after connecting", t.elapsed().as_secs_f64());
        let services_id = kinds::id_of("services").expect("services");
        let rs_id = kinds::id_of("replicasets").expect("replicasets");
        loop {
            let s = rx.borrow_and_update().clone();
            if s.kind(services_id).len() as u64 >= services && s.kind(rs_id).len() as u64 >= replica_sets {
                break;
            }
            tokio::time::timeout(Duration::from_secs(120), rx.changed()).await.expect("progress").expect("channel");
        }
        println!("and {services} Services, their EndpointSlices and {replica_sets} ReplicaSets {:.2} s after connecting", t.elapsed().as_secs_f64());
        println!("resident memory after the initial list: {} MiB (peak {} MiB)", kib("VmRSS:") / 1024, kib("VmHWM:") / 1024);

        let cpu0 = cpu_seconds();
        let w0 = Instant::now();
        let mut publishes = 0u64;
        while w0.elapsed() < Duration::from_secs(20) {
            if tokio::time::timeout(Duration::from_secs(1), rx.changed()).await.is_ok() {
                publishes += 1;
            }
        }
        let cpu = cpu_seconds() - cpu0;
        let wall = w0.elapsed().as_secs_f64();
        let snap = rx.borrow().clone();
        println!(
            "while events stream: {:.1}% of one core over {wall:.0} s ({publishes} snapshots published, {} events held)",
            100.0 * cpu / wall,
            snap.events().rows.len()
        );
        println!("resident memory while streaming: {} MiB (peak {} MiB)", kib("VmRSS:") / 1024, kib("VmHWM:") / 1024);

        let text = runbook::playbook::catalog::BUILTIN.iter().find(|(f, _)| *f == "pod-crashloop.yaml").expect("built-in").1;
        let pb = runbook::playbook::parse(text, std::path::Path::new("pod-crashloop.yaml")).expect("parses");
        let (checks, _) = CheckSet::compile(&pb);
        let scope = Scope::new(Some("load".into()), None, None).expect("scope");
        let params = [("namespace".to_string(), "load".to_string()), ("deployment".to_string(), "x".to_string())].into();
        let t = Instant::now();
        let out = checks.evaluate_all(&snap, &scope, &params, jiff::Timestamp::now().as_second());
        println!("pod-crashloop's {} checks over {} pods: {:.1} ms", out.len(), snap.pods().rows.len(), t.elapsed().as_secs_f64() * 1e3);
    });
    app_in_a_pty(pods, events, &kubeconfig, dir.path());
    let _ = nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(sim.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    );
    let _ = sim.wait();
}

const SCALE_PLAYBOOK: &str = "apiVersion: runbook/v1
kind: Playbook
metadata: { name: scale, title: Scale check }
focus: { namespace: load }
panes: [pods, services, replicasets, events, nodes, deployments]
checks:
  crashing:
    description: Some pod is crashing
    expr: pods.exists(p, p.status == \"CrashLoopBackOff\")
start: look
steps:
  - id: look
    title: Look at the panes
    body: The pods pane counts every pod in the namespace.
    checklist:
      - text: Some pod is crashing
        check: crashing
    outcome: resolved
";

/// The real app against the simulator, as a responder would run it.
fn app_in_a_pty(pods: u64, events: u64, kubeconfig: &std::path::Path, dir: &std::path::Path) {
    let playbook = dir.join("scale-playbook.yaml");
    std::fs::write(&playbook, SCALE_PLAYBOOK).expect("playbook");
    let home = dir.join("home");
    std::fs::create_dir_all(&home).expect("home");
    let (pb, kc) = (
        playbook.display().to_string(),
        kubeconfig.display().to_string(),
    );
    let t = Instant::now();
    let mut run = pty_run::Run::start(&["run", &pb, "--kubeconfig", &kc], &home, &[]);
    let first = run.wait(|s| s.contains("Look at the panes"));
    let want = format!("Pods ({pods})");
    let full = run.wait(|s| s.contains(&want));
    println!(
        "app: first frame {:.0} ms after spawn; \"{want}\" on screen {:.2} s after spawn",
        (first - t).as_secs_f64() * 1e3,
        (full - t).as_secs_f64()
    );
    let verdict = run.wait(|s| s.contains("cluster: yes") || s.contains("cluster: no"));
    println!(
        "app: the check's verdict over {pods} pods on screen {:.2} s after spawn",
        (verdict - t).as_secs_f64()
    );
    let pid = run.pid();
    println!(
        "app: resident memory with {pods} pods: {} MiB (peak {} MiB)",
        pty_run::status_kib(pid, "VmRSS:") / 1024,
        pty_run::status_kib(pid, "VmHWM:") / 1024
    );
    let cpu0 = pty_run::cpu_seconds(pid);
    let w0 = Instant::now();
    std::thread::sleep(Duration::from_secs(20));
    let cpu = pty_run::cpu_seconds(pid) - cpu0;
    println!(
        "app: {:.1}% of one core while {events} events/s stream (over {:.0} s)",
        100.0 * cpu / w0.elapsed().as_secs_f64(),
        w0.elapsed().as_secs_f64()
    );
    // Keys in the pods pane: tab to the panes, then move the selection.
    run.key_to_change(b"\t");
    let mut keys = Vec::new();
    for i in 0..200 {
        keys.push(run.key_to_change(if i % 2 == 0 { b"j" } else { b"k" }));
    }
    let (m, p) = pty_run::median_p99(keys);
    println!("app: key press to changed screen with {pods} pods: median {m:.1} ms, p99 {p:.1} ms");
    println!(
        "app: resident memory after streaming: {} MiB (peak {} MiB)",
        pty_run::status_kib(pid, "VmRSS:") / 1024,
        pty_run::status_kib(pid, "VmHWM:") / 1024
    );
    run.stop();
}
