//! SIRENE follow-up of a confirmed hit: the case the SIRENE Bureau works (notes, the forms
//! exchanged with the issuing country) and closes with an outcome, with its deadline (12 hours,
//! immediately for urgent categories; both from `config/sis.toml`) and every step journalled.

pub mod art37;

use limes_model::{Action, DataCategory};
use limes_store::RecordWrite;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use crate::border::{BorderCheck, BorderHit};
use crate::gate::Access;
use crate::{Hub, HubError};

pub const KIND_CASE: &str = "sirene_case";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Open,
    Closed,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CaseNote {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub by: String,
    pub text: String,
}

/// A SIRENE form (e.g. G "hit", M "miscellaneous") sent to or received from the issuing country.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CaseForm {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub by: String,
    pub form: String,
    /// "sent" or "received".
    pub direction: String,
    pub text: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SireneCase {
    pub id: String,
    pub status: CaseStatus,
    pub alert_id: String,
    pub category: String,
    pub issuing_country: Option<String>,
    pub check_id: String,
    pub hit: usize,
    pub crossing_point: String,
    pub traveller: Value,
    pub markers: Vec<String>,
    pub action: String,
    pub urgent: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub opened_at: OffsetDateTime,
    pub opened_by: String,
    /// When the answer to the issuing country is due.
    #[serde(with = "time::serde::rfc3339")]
    pub deadline: OffsetDateTime,
    pub notes: Vec<CaseNote>,
    pub forms: Vec<CaseForm>,
    pub outcome: Option<String>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub closed_at: Option<OffsetDateTime>,
    pub closed_by: Option<String>,
    /// The Art 37 report this case forwards to the issuing country, if it was opened by one.
    #[serde(default)]
    pub report_id: Option<String>,
}

impl SireneCase {
    /// Open and past its deadline at `now`.
    pub fn overdue(&self, now: OffsetDateTime) -> bool {
        self.status == CaseStatus::Open && self.deadline <= now
    }
}

pub(crate) fn new_case(
    hub: &Hub,
    check: &BorderCheck,
    hit: &BorderHit,
    by: &str,
    now: OffsetDateTime,
) -> Result<SireneCase, HubError> {
    let config = &hub.sis.config().sirene;
    let urgent = config.urgent_categories.contains(&hit.category)
        || hit
            .markers
            .iter()
            .any(|m| config.urgent_markers.iter().any(|u| u == m));
    let deadline = if urgent {
        now
    } else {
        now + Duration::hours(config.answer_within_hours)
    };
    Ok(SireneCase {
        id: format!(
            "sc-{}",
            hex::encode(crate::credentials::random_bytes::<6>()?)
        ),
        status: CaseStatus::Open,
        alert_id: hit.record_id.clone(),
        category: hit.category.clone(),
        issuing_country: hit.issuing_country.clone(),
        check_id: check.id.clone(),
        hit: hit.n,
        crossing_point: check.crossing_point.clone(),
        traveller: serde_json::to_value(&check.traveller).unwrap_or_default(),
        markers: hit.markers.clone(),
        action: hit.action.clone(),
        urgent,
        opened_at: now,
        opened_by: by.to_owned(),
        deadline,
        notes: Vec::new(),
        forms: Vec::new(),
        outcome: None,
        closed_at: None,
        closed_by: None,
        report_id: None,
    })
}

/// A change to a case.
pub enum CaseUpdate {
    Note(String),
    Form {
        form: String,
        direction: String,
        text: String,
    },
    Close(String),
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

impl Hub {
    /// The case list, open cases first by deadline.
    pub async fn sirene_cases(&self, access: &Access) -> Result<Vec<SireneCase>, HubError> {
        let query = json!({});
        self.authorize(
            access,
            Action::Search,
            DataCategory::SireneCase,
            "sirene.list",
            &query,
        )
        .await?;
        let mut cases: Vec<SireneCase> = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = self
                .store
                .scan_records(KIND_CASE, after.as_deref(), 5_000)
                .await?;
            let Some((last, _)) = page.last() else { break };
            after = Some(last.clone());
            cases.extend(
                page.into_iter()
                    .filter_map(|(_, b)| serde_json::from_value(b).ok()),
            );
        }
        cases.sort_by(|a, b| {
            (a.status != CaseStatus::Open, a.deadline)
                .cmp(&(b.status != CaseStatus::Open, b.deadline))
        });
        let ids = cases
            .iter()
            .map(|c| format!("{KIND_CASE}:{}", c.id))
            .collect();
        self.answer(access, "sirene.list", query, ids).await?;
        Ok(cases)
    }

    pub async fn sirene_case(&self, access: &Access, id: &str) -> Result<SireneCase, HubError> {
        let query = json!({"id": id});
        self.authorize(
            access,
            Action::Read,
            DataCategory::SireneCase,
            "sirene.read",
            &query,
        )
        .await?;
        let case = self.load_case(id).await?;
        self.answer(
            access,
            "sirene.read",
            query,
            vec![format!("{KIND_CASE}:{id}")],
        )
        .await?;
        Ok(case)
    }

    async fn load_case(&self, id: &str) -> Result<SireneCase, HubError> {
        self.store
            .record(KIND_CASE, id)
            .await?
            .and_then(|b| serde_json::from_value(b).ok())
            .ok_or_else(|| HubError::NotFound(format!("SIRENE case {id}")))
    }

    /// Adds a note or a form, or closes the case with its outcome; journalled with the case.
    pub async fn update_sirene_case(
        &self,
        access: &Access,
        id: &str,
        update: CaseUpdate,
    ) -> Result<SireneCase, HubError> {
        let what = match &update {
            CaseUpdate::Note(_) => "sirene.note",
            CaseUpdate::Form { .. } => "sirene.form",
            CaseUpdate::Close(_) => "sirene.close",
        };
        let query = json!({"id": id});
        self.authorize(
            access,
            Action::Write,
            DataCategory::SireneCase,
            what,
            &query,
        )
        .await?;
        let _guard = self.sis.decisions.lock().await;
        let mut case = self.load_case(id).await?;
        if case.status == CaseStatus::Closed {
            return Err(HubError::Conflict(format!("SIRENE case {id} is closed")));
        }
        let now = self.now();
        let by = access.principal.user.clone();
        match update {
            CaseUpdate::Note(text) => case.notes.push(CaseNote {
                at: now,
                by,
                text: bounded("the note", &text, 10_000)?,
            }),
            CaseUpdate::Form {
                form,
                direction,
                text,
            } => {
                if direction != "sent" && direction != "received" {
                    return Err(HubError::InvalidInput(
                        "direction is \"sent\" or \"received\"".to_owned(),
                    ));
                }
                case.forms.push(CaseForm {
                    at: now,
                    by,
                    form: bounded("form", &form, 16)?,
                    direction,
                    text: bounded("the form text", &text, 50_000)?,
                });
            }
            CaseUpdate::Close(outcome) => {
                case.outcome = Some(bounded("the outcome", &outcome, 2_000)?);
                case.status = CaseStatus::Closed;
                case.closed_at = Some(now);
                case.closed_by = Some(by);
            }
        }
        let body = crate::error::body_of(&case)?;
        self.store
            .put_records(
                vec![RecordWrite {
                    kind: KIND_CASE.to_owned(),
                    id: id.to_owned(),
                    body,
                }],
                access.entry(what, query, vec![format!("{KIND_CASE}:{id}")], "ok"),
            )
            .await?;
        Ok(case)
    }
}
