//! The PostgreSQL backend (tokio-postgres + deadpool-postgres).
//!
//! Same semantics as SQLite: one writer task per process batches queued writes into one
//! transaction (group commit), risky writes inside SAVEPOINTs, the node's chain head row locked
//! with `SELECT … FOR UPDATE` at the start of every write transaction (other processes may be
//! appending), journal rows of a batch inserted with one `UNNEST` statement, answers only after
//! COMMIT returned. Reads use pooled connections with cached prepared statements.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Transaction};
use limes_journal::{CheckpointKind, GENESIS};
use tokio::sync::mpsc;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;
use tokio_postgres::{NoTls, Row};

use crate::common::{
    ChainState, Core, Job, WriteOp, WriteOut, from_nanos, json_list, parse_json, parse_list,
    to_hash, to_nanos,
};
use crate::verify::Verification;
use crate::*;

const POOL_SIZE: usize = 8;
const VERIFY_PAGE: i64 = 50_000;

pub(crate) struct PgStore {
    pub core: Core,
    pool: Pool,
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        if e.is_closed() {
            StoreError::Unavailable(format!("postgres connection closed: {e}"))
        } else {
            StoreError::Postgres(e)
        }
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        StoreError::Unavailable(format!("postgres pool: {e}"))
    }
}

fn is_unique_violation(e: &tokio_postgres::Error) -> bool {
    e.code() == Some(&SqlState::UNIQUE_VIOLATION)
}

fn seq_i64(seq: u64) -> Result<i64, StoreError> {
    i64::try_from(seq).map_err(|_| StoreError::Integrity("seq overflow".into()))
}

fn seq_u64(seq: i64) -> Result<u64, StoreError> {
    u64::try_from(seq).map_err(|_| StoreError::Integrity("negative seq".into()))
}

impl PgStore {
    pub async fn open(url: &str, config: StoreConfig) -> Result<Self, StoreError> {
        let pg_config: tokio_postgres::Config = url.parse().map_err(StoreError::Postgres)?;
        let manager = Manager::from_config(
            pg_config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .build()
            .map_err(|e| StoreError::Pool(e.to_string()))?;
        migrate(&pool, config.clock.now()).await?;
        let commits = Arc::new(AtomicU64::new(0));
        let inject = Arc::new(AtomicU64::new(0));
        let (jobs, queue) = mpsc::unbounded_channel();
        let writer = Writer {
            config: config.clone(),
            commits: commits.clone(),
            inject: inject.clone(),
            pool: pool.clone(),
        };
        tokio::spawn(writer.run(queue));
        Ok(PgStore {
            core: Core {
                config,
                commits,
                inject_failures: inject,
                jobs,
            },
            pool,
        })
    }

    pub fn sync_mode(&self) -> String {
        "postgres synchronous_commit (server default), group commit".into()
    }

    pub async fn journal_search(&self, filter: &JournalFilter) -> Result<Vec<Entry>, StoreError> {
        let client = self.pool.get().await?;
        let mut sql = format!("SELECT {ENTRY_COLS} FROM journal WHERE true");
        let mut args: Vec<Box<dyn ToSql + Sync + Send>> = Vec::new();
        for (col, value) in [
            ("actor", &filter.actor),
            ("purpose", &filter.purpose),
            ("action", &filter.action),
            ("case_ref", &filter.case_ref),
            ("node", &filter.node),
        ] {
            if let Some(v) = value {
                args.push(Box::new(v.clone()));
                sql.push_str(&format!(" AND {col} = ${}", args.len()));
            }
        }
        if let Some(from) = filter.from {
            args.push(Box::new(to_nanos(from)?));
            sql.push_str(&format!(" AND ts >= ${}", args.len()));
        }
        if let Some(to) = filter.to {
            args.push(Box::new(to_nanos(to)?));
            sql.push_str(&format!(" AND ts < ${}", args.len()));
        }
        let limit = if filter.limit == 0 { 100 } else { filter.limit };
        args.push(Box::new(i64::try_from(limit).unwrap_or(i64::MAX)));
        args.push(Box::new(i64::try_from(filter.offset).unwrap_or(i64::MAX)));
        sql.push_str(&format!(
            " ORDER BY ts DESC, node, seq DESC LIMIT ${} OFFSET ${}",
            args.len() - 1,
            args.len()
        ));
        let stmt = client.prepare_cached(&sql).await?;
        let params: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a.as_ref() as _).collect();
        let rows = client.query(&stmt, &params).await?;
        rows.iter().map(entry_from_row).collect()
    }

