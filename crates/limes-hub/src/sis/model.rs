//! The alert model of the SIS national copy and of the two national lists, and the validation of
//! one import line. Validation is pure so that a whole file can be checked before anything is
//! written (an import is all or nothing).

use limes_model::{DataCategory, Identity};
use serde::{Deserialize, Serialize};
use time::Date;

/// Record kinds in the store.
pub const KIND_SIS: &str = "sis_alert";
pub const KIND_WATCHLIST: &str = "watchlist_entry";
pub const KIND_DOCUMENT: &str = "lost_document";

/// Which list a file or a record belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    /// The SIS national copy (persons and objects).
    Sis,
    /// The national watch list of persons.
    Watchlist,
    /// The national lost and stolen documents list (standing in for Interpol SLTD too).
    Documents,
}

impl ListKind {
    pub fn record_kind(self) -> &'static str {
        match self {
            ListKind::Sis => KIND_SIS,
            ListKind::Watchlist => KIND_WATCHLIST,
            ListKind::Documents => KIND_DOCUMENT,
        }
    }
    pub fn from_record_kind(kind: &str) -> Option<Self> {
        match kind {
            KIND_SIS => Some(ListKind::Sis),
            KIND_WATCHLIST => Some(ListKind::Watchlist),
            KIND_DOCUMENT => Some(ListKind::Documents),
            _ => None,
        }
    }
    /// The `source` of a hit from this list.
    pub fn source(self) -> &'static str {
        match self {
            ListKind::Sis => "sis",
            ListKind::Watchlist => "national_watchlist",
            ListKind::Documents => "lost_stolen_documents",
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            ListKind::Sis => "sis",
            ListKind::Watchlist => "watchlist",
            ListKind::Documents => "documents",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    Person,
    Object,
}

/// Alert categories as the issue lists them, with the article each stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertCategory {
    /// Reg 2018/1862 Art 26.
    Arrest,
    /// Art 32(1)(a).
    MissingProtect,
    /// Art 32(1)(b).
    Missing,
    /// Art 32(1)(c).
    ChildAbductionRisk,
    /// Art 32(1)(d).
    ChildTravelPrevention,
    /// Art 32(1)(e).
    VulnerableAdultTravelPrevention,
    /// Art 34.
    JudicialProcedure,
    /// Art 36.
    DiscreetCheck,
    InquiryCheck,
    SpecificCheck,
    /// Art 40: prints only.
    UnknownWanted,
    /// Reg 2018/1861 Art 24.
    RefusalOfEntry,
    /// Reg 2018/1860.
    Return,
    // Objects, Art 38(2).
    Vehicle,
    NumberPlate,
    Boat,
    Aircraft,
    Firearm,
    DocumentIssued,
    DocumentBlank,
    VehicleRegistration,
    Banknote,
    ItEquipment,
    Other,
}

impl AlertCategory {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertCategory::Arrest => "arrest",
            AlertCategory::MissingProtect => "missing_protect",
            AlertCategory::Missing => "missing",
            AlertCategory::ChildAbductionRisk => "child_abduction_risk",
            AlertCategory::ChildTravelPrevention => "child_travel_prevention",
            AlertCategory::VulnerableAdultTravelPrevention => "vulnerable_adult_travel_prevention",
            AlertCategory::JudicialProcedure => "judicial_procedure",
            AlertCategory::DiscreetCheck => "discreet_check",
            AlertCategory::InquiryCheck => "inquiry_check",
            AlertCategory::SpecificCheck => "specific_check",
            AlertCategory::UnknownWanted => "unknown_wanted",
            AlertCategory::RefusalOfEntry => "refusal_of_entry",
            AlertCategory::Return => "return",
            AlertCategory::Vehicle => "vehicle",
            AlertCategory::NumberPlate => "number_plate",
            AlertCategory::Boat => "boat",
            AlertCategory::Aircraft => "aircraft",
            AlertCategory::Firearm => "firearm",
            AlertCategory::DocumentIssued => "document_issued",
            AlertCategory::DocumentBlank => "document_blank",
            AlertCategory::VehicleRegistration => "vehicle_registration",
            AlertCategory::Banknote => "banknote",
            AlertCategory::ItEquipment => "it_equipment",
            AlertCategory::Other => "other",
        }
    }

    pub fn kind(self) -> AlertKind {
        use AlertCategory::*;
        match self {
            Arrest
            | MissingProtect
            | Missing
            | ChildAbductionRisk
            | ChildTravelPrevention
            | VulnerableAdultTravelPrevention
            | JudicialProcedure
            | DiscreetCheck
            | InquiryCheck
            | SpecificCheck
            | UnknownWanted
            | RefusalOfEntry
            | Return => AlertKind::Person,
            _ => AlertKind::Object,
        }
    }

    /// Whether an object alert of this category is a travel document (matched at the border by
    /// number and issuing country).
    pub fn is_document(self) -> bool {
        matches!(
            self,
            AlertCategory::DocumentIssued | AlertCategory::DocumentBlank
        )
    }

    /// The key of `[next_step]` in `config/sis.toml`.
    pub fn next_step_key(self) -> &'static str {
        match self.kind() {
            AlertKind::Person => self.as_str(),
            AlertKind::Object if self.is_document() => "document",
            AlertKind::Object => "object",
        }
    }
}

