use std::path::PathBuf;

use anyhow::Context;

use crate::cli::ExportFormat;
use crate::journal::{self, export};

pub fn run(session: String, format: ExportFormat, output: Option<PathBuf>) -> anyhow::Result<u8> {
    let data = journal::data_dir()?;
    let dir = journal::find_session(&data, &session)?;
    let loaded = journal::load_session(&dir)?;
    for w in &loaded.warnings {
        eprintln!("{w}");
    }
    let text = match format {
        ExportFormat::Markdown => export::markdown(&loaded.id, &loaded.session),
        ExportFormat::Json => {
            let summary = journal::list_sessions(&data)?
                .into_iter()
                .find(|s| s.id == loaded.id)
                .context("the session disappeared while exporting")?;
            export::json(&summary, &loaded.session)
        }
    };
    match output {
        Some(path) => {
            journal::store::write_private_file(&path, text.as_bytes())?;
            eprintln!("wrote {}", path.display());
        }
        None => print!("{text}"),
    }
    Ok(super::OK)
}
