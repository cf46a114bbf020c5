//! `runbook run PLAYBOOK [--set K=V]...`: starts a session. A required
//! param not given is asked for in the params form (the home screen's) when
//! there is a terminal, filled in with what was given; without one it is a
//! usage error naming the flags to give.

use super::failure;
use super::output::errln;
use crate::alerts::Alert;
use crate::app::home::{self, Choice, Fetches, HomeState};
use crate::app::launch;
use crate::cli::{ClusterOptions, UiOptions};
use crate::cluster::connect::{ClusterConfig, current_context};
use crate::playbook::catalog::{self, Catalog, Entry, Unresolved};
use crate::playbook::params::{missing_required, parse_sets, resolve_params};

pub fn run(
    playbook: Option<String>,
    set: Vec<String>,
    alert: Option<String>,
    alertmanager: Option<String>,
    cluster: ClusterOptions,
    ui: UiOptions,
) -> anyhow::Result<u8> {
    if let Some(source) = alert {
        return super::run_alert::run(playbook, set, &source, alertmanager, cluster, ui);
    }
    let Some(playbook) = playbook else {
        // clap requires PLAYBOOK without --alert; said again for safety.
        return Ok(failure::usage(
            "give a playbook: runbook run PLAYBOOK [--set K=V]... | runbook run --alert FILE|-",
        ));
    };
    let sets = match parse_sets(&set) {
        Ok(s) => s,
        Err(e) => return Ok(failure::usage(e)),
    };
    start(&playbook, sets, None, alertmanager, cluster, ui)
}

/// Finds the playbook (a name on the search path or a file), printing why
/// not; `Err` carries the exit code. A playbook that cannot be used is a
/// usage error: it was named on the command line (or picked on the home
/// screen) and must be fixed before it runs.
pub fn resolve_entry(catalog: &Catalog, playbook: &str) -> Result<Entry, u8> {
    let entry = match catalog.resolve(playbook) {
        Ok(entry) => entry,
        Err(Unresolved::Unknown(why)) => return Err(failure::usage(why)),
        Err(Unresolved::File(diags)) => {
            for d in diags {
                errln!("{d}");
            }
            return Err(super::USAGE);
        }
    };
    let path = entry.source.display_path();
    let problems = super::validate::check_playbook(&entry.playbook, &path, &entry.text);
    if problems.iter().any(|d| d.is_error()) {
        for d in &problems {
            errln!("{d}");
        }
        return Err(failure::usage(
            "the playbook has errors; fix them before running it",
        ));
    }
    Ok(entry)
}

/// Starts `playbook` with these params (and the alert that opened it, if
/// any): the home screen, `run` and `run --alert` all end here.
pub fn start(
    playbook: &str,
    given: Vec<(String, String)>,
    alert: Option<Alert>,
    alertmanager: Option<String>,
    cluster: ClusterOptions,
    ui: UiOptions,
) -> anyhow::Result<u8> {
    let catalog = Catalog::load(&catalog::user_folders());
    match resolve_entry(&catalog, playbook) {
        Ok(entry) => start_entry(entry, given, alert, alertmanager, cluster, ui),
        Err(code) => Ok(code),
    }
}

pub fn start_entry(
    entry: Entry,
    given: Vec<(String, String)>,
    alert: Option<Alert>,
    alertmanager: Option<String>,
    cluster: ClusterOptions,
    ui: UiOptions,
) -> anyhow::Result<u8> {
    let Some(given) = ask_missing(&entry, given, alert.as_ref(), &cluster, &ui)? else {
        // The responder left the form: nothing was started.
        return Ok(super::OK);
    };
    let params = match resolve_params(&entry.playbook, &given) {
        Ok(p) => p,
        Err(errors) => {
            for e in &errors {
                errln!("error: {e}");
            }
            let usage: Vec<String> = entry
                .playbook
                .params
                .iter()
                .filter(|p| p.required)
                .map(|p| format!("--set {}=...", p.name.value))
                .collect();
            errln!(
                "usage: runbook run {} {}",
                entry.playbook.name(),
                usage.join(" ")
            );
            return Ok(super::USAGE);
        }
    };
    let mut opts = launch::cluster_options(&cluster, &ui, &entry.playbook, &params)?;
    if let Some(alert) = &alert {
        opts.alert = Some(alert.opening());
        // Where silences for this alert go (the s key).
        opts.alertmanager =
            crate::alerts::endpoint::configured(alertmanager.as_deref())?.map(|(e, _)| e);
    }
    launch::start_new(&entry.text, entry.playbook, params, opts).map(super::report_end)
}

/// The params, with the required ones nobody gave asked for in the params
/// form when there is a terminal. `None`: the responder left the form.
/// Without a terminal, or when a given value is wrong or names no param
/// (a mistake on the command line, said as one), `given` is returned as it
/// is for `resolve_params` to refuse.
fn ask_missing(
    entry: &Entry,
    given: Vec<(String, String)>,
    alert: Option<&Alert>,
    cluster: &ClusterOptions,
    ui: &UiOptions,
) -> anyhow::Result<Option<Vec<(String, String)>>> {
    let missing = missing_required(&entry.playbook, &given);
    if missing.is_empty() || !launch::has_terminal() {
        return Ok(Some(given));
    }
    if let Err(errors) = resolve_params(&entry.playbook, &given)
        && errors
            .iter()
            .any(|e| !missing.iter().any(|p| p.name.value == e.name))
    {
        return Ok(Some(given));
    }
    let cfg = ClusterConfig {
        kubeconfig: cluster.kubeconfig.clone(),
        context: cluster.context.clone(),
    };
    let mut form = HomeState::form_for(entry.clone(), given, alert.cloned());
    form.context = current_context(&cfg);
    form.namespace = cluster.namespace.clone();
    let fetches = Fetches {
        alerts: None,
        names: Some(home::suggest::factory(cfg)),
    };
    match home::pick(form, launch::theme_from(ui), fetches)? {
        Choice::Run { params, .. } => Ok(Some(params)),
        Choice::Resume(_) | Choice::Quit => Ok(None),
    }
}
