//! `runbook sim SCENARIO --listen ADDR --kubeconfig FILE [--audit-log FILE]`
use super::failure;
use super::output::{errln, outln};

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;

use crate::sim::{self, Simulator};

pub fn run(
    scenario: String,
    listen: String,
    kubeconfig: PathBuf,
    audit_log: Option<PathBuf>,
) -> anyhow::Result<u8> {
    let listen: SocketAddr = match listen.parse() {
        Ok(addr) => addr,
        Err(_) => {
            return Ok(failure::usage(format_args!(
                "--listen wants ADDRESS:PORT, e.g. 127.0.0.1:6443 (got {listen:?})"
            )));
        }
    };
    let scenario = match load_scenario(&scenario) {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(serve(scenario, listen, kubeconfig, audit_log))
}

/// A SCENARIO argument (a built-in's name or a file), saying why not when
/// it names none or the file is not a scenario: usage errors either way
/// (`drill` and `sim`). `Err` carries the exit code.
pub fn load_scenario(name: &str) -> Result<sim::Scenario, u8> {
    load_scenario_of(name, &sim::builtin_names())
}

/// `load_scenario`, naming `offered` as the built-ins when none matches
/// (`drill` offers only drills: a scale scenario opens no playbook).
pub fn load_scenario_of(name: &str, offered: &[&str]) -> Result<sim::Scenario, u8> {
    if sim::builtin(name).is_none() && !std::path::Path::new(name).exists() {
        return Err(failure::usage(format_args!(
            "no built-in scenario or scenario file named `{name}`; built-in scenarios: {}",
            offered.join(", ")
        )));
    }
    sim::load(name).map_err(|err| {
        // `path:line:col: error: ...` (or `path: error: ...` when the file
        // cannot be read at all).
        errln!("{err}");
        super::USAGE
    })
}

async fn serve(
    scenario: sim::Scenario,
    listen: SocketAddr,
    kubeconfig: PathBuf,
    audit_log: Option<PathBuf>,
) -> anyhow::Result<u8> {
    let name = scenario.metadata.name.clone();
    // Signal handlers first: a SIGTERM right after "listening" must stop
    // the simulator cleanly, not kill it.
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).context("cannot watch SIGTERM")?;
    let mut int = signal(SignalKind::interrupt()).context("cannot watch SIGINT")?;
    let handle = Simulator::start(scenario, listen, audit_log).await?;
    handle
        .write_kubeconfig(&kubeconfig)
        .with_context(|| format!("cannot write the kubeconfig {}", kubeconfig.display()))?;
    outln!(
        "runbook sim: scenario {name} listening on {} (kubeconfig {})",
        handle.url(),
        kubeconfig.display()
    );
    outln!(
        "runbook sim: try `KUBECONFIG={} kubectl get pods`; Ctrl-C stops",
        kubeconfig.display()
    );
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
    outln!("runbook sim: stopping");
    handle.shutdown().await;
    Ok(super::OK)
}
