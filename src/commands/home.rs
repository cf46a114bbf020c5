use crate::cli::UiOptions;

pub fn run(_ui: UiOptions) -> anyhow::Result<u8> {
    super::not_built("the home screen")
}
