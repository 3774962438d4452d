//! The national side of the Entry/Exit System (Reg (EU) 2017/2226): entries, exits and refusals
//! registered at this State's border (written first to the central EES, [`CentralEes`], then to
//! the national copy, which keeps only this State's own records), a person's file and stay status
//! (the 90/180 calculator of `limes-ees`), the overstayer list on the injected clock, law-enforcement
//! access through the central access point ([`le`]), Art 34 retention ([`retention`]), kiosk
//! pre-enrolment ([`kiosk`]), statistics ([`stats`]) and the EES panel of the border check.

pub mod central;
mod demo;
pub mod kiosk;
pub mod le;
pub mod retention;
pub mod stats;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use limes_ees::record::{
    BiometricRef, Crossing, EntryBasis, EntryExitRecord, FileId, IndividualFile, RecordId,
    RefusalRecord, TravelDocument, VisaRegime,
};
use limes_ees::refusal::{ReasonLetter, RefusalReasons};
use limes_ees::{Day, OverstayRecord, Stay, calculate};
use limes_model::{Action, DataCategory, Identity, PartialDate, Purpose, Role, Sex};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::{Date, Duration};

pub use limes_ees::record;

pub use central::{CentralEes, EesArea, FileRecords, SimulatedCentralEes, StoredRecord};

use crate::gate::Access;
use crate::{Hub, HubError};

/// The shipped `config/refusal-reasons.toml` (SBC Annex V Part B).
pub const REFUSAL_REASONS: &str = include_str!("../../../../config/refusal-reasons.toml");

/// The Member State a node serves unless told otherwise (`--member-state`): ICAO's specimen
/// State, so that a demo never pretends to be a real one.
pub const DEFAULT_MEMBER_STATE: &str = "UTO";

/// Nationalities that are never registered in the EES and never refused through its form: EU
/// citizens, EEA (Iceland, Liechtenstein, Norway) and Swiss nationals (Reg 2017/2226 Art 2(3)(a)–(b);
/// a refusal of a Union citizen follows Directive 2004/38/EC, not SBC Art 14).
pub const FREE_MOVEMENT_NATIONALITIES: &[&str] = &[
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN",
    "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP",
    "SWE", "ISL", "LIE", "NOR", "CHE",
];

/// Age below which no fingerprints are taken (Art 17(3)).
pub const FINGERPRINT_MIN_AGE: i32 = 12;

pub fn is_free_movement_national(nationality: &str) -> bool {
    let code = limes_model::country::alpha3(nationality)
        .map(|c| c.as_str().to_owned())
        .unwrap_or_else(|| nationality.trim().to_ascii_uppercase());
    FREE_MOVEMENT_NATIONALITIES.contains(&code.as_str())
}

/// EES-specific failures; the server gives each its own problem type.
#[derive(Debug, thiserror::Error)]
pub enum EesError {
    #[error(transparent)]
    Hub(#[from] HubError),
    #[error(
        "{0} nationals enjoy free movement: they are not registered in the EES and never refused through this form"
    )]
    FreeMovement(String),
    #[error("no days of stay remain in the 180-day period: refuse entry with reason F")]
    NoDaysLeft,
    #[error("no open entry is recorded for this document")]
    NoOpenEntry,
    #[error("the request awaits verification by the central access point")]
    AwaitingVerification,
    #[error("the verifier must be a different person from the requester (Art 29(3))")]
    SameVerifier,
    #[error("the request was refused by the central access point: {0}")]
    RequestRefused(String),
}

pub type EesResult<T> = Result<T, EesError>;

impl From<limes_store::StoreError> for EesError {
    fn from(error: limes_store::StoreError) -> Self {
        EesError::Hub(error.into())
    }
}