/// An object as an alert describes it; unknown fields are kept in `extra` by the caller's JSON.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertObject {
    #[serde(rename = "type", default)]
    pub object_type: String,
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub country: Option<String>,
    /// stolen, misappropriated, lost, invalid, false (Art 38(2)).
    #[serde(default)]
    pub status: Option<String>,
}

/// A recorded extension of an alert's expiry after an individual assessment (Art 53(6)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    #[serde(with = "time::serde::rfc3339")]
    pub at: time::OffsetDateTime,
    pub by: String,
    #[serde(with = "iso_date")]
    pub new_expiry: Date,
    pub assessment: String,
}

/// One SIS alert: the import line's contract, plus what the hub records over its life.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub id: String,
    pub kind: AlertKind,
    pub category: AlertCategory,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<AlertObject>,
    #[serde(default)]
    pub markers: Vec<String>,
    /// The issuer's flags (Arts 24-25): the action is not executed on this state's territory.
    #[serde(default)]
    pub flags: Vec<String>,
    #[serde(default)]
    pub action: String,
    pub issuing_country: String,
    #[serde(with = "iso_date")]
    pub expires_at: Date,
    #[serde(
        default,
        with = "opt_iso_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub review_at: Option<Date>,
    #[serde(default)]
    pub minor: bool,
    /// Art 26(4): made unavailable to end users during an operation; SIRENE only.
    #[serde(default)]
    pub sirene_only: bool,
    #[serde(default)]
    pub extensions: Vec<Extension>,
}

impl Alert {
    /// The access-matrix category this alert is read under.
    pub fn data_category(&self) -> DataCategory {
        match self.category {
            AlertCategory::UnknownWanted => DataCategory::SisUnknownWanted,
            AlertCategory::RefusalOfEntry | AlertCategory::Return => DataCategory::SisImmigration,
            AlertCategory::Arrest if self.sirene_only => DataCategory::SisPersonSireneOnly,
            c if c.kind() == AlertKind::Object => DataCategory::SisObject,
            _ => DataCategory::SisPerson,
        }
    }
}

/// An entry of the national watch list of persons.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WatchEntry {
    pub id: String,
    pub identity: Identity,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub markers: Vec<String>,
    #[serde(default)]
    pub action: String,
    #[serde(
        default,
        with = "opt_iso_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub expires_at: Option<Date>,
}

/// An entry of the national lost/stolen documents list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LostDocument {
    pub id: String,
    pub number: String,
    pub country: String,
    #[serde(rename = "type", default)]
    pub document_type: String,
    /// lost, stolen, invalid, revoked…
    #[serde(default)]
    pub status: String,
    /// Who reported it (national police, Interpol SLTD…).
    #[serde(default)]
    pub source: String,
    #[serde(
        default,
        with = "opt_iso_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub expires_at: Option<Date>,
}

/// One validated line of an import file.
#[derive(Clone, Debug, PartialEq)]
pub enum ListRecord {
    Alert(Box<Alert>),
    Watch(Box<WatchEntry>),
    Document(LostDocument),
}

