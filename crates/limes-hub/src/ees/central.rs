//! The central EES (eu-LISA's system holding every Member State's records) behind one interface,
//! [`CentralEes`], and the store layout shared by its in-process simulation and the national copy.
//!
//! Layout, per area prefix `P` (`ees` for the national copy, `ees_central` for the simulation), in
//! the store's `records` table:
//! - `P_file`, id = the file id as 16 hex digits: the individual file and who created it;
//! - `P_doc`, id = `ISSUING:NUMBER`: the file holding that travel document;
//! - `P_record`, id = `FILERECORD` (two runs of 16 lower-case hex digits): entry/exit and refusal
//!   records, so one file's records are one ordered range scan. Only fixed-length hex keys: they
//!   sort the same under every collation (a PostgreSQL database created with a language locale
//!   would otherwise order `/` or `:` unlike SQLite).

use std::future::Future;
use std::pin::Pin;

use limes_ees::record::{EntryExitRecord, FileId, IndividualFile, RecordId, RefusalRecord};
use limes_journal::NewEntry;
use limes_store::{RecordWrite, Store};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::HubError;

/// What a central call returns: boxed so the trait stays object-safe (`&dyn CentralEes`) and a
/// networked implementation can await its transport.
pub type CentralFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, HubError>> + Send + 'a>>;

/// One EES record as stored, with the Member State that created it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StoredRecord {
    Entry {
        member_state: String,
        /// The holder's nationality when the record was made, for the statistics.
        nationality: Option<String>,
        record: EntryExitRecord,
    },
    Refusal {
        member_state: String,
        nationality: Option<String>,
        record: RefusalRecord,
    },
}

impl StoredRecord {
    pub fn id(&self) -> RecordId {
        match self {
            StoredRecord::Entry { record, .. } => record.id,
            StoredRecord::Refusal { record, .. } => record.id,
        }
    }
    pub fn file(&self) -> FileId {
        match self {
            StoredRecord::Entry { record, .. } => record.file,
            StoredRecord::Refusal { record, .. } => record.file,
        }
    }
    pub fn member_state(&self) -> &str {
        match self {
            StoredRecord::Entry { member_state, .. }
            | StoredRecord::Refusal { member_state, .. } => member_state,
        }
    }
}

/// An individual file with every record attached to it.
#[derive(Clone, Debug, Default)]
pub struct FileRecords {
    pub entries: Vec<EntryExitRecord>,
    pub refusals: Vec<RefusalRecord>,
    /// Member State of each record, by record id.
    pub states: Vec<(RecordId, String)>,
}

impl FileRecords {
    fn push(&mut self, stored: StoredRecord) {
        self.states
            .push((stored.id(), stored.member_state().to_owned()));
        match stored {
            StoredRecord::Entry { record, .. } => self.entries.push(record),
            StoredRecord::Refusal { record, .. } => self.refusals.push(record),
        }
    }
}

/// The central system. The hub writes every record there first, then keeps its national copy.
pub trait CentralEes: Send + Sync {
    /// The file holding a travel document, if any State has recorded it.
    fn find_file(
        &self,
        issuing_country: String,
        number: String,
    ) -> CentralFuture<'_, Option<IndividualFile>>;
    fn file(&self, id: FileId) -> CentralFuture<'_, Option<IndividualFile>>;
    /// Every record of a file, of every State.
    fn records(&self, id: FileId) -> CentralFuture<'_, FileRecords>;
    /// Creates or updates a file and, optionally, one record of it.
    fn put(
        &self,
        member_state: String,
        file: IndividualFile,
        record: Option<StoredRecord>,
    ) -> CentralFuture<'_, ()>;
    /// Deletes records, and the file (with its document key) when `file` is set.
    fn delete(
        &self,
        file: FileId,
        records: Vec<RecordId>,
        delete_file: Option<IndividualFile>,
    ) -> CentralFuture<'_, ()>;
    /// Every file id, for the retention job and the overstayer scan.
    fn file_ids(&self) -> CentralFuture<'_, Vec<FileId>>;
}

pub fn file_key(id: FileId) -> String {
    format!("{:016x}", id.0)
}
pub fn record_key(file: FileId, record: RecordId) -> String {
    format!("{:016x}{:016x}", file.0, record.0)
}
pub fn document_key(issuing_country: &str, number: &str) -> String {
    let number: String = number
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    format!(
        "{}:{}",
        issuing_country.trim().to_ascii_uppercase(),
        number.to_ascii_uppercase()
    )
}

/// Page size of range scans.
const SCAN_PAGE: usize = 1_000;

