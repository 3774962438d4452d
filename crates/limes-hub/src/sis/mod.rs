//! The SIS national copy and the two national lists (watch list, lost/stolen documents): the
//! alert model, bulk import (all or nothing, one journal entry), the in-memory indexes the border
//! check reads (built from the store at start and kept current from the outbox), CRUD for the
//! SIRENE Bureau, and retention (expiry warning, recorded extensions, automatic deletion) on the
//! injected clock.

pub mod model;
mod state;
pub mod synth;
#[cfg(test)]
pub(crate) mod tests;

use std::collections::{HashMap, HashSet};

use limes_model::{Action, DataCategory};
use limes_store::RecordWrite;
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::Date;

pub use model::{
    Alert, AlertCategory, AlertKind, AlertObject, Extension, ListKind, ListRecord, LostDocument,
    WatchEntry, document_key, normalize_number, parse_line,
};
pub use state::{ProjectionSize, RetentionScan, SisEntry, SisState};

use crate::gate::{Access, Actor, actor_entry};
use crate::{Hub, HubError};

/// The shipped `config/sis.toml`.
pub const DEFAULT_CONFIG: &str = include_str!("../../../../config/sis.toml");

/// Periods, deadlines and next steps from `config/sis.toml`.
#[derive(Clone, Debug, Deserialize)]
pub struct SisConfig {
    pub retention: RetentionConfig,
    pub border: BorderConfig,
    pub sirene: SireneConfig,
    pub next_step: HashMap<String, String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct RetentionConfig {
    pub expiry_warning_months: u8,
}

#[derive(Clone, Debug, Deserialize)]
pub struct BorderConfig {
    pub age_of_majority: i32,
    pub person_hit_threshold: f64,
    pub max_person_hits: usize,
}

#[derive(Clone, Debug, Deserialize)]
pub struct SireneConfig {
    pub answer_within_hours: i64,
    pub urgent_categories: Vec<String>,
    pub urgent_markers: Vec<String>,
}

impl SisConfig {
    pub fn shipped() -> Self {
        Self::parse(DEFAULT_CONFIG).expect("the shipped config/sis.toml is checked by the tests")
    }
    pub fn parse(text: &str) -> Result<Self, HubError> {
        toml::from_str(text).map_err(|e| HubError::InvalidInput(format!("config/sis.toml: {e}")))
    }
    pub fn next_step(&self, key: &str) -> String {
        self.next_step
            .get(key)
            .cloned()
            .unwrap_or_else(|| "Refer to the second line and inform SIRENE.".to_owned())
    }
}

/// Collects the lines of an import file, checking each and the ids across lines.
#[derive(Default)]
pub struct ImportValidator {
    records: Vec<ListRecord>,
    errors: Vec<(usize, String)>,
    seen: HashSet<String>,
}

impl ImportValidator {
    /// Checks line `number` (1-based); blank lines are skipped.
    pub fn push(&mut self, list: ListKind, number: usize, line: &str) {
        if line.trim().is_empty() {
            return;
        }
        match parse_line(list, line) {
            Ok(record) => {
                if !self.seen.insert(record.id().to_owned()) {
                    self.errors
                        .push((number, format!("duplicate id {:?}", record.id())));
                } else {
                    self.records.push(record);
                }
            }
            Err(error) => self.errors.push((number, error)),
        }
    }
    /// The records if every line was valid, else every invalid line with its number.
    pub fn finish(self) -> Result<Vec<ListRecord>, Vec<(usize, String)>> {
        if self.errors.is_empty() {
            Ok(self.records)
        } else {
            Err(self.errors)
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct ImportReport {
    pub list: ListKind,
    pub count: usize,
    pub first_id: Option<String>,
    pub last_id: Option<String>,
    pub sha256: String,
}

/// What one housekeeping run did and found.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Housekeeping {
    /// Alerts deleted because they expired without a recorded extension.
    pub deleted: Vec<String>,
    /// Alerts expiring within the warning period: the issuer must decide on an extension.
    pub expiring_soon: Vec<(String, String)>,
    /// Alerts whose review date has passed.
    pub review_due: Vec<String>,
}

impl Hub {
    pub fn sis_config(&self) -> &SisConfig {
        self.sis.config()
    }

    pub fn sis(&self) -> &SisState {
        &self.sis
    }

    /// Writes a validated import file in ONE transaction with one journal entry (file hash, count,
    /// id range): all or nothing even if the process dies half-way. One transaction holds the
    /// writer for the length of the import; imports are operator jobs, checks queue behind it.
    pub async fn import_list(
        &self,
        actor: &Actor,
        list: ListKind,
        sha256: &str,
        records: Vec<ListRecord>,
    ) -> Result<ImportReport, HubError> {
        if let Some(wrong) = records.iter().find(|r| r.list() != list) {
            return Err(HubError::InvalidInput(format!(
                "record {} is not a {} record",
                wrong.id(),
                list.as_str()
            )));
        }
        let report = ImportReport {
            list,
            count: records.len(),
            first_id: records.iter().map(|r| r.id()).min().map(str::to_owned),
            last_id: records.iter().map(|r| r.id()).max().map(str::to_owned),
            sha256: sha256.to_owned(),
        };
        let (writes, records) = to_writes(list, records).await?;
        let audit = actor_entry(
            actor,
            &format!("{}.import", list.as_str()),
            json!({"sha256": sha256, "count": report.count, "first_id": report.first_id, "last_id": report.last_id}),
            vec![],
            "ok",
        );
        self.store.put_records(writes, audit).await?;
        self.sis.follow_import(&self.store, records).await?;
        Ok(report)
    }

    /// Reads one SIS alert, journalled; the caller's access decides by the alert's category.
    pub async fn sis_alert(&self, access: &Access, id: &str) -> Result<Alert, HubError> {
        let query = json!({"id": id});
        let alert = self
            .store
            .record(model::KIND_SIS, id)
            .await?
            .and_then(|body| serde_json::from_value::<Alert>(body).ok());
        let category = alert
            .as_ref()
            .map(Alert::data_category)
            .unwrap_or(DataCategory::SisPerson);
        self.authorize(access, Action::Read, category, "sis.read", &query)
            .await?;
        let alert = alert.ok_or_else(|| HubError::NotFound(format!("alert {id}")))?;
        self.answer(access, "sis.read", query, vec![format!("sis_alert:{id}")])
            .await?;
        Ok(alert)
    }

    /// Creates or replaces one SIS alert (SIRENE Bureau).
    pub async fn put_sis_alert(&self, access: &Access, alert: Alert) -> Result<(), HubError> {
        let query = json!({"id": alert.id, "category": alert.category.as_str()});
        self.authorize(
            access,
            Action::Write,
            alert.data_category(),
            "sis.write",
            &query,
        )
        .await?;
        model::validate_alert(&alert).map_err(HubError::InvalidInput)?;
        if let Some(old) = self.store.record(model::KIND_SIS, &alert.id).await?
            && let Ok(old) = serde_json::from_value::<Alert>(old)
        {
            // Replacing an alert also writes to its old category.
            self.authorize(
                access,
                Action::Write,
                old.data_category(),
                "sis.write",
                &query,
            )
            .await?;
        }
        let id = alert.id.clone();
        let body = ListRecord::Alert(Box::new(alert)).body()?;
        self.store
            .put_records(
                vec![RecordWrite {
                    kind: model::KIND_SIS.to_owned(),
                    id: id.clone(),
                    body,
                }],
                access.entry("sis.write", query, vec![format!("sis_alert:{id}")], "ok"),
            )
            .await?;
        self.sis.catch_up(&self.store).await
    }

    pub async fn delete_sis_alert(&self, access: &Access, id: &str) -> Result<(), HubError> {
        let query = json!({"id": id});
        let alert = self
            .store
            .record(model::KIND_SIS, id)
            .await?
            .and_then(|body| serde_json::from_value::<Alert>(body).ok());
        let category = alert
            .as_ref()
            .map(Alert::data_category)
            .unwrap_or(DataCategory::SisPerson);
        self.authorize(access, Action::Delete, category, "sis.delete", &query)
            .await?;
        if alert.is_none() {
            return Err(HubError::NotFound(format!("alert {id}")));
        }
        self.store
            .delete_records(
                model::KIND_SIS,
                vec![id.to_owned()],
                access.entry("sis.delete", query, vec![format!("sis_alert:{id}")], "ok"),
            )
            .await?;
        self.sis.catch_up(&self.store).await
    }

    /// Records an extension after an individual assessment (Art 53(6)): without one the alert is
    /// deleted at expiry.
    pub async fn extend_sis_alert(
        &self,
        access: &Access,
        id: &str,
        new_expiry: Date,
        assessment: &str,
    ) -> Result<Alert, HubError> {
        let query = json!({"id": id, "new_expiry": model::iso_date::format(new_expiry)});
        let mut alert = self
            .store
            .record(model::KIND_SIS, id)
            .await?
            .and_then(|body| serde_json::from_value::<Alert>(body).ok())
            .ok_or_else(|| HubError::NotFound(format!("alert {id}")))?;
        self.authorize(
            access,
            Action::Write,
            alert.data_category(),
            "sis.extend",
            &query,
        )
        .await?;
        if assessment.trim().is_empty() {
            return Err(HubError::InvalidInput(
                "an extension needs the individual assessment (Art 53(6))".to_owned(),
            ));
        }
        if new_expiry <= alert.expires_at {
            return Err(HubError::InvalidInput(
                "the new expiry must be later than the current one".to_owned(),
            ));
        }
        alert.extensions.push(Extension {
            at: self.now(),
            by: access.principal.user.clone(),
            new_expiry,
            assessment: assessment.trim().to_owned(),
        });
        alert.expires_at = new_expiry;
        let body = ListRecord::Alert(Box::new(alert.clone())).body()?;
        self.store
            .put_records(
                vec![RecordWrite {
                    kind: model::KIND_SIS.to_owned(),
                    id: id.to_owned(),
                    body,
                }],
                access.entry("sis.extend", query, vec![format!("sis_alert:{id}")], "ok"),
            )
            .await?;
        self.sis.catch_up(&self.store).await?;
        Ok(alert)
    }

    /// Deletes expired alerts and list entries (one journal entry per list) and reports those
    /// expiring within the warning period and those due for review; today is the clock's.
    pub async fn sis_housekeeping(&self, actor: &Actor) -> Result<Housekeeping, HubError> {
        self.sis.catch_up(&self.store).await?;
        let today = self.now().date();
        let months = self.sis.config().retention.expiry_warning_months;
        let horizon = add_months(today, months);
        let mut report = Housekeeping::default();
        let scan = self.sis.retention_scan(today, horizon);
        let mut expired: HashMap<ListKind, Vec<String>> = HashMap::new();
        for (list, id) in scan.expired {
            expired.entry(list).or_default().push(id);
        }
        report.expiring_soon = scan
            .expiring_soon
            .into_iter()
            .map(|(id, date)| (id, date.map(model::iso_date::format).unwrap_or_default()))
            .collect();
        report.review_due = scan.review_due;
        for (list, mut ids) in expired {
            ids.sort();
            let audit = actor_entry(
                actor,
                &format!("{}.expire", list.as_str()),
                json!({"count": ids.len(), "today": model::iso_date::format(today)}),
                ids.iter()
                    .map(|id| format!("{}:{id}", list.record_kind()))
                    .collect(),
                "ok",
            );
            self.store
                .delete_records(list.record_kind(), ids.clone(), audit)
                .await?;
            report.deleted.extend(ids);
        }
        report.deleted.sort();
        report.expiring_soon.sort();
        report.review_due.sort();
        self.sis.catch_up(&self.store).await?;
        Ok(report)
    }
}

/// Imports at least this big are turned into store rows on the blocking pool, one chunk per
/// core (building JSON values is most of an import's CPU; the async workers keep serving).
const PARALLEL_WRITES_ABOVE: usize = 20_000;

fn writes_of(list: ListKind, records: &[ListRecord]) -> Result<Vec<RecordWrite>, HubError> {
    let kind = list.record_kind();
    records
        .iter()
        .map(|r| {
            Ok(RecordWrite {
                kind: kind.to_owned(),
                id: r.id().to_owned(),
                body: r.body()?,
            })
        })
        .collect()
}

/// The store rows of an import, in record order, and the records back.
async fn to_writes(
    list: ListKind,
    records: Vec<ListRecord>,
) -> Result<(Vec<RecordWrite>, Vec<ListRecord>), HubError> {
    if records.len() < PARALLEL_WRITES_ABOVE {
        return Ok((writes_of(list, &records)?, records));
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = records.len().div_ceil(cores).max(1);
    let mut rest = records;
    let mut parts = Vec::new();
    while !rest.is_empty() {
        let tail = rest.split_off(chunk.min(rest.len()));
        let part = std::mem::replace(&mut rest, tail);
        parts.push(tokio::task::spawn_blocking(move || {
            writes_of(list, &part).map(|w| (w, part))
        }));
    }
    let mut writes = Vec::new();
    let mut records = Vec::new();
    for part in parts {
        let (w, r) = part
            .await
            .map_err(|e| HubError::Internal(format!("preparing an import: {e}")))??;
        writes.extend(w);
        records.extend(r);
    }
    Ok((writes, records))
}

/// `date` plus `months` calendar months, clamped to the month's last day.
pub fn add_months(date: Date, months: u8) -> Date {
    let total = i32::from(u8::from(date.month())) - 1 + i32::from(months);
    let year = date.year() + total / 12;
    let month = u8::try_from(total % 12 + 1).unwrap_or(1);
    let month = time::Month::try_from(month).unwrap_or(time::Month::January);
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, date.day().min(last)).unwrap_or(date)
}

impl Hub {
    /// Housekeeping asked for over the API: the caller needs delete on SIS person alerts (the
    /// SIRENE Bureau); the deletions are journalled under their name.
    pub async fn sis_housekeeping_by(&self, access: &Access) -> Result<Housekeeping, HubError> {
        self.authorize(
            access,
            Action::Delete,
            DataCategory::SisPerson,
            "sis.housekeeping",
            &json!({}),
        )
        .await?;
        self.sis_housekeeping(&Actor::User(access.principal.clone()))
            .await
    }
}

/// When periodic housekeeping is due, on the injected clock's time: a pure decision so that
/// `limes serve` can poll it often and tests can move a `ManualClock` across the period.
#[derive(Clone, Debug)]
pub struct HousekeepingSchedule {
    pub every: time::Duration,
    last: Option<time::OffsetDateTime>,
}

impl HousekeepingSchedule {
    pub fn new(every: time::Duration) -> Self {
        Self { every, last: None }
    }
    /// Due at the first poll, then once `every` has passed since the last run (a clock set back
    /// makes it due again rather than never).
    pub fn due(&self, now: time::OffsetDateTime) -> bool {
        match self.last {
            None => true,
            Some(last) => now >= last + self.every || now < last,
        }
    }
    pub fn ran(&mut self, now: time::OffsetDateTime) {
        self.last = Some(now);
    }
}

/// What one run of [`Hub::housekeeping`] did, per system.
#[derive(Clone, Debug, Serialize)]
pub struct HousekeepingReport {
    pub sis: Housekeeping,
    pub ees: crate::ees::retention::EesRetentionReport,
}

/// The actor periodic housekeeping is journalled under.
pub fn housekeeping_actor() -> Actor {
    Actor::User(crate::Principal {
        user: "system:housekeeping".to_owned(),
        roles: Vec::new(),
        token_id: None,
    })
}

impl Hub {
    /// The one periodic housekeeping entry point (`limes serve` runs it when
    /// [`HousekeepingSchedule::due`]): SIS review dates, the expiry warning and automatic deletion
    /// of expired alerts and list entries, and EES Art 34 retention, on the injected clock.
    pub async fn housekeeping(&self) -> Result<HousekeepingReport, HubError> {
        let actor = housekeeping_actor();
        Ok(HousekeepingReport {
            sis: self.sis_housekeeping(&actor).await?,
            ees: self.ees_retention(&actor).await?,
        })
    }
}
