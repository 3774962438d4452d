//! The in-memory projection of the three lists the border check reads: the fuzzy person index
//! (limes-match), the exact document index and a compact entry per record. Built from the store
//! at start and kept current from the outbox (`changes_since`), so an import made by the CLI on
//! the same data directory is seen by the running server at its next check.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use limes_match::{Hit, Index, IndexConfig, ScreenOptions};
use limes_model::{DataCategory, Identity};
use limes_store::Store;
use time::Date;

use super::SisConfig;
use super::model::{AlertCategory, AlertKind, ListKind, ListRecord, document_key};
use crate::HubError;

/// What a hit needs to know about a record without reading the store.
#[derive(Clone, Debug)]
pub struct SisEntry {
    pub list: ListKind,
    pub id: String,
    pub category: String,
    pub alert_category: Option<AlertCategory>,
    pub data_category: DataCategory,
    pub markers: Vec<String>,
    pub flags: Vec<String>,
    pub action: String,
    pub issuing_country: Option<String>,
    /// The person as the record names them (shown to the guard to compare).
    pub identity: Option<Identity>,
    /// Object or lost-document description: type, number, country, status.
    pub object: Option<serde_json::Value>,
    pub expires_at: Option<Date>,
    pub review_at: Option<Date>,
    pub minor: bool,
    doc_keys: Vec<String>,
}

impl SisEntry {
    pub fn key(&self) -> String {
        format!("{}/{}", self.list.record_kind(), self.id)
    }
}

#[derive(Default)]
struct Projection {
    persons: Option<Index>,
    entries: HashMap<String, Arc<SisEntry>>,
    documents: HashMap<String, Vec<String>>,
    seq: i64,
}

pub struct SisState {
    config: SisConfig,
    projection: RwLock<Projection>,
    /// Serialises catch-ups so two requests do not apply the same changes twice.
    sync: tokio::sync::Mutex<()>,
    /// Serialises hit decisions (read-modify-write of a check and the statistics).
    pub(crate) decisions: tokio::sync::Mutex<()>,
}

/// More pending changes than this in one page and a full rebuild is faster than reading records
/// one by one.
const REBUILD_ABOVE: usize = 5_000;
const PAGE: usize = 10_000;

fn entry_of(record: &ListRecord) -> (SisEntry, Option<Identity>) {
    let list = record.list();
    let mut doc_keys = Vec::new();
    let (entry, person) = match record {
        ListRecord::Alert(alert) => {
            let person = match (alert.kind, alert.category, &alert.identity) {
                // Art 40: prints only, never name-matched.
                (_, AlertCategory::UnknownWanted, _) => None,
                (AlertKind::Person, _, Some(identity)) => Some(identity.clone()),
                _ => None,
            };
            if let Some(identity) = &person {
                for doc in &identity.documents {
                    doc_keys.push(document_key(doc.country.as_deref(), &doc.number));
                }
            }
            let object = alert.object.as_ref().map(|o| {
                if alert.category.is_document() {
                    doc_keys.push(document_key(o.country.as_deref(), &o.number));
                }
                serde_json::to_value(o).unwrap_or_default()
            });
            let entry = SisEntry {
                list,
                id: alert.id.clone(),
                category: alert.category.as_str().to_owned(),
                alert_category: Some(alert.category),
                data_category: alert.data_category(),
                markers: alert.markers.clone(),
                flags: alert.flags.clone(),
                action: alert.action.clone(),
                issuing_country: Some(alert.issuing_country.clone()),
                identity: person.clone(),
                object,
                expires_at: Some(alert.expires_at),
                review_at: alert.review_at,
                minor: alert.minor,
                doc_keys: Vec::new(),
            };
            (entry, person)
        }
        ListRecord::Watch(watch) => {
            for doc in &watch.identity.documents {
                doc_keys.push(document_key(doc.country.as_deref(), &doc.number));
            }
            let entry = SisEntry {
                list,
                id: watch.id.clone(),
                category: "watchlist".to_owned(),
                alert_category: None,
                data_category: DataCategory::NationalWatchlist,
                markers: watch.markers.clone(),
                flags: Vec::new(),
                action: if watch.action.is_empty() {
                    watch.reason.clone()
                } else {
                    watch.action.clone()
                },
                issuing_country: None,
                identity: Some(watch.identity.clone()),
                object: None,
                expires_at: watch.expires_at,
                review_at: None,
                minor: false,
                doc_keys: Vec::new(),
            };
            (entry, Some(watch.identity.clone()))
        }
        ListRecord::Document(doc) => {
            doc_keys.push(document_key(Some(&doc.country), &doc.number));
            let entry = SisEntry {
                list,
                id: doc.id.clone(),
                category: if doc.status.is_empty() {
                    "lost_stolen_document".to_owned()
                } else {
                    doc.status.clone()
                },
                alert_category: None,
                data_category: DataCategory::LostStolenDocument,
                markers: Vec::new(),
                flags: Vec::new(),
                action: String::new(),
                issuing_country: Some(doc.country.clone()),
                identity: None,
                object: serde_json::to_value(doc).ok(),
                expires_at: doc.expires_at,
                review_at: None,
                minor: false,
                doc_keys: Vec::new(),
            };
            (entry, None)
        }
    };
    let mut entry = entry;
    doc_keys.sort();
    doc_keys.dedup();
    entry.doc_keys = doc_keys;
    let key = entry.key();
    (entry, person.map(|p| Identity { id: key, ..p }))
}