/// One area of the `records` table holding EES data (see the module doc).
#[derive(Clone)]
pub struct EesArea {
    store: Store,
    file_kind: String,
    doc_kind: String,
    record_kind: String,
    due_kind: String,
}

impl EesArea {
    pub fn new(store: Store, prefix: &str) -> Self {
        Self {
            store,
            file_kind: format!("{prefix}_file"),
            doc_kind: format!("{prefix}_doc"),
            record_kind: format!("{prefix}_record"),
            due_kind: format!("{prefix}_file_due"),
        }
    }

    /// The day a file whose records are all gone must go (kept by the retention job).
    pub async fn file_due(&self, id: FileId) -> Result<Option<time::Date>, HubError> {
        Ok(self
            .store
            .record(&self.due_kind, &file_key(id))
            .await?
            .and_then(|body| body.get("due").and_then(|d| d.as_str()).map(str::to_owned))
            .and_then(|text| limes_ees::record::iso_date::parse(&text).ok()))
    }

    pub async fn set_file_due(
        &self,
        id: FileId,
        due: time::Date,
        audit: NewEntry,
    ) -> Result<(), HubError> {
        self.store
            .put_records(
                vec![RecordWrite {
                    kind: self.due_kind.clone(),
                    id: file_key(id),
                    body: json!({"due": limes_ees::record::iso_date::format(due)}).into(),
                }],
                audit,
            )
            .await?;
        Ok(())
    }

    pub fn record_kind(&self) -> &str {
        &self.record_kind
    }

    pub async fn find_file(
        &self,
        issuing_country: &str,
        number: &str,
    ) -> Result<Option<IndividualFile>, HubError> {
        let key = document_key(issuing_country, number);
        let Some(body) = self.store.record(&self.doc_kind, &key).await? else {
            return Ok(None);
        };
        match body.get("file").and_then(|v| v.as_u64()) {
            Some(id) => self.file(FileId(id)).await,
            None => Ok(None),
        }
    }

    pub async fn file(&self, id: FileId) -> Result<Option<IndividualFile>, HubError> {
        Ok(self
            .store
            .record(&self.file_kind, &file_key(id))
            .await?
            .and_then(|body| serde_json::from_value(body).ok()))
    }

    pub async fn records(&self, id: FileId) -> Result<FileRecords, HubError> {
        let prefix = file_key(id);
        let mut after = file_key(id);
        let mut out = FileRecords::default();
        loop {
            let page = self
                .store
                .scan_records(&self.record_kind, Some(&after), SCAN_PAGE)
                .await?;
            let full = page.len() == SCAN_PAGE;
            for (key, body) in page {
                if key.len() != 32 || !key.starts_with(&prefix) {
                    return Ok(out);
                }
                if let Ok(stored) = serde_json::from_value::<StoredRecord>(body) {
                    out.push(stored);
                }
                after = key;
            }
            if !full {
                return Ok(out);
            }
        }
    }

    /// Every stored record in key order (file by file), page by page.
    pub async fn for_each_record(
        &self,
        mut visit: impl FnMut(StoredRecord),
    ) -> Result<(), HubError> {
        let mut after: Option<String> = None;
        loop {
            let page = self
                .store
                .scan_records(&self.record_kind, after.as_deref(), SCAN_PAGE)
                .await?;
            let full = page.len() == SCAN_PAGE;
            for (key, body) in page {
                if let Ok(stored) = serde_json::from_value::<StoredRecord>(body) {
                    visit(stored);
                }
                after = Some(key);
            }
            if !full {
                return Ok(());
            }
        }
    }

