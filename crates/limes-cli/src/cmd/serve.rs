use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ServeArgs {}
pub fn run(_args: ServeArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("todo")
}
#[derive(clap::Args)]
pub struct BenchJournalArgs {}
pub fn bench_journal(_args: BenchJournalArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("todo")
}