impl Projection {
    fn remove(&mut self, key: &str) {
        if let Some(old) = self.entries.remove(key) {
            if let Some(index) = &mut self.persons {
                index.remove(key);
            }
            for doc in &old.doc_keys {
                if let Some(list) = self.documents.get_mut(doc) {
                    list.retain(|k| k != key);
                    if list.is_empty() {
                        self.documents.remove(doc);
                    }
                }
            }
        }
    }

    fn put(&mut self, record: &ListRecord) {
        let (entry, person) = entry_of(record);
        let key = entry.key();
        self.remove(&key);
        if let (Some(person), Some(index)) = (person, &mut self.persons) {
            // A duplicate cannot happen after `remove`; an index full at 2^32 records is not a
            // reachable state on one node.
            let _ = index.insert(&person);
        }
        for doc in &entry.doc_keys {
            self.documents
                .entry(doc.clone())
                .or_default()
                .push(key.clone());
        }
        self.entries.insert(key, Arc::new(entry));
    }
}

impl SisState {
    pub fn new(config: SisConfig) -> Self {
        Self {
            config,
            projection: RwLock::new(Projection::default()),
            sync: tokio::sync::Mutex::new(()),
            decisions: tokio::sync::Mutex::new(()),
        }
    }

    pub fn config(&self) -> &SisConfig {
        &self.config
    }

