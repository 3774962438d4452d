//! The systematic border check (Schengen Borders Code Art 8): one traveller's MRZ and/or identity
//! data against the SIS national copy (persons fuzzy by the matching engine, documents exactly),
//! the national watch list and the lost/stolen documents list, plus the document's own validity.
//!
//! Design of the discreet check (Reg 2018/1862 Art 37(3): the person must in no way learn of the
//! alert): the answer has one kiosk-safe summary, `gate` ("proceed" or "refer"), and a discreet-check
//! hit does NOT change it — a traveller with only a discreet-check hit gets exactly the `gate` of a
//! clean traveller. The hit itself is in `hits` (for the officer's screen only, which shows it
//! outside the coloured banner) with a `next_step` telling the officer to let the traveller pass
//! and to fill in the Art 37 report. Kiosks and e-gates must show `gate` only.

#[cfg(test)]
mod tests;

use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

use limes_formats::{MrzIssueKind, parse_mrz};
use limes_match::ScreenOptions;
use limes_model::{Action, DataCategory, DocumentRef, Identity, PartialDate, Purpose, Sex};
use limes_store::RecordWrite;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::gate::Access;
use crate::sirene::{self, SireneCase};
use crate::sis::{AlertCategory, ListKind, ListRecord, SisEntry, document_key};
use crate::{Hub, HubError};

pub const KIND_CHECK: &str = "border_check";
pub const KIND_STATS: &str = "hit_stats";

/// Categories a border check consults, each only if the caller's roles may search it.
const CONSULTED: &[DataCategory] = &[
    DataCategory::SisPerson,
    DataCategory::SisPersonSireneOnly,
    DataCategory::SisImmigration,
    DataCategory::SisObject,
    DataCategory::NationalWatchlist,
    DataCategory::LostStolenDocument,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Entry,
    Exit,
}

