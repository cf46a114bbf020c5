//! runbook beside a peer tool (kdash) on the same generated cluster in
//! the same run: each in a 160x48 pty against one `runbook sim`, timed
//! from spawn to the full pod count on screen, with its resident memory
//! and CPU while events stream. Run `cargo build --release` and
//! `cargo install kdash` first; `PEER_PODS` sets the cluster's size.

use std::time::{Duration, Instant};

#[path = "support/pty_run.rs"]
mod pty_run;

/// The largest number in `screen` right after `prefix`, e.g. `Pods (` or
/// kdash's `Pods (ns: load) [`.
fn count_after(screen: &str, prefix: &str) -> Option<u64> {
    screen
        .match_indices(prefix)
        .filter_map(|(i, _)| {
            let rest = &screen[i + prefix.len()..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .max()
}

struct Figures {
    full_count_secs: f64,
    rss_mib: u64,
    peak_mib: u64,
    cpu_percent: f64,
}

fn measure(
    run: pty_run::Run,
    started: Instant,
    prefix: &str,
    pods: u64,
    patience: Duration,
) -> Figures {
    let full = run.wait_up_to(patience, |s| {
        count_after(s, prefix).is_some_and(|n| n >= pods)
    });
    let full_count_secs = (full - started).as_secs_f64();
    let pid = run.pid();
    let cpu0 = pty_run::cpu_seconds(pid);
    let w0 = Instant::now();
    std::thread::sleep(Duration::from_secs(20));
    let cpu_percent = 100.0 * (pty_run::cpu_seconds(pid) - cpu0) / w0.elapsed().as_secs_f64();
    let figures = Figures {
        full_count_secs,
        rss_mib: pty_run::status_kib(pid, "VmRSS:") / 1024,
        peak_mib: pty_run::status_kib(pid, "VmHWM:") / 1024,
        cpu_percent,
    };
    run.stop();
    figures
}

const PLAYBOOK: &str = "apiVersion: runbook/v1
kind: Playbook
metadata: { name: peers, title: Side by side }
focus: { namespace: load }
panes: [pods, events, nodes, deployments]
start: look
steps:
  - id: look
    title: Look at the panes
    outcome: resolved
";

fn main() {
    let pods: u64 = std::env::var("PEER_PODS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let events: u64 = std::env::var("PEER_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let Ok(kdash) = which("kdash") else {
        println!("kdash is not installed (cargo install kdash); nothing to compare");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut sim, kubeconfig, _) = pty_run::start_generated_sim(
        dir.path(),
        &format!("pods: {pods}, nodes: 5000, eventsPerSecond: {events}"),
    );
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).expect("home");
    let playbook = dir.path().join("peers-playbook.yaml");
    std::fs::write(&playbook, PLAYBOOK).expect("playbook");
    let kc = kubeconfig.display().to_string();
    let path = std::env::var("PATH").unwrap_or_default();

    let started = Instant::now();
    let run = pty_run::Run::start(
        &["run", &playbook.display().to_string(), "--kubeconfig", &kc],
        &home,
        &[],
    );
    let ours = measure(run, started, "Pods (", pods, Duration::from_secs(120));
    println!(
        "runbook: {pods} pods on screen {:.2} s after spawn; {} MiB resident (peak {}); {:.1}% of a core while {events} events/s stream",
        ours.full_count_secs, ours.rss_mib, ours.peak_mib, ours.cpu_percent
    );

    let started = Instant::now();
    let run = pty_run::Run::start_program(
        &kdash,
        &["-n", "load"],
        &home,
        &[("KUBECONFIG", kc.as_str()), ("PATH", path.as_str())],
    );
    let theirs = measure(
        run,
        started,
        "Pods (ns: load) [",
        pods,
        Duration::from_secs(600),
    );
    println!(
        "kdash:   {pods} pods on screen {:.2} s after spawn; {} MiB resident (peak {}); {:.1}% of a core while {events} events/s stream",
        theirs.full_count_secs, theirs.rss_mib, theirs.peak_mib, theirs.cpu_percent
    );
    println!(
        "kdash / runbook: {:.1}x the time to the full count, {:.1}x the resident memory ({:.1}x at peak)",
        theirs.full_count_secs / ours.full_count_secs,
        theirs.rss_mib as f64 / ours.rss_mib.max(1) as f64,
        theirs.peak_mib as f64 / ours.peak_mib.max(1) as f64
    );
    let _ = sim.kill();
    let _ = sim.wait();
}

fn which(program: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join(program))
        .find(|p| p.is_file())
        .ok_or(())
}
