//! The SQLite backend: `DIR/limes.db` in WAL mode with `synchronous=FULL`.
//!
//! One writer thread per process owns the read-write connection and commits many queued writes
//! in one `BEGIN IMMEDIATE` transaction (group commit: one fsync of the WAL for the whole batch),
//! each write inside its own SAVEPOINT so that one failing write does not fail the others.
//! Answers are sent only after COMMIT returned. Reads run on a small pool of read-only
//! connections on tokio's blocking threads.
//!
//! Other processes (the CLI's admin commands) may write the same file: SQLite serialises the
//! write transactions, and the chain head is read inside each one.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use limes_journal::{CheckpointKind, GENESIS};
use rusqlite::{Connection, OpenFlags, OptionalExtension, ToSql, params};
use tokio::sync::mpsc;

use crate::common::{
    ChainState, Core, Job, WriteOp, WriteOut, from_nanos, json_list, parse_json, parse_list,
    to_hash, to_nanos,
};
use crate::verify::Verification;
use crate::*;

const BUSY_TIMEOUT_MS: u32 = 5_000;
const READ_POOL: usize = 4;

pub(crate) struct SqliteStore {
    pub core: Core,
    reads: Arc<ReadPool>,
    tokens: Arc<TokenCache>,
}

/// API tokens as last read, tagged with the epoch they were read at. The writer bumps the epoch
/// when another process committed (a `limes admin` on the same data directory) or when it
/// revoked a token itself; entries of an older epoch are read again. See [`TokenGuard`].
#[derive(Default)]
struct TokenCache {
    epoch: AtomicU64,
    map: Mutex<std::collections::HashMap<Vec<u8>, (u64, TokenRecord)>>,
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Unavailable(format!("database is locked: {e}"))
            }
            _ => StoreError::Sqlite(e),
        }
    }
}

fn is_constraint(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation)
}

impl SqliteStore {
    pub async fn open(dir: PathBuf, config: StoreConfig) -> Result<Self, StoreError> {
        std::fs::create_dir_all(&dir).map_err(StoreError::Io)?;
        let path = dir.join("limes.db");
        let commits = Arc::new(AtomicU64::new(0));
        let inject = Arc::new(AtomicU64::new(0));
        let (jobs, queue) = mpsc::unbounded_channel();
        let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
        let tokens = Arc::new(TokenCache::default());
        let (wake, woken) = std::sync::mpsc::sync_channel(1);
        let writer = Writer {
            config: config.clone(),
            commits: commits.clone(),
            inject: inject.clone(),
            tokens: tokens.clone(),
            data_version: std::cell::Cell::new(None),
            wake,
        };
        let writer_path = path.clone();
        std::thread::Builder::new()
            .name("limes-sqlite-writer".into())
            .spawn(move || match writer.open(&writer_path) {
                Ok(conn) => {
                    raise_priority();
                    let checkpoint_path = writer_path.clone();
                    if let Err(error) = std::thread::Builder::new()
                        .name("limes-sqlite-checkpoint".into())
                        .spawn(move || checkpointer(&checkpoint_path, woken))
                    {
                        // Without it the WAL only grows; refuse to start rather than fill the disk.
                        let _ = ready_tx.send(Err(StoreError::Io(error)));
                        return;
                    }
                    let _ = ready_tx.send(Ok(()));
                    writer.run(conn, queue);
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                }
            })
            .map_err(StoreError::Io)?;
        ready_rx
            .await
            .map_err(|_| StoreError::Unavailable("sqlite writer failed to start".into()))??;
        Ok(SqliteStore {
            core: Core {
                config,
                commits,
                inject_failures: inject,
                jobs,
            },
            reads: Arc::new(ReadPool {
                path,
                idle: Mutex::new(Vec::new()),
                slots: tokio::sync::Semaphore::new(READ_POOL),
            }),
            tokens,
        })
    }

    pub async fn token_for_request(
        &self,
        hash: &[u8],
    ) -> Result<Option<(TokenRecord, Option<TokenGuard>)>, StoreError> {
        // The epoch is read before the store is, so a record read across a bump is tagged old.
        let epoch = self.tokens.epoch.load(Ordering::Acquire);
        let cached = self.tokens.map.lock().ok().and_then(|map| {
            map.get(hash)
                .filter(|(e, _)| *e == epoch)
                .map(|(_, r)| r.clone())
        });
        let record = match cached {
            Some(record) => Some(record),
            None => {
                let record = self.token_by_hash(hash).await?;
                if let (Some(record), Ok(mut map)) = (&record, self.tokens.map.lock()) {
                    map.insert(hash.to_vec(), (epoch, record.clone()));
                }
                record
            }
        };
        Ok(record.map(|record| {
            let guard = TokenGuard {
                token_id: record.id.clone(),
                user: record.user.clone(),
                epoch,
                used: Arc::default(),
            };
            (record, Some(guard))
        }))
    }

    pub async fn token_usable(&self, token_id: &str) -> Result<bool, StoreError> {
        let token_id = token_id.to_owned();
        let now = self.core.config.clock.now();
        self.read(move |conn| token_usable(conn, &token_id, now))
            .await
    }

