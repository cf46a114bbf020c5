use std::path::PathBuf;

pub fn run(
    _scenario: String,
    _listen: String,
    _kubeconfig: PathBuf,
    _audit_log: Option<PathBuf>,
) -> anyhow::Result<u8> {
    super::not_built("sim")
}
