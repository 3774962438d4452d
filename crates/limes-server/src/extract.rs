//! Our own extractors, so that every rejection is problem+json, and the authentication middleware
//! that guards everything under `/api/v1`.

use std::sync::Arc;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use limes_hub::{Access, Principal};
use limes_model::Purpose;
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::problem::{ApiError, Kind};

pub const PURPOSE_HEADER: &str = "limes-purpose";
pub const CASE_REF_HEADER: &str = "limes-case-ref";

/// `axum::Json` with problem+json rejections (malformed, unknown fields, too large, wrong type).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    let kind = match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => Kind::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => Kind::UnsupportedMediaType,
        StatusCode::UNPROCESSABLE_ENTITY => Kind::InvalidInput,
        _ => Kind::MalformedJson,
    };
    ApiError::new(kind, rejection.body_text())
}

pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Self(value)),
            Err(rejection) => Err(query_rejection(rejection)),
        }
    }
}

fn query_rejection(rejection: QueryRejection) -> ApiError {
    ApiError::new(Kind::InvalidInput, rejection.body_text())
}

/// The caller as the gate sees them: principal from the middleware, purpose and case reference
/// from the headers. An unknown purpose is rejected here; a missing one only where data is touched.
pub struct ApiAccess(pub Access);

impl<S: Send + Sync> FromRequestParts<S> for ApiAccess {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let principal = parts
            .extensions
            .get::<Principal>()
            .cloned()
            .ok_or_else(|| ApiError::new(Kind::Unauthenticated, "authentication required"))?;
        let header = |name: &str| -> Result<Option<String>, ApiError> {
            match parts.headers.get(name) {
                None => Ok(None),
                Some(value) => value
                    .to_str()
                    .map(|text| Some(text.trim().to_owned()))
                    .map_err(|_| {
                        ApiError::new(Kind::InvalidInput, format!("header {name} is not text"))
                    }),
            }
        };
        let purpose = match header(PURPOSE_HEADER)? {
            None => None,
            Some(text) => Some(
                text.parse::<Purpose>()
                    .map_err(|error| ApiError::new(Kind::UnknownPurpose, error.to_string()))?,
            ),
        };
        let case_ref = header(CASE_REF_HEADER)?.filter(|text| !text.is_empty());
        Ok(Self(Access {
            principal,
            purpose,
            case_ref,
        }))
    }
}

/// Authenticates every request under `/api/v1` (known path or not) by its bearer token.
pub async fn require_token(
    State(state): State<Arc<AppState>>,
    mut request: Request,
    next: Next,
) -> Response {
    let token = request
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(|token| token.trim().to_owned());
    let Some(token) = token else {
        return ApiError::new(Kind::Unauthenticated, "send Authorization: Bearer <token>")
            .into_response();
    };
    match state.hub.authenticate_request(&token).await {
        Ok((principal, None)) => {
            request.extensions_mut().insert(principal);
            next.run(request).await
        }
        Ok((principal, Some(guard))) => {
            request.extensions_mut().insert(principal);
            let response = limes_hub::with_token_guard(guard.clone(), next.run(request)).await;
            // A request that wrote nothing had no write transaction re-check its cached token.
            match state.hub.token_still_usable(&guard).await {
                Ok(()) => response,
                Err(error) => ApiError::from(error).into_response(),
            }
        }
        Err(error) => ApiError::from(error).into_response(),
    }
}