    pub fn sync_mode(&self) -> String {
        "sqlite WAL, synchronous=FULL, group commit".into()
    }

    async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let pool = self.reads.clone();
        // At most READ_POOL reads run at once, each on a kept connection: under many concurrent
        // requests, opening a connection per read (and re-preparing its statements) cost more
        // than the read itself, and a blocking thread per request thrashed the scheduler.
        let permit = self
            .reads
            .slots
            .acquire()
            .await
            .map_err(|e| StoreError::Unavailable(format!("read slots: {e}")))?;
        let out = tokio::task::spawn_blocking(move || {
            let conn = pool.take()?;
            let out = f(&conn);
            pool.give_back(conn);
            out
        })
        .await
        .map_err(|e| StoreError::Unavailable(format!("read task: {e}")))?;
        drop(permit);
        out
    }

    pub async fn journal_search(&self, filter: &JournalFilter) -> Result<Vec<Entry>, StoreError> {
        let filter = filter.clone();
        self.read(move |conn| {
            let mut sql = String::from(
                "SELECT node, seq, ts, prev_hash, hash, actor, roles, purpose, case_ref, action, query, record_ids, outcome FROM journal WHERE 1=1",
            );
            let mut args: Vec<Box<dyn ToSql>> = Vec::new();
            let mut text = |col: &str, v: &Option<String>, sql: &mut String| {
                if let Some(v) = v {
                    sql.push_str(&format!(" AND {col} = ?"));
                    args.push(Box::new(v.clone()));
                }
            };
            text("actor", &filter.actor, &mut sql);
            text("purpose", &filter.purpose, &mut sql);
            text("action", &filter.action, &mut sql);
            text("case_ref", &filter.case_ref, &mut sql);
            text("node", &filter.node, &mut sql);
            if let Some(from) = filter.from {
                sql.push_str(" AND ts >= ?");
                args.push(Box::new(to_nanos(from)?));
            }
            if let Some(to) = filter.to {
                sql.push_str(" AND ts < ?");
                args.push(Box::new(to_nanos(to)?));
            }
            sql.push_str(" ORDER BY ts DESC, node, seq DESC LIMIT ? OFFSET ?");
            let limit = if filter.limit == 0 { 100 } else { filter.limit };
            args.push(Box::new(i64::try_from(limit).unwrap_or(i64::MAX)));
            args.push(Box::new(i64::try_from(filter.offset).unwrap_or(i64::MAX)));
            let mut stmt = conn.prepare_cached(&sql)?;
            let params: Vec<&dyn ToSql> = args.iter().map(|a| a.as_ref()).collect();
            let mut rows = stmt.query(params.as_slice())?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push(entry_from_row(row)?);
            }
            Ok(out)
        })
        .await
    }

    pub async fn verify(&self, against: Option<&Checkpoint>) -> Result<VerifyReport, StoreError> {
        let against = against.cloned();
        self.read(move |conn| {
            // One read transaction: a consistent snapshot while writers go on.
            conn.execute_batch("BEGIN")?;
            let out = verify_in(conn, against.as_ref());
            let _ = conn.execute_batch("COMMIT");
            out
        })
        .await
    }

    pub async fn latest_checkpoint(&self) -> Result<Option<Checkpoint>, StoreError> {
        let node = self.core.config.node.clone();
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT node, seq, kind, ts, hash, key_id, signature FROM journal_checkpoints WHERE node = ? ORDER BY seq DESC, ts DESC LIMIT 1",
            )?;
            let mut rows = stmt.query([&node])?;
            match rows.next()? {
                Some(row) => Ok(Some(checkpoint_from_row(row)?)),
                None => Ok(None),
            }
        })
        .await
    }

    pub async fn user(&self, name: &str) -> Result<Option<UserRecord>, StoreError> {
        let name = name.to_owned();
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT name, roles, password_hash, created_at, disabled FROM users WHERE name = ?",
            )?;
            let mut rows = stmt.query([&name])?;
            match rows.next()? {
                Some(row) => Ok(Some(user_from_row(row)?)),
                None => Ok(None),
            }
        })
        .await
    }

    pub async fn users(&self) -> Result<Vec<UserRecord>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT name, roles, password_hash, created_at, disabled FROM users ORDER BY name",
            )?;
            let mut rows = stmt.query([])?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push(user_from_row(row)?);
            }
            Ok(out)
        })
        .await
    }

    pub async fn token_by_hash(&self, hash: &[u8]) -> Result<Option<TokenRecord>, StoreError> {
        let hash = hash.to_vec();
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!("{TOKEN_SELECT} WHERE t.hash = ?"))?;
            let mut rows = stmt.query([&hash])?;
            match rows.next()? {
                Some(row) => Ok(Some(token_from_row(row)?)),
                None => Ok(None),
            }
        })
        .await
    }

    pub async fn tokens(&self, user: Option<&str>) -> Result<Vec<TokenRecord>, StoreError> {
        let user = user.map(str::to_owned);
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "{TOKEN_SELECT} WHERE (?1 IS NULL OR t.user_name = ?1) ORDER BY t.created_at, t.id"
            ))?;
            let mut rows = stmt.query([&user])?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push(token_from_row(row)?);
            }
            Ok(out)
        })
        .await
    }

    pub async fn record(
        &self,
        kind: &str,
        id: &str,
    ) -> Result<Option<serde_json::Value>, StoreError> {
        let (kind, id) = (kind.to_owned(), id.to_owned());
        self.read(move |conn| {
            let mut stmt =
                conn.prepare_cached("SELECT body FROM records WHERE kind = ? AND id = ?")?;
            let body: Option<String> = stmt.query_row([&kind, &id], |r| r.get(0)).optional()?;
            body.as_deref().map(parse_json).transpose()
        })
        .await
    }

    pub async fn scan_records_text(
        &self,
        kind: &str,
        after_id: Option<&str>,
        limit: usize,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let kind = kind.to_owned();
        let after = after_id.map(str::to_owned);
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.read(move |conn| {
            // Two statements, not `(?2 IS NULL OR id > ?2)`: with the planner's stability
            // guarantee that form is planned as `kind = ?` only, so every page re-read the kind
            // from its first row (a full scan of 10 M records took hours, page by page).
            let mut stmt = match after {
                Some(_) => conn.prepare_cached(
                    "SELECT id, body FROM records WHERE kind = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
                )?,
                None => conn.prepare_cached(
                    "SELECT id, body FROM records WHERE kind = ?1 AND ?2 IS NULL ORDER BY id LIMIT ?3",
                )?,
            };
            let mut rows = stmt.query(params![kind, after, limit])?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push((row.get(0)?, row.get(1)?));
            }
            Ok(out)
        })
        .await
    }

    pub async fn changes_since(&self, after: i64, limit: usize) -> Result<Vec<Change>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT seq, kind, id, op FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?",
            )?;
            let mut rows = stmt.query(params![after, limit])?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push(Change {
                    seq: row.get(0)?,
                    kind: row.get(1)?,
                    id: row.get(2)?,
                    op: row.get(3)?,
                });
            }
            Ok(out)
        })
        .await
    }

    pub async fn checkpoint(&self) -> Result<(), StoreError> {
        let path = self.reads.path.clone();
        tokio::task::spawn_blocking(move || {
            let conn = Connection::open(&path)?;
            conn.busy_timeout(std::time::Duration::from_millis(u64::from(BUSY_TIMEOUT_MS)))?;
            // The checkpointer thread may be copying the same log (SQLite then answers busy at
            // once, without its busy handler): try again until the log is ours to truncate.
            let started = std::time::Instant::now();
            loop {
                match conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                    r.get::<_, i64>(0)
                }) {
                    Ok(0) => return Ok(()),
                    Ok(_) => {}
                    Err(e)
                        if matches!(
                            e.sqlite_error_code(),
                            Some(
                                rusqlite::ErrorCode::DatabaseBusy
                                    | rusqlite::ErrorCode::DatabaseLocked
                            )
                        ) => {}
                    Err(e) => return Err(e.into()),
                }
                if started.elapsed() > std::time::Duration::from_secs(600) {
                    return Err(StoreError::Unavailable(
                        "the WAL checkpoint could not finish in 10 minutes (a long reader?)".into(),
                    ));
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        })
        .await
        .map_err(|e| StoreError::Unavailable(format!("checkpoint: {e}")))?
    }

    pub async fn outbox_head(&self) -> Result<i64, StoreError> {
        self.read(|conn| {
            let head: Option<i64> = conn
                .prepare_cached("SELECT max(seq) FROM outbox")?
                .query_row([], |r| r.get(0))?;
            Ok(head.unwrap_or(0))
        })
        .await
    }

    pub async fn outbox_tail(&self, after: i64) -> Result<OutboxTail, StoreError> {
        self.read(move |conn| {
            let (count, last): (i64, Option<i64>) = conn
                .prepare_cached("SELECT count(*), max(seq) FROM outbox WHERE seq > ?")?
                .query_row([after], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(OutboxTail {
                count: u64::try_from(count).unwrap_or(0),
                last: last.unwrap_or(after),
            })
        })
        .await
    }
}

