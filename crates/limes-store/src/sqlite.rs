//! The sqlite backend.

use crate::common::Core;
use crate::*;

pub(crate) struct SqliteStore {
    pub core: Core,
}

#[allow(clippy::unused_async)]
impl SqliteStore {
    pub async fn open(_dir: std::path::PathBuf, _config: StoreConfig) -> Result<Self, StoreError> {
        todo!()
    }
    pub fn sync_mode(&self) -> String {
        todo!()
    }
    pub async fn journal_search(&self, _filter: &JournalFilter) -> Result<Vec<Entry>, StoreError> {
        todo!()
    }
    pub async fn verify(&self, _against: Option<&Checkpoint>) -> Result<VerifyReport, StoreError> {
        todo!()
    }
    pub async fn latest_checkpoint(&self) -> Result<Option<Checkpoint>, StoreError> {
        todo!()
    }
    pub async fn user(&self, _name: &str) -> Result<Option<UserRecord>, StoreError> {
        todo!()
    }
    pub async fn users(&self) -> Result<Vec<UserRecord>, StoreError> {
        todo!()
    }
    pub async fn token_by_hash(&self, _hash: &[u8]) -> Result<Option<TokenRecord>, StoreError> {
        todo!()
    }
    pub async fn tokens(&self, _user: Option<&str>) -> Result<Vec<TokenRecord>, StoreError> {
        todo!()
    }
    pub async fn record(
        &self,
        _kind: &str,
        _id: &str,
    ) -> Result<Option<serde_json::Value>, StoreError> {
        todo!()
    }
    pub async fn scan_records(
        &self,
        _kind: &str,
        _after_id: Option<&str>,
        _limit: usize,
    ) -> Result<Vec<(String, serde_json::Value)>, StoreError> {
        todo!()
    }
    pub async fn changes_since(
        &self,
        _after: i64,
        _limit: usize,
    ) -> Result<Vec<Change>, StoreError> {
        todo!()
    }
}