    pub async fn file_ids(&self) -> Result<Vec<FileId>, HubError> {
        let mut ids = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = self
                .store
                .scan_records(&self.file_kind, after.as_deref(), SCAN_PAGE)
                .await?;
            let full = page.len() == SCAN_PAGE;
            for (key, _) in page {
                if let Ok(id) = u64::from_str_radix(&key, 16) {
                    ids.push(FileId(id));
                }
                after = Some(key);
            }
            if !full {
                return Ok(ids);
            }
        }
    }

    /// The writes that store a file (and its document key) and optionally one record.
    pub fn writes(
        &self,
        file: &IndividualFile,
        record: Option<&StoredRecord>,
    ) -> Result<Vec<RecordWrite>, HubError> {
        let mut writes = vec![
            RecordWrite {
                kind: self.file_kind.clone(),
                id: file_key(file.id),
                body: crate::error::body_of(file)?,
            },
            RecordWrite {
                kind: self.doc_kind.clone(),
                id: document_key(&file.document.issuing_country, &file.document.number),
                body: json!({"file": file.id.0}).into(),
            },
        ];
        if let Some(record) = record {
            writes.push(RecordWrite {
                kind: self.record_kind.clone(),
                id: record_key(record.file(), record.id()),
                body: crate::error::body_of(record)?,
            });
        }
        Ok(writes)
    }

    pub async fn put(
        &self,
        file: &IndividualFile,
        record: Option<&StoredRecord>,
        audit: NewEntry,
    ) -> Result<(), HubError> {
        self.store
            .put_records(self.writes(file, record)?, audit)
            .await?;
        Ok(())
    }

    /// Deletes records and, if given, the file with its document key; one journal entry per kind
    /// touched (the store deletes one kind per transaction).
    pub async fn delete(
        &self,
        file: FileId,
        records: &[RecordId],
        delete_file: Option<&IndividualFile>,
        audit: impl Fn(&str) -> NewEntry,
    ) -> Result<(), HubError> {
        if !records.is_empty() {
            let ids = records.iter().map(|r| record_key(file, *r)).collect();
            self.store
                .delete_records(&self.record_kind, ids, audit(&self.record_kind))
                .await?;
        }
        if let Some(whole) = delete_file {
            let doc = document_key(&whole.document.issuing_country, &whole.document.number);
            self.store
                .delete_records(&self.doc_kind, vec![doc], audit(&self.doc_kind))
                .await?;
            self.store
                .delete_records(
                    &self.file_kind,
                    vec![file_key(file)],
                    audit(&self.file_kind),
                )
                .await?;
        }
        Ok(())
    }
}

/// The central EES simulated in-process on the store's `records` table (kinds `ees_central_*`):
/// used by the tests and the demo in place of eu-LISA's system. Its writes are journalled under
/// the actor `ees-central-simulation`, so the journal shows what would have crossed the wire.
#[derive(Clone)]
pub struct SimulatedCentralEes {
    area: EesArea,
}

/// The actor the simulation journals its own writes as.
pub const SIMULATION_ACTOR: &str = "ees-central-simulation";

impl SimulatedCentralEes {
    pub fn new(store: Store) -> Self {
        Self {
            area: EesArea::new(store, "ees_central"),
        }
    }

    fn entry(action: &str, ids: Vec<String>) -> NewEntry {
        NewEntry {
            actor: SIMULATION_ACTOR.to_owned(),
            roles: Vec::new(),
            purpose: None,
            case_ref: None,
            action: action.to_owned(),
            query: json!({}),
            record_ids: ids,
            outcome: "ok".to_owned(),
        }
    }
}

impl CentralEes for SimulatedCentralEes {
    fn find_file(
        &self,
        issuing_country: String,
        number: String,
    ) -> CentralFuture<'_, Option<IndividualFile>> {
        Box::pin(async move { self.area.find_file(&issuing_country, &number).await })
    }

    fn file(&self, id: FileId) -> CentralFuture<'_, Option<IndividualFile>> {
        Box::pin(async move { self.area.file(id).await })
    }

    fn records(&self, id: FileId) -> CentralFuture<'_, FileRecords> {
        Box::pin(async move { self.area.records(id).await })
    }

    fn put(
        &self,
        member_state: String,
        file: IndividualFile,
        record: Option<StoredRecord>,
    ) -> CentralFuture<'_, ()> {
        Box::pin(async move {
            let mut ids = vec![format!("ees_central_file:{}", file_key(file.id))];
            if let Some(record) = &record {
                ids.push(format!(
                    "ees_central_record:{}",
                    record_key(record.file(), record.id())
                ));
            }
            let mut audit = Self::entry("ees_central.put", ids);
            audit.query = json!({"member_state": member_state});
            self.area.put(&file, record.as_ref(), audit).await
        })
    }

    fn delete(
        &self,
        file: FileId,
        records: Vec<RecordId>,
        delete_file: Option<IndividualFile>,
    ) -> CentralFuture<'_, ()> {
        Box::pin(async move {
            let ids: Vec<String> = records
                .iter()
                .map(|r| format!("ees_central_record:{}", record_key(file, *r)))
                .collect();
            self.area
                .delete(file, &records, delete_file.as_ref(), |kind| {
                    let mut entry = Self::entry("ees_central.retention_delete", ids.clone());
                    entry.query = json!({"kind": kind, "file": file_key(file)});
                    entry
                })
                .await
        })
    }

    fn file_ids(&self) -> CentralFuture<'_, Vec<FileId>> {
        Box::pin(async move { self.area.file_ids().await })
    }
}
