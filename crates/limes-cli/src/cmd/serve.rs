use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use limes_hub::Hub;
use limes_server::AppState;

use super::common::{StoreArgs, open_hub, runtime};

#[derive(clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Mark cookies Secure (set when the UI is reached over HTTPS through a proxy)
    #[arg(long)]
    pub secure_cookies: bool,
}

pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("LIMES_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .json()
        .try_init();
}

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    init_tracing();
    runtime()?.block_on(async move {
        let hub = Arc::new(open_hub(&args.store).await?);
        serve_hub(hub, args.listen, args.secure_cookies, |addr| {
            tracing::info!(%addr, "listening");
        })
        .await?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Binds, builds the indexes, serves until SIGTERM or Ctrl-C, then drains in-flight requests.
pub async fn serve_hub(
    hub: Arc<Hub>,
    listen: SocketAddr,
    secure_cookies: bool,
    on_listen: impl FnOnce(SocketAddr),
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("binding {listen}"))?;
    let addr = listener.local_addr()?;
    let state = AppState::new(hub.clone(), secure_cookies);
    on_listen(addr);
    let building = hub.clone();
    tokio::spawn(async move {
        if let Err(error) = building.build_indexes().await {
            tracing::error!(error = ?error, "building indexes failed");
            return;
        }
        housekeeping_loop(building).await;
    });
    limes_server::serve(listener, state, shutdown_signal())
        .await
        .context("serving")?;
    tracing::info!("stopped after draining in-flight requests");
    Ok(())
}

/// Runs [`Hub::housekeeping`] once an hour of the hub's clock (review dates, expiry warnings,
/// automatic deletion), polling the pure schedule every minute of real time.
async fn housekeeping_loop(hub: Arc<Hub>) {
    let mut schedule = limes_hub::sis::HousekeepingSchedule::new(time::Duration::hours(1));
    let mut poll = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        poll.tick().await;
        let now = hub.now();
        if !schedule.due(now) {
            continue;
        }
        schedule.ran(now);
        match hub.housekeeping().await {
            Ok(report) => tracing::info!(
                deleted = report.sis.deleted.len(),
                expiring_soon = report.sis.expiring_soon.len(),
                review_due = report.sis.review_due.len(),
                "housekeeping"
            ),
            Err(error) => tracing::error!(error = ?error, "housekeeping failed"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

#[derive(clap::Args)]
pub struct BenchJournalArgs {
    /// Audited HTTP reads to send
    #[arg(long, default_value_t = 200_000)]
    pub requests: usize,
    /// Concurrent keep-alive connections
    #[arg(long, default_value_t = 256)]
    pub concurrency: usize,
    /// Journal entries to append before timing `audit verify`
    #[arg(long, default_value_t = 1_000_000)]
    pub verify_entries: usize,
    /// Benchmark PostgreSQL instead of SQLite
    #[arg(long)]
    pub database: Option<String>,
    /// Allow sizes below the figures
    #[arg(long)]
    pub small: bool,
}

pub fn bench_journal(args: BenchJournalArgs) -> anyhow::Result<ExitCode> {
    super::bench_journal::run(args)
}
