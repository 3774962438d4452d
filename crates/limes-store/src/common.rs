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
    Prune(PruneReport),
    Checkpoint(Checkpoint),
}

pub(crate) fn unexpected() -> StoreError {
    StoreError::Integrity("writer answered with the wrong kind of result".into())
}

pub(crate) struct Job {
    pub op: WriteOp,
    pub reply: oneshot::Sender<Result<WriteOut, StoreError>>,
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
            .send(Job { op, reply })
            .map_err(|_| StoreError::Unavailable("the writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| StoreError::Unavailable("the writer stopped before answering".into()))?
    }
}
