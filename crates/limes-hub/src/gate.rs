//! The one gate: who is asking (principal), why (purpose, case reference), and the journal entry
//! that every decision leaves, allowed or denied.

use limes_journal::NewEntry;
use limes_model::{Action, DataCategory, Purpose, Role};
use serde_json::{Value, json};

use crate::{Hub, HubError};

/// An authenticated user as the request presents them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user: String,
    pub roles: Vec<Role>,
    /// The API token's public id when the request came with a token; `None` for web sessions.
    pub token_id: Option<String>,
}

/// A principal plus the purpose and case reference stated for this request.
#[derive(Debug, Clone)]
pub struct Access {
    pub principal: Principal,
    pub purpose: Option<Purpose>,
    pub case_ref: Option<String>,
}

/// Who performs an administrative change: a signed-in administrator or an operator running the
/// CLI directly on the data directory (journalled as `cli:<os-user>`).
#[derive(Debug, Clone)]
pub enum Actor {
    User(Principal),
    Cli { os_user: String },
}

impl Actor {
    pub fn name(&self) -> String {
        match self {
            Actor::User(principal) => principal.user.clone(),
            Actor::Cli { os_user } => format!("cli:{os_user}"),
        }
    }
    pub(crate) fn roles(&self) -> Vec<String> {
        match self {
            Actor::User(principal) => principal.roles.iter().map(|r| r.to_string()).collect(),
            Actor::Cli { .. } => vec!["operator".to_owned()],
        }
    }
}

/// Longest accepted case reference: enough for any national file number, short enough to log.
const CASE_REF_MAX: usize = 64;

impl Access {
    pub(crate) fn entry(
        &self,
        action: &str,
        query: Value,
        record_ids: Vec<String>,
        outcome: &str,
    ) -> NewEntry {
        let mut query = query;
        if let (Some(token), Value::Object(map)) = (&self.principal.token_id, &mut query) {
            map.insert("token".to_owned(), json!(token));
        }
        NewEntry {
            actor: self.principal.user.clone(),
            roles: self.principal.roles.iter().map(|r| r.to_string()).collect(),
            purpose: self.purpose.map(|p| p.to_string()),
            case_ref: self.case_ref.clone(),
            action: action.to_owned(),
            query,
            record_ids,
            outcome: outcome.to_owned(),
        }
    }
}

pub(crate) fn actor_entry(
    actor: &Actor,
    action: &str,
    query: Value,
    record_ids: Vec<String>,
    outcome: &str,
) -> NewEntry {
    NewEntry {
        actor: actor.name(),
        roles: actor.roles(),
        purpose: Some(Purpose::Administration.to_string()),
        case_ref: None,
        action: action.to_owned(),
        query,
        record_ids,
        outcome: outcome.to_owned(),
    }
}

impl Hub {
    /// Decides one request. A denial is journalled (durably) before the error is returned, so a
    /// probing user leaves a trace even though they see nothing.
    pub async fn authorize(
        &self,
        access: &Access,
        action: Action,
        category: DataCategory,
        what: &str,
        query: &Value,
    ) -> Result<(), HubError> {
        let decision = self.decide(access, action, category);
        if let Err(error) = &decision {
            let mut query = query.clone();
            if let Value::Object(map) = &mut query {
                map.insert("category".to_owned(), json!(category));
                map.insert("requested_action".to_owned(), json!(action));
            }
            let entry = access.entry(what, query, Vec::new(), &format!("denied: {error}"));
            self.store.append(entry).await?;
        }
        decision
    }

    fn decide(
        &self,
        access: &Access,
        action: Action,
        category: DataCategory,
    ) -> Result<(), HubError> {
        let purpose = access.purpose.ok_or(HubError::PurposeRequired)?;
        if !self
            .matrix
            .purposes_for(&access.principal.roles)
            .contains(&purpose)
        {
            return Err(HubError::PurposeNotAllowed(purpose));
        }
        if purpose == Purpose::LawEnforcement {
            match &access.case_ref {
                Some(reference) if valid_case_ref(reference) => {}
                _ => return Err(HubError::CaseRefRequired),
            }
        }
        match self
            .matrix
            .decide(&access.principal.roles, purpose, action, category)
        {
            Some(_) => Ok(()),
            None => Err(HubError::Forbidden {
                action,
                category,
                purpose,
            }),
        }
    }

    /// Records an allowed consultation; returns only once the entry is durable, so the caller may
    /// then send the answer (LED Art 25: no consultation without its log).
    pub async fn answer(
        &self,
        access: &Access,
        what: &str,
        query: Value,
        record_ids: Vec<String>,
    ) -> Result<(), HubError> {
        self.store
            .append(access.entry(what, query, record_ids, "ok"))
            .await?;
        Ok(())
    }
}

pub(crate) fn valid_case_ref(reference: &str) -> bool {
    let trimmed = reference.trim();
    !trimmed.is_empty() && trimmed.len() <= CASE_REF_MAX && trimmed.chars().all(|c| !c.is_control())
}
