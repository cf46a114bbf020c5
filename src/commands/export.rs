use std::path::PathBuf;

use crate::cli::ExportFormat;

pub fn run(
    _session: String,
    _format: ExportFormat,
    _output: Option<PathBuf>,
) -> anyhow::Result<u8> {
    super::not_built("export")
}
