pub fn run() -> anyhow::Result<u8> {
    super::not_built("schema")
}