/// The traveller as the guard (or a kiosk) records them.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TravellerInput {
    pub surname: String,
    #[serde(default)]
    pub given_names: String,
    pub birth_date: Option<PartialDate>,
    pub nationality: String,
    #[serde(default)]
    pub sex: Option<Sex>,
    pub document: TravelDocument,
    pub regime: VisaRegime,
    /// Reference to the live facial image (Art 15); never the image.
    #[serde(default)]
    pub facial_image: Option<String>,
    /// Reference to the four right-hand fingerprints (Art 17(1)(b)); absent for under-12s.
    #[serde(default)]
    pub fingerprints: Option<String>,
    #[serde(default)]
    pub family_member_of_union_citizen: bool,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryRequest {
    pub traveller: TravellerInput,
    pub crossing_point: String,
    pub basis: EntryBasis,
    /// Last day the visa allows, when it ends before the 90/180 limit.
    #[serde(default, with = "crate::sis::model::opt_iso_date")]
    pub authorised_until: Option<Date>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExitRequest {
    pub issuing_country: String,
    pub document_number: String,
    pub crossing_point: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefusalRequest {
    pub traveller: TravellerInput,
    pub crossing_point: String,
    /// Letters of SBC Annex V Part B, e.g. `["C", "E"]`.
    pub reasons: Vec<String>,
}

/// A person's stay status on a day.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct StayStatus {
    #[serde(with = "limes_ees::record::iso_date")]
    pub on: Date,
    pub days_used: u32,
    pub days_remaining: u32,
    pub overstay_days: u32,
    /// Longest stay an entry today would be allowed (when not in the territory).
    pub max_stay_days: Option<u32>,
    pub in_territory: bool,
    /// End of the authorised stay of the open entry.
    #[serde(default, with = "crate::sis::model::opt_iso_date")]
    pub authorised_stay_end: Option<Date>,
    /// No exit recorded and the authorised stay has ended (Art 12).
    pub overstaying: bool,
    pub previous_refusals: usize,
}

/// A file with its records and status, as an authorised reader sees it.
#[derive(Clone, Debug, Serialize)]
pub struct FileView {
    pub file: IndividualFile,
    pub entries: Vec<EntryExitRecord>,
    pub refusals: Vec<RefusalRecord>,
    pub status: StayStatus,
}

/// What a registration returns.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Registered {
    pub file_id: FileId,
    pub record_id: RecordId,
    pub status: StayStatus,
}

/// One person on the overstayer list.
#[derive(Clone, Debug, Serialize)]
pub struct Overstayer {
    pub file_id: FileId,
    pub record_id: RecordId,
    pub surname: String,
    pub given_names: String,
    pub nationality: Option<String>,
    #[serde(with = "limes_ees::record::iso_date")]
    pub end_of_authorised_stay: Date,
    pub days_overstayed: i64,
    pub entered_via: String,
}

/// The EES panel of a border check for a third-country national.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BorderEes {
    pub registered: bool,
    pub file_id: Option<FileId>,
    pub status: Option<StayStatus>,
}

pub(crate) fn random_id() -> Result<u64, HubError> {
    // 53 bits so that JSON readers using doubles keep the id exact.
    let bytes = crate::credentials::random_bytes::<8>()?;
    Ok(u64::from_le_bytes(bytes) & ((1 << 53) - 1))
}

fn bounded(field: &str, text: &str, max: usize) -> Result<String, HubError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > max {
        return Err(HubError::InvalidInput(format!(
            "{field} must be 1-{max} characters"
        )));
    }
    Ok(text.to_owned())
}

/// The refusal reasons shipped in configuration.
pub fn refusal_reasons() -> RefusalReasons {
    RefusalReasons::parse(REFUSAL_REASONS)
        .expect("the shipped config/refusal-reasons.toml is checked by the tests")
}

fn under_12(birth: Option<PartialDate>, today: Date) -> bool {
    birth.is_some_and(|b| b.is_complete() && b.age_on(today) < FINGERPRINT_MIN_AGE)
}

