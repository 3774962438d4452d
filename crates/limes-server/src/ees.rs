//! `/api/v1/ees`: the Entry/Exit System — entries, exits, refusals, files and stay status, the
//! overstayer list, statistics (CSV), kiosk pre-enrolment and law-enforcement requests through
//! the central access point. Translation only; the hub decides.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use limes_hub::ees::kiosk::{ConfirmInput, PreEnrolInput, PreEnrolment};
use limes_hub::ees::le::{LeAnswer, LeRequest, LeRequestInput, VerifyInput};
use limes_hub::ees::record::FileId;
use limes_hub::ees::{
    EesError, EntryRequest, ExitRequest, FileView, Overstayer, RefusalRequest, Registered,
};
use serde::Deserialize;

use crate::AppState;
use crate::extract::{ApiAccess, ApiJson, ApiQuery};
use crate::problem::{ApiError, Kind};

type ApiResult<T> = Result<T, ApiError>;

impl From<EesError> for ApiError {
    fn from(error: EesError) -> Self {
        let kind = match &error {
            EesError::Hub(_) => Kind::Internal,
            EesError::FreeMovement(_) => Kind::EesFreeMovement,
            EesError::NoDaysLeft => Kind::EesNoDaysLeft,
            EesError::NoOpenEntry => Kind::EesNoOpenEntry,
            EesError::AwaitingVerification => Kind::EesAwaitingVerification,
            EesError::SameVerifier => Kind::EesSameVerifier,
            EesError::RequestRefused(_) => Kind::EesRequestRefused,
        };
        match error {
            EesError::Hub(inner) => inner.into(),
            other => ApiError::new(kind, other.to_string()),
        }
    }
}

/// Registers an entry (purpose border_check): 201 with the file id, record id and stay status.
#[utoipa::path(post, path = "/api/v1/ees/entries", request_body(content = Object, description = "{traveller: {surname, given_names, birth_date, nationality, sex, document: {kind, number, issuing_country, expiry}, regime: visa_exempt|visa_required, facial_image, fingerprints, family_member_of_union_citizen}, crossing_point, basis: {kind: visa_exempt|visa|travel_authorisation, …}, authorised_until?}"), responses((status = 201, body = Object), (status = 409, description = "problem+json: ees-no-days-left, conflict"), (status = 422, description = "problem+json: ees-free-movement-national")))]
pub async fn entry(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    ApiJson(request): ApiJson<EntryRequest>,
) -> ApiResult<(StatusCode, Json<Registered>)> {
    let registered = state.hub.ees_entry(&access, request).await?;
    Ok((StatusCode::CREATED, Json(registered)))
}

/// Records the exit on the open entry of a document (purpose border_check).
#[utoipa::path(post, path = "/api/v1/ees/exits", request_body(content = Object, description = "{issuing_country, document_number, crossing_point}"), responses((status = 200, body = Object), (status = 409, description = "problem+json: ees-no-open-entry")))]
pub async fn exit(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    ApiJson(request): ApiJson<ExitRequest>,
) -> ApiResult<Json<Registered>> {
    Ok(Json(state.hub.ees_exit(&access, request).await?))
}

