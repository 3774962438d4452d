//! The durable store of Limes: the audit journal, accounts and tokens, generic JSON records with
//! their change feed (outbox), on SQLite (embedded default) or PostgreSQL, behind one async API.
//!
//! Every acknowledgement is sent only after its transaction committed durably: SQLite runs in WAL
//! mode with `synchronous=FULL`; PostgreSQL with its default `synchronous_commit`. Many concurrent
//! writes share one commit (group commit) through one writer per process.
//!
//! It is not: the access gate (the hub decides who may do what and hashes passwords and tokens),
//! nor an index (in-memory indexes follow [`Store::changes_since`], never the journal).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use limes_journal::{
    BreakReason, ChainBreak, Checkpoint, CheckpointKind, Entry, Hash, NewEntry, Signer,
};
use limes_model::Clock;
use time::OffsetDateTime;

mod common;

pub use common::{TokenGuard, token_denial, with_token_guard};
mod migrate;
mod postgres;
mod sqlite;
mod verify;

/// Where the data lives.
#[derive(Clone, Debug)]
pub enum Backend {
    /// `dir/limes.db` (created if missing).
    Sqlite { dir: PathBuf },
    /// A `postgres://` URL (or key=value connection string).
    Postgres { url: String },
}

#[derive(Clone, Debug)]
pub struct StoreConfig {
    /// This process's chain in the journal (one chain per writer node).
    pub node: String,
    /// Signs checkpoints; without it no periodic checkpoints are written and prune refuses.
    pub signer: Option<Arc<Signer>>,
    /// A periodic checkpoint after this many entries since the last one (default 10 000).
    pub checkpoint_every: u64,
    /// ... or when the last one is older than this (default 60 s), checked when entries are written.
    pub checkpoint_interval: Duration,
    pub clock: Arc<dyn Clock>,
    /// Group commit: at most this many queued writes share one transaction (default 512).
    pub max_batch: usize,
}

