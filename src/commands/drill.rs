use crate::cli::UiOptions;

pub fn run(_scenario: Option<String>, _ui: UiOptions) -> anyhow::Result<u8> {
    super::not_built("drill")
}
