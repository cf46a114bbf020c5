use super::failure;
use super::output::errln;
use crate::app::launch;
use crate::cli::{ClusterOptions, UiOptions};
use crate::journal;

pub fn run(session: Option<String>, cluster: ClusterOptions, ui: UiOptions) -> anyhow::Result<u8> {
    let data = journal::data_dir()?;
    let dir = match session {
        Some(id) => journal::find_session(&data, &id)?,
        None => {
            let Some(newest) = journal::list_sessions(&data)?
                .into_iter()
                .find(|s| s.is_active())
            else {
                return Ok(failure::failed(
                    "no unfinished session to resume (see `runbook sessions`)",
                ));
            };
            journal::store::sessions_dir(&data).join(newest.id)
        }
    };
    let loaded = journal::load_session(&dir)?;
    // Said before the terminal is taken, e.g. a torn last line that was skipped.
    for w in &loaded.warnings {
        errln!("{w}");
    }
    if let Some(drill) = loaded.session.drill() {
        // A drill resumes against its simulator, never a real cluster.
        let scenario = crate::sim::load(&drill.scenario)?;
        // The cluster as the drill left it; said out loud when it cannot be had.
        // The previous good state, or the scenario's start, when the saved
        // cluster cannot be taken back; said out loud either way.
        let recovered = crate::sim::recover_state(&dir.join(crate::sim::STATE_FILE));
        for note in &recovered.notes {
            failure::warn(note);
        }
        let restore = recovered.state;
        let (mut opts, kubeconfig) = super::drill::drill_options(
            scenario,
            loaded.session.playbook(),
            loaded.session.params(),
            &ui,
            restore,
        )?;
        // Read-only can be turned on for the rest of a drill too.
        opts.read_only = cluster.read_only;
        let result = launch::resume(loaded, opts);
        super::drill::remove_kubeconfigs(&kubeconfig);
        return result.map(super::report_end);
    }
    // Read-only comes back from the journal (`launch::resume`); the
    // `--read-only` flag can turn it on, never off.
    // Without --context, the session goes on looking at the cluster it was
    // looking at (where it started, or where it was last switched to).
    let mut cluster = cluster;
    if cluster.context.is_none() {
        cluster.context = loaded.session.context().map(str::to_string);
    }
    let mut opts = launch::cluster_options(
        &cluster,
        &ui,
        loaded.session.playbook(),
        loaded.session.params(),
    )?;
    // A session opened from an alert can silence it again after a resume.
    if loaded.session.alert().is_some() {
        opts.alertmanager = crate::alerts::endpoint::configured(None)
            .ok()
            .flatten()
            .map(|(endpoint, _)| endpoint);
    }
    launch::resume(loaded, opts).map(super::report_end)
}
