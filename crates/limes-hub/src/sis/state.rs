//! The in-memory projection of the three lists the border check reads: the fuzzy person index
//! (limes-match), the exact document index and a compact slot per record. Built from the store
//! at start and kept current from the outbox (`changes_since`), so an import made by the CLI on
//! the same data directory is seen by the running server at its next check.
//!
//! Sized for 10 M person and 10 M document alerts on one node: a record costs a 20-byte slot,
//! its id in one byte arena and a 12-byte posting per key (its own key and each document it
//! names), with no heap object per record. Only what decides whether and how a record can hit
//! lives here (list, category, Art 26(4) flag, expiry and review dates); markers, action, the
//! person or object shown to the guard are read from the store for the few records that hit.

use std::collections::HashMap;
use std::sync::RwLock;

use limes_match::{Hit, Index, IndexBuilder, IndexConfig, ScreenOptions};
use limes_model::{DataCategory, Identity};
use limes_store::Store;
use time::Date;

use super::SisConfig;
use super::model::{AlertCategory, AlertKind, ListKind, ListRecord, document_key};
use crate::HubError;

/// What the hub needs to decide about a record without reading the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SisEntry {
    pub list: ListKind,
    pub id: String,
    pub alert_category: Option<AlertCategory>,
    pub data_category: DataCategory,
    pub expires_at: Option<Date>,
    pub review_at: Option<Date>,
}

impl SisEntry {
    pub fn key(&self) -> String {
        format!("{}/{}", self.list.record_kind(), self.id)
    }
    /// The store's kind of this record.
    pub fn kind(&self) -> &'static str {
        self.list.record_kind()
    }
}

/// No date (julian days are never this small for a real date).
const NO_DATE: i32 = i32::MIN;

/// One record in memory (20 bytes).
#[derive(Clone, Copy, Debug)]
struct Slot {
    id_start: u32,
    expires: i32,
    review: i32,
    id_len: u16,
    list: ListKind,
    category: Option<AlertCategory>,
    sirene_only: bool,
    live: bool,
}

fn julian(date: Option<Date>) -> i32 {
    date.map_or(NO_DATE, Date::to_julian_day)
}
fn from_julian(day: i32) -> Option<Date> {
    (day != NO_DATE)
        .then(|| Date::from_julian_day(day).ok())
        .flatten()
}

/// FNV-1a with a final avalanche: keys of the slot and document maps. A collision costs one
/// extra comparison (slots) or one extra store read that the check then discards (documents).
fn hash(parts: &[&[u8]]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for part in parts {
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h
}
fn slot_hash(list: ListKind, id: &str) -> u64 {
    hash(&[list.record_kind().as_bytes(), id.as_bytes()])
}
fn doc_hash(key: &str) -> u64 {
    hash(&[key.as_bytes()])
}

/// Hash → slots: a frozen block sorted once at build (12 bytes a posting) plus a small delta map
/// for records put after the build. Dead slots are skipped by the readers and dropped at the next
/// rebuild.
#[derive(Default)]
struct Postings {
    keys: Vec<u64>,
    slots: Vec<u32>,
    delta: HashMap<u64, Vec<u32>>,
}

impl Postings {
    fn freeze(mut pairs: Vec<(u64, u32)>) -> Self {
        pairs.sort_unstable();
        let (keys, slots) = pairs.into_iter().unzip();
        Self {
            keys,
            slots,
            delta: HashMap::new(),
        }
    }
    fn get(&self, key: u64) -> impl Iterator<Item = u32> + '_ {
        let start = self.keys.partition_point(|k| *k < key);
        let frozen = self
            .keys
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(move |k| **k == key)
            .zip(self.slots.get(start..).unwrap_or_default())
            .map(|(_, s)| *s);
        frozen.chain(self.delta.get(&key).into_iter().flatten().copied())
    }
    fn push(&mut self, key: u64, slot: u32) {
        self.delta.entry(key).or_default().push(slot);
    }
    fn heap_bytes(&self) -> usize {
        self.keys.capacity() * 8
            + self.slots.capacity() * 4
            + self
                .delta
                .values()
                .map(|v| v.capacity() * 4 + 48)
                .sum::<usize>()
    }
}

