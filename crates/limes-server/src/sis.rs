//! `/api/v1/sis/alerts`: CRUD over the SIS national copy for the SIRENE Bureau, extensions and
//! housekeeping. Bulk loads go through `limes import`, not this API.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use limes_hub::sis::{Alert, Housekeeping};
use serde::Deserialize;

use crate::AppState;
use crate::extract::{ApiAccess, ApiJson};
use crate::problem::{ApiError, Kind};

type ApiResult<T> = Result<T, ApiError>;

pub async fn get(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    Path(id): Path<String>,
) -> ApiResult<Json<Alert>> {
    Ok(Json(state.hub.sis_alert(&access, &id).await?))
}

pub async fn put(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    Path(id): Path<String>,
    ApiJson(alert): ApiJson<Alert>,
) -> ApiResult<StatusCode> {
    if alert.id != id {
        return Err(ApiError::new(
            Kind::InvalidInput,
            "the alert's id differs from the one in the path",
        ));
    }
    state.hub.put_sis_alert(&access, alert).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn delete(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    state.hub.delete_sis_alert(&access, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtendBody {
    /// YYYY-MM-DD
    new_expiry: String,
    assessment: String,
}

pub async fn extend(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ExtendBody>,
) -> ApiResult<Json<Alert>> {
    let date = limes_hub::sis::model::iso_date::parse(&body.new_expiry)
        .map_err(|e| ApiError::new(Kind::InvalidInput, e))?;
    Ok(Json(
        state
            .hub
            .extend_sis_alert(&access, &id, date, &body.assessment)
            .await?,
    ))
}

pub async fn housekeeping(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
) -> ApiResult<Json<Housekeeping>> {
    Ok(Json(state.hub.sis_housekeeping_by(&access).await?))
}
