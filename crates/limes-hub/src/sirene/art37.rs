//! The Art 37 report (Reg 2018/1862) after a hit on a discreet, inquiry or specific check alert
//! (Art 36): what the officer collected — place, time and reason of the check, route and
//! destination, accompanying persons, the vehicle, objects carried, the circumstances in which
//! the person was found — kept as a record, journalled, and forwarded to the SIRENE Bureau as a
//! case for the issuing country. Filing it changes nothing in the check's kiosk-safe `gate`.

use limes_model::{Action, DataCategory};
use limes_store::RecordWrite;
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::OffsetDateTime;

use super::{CaseForm, KIND_CASE, SireneCase, new_case};
use crate::border::{BorderCheck, KIND_CHECK};
use crate::gate::Access;
use crate::{Hub, HubError};

pub const KIND_REPORT: &str = "art37_report";

/// Categories whose hits are reported under Art 37 (the Art 36 checks).
pub const REPORTED_CATEGORIES: &[&str] = &["discreet_check", "inquiry_check", "specific_check"];

/// What the officer fills in; place, time and reason default to the check's.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Art37Request {
    /// Place of the check (default: the crossing point).
    #[serde(default)]
    pub place: Option<String>,
    /// Reason for the check (default: systematic check at the external border).
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub route_and_destination: String,
    #[serde(default)]
    pub accompanying_persons: String,
    #[serde(default)]
    pub vehicle: String,
    #[serde(default)]
    pub objects_carried: String,
    /// Circumstances in which the person was found (required).
    pub circumstances: String,
}

/// A filed Art 37 report.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Art37Report {
    pub id: String,
    pub check_id: String,
    pub hit: usize,
    /// `sis_alert:<id>`.
    pub alert_id: String,
    pub category: String,
    pub issuing_country: Option<String>,
    pub place: String,
    /// Time of the check.
    #[serde(with = "time::serde::rfc3339")]
    pub checked_at: OffsetDateTime,
    pub reason: String,
    pub route_and_destination: String,
    pub accompanying_persons: String,
    pub vehicle: String,
    pub objects_carried: String,
    pub circumstances: String,
    #[serde(with = "time::serde::rfc3339")]
    pub reported_at: OffsetDateTime,
    pub reported_by: String,
    /// The SIRENE case it was forwarded in.
    pub case_id: String,
}

/// The default reason: every crossing of the external border is checked (SBC Art 8).
pub const DEFAULT_REASON: &str =
    "systematic check at the external border (Schengen Borders Code Art 8)";

fn field(name: &str, text: &str, max: usize, required: bool) -> Result<String, HubError> {
    let text = text.trim();
    if required && text.is_empty() {
        return Err(HubError::InvalidInput(format!("{name} is required")));
    }
    if text.chars().count() > max {
        return Err(HubError::InvalidInput(format!(
            "{name} has at most {max} characters"
        )));
    }
    Ok(text.to_owned())
}

/// The report as one form text in the SIRENE case (what is sent to the issuing country).
fn form_text(report: &Art37Report) -> String {
    format!(
        "Art 37 report {id} on alert {alert} ({category}), issued by {issuer}\n\
         Place: {place}\nTime: {time}\nReason: {reason}\nRoute and destination: {route}\n\
         Accompanying persons: {companions}\nVehicle: {vehicle}\nObjects carried: {objects}\n\
         Circumstances: {circumstances}",
        id = report.id,
        alert = report.alert_id,
        category = report.category,
        issuer = report.issuing_country.as_deref().unwrap_or("?"),
        place = report.place,
        time = report.checked_at,
        reason = report.reason,
        route = report.route_and_destination,
        companions = report.accompanying_persons,
        vehicle = report.vehicle,
        objects = report.objects_carried,
        circumstances = report.circumstances,
    )
}

