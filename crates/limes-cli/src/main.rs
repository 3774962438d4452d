//! `limes`: the binary edge. It only translates arguments into calls on the hub, the server and the
//! pure crates, and turns their errors into messages and exit codes; no behaviour lives here.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;

/// mimalloc instead of glibc malloc: the server's hot paths (HTTP, JSON, journal entries) allocate
/// many small short-lived objects across threads, where glibc's arenas spent a tenth of the CPU in
/// `malloc`/`free` and chunk consolidation (perf, `limes bench journal`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "limes",
    version,
    about = "Limes: the national hub for the EU border and security information systems"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the hub's HTTP server (API and web UI)
    Serve(cmd::serve::ServeArgs),
    /// Run the hub on a fresh temporary data directory with demo users and synthetic data
    Demo(cmd::demo::DemoArgs),
    /// Accounts, tokens and the access matrix
    #[command(subcommand)]
    Admin(cmd::admin::AdminCommand),
    /// The tamper-evident audit journal
    #[command(subcommand)]
    Audit(cmd::audit::AuditCommand),
    /// Screen probe identities against a gallery (JSON lines)
    Screen(cmd::screen::ScreenArgs),
    /// Generate synthetic test data
    #[command(subcommand)]
    Generate(cmd::generate::GenerateCommand),
    /// Machine-readable zones of travel documents
    #[command(subcommand)]
    Mrz(cmd::mrz::MrzCommand),
    /// Entry/Exit System tools
    #[command(subcommand)]
    Ees(cmd::ees::EesCommand),
    /// Bulk load the SIS national copy or a national list (all or nothing)
    #[command(subcommand)]
    Import(cmd::import::ImportCommand),
    /// Border check of one document (MRZ on stdin) against a running server
    Check(cmd::check::CheckArgs),
    /// End-to-end benchmarks
    #[command(subcommand)]
    Bench(cmd::bench::BenchCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => cmd::serve::run(args),
        Command::Demo(args) => cmd::demo::run(args),
        Command::Admin(command) => cmd::admin::run(command),
        Command::Audit(command) => cmd::audit::run(command),
        Command::Screen(args) => cmd::screen::run(args),
        Command::Generate(command) => cmd::generate::run(command),
        Command::Mrz(command) => cmd::mrz::run(command),
        Command::Ees(command) => cmd::ees::run(command),
        Command::Bench(command) => cmd::bench::run(command),
        Command::Import(command) => cmd::import::run(command),
        Command::Check(args) => cmd::check::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("limes: {error:#}");
            ExitCode::FAILURE
        }
    }
}
