//! `runbook test PLAYBOOK --scenario S [--path STEP,...] [--fix CMD]...`:
//! a playbook walked headless against a scenario's simulated cluster. At
//! each choice the path takes, the cluster must suggest it (its `when`
//! check passes, evaluated as the app evaluates it); then the fix commands
//! run with kubectl against the simulator, its clock is stepped, and the
//! scenario's goal must hold for its `for`. Exit 0, or 1 with an account
//! of what failed; 2 before anything runs when the playbook does not pass
//! `validate` (said in `validate`'s words) or the scenario is not one.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::Context as _;

use super::output::{errln, outln};
use crate::checks::{CheckOutcome, CheckSet, Scope};
use crate::cluster::connect::{ClusterConfig, connect};
use crate::cluster::watch::{self, Focus};
use crate::drill::goal::{CompiledGoal, GoalState, GoalTracker};
use crate::drill::path;
use crate::engine::CheckResult;
use crate::kinds::snapshot::Snapshot;
use crate::playbook::catalog::Entry;
use crate::playbook::params::resolve_params;
use crate::sim::{self, SimHandle, SimOptions, Simulator};

/// How far the clock may be stepped waiting for the goal, by default.
pub const GOAL_PATIENCE: Duration = Duration::from_secs(20 * 60);
/// One step of the clock while waiting.
const STEP: Duration = Duration::from_secs(5);
/// Real time allowed for fresh cluster data after each step.
const DATA_PATIENCE: Duration = Duration::from_secs(20);

pub struct TestArgs {
    pub playbook: String,
    pub scenario: String,
    pub path: Option<Vec<String>>,
    pub fixes: Vec<String>,
    /// Simulated time the goal may take to be reached, beyond its `for`.
    pub within: Duration,
}

pub fn run(args: TestArgs) -> anyhow::Result<u8> {
    // What cannot work is said before anything starts: a playbook
    // `validate` rejects, with its words, or a scenario that is not one.
    let entry = match super::validate::valid_playbook(&args.playbook) {
        Ok(entry) => entry,
        Err(code) => return Ok(code),
    };
    let scenario = match super::sim::load_scenario(&args.scenario) {
        Ok(scenario) => scenario,
        Err(code) => return Ok(code),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    match runtime.block_on(walk(&args, entry, scenario)) {
        Ok(()) => {
            outln!("ok: {} passes against {}", args.playbook, args.scenario);
            Ok(super::OK)
        }
        Err(e) => {
            errln!(
                "error: FAILED: {} against {}: {e:#}",
                args.playbook,
                args.scenario
            );
            Ok(super::PROBLEMS)
        }
    }
}

async fn walk(args: &TestArgs, entry: Entry, scenario: sim::Scenario) -> anyhow::Result<()> {
    let playbook = entry.playbook;
    let given: Vec<(String, String)> = scenario.metadata.params.clone().into_iter().collect();
    let params = resolve_params(&playbook, &given).map_err(|e| {
        let all: Vec<String> = e.iter().map(|p| p.to_string()).collect();
        anyhow::anyhow!("the scenario's params: {}", all.join("; "))
    })?;
    let steps = match &args.path {
        Some(p) => p.clone(),
        None => {
            let answer = scenario
                .metadata
                .answer
                .clone()
                .context("the scenario names no answer (metadata.answer); give --path")?;
            path::to_answer(&playbook, &answer).with_context(|| {
                format!(
                    "no way from the start of {} to step `{answer}`",
                    playbook.name()
                )
            })?
        }
    };
    let moves = path::moves(&playbook, &steps).map_err(|e| anyhow::anyhow!(e))?;
    let (checks, broken) = CheckSet::compile(&playbook);
    if let Some((id, e)) = broken.first() {
        anyhow::bail!("check `{id}` does not compile: {}", e.message);
    }
    let goal =
        match &scenario.goal {
            Some(g) => Some(CompiledGoal::compile(g).map_err(|e| {
                anyhow::anyhow!("the scenario's goal does not compile: {}", e.message)
            })?),
            None => None,
        };
    let scope = crate::app::launch::scope_for(&playbook, &params, None);

    let dir = tempfile_dir()?;
    let handle = Simulator::start_with(
        scenario.clone(),
        std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        None,
        SimOptions {
            manual_clock: true,
            ..SimOptions::default()
        },
    )
    .await?;
    handle.set_goal_scope(scope.clone());
    let kubeconfig = dir.join("kubeconfig");
    handle.write_kubeconfig(&kubeconfig)?;
    let cluster = Cluster {
        handle: &handle,
        kubeconfig: kubeconfig.clone(),
        focus: Focus {
            namespace: scope.namespace.clone(),
            node: scope.node.clone(),
            all_namespaces: false,
        },
    };

    for m in &moves {
        handle.reached_step(&m.from);
        let Some((label, when)) = &m.choice else {
            outln!("  {} → {}", m.from, m.to);
            continue;
        };
        let Some(check) = when else {
            anyhow::bail!(
                "at step `{}` the path takes \"{label}\", which names no check (`when`): the cluster cannot suggest it",
                m.from
            );
        };
        let outcome = cluster
            .check(&checks, check, &scope, &params)
            .await
            .with_context(|| format!("evaluating `{check}` at step `{}`", m.from))?;
        if outcome.result != CheckResult::Pass {
            anyhow::bail!(
                "at step `{}` the cluster does not suggest \"{label}\": check `{check}` is {}{}",
                m.from,
                word(outcome.result),
                outcome
                    .detail
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default()
            );
        }
        outln!(
            "  {} → {}: the cluster suggests \"{label}\" ({check}: {})",
            m.from,
            m.to,
            evidence(&outcome)
        );
    }
    if let Some(last) = steps.last() {
        handle.reached_step(last);
    }
    for fix in &args.fixes {
        run_fix(fix, &kubeconfig).await?;
    }
    let Some(goal) = goal else {
        outln!("  the scenario states no goal; nothing more to check");
        return Ok(());
    };
    let hold = goal.hold();
    let mut tracker = GoalTracker::new(goal);
    let started = handle.now();
    let mut waited = Duration::ZERO;
    loop {
        let snapshot = cluster.fresh().await?;
        let now = handle.now().as_second();
        match tracker.observe(&snapshot, &scope, &params, now) {
            GoalState::Reached { at, .. } => {
                outln!(
                    "  goal reached at +{}s (held {}s): {}",
                    at - started.as_second(),
                    hold.as_secs(),
                    tracker.goal().source()
                );
                return Ok(());
            }
            state if waited >= args.within + hold => {
                let objects = tracker.outcome.as_ref().map(evidence).unwrap_or_default();
                anyhow::bail!(
                    "the goal `{}` was not reached in {} of simulated time: {state:?} ({objects})",
                    tracker.goal().source(),
                    humantime::format_duration(waited)
                );
            }
            _ => {}
        }
        handle.advance(STEP);
        waited += STEP;
    }
}

fn word(result: CheckResult) -> &'static str {
    match result {
        CheckResult::Pass => "passing",
        CheckResult::Fail => "failing",
        CheckResult::Unknown => "unknown",
    }
}