    pub async fn verify(&self, against: Option<&Checkpoint>) -> Result<VerifyReport, StoreError> {
        let mut client = self.pool.get().await?;
        // One snapshot for the whole run while writers go on.
        let tx = client
            .build_transaction()
            .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await?;
        let checkpoints = tx
            .query(&format!("SELECT {CP_COLS} FROM journal_checkpoints"), &[])
            .await?
            .iter()
            .map(checkpoint_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let mut heads = Vec::new();
        for row in tx
            .query("SELECT node, seq, hash FROM journal_heads", &[])
            .await?
        {
            let hash: Vec<u8> = row.try_get(2)?;
            heads.push((row.try_get(0)?, seq_u64(row.try_get(1)?)?, to_hash(&hash)?));
        }
        let nodes: Vec<String> = tx
            .query("SELECT DISTINCT node FROM journal", &[])
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, _>>()?;
        let mut v = Verification::new(checkpoints, heads, nodes, against);
        let page = tx
            .prepare(&format!(
                "SELECT {ENTRY_COLS} FROM journal WHERE node = $1 AND seq > $2 ORDER BY seq LIMIT $3"
            ))
            .await?;
        for node in v.nodes() {
            if v.is_broken() {
                break;
            }
            let mut after = seq_i64(v.start_node(&node))?;
            'pages: loop {
                let rows = tx.query(&page, &[&node, &after, &VERIFY_PAGE]).await?;
                let full = rows.len() as i64 == VERIFY_PAGE;
                for row in &rows {
                    let entry = entry_from_row(row)?;
                    after = seq_i64(entry.seq)?;
                    if !v.feed(&entry) {
                        break 'pages;
                    }
                }
                if !full {
                    break;
                }
            }
            v.end_node();
        }
        tx.commit().await?;
        Ok(v.finish())
    }

    pub async fn latest_checkpoint(&self) -> Result<Option<Checkpoint>, StoreError> {
        let client = self.pool.get().await?;
        let stmt = client
            .prepare_cached(&format!(
                "SELECT {CP_COLS} FROM journal_checkpoints WHERE node = $1 ORDER BY seq DESC, ts DESC LIMIT 1"
            ))
            .await?;
        client
            .query_opt(&stmt, &[&self.core.config.node])
            .await?
            .as_ref()
            .map(checkpoint_from_row)
            .transpose()
    }

    pub async fn user(&self, name: &str) -> Result<Option<UserRecord>, StoreError> {
        let client = self.pool.get().await?;
        let stmt = client
            .prepare_cached(&format!("SELECT {USER_COLS} FROM users WHERE name = $1"))
            .await?;
        client
            .query_opt(&stmt, &[&name])
            .await?
            .as_ref()
            .map(user_from_row)
            .transpose()
    }

    pub async fn users(&self) -> Result<Vec<UserRecord>, StoreError> {
        let client = self.pool.get().await?;
        let stmt = client
            .prepare_cached(&format!("SELECT {USER_COLS} FROM users ORDER BY name"))
            .await?;
        client
            .query(&stmt, &[])
            .await?
            .iter()
            .map(user_from_row)
            .collect()
    }

    pub async fn token_by_hash(&self, hash: &[u8]) -> Result<Option<TokenRecord>, StoreError> {
        let client = self.pool.get().await?;
        let stmt = client
            .prepare_cached(&format!("{TOKEN_SELECT} WHERE t.hash = $1"))
            .await?;
        client
            .query_opt(&stmt, &[&hash])
            .await?
            .as_ref()
            .map(token_from_row)
            .transpose()
    }

    pub async fn token_usable(&self, token_id: &str) -> Result<bool, StoreError> {
        let client = self.pool.get().await?;
        let stmt = client
            .prepare_cached(&format!("{TOKEN_SELECT} WHERE t.id = $1"))
            .await?;
        let record = client
            .query_opt(&stmt, &[&token_id])
            .await?
            .as_ref()
            .map(token_from_row)
            .transpose()?;
        let now = self.core.config.clock.now();
        Ok(record.is_some_and(|r| r.usable_at(now)))
    }

