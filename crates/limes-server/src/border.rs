//! `/api/v1/border-checks` and `/api/v1/sirene/cases`: the border check, the guard's decision on
//! each hit, and the SIRENE case list. Translation only; the hub decides.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use limes_hub::border::{
    BorderCheck, BorderCheckRequest, DecisionOutcome, DecisionRequest, HitStats,
};
use limes_hub::sirene::art37::{Art37Report, Art37Request};
use limes_hub::sirene::{CaseUpdate, SireneCase};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::extract::{ApiAccess, ApiJson};
use crate::problem::ApiError;

type ApiResult<T> = Result<T, ApiError>;

/// `POST /api/v1/border-checks` (purpose border_check): 201 with the check.
pub async fn create(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    ApiJson(request): ApiJson<BorderCheckRequest>,
) -> ApiResult<(StatusCode, Json<BorderCheck>)> {
    let check = state.hub.border_check(&access, request).await?;
    Ok((StatusCode::CREATED, Json(check)))
}

pub async fn get(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    Path(id): Path<String>,
) -> ApiResult<Json<BorderCheck>> {
    Ok(Json(state.hub.border_check_record(&access, &id).await?))
}

/// `POST /api/v1/border-checks/{id}/hits/{n}/decision` `{"decision":"confirm"|"reject","reason"}`.
pub async fn decide(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    Path((id, n)): Path<(String, usize)>,
    ApiJson(request): ApiJson<DecisionRequest>,
) -> ApiResult<Json<DecisionOutcome>> {
    Ok(Json(state.hub.decide_hit(&access, &id, n, request).await?))
}

pub async fn stats(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
) -> ApiResult<Json<Vec<HitStats>>> {
    Ok(Json(state.hub.hit_stats(&access).await?))
}

pub async fn cases(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
) -> ApiResult<Json<Vec<SireneCase>>> {
    Ok(Json(state.hub.sirene_cases(&access).await?))
}

pub async fn case(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    Path(id): Path<String>,
) -> ApiResult<Json<SireneCase>> {
    Ok(Json(state.hub.sirene_case(&access, &id).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormBody {
    form: String,
    direction: String,
    text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloseBody {
    outcome: String,
}

pub async fn case_note(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NoteBody>,
) -> ApiResult<Json<SireneCase>> {
    let update = CaseUpdate::Note(body.text);
    Ok(Json(
        state.hub.update_sirene_case(&access, &id, update).await?,
    ))
}

pub async fn case_form(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<FormBody>,
) -> ApiResult<Json<SireneCase>> {
    let update = CaseUpdate::Form {
        form: body.form,
        direction: body.direction,
        text: body.text,
    };
    Ok(Json(
        state.hub.update_sirene_case(&access, &id, update).await?,
    ))
}

pub async fn case_close(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CloseBody>,
) -> ApiResult<Json<SireneCase>> {
    let update = CaseUpdate::Close(body.outcome);
    Ok(Json(
        state.hub.update_sirene_case(&access, &id, update).await?,
    ))
}

#[derive(Serialize)]
pub struct FiledReport {
    report: Art37Report,
    case: SireneCase,
}

/// `POST /api/v1/border-checks/{id}/hits/{n}/art37-report`: files the Art 37 report of a
/// discreet, inquiry or specific check hit; 201 with the report and the SIRENE case forwarding it.
pub async fn art37_file(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    Path((id, n)): Path<(String, usize)>,
    ApiJson(request): ApiJson<Art37Request>,
) -> ApiResult<(StatusCode, Json<FiledReport>)> {
    let (report, case) = state
        .hub
        .file_art37_report(&access, &id, n, request)
        .await?;
    Ok((StatusCode::CREATED, Json(FiledReport { report, case })))
}

/// `GET /api/v1/art37-reports/{id}` (the SIRENE Bureau).
pub async fn art37_get(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    Path(id): Path<String>,
) -> ApiResult<Json<Art37Report>> {
    Ok(Json(state.hub.art37_report(&access, &id).await?))
}
