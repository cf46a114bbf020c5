use std::os::unix::fs::DirBuilderExt;

use anyhow::Context as _;

use crate::app::background::Background;
use crate::app::launch::{self, Options};
use crate::cli::UiOptions;
use crate::engine::Drill;
use crate::journal;
use crate::playbook::catalog::{self, Catalog};
use crate::playbook::params::resolve_params;
use crate::sim;

pub fn run(scenario: Option<String>, ui: UiOptions) -> anyhow::Result<u8> {
    let name = scenario.unwrap_or_else(|| sim::DEFAULT_SCENARIO.to_string());
    let scenario = match super::sim::load_scenario_of(&name, &drillable()) {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let meta = scenario.metadata.clone();
    let Some(playbook_name) = meta.playbook.clone() else {
        return Ok(super::failure::usage(format_args!(
            "scenario `{}` names no playbook (metadata.playbook)",
            meta.name
        )));
    };
    let catalog = Catalog::load(&catalog::user_folders());
    let Some(entry) = catalog.get(&playbook_name).cloned() else {
        return Ok(super::failure::usage(format_args!(
            "scenario `{}` opens playbook `{playbook_name}`, which is not on the search path",
            meta.name
        )));
    };
    let given: Vec<(String, String)> = meta.params.clone().into_iter().collect();
    let params = match resolve_params(&entry.playbook, &given) {
        Ok(p) => p,
        Err(errors) => {
            for e in errors {
                super::failure::usage(format_args!("scenario `{}`: {e}", meta.name));
            }
            return Ok(super::USAGE);
        }
    };
    let (opts, kubeconfig) = drill_options(scenario, &entry.playbook, &params, &ui, None)?;
    let result = launch::start_new(&entry.text, entry.playbook, params, opts);
    remove_kubeconfigs(&kubeconfig);
    result.map(super::report_end)
}

/// The built-in scenarios a drill can open (scale scenarios name no playbook).
pub fn drillable() -> Vec<&'static str> {
    sim::builtin_names()
        .into_iter()
        .filter(|n| sim::load(n).is_ok_and(|s| s.metadata.playbook.is_some()))
        .collect()
}

/// `runbook drill --list`: the built-in drills, easiest first.
pub fn list(scenario: Option<String>) -> anyhow::Result<u8> {
    use std::io::Write;
    let mut rows = Vec::new();
    for name in drillable() {
        if let Ok(s) = sim::load(name) {
            rows.push(s.metadata);
        }
    }
    if let Some(only) = scenario {
        rows.retain(|m| m.name == only);
    }
    rows.sort_by_key(|m| (m.difficulty, m.name.clone()));
    let mut out = std::io::stdout().lock();
    let width = rows.iter().map(|m| m.name.len()).max().unwrap_or(4).max(4);
    let pwidth = rows
        .iter()
        .map(|m| m.playbook.as_deref().unwrap_or("").len())
        .max()
        .unwrap_or(8)
        .max(8);
    // Your tries of each and the best time to goal, from the journals.
    let tries = journal::data_dir()
        .map(|d| super::drill_history::attempts(&d))
        .unwrap_or_default();
    let mut lines = vec![format!(
        "{:width$}  {:10}  {:pwidth$}  {:>5}  {:>5}  TITLE",
        "NAME", "DIFFICULTY", "PLAYBOOK", "TRIES", "BEST"
    )];
    for m in &rows {
        let record = crate::drill::progress::record(&tries, &m.name);
        lines.push(format!(
            "{:width$}  {:10}  {:pwidth$}  {:>5}  {:>5}  {}",
            m.name,
            m.difficulty.map_or("-", |d| d.as_str()),
            m.playbook.as_deref().unwrap_or("-"),
            record.tries,
            record
                .best_secs
                .map_or("-".into(), crate::drill::progress::clock),
            m.title
        ));
    }
    for line in lines {
        // A closed pipe (`| head`) ends the listing quietly.
        if writeln!(out, "{}", line.trim_end()).is_err() {
            return Ok(super::OK);
        }
    }
    Ok(super::OK)
}

