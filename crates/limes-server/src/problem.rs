//! RFC 9457 problem details: one table lists every kind of error once, with its stable `type`,
//! title and status. A published type is never renamed or reused.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use limes_hub::HubError;
use serde::Serialize;

/// Every problem Limes can answer with. The slug is the stable part of the `type` URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Unauthenticated,
    BadCredentials,
    Throttled,
    PurposeRequired,
    UnknownPurpose,
    PurposeNotAllowed,
    CaseRefRequired,
    Forbidden,
    CsrfFailed,
    InvalidInput,
    MalformedJson,
    PayloadTooLarge,
    UnsupportedMediaType,
    NotFound,
    MethodNotAllowed,
    Conflict,
    Unavailable,
    Internal,
    EesFreeMovement,
    EesNoDaysLeft,
    EesNoOpenEntry,
    EesAwaitingVerification,
    EesSameVerifier,
    EesRequestRefused,
}

/// (kind, slug, title, status): the single list of published problem types.
pub const TABLE: &[(Kind, &str, &str, u16)] = &[
    (
        Kind::Unauthenticated,
        "unauthenticated",
        "Authentication required",
        401,
    ),
    (
        Kind::BadCredentials,
        "bad-credentials",
        "Invalid, expired or revoked credentials",
        401,
    ),
    (
        Kind::Throttled,
        "throttled",
        "Too many failed sign-ins",
        429,
    ),
    (
        Kind::PurposeRequired,
        "purpose-required",
        "A purpose must be stated",
        400,
    ),
    (
        Kind::UnknownPurpose,
        "unknown-purpose",
        "Unknown purpose",
        400,
    ),
    (
        Kind::PurposeNotAllowed,
        "purpose-not-allowed",
        "Purpose not allowed for your roles",
        403,
    ),
    (
        Kind::CaseRefRequired,
        "case-ref-required",
        "A case reference is required",
        400,
    ),
    (
        Kind::Forbidden,
        "forbidden",
        "Not allowed by the access matrix",
        403,
    ),
    (
        Kind::CsrfFailed,
        "csrf-failed",
        "Form token missing or wrong",
        403,
    ),
    (Kind::InvalidInput, "invalid-input", "Invalid input", 400),
    (
        Kind::MalformedJson,
        "malformed-json",
        "Malformed JSON body",
        400,
    ),
    (
        Kind::PayloadTooLarge,
        "payload-too-large",
        "Request body too large",
        413,
    ),
    (
        Kind::UnsupportedMediaType,
        "unsupported-media-type",
        "Body must be application/json",
        415,
    ),
    (Kind::NotFound, "not-found", "Not found", 404),
    (
        Kind::MethodNotAllowed,
        "method-not-allowed",
        "Method not allowed",
        405,
    ),
    (Kind::Conflict, "conflict", "Already exists", 409),
    (Kind::Unavailable, "unavailable", "Service unavailable", 503),
    (Kind::Internal, "internal", "Internal error", 500),
    (
        Kind::EesFreeMovement,
        "ees-free-movement-national",
        "EU, EEA and Swiss nationals are not registered in the EES nor refused through its form",
        422,
    ),
    (
        Kind::EesNoDaysLeft,
        "ees-no-days-left",
        "No days of stay remain in the 180-day period",
        409,
    ),
    (
        Kind::EesNoOpenEntry,
        "ees-no-open-entry",
        "No entry without exit is recorded",
        409,
    ),
    (
        Kind::EesAwaitingVerification,
        "ees-awaiting-verification",
        "The request awaits verification by the central access point",
        403,
    ),
    (
        Kind::EesSameVerifier,
        "ees-same-verifier",
        "The verifier must not be the requester",
        403,
    ),
    (
        Kind::EesRequestRefused,
        "ees-request-refused",
        "The central access point refused the request",
        403,
    ),
];

pub const TYPE_BASE: &str = "/problems/";

impl Kind {
    fn row(self) -> (&'static str, &'static str, u16) {
        TABLE
            .iter()
            .find(|row| row.0 == self)
            .map(|row| (row.1, row.2, row.3))
            .unwrap_or(("internal", "Internal error", 500))
    }
    pub fn slug(self) -> &'static str {
        self.row().0
    }
    pub fn status(self) -> StatusCode {
        StatusCode::from_u16(self.row().2).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

#[derive(Debug, Serialize)]
pub struct ProblemBody {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
}

#[derive(Debug)]
pub struct ApiError {
    pub kind: Kind,
    pub detail: String,
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(kind: Kind, detail: impl Into<String>) -> Self {
        Self {
            kind,
            detail: detail.into(),
            retry_after: None,
        }
    }
}

impl From<HubError> for ApiError {
    fn from(error: HubError) -> Self {
        let kind = match &error {
            HubError::Unauthenticated => Kind::Unauthenticated,
            HubError::BadCredentials => Kind::BadCredentials,
            HubError::Throttled { .. } => Kind::Throttled,
            HubError::PurposeRequired => Kind::PurposeRequired,
            HubError::PurposeNotAllowed(_) => Kind::PurposeNotAllowed,
            HubError::CaseRefRequired => Kind::CaseRefRequired,
            HubError::Forbidden { .. } => Kind::Forbidden,
            HubError::InvalidInput(_) => Kind::InvalidInput,
            HubError::Conflict(_) => Kind::Conflict,
            HubError::NotFound(_) => Kind::NotFound,
            HubError::Unavailable(_) => Kind::Unavailable,
            HubError::Store(_) | HubError::Internal(_) => Kind::Internal,
        };
        let retry_after = match &error {
            HubError::Throttled { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        };
        // 5xx bodies stay generic; the cause chain goes to the log.
        let detail = if kind.status().is_server_error() {
            tracing::error!(error = ?error, "request failed");
            "the request could not be completed; the incident is logged".to_owned()
        } else {
            error.to_string()
        };
        Self {
            kind,
            detail,
            retry_after,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.kind.status();
        let body = ProblemBody {
            kind: format!("{TYPE_BASE}{}", self.kind.slug()),
            title: self.kind.row().1,
            status: status.as_u16(),
            detail: self.detail,
            instance: None,
        };
        let json = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
        let mut response = (status, json).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(secs) = self.retry_after
            && let Ok(value) = HeaderValue::from_str(&secs.to_string())
        {
            headers.insert(header::RETRY_AFTER, value);
        }
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"limes\""),
            );
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_listed_once_with_a_unique_slug() {
        let mut slugs: Vec<_> = TABLE.iter().map(|row| row.1).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), TABLE.len());
        for (kind, slug, _, status) in TABLE {
            assert_eq!(kind.slug(), *slug);
            assert_eq!(kind.status().as_u16(), *status);
        }
    }
}
