use super::output::errln;
use std::path::PathBuf;

use anyhow::Context;

use crate::cli::ExportFormat;
use crate::journal::{self, export};

pub fn run(
    session: String,
    format: ExportFormat,
    output: Option<PathBuf>,
    full: bool,
) -> anyhow::Result<u8> {
    let data = journal::data_dir()?;
    let dir = journal::find_session(&data, &session)?;
    let loaded = journal::load_session(&dir)?;
    for w in &loaded.warnings {
        errln!("{w}");
    }
    let text = match format {
        ExportFormat::Markdown if full => {
            let dir = loaded.dir.clone();
            crate::drill::report_text::markdown(&loaded.id, &loaded.session, &|file| {
                whole_output(&dir, file)
            })
        }
        ExportFormat::Markdown => {
            crate::drill::report_text::markdown(&loaded.id, &loaded.session, &|_| None)
        }
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
            errln!("wrote {}", path.display());
        }
        None => super::output::out(format_args!("{text}")),
    }
    Ok(super::OK)
}

/// A command's output file, if it is one of this session's (a journal names
/// it; a hand-edited name must not read files elsewhere).
fn whole_output(dir: &std::path::Path, file: &str) -> Option<String> {
    let name = file.strip_prefix("output/")?;
    if name.is_empty() || name.contains('/') || name.starts_with('.') {
        return None;
    }
    std::fs::read_to_string(dir.join("output").join(name)).ok()
}
