use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ScreenArgs {
    /// Gallery identities, one JSON object per line
    #[arg(long)]
    pub gallery: std::path::PathBuf,
    /// Probe identities, one JSON object per line
    #[arg(long)]
    pub probes: std::path::PathBuf,
}

pub fn run(_args: ScreenArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("screen is not built yet")
}

#[derive(clap::Args)]
pub struct BenchScreenArgs {
    /// Allow toy sizes
    #[arg(long)]
    pub small: bool,
}

pub fn bench(_args: BenchScreenArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("bench screen is not built yet")
}
