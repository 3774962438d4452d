//! Embedded schema migrations, one list per backend (the dialects differ), applied in order,
//! one transaction per step, recorded in `schema_migrations(version, name, sha256, applied_at)`.
//! A recorded step whose SQL no longer matches its checksum stops the open: the schema would
//! otherwise silently differ from what this code expects.

use sha2::{Digest, Sha256};

use crate::StoreError;

pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

impl Migration {
    pub fn sha256(&self) -> String {
        hex::encode(Sha256::digest(self.sql.as_bytes()))
    }
}

pub(crate) const SQLITE: &[Migration] = &[Migration {
    version: 1,
    name: "init",
    sql: include_str!("../migrations/sqlite/0001_init.sql"),
}];

pub(crate) const POSTGRES: &[Migration] = &[Migration {
    version: 1,
    name: "init",
    sql: include_str!("../migrations/postgres/0001_init.sql"),
}];

pub(crate) const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version BIGINT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    applied_at BIGINT NOT NULL)";

/// What to do with one step given what `schema_migrations` says about it.
pub(crate) fn check(m: &Migration, recorded: Option<String>) -> Result<bool, StoreError> {
    match recorded {
        None => Ok(true),
        Some(sha) if sha == m.sha256() => Ok(false),
        Some(sha) => Err(StoreError::Migration(format!(
            "migration {} ({}) was applied with checksum {sha}, but this build has {}; refusing to run against a schema it did not write",
            m.version,
            m.name,
            m.sha256()
        ))),
    }
}

/// Refuses a database migrated by a newer build.
pub(crate) fn check_newest(
    all: &[Migration],
    newest_applied: Option<i64>,
) -> Result<(), StoreError> {
    let known = all.iter().map(|m| m.version).max().unwrap_or(0);
    match newest_applied {
        Some(v) if v > known => Err(StoreError::Migration(format!(
            "database schema version {v} is newer than this build knows ({known})"
        ))),
        _ => Ok(()),
    }
}