/// Checks the traveller input; `needs_biometrics` is true for entries and B/D/H refusals.
fn validate_traveller(
    input: &TravellerInput,
    today: Date,
    needs_biometrics: bool,
) -> EesResult<()> {
    bounded("surname", &input.surname, 100)?;
    bounded("nationality", &input.nationality, 3)?;
    bounded("document.number", &input.document.number, 30)?;
    bounded(
        "document.issuing_country",
        &input.document.issuing_country,
        3,
    )?;
    bounded("document.kind", &input.document.kind, 2)?;
    if is_free_movement_national(&input.nationality) {
        return Err(EesError::FreeMovement(
            input.nationality.to_ascii_uppercase(),
        ));
    }
    let child = under_12(input.birth_date, today);
    if child && input.fingerprints.is_some() {
        return Err(HubError::InvalidInput(
            "no fingerprints are taken from children under 12 (Art 17(3)): leave fingerprints empty"
                .to_owned(),
        )
        .into());
    }
    if needs_biometrics {
        let file = to_file(FileId(0), input);
        let missing = file.missing_biometrics(today);
        if !missing.is_empty() {
            let names: Vec<String> = missing
                .iter()
                .map(|m| {
                    serde_json::to_value(m)
                        .map(|v| v.to_string())
                        .unwrap_or_default()
                })
                .collect();
            return Err(HubError::InvalidInput(format!(
                "biometric references missing: {}",
                names.join(", ")
            ))
            .into());
        }
    }
    Ok(())
}

fn non_empty(text: &Option<String>) -> Option<BiometricRef> {
    text.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| BiometricRef(t.to_owned()))
}

fn to_file(id: FileId, input: &TravellerInput) -> IndividualFile {
    let mut document = input.document.clone();
    document.issuing_country = document.issuing_country.trim().to_ascii_uppercase();
    document.number = document.number.trim().to_ascii_uppercase();
    IndividualFile {
        id,
        identity: Identity {
            id: central::file_key(id),
            surname: input.surname.trim().to_owned(),
            given_names: input.given_names.trim().to_owned(),
            birth_date: input.birth_date,
            nationality: Some(input.nationality.trim().to_ascii_uppercase()),
            sex: input.sex,
            ..Identity::default()
        },
        document,
        regime: input.regime,
        facial_image: non_empty(&input.facial_image),
        fingerprints: non_empty(&input.fingerprints),
        family_member_of_union_citizen: input.family_member_of_union_citizen,
    }
}

/// The stay status of a file's records on `today` (pure).
pub fn stay_status(records: &FileRecords, today: Date) -> StayStatus {
    let on = Day::from_date(today);
    let stays: Vec<Stay> = records
        .entries
        .iter()
        .filter_map(|r| {
            let entry = Day::from_date(r.entry.at.date());
            let exit = r.exit.as_ref().map(|x| Day::from_date(x.at.date()));
            Stay::new(entry, exit).ok()
        })
        .collect();
    let open = records
        .entries
        .iter()
        .filter(|r| r.exit.is_none())
        .max_by_key(|r| r.entry.at);
    let in_territory = open.is_some();
    let summary = calculate(&stays, on, (!in_territory).then_some(on));
    StayStatus {
        on: today,
        days_used: summary.days_used,
        days_remaining: summary.days_remaining,
        overstay_days: summary.overstay_days,
        max_stay_days: summary.max_stay_days,
        in_territory,
        authorised_stay_end: open.map(|r| r.end_of_authorised_stay),
        overstaying: open.is_some_and(|r| r.end_of_authorised_stay < today),
        previous_refusals: records.refusals.len(),
    }
}

impl Hub {
    /// The central EES this node talks to: the in-process simulation on this store.
    pub fn ees_central(&self) -> SimulatedCentralEes {
        SimulatedCentralEes::new(self.store.clone())
    }

    /// The national copy of this State's own EES records.
    pub fn ees_national(&self) -> EesArea {
        EesArea::new(self.store.clone(), "ees")
    }