/// Records a refusal of entry with its SBC Annex V Part B letters (B, D, H need biometrics).
#[utoipa::path(post, path = "/api/v1/ees/refusals", request_body(content = Object, description = "{traveller, crossing_point, reasons: [\"C\", …]}"), responses((status = 201, body = Object), (status = 422, description = "problem+json: ees-free-movement-national")))]
pub async fn refusal(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    ApiJson(request): ApiJson<RefusalRequest>,
) -> ApiResult<(StatusCode, Json<Registered>)> {
    let registered = state.hub.ees_refusal(&access, request).await?;
    Ok((StatusCode::CREATED, Json(registered)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct FileParams {
    issuing_country: String,
    document_number: String,
}

/// A person's file, records and stay status by travel document (border_check or immigration).
#[utoipa::path(get, path = "/api/v1/ees/files", params(FileParams), responses((status = 200, body = Object), (status = 404, description = "problem+json")))]
pub async fn file_by_document(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    ApiQuery(params): ApiQuery<FileParams>,
) -> ApiResult<Json<FileView>> {
    let document = (
        params.issuing_country.as_str(),
        params.document_number.as_str(),
    );
    Ok(Json(
        state.hub.ees_file(&access, None, Some(document)).await?,
    ))
}

/// A person's file, records and stay status by file id.
#[utoipa::path(get, path = "/api/v1/ees/files/{id}", responses((status = 200, body = Object), (status = 404, description = "problem+json")))]
pub async fn file(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    Path(id): Path<u64>,
) -> ApiResult<Json<FileView>> {
    Ok(Json(
        state.hub.ees_file(&access, Some(FileId(id)), None).await?,
    ))
}

/// The overstayers today (no exit after the end of the authorised stay, Art 12).
#[utoipa::path(get, path = "/api/v1/ees/overstayers", responses((status = 200, body = [Object])))]
pub async fn overstayers(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
) -> ApiResult<Json<Vec<Overstayer>>> {
    Ok(Json(state.hub.ees_overstayers(&access).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct StatsParams {
    /// YYYY-MM-DD, inclusive
    from: String,
    /// YYYY-MM-DD, inclusive
    to: String,
}

pub(crate) fn parse_day(field: &str, text: &str) -> ApiResult<time::Date> {
    limes_hub::ees::record::iso_date::parse(text.trim())
        .map_err(|e| ApiError::new(Kind::InvalidInput, format!("{field}: {e}")))
}

/// Statistics as CSV (`day,metric,dimension,value,count`); counts 1–4 are published as `<5`.
#[utoipa::path(get, path = "/api/v1/ees/statistics", params(StatsParams), responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn statistics(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    ApiQuery(params): ApiQuery<StatsParams>,
) -> ApiResult<impl IntoResponse> {
    let from = parse_day("from", &params.from)?;
    let to = parse_day("to", &params.to)?;
    let stats = state.hub.ees_statistics(&access, from, to).await?;
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
        stats.to_csv(),
    ))
}

/// A kiosk's or e-gate's self-service submission, pending until a guard confirms it. Callers
/// hold role `kiosk` (which may do nothing else) or `border_guard`, with purpose `border_check`;
/// the answer echoes the submission only and never reveals an alert.
#[utoipa::path(post, path = "/api/v1/ees/pre-enrolments", request_body(content = Object, description = "{traveller, kiosk}"), responses((status = 201, body = Object)))]
pub async fn preenrol(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    ApiJson(input): ApiJson<PreEnrolInput>,
) -> ApiResult<(StatusCode, Json<PreEnrolment>)> {
    let item = state.hub.ees_preenrol(&access, input).await?;
    Ok((StatusCode::CREATED, Json(item)))
}

/// Pending pre-enrolments.
#[utoipa::path(get, path = "/api/v1/ees/pre-enrolments", responses((status = 200, body = [Object])))]
pub async fn preenrolments(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
) -> ApiResult<Json<Vec<PreEnrolment>>> {
    Ok(Json(state.hub.ees_preenrolments(&access).await?))
}

/// The guard confirms (or corrects) a pre-enrolment and the entry is recorded.
#[utoipa::path(post, path = "/api/v1/ees/pre-enrolments/{id}/confirm", request_body(content = Object, description = "{corrected?: traveller, crossing_point, basis, authorised_until?}"), responses((status = 200, body = Object)))]
pub async fn confirm_preenrolment(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ConfirmInput>,
) -> ApiResult<Json<PreEnrolment>> {
    Ok(Json(
        state
            .hub
            .ees_confirm_preenrolment(&access, &id, input)
            .await?,
    ))
}

/// A reasoned law-enforcement request (purpose law_enforcement, Limes-Case-Ref): stored pending
/// for the central access point; answered at once only when urgent.
#[utoipa::path(post, path = "/api/v1/ees/le-requests", request_body(content = Object, description = "{issuing_country, document_number, grounds: {offence: terrorist_offence|serious_criminal_offence, offence_description, necessity, reasonable_grounds, prior_searches}, urgent}"), responses((status = 201, body = Object)))]
pub async fn le_request(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    ApiJson(input): ApiJson<LeRequestInput>,
) -> ApiResult<(StatusCode, Json<LeAnswer>)> {
    let answer = state.hub.ees_le_request(&access, input).await?;
    Ok((StatusCode::CREATED, Json(answer)))
}

/// The central access point's queue of requests to verify.
#[utoipa::path(get, path = "/api/v1/ees/le-requests", responses((status = 200, body = [Object])))]
pub async fn le_pending(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
) -> ApiResult<Json<Vec<LeRequest>>> {
    Ok(Json(state.hub.ees_le_pending(&access).await?))
}

/// The requester's view: the data once verified (403 ees-awaiting-verification before).
#[utoipa::path(get, path = "/api/v1/ees/le-requests/{id}", responses((status = 200, body = Object), (status = 403, description = "problem+json: ees-awaiting-verification, ees-request-refused")))]
pub async fn le_result(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    Path(id): Path<String>,
) -> ApiResult<Json<LeAnswer>> {
    Ok(Json(state.hub.ees_le_result(&access, &id).await?))
}

/// The central access point verifies or refuses (never the requester).
#[utoipa::path(post, path = "/api/v1/ees/le-requests/{id}/decision", request_body(content = Object, description = "{decision: verify|refuse, reason}"), responses((status = 200, body = Object), (status = 403, description = "problem+json: ees-same-verifier")))]
pub async fn le_decide(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<VerifyInput>,
) -> ApiResult<Json<LeRequest>> {
    Ok(Json(state.hub.ees_le_verify(&access, &id, input).await?))
}
