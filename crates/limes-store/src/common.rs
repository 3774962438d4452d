//! What both backends share: the write operations the writer batches, the group-commit queue.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};

use crate::{
    Checkpoint, Entry, NewEntry, NewToken, NewUser, PruneReport, RecordWrite, StoreConfig,
    StoreError,
};

/// One queued write. The writer runs many in one transaction.
#[derive(Debug)]
pub(crate) enum WriteOp {
    Append(Vec<NewEntry>),
    CreateUser(NewUser, NewEntry),
    CreateToken(NewToken, NewEntry),
    RevokeToken(String, NewEntry),
    PutRecords(Vec<RecordWrite>, NewEntry),
    DeleteRecords(String, Vec<String>, NewEntry),
    Prune(OffsetDateTime, NewEntry),
    CheckpointNow,
}

#[derive(Debug)]
pub(crate) enum WriteOut {
    Entries(Vec<Entry>),
    Unit,
    Bool(bool),
    Count(u64),
    Prune(Box<PruneReport>),
    Checkpoint(Checkpoint),
}

pub(crate) fn unexpected() -> StoreError {
    StoreError::Integrity("writer answered with the wrong kind of result".into())
}

pub(crate) struct Job {
    pub op: WriteOp,
    pub reply: oneshot::Sender<Result<WriteOut, StoreError>>,
    /// The API token the request that queued this write was served under, if any.
    pub guard: Option<TokenGuard>,
}

/// The API token a request is served under, and the token-cache epoch it was checked at.
///
/// Why: a token lookup per request cost a read transaction and a hop to the blocking pool, a
/// sixth of the CPU of an audited read. The SQLite backend therefore answers lookups from memory,
/// and moves the check that a token was not revoked *by another process* (`limes admin
/// revoke-token` on the same data directory) into the write transaction that journals the
/// request: the writer notices foreign commits (`PRAGMA data_version`), bumps the epoch, and
/// re-reads the token of every write whose guard is older, inside the transaction. A revoked
/// token therefore still counts from the server's next request, as the issue requires.
#[derive(Debug, Clone)]
pub struct TokenGuard {
    pub token_id: String,
    pub user: String,
    pub(crate) epoch: u64,
    pub(crate) used: Arc<std::sync::atomic::AtomicBool>,
}

impl TokenGuard {
    /// Whether a write ran under this guard (so the writer has re-checked the token if needed).
    pub fn used(&self) -> bool {
        self.used.load(std::sync::atomic::Ordering::Acquire)
    }
}

tokio::task_local! {
    static TOKEN_GUARD: TokenGuard;
}

/// Runs `work` (one request) under `guard`: every write it queues carries the guard to the writer.
pub async fn with_token_guard<F: std::future::Future>(guard: TokenGuard, work: F) -> F::Output {
    TOKEN_GUARD.scope(guard, work).await
}

/// The journal entry of a refused API token: whoever refuses it (the hub at lookup, the writer
/// at commit) journals the same shape.
pub fn token_denial(actor: String, token_id: Option<&str>, reason: &str) -> NewEntry {
    NewEntry {
        actor,
        roles: Vec::new(),
        purpose: None,
        case_ref: None,
        action: "auth.token".to_owned(),
        query: match token_id {
            Some(id) => serde_json::json!({ "token": id }),
            None => serde_json::json!({}),
        },
        record_ids: Vec::new(),
        outcome: format!("denied: {reason}"),
    }
}

fn current_guard() -> Option<TokenGuard> {
    TOKEN_GUARD
        .try_with(|guard| {
            guard.used.store(true, std::sync::atomic::Ordering::Release);
            guard.clone()
        })
        .ok()
}

/// State shared by a backend's handle and its writer.
pub(crate) struct Core {
    pub config: StoreConfig,
    pub commits: Arc<AtomicU64>,
    pub inject_failures: Arc<AtomicU64>,
    pub jobs: mpsc::UnboundedSender<Job>,
}

impl Core {
    /// Queues `op` for the writer and waits until its transaction committed (or failed).
    pub async fn submit(&self, op: WriteOp) -> Result<WriteOut, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job {
                op,
                reply,
                guard: current_guard(),
            })
            .map_err(|_| StoreError::Unavailable("the writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| StoreError::Unavailable("the writer stopped before answering".into()))?
    }
}

/// Unix nanoseconds as stored (i64 covers 1677..2262).
pub(crate) fn to_nanos(ts: OffsetDateTime) -> Result<i64, StoreError> {
    i64::try_from(ts.unix_timestamp_nanos())
        .map_err(|_| StoreError::Integrity(format!("timestamp {ts} out of storable range")))
}

pub(crate) fn from_nanos(nanos: i64) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(nanos))
        .map_err(|e| StoreError::Integrity(format!("stored timestamp {nanos}: {e}")))
}

pub(crate) fn to_hash(bytes: &[u8]) -> Result<limes_journal::Hash, StoreError> {
    bytes.try_into().map_err(|_| {
        StoreError::Integrity(format!("stored hash has {} bytes, not 32", bytes.len()))
    })
}

pub(crate) fn json_list(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

pub(crate) fn parse_list(text: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Integrity(format!("stored list: {e}")))
}

pub(crate) fn parse_json(text: &str) -> Result<serde_json::Value, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Integrity(format!("stored json: {e}")))
}

/// The chain head and checkpoint bookkeeping of this node inside one write transaction.
/// Read from the database at the first use in each transaction, never carried over, because
/// another process may have appended in between.
#[derive(Clone, Debug)]
pub(crate) struct ChainState {
    pub seq: u64,
    pub hash: limes_journal::Hash,
    pub last_cp_seq: u64,
    pub last_cp_ts: Option<OffsetDateTime>,
    /// Entries were appended in this transaction (the head row must be written).
    pub dirty: bool,
}

impl ChainState {
    /// Chains `body` after the current head.
    pub fn next(&mut self, config: &StoreConfig, body: NewEntry) -> Entry {
        let ts = config.clock.now();
        let entry = Entry::chain(&config.node, self.seq, self.hash, ts, body);
        self.seq = entry.seq;
        self.hash = entry.hash;
        self.dirty = true;
        entry
    }

    /// Whether a periodic checkpoint is due at the end of this transaction.
    pub fn checkpoint_due(&self, config: &StoreConfig, now: OffsetDateTime) -> bool {
        if config.signer.is_none() || !self.dirty || self.seq <= self.last_cp_seq {
            return false;
        }
        if self.seq - self.last_cp_seq >= config.checkpoint_every.max(1) {
            return true;
        }
        match self.last_cp_ts {
            None => true,
            Some(ts) => now - ts >= config.checkpoint_interval,
        }
    }
}