/// Identity data typed in by the officer (when there is no MRZ, or to complete it).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct TravellerInput {
    #[serde(default)]
    pub surname: String,
    #[serde(default)]
    pub given_names: String,
    #[serde(default)]
    pub birth_date: Option<PartialDate>,
    #[serde(default)]
    pub nationality: Option<String>,
    #[serde(default)]
    pub sex: Option<Sex>,
    #[serde(default)]
    pub document_type: Option<String>,
    #[serde(default)]
    pub document_number: Option<String>,
    #[serde(default)]
    pub issuing_state: Option<String>,
    #[serde(default)]
    pub expiry_date: Option<PartialDate>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BorderCheckRequest {
    /// The MRZ lines as read (joined by newlines).
    #[serde(default)]
    pub mrz: Option<String>,
    #[serde(default)]
    pub identity: Option<TravellerInput>,
    pub crossing_point: String,
    pub direction: Direction,
    /// For a minor: who accompanies them (name and document), recorded with the check.
    #[serde(default)]
    pub accompanying_adult: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Traveller {
    pub surname: String,
    pub given_names: String,
    pub birth_date: Option<PartialDate>,
    pub nationality: Option<String>,
    pub sex: Option<Sex>,
    pub document_type: Option<String>,
    pub document_number: Option<String>,
    pub issuing_state: Option<String>,
    pub expiry_date: Option<PartialDate>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DocumentFinding {
    /// expired, check_digit, invalid_date, invalid_character, invalid_value, ocr_confusion,
    /// possibly_truncated.
    pub kind: String,
    pub field: String,
    /// "error" makes the document unusable for crossing; "warning" asks the officer to look.
    pub severity: String,
    pub detail: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct HitDecision {
    pub decision: Verdict,
    pub reason: String,
    pub by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    #[serde(default)]
    pub case_id: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Confirm,
    Reject,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BorderHit {
    /// Position in `hits`, used by the decision endpoint.
    pub n: usize,
    /// sis, national_watchlist or lost_stolen_documents.
    pub source: String,
    pub record_id: String,
    pub category: String,
    /// "person" (fuzzy, by the matching engine) or "document" (exact number + issuing country).
    #[serde(rename = "match")]
    pub match_kind: String,
    pub score: f64,
    pub explanation: Vec<String>,
    pub markers: Vec<String>,
    pub flags: Vec<String>,
    pub action: String,
    pub next_step: String,
    pub issuing_country: Option<String>,
    /// A discreet check: let pass, reveal nothing, report under Art 37.
    pub discreet: bool,
    /// The record's person or object, for the officer to compare.
    pub record: Value,
    pub decision: Option<HitDecision>,
    /// The Art 37 report filed on this hit (Art 36 checks), officer-facing only.
    #[serde(default)]
    pub report_id: Option<String>,
}

/// The answer to one border check (and the stored record of it).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BorderCheck {
    pub id: String,
    #[serde(with = "time::serde::rfc3339")]
    pub checked_at: OffsetDateTime,
    pub checked_by: String,
    pub crossing_point: String,
    pub direction: Direction,
    /// The kiosk-safe summary: "proceed" or "refer"; a discreet check never changes it.
    pub gate: String,
    pub traveller: Traveller,
    pub document_findings: Vec<DocumentFinding>,
    pub hits: Vec<BorderHit>,
    pub minor: bool,
    pub age: Option<i32>,
    pub accompanying_adult: Option<String>,
    /// The EES stay calculation (issue "EES"); not consulted by this check yet.
    pub stay: Option<Value>,
    /// EES: the stay status of a third-country national (filled by `Hub::ees_for_border_check`).
    #[serde(default)]
    pub ees: Option<crate::ees::BorderEes>,
}

impl BorderCheck {
    /// The officer-facing verdict: "hit", "document_findings" or "clean" (the CLI's exit code).
    pub fn officer_outcome(&self) -> &'static str {
        if !self.hits.is_empty() {
            "hit"
        } else if !self.document_findings.is_empty() {
            "document_findings"
        } else {
            "clean"
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    pub decision: Verdict,
    pub reason: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct DecisionOutcome {
    pub check_id: String,
    pub hit: usize,
    pub decision: Verdict,
    pub case: Option<SireneCase>,
}

/// True and false hits as decided by guards, per name culture (the traveller's nationality stands
/// in for the name culture: limes-match does not classify names).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct HitStats {
    pub culture: String,
    pub true_hits: u64,
    pub false_hits: u64,
}

/// A record found in memory, before its full record is read.
struct Candidate {
    entry: SisEntry,
    match_kind: &'static str,
    score: f64,
    explanation: Vec<String>,
    /// For document matches: the key looked up (checked against the full record).
    document_key: Option<String>,
}

/// The person of a record as shown to the guard to compare.
fn person_shown(identity: &Identity) -> Value {
    json!({
        "surname": identity.surname, "given_names": identity.given_names,
        "birth_date": identity.birth_date, "nationality": identity.nationality,
        "sex": identity.sex,
    })
}

/// Where one border check spent its time (server side, monotonic clock; measurement only, never
/// part of a decision or a record): `matching` the in-memory person and document look-ups,
/// `store` reads (outbox catch-up, full records of the hits), `commit` the wait for the durable
/// commit of the check and its journal entry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CheckTiming {
    pub matching: Duration,
    pub store: Duration,
    pub commit: Duration,
    pub total: Duration,
}

/// The last [`TIMINGS_KEPT`] check timings (a bounded ring: cheap, one short lock per check).
#[derive(Default)]
pub(crate) struct Timings(std::sync::Mutex<VecDeque<CheckTiming>>);

const TIMINGS_KEPT: usize = 1 << 18;

impl Timings {
    pub(crate) fn record(&self, timing: CheckTiming) {
        let mut ring = match self.0.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if ring.len() == TIMINGS_KEPT {
            ring.pop_front();
        }
        ring.push_back(timing);
    }
    pub(crate) fn take(&self) -> Vec<CheckTiming> {
        let mut ring = match self.0.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        ring.drain(..).collect()
    }
}

fn finding(kind: &str, field: &str, severity: &str, detail: String) -> DocumentFinding {
    DocumentFinding {
        kind: kind.to_owned(),
        field: field.to_owned(),
        severity: severity.to_owned(),
        detail,
    }
}

fn non_empty(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

impl Hub {
    /// Runs one border check. The check and its journal entry (with the ids of every record hit)
    /// are committed in one transaction before the answer is returned.
    pub async fn border_check(
        &self,
        access: &Access,
        request: BorderCheckRequest,
    ) -> Result<BorderCheck, HubError> {
        let started = Instant::now();
        let mut timing = CheckTiming::default();
        let now = self.now();
        let today = now.date();
        let base_query = json!({
            "crossing_point": request.crossing_point, "direction": request.direction,
        });
        // The endpoint is for border checks only (purpose limitation).
        if let Some(purpose) = access.purpose
            && purpose != Purpose::BorderCheck
        {
            let entry = access.entry(
                "border.check",
                base_query,
                vec![],
                &format!("denied: purpose {purpose} is not border_check"),
            );
            self.store.append(entry).await?;
            return Err(HubError::PurposeNotAllowed(purpose));
        }
        let allowed = |category: DataCategory| match access.purpose {
            Some(purpose) => self
                .matrix
                .decide(&access.principal.roles, purpose, Action::Search, category)
                .is_some(),
            None => false,
        };
        let consulted: Vec<DataCategory> =
            CONSULTED.iter().copied().filter(|c| allowed(*c)).collect();
        if consulted.is_empty() {
            self.authorize(
                access,
                Action::Search,
                DataCategory::SisPerson,
                "border.check",
                &base_query,
            )
            .await?;
        }
        let crossing_point = non_empty(&request.crossing_point)
            .ok_or_else(|| HubError::InvalidInput("crossing_point is required".to_owned()))?;
        if crossing_point.len() > 64 {
            return Err(HubError::InvalidInput(
                "crossing_point has at most 64 characters".to_owned(),
            ));
        }

        // The traveller: the MRZ first, typed data fills in or overrides.
        let mut traveller = Traveller::default();
        let mut findings = Vec::new();
        if let Some(text) = request.mrz.as_deref().filter(|t| !t.trim().is_empty()) {
            let (mrz, issues) =
                parse_mrz(text, today).map_err(|e| HubError::InvalidInput(e.to_string()))?;
            traveller = Traveller {
                surname: mrz.surname,
                given_names: mrz.given_names,
                birth_date: mrz.birth_date,
                nationality: non_empty(&mrz.nationality),
                sex: Some(mrz.sex),
                document_type: non_empty(&mrz.document_type),
                document_number: non_empty(&mrz.document_number),
                issuing_state: non_empty(&mrz.issuing_state),
                expiry_date: mrz.expiry_date,
            };
            for issue in issues {
                let severity = if issue.is_error() { "error" } else { "warning" };
                let detail = match issue.kind {
                    MrzIssueKind::CheckDigit => {
                        format!("the check digit of {} is wrong", issue.field)
                    }
                    MrzIssueKind::OcrConfusion => format!(
                        "line {} column {}: a character OCR often misreads; compare with the printed page",
                        issue.line, issue.column
                    ),
                    kind => format!(
                        "{} at line {} column {}",
                        kind.as_str(),
                        issue.line,
                        issue.column
                    ),
                };
                findings.push(finding(
                    issue.kind.as_str(),
                    issue.field.as_str(),
                    severity,
                    detail,
                ));
            }
        }
        if let Some(typed) = request.identity {
            let pick = |typed: Option<String>, old: Option<String>| {
                typed.and_then(|t| non_empty(&t)).or(old)
            };
            traveller = Traveller {
                surname: non_empty(&typed.surname).unwrap_or(traveller.surname),
                given_names: non_empty(&typed.given_names).unwrap_or(traveller.given_names),
                birth_date: typed.birth_date.or(traveller.birth_date),
                nationality: pick(typed.nationality, traveller.nationality),
                sex: typed.sex.or(traveller.sex),
                document_type: pick(typed.document_type, traveller.document_type),
                document_number: pick(typed.document_number, traveller.document_number),
                issuing_state: pick(typed.issuing_state, traveller.issuing_state),
                expiry_date: typed.expiry_date.or(traveller.expiry_date),
            };
        }
        if traveller.surname.is_empty() && traveller.document_number.is_none() {
            return Err(HubError::InvalidInput(
                "give the MRZ lines or identity data (a surname or a document number)".to_owned(),
            ));
        }
        if let Some(expiry) = traveller.expiry_date.and_then(|d| d.to_date())
            && expiry < today
        {
            findings.push(finding(
                "expired",
                "expiry_date",
                "error",
                format!("the document expired on {expiry}"),
            ));
        }

        // Imports and edits made by other processes on this data directory (the outbox).
        let phase = Instant::now();
        self.sis.refresh(&self.store).await?;
        timing.store += phase.elapsed();

        // Candidates from memory: persons fuzzy, documents exact.
        let phase = Instant::now();
        let config = self.sis.config();
        let mut candidates: Vec<Candidate> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        if !traveller.surname.is_empty() {
            let probe = Identity {
                id: "traveller".to_owned(),
                surname: traveller.surname.clone(),
                given_names: traveller.given_names.clone(),
                birth_date: traveller.birth_date,
                nationality: traveller.nationality.clone(),
                sex: traveller.sex,
                aliases: Vec::new(),
                documents: traveller
                    .document_number
                    .iter()
                    .map(|n| DocumentRef {
                        number: n.clone(),
                        country: traveller.issuing_state.clone(),
                    })
                    .collect(),
            };
            let options = ScreenOptions {
                threshold: config.border.person_hit_threshold,
                max_hits: config.border.max_person_hits,
                explain: true,
            };
            for (hit, entry) in self.sis.screen(&probe, &options) {
                if !allowed(entry.data_category) || !seen.insert(entry.key()) {
                    continue;
                }
                let explanation = hit
                    .explanation
                    .map(|c| {
                        c.evidence
                            .iter()
                            .map(|e| format!("{}: {} ({:+.1} bits)", e.field, e.verdict, e.weight))
                            .collect()
                    })
                    .unwrap_or_default();
                candidates.push(Candidate {
                    entry,
                    match_kind: "person",
                    score: hit.score,
                    explanation,
                    document_key: None,
                });
            }
        }
        if let Some(number) = &traveller.document_number {
            let mut found: Vec<(SisEntry, String)> = self
                .sis
                .documents(traveller.issuing_state.as_deref(), number)
                .into_iter()
                .map(|e| (e, document_key(traveller.issuing_state.as_deref(), number)))
                .collect();
            found.extend(
                self.sis
                    .documents(None, number)
                    .into_iter()
                    .map(|e| (e, document_key(None, number))),
            );
            for (entry, key) in found {
                if !allowed(entry.data_category) || !seen.insert(entry.key()) {
                    continue;
                }
                let explanation = vec![format!(
                    "document {} issued by {} is on the list",
                    number,
                    traveller.issuing_state.as_deref().unwrap_or("?")
                )];
                candidates.push(Candidate {
                    entry,
                    match_kind: "document",
                    score: 1.0,
                    explanation,
                    document_key: Some(key),
                });
            }
        }
        timing.matching += phase.elapsed();

        // The full records of the few that hit: what the guard sees and the action to take.
        let phase = Instant::now();
        let mut hits: Vec<BorderHit> = Vec::new();
        for candidate in candidates {
            let entry = &candidate.entry;
            let Some(record) = self
                .store
                .record(entry.kind(), &entry.id)
                .await?
                .and_then(|body| ListRecord::from_json(entry.list, body))
            else {
                // Deleted since the projection saw it.
                continue;
            };
            if let Some(key) = &candidate.document_key
                && !record.document_keys().contains(key)
            {
                // A hash collision in the document map, not a hit.
                continue;
            }
            hits.push(self.hit_of(&record, &candidate));
        }
        timing.store += phase.elapsed();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        for (n, hit) in hits.iter_mut().enumerate() {
            hit.n = n;
        }

        let age = traveller.birth_date.map(|b| b.age_on(today));
        let minor = age.is_some_and(|a| a < config.border.age_of_majority);
        let refer =
            hits.iter().any(|h| !h.discreet) || findings.iter().any(|f| f.severity == "error");
        let id = format!(
            "bc-{}",
            hex::encode(crate::credentials::random_bytes::<8>()?)
        );
        // EES (Reg 2017/2226 Art 23): the stay status of a third-country national.
        let (ees, ees_ids) = self
            .ees_for_border_check(
                access,
                traveller.nationality.as_deref(),
                traveller.issuing_state.as_deref(),
                traveller.document_number.as_deref(),
            )
            .await?;
        let check = BorderCheck {
            id: id.clone(),
            checked_at: now,
            checked_by: access.principal.user.clone(),
            crossing_point,
            direction: request.direction,
            gate: if refer { "refer" } else { "proceed" }.to_owned(),
            traveller,
            document_findings: findings,
            hits,
            minor,
            age,
            accompanying_adult: request
                .accompanying_adult
                .as_deref()
                .and_then(non_empty)
                .filter(|_| minor),
            stay: None,
            ees,
        };
        let mut record_ids = vec![format!("{KIND_CHECK}:{id}")];
        record_ids.extend(check.hits.iter().map(|h| h.record_id.clone()));
        record_ids.extend(ees_ids);
        let query = json!({
            "crossing_point": check.crossing_point,
            "direction": check.direction,
            "surname": check.traveller.surname,
            "given_names": check.traveller.given_names,
            "birth_date": check.traveller.birth_date,
            "document_number": check.traveller.document_number,
            "issuing_state": check.traveller.issuing_state,
            "consulted": consulted,
        });
        let body = crate::error::body_of(&check)?;
        let phase = Instant::now();
        self.store
            .put_records(
                vec![RecordWrite {
                    kind: KIND_CHECK.to_owned(),
                    id,
                    body,
                }],
                access.entry("border.check", query, record_ids, "ok"),
            )
            .await?;
        timing.commit += phase.elapsed();
        timing.total = started.elapsed();
        self.sis.timings.record(timing);
        Ok(check)
    }

    fn hit_of(&self, record: &ListRecord, candidate: &Candidate) -> BorderHit {
        let config = self.sis.config();
        let (category, markers, flags, action, issuing_country, shown, next_step) = match record {
            ListRecord::Alert(alert) => {
                let shown = match (&alert.identity, &alert.object) {
                    (Some(identity), _) if alert.category != AlertCategory::UnknownWanted => {
                        person_shown(identity)
                    }
                    (_, Some(object)) => serde_json::to_value(object).unwrap_or_default(),
                    _ => Value::Null,
                };
                (
                    alert.category.as_str().to_owned(),
                    alert.markers.clone(),
                    alert.flags.clone(),
                    alert.action.clone(),
                    Some(alert.issuing_country.clone()),
                    shown,
                    config.next_step(alert.category.next_step_key()),
                )
            }
            ListRecord::Watch(watch) => (
                "watchlist".to_owned(),
                watch.markers.clone(),
                Vec::new(),
                if watch.action.is_empty() {
                    watch.reason.clone()
                } else {
                    watch.action.clone()
                },
                None,
                person_shown(&watch.identity),
                config.next_step("watchlist"),
            ),
            ListRecord::Document(doc) => (
                if doc.status.is_empty() {
                    "lost_stolen_document".to_owned()
                } else {
                    doc.status.clone()
                },
                Vec::new(),
                Vec::new(),
                String::new(),
                Some(doc.country.clone()),
                serde_json::to_value(doc).unwrap_or_default(),
                config.next_step("document"),
            ),
        };
        let entry = &candidate.entry;
        BorderHit {
            n: 0,
            source: entry.list.source().to_owned(),
            record_id: format!("{}:{}", entry.list.record_kind(), entry.id),
            category,
            match_kind: candidate.match_kind.to_owned(),
            score: candidate.score,
            explanation: candidate.explanation.clone(),
            markers,
            flags,
            action,
            next_step,
            issuing_country,
            discreet: entry.alert_category == Some(AlertCategory::DiscreetCheck),
            record: shown,
            decision: None,
            report_id: None,
        }
    }

    /// Phase timings of the most recent border checks (oldest first), for `limes bench
    /// border-check`; taking them empties the buffer.
    pub fn take_border_timings(&self) -> Vec<CheckTiming> {
        self.sis.timings.take()
    }

    /// A stored check, for the officer who made it and the SIRENE Bureau.
    pub async fn border_check_record(
        &self,
        access: &Access,
        id: &str,
    ) -> Result<BorderCheck, HubError> {
        let query = json!({"id": id});
        self.authorize(
            access,
            Action::Read,
            DataCategory::SisPerson,
            "border.check_read",
            &query,
        )
        .await?;
        let check = self.load_check(id).await?;
        self.answer(
            access,
            "border.check_read",
            query,
            vec![format!("{KIND_CHECK}:{id}")],
        )
        .await?;
        Ok(check)
    }

    async fn load_check(&self, id: &str) -> Result<BorderCheck, HubError> {
        self.store
            .record(KIND_CHECK, id)
            .await?
            .and_then(|b| serde_json::from_value(b).ok())
            .ok_or_else(|| HubError::NotFound(format!("border check {id}")))
    }

    /// The guard confirms or rejects hit `n` of a check, with a reason. A confirmed SIS hit opens a
    /// SIRENE case; person-hit decisions count in the true/false-hit statistics. One transaction.
    pub async fn decide_hit(
        &self,
        access: &Access,
        check_id: &str,
        n: usize,
        request: DecisionRequest,
    ) -> Result<DecisionOutcome, HubError> {
        let query = json!({"check": check_id, "hit": n, "decision": request.decision});
        self.authorize(
            access,
            Action::Write,
            DataCategory::SireneCase,
            "border.hit_decision",
            &query,
        )
        .await?;
        let reason = non_empty(&request.reason)
            .ok_or_else(|| HubError::InvalidInput("a decision needs a reason".to_owned()))?;
        if reason.chars().count() > 2_000 {
            return Err(HubError::InvalidInput(
                "the reason has at most 2000 characters".to_owned(),
            ));
        }
        let _guard = self.sis.decisions.lock().await;
        let mut check = self.load_check(check_id).await?;
        let now = self.now();
        let hit = check
            .hits
            .get(n)
            .cloned()
            .ok_or_else(|| HubError::NotFound(format!("hit {n} of check {check_id}")))?;
        if hit.decision.is_some() {
            return Err(HubError::Conflict(format!(
                "hit {n} of check {check_id} is already decided"
            )));
        }
        let mut writes = Vec::new();
        let mut case = None;
        if request.decision == Verdict::Confirm && hit.source == ListKind::Sis.source() {
            let opened = sirene::new_case(self, &check, &hit, &access.principal.user, now)?;
            writes.push(RecordWrite {
                kind: sirene::KIND_CASE.to_owned(),
                id: opened.id.clone(),
                body: crate::error::body_of(&opened)?,
            });
            case = Some(opened);
        }
        if hit.match_kind == "person" {
            let culture = check
                .traveller
                .nationality
                .clone()
                .unwrap_or_else(|| "unknown".to_owned());
            let mut stats: HitStats = self
                .store
                .record(KIND_STATS, &culture)
                .await?
                .and_then(|b| serde_json::from_value(b).ok())
                .unwrap_or_else(|| HitStats {
                    culture: culture.clone(),
                    ..HitStats::default()
                });
            match request.decision {
                Verdict::Confirm => stats.true_hits += 1,
                Verdict::Reject => stats.false_hits += 1,
            }
            writes.push(RecordWrite {
                kind: KIND_STATS.to_owned(),
                id: culture,
                body: crate::error::body_of(&stats)?,
            });
        }
        if let Some(stored) = check.hits.get_mut(n) {
            stored.decision = Some(HitDecision {
                decision: request.decision,
                reason: reason.clone(),
                by: access.principal.user.clone(),
                at: now,
                case_id: case.as_ref().map(|c| c.id.clone()),
            });
        }
        writes.push(RecordWrite {
            kind: KIND_CHECK.to_owned(),
            id: check_id.to_owned(),
            body: crate::error::body_of(&check)?,
        });
        let mut ids = vec![format!("{KIND_CHECK}:{check_id}"), hit.record_id.clone()];
        ids.extend(
            case.iter()
                .map(|c| format!("{}:{}", sirene::KIND_CASE, c.id)),
        );
        let mut query = query;
        if let Value::Object(map) = &mut query {
            map.insert("reason".to_owned(), json!(reason));
        }
        self.store
            .put_records(
                writes,
                access.entry("border.hit_decision", query, ids, "ok"),
            )
            .await?;
        Ok(DecisionOutcome {
            check_id: check_id.to_owned(),
            hit: n,
            decision: request.decision,
            case,
        })
    }

    /// True/false person hits per name culture (anonymous counts).
    pub async fn hit_stats(&self, access: &Access) -> Result<Vec<HitStats>, HubError> {
        let query = json!({});
        self.authorize(
            access,
            Action::Read,
            DataCategory::Statistics,
            "border.hit_stats",
            &query,
        )
        .await?;
        let rows = self.store.scan_records(KIND_STATS, None, 10_000).await?;
        let stats = rows
            .into_iter()
            .filter_map(|(_, b)| serde_json::from_value(b).ok())
            .collect();
        self.answer(access, "border.hit_stats", query, vec![])
            .await?;
        Ok(stats)
    }
}

/// A TD3 passport MRZ for the given data, every check digit computed: for demo travellers and
/// tests (a real check reads the MRZ from the document).
#[allow(clippy::too_many_arguments)]
pub fn passport_mrz(
    surname: &str,
    given_names: &str,
    number: &str,
    issuing_state: &str,
    nationality: &str,
    birth_date: PartialDate,
    sex: Sex,
    expiry_date: PartialDate,
) -> Result<String, HubError> {
    let mrz = limes_formats::Mrz {
        format: limes_formats::MrzFormat::Td3,
        document_type: "P".to_owned(),
        issuing_state: issuing_state.to_owned(),
        surname: surname.to_owned(),
        given_names: given_names.to_owned(),
        document_number: number.to_owned(),
        nationality: nationality.to_owned(),
        birth_date: Some(birth_date),
        sex,
        expiry_date: Some(expiry_date),
        optional_data: String::new(),
        optional_data_2: None,
    };
    mrz.emit()
        .map_err(|e| HubError::InvalidInput(format!("cannot write this MRZ: {e}")))
}