const TOKEN_SELECT: &str = "SELECT t.id, t.user_name, u.roles, t.expires_at, t.revoked, t.created_at, u.disabled FROM tokens t JOIN users u ON u.name = t.user_name";

/// Gives the writer thread a head start over the request threads. Why: every audited answer
/// waits for this one thread's commit, and on a busy 2-core machine it otherwise waits for CPU
/// behind the very requests it should release (measured: commit groups of 67 entries every
/// 7.5 ms instead of 9 every 0.3 ms, and half the throughput). Lowering a nice value needs
/// CAP_SYS_NICE (root has it); without it the writer keeps the default priority and says so.
/// Between two checkpoints at least this long: each fsyncs the database file.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(100);

/// Copies committed WAL frames into the database on its own connection (PASSIVE: it never
/// blocks the writer). With SQLite's own auto-checkpoint the commit that crosses 1,000 WAL pages
/// copies them and fsyncs the database file while every queued border check waits: at 10 M +
/// 10 M alerts that was most of the commit-wait p99. The writer wakes it after each commit;
/// it ends when the writer does.
fn checkpointer(path: &Path, woken: std::sync::mpsc::Receiver<()>) {
    use std::sync::mpsc::RecvTimeoutError;
    let conn = match Connection::open(path) {
        Ok(conn) => conn,
        Err(error) => {
            tracing::error!(%error, "the SQLite checkpointer could not open the database");
            return;
        }
    };
    let _ = conn.busy_timeout(std::time::Duration::from_millis(u64::from(BUSY_TIMEOUT_MS)));
    loop {
        match woken.recv_timeout(std::time::Duration::from_secs(1)) {
            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        if let Err(error) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::warn!(%error, "WAL checkpoint failed; retrying");
        }
        std::thread::sleep(CHECKPOINT_EVERY);
    }
}