    fn today(&self) -> Date {
        self.now().date()
    }

    fn crossing(&self, access: &Access, crossing_point: &str) -> Result<Crossing, HubError> {
        Ok(Crossing {
            at: self.now(),
            crossing_point: bounded("crossing_point", crossing_point, 64)?,
            authority: format!("{}:{}", self.member_state(), access.principal.user),
        })
    }

    async fn ees_authorize(
        &self,
        access: &Access,
        action: Action,
        what: &str,
        query: &serde_json::Value,
    ) -> Result<(), HubError> {
        // Border and immigration work only: law enforcement goes through `le` (Art 29-32).
        if let Some(purpose) = access.purpose
            && purpose == Purpose::LawEnforcement
        {
            let entry = access.entry(
                what,
                query.clone(),
                vec![],
                "denied: law-enforcement access goes through a reasoned request to the central access point",
            );
            self.store.append(entry).await?;
            return Err(HubError::PurposeNotAllowed(purpose));
        }
        // The kiosk's one matrix rule (write, border_check) serves the pre-enrolment alone: an
        // entry, exit, refusal or confirmation needs a role that grants it without the kiosk.
        if what != kiosk::ACTION_PREENROL
            && access.principal.roles.contains(&Role::Kiosk)
            && let Some(purpose) = access.purpose
        {
            let others: Vec<Role> = access
                .principal
                .roles
                .iter()
                .copied()
                .filter(|role| *role != Role::Kiosk)
                .collect();
            if self
                .matrix
                .decide(&others, purpose, action, DataCategory::EesRecord)
                .is_none()
            {
                let entry = access.entry(
                    what,
                    query.clone(),
                    vec![],
                    "denied: the kiosk role only submits pre-enrolments",
                );
                self.store.append(entry).await?;
                return Err(HubError::Forbidden {
                    action,
                    category: DataCategory::EesRecord,
                    purpose,
                });
            }
        }
        self.authorize(access, action, DataCategory::EesRecord, what, query)
            .await
    }

    /// Finds the file for the traveller's document, or makes a new one, with the newest identity
    /// and biometric references.
    async fn file_for(
        &self,
        central: &dyn CentralEes,
        input: &TravellerInput,
    ) -> Result<IndividualFile, HubError> {
        let existing = central
            .find_file(
                input.document.issuing_country.clone(),
                input.document.number.clone(),
            )
            .await?;
        let id = match &existing {
            Some(file) => file.id,
            None => FileId(random_id()?),
        };
        let mut file = to_file(id, input);
        if let Some(old) = existing {
            // Keep biometrics already enrolled when this crossing did not take new ones.
            file.facial_image = file.facial_image.or(old.facial_image);
            if !under_12(file.identity.birth_date, self.today()) {
                file.fingerprints = file.fingerprints.or(old.fingerprints);
            }
        }
        Ok(file)
    }

    /// Writes a record centrally, then in the national copy with its journal entry.
    async fn ees_commit(
        &self,
        central: &dyn CentralEes,
        access: &Access,
        action: &str,
        query: serde_json::Value,
        file: &IndividualFile,
        record: StoredRecord,
    ) -> Result<(), HubError> {
        central
            .put(
                self.member_state().to_owned(),
                file.clone(),
                Some(record.clone()),
            )
            .await?;
        let ids = vec![
            format!("ees_file:{}", central::file_key(file.id)),
            format!(
                "ees_record:{}",
                central::record_key(record.file(), record.id())
            ),
        ];
        self.ees_national()
            .put(file, Some(&record), access.entry(action, query, ids, "ok"))
            .await
    }

