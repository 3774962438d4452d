use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum MrzCommand {
    /// Parse one document MRZ from stdin and print it as JSON
    Parse,
}

pub fn run(_command: MrzCommand) -> anyhow::Result<ExitCode> {
    anyhow::bail!("mrz is not built yet")
}