fn raise_priority() {
    // On Linux, PRIO_PROCESS with a thread id sets that one thread's nice value.
    let tid = rustix::thread::gettid();
    if let Err(error) = rustix::process::setpriority_process(Some(tid), -10) {
        tracing::warn!(
            %error,
            "could not raise the SQLite writer's priority (needs CAP_SYS_NICE); commits may wait for CPU under load"
        );
    }
}

fn token_usable(
    conn: &Connection,
    token_id: &str,
    now: time::OffsetDateTime,
) -> Result<bool, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("{TOKEN_SELECT} WHERE t.id = ?"))?;
    let mut rows = stmt.query([token_id])?;
    Ok(match rows.next()? {
        Some(row) => token_from_row(row)?.usable_at(now),
        None => false,
    })
}

fn token_from_row(row: &rusqlite::Row<'_>) -> Result<TokenRecord, StoreError> {
    let roles: String = row.get(2)?;
    Ok(TokenRecord {
        id: row.get(0)?,
        user: row.get(1)?,
        roles: parse_list(&roles)?,
        expires_at: from_nanos(row.get(3)?)?,
        revoked: row.get(4)?,
        created_at: from_nanos(row.get(5)?)?,
        user_disabled: row.get(6)?,
    })
}

fn user_from_row(row: &rusqlite::Row<'_>) -> Result<UserRecord, StoreError> {
    let roles: String = row.get(1)?;
    Ok(UserRecord {
        name: row.get(0)?,
        roles: parse_list(&roles)?,
        password_hash: row.get(2)?,
        created_at: from_nanos(row.get(3)?)?,
        disabled: row.get(4)?,
    })
}

fn entry_from_row(row: &rusqlite::Row<'_>) -> Result<Entry, StoreError> {
    let seq: i64 = row.get(1)?;
    let prev: Vec<u8> = row.get(3)?;
    let hash: Vec<u8> = row.get(4)?;
    let roles: String = row.get(6)?;
    let query: String = row.get(10)?;
    let record_ids: String = row.get(11)?;
    Ok(Entry {
        node: row.get(0)?,
        seq: u64::try_from(seq).map_err(|_| StoreError::Integrity("negative seq".into()))?,
        ts: from_nanos(row.get(2)?)?,
        prev_hash: to_hash(&prev)?,
        hash: to_hash(&hash)?,
        body: NewEntry {
            actor: row.get(5)?,
            roles: parse_list(&roles)?,
            purpose: row.get(7)?,
            case_ref: row.get(8)?,
            action: row.get(9)?,
            query: parse_json(&query)?,
            record_ids: parse_list(&record_ids)?,
            outcome: row.get(12)?,
        },
    })
}

fn checkpoint_from_row(row: &rusqlite::Row<'_>) -> Result<Checkpoint, StoreError> {
    let seq: i64 = row.get(1)?;
    let kind: String = row.get(2)?;
    let hash: Vec<u8> = row.get(4)?;
    Ok(Checkpoint {
        node: row.get(0)?,
        seq: u64::try_from(seq).map_err(|_| StoreError::Integrity("negative seq".into()))?,
        kind: CheckpointKind::parse(&kind)
            .ok_or_else(|| StoreError::Integrity(format!("checkpoint kind {kind}")))?,
        ts: from_nanos(row.get(3)?)?,
        hash: to_hash(&hash)?,
        key_id: row.get(5)?,
        signature: row.get(6)?,
    })
}