    /// Registers an entry (Art 14, 16): the end of the authorised stay is the 90/180 limit from
    /// today, or the visa's last day when earlier.
    pub async fn ees_entry(&self, access: &Access, request: EntryRequest) -> EesResult<Registered> {
        let query = json!({
            "crossing_point": request.crossing_point,
            "document": request.traveller.document.number,
            "issuing_country": request.traveller.document.issuing_country,
        });
        self.ees_authorize(access, Action::Write, "ees.entry", &query)
            .await?;
        let today = self.today();
        validate_traveller(&request.traveller, today, true)?;
        let crossing = self.crossing(access, &request.crossing_point)?;
        let central = self.ees_central();
        let file = self.file_for(&central, &request.traveller).await?;
        let records = central.records(file.id).await?;
        if records.entries.iter().any(|r| r.exit.is_none()) {
            return Err(HubError::Conflict(
                "an entry without exit is already recorded for this document: record the exit first"
                    .to_owned(),
            )
            .into());
        }
        let status = stay_status(&records, today);
        let max = status.max_stay_days.unwrap_or(0);
        if max == 0 {
            return Err(EesError::NoDaysLeft);
        }
        let mut end = today + Duration::days(i64::from(max) - 1);
        if let Some(until) = request.authorised_until {
            if until < today {
                return Err(
                    HubError::InvalidInput("authorised_until is in the past".to_owned()).into(),
                );
            }
            end = end.min(until);
        }
        let record = EntryExitRecord {
            id: RecordId(random_id()?),
            file: file.id,
            entry: crossing,
            basis: request.basis,
            end_of_authorised_stay: end,
            exit: None,
        };
        let record_id = record.id;
        let stored = StoredRecord::Entry {
            member_state: self.member_state().to_owned(),
            nationality: file.identity.nationality.clone(),
            record,
        };
        self.ees_commit(&central, access, "ees.entry", query, &file, stored)
            .await?;
        let records = central.records(file.id).await?;
        Ok(Registered {
            file_id: file.id,
            record_id,
            status: stay_status(&records, today),
        })
    }

    /// Records the exit on the open entry of the document's file, whichever State recorded the
    /// entry (Art 16(3)).
    pub async fn ees_exit(&self, access: &Access, request: ExitRequest) -> EesResult<Registered> {
        let query = json!({
            "crossing_point": request.crossing_point,
            "document": request.document_number,
            "issuing_country": request.issuing_country,
        });
        self.ees_authorize(access, Action::Write, "ees.exit", &query)
            .await?;
        let crossing = self.crossing(access, &request.crossing_point)?;
        let central = self.ees_central();
        let file = central
            .find_file(
                request.issuing_country.clone(),
                request.document_number.clone(),
            )
            .await?
            .ok_or(EesError::NoOpenEntry)?;
        let records = central.records(file.id).await?;
        let mut open = records
            .entries
            .iter()
            .filter(|r| r.exit.is_none())
            .max_by_key(|r| r.entry.at)
            .cloned()
            .ok_or(EesError::NoOpenEntry)?;
        let entered_in = records
            .states
            .iter()
            .find(|(id, _)| *id == open.id)
            .map(|(_, state)| state.clone())
            .unwrap_or_else(|| self.member_state().to_owned());
        open.exit = Some(crossing);
        let record_id = open.id;
        // The central record keeps the entering State; the exit made here is this State's own
        // record, so the national copy keeps it too.
        let stored = StoredRecord::Entry {
            member_state: entered_in,
            nationality: file.identity.nationality.clone(),
            record: open,
        };
        self.ees_commit(&central, access, "ees.exit", query, &file, stored)
            .await?;
        let records = central.records(file.id).await?;
        Ok(Registered {
            file_id: file.id,
            record_id,
            status: stay_status(&records, self.today()),
        })
    }