impl Hub {
    /// Files the Art 37 report for hit `n` of a check: the report, the SIRENE case that forwards
    /// it and the check (marked as reported) are written in one transaction with one journal
    /// entry. A hit is reported once.
    pub async fn file_art37_report(
        &self,
        access: &Access,
        check_id: &str,
        n: usize,
        request: Art37Request,
    ) -> Result<(Art37Report, SireneCase), HubError> {
        let query = json!({"check": check_id, "hit": n});
        self.authorize(
            access,
            Action::Write,
            DataCategory::SireneCase,
            "border.art37_report",
            &query,
        )
        .await?;
        let _guard = self.sis.decisions.lock().await;
        let mut check: BorderCheck = self
            .store
            .record(KIND_CHECK, check_id)
            .await?
            .and_then(|b| serde_json::from_value(b).ok())
            .ok_or_else(|| HubError::NotFound(format!("border check {check_id}")))?;
        let hit = check
            .hits
            .get(n)
            .cloned()
            .ok_or_else(|| HubError::NotFound(format!("hit {n} of check {check_id}")))?;
        if !REPORTED_CATEGORIES.contains(&hit.category.as_str()) {
            return Err(HubError::InvalidInput(format!(
                "an Art 37 report follows a discreet, inquiry or specific check hit, not {}",
                hit.category
            )));
        }
        if let Some(existing) = &hit.report_id {
            return Err(HubError::Conflict(format!(
                "hit {n} of check {check_id} is already reported ({existing})"
            )));
        }
        let now = self.now();
        let by = access.principal.user.clone();
        let mut case = new_case(self, &check, &hit, &by, now)?;
        let report = Art37Report {
            id: format!(
                "a37-{}",
                hex::encode(crate::credentials::random_bytes::<6>()?)
            ),
            check_id: check.id.clone(),
            hit: n,
            alert_id: hit.record_id.clone(),
            category: hit.category.clone(),
            issuing_country: hit.issuing_country.clone(),
            place: match request.place.as_deref().map(str::trim) {
                Some(place) if !place.is_empty() => field("place", place, 200, true)?,
                _ => check.crossing_point.clone(),
            },
            checked_at: check.checked_at,
            reason: match request.reason.as_deref().map(str::trim) {
                Some(reason) if !reason.is_empty() => field("reason", reason, 2_000, true)?,
                _ => DEFAULT_REASON.to_owned(),
            },
            route_and_destination: field(
                "route_and_destination",
                &request.route_and_destination,
                2_000,
                false,
            )?,
            accompanying_persons: field(
                "accompanying_persons",
                &request.accompanying_persons,
                2_000,
                false,
            )?,
            vehicle: field("vehicle", &request.vehicle, 2_000, false)?,
            objects_carried: field("objects_carried", &request.objects_carried, 2_000, false)?,
            circumstances: field("circumstances", &request.circumstances, 10_000, true)?,
            reported_at: now,
            reported_by: by.clone(),
            case_id: case.id.clone(),
        };
        case.report_id = Some(report.id.clone());
        case.forms.push(CaseForm {
            at: now,
            by,
            form: "ART37".to_owned(),
            direction: "sent".to_owned(),
            text: form_text(&report),
        });
        if let Some(stored) = check.hits.get_mut(n) {
            stored.report_id = Some(report.id.clone());
        }
        let writes = vec![
            RecordWrite {
                kind: KIND_REPORT.to_owned(),
                id: report.id.clone(),
                body: crate::error::body_of(&report)?,
            },
            RecordWrite {
                kind: KIND_CASE.to_owned(),
                id: case.id.clone(),
                body: crate::error::body_of(&case)?,
            },
            RecordWrite {
                kind: KIND_CHECK.to_owned(),
                id: check.id.clone(),
                body: crate::error::body_of(&check)?,
            },
        ];
        let ids = vec![
            format!("{KIND_REPORT}:{}", report.id),
            format!("{KIND_CASE}:{}", case.id),
            format!("{KIND_CHECK}:{check_id}"),
            hit.record_id.clone(),
        ];
        self.store
            .put_records(
                writes,
                access.entry("border.art37_report", query, ids, "ok"),
            )
            .await?;
        Ok((report, case))
    }

    /// A filed report (the officer's own, the SIRENE Bureau).
    pub async fn art37_report(&self, access: &Access, id: &str) -> Result<Art37Report, HubError> {
        let query = json!({"id": id});
        self.authorize(
            access,
            Action::Read,
            DataCategory::SireneCase,
            "border.art37_read",
            &query,
        )
        .await?;
        let report = self
            .store
            .record(KIND_REPORT, id)
            .await?
            .and_then(|b| serde_json::from_value(b).ok())
            .ok_or_else(|| HubError::NotFound(format!("Art 37 report {id}")))?;
        self.answer(
            access,
            "border.art37_read",
            query,
            vec![format!("{KIND_REPORT}:{id}")],
        )
        .await?;
        Ok(report)
    }
}
