use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum AdminCommand {
    AccessMatrix,
}
pub fn run(_c: AdminCommand) -> anyhow::Result<ExitCode> {
    anyhow::bail!("todo")
}