/// `runbook drill --env SCENARIO [--pid PID]`: the kubeconfig of the
/// running drill of SCENARIO, for a second terminal. When several run, it
/// lists them and asks for `--pid` rather than pick one.
pub fn env(scenario: &str, pid: Option<i32>) -> anyhow::Result<u8> {
    let drills = journal::data_dir()?.join("drills");
    let mut running = running_kubeconfigs(&drills, scenario);
    if let Some(pid) = pid {
        running.retain(|(p, _)| *p == pid);
    }
    let export = |path: &std::path::Path| -> anyhow::Result<String> {
        Ok(format!(
            "export KUBECONFIG={}",
            shlex::try_quote(&path.display().to_string()).map_err(|e| anyhow::anyhow!("{e}"))?
        ))
    };
    match running.as_slice() {
        [] => Ok(super::failure::failed(format_args!(
            "no drill of `{scenario}` is running{} (start one with `runbook drill {scenario}`)",
            pid.map(|p| format!(" as pid {p}")).unwrap_or_default()
        ))),
        [(_, path)] => {
            super::output::outln!("{}", export(path)?);
            Ok(super::OK)
        }
        several => {
            let mut lines = Vec::new();
            for (p, path) in several {
                lines.push(format!("  --pid {p}   {}", export(path)?));
            }
            Ok(super::failure::usage(format_args!(
                "{} drills of `{scenario}` are running; say which with --pid:\n{}",
                several.len(),
                lines.join("\n")
            )))
        }
    }
}

/// The newest kubeconfig of a live drill of `scenario`.
pub fn running_kubeconfig(drills: &std::path::Path, scenario: &str) -> Option<std::path::PathBuf> {
    running_kubeconfigs(drills, scenario).pop().map(|(_, p)| p)
}

/// The kubeconfigs of the live drills of `scenario`, with their pids, the
/// newest last: `SCENARIO.kubeconfig` while its holder runs, and each
/// `SCENARIO-PID.kubeconfig` of a live process.
pub fn running_kubeconfigs(
    drills: &std::path::Path,
    scenario: &str,
) -> Vec<(i32, std::path::PathBuf)> {
    let Ok(entries) = std::fs::read_dir(drills) else {
        return Vec::new();
    };
    let modified = |path: &std::path::Path| {
        std::fs::metadata(path)
            .and_then(|m| m.modified())
            .unwrap_or(std::time::UNIX_EPOCH)
    };
    let mut found: Vec<(std::time::SystemTime, i32, std::path::PathBuf)> = Vec::new();
    let stable = drills.join(format!("{scenario}.kubeconfig"));
    if let Some(pid) = holder(drills, scenario)
        && stable.exists()
    {
        found.push((modified(&stable), pid, stable));
    }
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(pid) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".kubeconfig"))
            .and_then(|n| n.strip_prefix(scenario))
            .and_then(|n| n.strip_prefix('-'))
            .and_then(|p| p.parse::<i32>().ok())
            .filter(|p| *p > 0)
        else {
            continue;
        };
        if alive(pid) {
            found.push((modified(&path), pid, path));
        }
    }
    found.sort();
    found
        .into_iter()
        .map(|(_, pid, path)| (pid, path))
        .collect()
}

