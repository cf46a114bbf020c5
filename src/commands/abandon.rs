//! `runbook abandon SESSION --reason TEXT`: gives up an unfinished session
//! without an outcome, so it stops showing as active. Journaled like any
//! other record; refused while another runbook has the session open.

use super::output::outln;
use crate::journal::{self, FileJournal, Sink};

pub fn run(session: String, reason: String) -> anyhow::Result<u8> {
    let data = journal::data_dir()?;
    let dir = journal::find_session(&data, &session)?;
    // The lock first: a session open in another runbook is refused here.
    let (mut file, _) = FileJournal::open(&dir)?;
    let loaded = journal::load_session(&dir)?;
    let event = match loaded.session.propose_abandon(&reason) {
        Ok(event) => event,
        Err(e) => anyhow::bail!("session {}: {e}", loaded.id),
    };
    file.append(
        loaded.session.next_seq(),
        jiff::Timestamp::now(),
        vec![event],
    )?;
    outln!("session {} abandoned: {}", loaded.id, reason.trim());
    Ok(super::OK)
}