    pub async fn tokens(&self, user: Option<&str>) -> Result<Vec<TokenRecord>, StoreError> {
        let client = self.pool.get().await?;
        let stmt = client
            .prepare_cached(&format!(
                "{TOKEN_SELECT} WHERE ($1::text IS NULL OR t.user_name = $1) ORDER BY t.created_at, t.id"
            ))
            .await?;
        client
            .query(&stmt, &[&user])
            .await?
            .iter()
            .map(token_from_row)
            .collect()
    }

    pub async fn record(
        &self,
        kind: &str,
        id: &str,
    ) -> Result<Option<serde_json::Value>, StoreError> {
        let client = self.pool.get().await?;
        let stmt = client
            .prepare_cached("SELECT body FROM records WHERE kind = $1 AND id = $2")
            .await?;
        match client.query_opt(&stmt, &[&kind, &id]).await? {
            Some(row) => Ok(Some(parse_json(row.try_get(0)?)?)),
            None => Ok(None),
        }
    }

    pub async fn scan_records_text(
        &self,
        kind: &str,
        after_id: Option<&str>,
        limit: usize,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let client = self.pool.get().await?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        // Two statements, not `($2 IS NULL OR id > $2)`: a cached generic plan for that form
        // seeks by kind only, so every page of a full scan would start again from the first row.
        let rows = match after_id {
            None => {
                let stmt = client
                    .prepare_cached(
                        "SELECT id, body FROM records WHERE kind = $1 ORDER BY id LIMIT $2",
                    )
                    .await?;
                client.query(&stmt, &[&kind, &limit]).await?
            }
            Some(after) => {
                let stmt = client
                    .prepare_cached(
                        "SELECT id, body FROM records WHERE kind = $1 AND id > $2 ORDER BY id LIMIT $3",
                    )
                    .await?;
                client.query(&stmt, &[&kind, &after, &limit]).await?
            }
        };
        rows.iter()
            .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
            .collect()
    }

    pub async fn changes_since(&self, after: i64, limit: usize) -> Result<Vec<Change>, StoreError> {
        let client = self.pool.get().await?;
        let stmt = client
            .prepare_cached(
                "SELECT seq, kind, id, op FROM outbox WHERE seq > $1 ORDER BY seq LIMIT $2",
            )
            .await?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = client.query(&stmt, &[&after, &limit]).await?;
        rows.iter()
            .map(|row| {
                Ok(Change {
                    seq: row.try_get(0)?,
                    kind: row.try_get(1)?,
                    id: row.try_get(2)?,
                    op: row.try_get(3)?,
                })
            })
            .collect()
    }

    pub async fn checkpoint(&self) -> Result<(), StoreError> {
        // PostgreSQL checkpoints on its own schedule; nothing waits in a log we own.
        Ok(())
    }

    pub async fn outbox_head(&self) -> Result<i64, StoreError> {
        let client = self.pool.get().await?;
        let stmt = client.prepare_cached("SELECT max(seq) FROM outbox").await?;
        let head: Option<i64> = client.query_one(&stmt, &[]).await?.try_get(0)?;
        Ok(head.unwrap_or(0))
    }

    pub async fn outbox_tail(&self, after: i64) -> Result<OutboxTail, StoreError> {
        let client = self.pool.get().await?;
        let stmt = client
            .prepare_cached("SELECT count(*), max(seq) FROM outbox WHERE seq > $1")
            .await?;
        let row = client.query_one(&stmt, &[&after]).await?;
        let count: i64 = row.try_get(0)?;
        let last: Option<i64> = row.try_get(1)?;
        Ok(OutboxTail {
            count: u64::try_from(count).unwrap_or(0),
            last: last.unwrap_or(after),
        })
    }
}

const ENTRY_COLS: &str = "node, seq, ts, prev_hash, hash, actor, roles, purpose, case_ref, action, query, record_ids, outcome";
const CP_COLS: &str = "node, seq, kind, ts, hash, key_id, signature";
const USER_COLS: &str = "name, roles, password_hash, created_at, disabled";
const TOKEN_SELECT: &str = "SELECT t.id, t.user_name, u.roles, t.expires_at, t.revoked, t.created_at, u.disabled FROM tokens t JOIN users u ON u.name = t.user_name";

