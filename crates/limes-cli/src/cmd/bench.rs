use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum BenchCommand {
    /// Audited reads through the gate over HTTP, and journal appends
    Journal(super::serve::BenchJournalArgs),
    /// Screening throughput and latency on a generated gallery
    Screen(super::screen::BenchScreenArgs),
    /// The 90/180 calculator and the overstayer scan
    Ees(super::ees::BenchEesArgs),
    /// Border checks end to end on 10 M + 10 M SIS alerts: load, disk, latency breakdown
    BorderCheck(super::bench_border::BenchBorderArgs),
}

pub fn run(command: BenchCommand) -> anyhow::Result<ExitCode> {
    match command {
        BenchCommand::Journal(args) => super::serve::bench_journal(args),
        BenchCommand::Screen(args) => super::screen::bench(args),
        BenchCommand::Ees(args) => super::ees::bench(args),
        BenchCommand::BorderCheck(args) => super::bench_border::run(args),
    }
}
