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

/// What every HTTP bench drives: a border guard with an API token, and the real server on an
/// ephemeral loopback port. Returns the token and the address.
pub async fn serve_for_bench_guard(
    hub: &std::sync::Arc<limes_hub::Hub>,
) -> anyhow::Result<(String, std::net::SocketAddr)> {
    use anyhow::Context as _;
    let actor = super::common::cli_actor();
    hub.create_user(
        &actor,
        "bench-guard",
        &[limes_model::Role::BorderGuard],
        "bench-password-123",
    )
    .await?;
    let (_, token, _) = hub.create_token(&actor, "bench-guard", None).await?;
    let (addr_tx, addr_rx) = tokio::sync::oneshot::channel();
    let server_hub = hub.clone();
    tokio::spawn(async move {
        let _ = super::serve::serve_hub(
            server_hub,
            "127.0.0.1:0".parse().expect("literal address"),
            false,
            |addr| {
                let _ = addr_tx.send(addr);
            },
        )
        .await;
    });
    let addr = addr_rx.await.context("server did not start")?;
    Ok((token, addr))
}
