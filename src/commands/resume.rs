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
                eprintln!("runbook: no unfinished session to resume (see `runbook sessions`)");
                return Ok(super::PROBLEMS);
            };
            journal::store::sessions_dir(&data).join(newest.id)
        }
    };
    let loaded = journal::load_session(&dir)?;
    let opts = launch::cluster_options(
        &cluster,
        &ui,
        loaded.session.playbook(),
        loaded.session.params(),
    )?;
    launch::resume(&dir, opts)
}