    /// Records a refusal of entry (Art 18) with its Annex V letters; B, D and H need the
    /// biometrics. Free-movement nationals are never refused through this form.
    pub async fn ees_refusal(
        &self,
        access: &Access,
        request: RefusalRequest,
    ) -> EesResult<Registered> {
        let query = json!({
            "crossing_point": request.crossing_point,
            "document": request.traveller.document.number,
            "issuing_country": request.traveller.document.issuing_country,
            "reasons": request.reasons,
        });
        self.ees_authorize(access, Action::Write, "ees.refusal", &query)
            .await?;
        let today = self.today();
        let mut letters = Vec::new();
        for text in &request.reasons {
            letters.push(
                ReasonLetter::parse(text.trim())
                    .map_err(|e| HubError::InvalidInput(e.to_string()))?,
            );
        }
        letters.sort();
        letters.dedup();
        let needs_biometrics = refusal_reasons()
            .needs_biometrics(&letters)
            .map_err(|e| HubError::InvalidInput(e.to_string()))?;
        validate_traveller(&request.traveller, today, needs_biometrics)?;
        let crossing = self.crossing(access, &request.crossing_point)?;
        let central = self.ees_central();
        let file = self.file_for(&central, &request.traveller).await?;
        let record = RefusalRecord {
            id: RecordId(random_id()?),
            file: file.id,
            refused: crossing,
            reasons: letters,
        };
        let record_id = record.id;
        let stored = StoredRecord::Refusal {
            member_state: self.member_state().to_owned(),
            nationality: file.identity.nationality.clone(),
            record,
        };
        self.ees_commit(&central, access, "ees.refusal", query, &file, stored)
            .await?;
        let records = central.records(file.id).await?;
        Ok(Registered {
            file_id: file.id,
            record_id,
            status: stay_status(&records, today),
        })
    }

    /// Reads a file from the central EES without journalling (callers journal).
    pub(crate) async fn ees_load(
        &self,
        central: &dyn CentralEes,
        file: Option<FileId>,
        document: Option<(&str, &str)>,
    ) -> Result<Option<FileView>, HubError> {
        let found = match (file, document) {
            (Some(id), _) => central.file(id).await?,
            (None, Some((issuing, number))) => {
                central
                    .find_file(issuing.to_owned(), number.to_owned())
                    .await?
            }
            (None, None) => None,
        };
        let Some(file) = found else {
            return Ok(None);
        };
        let records = central.records(file.id).await?;
        let status = stay_status(&records, self.today());
        Ok(Some(FileView {
            file,
            entries: records.entries,
            refusals: records.refusals,
            status,
        }))
    }

    pub(crate) fn ees_record_ids(view: &FileView) -> Vec<String> {
        let mut ids = vec![format!(
            "ees_central_file:{}",
            central::file_key(view.file.id)
        )];
        ids.extend(view.entries.iter().map(|r| {
            format!(
                "ees_central_record:{}",
                central::record_key(view.file.id, r.id)
            )
        }));
        ids.extend(view.refusals.iter().map(|r| {
            format!(
                "ees_central_record:{}",
                central::record_key(view.file.id, r.id)
            )
        }));
        ids
    }

    /// A person's file and stay status, by file id or by travel document.
    pub async fn ees_file(
        &self,
        access: &Access,
        file: Option<FileId>,
        document: Option<(&str, &str)>,
    ) -> EesResult<FileView> {
        let query = json!({
            "file": file.map(central::file_key),
            "issuing_country": document.map(|d| d.0),
            "document": document.map(|d| d.1),
        });
        self.ees_authorize(access, Action::Read, "ees.file", &query)
            .await?;
        if file.is_none() && document.is_none() {
            return Err(HubError::InvalidInput(
                "give a file id or issuing_country and document_number".to_owned(),
            )
            .into());
        }
        let view = self
            .ees_load(&self.ees_central(), file, document)
            .await?
            .ok_or_else(|| HubError::NotFound("EES file".to_owned()))?;
        self.answer(access, "ees.file", query, Self::ees_record_ids(&view))
            .await?;
        Ok(view)
    }

