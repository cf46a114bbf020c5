use super::output::errln;
use crate::app::launch;
use crate::cli::{ClusterOptions, UiOptions};
use crate::playbook::catalog::{self, Catalog};
use crate::playbook::params::{parse_sets, resolve_params};

pub fn run(
    playbook: String,
    set: Vec<String>,
    cluster: ClusterOptions,
    ui: UiOptions,
) -> anyhow::Result<u8> {
    let catalog = Catalog::load(&catalog::user_folders());
    let entry = match catalog.resolve(&playbook) {
        Ok(entry) => entry,
        Err(diags) => {
            for d in diags {
                errln!("{d}");
            }
            return Ok(super::USAGE);
        }
    };
    let path = entry.source.display_path();
    let problems = super::validate::check_playbook(&entry.playbook, &path, &entry.text);
    if problems.iter().any(|d| d.is_error()) {
        for d in &problems {
            errln!("{d}");
        }
        errln!("runbook: the playbook has errors; fix them before running it");
        return Ok(super::PROBLEMS);
    }
    let sets = match parse_sets(&set) {
        Ok(s) => s,
        Err(e) => {
            errln!("runbook: {e}");
            return Ok(super::USAGE);
        }
    };
    let params = match resolve_params(&entry.playbook, &sets) {
        Ok(p) => p,
        Err(errors) => {
            for e in &errors {
                errln!("runbook: {e}");
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
    let opts = launch::cluster_options(&cluster, &ui, &entry.playbook, &params)?;
    launch::start_new(&entry.text, entry.playbook, params, opts).map(super::report_end)
}
