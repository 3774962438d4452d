use limes_model::{Action, DataCategory, Purpose};
use limes_store::StoreError;

/// Every way a hub call can fail. The server maps each variant to one problem type; the messages
/// here are for officers and operators, so they say what to do, and never echo secrets.
#[derive(Debug, thiserror::Error)]
pub enum HubError {
    #[error("authentication required")]
    Unauthenticated,
    #[error("the credentials are invalid, expired or revoked")]
    BadCredentials,
    #[error("too many failed sign-ins for this account; try again later")]
    Throttled { retry_after_secs: u64 },
    #[error("this request needs a purpose (header Limes-Purpose)")]
    PurposeRequired,
    #[error("your roles do not allow the purpose {0}")]
    PurposeNotAllowed(Purpose),
    #[error("purpose law_enforcement needs a case reference (header Limes-Case-Ref)")]
    CaseRefRequired,
    #[error("no rule of the access matrix allows {action} on {category} for purpose {purpose}")]
    Forbidden {
        action: Action,
        category: DataCategory,
        purpose: Purpose,
    },
    #[error("{0}")]
    InvalidInput(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("the store is unavailable")]
    Unavailable(#[source] StoreError),
    #[error("store failure")]
    Store(#[source] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for HubError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict(what) => HubError::Conflict(what),
            StoreError::NotFound(what) => HubError::NotFound(what),
            StoreError::Unavailable(_) => HubError::Unavailable(error),
            StoreError::TokenRevoked => HubError::BadCredentials,
            other => HubError::Store(other),
        }
    }
}

/// A record body for the store, serialised straight from its type (a type that fails to
/// serialise is a bug in this crate, not the caller's input).
pub(crate) fn body_of<T: serde::Serialize + ?Sized>(
    value: &T,
) -> Result<limes_store::JsonText, HubError> {
    limes_store::JsonText::of(value)
        .map_err(|e| HubError::Internal(format!("serialising a record: {e}")))
}