#[derive(Default)]
struct Projection {
    persons: Option<Index>,
    slots: Vec<Slot>,
    ids: Vec<u8>,
    by_key: Postings,
    documents: Postings,
    live: usize,
    seq: i64,
}

/// A record reduced to what the projection keeps, plus its keys.
struct Reduced {
    list: ListKind,
    category: Option<AlertCategory>,
    sirene_only: bool,
    expires: i32,
    review: i32,
    doc_keys: Vec<String>,
    /// The person to index (key as id), if the record is name-matched.
    person: Option<Identity>,
}

fn reduce(record: ListRecord) -> (String, Reduced) {
    let list = record.list();
    let doc_keys = record.document_keys();
    let (id, mut reduced) = match record {
        ListRecord::Alert(alert) => {
            let alert = *alert;
            let person = match (alert.kind, alert.category, alert.identity) {
                // Art 40: prints only, never name-matched.
                (_, AlertCategory::UnknownWanted, _) => None,
                (AlertKind::Person, _, Some(identity)) => Some(identity),
                _ => None,
            };
            let reduced = Reduced {
                list,
                category: Some(alert.category),
                sirene_only: alert.sirene_only,
                expires: julian(Some(alert.expires_at)),
                review: julian(alert.review_at),
                doc_keys,
                person,
            };
            (alert.id, reduced)
        }
        ListRecord::Watch(watch) => {
            let watch = *watch;
            let reduced = Reduced {
                list,
                category: None,
                sirene_only: false,
                expires: julian(watch.expires_at),
                review: NO_DATE,
                doc_keys,
                person: Some(watch.identity),
            };
            (watch.id, reduced)
        }
        ListRecord::Document(doc) => {
            let reduced = Reduced {
                list,
                category: None,
                sirene_only: false,
                expires: julian(doc.expires_at),
                review: NO_DATE,
                doc_keys,
                person: None,
            };
            (doc.id, reduced)
        }
    };
    let key = format!("{}/{id}", list.record_kind());
    if let Some(person) = &mut reduced.person {
        person.id = key;
    }
    (id, reduced)
}

/// The access-matrix category of a slot (as `Alert::data_category` for alerts).
fn data_category(slot: &Slot) -> DataCategory {
    match (slot.list, slot.category) {
        (ListKind::Watchlist, _) => DataCategory::NationalWatchlist,
        (ListKind::Documents, _) => DataCategory::LostStolenDocument,
        (ListKind::Sis, Some(AlertCategory::UnknownWanted)) => DataCategory::SisUnknownWanted,
        (ListKind::Sis, Some(AlertCategory::RefusalOfEntry | AlertCategory::Return)) => {
            DataCategory::SisImmigration
        }
        (ListKind::Sis, Some(AlertCategory::Arrest)) if slot.sirene_only => {
            DataCategory::SisPersonSireneOnly
        }
        (ListKind::Sis, Some(c)) if c.kind() == AlertKind::Object => DataCategory::SisObject,
        (ListKind::Sis, _) => DataCategory::SisPerson,
    }
}