/// Starts the scenario's simulator and the options a drill session runs
/// with; used for a new drill and to resume one (`restore`: the cluster as
/// the session saved it). The kubeconfig it returns is the drill's own and
/// is removed when the session ends.
pub fn drill_options(
    scenario: sim::Scenario,
    playbook: &crate::playbook::Playbook,
    params: &std::collections::BTreeMap<String, String>,
    ui: &UiOptions,
    restore: Option<sim::SavedState>,
) -> anyhow::Result<(Options, std::path::PathBuf)> {
    let meta = scenario.metadata.clone();
    let goal = scenario.goal.clone();
    // The page the drill's Alertmanager fires, as the session's opening alert.
    let page = scenario
        .alerts
        .first()
        .map(|a| crate::engine::OpeningAlert {
            fingerprint: crate::alerts::model::fingerprint(&a.labels),
            labels: a.labels.clone(),
            annotations: a.annotations.clone(),
            starts_at: None,
            generator_url: None,
        });
    let data = journal::data_dir()?;
    journal::ensure_writable(&data)
        .with_context(|| format!("cannot write sessions under {}", data.display()))?;
    let drills = data.join("drills");
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&drills)
        .with_context(|| format!("cannot create {}", drills.display()))?;
    remove_stale_kubeconfigs(&drills);
    let kubeconfig = kubeconfig_path(&drills, &meta.name);
    let scope = launch::scope_for(playbook, params, None);
    let focus = crate::cluster::watch::Focus {
        namespace: scope.namespace.clone(),
        node: scope.node.clone(),
        all_namespaces: false,
    };
    let mut background = Background::drill(scenario, focus, &kubeconfig, restore)?;
    for note in std::mem::take(&mut background.notes) {
        super::failure::warn(note);
    }
    // The simulator's Alertmanager resolves the drill's page when the goal
    // holds in the playbook's scope, as the app judges it.
    let alertmanager = background.sim.as_ref().map(|sim| {
        sim.set_goal_scope(scope.clone());
        crate::alerts::Endpoint::new(sim.url())
    });
    // A drill has one cluster, its simulator: nothing to switch to.
    background.contexts.clear();
    let mut opts = Options::new(launch::theme_from(ui));
    opts.context = Some(format!("drill:{}", meta.name));
    // Journaled with the start, so the export names the namespace the panes watched.
    opts.namespace = scope.namespace.clone();
    opts.drill = Some(Drill {
        scenario: meta.name.clone(),
        answer: meta.answer.clone().unwrap_or_default(),
        title: meta.title.clone(),
        goal: goal.as_ref().map(|g| g.check.clone()),
        hold_secs: goal.as_ref().map_or(0, |g| g.hold.as_secs()),
        target_secs: meta.target_time().as_secs(),
    });
    opts.alert = page.clone();
    opts.briefing = Some(crate::drill::Briefing {
        scenario: meta.name.clone(),
        title: meta.title.clone(),
        page,
        goal_words: goal.as_ref().and_then(|g| g.description.clone()),
        goal: goal.map(|g| (g.check, g.hold)),
        target: meta.target_time(),
        kubeconfig: Some(kubeconfig.clone()),
    });
    // The drill's commands reach the simulator through the session's
    // gateway, like any session's; the simulator's own kubeconfig above is
    // for the trainee's second terminal.
    opts.alertmanager = alertmanager;
    opts.background = Some(background);
    opts.earlier_tries = super::drill_history::attempts(&data)
        .into_iter()
        .filter(|a| a.scenario == meta.name)
        .collect();
    Ok((opts, kubeconfig))
}

fn alive(pid: i32) -> bool {
    pid > 0 && nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None).is_ok()
}

/// The live drill whose pid `SCENARIO.pid` holds, if any.
fn holder(drills: &std::path::Path, scenario: &str) -> Option<i32> {
    std::fs::read_to_string(drills.join(format!("{scenario}.pid")))
        .ok()
        .and_then(|p| p.trim().parse::<i32>().ok())
        .filter(|p| alive(*p))
}

/// The drill's kubeconfig for a second terminal: `SCENARIO.kubeconfig`,
/// the same path each time the scenario's drill runs, so a terminal that
/// exported it keeps working across quit and resume; when another live
/// drill of the scenario holds that name (its pid in `SCENARIO.pid`),
/// `SCENARIO-PID.kubeconfig`.
fn kubeconfig_path(drills: &std::path::Path, scenario: &str) -> std::path::PathBuf {
    let me = std::process::id() as i32;
    match holder(drills, scenario) {
        Some(pid) if pid != me => drills.join(format!("{scenario}-{me}.kubeconfig")),
        _ => {
            let _ = std::fs::write(drills.join(format!("{scenario}.pid")), me.to_string());
            drills.join(format!("{scenario}.kubeconfig"))
        }
    }
}

/// The trainee's kubeconfig and the app's own beside it. The stable one
/// (`SCENARIO.kubeconfig`) stays: a second terminal then says the drill's
/// server is gone rather than falling back to localhost:8080, and works
/// again when the drill resumes; its holder's pid file goes.
pub fn remove_kubeconfigs(trainee: &std::path::Path) {
    let _ = std::fs::remove_file(crate::app::background::app_kubeconfig(trainee));
    let stable = trainee
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix(".kubeconfig"))
        .filter(|n| {
            n.rsplit('-')
                .next()
                .is_none_or(|p| p.parse::<i32>().is_err())
        })
        .map(str::to_string);
    match stable {
        Some(scenario) => {
            if let Some(dir) = trainee.parent() {
                let pid = dir.join(format!("{scenario}.pid"));
                let mine = std::fs::read_to_string(&pid)
                    .is_ok_and(|p| p.trim() == std::process::id().to_string());
                if mine {
                    let _ = std::fs::remove_file(pid);
                }
            }
        }
        None => {
            let _ = std::fs::remove_file(trainee);
        }
    }
}

