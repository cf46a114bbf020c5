use crate::app::launch::{self, Options};
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
    let mut opts = Options::new(launch::theme_from(&ui));
    opts.context = cluster.context.clone();
    opts.namespace = cluster.namespace.clone();
    opts.read_only = cluster.read_only;
    launch::resume(&dir, opts)
}