fn evidence(outcome: &CheckOutcome) -> String {
    if outcome.objects.is_empty() {
        word(outcome.result).to_string()
    } else {
        format!("{}: {}", word(outcome.result), outcome.objects.join(", "))
    }
}

fn tempfile_dir() -> anyhow::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("runbook-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

/// Runs one fix command (split as a shell would, run without one) with
/// the simulator's kubeconfig; a failing command fails the test.
async fn run_fix(fix: &str, kubeconfig: &std::path::Path) -> anyhow::Result<()> {
    let argv = shlex::split(fix).with_context(|| format!("cannot split the fix `{fix}`"))?;
    let (program, rest) = argv.split_first().context("an empty fix command")?;
    let output = tokio::process::Command::new(program)
        .args(rest)
        .env("KUBECONFIG", kubeconfig)
        .env_remove("KUBERNETES_SERVICE_HOST")
        .output()
        .await
        .with_context(|| format!("cannot run `{program}`"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if !output.status.success() {
        anyhow::bail!(
            "the fix `{fix}` failed ({}): {}",
            output.status,
            text.trim()
        );
    }
    outln!("  fix: {fix}: {}", text.trim());
    Ok(())
}

/// The simulator as the app sees it: fresh watchers for each look, so the
/// rows are the cluster as it is at the (stopped) simulated clock.
struct Cluster<'a> {
    handle: &'a SimHandle,
    kubeconfig: std::path::PathBuf,
    focus: Focus,
}

impl Cluster<'_> {
    /// A snapshot listed after the last change: new watchers, waited on
    /// until every resource is live (a fresh list).
    async fn fresh(&self) -> anyhow::Result<Snapshot> {
        let cfg = ClusterConfig {
            kubeconfig: Some(self.kubeconfig.clone()),
            context: None,
        };
        let connected = connect(&cfg).await.map_err(|e| anyhow::anyhow!(e))?;
        // Every kind: a playbook's checks and a scenario's goal may read any.
        let every_kind = crate::kinds::KindId::all().collect();
        let mut watched = watch::spawn_kinds(
            connected.client,
            connected.context,
            self.focus.clone(),
            Some(every_kind),
        );
        let wait = async {
            loop {
                let snapshot = watched.snapshots.borrow_and_update().clone();
                if all_live(&snapshot) {
                    return Ok(snapshot);
                }
                if watched.snapshots.changed().await.is_err() {
                    anyhow::bail!("the cluster watchers stopped");
                }
            }
        };
        tokio::time::timeout(DATA_PATIENCE, wait)
            .await
            .context("no complete cluster data in time")?
    }

    async fn check(
        &self,
        checks: &CheckSet,
        id: &str,
        scope: &Scope,
        params: &BTreeMap<String, String>,
    ) -> anyhow::Result<CheckOutcome> {
        let snapshot = self.fresh().await?;
        let now = self.handle.now().as_second();
        checks
            .evaluate_all(&snapshot, scope, params, now)
            .remove(id)
            .with_context(|| format!("no check `{id}` in the playbook"))
    }
}

/// Every kind's watcher has answered (live, or refused: a forbidden
/// resource stays unknown and the check says so).
fn all_live(s: &Snapshot) -> bool {
    use crate::kinds::snapshot::ResourceState::{Idle, Loading};
    s.kinds
        .iter()
        .all(|rows| !matches!(rows.state(), Loading | Idle))
}
