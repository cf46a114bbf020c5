use super::failure;
use crate::alerts::{self, Client};
use crate::app::home::{self, AlertFetch, Choice, Fetches, HomeState};
use crate::app::launch;
use crate::cli::{ClusterOptions, UiOptions};
use crate::cluster::connect::{ClusterConfig, current_context};
use crate::journal;
use crate::playbook::catalog::{self, Catalog};

pub fn run(alertmanager: Option<String>, ui: UiOptions) -> anyhow::Result<u8> {
    if !launch::has_terminal() {
        return Ok(failure::usage(
            "the home screen needs a terminal; see `runbook --help`",
        ));
    }
    let catalog = Catalog::load(&catalog::user_folders());
    let data = journal::data_dir()?;
    let sessions = journal::list_sessions(&data).unwrap_or_default();
    let context = current_context(&ClusterConfig::default());
    let mut state = HomeState::new(catalog.entries.clone(), sessions, context, None);
    let fetches = Fetches {
        alerts: alert_fetch(&mut state, alertmanager.as_deref()),
        // The session started from here uses the default kubeconfig and
        // context, so the form's names come from there too.
        names: Some(home::suggest::factory(ClusterConfig::default())),
    };
    match home::pick(state, launch::theme_from(&ui), fetches)? {
        Choice::Quit => Ok(super::OK),
        Choice::Resume(id) => super::resume::run(Some(id), ClusterOptions::default(), ui),
        Choice::Run {
            playbook,
            params,
            alert,
        } => super::run::start(
            &playbook,
            params,
            alert,
            alertmanager,
            ClusterOptions::default(),
            ui,
        ),
    }
}

/// The fetch of firing alerts, if an Alertmanager is configured; a setting
/// that cannot work is shown on the screen's alerts line instead.
fn alert_fetch(state: &mut HomeState, flag: Option<&str>) -> Option<AlertFetch> {
    let now = jiff::Timestamp::now();
    let endpoint = match alerts::endpoint::configured(flag) {
        Ok(Some((endpoint, _))) => endpoint,
        Ok(None) => return None,
        Err(e) => {
            state.set_alerts(Err(e.to_string()), now);
            return None;
        }
    };
    match Client::new(&endpoint) {
        Ok(client) => {
            state.expect_alerts(client.url());
            Some(Box::pin(async move {
                client.firing().await.map_err(|e| e.to_string())
            }))
        }
        Err(e) => {
            state.set_alerts(Err(e.to_string()), now);
            None
        }
    }
}
