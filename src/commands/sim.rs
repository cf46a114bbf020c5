//! `runbook sim SCENARIO --listen ADDR --kubeconfig FILE [--audit-log FILE]`
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
            errln!(
                "runbook: error: --listen wants ADDRESS:PORT, e.g. 127.0.0.1:6443 (got {listen:?})"
            );
            return Ok(super::USAGE);
        }
    };
    let scenario = match sim::load(&scenario) {
        Ok(s) => s,
        Err(err) => {
            errln!("{err}");
            if err.line == 0 && sim::builtin(&scenario).is_none() {
                errln!(
                    "runbook: built-in scenarios: {}",
                    sim::builtin_names().join(", ")
                );
            }
            return Ok(super::PROBLEMS);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(serve(scenario, listen, kubeconfig, audit_log))
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
