//! The store suite: every test runs against SQLite and PostgreSQL.

mod accounts;
mod harness;
mod journal;
mod records;
