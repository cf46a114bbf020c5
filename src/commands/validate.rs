use std::path::PathBuf;

pub fn run(_paths: Vec<PathBuf>) -> anyhow::Result<u8> {
    super::not_built("validate")
}
