//! What several subcommands share: where the data lives, opening the hub on it, and who the CLI
//! operator is for the journal.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use limes_hub::keyfile::{self, KeyOrigin};
use limes_hub::{AccessMatrix, Actor, Backend, Hub, HubOptions};
use limes_model::SystemClock;

#[derive(clap::Args, Clone, Debug)]
pub struct StoreArgs {
    /// Data directory (SQLite database `limes.db`, default audit key `audit.key`)
    #[arg(long, env = "LIMES_DATA")]
    pub data: PathBuf,
    /// Use PostgreSQL instead of the embedded SQLite store (postgres://user@host/db)
    #[arg(long, env = "LIMES_DATABASE")]
    pub database: Option<String>,
    /// Ed25519 key that signs journal checkpoints (default DIR/audit.key; never stored in the database)
    #[arg(long, env = "LIMES_AUDIT_KEY")]
    pub audit_key: Option<PathBuf>,
    /// This node's name: one journal chain per writer node
    #[arg(long, env = "LIMES_NODE", default_value = "node-1")]
    pub node: String,
    /// Access matrix configuration replacing the shipped one
    #[arg(long)]
    pub access_matrix: Option<PathBuf>,
    /// The Member State this node serves, as its ICAO code (the EES national copy keeps only its
    /// records); ICAO's specimen State UTO by default
    #[arg(long, env = "LIMES_MEMBER_STATE", default_value = limes_hub::ees::DEFAULT_MEMBER_STATE)]
    pub member_state: String,
}

pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

pub fn load_matrix(path: Option<&Path>) -> anyhow::Result<AccessMatrix> {
    match path {
        None => Ok(AccessMatrix::shipped()),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            AccessMatrix::parse(&text).with_context(|| format!("loading {}", path.display()))
        }
    }
}

pub async fn open_hub(args: &StoreArgs) -> anyhow::Result<Hub> {
    std::fs::create_dir_all(&args.data)
        .with_context(|| format!("creating {}", args.data.display()))?;
    let key_path = args
        .audit_key
        .clone()
        .unwrap_or_else(|| args.data.join("audit.key"));
    if args.audit_key.is_none() {
        eprintln!(
            "limes: warning: using the audit key in the data directory ({}); keep it elsewhere with --audit-key in production",
            key_path.display()
        );
    }
    let (signer, origin) = keyfile::load_or_create(&key_path).context("loading the audit key")?;
    if origin == KeyOrigin::Created {
        eprintln!("limes: created a new audit key at {}", key_path.display());
    }
    let backend = match &args.database {
        Some(url) => Backend::Postgres { url: url.clone() },
        None => Backend::Sqlite {
            dir: args.data.clone(),
        },
    };
    let mut options = HubOptions::new(backend, Arc::new(SystemClock));
    options.node = args.node.clone();
    options.signer = Some(Arc::new(signer));
    options.matrix = load_matrix(args.access_matrix.as_deref())?;
    options.member_state = args.member_state.clone();
    Hub::open(options).await.context("opening the store")
}

pub fn cli_actor() -> Actor {
    let os_user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "unknown".to_owned());
    Actor::Cli { os_user }
}

/// Parses `30d`, `12h`, `90m` or `45s`.
pub fn parse_duration(text: &str) -> anyhow::Result<time::Duration> {
    let text = text.trim();
    let split = text.len().saturating_sub(1);
    let (number, unit) = text.split_at(split);
    let n: i64 = number
        .parse()
        .with_context(|| format!("{text:?} is not a duration like 30d, 12h, 90m"))?;
    anyhow::ensure!(n > 0, "duration must be positive");
    Ok(match unit {
        "d" => time::Duration::days(n),
        "h" => time::Duration::hours(n),
        "m" => time::Duration::minutes(n),
        "s" => time::Duration::seconds(n),
        _ => anyhow::bail!("{text:?}: unit must be d, h, m or s"),
    })
}
