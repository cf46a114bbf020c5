//! Each built-in drill's right fix, applied alone, from the app and from a
//! second terminal, is the change its drill report credits.
//!
//! The simulator runs in-process on a stopped clock. What happens is
//! journaled as the app journals it (`app/background.rs`): a command's
//! writes as its gateway reports them (the gateway signs in to the
//! simulator as `runbook`, and the record names the command); a built-in
//! action when it ends; the writes of any other client as made "outside
//! runbook", found at the background's next poll of the simulator (every
//! 500 ms); and the goal's reaching once, its `since` brought from the
//! simulator's seconds into the journal's clock at that poll. The journal
//! is then graded by `drill::report`, for several timings of those polls.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use runbook::cluster::actions::{self, ActionKind, ActionRequest, Mutations};
use runbook::cluster::gateway::ApiWrite;
use runbook::drill::GoalState;
use runbook::drill::report::{self, DrillReport, Verdict};
use runbook::engine::{Drill, Event, Record, Session};
use runbook::playbook::Playbook;
use runbook::sim::api::write_log::{APP_USER, SimWrite};

use super::runbook_test::DRILLS;
use super::*;

/// How the fix reaches the cluster.
#[derive(Debug, Clone, Copy, PartialEq)]
enum From {
    /// The fix's kubectl commands run from the app: through its gateway.
    App,
    /// The same commands from a second terminal, with the drill's kubeconfig.
    SecondTerminal,
}

/// Something the journal will hold, at the simulated moment it happened;
/// the journal's time for it is decided when the journal is built.
enum Happened {
    /// A write through the gateway, journaled at once.
    Gateway(ApiWrite),
    /// A write the background finds at its next poll.
    Outside(ApiWrite),
    /// A built-in action, journaled when it ends.
    Action(Event),
}

struct Drilled {
    playbook: Arc<Playbook>,
    drill: Drill,
    /// (simulated moment, what happened), in order.
    happened: Vec<(Timestamp, Happened)>,
    /// The simulator's judgement: passing since, and when it was seen reached.
    reached: Option<(i64, Timestamp)>,
}

/// The playbook a drill opens, with the scenario's params.
fn playbook_of(name: &str) -> Arc<Playbook> {
    let catalog = runbook::playbook::catalog::Catalog::load(&[]);
    let entry = catalog.get(name).expect("a built-in playbook");
    Arc::new(entry.playbook.clone())
}

/// The request the fix's commands split into (as `runbook test` splits them).
fn argv(fix: &str) -> Vec<String> {
    shlex::split(fix).expect("a fix splits")
}

async fn run_kubectl(kubeconfig: &Path, fix: &str) {
    let argv = argv(fix);
    assert_eq!(argv[0], "kubectl", "{fix}");
    let out = tools::kubectl_status(
        kubeconfig,
        &argv[1..].iter().map(String::as_str).collect::<Vec<_>>(),
    )
    .await
    .expect("the tests that run a fix's kubectl ask `need_kubectl` first");
    assert!(out.0, "{fix}: {}", out.1);
}

/// As `app/background.rs` names a client that is not the app.
fn outside_by(user: &str) -> String {
    match user {
        "anonymous" => "outside runbook".into(),
        user => format!("outside runbook (user {user})"),
    }
}

fn api_write(w: &SimWrite, by: &str) -> ApiWrite {
    let mut write = ApiWrite::new(&w.method, &w.path, &w.body, false, by);
    write.status = w.status;
    write
}