fn verify_in(conn: &Connection, against: Option<&Checkpoint>) -> Result<VerifyReport, StoreError> {
    let mut checkpoints = Vec::new();
    {
        let mut stmt = conn.prepare(
            "SELECT node, seq, kind, ts, hash, key_id, signature FROM journal_checkpoints",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            checkpoints.push(checkpoint_from_row(row)?);
        }
    }
    let mut heads = Vec::new();
    {
        let mut stmt = conn.prepare("SELECT node, seq, hash FROM journal_heads")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let seq: i64 = row.get(1)?;
            let hash: Vec<u8> = row.get(2)?;
            heads.push((
                row.get(0)?,
                u64::try_from(seq).unwrap_or(0),
                to_hash(&hash)?,
            ));
        }
    }
    let nodes: Vec<String> = {
        let mut stmt = conn.prepare("SELECT DISTINCT node FROM journal")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    let v = Verification::new(checkpoints, heads, nodes, against);
    // Two threads: this one steps SQLite and decodes rows, the other one re-hashes and checks
    // the chain (about half the work each), so that 1 M entries verify within seconds.
    enum Msg {
        Node(String),
        Chunk(Vec<Entry>),
        End,
    }
    const CHUNK: usize = 4096;
    let stop = std::sync::atomic::AtomicBool::new(false);
    let (tx, rx) = std::sync::mpsc::sync_channel::<Msg>(8);
    let plan: Vec<(String, u64)> = v
        .nodes()
        .into_iter()
        .map(|n| {
            let start = v.start_seq(&n);
            (n, start)
        })
        .collect();
    std::thread::scope(|scope| {
        let checker = scope.spawn(|| {
            let mut v = v;
            for msg in rx {
                match msg {
                    Msg::Node(node) => {
                        v.start_node(&node);
                    }
                    Msg::Chunk(entries) => {
                        for entry in &entries {
                            if !v.feed(entry) {
                                stop.store(true, Ordering::Relaxed);
                                break;
                            }
                        }
                    }
                    Msg::End => v.end_node(),
                }
                if v.is_broken() {
                    stop.store(true, Ordering::Relaxed);
                }
            }
            v
        });
        let produced = (|| {
            let mut stmt = conn.prepare(
                "SELECT node, seq, ts, prev_hash, hash, actor, roles, purpose, case_ref, action, query, record_ids, outcome FROM journal WHERE node = ? AND seq > ? ORDER BY seq",
            )?;
            for (node, start) in &plan {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let _ = tx.send(Msg::Node(node.clone()));
                let mut rows =
                    stmt.query(params![node, i64::try_from(*start).unwrap_or(i64::MAX)])?;
                let mut chunk = Vec::with_capacity(CHUNK);
                while let Some(row) = rows.next()? {
                    chunk.push(entry_from_row(row)?);
                    if chunk.len() == CHUNK {
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        let _ = tx.send(Msg::Chunk(std::mem::replace(
                            &mut chunk,
                            Vec::with_capacity(CHUNK),
                        )));
                    }
                }
                let _ = tx.send(Msg::Chunk(chunk));
                let _ = tx.send(Msg::End);
            }
            Ok::<(), StoreError>(())
        })();
        drop(tx);
        let v = checker
            .join()
            .map_err(|_| StoreError::Integrity("verification thread panicked".into()))?;
        produced?;
        Ok(v.finish())
    })
}

/// Read-only connections, opened on demand and kept for reuse (prepared statements stay cached).
struct ReadPool {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    slots: tokio::sync::Semaphore,
}

impl ReadPool {
    fn take(&self) -> Result<Connection, StoreError> {
        if let Some(conn) = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop() {
            return Ok(conn);
        }
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_millis(u64::from(BUSY_TIMEOUT_MS)))?;
        conn.set_prepared_statement_cache_capacity(64);
        stable_plans(&conn)?;
        Ok(conn)
    }

    fn give_back(&self, conn: Connection) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < READ_POOL && conn.is_autocommit() {
            idle.push(conn);
        }
    }
}

/// Query-planner stability: without it, a cached statement whose parameter can touch a partial
/// index is re-prepared on every bind (profiled: 15 % of CPU under the audited-read load, all of
/// it re-parsing the token lookup). Our statements never need value-dependent plans.
fn stable_plans(conn: &Connection) -> Result<(), StoreError> {
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    Ok(())
}

struct Writer {
    config: StoreConfig,
    commits: Arc<AtomicU64>,
    inject: Arc<AtomicU64>,
    tokens: Arc<TokenCache>,
    /// `PRAGMA data_version` at the last transaction: it changes only when another connection
    /// (another process) committed in between.
    data_version: std::cell::Cell<Option<i64>>,
    /// Wakes the [`checkpointer`] after a commit (never blocks: one pending wake is enough).
    wake: std::sync::mpsc::SyncSender<()>,
}

