//! One test body, two backends: `both!(name)` makes `name::sqlite` and `name::postgres`.
//!
//! PostgreSQL tests need `LIMES_TEST_POSTGRES_URL` (printed by `scripts/services up`); without it
//! they fail, unless `LIMES_TEST_POSTGRES=0`, which skips them. Each test gets its own schema.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use limes_model::ManualClock;
use limes_store::{Backend, NewEntry, Signer, Store, StoreConfig};
use time::macros::datetime;

pub const NODE: &str = "node-a";

#[allow(clippy::large_enum_variant, reason = "one per test")]
pub enum Db {
    Sqlite {
        dir: tempfile::TempDir,
    },
    Postgres {
        base_url: String,
        url: String,
        schema: String,
        client: tokio_postgres::Client,
    },
}

pub struct Harness {
    pub db: Db,
    pub clock: Arc<ManualClock>,
    pub signer: Arc<Signer>,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

impl Harness {
    pub async fn sqlite() -> Harness {
        let dir = tempfile::tempdir().expect("temp dir");
        Harness::with(Db::Sqlite { dir })
    }

    /// `None` when PostgreSQL tests are switched off with `LIMES_TEST_POSTGRES=0`.
    pub async fn postgres() -> Option<Harness> {
        let base_url = match std::env::var("LIMES_TEST_POSTGRES_URL") {
            Ok(url) => url,
            Err(_) if std::env::var("LIMES_TEST_POSTGRES").as_deref() == Ok("0") => {
                eprintln!("LIMES_TEST_POSTGRES=0: skipping the PostgreSQL variant");
                return None;
            }
            Err(_) => panic!(
                "LIMES_TEST_POSTGRES_URL is not set: start PostgreSQL with `export \"$(scripts/services up)\"` \
                 (or set LIMES_TEST_POSTGRES=0 to skip the PostgreSQL variants)"
            ),
        };
        let schema = format!(
            "t_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            time::OffsetDateTime::now_utc().unix_timestamp_nanos() % 1_000_000_007
        );
        let (client, conn) = tokio_postgres::connect(&base_url, tokio_postgres::NoTls)
            .await
            .expect("connect to the test PostgreSQL");
        tokio::spawn(conn);
        client
            .batch_execute(&format!(
                "CREATE SCHEMA {schema}; SET search_path TO {schema}"
            ))
            .await
            .expect("create schema");
        let sep = if base_url.contains('?') { '&' } else { '?' };
        let url = format!("{base_url}{sep}options=-c%20search_path%3D{schema}");
        Some(Harness::with(Db::Postgres {
            base_url,
            url,
            schema,
            client,
        }))
    }

    fn with(db: Db) -> Harness {
        Harness {
            db,
            clock: Arc::new(ManualClock::new(datetime!(2026-11-23 10:00 UTC))),
            signer: Arc::new(Signer::from_bytes(&[7; 32])),
        }
    }

    pub fn backend(&self) -> Backend {
        match &self.db {
            Db::Sqlite { dir } => Backend::Sqlite {
                dir: dir.path().to_owned(),
            },
            Db::Postgres { url, .. } => Backend::Postgres { url: url.clone() },
        }
    }

    pub fn config(&self) -> StoreConfig {
        let mut config = StoreConfig::new(NODE, self.clock.clone());
        config.signer = Some(self.signer.clone());
        config
    }

    pub async fn open(&self) -> Store {
        self.open_with(self.config()).await
    }

    pub async fn open_with(&self, config: StoreConfig) -> Store {
        Store::open(self.backend(), config)
            .await
            .expect("open store")
    }

    /// Runs raw SQL directly on the tables, as an attacker with database access would.
    pub async fn exec(&self, sql: &str) {
        match &self.db {
            Db::Sqlite { dir } => {
                let conn = rusqlite::Connection::open(dir.path().join("limes.db")).expect("open");
                conn.busy_timeout(std::time::Duration::from_secs(5))
                    .expect("busy");
                conn.execute_batch(sql).expect("tamper sql");
            }
            Db::Postgres { client, .. } => client.batch_execute(sql).await.expect("tamper sql"),
        }
    }

    /// One integer from a query.
    pub async fn int(&self, sql: &str) -> i64 {
        match &self.db {
            Db::Sqlite { dir } => {
                let conn = rusqlite::Connection::open(dir.path().join("limes.db")).expect("open");
                conn.query_row(sql, [], |r| r.get(0)).expect("query")
            }
            Db::Postgres { client, .. } => client.query_one(sql, &[]).await.expect("query").get(0),
        }
    }

    pub async fn cleanup(self) {
        if let Db::Postgres {
            base_url,
            schema,
            client,
            ..
        } = &self.db
        {
            let _ = base_url;
            let _ = client
                .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
                .await;
        }
    }
}

pub fn entry(actor: &str, n: usize) -> NewEntry {
    NewEntry {
        actor: actor.into(),
        roles: vec!["border_guard".into()],
        purpose: Some("border_check".into()),
        case_ref: None,
        action: "person.search".into(),
        query: serde_json::json!({"surname": "MUSTERMANN", "n": n, "nested": {"b": 1.5, "a": [1, 2]}}),
        record_ids: vec![format!("rec-{n}")],
        outcome: "ok".into(),
    }
}

macro_rules! both {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let h = crate::harness::Harness::sqlite().await;
                super::$name(&h).await;
                h.cleanup().await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(h) = crate::harness::Harness::postgres().await {
                    super::$name(&h).await;
                    h.cleanup().await;
                }
            }
        }
    };
}
pub(crate) use both;
