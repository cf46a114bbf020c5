use super::output::outln;
use crate::playbook::model::Playbook;

pub fn run() -> anyhow::Result<u8> {
    let schema = schemars::schema_for!(Playbook);
    outln!("{}", serde_json::to_string_pretty(&schema)?);
    Ok(super::OK)
}
