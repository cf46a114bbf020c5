use crate::cli::{ClusterOptions, UiOptions};

pub fn run(
    _session: Option<String>,
    _cluster: ClusterOptions,
    _ui: UiOptions,
) -> anyhow::Result<u8> {
    super::not_built("resume")
}