/// A drill killed outright (kill -9, a lost machine) cannot remove its
/// kubeconfig; the next drill removes those whose process is gone. The
/// name ends in the pid: `SCENARIO-PID.kubeconfig`.
fn remove_stale_kubeconfigs(drills: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(drills) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let pid = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".kubeconfig"))
            .map(|n| n.strip_suffix(".app").unwrap_or(n))
            .and_then(|n| n.rsplit('-').next())
            .and_then(|p| p.parse::<i32>().ok());
        let Some(pid) = pid.filter(|p| *p > 0) else {
            continue;
        };
        let gone = matches!(
            nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None),
            Err(nix::errno::Errno::ESRCH)
        );
        if gone {
            match std::fs::remove_file(&path) {
                Ok(()) => tracing::info!("removed a dead drill's {}", path.display()),
                Err(e) => tracing::warn!("cannot remove {}: {e}", path.display()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// #24 (14): the drill's kubeconfig is one path across quit and
    /// resume; a second live drill of the scenario gets its own.
    #[test]
    fn the_kubeconfig_path_is_stable_across_runs_and_kept_on_quit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = kubeconfig_path(dir.path(), "checkout-oom");
        assert_eq!(first, dir.path().join("checkout-oom.kubeconfig"));
        std::fs::write(&first, "x").expect("write");
        assert_eq!(
            running_kubeconfig(dir.path(), "checkout-oom").as_deref(),
            Some(first.as_path()),
            "--env finds it while the drill runs"
        );
        remove_kubeconfigs(&first);
        assert!(first.exists(), "kept on quit, for the second terminal");
        assert!(!dir.path().join("checkout-oom.pid").exists());
        assert_eq!(running_kubeconfig(dir.path(), "checkout-oom"), None);
        assert_eq!(
            kubeconfig_path(dir.path(), "checkout-oom"),
            first,
            "the same on resume"
        );
        // Held by another live process: this one gets its own.
        let mut other = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .expect("spawn");
        std::fs::write(dir.path().join("checkout-oom.pid"), other.id().to_string()).expect("pid");
        let second = kubeconfig_path(dir.path(), "checkout-oom");
        assert_eq!(
            second,
            dir.path()
                .join(format!("checkout-oom-{}.kubeconfig", std::process::id()))
        );
        // #24 (15): two running, both are listed, each with its pid.
        std::fs::write(&second, "x").expect("write");
        let both = running_kubeconfigs(dir.path(), "checkout-oom");
        let pids: Vec<i32> = both.iter().map(|(p, _)| *p).collect();
        assert!(pids.contains(&(other.id() as i32)), "{both:?}");
        assert!(pids.contains(&(std::process::id() as i32)), "{both:?}");
        let _ = other.kill();
        let _ = other.wait();
    }

    #[test]
    fn a_dead_drills_kubeconfig_is_removed_and_a_live_ones_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut child = std::process::Command::new("true").spawn().expect("spawn");
        let dead = child.id();
        child.wait().expect("wait");
        let gone = dir.path().join(format!("checkout-oom-{dead}.kubeconfig"));
        let gone_app = dir
            .path()
            .join(format!("checkout-oom-{dead}.app.kubeconfig"));
        let live = dir
            .path()
            .join(format!("checkout-oom-{}.kubeconfig", std::process::id()));
        let live_app = crate::app::background::app_kubeconfig(&live);
        let other = dir.path().join("notes.txt");
        for f in [&gone, &gone_app, &live, &live_app, &other] {
            std::fs::write(f, "x").expect("write");
        }
        assert_eq!(
            running_kubeconfig(dir.path(), "checkout-oom").as_deref(),
            Some(live.as_path()),
            "--env finds the live drill's file"
        );
        assert_eq!(running_kubeconfig(dir.path(), "node-down"), None);
        remove_stale_kubeconfigs(dir.path());
        assert!(!gone.exists(), "the dead drill's file is removed");
        assert!(!gone_app.exists(), "and the app's own beside it");
        assert!(live.exists(), "a running drill keeps its file");
        assert!(live_app.exists(), "and the app's own");
        assert!(other.exists(), "other files are left alone");
    }
}
