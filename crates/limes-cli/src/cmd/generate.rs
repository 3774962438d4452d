use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum GenerateCommand {
    /// Synthetic multicultural gallery, probes and ground truth
    Persons {
        #[arg(long)]
        count: usize,
    },
}

pub fn run(_command: GenerateCommand) -> anyhow::Result<ExitCode> {
    anyhow::bail!("generate is not built yet")
}
