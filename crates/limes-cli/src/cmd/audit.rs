use std::process::ExitCode;

use anyhow::Context as _;
use limes_hub::Checkpoint;
use serde_json::json;

use super::common::{StoreArgs, cli_actor, open_hub, runtime};

#[derive(clap::Subcommand)]
pub enum AuditCommand {
    /// Verify the whole journal: hash chains, checkpoint signatures, and optionally an exported checkpoint
    Verify {
        #[command(flatten)]
        store: StoreArgs,
        /// A checkpoint exported earlier by `limes audit checkpoint`; detects truncation behind it
        #[arg(long)]
        against: Option<std::path::PathBuf>,
    },
    /// Sign a checkpoint at the current head and print it, to keep it outside this system
    Checkpoint {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Remove the journal prefix older than DATE (log retention) behind a signed anchor checkpoint
    Prune {
        #[command(flatten)]
        store: StoreArgs,
        /// YYYY-MM-DD or RFC 3339: entries strictly older are removed
        #[arg(long)]
        before: String,
    },
}

pub fn run(command: AuditCommand) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(run_async(command))
}

async fn run_async(command: AuditCommand) -> anyhow::Result<ExitCode> {
    let actor = cli_actor();
    match command {
        AuditCommand::Verify { store, against } => {
            let against =
                match against {
                    None => None,
                    Some(path) => {
                        let text = std::fs::read_to_string(&path)
                            .with_context(|| format!("reading {}", path.display()))?;
                        Some(Checkpoint::parse(&text).with_context(|| {
                            format!("{} is not a Limes checkpoint", path.display())
                        })?)
                    }
                };
            let hub = open_hub(&store).await?;
            let started = std::time::Instant::now();
            let report = hub
                .store()
                .verify(against.as_ref())
                .await
                .context("verifying the journal")?;
            let seconds = started.elapsed().as_secs_f64();
            hub.journal_operator(
                &actor,
                "audit.verify",
                json!({"ok": report.ok, "entries": report.entries}),
            )
            .await?;
            println!(
                "{}",
                serde_json::to_string_pretty(&json!({
                    "ok": report.ok,
                    "entries": report.entries,
                    "checkpoints": report.checkpoints,
                    "nodes": report.nodes,
                    "broken": report.broken,
                    "seconds": (seconds * 1000.0).round() / 1000.0,
                }))?
            );
            if report.ok {
                Ok(ExitCode::SUCCESS)
            } else {
                if let Some(broken) = &report.broken {
                    eprintln!(
                        "limes: journal broken at {}",
                        serde_json::to_string(broken)?
                    );
                }
                Ok(ExitCode::FAILURE)
            }
        }
        AuditCommand::Checkpoint { store } => {
            let hub = open_hub(&store).await?;
            let checkpoint = hub
                .store()
                .checkpoint_now()
                .await
                .context("signing a checkpoint")?;
            hub.journal_operator(&actor, "audit.checkpoint", json!({"seq": checkpoint.seq}))
                .await?;
            println!("{}", checkpoint.to_text());
            Ok(ExitCode::SUCCESS)
        }
        AuditCommand::Prune { store, before } => {
            let before = parse_before(&before)?;
            let hub = open_hub(&store).await?;
            let report = hub
                .prune_journal(&actor, before)
                .await
                .context("pruning the journal")?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn parse_before(text: &str) -> anyhow::Result<time::OffsetDateTime> {
    if let Ok(t) = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
    {
        return Ok(t);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(text, &format)
        .with_context(|| format!("{text:?} is not a date (YYYY-MM-DD) or an RFC 3339 time"))?;
    Ok(date.midnight().assume_utc())
}
