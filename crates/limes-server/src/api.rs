//! `/api/v1`: JSON over HTTP, translated one-to-one into hub calls. No behaviour lives here.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use limes_hub::{Actor, AuditQuery, Checkpoint};
use limes_model::{Action, DataCategory, Purpose, Role};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::OffsetDateTime;
use utoipa::{OpenApi, ToSchema};

use crate::AppState;
use crate::extract::{ApiAccess, ApiJson, ApiQuery};
use crate::problem::{ApiError, Kind};

type ApiResult<T> = Result<T, ApiError>;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Limes API",
        description = "National hub for the EU border and security information systems. Every call authenticates with a bearer token; calls that touch personal data state their purpose in `Limes-Purpose` (and, for law_enforcement, `Limes-Case-Ref`). Errors are RFC 9457 problem+json."
    ),
    paths(
        me,
        audit_search,
        audit_verify,
        create_user,
        list_users,
        create_token,
        revoke_token,
        crate::ees::entry,
        crate::ees::exit,
        crate::ees::refusal,
        crate::ees::file_by_document,
        crate::ees::file,
        crate::ees::overstayers,
        crate::ees::statistics,
        crate::ees::preenrol,
        crate::ees::preenrolments,
        crate::ees::confirm_preenrolment,
        crate::ees::le_request,
        crate::ees::le_pending,
        crate::ees::le_result,
        crate::ees::le_decide
    ),
    components(schemas(
        MeResponse,
        AuditEntry,
        VerifyResponse,
        CreateUser,
        CreateToken,
        TokenCreated,
        UserResponse
    ))
)]
pub struct ApiDoc;

pub async fn openapi() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}

#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    name: String,
    roles: Vec<String>,
    purposes: Vec<String>,
}