impl Writer {
    fn open(&self, path: &Path) -> Result<Connection, StoreError> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_millis(u64::from(BUSY_TIMEOUT_MS)))?;
        // WAL: readers never block the writer. synchronous=FULL: the WAL is fsynced at every
        // commit, so an acknowledged commit survives power loss (NORMAL would not guarantee it).
        let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Unavailable(format!(
                "could not switch {} to WAL (got {mode})",
                path.display()
            )));
        }
        // wal_autocheckpoint=0: the checkpointer thread copies the WAL back, not a commit.
        conn.execute_batch(
            "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=0; \
             PRAGMA journal_size_limit=67108864;",
        )?;
        conn.set_prepared_statement_cache_capacity(64);
        stable_plans(&conn)?;
        migrate(&conn, self.config.clock.now())?;
        let inject = self.inject.clone();
        // A commit hook returning true turns the COMMIT into a ROLLBACK: the test hook for
        // "a failed commit is never acknowledged".
        conn.commit_hook(Some(move || {
            inject
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok()
        }))?;
        Ok(conn)
    }

    fn run(&self, conn: Connection, mut queue: mpsc::UnboundedReceiver<Job>) {
        let max = self.config.max_batch.max(1);
        while let Some(first) = queue.blocking_recv() {
            let mut batch = vec![first];
            while batch.len() < max {
                match queue.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            self.commit_batch(&conn, batch);
        }
    }

    fn commit_batch(&self, conn: &Connection, batch: Vec<Job>) {
        let (ops, replies): (Vec<_>, Vec<_>) = batch
            .into_iter()
            .map(|j| ((j.op, j.guard), j.reply))
            .unzip();
        let results = self.transaction(conn, ops);
        for (reply, result) in replies.into_iter().zip(results) {
            let _ = reply.send(result);
        }
        let _ = self.wake.try_send(());
    }

    /// Runs the ops in one transaction. Every result is an error unless COMMIT succeeded.
    fn transaction(
        &self,
        conn: &Connection,
        ops: Vec<(WriteOp, Option<TokenGuard>)>,
    ) -> Vec<Result<WriteOut, StoreError>> {
        let n = ops.len();
        let fail_all = |msg: String, e: fn(String) -> StoreError| {
            (0..n).map(|_| Err(e(msg.clone()))).collect()
        };
        if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
            return fail_all(format!("begin: {e}"), StoreError::Unavailable);
        }
        let mut tx = Tx {
            conn,
            config: &self.config,
            chain: None,
        };
        let epoch = match self.notice_foreign_commits(conn) {
            Ok(epoch) => epoch,
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                return fail_all(format!("data_version: {e}"), StoreError::Unavailable);
            }
        };
        let now = self.config.clock.now();
        let mut revoked = false;
        let mut results = Vec::with_capacity(n);
        for (op, guard) in ops {
            if let Some(guard) = guard.filter(|g| g.epoch != epoch) {
                match token_usable(conn, &guard.token_id, now) {
                    Ok(true) => {}
                    Ok(false) => {
                        // The denial is journalled in place of the write, like any other.
                        let denial = token_denial(
                            guard.user.clone(),
                            Some(&guard.token_id),
                            "revoked token",
                        );
                        let denied = tx.savepoint(WriteOp::Append(vec![denial]));
                        results.push(denied.and(Err(StoreError::TokenRevoked)));
                        continue;
                    }
                    Err(e) => {
                        results.push(Err(e));
                        continue;
                    }
                }
            }
            revoked |= matches!(op, WriteOp::RevokeToken(..));
            results.push(tx.savepoint(op));
        }
        let finish = tx.finish();
        let commit = finish.and_then(|()| conn.execute_batch("COMMIT").map_err(StoreError::from));
        match commit {
            Ok(()) => {
                self.commits.fetch_add(1, Ordering::Relaxed);
                if revoked {
                    // Before the revoker hears back: every later request reads its token again.
                    self.tokens.epoch.fetch_add(1, Ordering::AcqRel);
                }
                results
            }
            Err(e) => {
                // After a failed COMMIT (or a failed head update) SQLite may still be inside the
                // transaction; roll back so that nothing of this batch survives.
                if !conn.is_autocommit() {
                    let _ = conn.execute_batch("ROLLBACK");
                }
                fail_all(format!("{e}"), StoreError::CommitFailed)
            }
        }
    }
}

impl Writer {
    /// Inside the write transaction: if another process committed since our last transaction, a
    /// token may have been revoked there, so the cache epoch moves on. Returns the epoch that
    /// guards must carry to skip their re-check.
    fn notice_foreign_commits(&self, conn: &Connection) -> Result<u64, StoreError> {
        let version: i64 = conn
            .prepare_cached("PRAGMA data_version")?
            .query_row([], |r| r.get(0))?;
        if self.data_version.replace(Some(version)) != Some(version) {
            self.tokens.epoch.fetch_add(1, Ordering::AcqRel);
        }
        Ok(self.tokens.epoch.load(Ordering::Acquire))
    }
}

fn migrate(conn: &Connection, now: time::OffsetDateTime) -> Result<(), StoreError> {
    conn.execute_batch(migrate::CREATE_TABLE)?;
    for m in migrate::SQLITE {
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let step = (|| {
            let newest: Option<i64> =
                conn.query_row("SELECT max(version) FROM schema_migrations", [], |r| {
                    r.get(0)
                })?;
            migrate::check_newest(migrate::SQLITE, newest)?;
            let recorded: Option<String> = conn
                .query_row(
                    "SELECT sha256 FROM schema_migrations WHERE version = ?",
                    [m.version],
                    |r| r.get(0),
                )
                .optional()?;
            if migrate::check(m, recorded)? {
                conn.execute_batch(m.sql)?;
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?, ?, ?, ?)",
                    params![m.version, m.name, m.sha256(), to_nanos(now)?],
                )?;
            }
            Ok::<(), StoreError>(())
        })();
        match step {
            Ok(()) => conn.execute_batch("COMMIT")?,
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                return Err(e);
            }
        }
    }
    Ok(())
}

/// One write transaction of the writer.
struct Tx<'a> {
    conn: &'a Connection,
    config: &'a StoreConfig,
    chain: Option<ChainState>,
}