impl Projection {
    fn id_of(&self, slot: &Slot) -> &str {
        let start = slot.id_start as usize;
        self.ids
            .get(start..start + usize::from(slot.id_len))
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    fn entry_of(&self, slot: &Slot) -> SisEntry {
        SisEntry {
            list: slot.list,
            id: self.id_of(slot).to_owned(),
            alert_category: slot.category,
            data_category: data_category(slot),
            expires_at: from_julian(slot.expires),
            review_at: from_julian(slot.review),
        }
    }

    fn find(&self, list: ListKind, id: &str) -> Option<u32> {
        self.by_key.get(slot_hash(list, id)).find(|&n| {
            self.slots
                .get(n as usize)
                .is_some_and(|s| s.live && s.list == list && self.id_of(s) == id)
        })
    }

    /// Appends a slot for `id` (its keys are the caller's to post).
    fn push_slot(&mut self, id: &str, reduced: &Reduced) -> Result<u32, HubError> {
        let full = || HubError::Internal("the SIS projection is full (4 GiB of ids)".to_owned());
        let number = u32::try_from(self.slots.len()).map_err(|_| full())?;
        let id_start = u32::try_from(self.ids.len()).map_err(|_| full())?;
        let id_len = u16::try_from(id.len()).map_err(|_| full())?;
        self.ids.extend_from_slice(id.as_bytes());
        self.slots.push(Slot {
            id_start,
            expires: reduced.expires,
            review: reduced.review,
            id_len,
            list: reduced.list,
            category: reduced.category,
            sirene_only: reduced.sirene_only,
            live: true,
        });
        self.live += 1;
        Ok(number)
    }

    fn remove(&mut self, list: ListKind, id: &str) {
        if let Some(n) = self.find(list, id) {
            if let Some(slot) = self.slots.get_mut(n as usize) {
                slot.live = false;
            }
            self.live = self.live.saturating_sub(1);
            if let Some(index) = &mut self.persons {
                index.remove(&format!("{}/{id}", list.record_kind()));
            }
        }
    }

    fn put(&mut self, record: ListRecord) -> Result<(), HubError> {
        let (id, reduced) = reduce(record);
        self.remove(reduced.list, &id);
        let n = self.push_slot(&id, &reduced)?;
        self.by_key.push(slot_hash(reduced.list, &id), n);
        for doc in &reduced.doc_keys {
            self.documents.push(doc_hash(doc), n);
        }
        if let (Some(person), Some(index)) = (&reduced.person, &mut self.persons) {
            // A duplicate cannot happen after `remove`; an index full at 2^32 records is not a
            // reachable state on one node.
            let _ = index.insert(person);
        }
        Ok(())
    }
}

/// What [`SisState::retention_scan`] found.
#[derive(Debug, Default)]
pub struct RetentionScan {
    pub expired: Vec<(ListKind, String)>,
    pub expiring_soon: Vec<(String, Option<Date>)>,
    pub review_due: Vec<String>,
}

/// Approximate memory of the projection, for `limes bench border-check`.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct ProjectionSize {
    pub records: usize,
    pub persons: usize,
    pub person_index_bytes: usize,
    pub projection_bytes: usize,
}

pub struct SisState {
    config: SisConfig,
    projection: RwLock<Projection>,
    /// Serialises catch-ups so two requests do not apply the same changes twice.
    sync: tokio::sync::Mutex<()>,
    /// A bulk load's projection under construction (taken and put back under `sync`).
    preload: std::sync::Mutex<Option<Preload>>,
    /// Serialises hit decisions (read-modify-write of a check and the statistics).
    pub(crate) decisions: tokio::sync::Mutex<()>,
    /// Phase timings of recent border checks (see `border::CheckTiming`).
    pub(crate) timings: crate::border::Timings,
}

/// More unknown pending changes than this in one page and a full rebuild is faster than reading
/// records one by one.
const REBUILD_ABOVE: usize = 5_000;
const PAGE: usize = 10_000;
/// Records read per page while rebuilding (parsed on the blocking pool while the next page is
/// read).
const REBUILD_PAGE: usize = 50_000;

/// The projection under construction (moved to the blocking pool page by page).
struct Building {
    projection: Projection,
    builder: IndexBuilder,
    by_key: Vec<(u64, u32)>,
    documents: Vec<(u64, u32)>,
}

impl Building {
    fn new(seq: i64) -> Self {
        Self {
            projection: Projection {
                seq,
                ..Projection::default()
            },
            builder: IndexBuilder::new(IndexConfig::default()),
            by_key: Vec::new(),
            documents: Vec::new(),
        }
    }

