use super::output::errln;
use std::io::IsTerminal;

use crate::app::home::{self, Choice, HomeState};
use crate::app::launch;
use crate::cli::{ClusterOptions, UiOptions};
use crate::cluster::connect::{ClusterConfig, current_context};
use crate::journal;
use crate::playbook::catalog::{self, Catalog};

pub fn run(ui: UiOptions) -> anyhow::Result<u8> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        errln!("runbook: the home screen needs a terminal; see `runbook --help`");
        return Ok(super::USAGE);
    }
    let catalog = Catalog::load(&catalog::user_folders());
    let data = journal::data_dir()?;
    let sessions = journal::list_sessions(&data).unwrap_or_default();
    let context = current_context(&ClusterConfig::default());
    let state = HomeState::new(catalog.entries.clone(), sessions, context, None);
    match home::pick(state, launch::theme_from(&ui))? {
        Choice::Quit => Ok(super::OK),
        Choice::Resume(id) => super::resume::run(Some(id), ClusterOptions::default(), ui),
        Choice::Run { playbook, params } => {
            let set = params
                .into_iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            super::run::run(playbook, set, ClusterOptions::default(), ui)
        }
    }
}