    /// Records in the projection (alerts and list entries).
    pub fn len(&self) -> usize {
        self.read(|p| p.entries.len())
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn read<T>(&self, f: impl FnOnce(&Projection) -> T) -> T {
        match self.projection.read() {
            Ok(guard) => f(&guard),
            Err(poisoned) => f(&poisoned.into_inner()),
        }
    }
    fn write<T>(&self, f: impl FnOnce(&mut Projection) -> T) -> T {
        match self.projection.write() {
            Ok(mut guard) => f(&mut guard),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }

    pub fn for_each(&self, mut f: impl FnMut(&SisEntry)) {
        self.read(|p| p.entries.values().for_each(|e| f(e)));
    }

    pub fn entry(&self, key: &str) -> Option<Arc<SisEntry>> {
        self.read(|p| p.entries.get(key).cloned())
    }

    /// Fuzzy person candidates (SIS persons except Art 40, and the watch list), best first.
    pub fn screen(&self, probe: &Identity, options: &ScreenOptions) -> Vec<(Hit, Arc<SisEntry>)> {
        self.read(|p| {
            let Some(index) = &p.persons else {
                return Vec::new();
            };
            index
                .screen(probe, options)
                .into_iter()
                .filter_map(|hit| p.entries.get(&hit.id).cloned().map(|e| (hit, e)))
                .collect()
        })
    }

    /// Records naming this document (issuing country + number).
    pub fn documents(&self, country: Option<&str>, number: &str) -> Vec<Arc<SisEntry>> {
        let key = document_key(country, number);
        self.read(|p| {
            p.documents
                .get(&key)
                .map(|keys| {
                    keys.iter()
                        .filter_map(|k| p.entries.get(k).cloned())
                        .collect()
                })
                .unwrap_or_default()
        })
    }

    /// Reads the three lists from the store and replaces the projection.
    pub async fn rebuild(&self, store: &Store) -> Result<(), HubError> {
        let _guard = self.sync.lock().await;
        self.rebuild_locked(store).await
    }

    async fn rebuild_locked(&self, store: &Store) -> Result<(), HubError> {
        // The head first: changes after it are applied again by the next catch-up (idempotent).
        let mut seq = self.read(|p| p.seq);
        loop {
            let page = store.changes_since(seq, PAGE).await?;
            match page.last() {
                Some(last) => seq = last.seq,
                None => break,
            }
        }
        let mut projection = Projection {
            persons: None,
            seq,
            ..Projection::default()
        };
        let mut people = Vec::new();
        for list in [ListKind::Sis, ListKind::Watchlist, ListKind::Documents] {
            let mut after: Option<String> = None;
            loop {
                let page = store
                    .scan_records(list.record_kind(), after.as_deref(), PAGE)
                    .await?;
                let Some((last, _)) = page.last() else { break };
                after = Some(last.clone());
                for (_, body) in page {
                    let Some(record) = ListRecord::from_json(list, body) else {
                        tracing::warn!(list = list.as_str(), "unreadable record skipped");
                        continue;
                    };
                    let (entry, person) = entry_of(&record);
                    let key = entry.key();
                    for doc in &entry.doc_keys {
                        projection
                            .documents
                            .entry(doc.clone())
                            .or_default()
                            .push(key.clone());
                    }
                    projection.entries.insert(key, Arc::new(entry));
                    people.extend(person);
                }
            }
        }
        let index = Index::build(IndexConfig::default(), people.iter())
            .map_err(|e| HubError::Internal(format!("building the SIS person index: {e}")))?;
        projection.persons = Some(index);
        self.write(|p| *p = projection);
        Ok(())
    }

    /// Applies the outbox changes since the last call; cheap (one query) when nothing changed.
    pub async fn catch_up(&self, store: &Store) -> Result<(), HubError> {
        let _guard = self.sync.lock().await;
        self.catch_up_locked(store).await
    }

    /// As [`SisState::catch_up`], but skipped when another request is already catching up (a
    /// border check does not queue behind another's refresh; it sees the changes a moment later).
    pub async fn refresh(&self, store: &Store) -> Result<(), HubError> {
        match self.sync.try_lock() {
            Ok(_guard) => self.catch_up_locked(store).await,
            Err(_) => Ok(()),
        }
    }

    async fn catch_up_locked(&self, store: &Store) -> Result<(), HubError> {
        if self.read(|p| p.persons.is_none()) {
            return self.rebuild_locked(store).await;
        }
        loop {
            let seq = self.read(|p| p.seq);
            let page = store.changes_since(seq, PAGE).await?;
            let Some(last) = page.last().map(|c| c.seq) else {
                return Ok(());
            };
            let relevant: Vec<_> = page
                .into_iter()
                .filter_map(|c| ListKind::from_record_kind(&c.kind).map(|l| (l, c)))
                .collect();
            if relevant.len() > REBUILD_ABOVE {
                // A bulk import: reading every record by id would be slower than a rebuild.
                return self.rebuild_locked(store).await;
            }
            for (list, change) in relevant {
                let key = format!("{}/{}", list.record_kind(), change.id);
                let body = if change.op == "delete" {
                    None
                } else {
                    store.record(&change.kind, &change.id).await?
                };
                match body.and_then(|b| ListRecord::from_json(list, b)) {
                    Some(record) => self.write(|p| p.put(&record)),
                    None => self.write(|p| p.remove(&key)),
                }
            }
            self.write(|p| p.seq = last);
        }
    }
}