    /// The overstayers on today's date (the clock's): entry records with no exit after the end
    /// of the authorised stay (Art 12), all States' records, computed at each call.
    pub async fn ees_overstayers(&self, access: &Access) -> EesResult<Vec<Overstayer>> {
        let query = json!({});
        self.ees_authorize(access, Action::Search, "ees.overstayers", &query)
            .await?;
        let list = self.ees_overstayer_scan().await?;
        let ids = list
            .iter()
            .map(|o| {
                format!(
                    "ees_central_record:{}",
                    central::record_key(o.file_id, o.record_id)
                )
            })
            .collect();
        self.answer(access, "ees.overstayers", query, ids).await?;
        Ok(list)
    }

    pub(crate) async fn ees_overstayer_scan(&self) -> Result<Vec<Overstayer>, HubError> {
        let today = self.today();
        let as_of = Day::from_date(today);
        let central = self.ees_central();
        let mut open: Vec<(EntryExitRecord, String)> = Vec::new();
        EesArea::new(self.store.clone(), "ees_central")
            .for_each_record(|stored| {
                if let StoredRecord::Entry {
                    record,
                    member_state,
                    ..
                } = stored
                {
                    let compact = OverstayRecord::new(
                        record.file.0,
                        Day::from_date(record.end_of_authorised_stay),
                        record.exit.as_ref().map(|x| Day::from_date(x.at.date())),
                    );
                    if compact.is_overstaying(as_of) {
                        open.push((record, member_state));
                    }
                }
            })
            .await?;
        let mut files: BTreeMap<FileId, Option<IndividualFile>> = BTreeMap::new();
        let mut list = Vec::new();
        for (record, member_state) in open {
            if let std::collections::btree_map::Entry::Vacant(slot) = files.entry(record.file) {
                slot.insert(central.file(record.file).await?);
            }
            let file = files.get(&record.file).cloned().flatten();
            let (surname, given_names, nationality) = match file {
                Some(f) => (
                    f.identity.surname,
                    f.identity.given_names,
                    f.identity.nationality,
                ),
                None => (String::new(), String::new(), None),
            };
            list.push(Overstayer {
                file_id: record.file,
                record_id: record.id,
                surname,
                given_names,
                nationality,
                end_of_authorised_stay: record.end_of_authorised_stay,
                days_overstayed: (today - record.end_of_authorised_stay).whole_days(),
                entered_via: member_state,
            });
        }
        list.sort_by_key(|o| std::cmp::Reverse(o.days_overstayed));
        Ok(list)
    }

    /// The EES panel of a border check: the stay status of a third-country national's document,
    /// when the caller may search EES records. Returns the ids consulted, for the check's journal
    /// entry. `None` for free-movement nationals and when no document is known.
    pub async fn ees_for_border_check(
        &self,
        access: &Access,
        nationality: Option<&str>,
        issuing_country: Option<&str>,
        document_number: Option<&str>,
    ) -> Result<(Option<BorderEes>, Vec<String>), HubError> {
        let allowed = access.purpose.is_some_and(|purpose| {
            self.matrix
                .decide(
                    &access.principal.roles,
                    purpose,
                    Action::Search,
                    DataCategory::EesRecord,
                )
                .is_some()
        });
        let (Some(issuing), Some(number)) = (issuing_country, document_number) else {
            return Ok((None, Vec::new()));
        };
        if !allowed || nationality.is_some_and(is_free_movement_national) {
            return Ok((None, Vec::new()));
        }
        match self
            .ees_load(&self.ees_central(), None, Some((issuing, number)))
            .await?
        {
            Some(view) => {
                let ids = Self::ees_record_ids(&view);
                Ok((
                    Some(BorderEes {
                        registered: true,
                        file_id: Some(view.file.id),
                        status: Some(view.status),
                    }),
                    ids,
                ))
            }
            None => Ok((
                Some(BorderEes {
                    registered: false,
                    file_id: None,
                    status: None,
                }),
                Vec::new(),
            )),
        }
    }
}