impl StoreConfig {
    /// Defaults for everything but the node name and the clock.
    pub fn new(node: impl Into<String>, clock: Arc<dyn Clock>) -> Self {
        StoreConfig {
            node: node.into(),
            signer: None,
            checkpoint_every: 10_000,
            checkpoint_interval: Duration::from_secs(60),
            clock,
            max_batch: 512,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("not found: {0}")]
    NotFound(String),
    /// The database is locked for too long, down, or the store is shutting down.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// The transaction did not commit; nothing of it was acknowledged.
    #[error("commit failed: {0}")]
    CommitFailed(String),
    /// Stored data is not what this code wrote (bad JSON, wrong hash length, ...).
    #[error("integrity: {0}")]
    Integrity(String),
    #[error("no audit signing key configured")]
    NoSigner,
    #[error("migration: {0}")]
    Migration(String),
    #[error("sqlite: {0}")]
    Sqlite(#[source] rusqlite::Error),
    #[error("postgres: {0}")]
    Postgres(#[source] tokio_postgres::Error),
    #[error("postgres pool: {0}")]
    Pool(String),
    #[error("io: {0}")]
    Io(#[source] std::io::Error),
    /// The API token of the request was revoked (or expired) before its write could commit.
    #[error("the token was revoked or has expired")]
    TokenRevoked,
}

/// Journal search; all set conditions must hold. Newest first.
#[derive(Clone, Debug, Default)]
pub struct JournalFilter {
    pub actor: Option<String>,
    pub purpose: Option<String>,
    pub action: Option<String>,
    pub case_ref: Option<String>,
    pub node: Option<String>,
    /// Inclusive.
    pub from: Option<OffsetDateTime>,
    /// Exclusive.
    pub to: Option<OffsetDateTime>,
    /// 0 means 100.
    pub limit: usize,
    /// Paging: skip this many matches.
    pub offset: usize,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct VerifyReport {
    /// Entries checked (after their anchors).
    pub entries: u64,
    /// Checkpoints whose signatures were checked.
    pub checkpoints: u64,
    pub nodes: Vec<String>,
    /// The public keys (hex) that signed the stored checkpoints.
    pub key_ids: Vec<String>,
    pub broken: Option<Broken>,
    pub ok: bool,
}

/// The first break found.
pub type Broken = ChainBreak;

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PruneReport {
    /// Entries deleted, over all nodes.
    pub deleted: u64,
    /// The anchor checkpoints written, one per node that lost entries.
    pub anchors: Vec<Checkpoint>,
    /// The journal entry that records the prune.
    pub audit: Entry,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NewUser {
    pub name: String,
    pub roles: Vec<String>,
    pub password_hash: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct UserRecord {
    pub name: String,
    pub roles: Vec<String>,
    pub password_hash: String,
    pub created_at: OffsetDateTime,
    pub disabled: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NewToken {
    /// Public short id (shown in listings, used to revoke).
    pub id: String,
    pub user: String,
    /// Hash of the secret token (the hub computes it).
    pub hash: Vec<u8>,
    pub expires_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TokenRecord {
    pub id: String,
    pub user: String,
    /// The user's roles now (not when the token was made).
    pub roles: Vec<String>,
    pub expires_at: OffsetDateTime,
    pub revoked: bool,
    pub created_at: OffsetDateTime,
    pub user_disabled: bool,
}

impl TokenRecord {
    /// Not revoked, not expired at `now`, and its user not disabled.
    pub fn usable_at(&self, now: OffsetDateTime) -> bool {
        !self.revoked && !self.user_disabled && self.expires_at > now
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct RecordWrite {
    pub kind: String,
    pub id: String,
    pub body: JsonText,
}

/// A record body already serialised to JSON text. Bulk writers (a 10 M-alert SIS import)
/// serialise on their own threads straight from their types, so the single writer thread only
/// binds text and no `serde_json::Value` tree is built or dropped per record.
/// The outbox after a given seq (see [`Store::outbox_tail`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutboxTail {
    pub count: u64,
    pub last: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonText(String);

impl JsonText {
    /// Serialises `value` (the only way to make one besides a `Value`, so the text is JSON).
    pub fn of<T: serde::Serialize + ?Sized>(value: &T) -> Result<Self, serde_json::Error> {
        serde_json::to_string(value).map(Self)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<serde_json::Value> for JsonText {
    fn from(value: serde_json::Value) -> Self {
        Self(value.to_string())
    }
}

impl From<&serde_json::Value> for JsonText {
    fn from(value: &serde_json::Value) -> Self {
        Self(value.to_string())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub kind: String,
    pub id: String,
    /// "put" or "delete".
    pub op: String,
}

/// A handle to the store; cheap to clone.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

enum Inner {
    Sqlite(sqlite::SqliteStore),
    Postgres(postgres::PgStore),
}

macro_rules! dispatch {
    ($self:ident, $s:ident => $e:expr) => {
        match &*$self.inner {
            Inner::Sqlite($s) => $e,
            Inner::Postgres($s) => $e,
        }
    };
}

impl Store {
    /// Opens (creating if needed) and migrates the database.
    pub async fn open(backend: Backend, config: StoreConfig) -> Result<Store, StoreError> {
        let inner = match backend {
            Backend::Sqlite { dir } => Inner::Sqlite(sqlite::SqliteStore::open(dir, config).await?),
            Backend::Postgres { url } => {
                Inner::Postgres(postgres::PgStore::open(&url, config).await?)
            }
        };
        Ok(Store {
            inner: Arc::new(inner),
        })
    }

    pub fn backend_name(&self) -> &'static str {
        match &*self.inner {
            Inner::Sqlite(_) => "sqlite",
            Inner::Postgres(_) => "postgres",
        }
    }

    /// How commits are made durable, for reports (`limes bench journal`).
    pub fn sync_mode(&self) -> String {
        dispatch!(self, s => s.sync_mode())
    }

    /// This store's node (its chain in the journal).
    pub fn node(&self) -> &str {
        dispatch!(self, s => s.core.config.node.as_str())
    }

    /// Transactions committed by this process so far (each is one fsync of the log on SQLite).
    pub fn commits(&self) -> u64 {
        dispatch!(self, s => s.core.commits.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// Appends one entry; returns after it is durably committed.
    pub async fn append(&self, entry: NewEntry) -> Result<Entry, StoreError> {
        let mut entries = self.append_batch(vec![entry]).await?;
        entries
            .pop()
            .ok_or_else(|| StoreError::Integrity("append returned no entry".into()))
    }

    /// Appends entries in order, in one transaction; returns after they are durably committed.
    pub async fn append_batch(&self, entries: Vec<NewEntry>) -> Result<Vec<Entry>, StoreError> {
        match self.write(common::WriteOp::Append(entries)).await? {
            common::WriteOut::Entries(e) => Ok(e),
            _ => Err(common::unexpected()),
        }
    }

    pub async fn journal_search(&self, filter: &JournalFilter) -> Result<Vec<Entry>, StoreError> {
        dispatch!(self, s => s.journal_search(filter).await)
    }

    /// Verifies every node's chain from its anchor, every stored checkpoint (signature and the
    /// entry at its seq), each node's stored head against its last entry, and `against` (an
    /// exported checkpoint): the entry at its seq must still be there with that hash.
    pub async fn verify(&self, against: Option<&Checkpoint>) -> Result<VerifyReport, StoreError> {
        dispatch!(self, s => s.verify(against).await)
    }

    /// Signs the current head of this node now.
    pub async fn checkpoint_now(&self) -> Result<Checkpoint, StoreError> {
        match self.write(common::WriteOp::CheckpointNow).await? {
            common::WriteOut::Checkpoint(c) => Ok(c),
            _ => Err(common::unexpected()),
        }
    }

    /// The newest checkpoint of this node (periodic or anchor).
    pub async fn latest_checkpoint(&self) -> Result<Option<Checkpoint>, StoreError> {
        dispatch!(self, s => s.latest_checkpoint().await)
    }

    /// Deletes, per node, the longest prefix of entries older than `before`, leaves a signed
    /// anchor checkpoint at the last deleted entry, and journals `audit` — one transaction.
    pub async fn prune(
        &self,
        before: OffsetDateTime,
        audit: NewEntry,
    ) -> Result<PruneReport, StoreError> {
        match self.write(common::WriteOp::Prune(before, audit)).await? {
            common::WriteOut::Prune(r) => Ok(*r),
            _ => Err(common::unexpected()),
        }
    }

    /// `StoreError::Conflict` if the name exists.
    pub async fn create_user(&self, user: NewUser, audit: NewEntry) -> Result<(), StoreError> {
        self.write(common::WriteOp::CreateUser(user, audit)).await?;
        Ok(())
    }

    pub async fn user(&self, name: &str) -> Result<Option<UserRecord>, StoreError> {
        dispatch!(self, s => s.user(name).await)
    }

    pub async fn users(&self) -> Result<Vec<UserRecord>, StoreError> {
        dispatch!(self, s => s.users().await)
    }

    /// `NotFound` if the user does not exist, `Conflict` if the id or hash exists.
    pub async fn create_token(&self, token: NewToken, audit: NewEntry) -> Result<(), StoreError> {
        self.write(common::WriteOp::CreateToken(token, audit))
            .await?;
        Ok(())
    }

    /// `Ok(false)` (and no audit entry) if there is no such token or it was already revoked.
    pub async fn revoke_token(&self, id: &str, audit: NewEntry) -> Result<bool, StoreError> {
        match self
            .write(common::WriteOp::RevokeToken(id.to_owned(), audit))
            .await?
        {
            common::WriteOut::Bool(b) => Ok(b),
            _ => Err(common::unexpected()),
        }
    }

    /// Reads a token from the store (never from a cache).
    pub async fn token_by_hash(&self, hash: &[u8]) -> Result<Option<TokenRecord>, StoreError> {
        dispatch!(self, s => s.token_by_hash(hash).await)
    }

    /// The lookup made on every API request. SQLite answers from its token cache and returns a
    /// [`TokenGuard`] to run the request under (see there for why that is still exact);
    /// PostgreSQL reads the token each time and returns no guard.
    pub async fn token_for_request(
        &self,
        hash: &[u8],
    ) -> Result<Option<(TokenRecord, Option<TokenGuard>)>, StoreError> {
        match &*self.inner {
            Inner::Sqlite(s) => s.token_for_request(hash).await,
            Inner::Postgres(s) => Ok(s.token_by_hash(hash).await?.map(|r| (r, None))),
        }
    }

    /// Whether the token is still usable now, read from the store: the check for a request that
    /// wrote nothing (so no write transaction re-checked its cached token).
    pub async fn token_usable(&self, token_id: &str) -> Result<bool, StoreError> {
        dispatch!(self, s => s.token_usable(token_id).await)
    }

    pub async fn tokens(&self, user: Option<&str>) -> Result<Vec<TokenRecord>, StoreError> {
        dispatch!(self, s => s.tokens(user).await)
    }

    /// Upserts records, writes one outbox row per record and the audit entry, in one transaction.
    pub async fn put_records(
        &self,
        records: Vec<RecordWrite>,
        audit: NewEntry,
    ) -> Result<(), StoreError> {
        self.write(common::WriteOp::PutRecords(records, audit))
            .await?;
        Ok(())
    }

    /// Deletes the records that exist (outbox row each) and journals `audit`; returns how many.
    pub async fn delete_records(
        &self,
        kind: &str,
        ids: Vec<String>,
        audit: NewEntry,
    ) -> Result<u64, StoreError> {
        match self
            .write(common::WriteOp::DeleteRecords(kind.to_owned(), ids, audit))
            .await?
        {
            common::WriteOut::Count(n) => Ok(n),
            _ => Err(common::unexpected()),
        }
    }

    pub async fn record(
        &self,
        kind: &str,
        id: &str,
    ) -> Result<Option<serde_json::Value>, StoreError> {
        dispatch!(self, s => s.record(kind, id).await)
    }

    /// Records of `kind` in id order, after `after_id`.
    pub async fn scan_records(
        &self,
        kind: &str,
        after_id: Option<&str>,
        limit: usize,
    ) -> Result<Vec<(String, serde_json::Value)>, StoreError> {
        self.scan_records_text(kind, after_id, limit)
            .await?
            .into_iter()
            .map(|(id, body)| Ok((id, common::parse_json(&body)?)))
            .collect()
    }

    /// As [`Store::scan_records`] with the bodies as stored JSON text, for readers that parse
    /// straight into their own types (a projection rebuilt from 20 M records at start).
    pub async fn scan_records_text(
        &self,
        kind: &str,
        after_id: Option<&str>,
        limit: usize,
    ) -> Result<Vec<(String, String)>, StoreError> {
        dispatch!(self, s => s.scan_records_text(kind, after_id, limit).await)
    }

    /// The change feed: outbox rows with `seq > after`, in seq order.
    pub async fn changes_since(&self, after: i64, limit: usize) -> Result<Vec<Change>, StoreError> {
        dispatch!(self, s => s.changes_since(after, limit).await)
    }

    /// Copies the whole write-ahead log into the database and truncates it (SQLite), so that
    /// what a bulk load wrote is in place before serving starts instead of being copied back
    /// while border checks commit.
    pub async fn checkpoint(&self) -> Result<(), StoreError> {
        dispatch!(self, s => s.checkpoint().await)
    }

    /// The last outbox seq (0 when empty): one index lookup, where [`Store::outbox_tail`] counts.
    pub async fn outbox_head(&self) -> Result<i64, StoreError> {
        dispatch!(self, s => s.outbox_head().await)
    }

    /// How many outbox rows follow `after` and the last one's seq (`after` when none): one query,
    /// so a follower can tell whether it saw every change without reading them.
    pub async fn outbox_tail(&self, after: i64) -> Result<OutboxTail, StoreError> {
        dispatch!(self, s => s.outbox_tail(after).await)
    }

    /// Tests: the next `n` commits fail (and must not be acknowledged).
    pub fn inject_commit_failures(&self, n: u64) {
        dispatch!(self, s => s.core.inject_failures.fetch_add(n, std::sync::atomic::Ordering::SeqCst));
    }

    async fn write(&self, op: common::WriteOp) -> Result<common::WriteOut, StoreError> {
        dispatch!(self, s => s.core.submit(op).await)
    }
}