impl Tx<'_> {
    fn savepoint(&mut self, op: WriteOp) -> Result<WriteOut, StoreError> {
        self.conn.execute_batch("SAVEPOINT job")?;
        let before = self.chain.clone();
        match self.apply(op) {
            Ok(out) => {
                self.conn.execute_batch("RELEASE job")?;
                Ok(out)
            }
            Err(e) => {
                self.conn.execute_batch("ROLLBACK TO job; RELEASE job")?;
                self.chain = before;
                Err(e)
            }
        }
    }

    fn chain(&mut self) -> Result<&mut ChainState, StoreError> {
        if self.chain.is_none() {
            let node = &self.config.node;
            let head: Option<(i64, Vec<u8>)> = self
                .conn
                .prepare_cached("SELECT seq, hash FROM journal_heads WHERE node = ?")?
                .query_row([node], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let (seq, hash) = match head {
                Some((seq, hash)) => (u64::try_from(seq).unwrap_or(0), to_hash(&hash)?),
                None => (0, GENESIS),
            };
            let cp: Option<(i64, i64)> = self
                .conn
                .prepare_cached(
                    "SELECT seq, ts FROM journal_checkpoints WHERE node = ? ORDER BY seq DESC, ts DESC LIMIT 1",
                )?
                .query_row([node], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            self.chain = Some(ChainState {
                seq,
                hash,
                last_cp_seq: cp.map_or(0, |c| u64::try_from(c.0).unwrap_or(0)),
                last_cp_ts: cp.map(|c| from_nanos(c.1)).transpose()?,
                dirty: false,
            });
        }
        self.chain
            .as_mut()
            .ok_or_else(|| StoreError::Integrity("chain state".into()))
    }

    fn append(&mut self, body: NewEntry) -> Result<Entry, StoreError> {
        let config = self.config;
        let entry = self.chain()?.next(config, body);
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO journal (node, seq, ts, prev_hash, hash, actor, roles, purpose, case_ref, action, query, record_ids, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )?;
        stmt.execute(params![
            entry.node,
            i64::try_from(entry.seq).map_err(|_| StoreError::Integrity("seq overflow".into()))?,
            to_nanos(entry.ts)?,
            &entry.prev_hash[..],
            &entry.hash[..],
            entry.body.actor,
            json_list(&entry.body.roles),
            entry.body.purpose,
            entry.body.case_ref,
            entry.body.action,
            limes_journal::canonical_json(&entry.body.query),
            json_list(&entry.body.record_ids),
            entry.body.outcome,
        ])?;
        Ok(entry)
    }

    fn insert_checkpoint(&self, cp: &Checkpoint) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO journal_checkpoints (node, seq, kind, ts, hash, key_id, signature) VALUES (?, ?, ?, ?, ?, ?, ?)",
            )?
            .execute(params![
                cp.node,
                i64::try_from(cp.seq).unwrap_or(i64::MAX),
                cp.kind.as_str(),
                to_nanos(cp.ts)?,
                &cp.hash[..],
                cp.key_id,
                cp.signature
            ])?;
        Ok(())
    }

    fn sign_head(&mut self, kind: CheckpointKind) -> Result<Checkpoint, StoreError> {
        let signer = self.config.signer.clone().ok_or(StoreError::NoSigner)?;
        let now = self.config.clock.now();
        let node = self.config.node.clone();
        let chain = self.chain()?;
        if chain.seq == 0 {
            return Err(StoreError::NotFound(format!(
                "node {node} has no journal entries"
            )));
        }
        let cp = signer.sign(&node, chain.seq, chain.hash, now, kind);
        chain.last_cp_seq = cp.seq;
        chain.last_cp_ts = Some(now);
        self.insert_checkpoint(&cp)?;
        Ok(cp)
    }

    /// Before COMMIT: the periodic checkpoint if due, and the head row.
    fn finish(&mut self) -> Result<(), StoreError> {
        let Some(chain) = &self.chain else {
            return Ok(());
        };
        if !chain.dirty {
            return Ok(());
        }
        if chain.checkpoint_due(self.config, self.config.clock.now()) {
            self.sign_head(CheckpointKind::Periodic)?;
        }
        let chain = self.chain()?;
        let (seq, hash) = (chain.seq, chain.hash);
        self.conn
            .prepare_cached(
                "INSERT INTO journal_heads (node, seq, hash) VALUES (?, ?, ?) ON CONFLICT (node) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            )?
            .execute(params![
                self.config.node,
                i64::try_from(seq).unwrap_or(i64::MAX),
                &hash[..]
            ])?;
        Ok(())
    }

    fn apply(&mut self, op: WriteOp) -> Result<WriteOut, StoreError> {
        let now = self.config.clock.now();
        match op {
            WriteOp::Append(bodies) => {
                let mut out = Vec::with_capacity(bodies.len());
                for body in bodies {
                    out.push(self.append(body)?);
                }
                Ok(WriteOut::Entries(out))
            }
            WriteOp::CheckpointNow => Ok(WriteOut::Checkpoint(
                self.sign_head(CheckpointKind::Periodic)?,
            )),
            WriteOp::CreateUser(user, audit) => {
                let res = self.conn.prepare_cached(
                    "INSERT INTO users (name, roles, password_hash, created_at, disabled) VALUES (?, ?, ?, ?, 0)",
                )?.execute(params![user.name, json_list(&user.roles), user.password_hash, to_nanos(now)?]);
                match res {
                    Err(e) if is_constraint(&e) => {
                        return Err(StoreError::Conflict(format!("user {} exists", user.name)));
                    }
                    other => other?,
                };
                self.append(audit)?;
                Ok(WriteOut::Unit)
            }
            WriteOp::CreateToken(token, audit) => {
                let exists: Option<i64> = self
                    .conn
                    .prepare_cached("SELECT 1 FROM users WHERE name = ?")?
                    .query_row([&token.user], |r| r.get(0))
                    .optional()?;
                if exists.is_none() {
                    return Err(StoreError::NotFound(format!("user {}", token.user)));
                }
                let res = self.conn.prepare_cached(
                    "INSERT INTO tokens (id, user_name, hash, expires_at, created_at, revoked) VALUES (?, ?, ?, ?, ?, 0)",
                )?.execute(params![token.id, token.user, token.hash, to_nanos(token.expires_at)?, to_nanos(now)?]);
                match res {
                    Err(e) if is_constraint(&e) => {
                        return Err(StoreError::Conflict(format!("token {} exists", token.id)));
                    }
                    other => other?,
                };
                self.append(audit)?;
                Ok(WriteOut::Unit)
            }
            WriteOp::RevokeToken(id, audit) => {
                let changed = self
                    .conn
                    .prepare_cached("UPDATE tokens SET revoked = 1 WHERE id = ? AND revoked = 0")?
                    .execute([&id])?;
                if changed == 0 {
                    return Ok(WriteOut::Bool(false));
                }
                self.append(audit)?;
                Ok(WriteOut::Bool(true))
            }
            WriteOp::PutRecords(records, audit) => {
                for r in records {
                    self.conn.prepare_cached(
                        "INSERT INTO records (kind, id, body, updated_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
                    )?.execute(params![r.kind, r.id, r.body.as_str(), to_nanos(now)?])?;
                    self.outbox(&r.kind, &r.id, "put", now)?;
                }
                self.append(audit)?;
                Ok(WriteOut::Unit)
            }
            WriteOp::DeleteRecords(kind, ids, audit) => {
                let mut deleted = 0;
                for id in ids {
                    let n = self
                        .conn
                        .prepare_cached("DELETE FROM records WHERE kind = ? AND id = ?")?
                        .execute([&kind, &id])?;
                    if n > 0 {
                        deleted += 1;
                        self.outbox(&kind, &id, "delete", now)?;
                    }
                }
                self.append(audit)?;
                Ok(WriteOut::Count(deleted))
            }
            WriteOp::Prune(before, audit) => self.prune(before, audit),
        }
    }

    fn outbox(
        &self,
        kind: &str,
        id: &str,
        op: &str,
        now: time::OffsetDateTime,
    ) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("INSERT INTO outbox (kind, id, op, ts) VALUES (?, ?, ?, ?)")?
            .execute(params![kind, id, op, to_nanos(now)?])?;
        Ok(())
    }

    fn prune(
        &mut self,
        before: time::OffsetDateTime,
        audit: NewEntry,
    ) -> Result<WriteOut, StoreError> {
        let signer = self.config.signer.clone().ok_or(StoreError::NoSigner)?;
        let now = self.config.clock.now();
        let before = to_nanos(before)?;
        let nodes: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare("SELECT node FROM journal_heads ORDER BY node")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut deleted = 0u64;
        let mut anchors = Vec::new();
        for node in nodes {
            // The prefix ends before the first entry that is not old enough, so that a clock
            // that went backwards never deletes an entry with ts >= before.
            let (first, first_young, last): (Option<i64>, Option<i64>, Option<i64>) = self.conn.query_row(
                "SELECT (SELECT min(seq) FROM journal WHERE node = ?1), (SELECT min(seq) FROM journal WHERE node = ?1 AND ts >= ?2), (SELECT max(seq) FROM journal WHERE node = ?1)",
                params![node, before],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            let (Some(first), Some(last)) = (first, last) else {
                continue;
            };
            let end = first_young.map_or(last, |y| y - 1);
            if end < first {
                continue;
            }
            let hash: Vec<u8> = self.conn.query_row(
                "SELECT hash FROM journal WHERE node = ? AND seq = ?",
                params![node, end],
                |r| r.get(0),
            )?;
            let n = self.conn.execute(
                "DELETE FROM journal WHERE node = ? AND seq <= ?",
                params![node, end],
            )?;
            deleted += n as u64;
            let cp = signer.sign(
                &node,
                u64::try_from(end).unwrap_or(0),
                to_hash(&hash)?,
                now,
                CheckpointKind::Anchor,
            );
            self.insert_checkpoint(&cp)?;
            anchors.push(cp);
        }
        let audit = self.append(audit)?;
        Ok(WriteOut::Prune(Box::new(PruneReport {
            deleted,
            anchors,
            audit,
        })))
    }
}
