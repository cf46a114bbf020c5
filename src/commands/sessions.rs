pub fn run(_json: bool) -> anyhow::Result<u8> {
    super::not_built("sessions")
}