impl ListRecord {
    pub fn id(&self) -> &str {
        match self {
            ListRecord::Alert(a) => &a.id,
            ListRecord::Watch(w) => &w.id,
            ListRecord::Document(d) => &d.id,
        }
    }
    pub fn list(&self) -> ListKind {
        match self {
            ListRecord::Alert(_) => ListKind::Sis,
            ListRecord::Watch(_) => ListKind::Watchlist,
            ListRecord::Document(_) => ListKind::Documents,
        }
    }
    /// The document keys (issuing country + number) this record names: a person's documents,
    /// a document alert's object, a lost document.
    pub fn document_keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        match self {
            ListRecord::Alert(alert) => {
                if alert.category != AlertCategory::UnknownWanted
                    && alert.kind == AlertKind::Person
                    && let Some(identity) = &alert.identity
                {
                    for doc in &identity.documents {
                        keys.push(document_key(doc.country.as_deref(), &doc.number));
                    }
                }
                if let Some(object) = &alert.object
                    && alert.category.is_document()
                {
                    keys.push(document_key(object.country.as_deref(), &object.number));
                }
            }
            ListRecord::Watch(watch) => {
                for doc in &watch.identity.documents {
                    keys.push(document_key(doc.country.as_deref(), &doc.number));
                }
            }
            ListRecord::Document(doc) => keys.push(document_key(Some(&doc.country), &doc.number)),
        }
        keys.sort();
        keys.dedup();
        keys
    }
    /// The store body, serialised straight from the record (no `Value` tree).
    pub fn body(&self) -> Result<limes_store::JsonText, crate::HubError> {
        match self {
            ListRecord::Alert(a) => crate::error::body_of(a),
            ListRecord::Watch(w) => crate::error::body_of(w),
            ListRecord::Document(d) => crate::error::body_of(d),
        }
    }
    /// A stored body parsed straight from its text (no `Value` tree): the projection rebuild
    /// reads 20 M of them at start.
    pub fn from_text(list: ListKind, body: &str) -> Option<Self> {
        let mut de = serde_json::Deserializer::from_str(body);
        let record = Self::decode(list, &mut de)?;
        de.end().ok()?;
        Some(record)
    }
    pub fn from_json(list: ListKind, body: serde_json::Value) -> Option<Self> {
        Self::decode(list, body)
    }
    /// The record kind of `list`, from any JSON source.
    fn decode<'de, D: serde::Deserializer<'de>>(list: ListKind, de: D) -> Option<Self> {
        use serde::Deserialize;
        match list {
            ListKind::Sis => Deserialize::deserialize(de)
                .ok()
                .map(|a| ListRecord::Alert(Box::new(a))),
            ListKind::Watchlist => Deserialize::deserialize(de)
                .ok()
                .map(|w| ListRecord::Watch(Box::new(w))),
            ListKind::Documents => Deserialize::deserialize(de).ok().map(ListRecord::Document),
        }
    }
}

/// Longest id accepted; ids end up in journal entries and URLs.
const ID_MAX: usize = 64;

fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() || id.len() > ID_MAX {
        return Err(format!("\"id\" must be 1-{ID_MAX} characters"));
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
    {
        return Err("\"id\" may hold only letters, digits, '-', '_', '.' and ':'".to_owned());
    }
    Ok(())
}

fn check_country(field: &str, text: &str) -> Result<(), String> {
    limes_model::country::alpha3(text)
        .map(|_| ())
        .ok_or_else(|| format!("{field} {text:?} is not a known country code"))
}

fn has_name(identity: &Identity) -> bool {
    !identity.surname.trim().is_empty()
        || !identity.given_names.trim().is_empty()
        || identity
            .aliases
            .iter()
            .any(|a| !a.surname.trim().is_empty() || !a.given_names.trim().is_empty())
}

/// Parses and validates one line of an import file of `list`; the error says what is wrong.
pub fn parse_line(list: ListKind, line: &str) -> Result<ListRecord, String> {
    match list {
        ListKind::Sis => {
            let alert: Alert = serde_json::from_str(line).map_err(|e| e.to_string())?;
            validate_alert(&alert)?;
            Ok(ListRecord::Alert(Box::new(alert)))
        }
        ListKind::Watchlist => {
            let entry: WatchEntry = serde_json::from_str(line).map_err(|e| e.to_string())?;
            check_id(&entry.id)?;
            if entry.identity.surname.trim().is_empty() {
                return Err("a watch-list entry needs identity.surname".to_owned());
            }
            Ok(ListRecord::Watch(Box::new(entry)))
        }
        ListKind::Documents => {
            let doc: LostDocument = serde_json::from_str(line).map_err(|e| e.to_string())?;
            check_id(&doc.id)?;
            if normalize_number(&doc.number).is_empty() {
                return Err("\"number\" must hold letters or digits".to_owned());
            }
            check_country("\"country\"", &doc.country)?;
            Ok(ListRecord::Document(doc))
        }
    }
}

