use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum EesCommand {
    /// The 90/180-day calculator
    Calc {
        #[arg(long)]
        on: String,
    },
}

pub fn run(_command: EesCommand) -> anyhow::Result<ExitCode> {
    anyhow::bail!("ees is not built yet")
}

#[derive(clap::Args)]
pub struct BenchEesArgs {
    /// Allow toy sizes
    #[arg(long)]
    pub small: bool,
}

pub fn bench(_args: BenchEesArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("bench ees is not built yet")
}
