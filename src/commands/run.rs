use crate::cli::{ClusterOptions, UiOptions};

pub fn run(
    _playbook: String,
    _set: Vec<String>,
    _cluster: ClusterOptions,
    _ui: UiOptions,
) -> anyhow::Result<u8> {
    super::not_built("run")
}
