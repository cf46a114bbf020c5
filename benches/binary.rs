//! The real binary in a pseudo-terminal, without a cluster: time from
//! spawning `runbook run` to the walkthrough's first frame on screen, the
//! resident memory of the process once it idles, and a key press to the
//! changed screen as the terminal sees it.
//! Run: `cargo build --release && cargo bench --bench binary`.

#[path = "support/pty_run.rs"]
mod pty_run;

use std::time::{Duration, Instant};

use pty_run::{Run, median_p99, release_binary, status_kib};

const RUN: &[&str] = &[
    "run",
    "pod-crashloop",
    "--set",
    "namespace=shop",
    "--set",
    "deployment=checkout",
    "--kubeconfig",
    "/nonexistent/kubeconfig",
];

fn main() {
    assert!(
        release_binary().exists(),
        "build the release binary first: cargo build --release"
    );
    let mut first = Vec::new();
    let mut keys = Vec::new();
    let mut rss = Vec::new();
    for _ in 0..15 {
        let dir = tempfile::tempdir().expect("tempdir");
        let t = Instant::now();
        let mut run = Run::start(RUN, dir.path(), &[]);
        let shown = run.wait(|s| s.contains("Confirm the symptom") && s.contains("Checklist"));
        first.push(shown - t);
        // Let it idle, then read what it holds.
        std::thread::sleep(Duration::from_millis(500));
        let pid = run.pid();
        rss.push((status_kib(pid, "VmRSS:"), status_kib(pid, "VmHWM:")));
        for i in 0..20 {
            keys.push(run.key_to_change(if i % 2 == 0 { b"j" } else { b"k" }));
        }
        run.stop();
    }
    let (m, p) = median_p99(first);
    println!("spawn to first walkthrough frame (160x48)      median {m:>7.2} ms   p99 {p:>7.2} ms");
    let (m, p) = median_p99(keys);
    println!("key press to changed screen, through the pty   median {m:>7.2} ms   p99 {p:>7.2} ms");
    rss.sort();
    let (r, h) = rss[rss.len() / 2];
    println!(
        "resident memory, idle, no cluster               {:.1} MiB (peak {:.1} MiB)",
        r as f64 / 1024.0,
        h as f64 / 1024.0
    );
}