    fn add_page(&mut self, list: ListKind, page: Vec<(String, String)>) -> Result<(), HubError> {
        // Parsing is most of a rebuild's CPU: one chunk of the page per core.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = page.len().div_ceil(threads).max(1);
        let parsed: Vec<Vec<Option<(String, Reduced)>>> = std::thread::scope(|scope| {
            let workers: Vec<_> = page
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || {
                        part.iter()
                            .map(|(_, body)| ListRecord::from_text(list, body).map(reduce))
                            .collect()
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        drop(page);
        let items = parsed.into_iter().flatten().filter_map(|item| {
            if item.is_none() {
                tracing::warn!(list = list.as_str(), "unreadable record skipped");
            }
            item
        });
        self.add_reduced(items, threads)
    }

    /// Adds records already in memory (a bulk load's imports, see [`Preload`]).
    fn add_records(&mut self, records: Vec<ListRecord>) -> Result<(), HubError> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        self.add_reduced(records.into_iter().map(reduce), threads)
    }

    fn add_reduced(
        &mut self,
        items: impl Iterator<Item = (String, Reduced)>,
        threads: usize,
    ) -> Result<(), HubError> {
        let mut people = Vec::new();
        for (id, reduced) in items {
            let n = self.projection.push_slot(&id, &reduced)?;
            self.by_key.push((slot_hash(reduced.list, &id), n));
            for doc in &reduced.doc_keys {
                self.documents.push((doc_hash(doc), n));
            }
            people.extend(reduced.person);
        }
        self.builder
            .add_batch(&people, threads)
            .map_err(|e| HubError::Internal(format!("building the SIS person index: {e}")))
    }

    /// As [`Building::finish`], or `None` if two slots share a key hash: a bulk load that
    /// imported one id twice (or, practically never, two ids with one hash) is rebuilt instead.
    fn finish_unique(mut self) -> Option<Projection> {
        self.by_key.sort_unstable();
        if self.by_key.windows(2).any(|w| w[0].0 == w[1].0) {
            return None;
        }
        Some(self.finish())
    }

    fn finish(self) -> Projection {
        let mut projection = self.projection;
        projection.by_key = Postings::freeze(self.by_key);
        projection.documents = Postings::freeze(self.documents);
        projection.persons = Some(self.builder.finish());
        projection.slots.shrink_to_fit();
        projection.ids.shrink_to_fit();
        projection
    }
}

/// The projection of a bulk load into empty lists, built from the imported records while the
/// store commits them (the CPU is otherwise idle waiting for the disk), so no rebuild has to
/// read them back at the end. It counts as the store's projection only if the outbox since
/// `since` holds exactly the `applied` changes it was fed; anything else falls back to a rebuild.
struct Preload {
    building: Building,
    since: i64,
    applied: u64,
}

impl SisState {
    pub fn new(config: SisConfig) -> Self {
        Self {
            config,
            projection: RwLock::new(Projection::default()),
            preload: std::sync::Mutex::new(None),
            sync: tokio::sync::Mutex::new(()),
            decisions: tokio::sync::Mutex::new(()),
            timings: crate::border::Timings::default(),
        }
    }

    pub fn config(&self) -> &SisConfig {
        &self.config
    }

    /// Records in the projection (alerts and list entries).
    pub fn len(&self) -> usize {
        self.read(|p| p.live)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the projection was built (by `rebuild` or a first catch-up).
    pub fn is_built(&self) -> bool {
        self.read(|p| p.persons.is_some())
    }

    pub fn size(&self) -> ProjectionSize {
        self.read(|p| ProjectionSize {
            records: p.live,
            persons: p.persons.as_ref().map_or(0, Index::len),
            person_index_bytes: p.persons.as_ref().map_or(0, Index::heap_bytes),
            projection_bytes: p.slots.capacity() * std::mem::size_of::<Slot>()
                + p.ids.capacity()
                + p.by_key.heap_bytes()
                + p.documents.heap_bytes(),
        })
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

    /// Every live record, in no particular order (housekeeping).
    pub fn for_each(&self, mut f: impl FnMut(&SisEntry)) {
        self.read(|p| {
            for slot in p.slots.iter().filter(|s| s.live) {
                f(&p.entry_of(slot));
            }
        });
    }

    /// Retention scan without building an entry per record: records expired on `today`, those
    /// expiring by `horizon`, and those due for review.
    pub fn retention_scan(&self, today: Date, horizon: Date) -> RetentionScan {
        let (today, horizon) = (today.to_julian_day(), horizon.to_julian_day());
        self.read(|p| {
            let mut scan = RetentionScan::default();
            for slot in p.slots.iter().filter(|s| s.live) {
                if slot.expires != NO_DATE {
                    if slot.expires <= today {
                        scan.expired.push((slot.list, p.id_of(slot).to_owned()));
                    } else if slot.expires <= horizon {
                        scan.expiring_soon
                            .push((p.id_of(slot).to_owned(), from_julian(slot.expires)));
                    }
                }
                if slot.review != NO_DATE && slot.review <= today {
                    scan.review_due.push(p.id_of(slot).to_owned());
                }
            }
            scan
        })
    }

    /// The record with this key (`kind/id`), if live.
    pub fn entry(&self, key: &str) -> Option<SisEntry> {
        let (kind, id) = key.split_once('/')?;
        let list = ListKind::from_record_kind(kind)?;
        self.read(|p| {
            let n = p.find(list, id)?;
            p.slots.get(n as usize).map(|s| p.entry_of(s))
        })
    }

    /// Fuzzy person candidates (SIS persons except Art 40, and the watch list), best first.
    pub fn screen(&self, probe: &Identity, options: &ScreenOptions) -> Vec<(Hit, SisEntry)> {
        self.read(|p| {
            let Some(index) = &p.persons else {
                return Vec::new();
            };
            index
                .screen(probe, options)
                .into_iter()
                .filter_map(|hit| {
                    let (kind, id) = hit.id.split_once('/')?;
                    let list = ListKind::from_record_kind(kind)?;
                    let n = p.find(list, id)?;
                    let entry = p.entry_of(p.slots.get(n as usize)?);
                    Some((hit, entry))
                })
                .collect()
        })
    }

    /// Records naming this document (issuing country + number). A rare hash collision can add a
    /// record that does not name it: the caller compares with the full record.
    pub fn documents(&self, country: Option<&str>, number: &str) -> Vec<SisEntry> {
        let key = doc_hash(&document_key(country, number));
        self.read(|p| {
            let mut found: Vec<u32> = p
                .documents
                .get(key)
                .filter(|&n| p.slots.get(n as usize).is_some_and(|s| s.live))
                .collect();
            found.sort_unstable();
            found.dedup();
            found
                .into_iter()
                .filter_map(|n| p.slots.get(n as usize).map(|s| p.entry_of(s)))
                .collect()
        })
    }

    /// Builds the projection from the three lists in the store; when it is already built (a
    /// second start-up call) only catches up from the outbox.
    pub async fn rebuild(&self, store: &Store) -> Result<(), HubError> {
        let _guard = self.sync.lock().await;
        if self.is_built() {
            return self.catch_up_locked(store, None).await;
        }
        if let Some(preload) = self.take_preload() {
            let tail = store.outbox_tail(preload.since).await?;
            if tail.count == preload.applied {
                let building = preload.building;
                let finished = tokio::task::spawn_blocking(move || building.finish_unique())
                    .await
                    .map_err(|e| HubError::Internal(format!("indexing the SIS: {e}")))?;
                if let Some(mut projection) = finished {
                    projection.seq = tail.last;
                    self.write(|p| *p = projection);
                    return Ok(());
                }
            }
            tracing::info!(
                "the bulk load's lists changed otherwise too: rebuilding from the store"
            );
        }
        self.rebuild_locked(store).await
    }

    /// Starts building the projection from the records imports hand to
    /// [`SisState::follow_import`], if it is not built and the three lists are empty (a first
    /// load). [`SisState::rebuild`] then only finishes it. Returns whether it started.
    pub async fn begin_bulk_load(&self, store: &Store) -> Result<bool, HubError> {
        let _guard = self.sync.lock().await;
        if self.is_built() {
            return Ok(false);
        }
        // The head before the emptiness check: a write in between shows up in the count.
        let since = store.outbox_head().await?;
        for list in [ListKind::Sis, ListKind::Watchlist, ListKind::Documents] {
            if !store
                .scan_records_text(list.record_kind(), None, 1)
                .await?
                .is_empty()
            {
                return Ok(false);
            }
        }
        self.put_preload(Some(Preload {
            building: Building::new(since),
            since,
            applied: 0,
        }));
        Ok(true)
    }

    fn take_preload(&self) -> Option<Preload> {
        match self.preload.lock() {
            Ok(mut guard) => guard.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        }
    }
    fn put_preload(&self, preload: Option<Preload>) {
        match self.preload.lock() {
            Ok(mut guard) => *guard = preload,
            Err(poisoned) => *poisoned.into_inner() = preload,
        }
    }

    async fn rebuild_locked(&self, store: &Store) -> Result<(), HubError> {
        // A bulk load's projection would be stale once this one is built.
        drop(self.take_preload());
        // The head first: changes after it are applied again by the next catch-up (idempotent).
        let seq = store.outbox_head().await?;
        let mut building = Building::new(seq);
        for list in [ListKind::Sis, ListKind::Watchlist, ListKind::Documents] {
            let kind = list.record_kind();
            let scan = |after: Option<String>| {
                let store = store.clone();
                tokio::spawn(async move {
                    store
                        .scan_records_text(kind, after.as_deref(), REBUILD_PAGE)
                        .await
                })
            };
            let mut next = scan(None);
            loop {
                let page = next
                    .await
                    .map_err(|e| HubError::Internal(format!("reading the SIS: {e}")))??;
                let Some((last, _)) = page.last() else { break };
                // Read the next page while this one is parsed and indexed.
                next = scan(Some(last.clone()));
                building = tokio::task::spawn_blocking(move || {
                    building.add_page(list, page).map(|()| building)
                })
                .await
                .map_err(|e| HubError::Internal(format!("indexing the SIS: {e}")))??;
            }
        }
        let projection = tokio::task::spawn_blocking(move || building.finish())
            .await
            .map_err(|e| HubError::Internal(format!("indexing the SIS: {e}")))?;
        self.write(|p| *p = projection);
        Ok(())
    }

    /// Applies the outbox changes since the last call; cheap (one query) when nothing changed.
    pub async fn catch_up(&self, store: &Store) -> Result<(), HubError> {
        let _guard = self.sync.lock().await;
        self.catch_up_locked(store, None).await
    }

    /// After an import: applies the changes, taking the imported records from memory instead of
    /// reading them back. Before the projection is first built they go to the bulk load's
    /// [`Preload`] if one was begun, else nowhere (the first build reads everything), so a bulk
    /// load does not rebuild after every batch.
    pub async fn follow_import(
        &self,
        store: &Store,
        records: Vec<ListRecord>,
    ) -> Result<(), HubError> {
        let _guard = self.sync.lock().await;
        if !self.is_built() {
            if let Some(mut preload) = self.take_preload() {
                let count = records.len() as u64;
                let added = tokio::task::spawn_blocking(move || {
                    preload.building.add_records(records).map(|()| preload)
                })
                .await
                .map_err(|e| HubError::Internal(format!("indexing the SIS: {e}")))?;
                // A failed batch drops the preload: the first build reads the store instead.
                match added {
                    Ok(mut preload) => {
                        preload.applied += count;
                        self.put_preload(Some(preload));
                    }
                    Err(e) => tracing::warn!(error = %e, "bulk load projection dropped"),
                }
            }
            return Ok(());
        }
        let known: HashMap<(ListKind, String), ListRecord> = records
            .into_iter()
            .map(|r| ((r.list(), r.id().to_owned()), r))
            .collect();
        self.catch_up_locked(store, Some(known)).await
    }

    /// As [`SisState::catch_up`], but skipped when another request is already catching up (a
    /// border check does not queue behind another's refresh; it sees the changes a moment later).
    pub async fn refresh(&self, store: &Store) -> Result<(), HubError> {
        match self.sync.try_lock() {
            Ok(_guard) => self.catch_up_locked(store, None).await,
            Err(_) => Ok(()),
        }
    }

    async fn catch_up_locked(
        &self,
        store: &Store,
        mut known: Option<HashMap<(ListKind, String), ListRecord>>,
    ) -> Result<(), HubError> {
        if !self.is_built() {
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
            let unknown = relevant
                .iter()
                .filter(|(list, c)| {
                    !known
                        .as_ref()
                        .is_some_and(|k| k.contains_key(&(*list, c.id.clone())))
                })
                .count();
            if unknown > REBUILD_ABOVE {
                // A bulk import by another process: reading every record by id would be slower
                // than a rebuild.
                return self.rebuild_locked(store).await;
            }
            for (list, change) in relevant {
                let record = if change.op == "delete" {
                    None
                } else if let Some(record) = known
                    .as_mut()
                    .and_then(|k| k.remove(&(list, change.id.clone())))
                {
                    Some(record)
                } else {
                    store
                        .record(&change.kind, &change.id)
                        .await?
                        .and_then(|b| ListRecord::from_json(list, b))
                };
                match record {
                    Some(record) => self.write(|p| p.put(record))?,
                    None => self.write(|p| p.remove(list, &change.id)),
                }
            }
            self.write(|p| p.seq = last);
        }
    }
}