/// The caller's own account: name, roles and the purposes those roles may state.
#[utoipa::path(get, path = "/api/v1/me", responses((status = 200, body = MeResponse), (status = 401, description = "problem+json")))]
pub async fn me(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
) -> ApiResult<Json<MeResponse>> {
    let view = state.hub.me(&access).await?;
    Ok(Json(MeResponse {
        name: view.name,
        roles: view.roles.iter().map(|r| r.to_string()).collect(),
        purposes: view.purposes.iter().map(|p| p.to_string()).collect(),
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditParams {
    user: Option<String>,
    purpose: Option<String>,
    action: Option<String>,
    /// RFC 3339 timestamp or YYYY-MM-DD (inclusive)
    from: Option<String>,
    /// RFC 3339 timestamp or YYYY-MM-DD (inclusive)
    to: Option<String>,
    limit: Option<usize>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntry {
    node: String,
    seq: u64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String)]
    ts: OffsetDateTime,
    actor: String,
    roles: Vec<String>,
    purpose: Option<String>,
    case_ref: Option<String>,
    action: String,
    #[schema(value_type = Object)]
    query: serde_json::Value,
    record_ids: Vec<String>,
    outcome: String,
    hash: String,
}

impl From<limes_hub::Entry> for AuditEntry {
    fn from(entry: limes_hub::Entry) -> Self {
        Self {
            node: entry.node,
            seq: entry.seq,
            ts: entry.ts,
            actor: entry.body.actor,
            roles: entry.body.roles,
            purpose: entry.body.purpose,
            case_ref: entry.body.case_ref,
            action: entry.body.action,
            query: entry.body.query,
            record_ids: entry.body.record_ids,
            outcome: entry.body.outcome,
            hash: hex::encode(entry.hash),
        }
    }
}

pub fn parse_audit_query(
    user: Option<String>,
    purpose: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
    limit: Option<usize>,
) -> ApiResult<AuditQuery> {
    let nonempty = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let purpose = match nonempty(purpose) {
        None => None,
        Some(text) => Some(
            text.parse::<Purpose>()
                .map_err(|e| ApiError::new(Kind::InvalidInput, e.to_string()))?,
        ),
    };
    Ok(AuditQuery {
        user: nonempty(user),
        purpose,
        action: nonempty(action),
        from: nonempty(from).map(|t| parse_time(&t, false)).transpose()?,
        to: nonempty(to).map(|t| parse_time(&t, true)).transpose()?,
        limit: limit.unwrap_or(100),
    })
}

/// Accepts RFC 3339 or a bare date; a bare `to` date means the end of that day.
pub fn parse_time(text: &str, end_of_day: bool) -> ApiResult<OffsetDateTime> {
    let text = text.trim();
    if let Ok(t) = OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339) {
        return Ok(t);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(text, &format).map_err(|_| {
        ApiError::new(
            Kind::InvalidInput,
            format!("{text:?} is not a date (YYYY-MM-DD) or an RFC 3339 time"),
        )
    })?;
    let start = date.midnight().assume_utc();
    Ok(if end_of_day {
        start + time::Duration::days(1) - time::Duration::nanoseconds(1)
    } else {
        start
    })
}

/// Search the journal (data-protection officer, purpose audit).
#[utoipa::path(get, path = "/api/v1/audit", params(AuditParams), responses((status = 200, body = [AuditEntry])))]
pub async fn audit_search(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    ApiQuery(params): ApiQuery<AuditParams>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    let query = parse_audit_query(
        params.user,
        params.purpose,
        params.action,
        params.from,
        params.to,
        params.limit,
    )?;
    let entries = state.hub.audit_search(&access, &query).await?;
    Ok(Json(entries.into_iter().map(AuditEntry::from).collect()))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    against: Option<Checkpoint>,
}

#[derive(Serialize, ToSchema)]
pub struct VerifyResponse {
    ok: bool,
    entries: u64,
    checkpoints: u64,
    #[schema(value_type = Object)]
    broken: serde_json::Value,
}

/// Verify the whole hash chain and checkpoint signatures.
#[utoipa::path(post, path = "/api/v1/audit/verify", request_body(content = Object, description = "optional: {\"against\": checkpoint exported by `limes audit checkpoint`}"), responses((status = 200, body = VerifyResponse)))]
pub async fn audit_verify(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    body: axum::body::Bytes,
) -> ApiResult<Json<VerifyResponse>> {
    let request: VerifyRequest = optional_json(&body)?.unwrap_or_default();
    let report = state
        .hub
        .audit_verify(&access, request.against.as_ref())
        .await?;
    Ok(Json(VerifyResponse {
        ok: report.ok,
        entries: report.entries,
        checkpoints: report.checkpoints,
        broken: serde_json::to_value(&report.broken).unwrap_or(json!(null)),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    name: String,
    roles: Vec<String>,
    password: String,
}

#[derive(Serialize, ToSchema)]
pub struct UserResponse {
    name: String,
    roles: Vec<String>,
    disabled: bool,
}

fn actor(access: &limes_hub::Access) -> Actor {
    Actor::User(access.principal.clone())
}

/// Create a user (admin, purpose administration).
#[utoipa::path(post, path = "/api/v1/users", request_body = CreateUser, responses((status = 201, body = UserResponse)))]
pub async fn create_user(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    ApiJson(body): ApiJson<CreateUser>,
) -> ApiResult<impl IntoResponse> {
    let asked = json!({"name": body.name, "roles": body.roles});
    state
        .hub
        .authorize(
            &access,
            Action::Write,
            DataCategory::UserAccount,
            "user.create",
            &asked,
        )
        .await?;
    let roles = body
        .roles
        .iter()
        .map(|r| r.parse::<Role>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ApiError::new(Kind::InvalidInput, e.to_string()))?;
    state
        .hub
        .create_user(&actor(&access), &body.name, &roles, &body.password)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(UserResponse {
            name: body.name,
            roles: body.roles,
            disabled: false,
        }),
    ))
}

/// List users (admin, purpose administration).
#[utoipa::path(get, path = "/api/v1/users", responses((status = 200, body = [UserResponse])))]
pub async fn list_users(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
) -> ApiResult<Json<Vec<UserResponse>>> {
    state
        .hub
        .authorize(
            &access,
            Action::Search,
            DataCategory::UserAccount,
            "user.list",
            &json!({}),
        )
        .await?;
    let users = state.hub.list_users(&actor(&access)).await?;
    Ok(Json(
        users
            .into_iter()
            .map(|u| UserResponse {
                name: u.name,
                roles: u.roles,
                disabled: u.disabled,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct CreateToken {
    /// Lifetime in days (default 30)
    expires_in_days: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenCreated {
    id: String,
    token: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String)]
    expires_at: OffsetDateTime,
}

/// Mint an API token for a user (admin); the secret is shown once.
#[utoipa::path(post, path = "/api/v1/users/{name}/tokens", request_body = CreateToken, responses((status = 201, body = TokenCreated)))]
pub async fn create_token(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    Path(name): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<impl IntoResponse> {
    let body: CreateToken = optional_json(&body)?.unwrap_or_default();
    let asked = json!({"user": name});
    state
        .hub
        .authorize(
            &access,
            Action::Write,
            DataCategory::UserAccount,
            "token.create",
            &asked,
        )
        .await?;
    let ttl = match body.expires_in_days {
        None => None,
        Some(days) if (1..=365).contains(&days) => Some(time::Duration::days(days)),
        Some(_) => {
            return Err(ApiError::new(
                Kind::InvalidInput,
                "expires_in_days must be 1..=365",
            ));
        }
    };
    let (id, token, expires_at) = state.hub.create_token(&actor(&access), &name, ttl).await?;
    Ok((
        StatusCode::CREATED,
        Json(TokenCreated {
            id,
            token,
            expires_at,
        }),
    ))
}

/// Revoke a token by its public id (admin).
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", responses((status = 204)))]
pub async fn revoke_token(
    State(state): State<Arc<AppState>>,
    ApiAccess(access): ApiAccess,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    state
        .hub
        .authorize(
            &access,
            Action::Delete,
            DataCategory::UserAccount,
            "token.revoke",
            &json!({"token": id}),
        )
        .await?;
    state.hub.revoke_token(&actor(&access), &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn not_found() -> ApiError {
    ApiError::new(Kind::NotFound, "no such endpoint")
}

/// For endpoints whose JSON body is optional: empty means defaults, anything else must parse.
fn optional_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> ApiResult<Option<T>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    serde_json::from_slice(body)
        .map(Some)
        .map_err(|error| ApiError::new(Kind::MalformedJson, error.to_string()))
}