fn entry_from_row(row: &Row) -> Result<Entry, StoreError> {
    let prev: &[u8] = row.try_get(3)?;
    let hash: &[u8] = row.try_get(4)?;
    Ok(Entry {
        node: row.try_get(0)?,
        seq: seq_u64(row.try_get(1)?)?,
        ts: from_nanos(row.try_get(2)?)?,
        prev_hash: to_hash(prev)?,
        hash: to_hash(hash)?,
        body: NewEntry {
            actor: row.try_get(5)?,
            roles: parse_list(row.try_get(6)?)?,
            purpose: row.try_get(7)?,
            case_ref: row.try_get(8)?,
            action: row.try_get(9)?,
            query: parse_json(row.try_get(10)?)?,
            record_ids: parse_list(row.try_get(11)?)?,
            outcome: row.try_get(12)?,
        },
    })
}

fn checkpoint_from_row(row: &Row) -> Result<Checkpoint, StoreError> {
    let kind: &str = row.try_get(2)?;
    let hash: &[u8] = row.try_get(4)?;
    Ok(Checkpoint {
        node: row.try_get(0)?,
        seq: seq_u64(row.try_get(1)?)?,
        kind: CheckpointKind::parse(kind)
            .ok_or_else(|| StoreError::Integrity(format!("checkpoint kind {kind}")))?,
        ts: from_nanos(row.try_get(3)?)?,
        hash: to_hash(hash)?,
        key_id: row.try_get(5)?,
        signature: row.try_get(6)?,
    })
}

fn user_from_row(row: &Row) -> Result<UserRecord, StoreError> {
    Ok(UserRecord {
        name: row.try_get(0)?,
        roles: parse_list(row.try_get(1)?)?,
        password_hash: row.try_get(2)?,
        created_at: from_nanos(row.try_get(3)?)?,
        disabled: row.try_get(4)?,
    })
}

fn token_from_row(row: &Row) -> Result<TokenRecord, StoreError> {
    Ok(TokenRecord {
        id: row.try_get(0)?,
        user: row.try_get(1)?,
        roles: parse_list(row.try_get(2)?)?,
        expires_at: from_nanos(row.try_get(3)?)?,
        revoked: row.try_get(4)?,
        created_at: from_nanos(row.try_get(5)?)?,
        user_disabled: row.try_get(6)?,
    })
}

