//! `limes import sis|watchlist|documents --data DIR FILE.jsonl`: bulk load of the SIS national copy
//! and the two national lists. Every line is checked first; if any is invalid, each is reported by
//! line number and nothing is written (exit 1). A valid file is written in one transaction with
//! one journal entry (file hash, count, id range).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use limes_hub::sis::{ImportValidator, ListKind};

use super::common::{StoreArgs, cli_actor, open_hub, runtime};

#[derive(clap::Subcommand)]
pub enum ImportCommand {
    /// SIS alerts, one a line: {"id","kind":"person"|"object","category","identity"|"object",
    /// "markers","action","issuing_country","expires_at","minor"}
    Sis(ImportArgs),
    /// National watch list: {"id","identity","reason","markers","action","expires_at"}
    Watchlist(ImportArgs),
    /// Lost/stolen documents: {"id","number","country","type","status","source","expires_at"}
    Documents(ImportArgs),
}

#[derive(clap::Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// JSON lines file
    pub file: PathBuf,
    /// Do not draw a progress bar
    #[arg(long)]
    pub quiet: bool,
}

/// Most invalid lines printed; the count of the rest follows.
const SHOW_ERRORS: usize = 50;

pub fn run(command: ImportCommand) -> anyhow::Result<ExitCode> {
    let (list, args) = match command {
        ImportCommand::Sis(args) => (ListKind::Sis, args),
        ImportCommand::Watchlist(args) => (ListKind::Watchlist, args),
        ImportCommand::Documents(args) => (ListKind::Documents, args),
    };
    let bytes =
        std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let text = std::str::from_utf8(&bytes)
        .with_context(|| format!("{} is not UTF-8", args.file.display()))?;
    let sha256 = hex::encode(limes_hub::credentials::sha256(&bytes));

    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(bytes.len() as u64)
    };
    bar.set_style(
        ProgressStyle::with_template("checking {bar:40} {bytes}/{total_bytes} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut validator = ImportValidator::default();
    for (i, line) in text.lines().enumerate() {
        validator.push(list, i + 1, line);
        if i % 4096 == 0 {
            bar.inc(0);
            bar.set_position(line.as_ptr() as u64 - text.as_ptr() as u64);
        }
    }
    bar.finish_and_clear();
    let records = match validator.finish() {
        Ok(records) => records,
        Err(errors) => {
            for (line, error) in errors.iter().take(SHOW_ERRORS) {
                eprintln!("{}:{line}: {error}", args.file.display());
            }
            if errors.len() > SHOW_ERRORS {
                eprintln!("… and {} more invalid lines", errors.len() - SHOW_ERRORS);
            }
            eprintln!(
                "limes: {} invalid line(s); nothing was imported",
                errors.len()
            );
            return Ok(ExitCode::FAILURE);
        }
    };
    let count = records.len();
    runtime()?.block_on(async move {
        let hub = open_hub(&args.store).await?;
        let spinner = if args.quiet {
            ProgressBar::hidden()
        } else {
            ProgressBar::new_spinner()
        };
        spinner.set_message(format!("writing {count} records in one transaction"));
        spinner.enable_steady_tick(std::time::Duration::from_millis(200));
        let report = hub
            .import_list(&cli_actor(), list, &sha256, records)
            .await
            .context("writing the import")?;
        spinner.finish_and_clear();
        println!(
            "{}",
            serde_json::to_string(&report).context("printing the report")?
        );
        Ok(ExitCode::SUCCESS)
    })
}