/// The rules of one alert (Art 20(3), Art 22 minimum data, Art 40 prints only).
pub fn validate_alert(alert: &Alert) -> Result<(), String> {
    check_id(&alert.id)?;
    if alert.category.kind() != alert.kind {
        return Err(format!(
            "category {} is not a {} category",
            alert.category.as_str(),
            match alert.kind {
                AlertKind::Person => "person",
                AlertKind::Object => "object",
            }
        ));
    }
    check_country("\"issuing_country\"", &alert.issuing_country)?;
    match alert.kind {
        AlertKind::Person => {
            if alert.object.is_some() {
                return Err("a person alert has no \"object\"".to_owned());
            }
            match (&alert.identity, alert.category) {
                (Some(identity), AlertCategory::UnknownWanted) if has_name(identity) => {
                    return Err(
                        "unknown_wanted (Art 40) alerts hold prints only, never names".to_owned(),
                    );
                }
                (_, AlertCategory::UnknownWanted) => {}
                (None, _) => return Err("a person alert needs \"identity\"".to_owned()),
                (Some(identity), _) => {
                    if identity.surname.trim().is_empty() {
                        return Err("a person alert needs identity.surname (Art 22)".to_owned());
                    }
                    if identity.birth_date.is_none() {
                        return Err("a person alert needs identity.birth_date (Art 22)".to_owned());
                    }
                }
            }
            if alert.action.trim().is_empty() {
                return Err("a person alert needs \"action\" (Art 22)".to_owned());
            }
        }
        AlertKind::Object => {
            if alert.identity.is_some() {
                return Err("an object alert has no \"identity\"".to_owned());
            }
            let Some(object) = &alert.object else {
                return Err("an object alert needs \"object\"".to_owned());
            };
            if normalize_number(&object.number).is_empty() {
                return Err("object.number must hold letters or digits".to_owned());
            }
            if let Some(country) = &object.country {
                check_country("object.country", country)?;
            } else if alert.category.is_document() {
                return Err("a document alert needs object.country".to_owned());
            }
        }
    }
    if alert.sirene_only && alert.category != AlertCategory::Arrest {
        return Err("only arrest alerts can be SIRENE-only (Art 26(4))".to_owned());
    }
    Ok(())
}

/// A document number as compared: letters and digits only, upper case (MRZ fillers, spaces and
/// dashes vary between sources).
pub fn normalize_number(number: &str) -> String {
    number
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The key of the document index: issuing country (alpha-3) and normalised number.
pub fn document_key(country: Option<&str>, number: &str) -> String {
    let country = country
        .and_then(limes_model::country::alpha3)
        .map(|c| c.to_string())
        .unwrap_or_default();
    format!("{country}|{}", normalize_number(number))
}

/// Dates as `YYYY-MM-DD` (the import contract), as the EES writes them; reading also takes a
/// timestamp and keeps its date, because alert feeds send either.
pub mod iso_date {
    use serde::{Deserialize, Deserializer};
    use time::Date;

    pub use limes_ees::record::iso_date::{format, serialize};

    pub fn parse(text: &str) -> Result<Date, String> {
        limes_ees::record::iso_date::parse(text.get(..10).unwrap_or(text))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = String::deserialize(d)?;
        parse(&text).map_err(serde::de::Error::custom)
    }
}

/// As [`iso_date`], for optional dates (`null` or absent is `None`).
pub mod opt_iso_date {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub fn serialize<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => s.serialize_str(&super::iso_date::format(*date)),
            None => s.serialize_none(),
        }
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        let text = Option::<String>::deserialize(d)?;
        text.map(|t| super::iso_date::parse(&t).map_err(serde::de::Error::custom))
            .transpose()
    }
}
