use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum AuditCommand {
    Verify,
}
pub fn run(_c: AuditCommand) -> anyhow::Result<ExitCode> {
    anyhow::bail!("todo")
}