async fn migrate(pool: &Pool, now: time::OffsetDateTime) -> Result<(), StoreError> {
    let mut client = pool.get().await?;
    for m in migrate::POSTGRES {
        let tx = client.transaction().await?;
        // Several processes may open the same database at once.
        tx.execute("SELECT pg_advisory_xact_lock(7317760443)", &[])
            .await?;
        tx.batch_execute(migrate::CREATE_TABLE).await?;
        let newest: Option<i64> = tx
            .query_one("SELECT max(version) FROM schema_migrations", &[])
            .await?
            .try_get(0)?;
        migrate::check_newest(migrate::POSTGRES, newest)?;
        let recorded: Option<String> = tx
            .query_opt(
                "SELECT sha256 FROM schema_migrations WHERE version = $1",
                &[&m.version],
            )
            .await?
            .map(|r| r.try_get(0))
            .transpose()?;
        if migrate::check(m, recorded)? {
            tx.batch_execute(m.sql).await?;
            tx.execute(
                "INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES ($1, $2, $3, $4)",
                &[&m.version, &m.name, &m.sha256(), &to_nanos(now)?],
            )
            .await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

struct Writer {
    config: StoreConfig,
    commits: Arc<AtomicU64>,
    inject: Arc<AtomicU64>,
    pool: Pool,
}

impl Writer {
    async fn run(self, mut queue: mpsc::UnboundedReceiver<Job>) {
        let max = self.config.max_batch.max(1);
        while let Some(first) = queue.recv().await {
            let mut batch = vec![first];
            while batch.len() < max {
                match queue.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            let (ops, replies): (Vec<WriteOp>, Vec<_>) =
                batch.into_iter().map(|j| (j.op, j.reply)).unzip();
            let results = self.transaction(ops).await;
            for (reply, result) in replies.into_iter().zip(results) {
                let _ = reply.send(result);
            }
        }
    }

    async fn transaction(&self, ops: Vec<WriteOp>) -> Vec<Result<WriteOut, StoreError>> {
        let n = ops.len();
        let fail_all = |e: StoreError| {
            let msg = e.to_string();
            (0..n)
                .map(|_| Err(StoreError::CommitFailed(msg.clone())))
                .collect::<Vec<_>>()
        };
        let mut client = match self.pool.get().await {
            Ok(c) => c,
            Err(e) => {
                let msg = e.to_string();
                return (0..n)
                    .map(|_| Err(StoreError::Unavailable(msg.clone())))
                    .collect();
            }
        };
        let tx = match client.transaction().await {
            Ok(tx) => tx,
            Err(e) => return fail_all(e.into()),
        };
        let mut st = PgTx {
            tx: &tx,
            config: &self.config,
            chain: ChainState {
                seq: 0,
                hash: GENESIS,
                last_cp_seq: 0,
                last_cp_ts: None,
                dirty: false,
            },
            pending: Vec::new(),
            outbox_next: None,
        };
        if let Err(e) = st.load_chain().await {
            return fail_all(e);
        }
        let mut results = Vec::with_capacity(n);
        for op in ops {
            match st.run(op).await {
                Ok(r) => results.push(r),
                // The transaction itself broke (not just this write): nothing commits.
                Err(e) => return fail_all(e),
            }
        }
        if let Err(e) = st.finish().await {
            return fail_all(e);
        }
        if self
            .inject
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            // Tests: an error raised inside the transaction right before COMMIT.
            let e = tx
                .batch_execute(
                    "DO $$ BEGIN RAISE EXCEPTION 'limes: injected commit failure'; END $$",
                )
                .await
                .err()
                .map_or_else(
                    || StoreError::CommitFailed("injected".into()),
                    StoreError::from,
                );
            return fail_all(e);
        }
        match tx.commit().await {
            Ok(()) => {
                self.commits.fetch_add(1, Ordering::Relaxed);
                results
            }
            Err(e) => fail_all(e.into()),
        }
    }
}

/// One write transaction of the writer.
struct PgTx<'a> {
    tx: &'a Transaction<'a>,
    config: &'a StoreConfig,
    chain: ChainState,
    /// Journal rows chained in memory, inserted with one statement before COMMIT (or prune).
    pending: Vec<Entry>,
    /// The next outbox seq, once the outbox is locked in this transaction.
    outbox_next: Option<i64>,
}

impl PgTx<'_> {
    /// Locks this node's head row for the whole transaction (before any savepoint, so that
    /// rolling one back cannot release the lock).
    async fn load_chain(&mut self) -> Result<(), StoreError> {
        let node = &self.config.node;
        let insert = self
            .tx
            .prepare_cached(
                "INSERT INTO journal_heads (node, seq, hash) VALUES ($1, 0, $2) ON CONFLICT (node) DO NOTHING",
            )
            .await?;
        self.tx.execute(&insert, &[node, &&GENESIS[..]]).await?;
        let select = self
            .tx
            .prepare_cached("SELECT seq, hash FROM journal_heads WHERE node = $1 FOR UPDATE")
            .await?;
        let row = self.tx.query_one(&select, &[node]).await?;
        let hash: &[u8] = row.try_get(1)?;
        self.chain.seq = seq_u64(row.try_get(0)?)?;
        self.chain.hash = to_hash(hash)?;
        let cp = self
            .tx
            .prepare_cached(
                "SELECT seq, ts FROM journal_checkpoints WHERE node = $1 ORDER BY seq DESC, ts DESC LIMIT 1",
            )
            .await?;
        if let Some(row) = self.tx.query_opt(&cp, &[node]).await? {
            self.chain.last_cp_seq = seq_u64(row.try_get(0)?)?;
            self.chain.last_cp_ts = Some(from_nanos(row.try_get(1)?)?);
        }
        Ok(())
    }

    /// `Err` means the transaction is unusable; `Ok(Err)` is this write's own failure.
    async fn run(&mut self, op: WriteOp) -> Result<Result<WriteOut, StoreError>, StoreError> {
        match op {
            // Plain appends cannot fail on their own: no savepoint round trips.
            WriteOp::Append(bodies) => Ok(Ok(WriteOut::Entries(
                bodies.into_iter().map(|b| self.append(b)).collect(),
            ))),
            WriteOp::CheckpointNow => Ok(self
                .sign_head(CheckpointKind::Periodic)
                .await
                .map(WriteOut::Checkpoint)),
            WriteOp::Prune(..) if self.config.signer.is_none() => Ok(Err(StoreError::NoSigner)),
            WriteOp::Prune(before, audit) => {
                self.flush().await?;
                self.prune(before, audit).await.map(Ok)
            }
            op => {
                self.tx.batch_execute("SAVEPOINT job").await?;
                let chain = self.chain.clone();
                let pending = self.pending.len();
                let outbox_next = self.outbox_next;
                match self.apply(op).await {
                    Ok(out) => {
                        self.tx.batch_execute("RELEASE SAVEPOINT job").await?;
                        Ok(Ok(out))
                    }
                    Err(e) => {
                        self.tx
                            .batch_execute("ROLLBACK TO SAVEPOINT job; RELEASE SAVEPOINT job")
                            .await?;
                        self.chain = chain;
                        self.pending.truncate(pending);
                        self.outbox_next = outbox_next;
                        Ok(Err(e))
                    }
                }
            }
        }
    }

    fn append(&mut self, body: NewEntry) -> Entry {
        let entry = self.chain.next(self.config, body);
        self.pending.push(entry.clone());
        entry
    }

    async fn flush(&mut self) -> Result<(), StoreError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.pending);
        let mut node = Vec::with_capacity(rows.len());
        let mut seq = Vec::with_capacity(rows.len());
        let mut ts = Vec::with_capacity(rows.len());
        let mut prev = Vec::with_capacity(rows.len());
        let mut hash = Vec::with_capacity(rows.len());
        let mut actor = Vec::with_capacity(rows.len());
        let mut roles = Vec::with_capacity(rows.len());
        let mut purpose = Vec::with_capacity(rows.len());
        let mut case_ref = Vec::with_capacity(rows.len());
        let mut action = Vec::with_capacity(rows.len());
        let mut query = Vec::with_capacity(rows.len());
        let mut record_ids = Vec::with_capacity(rows.len());
        let mut outcome = Vec::with_capacity(rows.len());
        for e in rows {
            node.push(e.node);
            seq.push(seq_i64(e.seq)?);
            ts.push(to_nanos(e.ts)?);
            prev.push(e.prev_hash.to_vec());
            hash.push(e.hash.to_vec());
            actor.push(e.body.actor);
            roles.push(json_list(&e.body.roles));
            purpose.push(e.body.purpose);
            case_ref.push(e.body.case_ref);
            action.push(e.body.action);
            query.push(limes_journal::canonical_json(&e.body.query));
            record_ids.push(json_list(&e.body.record_ids));
            outcome.push(e.body.outcome);
        }
        let stmt = self
            .tx
            .prepare_cached(
                "INSERT INTO journal (node, seq, ts, prev_hash, hash, actor, roles, purpose, case_ref, action, query, record_ids, outcome)
                 SELECT * FROM UNNEST($1::text[], $2::bigint[], $3::bigint[], $4::bytea[], $5::bytea[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])",
            )
            .await?;
        self.tx
            .execute(
                &stmt,
                &[
                    &node,
                    &seq,
                    &ts,
                    &prev,
                    &hash,
                    &actor,
                    &roles,
                    &purpose,
                    &case_ref,
                    &action,
                    &query,
                    &record_ids,
                    &outcome,
                ],
            )
            .await?;
        Ok(())
    }

    async fn insert_checkpoint(&self, cp: &Checkpoint) -> Result<(), StoreError> {
        let stmt = self
            .tx
            .prepare_cached(
                "INSERT INTO journal_checkpoints (node, seq, kind, ts, hash, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (node, seq, kind) DO UPDATE SET ts = excluded.ts, hash = excluded.hash, key_id = excluded.key_id, signature = excluded.signature",
            )
            .await?;
        self.tx
            .execute(
                &stmt,
                &[
                    &cp.node,
                    &seq_i64(cp.seq)?,
                    &cp.kind.as_str(),
                    &to_nanos(cp.ts)?,
                    &&cp.hash[..],
                    &cp.key_id,
                    &cp.signature,
                ],
            )
            .await?;
        Ok(())
    }

    async fn sign_head(&mut self, kind: CheckpointKind) -> Result<Checkpoint, StoreError> {
        let signer = self.config.signer.clone().ok_or(StoreError::NoSigner)?;
        if self.chain.seq == 0 {
            return Err(StoreError::NotFound(format!(
                "node {} has no journal entries",
                self.config.node
            )));
        }
        let now = self.config.clock.now();
        let cp = signer.sign(
            &self.config.node,
            self.chain.seq,
            self.chain.hash,
            now,
            kind,
        );
        self.insert_checkpoint(&cp).await?;
        self.chain.last_cp_seq = cp.seq;
        self.chain.last_cp_ts = Some(now);
        Ok(cp)
    }

    /// Before COMMIT: the journal rows, the periodic checkpoint if due, the head row.
    async fn finish(&mut self) -> Result<(), StoreError> {
        self.flush().await?;
        if !self.chain.dirty {
            return Ok(());
        }
        if self
            .chain
            .checkpoint_due(self.config, self.config.clock.now())
        {
            self.sign_head(CheckpointKind::Periodic).await?;
        }
        let stmt = self
            .tx
            .prepare_cached("UPDATE journal_heads SET seq = $2, hash = $3 WHERE node = $1")
            .await?;
        self.tx
            .execute(
                &stmt,
                &[
                    &self.config.node,
                    &seq_i64(self.chain.seq)?,
                    &&self.chain.hash[..],
                ],
            )
            .await?;
        Ok(())
    }

    async fn outbox(&mut self, kind: &str, id: &str, op: &str, now: i64) -> Result<(), StoreError> {
        let seq = match self.outbox_next {
            Some(seq) => seq,
            None => {
                // Serialise outbox writers until COMMIT so that seqs become visible in order:
                // a follower that has read seq n never misses a later commit with a seq below n.
                self.tx
                    .batch_execute("LOCK TABLE outbox IN SHARE ROW EXCLUSIVE MODE")
                    .await?;
                let max: Option<i64> = self
                    .tx
                    .query_one("SELECT max(seq) FROM outbox", &[])
                    .await?
                    .try_get(0)?;
                max.unwrap_or(0) + 1
            }
        };
        let stmt = self
            .tx
            .prepare_cached(
                "INSERT INTO outbox (seq, kind, id, op, ts) VALUES ($1, $2, $3, $4, $5)",
            )
            .await?;
        self.tx
            .execute(&stmt, &[&seq, &kind, &id, &op, &now])
            .await?;
        self.outbox_next = Some(seq + 1);
        Ok(())
    }

    async fn apply(&mut self, op: WriteOp) -> Result<WriteOut, StoreError> {
        let now = to_nanos(self.config.clock.now())?;
        match op {
            WriteOp::CreateUser(user, audit) => {
                let stmt = self
                    .tx
                    .prepare_cached(
                        "INSERT INTO users (name, roles, password_hash, created_at, disabled) VALUES ($1, $2, $3, $4, false)",
                    )
                    .await?;
                match self
                    .tx
                    .execute(
                        &stmt,
                        &[
                            &user.name,
                            &json_list(&user.roles),
                            &user.password_hash,
                            &now,
                        ],
                    )
                    .await
                {
                    Err(e) if is_unique_violation(&e) => {
                        return Err(StoreError::Conflict(format!("user {} exists", user.name)));
                    }
                    other => other?,
                };
                self.append(audit);
                Ok(WriteOut::Unit)
            }
            WriteOp::CreateToken(token, audit) => {
                let exists = self
                    .tx
                    .query_opt("SELECT 1 FROM users WHERE name = $1", &[&token.user])
                    .await?;
                if exists.is_none() {
                    return Err(StoreError::NotFound(format!("user {}", token.user)));
                }
                let stmt = self
                    .tx
                    .prepare_cached(
                        "INSERT INTO tokens (id, user_name, hash, expires_at, created_at, revoked) VALUES ($1, $2, $3, $4, $5, false)",
                    )
                    .await?;
                match self
                    .tx
                    .execute(
                        &stmt,
                        &[
                            &token.id,
                            &token.user,
                            &token.hash,
                            &to_nanos(token.expires_at)?,
                            &now,
                        ],
                    )
                    .await
                {
                    Err(e) if is_unique_violation(&e) => {
                        return Err(StoreError::Conflict(format!("token {} exists", token.id)));
                    }
                    other => other?,
                };
                self.append(audit);
                Ok(WriteOut::Unit)
            }
            WriteOp::RevokeToken(id, audit) => {
                let changed = self
                    .tx
                    .execute(
                        "UPDATE tokens SET revoked = true WHERE id = $1 AND NOT revoked",
                        &[&id],
                    )
                    .await?;
                if changed == 0 {
                    return Ok(WriteOut::Bool(false));
                }
                self.append(audit);
                Ok(WriteOut::Bool(true))
            }
            WriteOp::PutRecords(records, audit) => {
                let stmt = self
                    .tx
                    .prepare_cached(
                        "INSERT INTO records (kind, id, body, updated_at) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
                    )
                    .await?;
                for r in records {
                    self.tx
                        .execute(&stmt, &[&r.kind, &r.id, &r.body.as_str(), &now])
                        .await?;
                    self.outbox(&r.kind, &r.id, "put", now).await?;
                }
                self.append(audit);
                Ok(WriteOut::Unit)
            }
            WriteOp::DeleteRecords(kind, ids, audit) => {
                let stmt = self
                    .tx
                    .prepare_cached("DELETE FROM records WHERE kind = $1 AND id = $2")
                    .await?;
                let mut deleted = 0;
                for id in ids {
                    if self.tx.execute(&stmt, &[&kind, &id]).await? > 0 {
                        deleted += 1;
                        self.outbox(&kind, &id, "delete", now).await?;
                    }
                }
                self.append(audit);
                Ok(WriteOut::Count(deleted))
            }
            WriteOp::Append(_) | WriteOp::CheckpointNow | WriteOp::Prune(..) => {
                Err(crate::common::unexpected())
            }
        }
    }

    async fn prune(
        &mut self,
        before: time::OffsetDateTime,
        audit: NewEntry,
    ) -> Result<WriteOut, StoreError> {
        let signer = self.config.signer.clone().ok_or(StoreError::NoSigner)?;
        let now = self.config.clock.now();
        let before = to_nanos(before)?;
        let nodes: Vec<String> = self
            .tx
            .query("SELECT node FROM journal_heads ORDER BY node", &[])
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, _>>()?;
        let mut deleted = 0u64;
        let mut anchors = Vec::new();
        for node in nodes {
            // The prefix ends before the first entry that is not old enough.
            let row = self
                .tx
                .query_one(
                    "SELECT (SELECT min(seq) FROM journal WHERE node = $1),
                            (SELECT min(seq) FROM journal WHERE node = $1 AND ts >= $2),
                            (SELECT max(seq) FROM journal WHERE node = $1)",
                    &[&node, &before],
                )
                .await?;
            let (first, first_young, last): (Option<i64>, Option<i64>, Option<i64>) =
                (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
            let (Some(first), Some(last)) = (first, last) else {
                continue;
            };
            let end = first_young.map_or(last, |y| y - 1);
            if end < first {
                continue;
            }
            let hash_row = self
                .tx
                .query_one(
                    "SELECT hash FROM journal WHERE node = $1 AND seq = $2",
                    &[&node, &end],
                )
                .await?;
            let hash: &[u8] = hash_row.try_get(0)?;
            let hash = to_hash(hash)?;
            let n = self
                .tx
                .execute(
                    "DELETE FROM journal WHERE node = $1 AND seq <= $2",
                    &[&node, &end],
                )
                .await?;
            deleted += n;
            let cp = signer.sign(&node, seq_u64(end)?, hash, now, CheckpointKind::Anchor);
            self.insert_checkpoint(&cp).await?;
            anchors.push(cp);
        }
        let audit = self.append(audit);
        Ok(WriteOut::Prune(Box::new(PruneReport {
            deleted,
            anchors,
            audit,
        })))
    }
}
