//! Self-service pre-enrolment (SBC Art 8a–8b, EES Reg 2017/2226 recital 23 and Art 14(3)): a kiosk
//! or e-gate submits the traveller's own data through the same API; it is stored pending and never
//! becomes an EES record until a border guard confirms it (as submitted or corrected) and the entry
//! is recorded in the same step.

use limes_ees::record::EntryBasis;
use limes_model::{Action, Role};
use limes_store::RecordWrite;
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::{Date, OffsetDateTime};

use super::{EesResult, EntryRequest, Registered, TravellerInput, random_id, validate_traveller};
use crate::gate::Access;
use crate::{Hub, HubError};

pub const KIND_PREENROLMENT: &str = "ees_preenrolment";

/// The journal action of a submission, and the only EES action the `kiosk` role may perform.
pub const ACTION_PREENROL: &str = "ees.preenrol";

/// Who may submit: the kiosk itself, or a border guard entering the data at an assisted
/// counter on the traveller's behalf (a guard may record the entry outright, so this widens
/// nothing). Police, immigration or ETIAS roles never feed the border's pre-enrolment queue.
const SUBMITTERS: [Role; 2] = [Role::Kiosk, Role::BorderGuard];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PreEnrolmentStatus {
    Pending,
    Confirmed,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PreEnrolment {
    pub id: String,
    pub status: PreEnrolmentStatus,
    pub submitted: TravellerInput,
    pub kiosk: String,
    #[serde(with = "time::serde::rfc3339")]
    pub submitted_at: OffsetDateTime,
    /// What the guard confirmed, when it differs from the submission.
    pub corrected: Option<TravellerInput>,
    pub confirmed_by: Option<String>,
    pub entry: Option<Registered>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreEnrolInput {
    pub traveller: TravellerInput,
    /// The kiosk or e-gate's name.
    pub kiosk: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfirmInput {
    /// The guard's corrections; absent when the submission is right as it is.
    #[serde(default)]
    pub corrected: Option<TravellerInput>,
    pub crossing_point: String,
    pub basis: EntryBasis,
    #[serde(default, with = "crate::sis::model::opt_iso_date")]
    pub authorised_until: Option<Date>,
}

impl Hub {
    async fn preenrolment_save(
        &self,
        access: &Access,
        action: &str,
        item: &PreEnrolment,
        extra_ids: Vec<String>,
    ) -> Result<(), HubError> {
        let body = crate::error::body_of(item)?;
        let mut ids = vec![format!("{KIND_PREENROLMENT}:{}", item.id)];
        ids.extend(extra_ids);
        self.store
            .put_records(
                vec![RecordWrite {
                    kind: KIND_PREENROLMENT.to_owned(),
                    id: item.id.clone(),
                    body,
                }],
                access.entry(
                    action,
                    json!({"id": item.id, "kiosk": item.kiosk}),
                    ids,
                    "ok",
                ),
            )
            .await?;
        Ok(())
    }

    /// A kiosk's submission, stored pending.
    pub async fn ees_preenrol(
        &self,
        access: &Access,
        input: PreEnrolInput,
    ) -> EesResult<PreEnrolment> {
        let query = json!({"kiosk": input.kiosk});
        if !access
            .principal
            .roles
            .iter()
            .any(|role| SUBMITTERS.contains(role))
        {
            let entry = access.entry(
                ACTION_PREENROL,
                query.clone(),
                vec![],
                "denied: pre-enrolments come from a kiosk or a border guard",
            );
            self.store.append(entry).await?;
            return Err(HubError::Forbidden {
                action: Action::Write,
                category: limes_model::DataCategory::EesRecord,
                purpose: access.purpose.unwrap_or(limes_model::Purpose::BorderCheck),
            }
            .into());
        }
        self.ees_authorize(access, Action::Write, ACTION_PREENROL, &query)
            .await?;
        validate_traveller(&input.traveller, self.now().date(), false)?;
        let item = PreEnrolment {
            id: format!("pe-{:x}", random_id()?),
            status: PreEnrolmentStatus::Pending,
            submitted: input.traveller,
            kiosk: super::bounded("kiosk", &input.kiosk, 64)?,
            submitted_at: self.now(),
            corrected: None,
            confirmed_by: None,
            entry: None,
        };
        self.preenrolment_save(access, ACTION_PREENROL, &item, vec![])
            .await?;
        Ok(item)
    }

    /// Pending submissions, oldest first.
    pub async fn ees_preenrolments(&self, access: &Access) -> EesResult<Vec<PreEnrolment>> {
        let query = json!({});
        self.ees_authorize(access, Action::Read, "ees.preenrolments", &query)
            .await?;
        let mut list: Vec<PreEnrolment> = self
            .store
            .scan_records(KIND_PREENROLMENT, None, 10_000)
            .await?
            .into_iter()
            .filter_map(|(_, body)| serde_json::from_value::<PreEnrolment>(body).ok())
            .filter(|p| p.status == PreEnrolmentStatus::Pending)
            .collect();
        list.sort_by_key(|p| p.submitted_at);
        let ids = list
            .iter()
            .map(|p| format!("{KIND_PREENROLMENT}:{}", p.id))
            .collect();
        self.answer(access, "ees.preenrolments", query, ids).await?;
        Ok(list)
    }

    /// The guard confirms (or corrects) a submission and records the entry in one step.
    pub async fn ees_confirm_preenrolment(
        &self,
        access: &Access,
        id: &str,
        input: ConfirmInput,
    ) -> EesResult<PreEnrolment> {
        let query = json!({"id": id});
        self.ees_authorize(access, Action::Write, "ees.preenrol_confirm", &query)
            .await?;
        let mut item: PreEnrolment = self
            .store
            .record(KIND_PREENROLMENT, id)
            .await?
            .and_then(|body| serde_json::from_value(body).ok())
            .ok_or_else(|| HubError::NotFound(format!("pre-enrolment {id}")))?;
        if item.status != PreEnrolmentStatus::Pending {
            return Err(
                HubError::Conflict(format!("pre-enrolment {id} is already confirmed")).into(),
            );
        }
        let traveller = input
            .corrected
            .clone()
            .unwrap_or_else(|| item.submitted.clone());
        let registered = self
            .ees_entry(
                access,
                EntryRequest {
                    traveller,
                    crossing_point: input.crossing_point,
                    basis: input.basis,
                    authorised_until: input.authorised_until,
                },
            )
            .await?;
        item.status = PreEnrolmentStatus::Confirmed;
        item.corrected = input.corrected;
        item.confirmed_by = Some(access.principal.user.clone());
        let ids = vec![format!(
            "ees_record:{}",
            super::central::record_key(registered.file_id, registered.record_id)
        )];
        item.entry = Some(registered);
        self.preenrolment_save(access, "ees.preenrol_confirm", &item, ids)
            .await?;
        Ok(item)
    }
}
