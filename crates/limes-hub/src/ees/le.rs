//! Law-enforcement access to the EES (Reg 2017/2226 Arts 29–32): a designated authority's
//! reasoned request, stated with purpose `law_enforcement` and a case reference, is verified by
//! the central access point — a different person holding `ees_central_access_point` — before any
//! data is given. In urgency (Art 31(2)) the answer comes first and the verification after; if the
//! verification then refuses, the data given must be erased, and the erasure is recorded.
//! Every step is journalled.

use limes_model::{Action, DataCategory, Purpose, Role};
use limes_store::RecordWrite;
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::OffsetDateTime;

use super::{EesError, EesResult, FileView, bounded, random_id};
use crate::gate::Access;
use crate::{Hub, HubError};

pub const KIND_REQUEST: &str = "ees_le_request";

/// The Art 32(1) grounds, each stated in words by the requester.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grounds {
    /// "terrorist_offence" or "serious_criminal_offence" (Art 32(1)(a)).
    pub offence: String,
    /// Which offence, under which national provision.
    pub offence_description: String,
    /// Why access is necessary in this specific case (Art 32(1)(b)).
    pub necessity: String,
    /// Why there are reasonable grounds that it will help (Art 32(1)(c)).
    pub reasonable_grounds: String,
    /// The prior searches of national databases (and Prüm AFIS), or why they were not made
    /// (Art 32(2)).
    pub prior_searches: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeRequestInput {
    pub issuing_country: String,
    pub document_number: String,
    pub grounds: Grounds,
    /// Urgency within Art 31(2): an imminent danger to life linked to a terrorist or serious
    /// offence. The answer comes first; verification follows.
    #[serde(default)]
    pub urgent: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeStatus {
    /// Waiting for the central access point.
    Pending,
    /// Urgent: answered, verification still to come.
    AnsweredPendingVerification,
    Verified,
    Refused,
    /// Urgent, answered, then refused: the data given is erased.
    RefusedDataErased,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LeRequest {
    pub id: String,
    pub status: LeStatus,
    pub requester: String,
    pub case_ref: String,
    pub issuing_country: String,
    pub document_number: String,
    pub grounds: Grounds,
    pub urgent: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub requested_at: OffsetDateTime,
    pub verifier: Option<String>,
    pub verifier_reason: Option<String>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub decided_at: Option<OffsetDateTime>,
    /// The record ids given to the requester (urgent answers and verified reads).
    pub disclosed: Vec<String>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub erased_at: Option<OffsetDateTime>,
}

/// What the requester gets back.
#[derive(Clone, Debug, Serialize)]
pub struct LeAnswer {
    pub request: LeRequest,
    /// The file, once verified (or at once in urgency); `None` if no file holds the document.
    pub data: Option<FileView>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Verify,
    Refuse,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyInput {
    pub decision: Verdict,
    pub reason: String,
}

const OFFENCES: [&str; 2] = ["terrorist_offence", "serious_criminal_offence"];

fn validate(grounds: &Grounds) -> Result<Grounds, HubError> {
    if !OFFENCES.contains(&grounds.offence.as_str()) {
        return Err(HubError::InvalidInput(format!(
            "grounds.offence must be one of {OFFENCES:?} (Art 32(1)(a))"
        )));
    }
    Ok(Grounds {
        offence: grounds.offence.clone(),
        offence_description: bounded(
            "grounds.offence_description",
            &grounds.offence_description,
            2000,
        )?,
        necessity: bounded("grounds.necessity", &grounds.necessity, 2000)?,
        reasonable_grounds: bounded(
            "grounds.reasonable_grounds",
            &grounds.reasonable_grounds,
            2000,
        )?,
        prior_searches: bounded("grounds.prior_searches", &grounds.prior_searches, 2000)?,
    })
}

impl Hub {
    async fn le_load(&self, id: &str) -> Result<LeRequest, HubError> {
        self.store
            .record(KIND_REQUEST, id)
            .await?
            .and_then(|body| serde_json::from_value(body).ok())
            .ok_or_else(|| HubError::NotFound(format!("request {id}")))
    }

    async fn le_save(
        &self,
        access: &Access,
        action: &str,
        request: &LeRequest,
        query: serde_json::Value,
        mut ids: Vec<String>,
    ) -> Result<(), HubError> {
        ids.insert(0, format!("{KIND_REQUEST}:{}", request.id));
        let body = crate::error::body_of(request)?;
        self.store
            .put_records(
                vec![RecordWrite {
                    kind: KIND_REQUEST.to_owned(),
                    id: request.id.clone(),
                    body,
                }],
                access.entry(action, query, ids, "ok"),
            )
            .await?;
        Ok(())
    }

    /// A designated authority's reasoned request. Stored pending; in urgency answered at once.
    pub async fn ees_le_request(
        &self,
        access: &Access,
        input: LeRequestInput,
    ) -> EesResult<LeAnswer> {
        let query = json!({
            "issuing_country": input.issuing_country,
            "document": input.document_number,
            "urgent": input.urgent,
        });
        self.le_authorize(access, Action::Search, "ees.le_request", &query)
            .await?;
        let grounds = validate(&input.grounds)?;
        let id = format!("le-{:x}", random_id()?);
        let mut request = LeRequest {
            id,
            status: LeStatus::Pending,
            requester: access.principal.user.clone(),
            case_ref: access.case_ref.clone().unwrap_or_default(),
            issuing_country: bounded("issuing_country", &input.issuing_country, 3)?,
            document_number: bounded("document_number", &input.document_number, 30)?,
            grounds,
            urgent: input.urgent,
            requested_at: self.now(),
            verifier: None,
            verifier_reason: None,
            decided_at: None,
            disclosed: Vec::new(),
            erased_at: None,
        };
        if !input.urgent {
            self.le_save(access, "ees.le_request", &request, query, vec![])
                .await?;
            return Ok(LeAnswer {
                request,
                data: None,
            });
        }
        let data = self
            .ees_load(
                &self.ees_central(),
                None,
                Some((&request.issuing_country, &request.document_number)),
            )
            .await?;
        let ids = data.as_ref().map(Self::ees_record_ids).unwrap_or_default();
        request.status = LeStatus::AnsweredPendingVerification;
        request.disclosed = ids.clone();
        self.le_save(access, "ees.le_request_urgent_answer", &request, query, ids)
            .await?;
        Ok(LeAnswer { request, data })
    }

    /// The central access point's list of requests awaiting verification.
    pub async fn ees_le_pending(&self, access: &Access) -> EesResult<Vec<LeRequest>> {
        let query = json!({});
        self.cap_authorize(access, "ees.le_pending", &query).await?;
        let mut list = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = self
                .store
                .scan_records(KIND_REQUEST, after.as_deref(), 500)
                .await?;
            let full = page.len() == 500;
            for (key, body) in page {
                if let Ok(request) = serde_json::from_value::<LeRequest>(body)
                    && matches!(
                        request.status,
                        LeStatus::Pending | LeStatus::AnsweredPendingVerification
                    )
                {
                    list.push(request);
                }
                after = Some(key);
            }
            if !full {
                break;
            }
        }
        list.sort_by_key(|r| r.requested_at);
        let ids = list
            .iter()
            .map(|r| format!("{KIND_REQUEST}:{}", r.id))
            .collect();
        self.answer(access, "ees.le_pending", query, ids).await?;
        Ok(list)
    }

    /// The requester's own requests, newest first, with their status and never any data: the
    /// officer's list of what they asked, what was decided and what was erased.
    pub async fn ees_le_mine(&self, access: &Access) -> EesResult<Vec<LeRequest>> {
        let query = json!({"requester": access.principal.user});
        self.le_authorize(access, Action::Search, "ees.le_mine", &query)
            .await?;
        let mut list = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = self
                .store
                .scan_records(KIND_REQUEST, after.as_deref(), 500)
                .await?;
            let full = page.len() == 500;
            for (key, body) in page {
                if let Ok(request) = serde_json::from_value::<LeRequest>(body)
                    && request.requester == access.principal.user
                {
                    list.push(request);
                }
                after = Some(key);
            }
            if !full {
                break;
            }
        }
        list.sort_by_key(|r| std::cmp::Reverse(r.requested_at));
        let ids = list
            .iter()
            .map(|r| format!("{KIND_REQUEST}:{}", r.id))
            .collect();
        self.answer(access, "ees.le_mine", query, ids).await?;
        Ok(list)
    }

    /// The central access point verifies or refuses. Never the requester themself.
    pub async fn ees_le_verify(
        &self,
        access: &Access,
        id: &str,
        input: VerifyInput,
    ) -> EesResult<LeRequest> {
        let query = json!({"request": id, "decision": format!("{:?}", input.decision)});
        self.cap_authorize(access, "ees.le_verify", &query).await?;
        let reason = bounded("reason", &input.reason, 2000)?;
        let mut request = self.le_load(id).await?;
        if request.requester == access.principal.user {
            self.store
                .append(access.entry(
                    "ees.le_verify",
                    query,
                    vec![format!("{KIND_REQUEST}:{id}")],
                    "denied: the verifier is the requester",
                ))
                .await?;
            return Err(EesError::SameVerifier);
        }
        if !matches!(
            request.status,
            LeStatus::Pending | LeStatus::AnsweredPendingVerification
        ) {
            return Err(HubError::Conflict(format!("request {id} is already decided")).into());
        }
        let now = self.now();
        request.verifier = Some(access.principal.user.clone());
        request.verifier_reason = Some(reason);
        request.decided_at = Some(now);
        let (action, status) = match (input.decision, request.status) {
            (Verdict::Verify, _) => ("ees.le_verify", LeStatus::Verified),
            (Verdict::Refuse, LeStatus::AnsweredPendingVerification) => {
                request.erased_at = Some(now);
                ("ees.le_refuse_erase", LeStatus::RefusedDataErased)
            }
            (Verdict::Refuse, _) => ("ees.le_refuse", LeStatus::Refused),
        };
        request.status = status;
        // On an ex-post refusal the journal entry names the disclosed records whose copies the
        // requester must erase (Art 31(2) last subparagraph).
        let ids = if status == LeStatus::RefusedDataErased {
            request.disclosed.clone()
        } else {
            Vec::new()
        };
        self.le_save(access, action, &request, query, ids).await?;
        Ok(request)
    }

    /// The requester reads their request and, once verified, the data.
    pub async fn ees_le_result(&self, access: &Access, id: &str) -> EesResult<LeAnswer> {
        let query = json!({"request": id});
        self.le_authorize(access, Action::Read, "ees.le_result", &query)
            .await?;
        let mut request = self.le_load(id).await?;
        if request.requester != access.principal.user {
            self.store
                .append(access.entry("ees.le_result", query, vec![], "denied: not the requester"))
                .await?;
            return Err(HubError::NotFound(format!("request {id}")).into());
        }
        match request.status {
            LeStatus::Pending => {
                self.store
                    .append(access.entry(
                        "ees.le_result",
                        query,
                        vec![format!("{KIND_REQUEST}:{id}")],
                        "denied: awaiting verification",
                    ))
                    .await?;
                return Err(EesError::AwaitingVerification);
            }
            LeStatus::Refused | LeStatus::RefusedDataErased => {
                self.store
                    .append(access.entry(
                        "ees.le_result",
                        query,
                        vec![format!("{KIND_REQUEST}:{id}")],
                        "denied: refused by the central access point",
                    ))
                    .await?;
                return Err(EesError::RequestRefused(
                    request.verifier_reason.clone().unwrap_or_default(),
                ));
            }
            LeStatus::AnsweredPendingVerification | LeStatus::Verified => {}
        }
        let data = self
            .ees_load(
                &self.ees_central(),
                None,
                Some((&request.issuing_country, &request.document_number)),
            )
            .await?;
        let ids = data.as_ref().map(Self::ees_record_ids).unwrap_or_default();
        for id in &ids {
            if !request.disclosed.contains(id) {
                request.disclosed.push(id.clone());
            }
        }
        self.le_save(access, "ees.le_result", &request, query, ids)
            .await?;
        Ok(LeAnswer { request, data })
    }

    async fn le_authorize(
        &self,
        access: &Access,
        action: Action,
        what: &str,
        query: &serde_json::Value,
    ) -> Result<(), HubError> {
        if access.purpose != Some(Purpose::LawEnforcement) {
            let entry = access.entry(
                what,
                query.clone(),
                vec![],
                "denied: law-enforcement access needs purpose law_enforcement",
            );
            self.store.append(entry).await?;
            return Err(match access.purpose {
                Some(purpose) => HubError::PurposeNotAllowed(purpose),
                None => HubError::PurposeRequired,
            });
        }
        self.authorize(access, action, DataCategory::EesRecord, what, query)
            .await
    }

    /// Verification is the central access point's alone: the role is required as such, not only
    /// a matrix rule, because a role that could both ask and verify would defeat Art 29(3).
    async fn cap_authorize(
        &self,
        access: &Access,
        what: &str,
        query: &serde_json::Value,
    ) -> Result<(), HubError> {
        if !access
            .principal
            .roles
            .contains(&Role::EesCentralAccessPoint)
        {
            let entry = access.entry(
                what,
                query.clone(),
                vec![],
                "denied: not the central access point",
            );
            self.store.append(entry).await?;
            return Err(HubError::Forbidden {
                action: Action::Write,
                category: DataCategory::EesRecord,
                purpose: access.purpose.unwrap_or(Purpose::LawEnforcement),
            });
        }
        self.le_authorize(access, Action::Write, what, query).await
    }
}