/// One step of a fix.
#[derive(Debug, Clone, Copy)]
enum Step<'a> {
    /// A kubectl command: from the app or a second terminal, by `From`.
    Kubectl(&'a str),
    /// A built-in action on `KIND/NAME`, always from the app.
    Action(ActionKind, &'a str),
}

/// The app's own client: signed in as runbook, as the actions' client is.
async fn app_client(handle: &SimHandle) -> Client {
    let kubeconfig = Kubeconfig::from_yaml(&handle.kubeconfig_yaml_as(APP_USER)).expect("yaml");
    let config = Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
        .await
        .expect("config");
    Client::try_from(config).expect("client")
}

/// Runs a built-in action as the app does, and its record as journaled.
async fn action(handle: &SimHandle, kind: ActionKind, target: &str) -> Event {
    let client = app_client(handle).await;
    let request = ActionRequest::new(kind, target, "", None).expect("KIND/NAME");
    let mutations = Mutations::allow(false).expect("not read-only");
    let dry_run = soon(actions::preview(&client, &request, &mutations))
        .await
        .expect("the dry run passes");
    let done = soon(actions::execute_with_wait(
        &client,
        &request,
        &mutations,
        runbook::cluster::drain::Reporter::silent(),
        Duration::from_secs(5),
    ))
    .await;
    Event::Action {
        step: "fix".into(),
        kind: kind.as_str().into(),
        target: target.into(),
        dry_run,
        outcome: match done {
            Ok(summary) => summary,
            Err(e) => format!("failed: {e}"),
        },
        context: None,
        server: None,
        drain: None,
    }
}

/// Starts the drill's simulator, walks to the answer (a scenario's phases
/// may fire on a step), applies `fix` alone and steps the clock until the
/// simulator judges the goal reached (or `patience` runs out).
async fn drill(scenario: &str, playbook: &str, fix: &[Step<'_>], from: From) -> Drilled {
    let loaded = sim::load(scenario).expect("a built-in scenario");
    let meta = loaded.metadata.clone();
    let goal = loaded.goal.clone().expect("a drill states its goal");
    let pb = playbook_of(playbook);
    let given: Vec<(String, String)> = meta.params.clone().into_iter().collect();
    let params = runbook::playbook::params::resolve_params(&pb, &given).expect("the params fit");
    let scope = runbook::app::launch::scope_for(&pb, &params, None);
    let handle = Simulator::start_with(loaded, loopback(), None, manual())
        .await
        .expect("the simulator starts");
    handle.set_goal_scope(scope);
    let answer = meta.answer.clone().expect("a drill names its answer");
    for step in runbook::drill::path::to_answer(&pb, &answer).expect("a way to the answer") {
        handle.reached_step(&step);
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let app = dir.path().join("app.kubeconfig");
    handle
        .write_kubeconfig_as(&app, APP_USER)
        .expect("kubeconfig");
    let trainee = dir.path().join("kubeconfig");
    handle.write_kubeconfig(&trainee).expect("kubeconfig");
    let mut happened = Vec::new();
    let mut seen = handle.writes_since(0).len();
    // Who made the writes the simulator logged since the last look: the
    // command whose gateway credential sent them (`Some`), or a client
    // outside the app. (kubectl sends no token over plain HTTP, so the
    // simulator cannot tell the two apart by user here; the gateway can.)
    let note =
        |handle: &SimHandle, command: Option<&str>, seen: &mut usize, happened: &mut Vec<_>| {
            let writes = handle.writes_since(*seen);
            *seen += writes.len();
            for w in writes {
                let what = match command {
                    Some(by) => Happened::Gateway(api_write(&w, by)),
                    None => Happened::Outside(api_write(&w, &outside_by(&w.user))),
                };
                happened.push((handle.now(), what));
            }
        };
    for (i, step) in fix.iter().enumerate() {
        if i > 0 {
            // A trainee takes a moment between one step and the next.
            handle.advance(Duration::from_secs(1));
        }
        match (step, from) {
            (Step::Kubectl(command), From::App) => {
                run_kubectl(&app, command).await;
                note(&handle, Some(command), &mut seen, &mut happened);
            }
            (Step::Kubectl(command), From::SecondTerminal) => {
                run_kubectl(&trainee, command).await;
                note(&handle, None, &mut seen, &mut happened);
            }
            (Step::Action(kind, target), _) => {
                let event = action(&handle, *kind, target).await;
                // The actions' own client is the app's: the background
                // leaves its writes to the action's record.
                seen = handle.writes_since(0).len();
                happened.push((handle.now(), Happened::Action(event)));
            }
        }
    }
    // Fifteen minutes: cronjob-failing's ten-minute schedule follows the
    // wall clock, so its next run after the fix can be ten minutes off,
    // and then it must finish (ten minutes failed at some times of day).
    let reached = wait_for_goal(&handle, goal.hold + Duration::from_secs(900));
    // Nothing else wrote while the clock ran.
    assert_eq!(handle.writes_since(seen), Vec::new(), "{scenario}");
    handle.shutdown().await;
    Drilled {
        playbook: pb,
        drill: drill_record(&meta.name, &answer, &goal.check, goal.hold),
        happened,
        reached,
    }
}

fn drill_record(scenario: &str, answer: &str, goal: &str, hold: Duration) -> Drill {
    Drill {
        scenario: scenario.into(),
        answer: answer.into(),
        title: String::new(),
        goal: Some(goal.into()),
        hold_secs: hold.as_secs(),
        target_secs: 0,
    }
}

/// Steps the clock a second at a time, as the background looks twice a
/// second: the simulator's `since`, and the simulated moment it was seen.
fn wait_for_goal(handle: &SimHandle, patience: Duration) -> Option<(i64, Timestamp)> {
    let mut waited = Duration::ZERO;
    loop {
        if let Some(GoalState::Reached { since, .. }) = handle.goal_state() {
            return Some((since, handle.now()));
        }
        if waited >= patience {
            return None;
        }
        handle.advance(Duration::from_secs(1));
        waited += Duration::from_secs(1);
    }
}

/// The journal the app would have written, graded. `write_lag`: how long
/// after a write the background's poll found it; `goal_lag`: how long
/// after the goal was reached its poll saw it.
fn graded(d: &Drilled, write_lag: SignedDuration, goal_lag: SignedDuration) -> DrillReport {
    let mut session = Session::new(d.playbook.clone());
    let start = d.happened.first().map_or(Timestamp::UNIX_EPOCH, |h| h.0) - 600 * SECOND;
    let started = Event::Started {
        playbook: d.playbook.name().to_string(),
        title: d.playbook.metadata.title.clone(),
        hash: "test".into(),
        params: BTreeMap::new(),
        context: Some(format!("drill:{}", d.drill.scenario)),
        namespace: None,
        user: "trainee".into(),
        host: "test".into(),
        drill: Some(d.drill.clone()),
        alert: None,
        read_only: false,
        read_only_contexts: Vec::new(),
    };
    let mut entries: Vec<(Timestamp, Event)> = session
        .propose_start(started)
        .expect("starts")
        .into_iter()
        .map(|e| (start, e))
        .collect();
    for (at, what) in &d.happened {
        entries.push(match what {
            // The gateway's report is journaled at once.
            Happened::Gateway(w) => (*at + 20 * MILLI, w.clone().into_event("fix".into())),
            Happened::Outside(w) => (*at + write_lag, w.clone().into_event("fix".into())),
            Happened::Action(e) => (*at + 20 * MILLI, e.clone()),
        });
    }
    if let Some((since, seen)) = d.reached {
        // As the background does: simulated seconds back from the moment
        // its poll saw the goal reached, in the journal's clock.
        let now = seen + goal_lag;
        let ago = (seen.as_second() - since).max(0);
        let since = now - SignedDuration::from_secs(ago);
        entries.push((now, Event::GoalReached { since }));
    }
    // The journal numbers records as they are written.
    entries.sort_by_key(|(at, _)| *at);
    for (at, event) in entries {
        let record = Record {
            seq: session.next_seq(),
            at,
            event,
        };
        session.apply(record).expect("applies");
    }
    report::grade(&session).expect("a drill")
}

const SECOND: SignedDuration = SignedDuration::from_secs(1);
const MILLI: SignedDuration = SignedDuration::from_millis(1);

/// The poll timings tried: at once, half-way, and just before the next.
const LAGS: [i64; 3] = [0, 250, 499];

/// The fix is credited, whatever the polls' timing: the last change it
/// made is "the goal held after it", the ones before "not on their own".
fn assert_credited(name: &str, d: &Drilled, by: &dyn Fn(&str) -> bool) {
    assert!(d.reached.is_some(), "{name}: the goal was not reached");
    for write_lag in LAGS {
        for goal_lag in LAGS {
            let r = graded(
                d,
                SignedDuration::from_millis(write_lag),
                SignedDuration::from_millis(goal_lag),
            );
            let verdicts: Vec<(&str, &str, Verdict)> = r
                .changes
                .iter()
                .map(|c| (c.what.as_str(), c.by.as_str(), c.verdict))
                .collect();
            let last = r
                .changes
                .last()
                .unwrap_or_else(|| panic!("{name}: no change"));
            assert_eq!(
                last.verdict,
                Verdict::GoalHeldAfter,
                "{name} (lags {write_lag}/{goal_lag} ms): {verdicts:#?}"
            );
            assert!(by(&last.by), "{name}: credited to {}", last.by);
            for c in &r.changes[..r.changes.len() - 1] {
                assert_eq!(
                    c.verdict,
                    Verdict::DidNotHelpOnItsOwn,
                    "{name} (lags {write_lag}/{goal_lag} ms): {verdicts:#?}"
                );
            }
        }
    }
}

fn kubectl_steps<'a>(fix: &[&'a str]) -> Vec<Step<'a>> {
    fix.iter().map(|c| Step::Kubectl(c)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_drills_fix_from_the_app_is_credited() {
    if !kube_support::need_kubectl("each drill's fix") {
        return;
    }
    for (scenario, playbook, fixes, _) in DRILLS {
        let fix = fixes[0];
        let d = drill(scenario, playbook, &kubectl_steps(fix), From::App).await;
        let last = *fix.last().expect("a fix");
        assert_credited(scenario, &d, &|by| by == last);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_drills_fix_from_a_second_terminal_is_credited() {
    if !kube_support::need_kubectl("each drill's fix") {
        return;
    }
    for (scenario, playbook, fixes, _) in DRILLS {
        let d = drill(
            scenario,
            playbook,
            &kubectl_steps(fixes[0]),
            From::SecondTerminal,
        )
        .await;
        assert_credited(scenario, &d, &|by| by.starts_with("outside runbook"));
    }
}

/// node-down with the playbook's built-in actions: the drain (which
/// cordons first) is a change to the cluster, and the one credited.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_downs_built_in_drain_is_credited() {
    let fix = [Step::Action(ActionKind::Drain, "node/node-b")];
    let d = drill("node-down", "node-not-ready", &fix, From::App).await;
    assert_credited("node-down", &d, &|by| by == "runbook (built-in action)");
}

/// disk-pressure with the built-in cordon, then the command that clears
/// the evicted pods: the command's last write is credited, the cordon
/// "did not help on its own", and both are listed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disk_pressures_cordon_action_is_listed_and_the_last_write_credited() {
    if !kube_support::need_kubectl("the fix's delete") {
        return;
    }
    let delete = "kubectl -n shop delete pods --field-selector=status.phase=Failed";
    let fix = [
        Step::Action(ActionKind::Cordon, "node/node-c"),
        Step::Kubectl(delete),
    ];
    let d = drill("disk-pressure", "pods-evicted", &fix, From::App).await;
    assert_credited("disk-pressure", &d, &|by| by == delete);
    let r = graded(&d, SignedDuration::ZERO, SignedDuration::ZERO);
    assert_eq!(r.changes[0].what, "cordon node/node-c");
    assert_eq!(r.changes[0].by, "runbook (built-in action)");
}
