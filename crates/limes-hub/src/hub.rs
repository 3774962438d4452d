use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use limes_journal::{Checkpoint, Entry, NewEntry, Signer};
use limes_model::{Action, Clock, DataCategory, Purpose, Role};
use limes_store::{
    Backend, JournalFilter, NewToken, NewUser, Store, StoreConfig, TokenGuard, TokenRecord,
    VerifyReport,
};
use serde::Serialize;
use serde_json::json;
use time::{Duration, OffsetDateTime};

use crate::HubError;
use crate::access::AccessMatrix;
use crate::credentials::{self, hash_password, mint_token, verify_password};
use crate::gate::{Access, Actor, Principal, actor_entry, valid_case_ref};
use crate::sessions::{Session, SessionLimits, Sessions, Throttle};

pub struct HubOptions {
    pub backend: Backend,
    pub node: String,
    pub signer: Option<Arc<Signer>>,
    pub clock: Arc<dyn Clock>,
    pub matrix: AccessMatrix,
    pub token_ttl: Duration,
    pub session_limits: SessionLimits,
    pub checkpoint_every: u64,
    pub checkpoint_interval: std::time::Duration,
    /// The Member State this node serves (ICAO code): the EES national copy keeps only the
    /// records this State made.
    pub member_state: String,
}

impl HubOptions {
    pub fn new(backend: Backend, clock: Arc<dyn Clock>) -> Self {
        Self {
            backend,
            node: "node-1".to_owned(),
            signer: None,
            clock,
            matrix: AccessMatrix::shipped(),
            token_ttl: Duration::days(30),
            session_limits: SessionLimits::default(),
            checkpoint_every: 10_000,
            checkpoint_interval: std::time::Duration::from_secs(60),
            member_state: crate::ees::DEFAULT_MEMBER_STATE.to_owned(),
        }
    }
}

/// The running hub: the store, the clock, the access matrix and the in-memory state of one node.
pub struct Hub {
    pub(crate) store: Store,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) matrix: AccessMatrix,
    sessions: Sessions,
    throttle: Throttle,
    token_ttl: Duration,
    session_limits: SessionLimits,
    ready: AtomicBool,
    /// The SIS national copy and national lists, projected in memory for the border check.
    pub(crate) sis: crate::sis::SisState,
    member_state: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeView {
    pub name: String,
    pub roles: Vec<Role>,
    pub purposes: Vec<Purpose>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UserView {
    pub name: String,
    pub roles: Vec<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub disabled: bool,
}

/// A successful web sign-in: the cookie secret (shown once to the browser) and the session.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub secret: String,
    pub session: Session,
}

#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub user: Option<String>,
    pub purpose: Option<Purpose>,
    pub action: Option<String>,
    pub from: Option<OffsetDateTime>,
    pub to: Option<OffsetDateTime>,
    pub limit: usize,
}

/// Longest page of journal entries one request returns.
const AUDIT_PAGE_MAX: usize = 1_000;

impl Hub {
    pub async fn open(options: HubOptions) -> Result<Self, HubError> {
        let code = &options.member_state;
        if code.is_empty() || code.len() > 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(HubError::InvalidInput(format!(
                "member state {code:?} is not an ICAO state code (one to three capital letters, e.g. FRA or D)"
            )));
        }
        let store = Store::open(
            options.backend,
            StoreConfig {
                node: options.node,
                signer: options.signer,
                checkpoint_every: options.checkpoint_every,
                checkpoint_interval: options.checkpoint_interval,
                clock: options.clock.clone(),
                max_batch: 512,
            },
        )
        .await?;
        Ok(Self {
            store,
            clock: options.clock,
            matrix: options.matrix,
            sessions: Sessions::default(),
            throttle: Throttle::default(),
            token_ttl: options.token_ttl,
            session_limits: options.session_limits,
            ready: AtomicBool::new(false),
            sis: crate::sis::SisState::new(crate::sis::SisConfig::shipped()),
            member_state: options.member_state,
        })
    }

    /// The Member State this node serves, as its ICAO code (e.g. "FRA", "D").
    pub fn member_state(&self) -> &str {
        &self.member_state
    }

    pub fn store(&self) -> &Store {
        &self.store
    }
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }
    pub fn matrix(&self) -> &AccessMatrix {
        &self.matrix
    }
    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// Before a first bulk load into empty lists: the imports build the SIS projection as they
    /// commit, and [`Hub::build_indexes`] then only finishes it (see `sis::state::Preload`).
    pub async fn begin_bulk_load(&self) -> Result<bool, HubError> {
        self.sis.begin_bulk_load(&self.store).await
    }

    /// Builds the in-memory projections; `/readyz` answers 200 only after this.
    pub async fn build_indexes(&self) -> Result<(), HubError> {
        self.sis.rebuild(&self.store).await?;
        self.ready.store(true, Ordering::Release);
        Ok(())
    }
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    // --- authentication -------------------------------------------------------------------------

    /// Resolves an API bearer token. A token created or revoked by the CLI on the same data
    /// directory counts from the next request (see [`TokenGuard`] for how the cached lookup keeps
    /// that exact).
    pub async fn authenticate_token(&self, secret: &str) -> Result<Principal, HubError> {
        self.authenticate_request(secret)
            .await
            .map(|(principal, _)| principal)
    }

    /// [`Hub::authenticate_token`] for a request: also returns the guard the request must run
    /// under ([`crate::with_token_guard`]) so that its writes re-check a token that may have been revoked
    /// elsewhere, and [`Hub::token_still_usable`] for a request that wrote nothing.
    pub async fn authenticate_request(
        &self,
        secret: &str,
    ) -> Result<(Principal, Option<TokenGuard>), HubError> {
        let hash = credentials::sha256(secret.as_bytes());
        let found = self.store.token_for_request(&hash).await?;
        let now = self.now();
        let usable = |record: &TokenRecord| !record.revoked && record.expires_at > now;
        match found {
            Some((record, guard)) if usable(&record) => Ok((
                Principal {
                    user: record.user,
                    roles: parse_roles(&record.roles),
                    token_id: Some(record.id),
                },
                guard,
            )),
            other => {
                let other = other.map(|(record, _)| record);
                let reason = match &other {
                    None => "unknown token",
                    Some(record) if record.revoked => "revoked token",
                    Some(_) => "expired token",
                };
                let actor = other
                    .map(|r| r.user)
                    .unwrap_or_else(|| "anonymous".to_owned());
                self.store
                    .append(limes_store::token_denial(actor, None, reason))
                    .await?;
                Err(HubError::BadCredentials)
            }
        }
    }

    /// For a request that wrote nothing under its guard: is its (cached) token still usable?
    /// A revoked one gets its denial journalled like any other.
    pub async fn token_still_usable(&self, guard: &TokenGuard) -> Result<(), HubError> {
        if guard.used() || self.store.token_usable(&guard.token_id).await? {
            return Ok(());
        }
        self.store
            .append(limes_store::token_denial(
                guard.user.clone(),
                Some(&guard.token_id),
                "revoked token",
            ))
            .await?;
        Err(HubError::BadCredentials)
    }

    /// Signs a user in to the web UI with the purpose they pick on the sign-in page.
    pub async fn sign_in(
        &self,
        name: &str,
        password: &str,
        purpose: Purpose,
        case_ref: Option<String>,
    ) -> Result<SignedIn, HubError> {
        let now = self.now();
        let denied = |reason: &str| NewEntry {
            actor: name.chars().take(64).collect(),
            roles: Vec::new(),
            purpose: Some(purpose.to_string()),
            case_ref: None,
            action: "auth.sign_in".to_owned(),
            query: json!({}),
            record_ids: Vec::new(),
            outcome: format!("denied: {reason}"),
        };
        if let Some(until) = self.throttle.locked_until(name, now) {
            self.store.append(denied("throttled")).await?;
            let secs = (until - now).whole_seconds().max(1);
            return Err(HubError::Throttled {
                retry_after_secs: u64::try_from(secs).unwrap_or(1),
            });
        }
        let user = self.store.user(name).await?;
        // Verify against a dummy hash for unknown users so timing does not reveal which names exist.
        let (ok, user) = match user {
            Some(user) if !user.disabled => {
                (verify_password(password, &user.password_hash), Some(user))
            }
            _ => {
                let _ = verify_password(password, DUMMY_HASH);
                (false, None)
            }
        };
        let Some(user) = user.filter(|_| ok) else {
            self.throttle.fail(name, now);
            self.store.append(denied("wrong name or password")).await?;
            return Err(HubError::BadCredentials);
        };
        self.throttle.succeed(name);
        let roles = parse_roles(&user.roles);
        let principal = Principal {
            user: user.name.clone(),
            roles: roles.clone(),
            token_id: None,
        };
        let access = Access {
            principal,
            purpose: Some(purpose),
            case_ref: case_ref.clone(),
        };
        if !self.matrix.purposes_for(&roles).contains(&purpose) {
            self.store
                .append(access.entry(
                    "auth.sign_in",
                    json!({}),
                    vec![],
                    "denied: purpose not allowed",
                ))
                .await?;
            return Err(HubError::PurposeNotAllowed(purpose));
        }
        if purpose == Purpose::LawEnforcement && !case_ref.as_deref().is_some_and(valid_case_ref) {
            self.store
                .append(access.entry(
                    "auth.sign_in",
                    json!({}),
                    vec![],
                    "denied: case reference missing",
                ))
                .await?;
            return Err(HubError::CaseRefRequired);
        }
        let secret = credentials::new_session_secret()?;
        let session = Session {
            user: user.name.clone(),
            roles,
            purpose,
            case_ref,
            csrf: credentials::new_session_secret()?,
            created: now,
            last_seen: now,
        };
        self.store
            .append(access.entry("auth.sign_in", json!({}), vec![], "ok"))
            .await?;
        self.sessions.insert(&secret, session.clone());
        Ok(SignedIn { secret, session })
    }

    /// Resolves a session cookie, enforcing the idle and absolute timeouts.
    pub fn session(&self, secret: &str) -> Result<Session, HubError> {
        self.sessions
            .touch(secret, self.now(), self.session_limits)
            .map_err(|_| HubError::Unauthenticated)
    }

    /// Changes the purpose of a web session; the new purpose must be one the user's roles allow.
    pub async fn change_purpose(
        &self,
        secret: &str,
        purpose: Purpose,
        case_ref: Option<String>,
    ) -> Result<Session, HubError> {
        let session = self.session(secret)?;
        let access = session_access(&session);
        if !self.matrix.purposes_for(&session.roles).contains(&purpose) {
            return Err(HubError::PurposeNotAllowed(purpose));
        }
        if purpose == Purpose::LawEnforcement && !case_ref.as_deref().is_some_and(valid_case_ref) {
            return Err(HubError::CaseRefRequired);
        }
        self.store
            .append(access.entry(
                "auth.change_purpose",
                json!({"new_purpose": purpose, "new_case_ref": case_ref}),
                vec![],
                "ok",
            ))
            .await?;
        self.sessions.update(secret, |s| {
            s.purpose = purpose;
            s.case_ref = case_ref;
        });
        self.session(secret)
    }

    pub async fn sign_out(&self, secret: &str) -> Result<(), HubError> {
        if let Some(session) = self.sessions.remove(secret) {
            self.store
                .append(session_access(&session).entry("auth.sign_out", json!({}), vec![], "ok"))
                .await?;
        }
        Ok(())
    }

    // --- the caller's own account ---------------------------------------------------------------

    pub async fn me(&self, access: &Access) -> Result<MeView, HubError> {
        let principal = &access.principal;
        let view = MeView {
            name: principal.user.clone(),
            roles: principal.roles.clone(),
            purposes: self.matrix.purposes_for(&principal.roles),
        };
        self.answer(
            access,
            "me.read",
            json!({}),
            vec![format!("user:{}", principal.user)],
        )
        .await?;
        Ok(view)
    }

    // --- the journal, for the data-protection officer ---------------------------------------------

    pub async fn audit_search(
        &self,
        access: &Access,
        query: &AuditQuery,
    ) -> Result<Vec<Entry>, HubError> {
        let asked = json!({
            "user": query.user, "purpose": query.purpose, "action": query.action,
            "from": query.from.map(|t| t.unix_timestamp()), "to": query.to.map(|t| t.unix_timestamp()),
        });
        self.authorize(
            access,
            Action::Search,
            DataCategory::AuditJournal,
            "audit.search",
            &asked,
        )
        .await?;
        let limit = match query.limit {
            0 => 100,
            n => n.min(AUDIT_PAGE_MAX),
        };
        let entries = self
            .store
            .journal_search(&JournalFilter {
                actor: query.user.clone(),
                purpose: query.purpose.map(|p| p.to_string()),
                action: query.action.clone(),
                from: query.from,
                to: query.to,
                limit,
                ..JournalFilter::default()
            })
            .await?;
        let ids = entries
            .iter()
            .map(|e| format!("journal:{}:{}", e.node, e.seq))
            .collect();
        self.answer(access, "audit.search", asked, ids).await?;
        Ok(entries)
    }

    pub async fn audit_verify(
        &self,
        access: &Access,
        against: Option<&Checkpoint>,
    ) -> Result<VerifyReport, HubError> {
        let asked = json!({"against": against.map(|c| c.seq)});
        self.authorize(
            access,
            Action::Read,
            DataCategory::AuditJournal,
            "audit.verify",
            &asked,
        )
        .await?;
        let report = self.store.verify(against).await?;
        self.answer(
            access,
            "audit.verify",
            json!({"ok": report.ok, "entries": report.entries}),
            vec![],
        )
        .await?;
        Ok(report)
    }

    // --- accounts (CLI or administrator) ----------------------------------------------------------

    pub async fn create_user(
        &self,
        actor: &Actor,
        name: &str,
        roles: &[Role],
        password: &str,
    ) -> Result<(), HubError> {
        validate_user_name(name)?;
        if roles.is_empty() {
            return Err(HubError::InvalidInput(
                "a user needs at least one role".to_owned(),
            ));
        }
        if password.chars().count() < 12 {
            return Err(HubError::InvalidInput(
                "a password needs at least 12 characters".to_owned(),
            ));
        }
        let roles: Vec<String> = roles.iter().map(|r| r.to_string()).collect();
        let password_hash = hash_password(password)?;
        let audit = actor_entry(
            actor,
            "user.create",
            json!({"name": name, "roles": roles}),
            vec![format!("user:{name}")],
            "ok",
        );
        self.store
            .create_user(
                NewUser {
                    name: name.to_owned(),
                    roles,
                    password_hash,
                },
                audit,
            )
            .await?;
        Ok(())
    }

    /// Mints a token; the secret is returned once and only its hash is kept.
    pub async fn create_token(
        &self,
        actor: &Actor,
        name: &str,
        expires_in: Option<Duration>,
    ) -> Result<(String, String, OffsetDateTime), HubError> {
        if self.store.user(name).await?.is_none() {
            return Err(HubError::NotFound(format!("user {name}")));
        }
        let ttl = expires_in.unwrap_or(self.token_ttl);
        if ttl <= Duration::ZERO {
            return Err(HubError::InvalidInput(
                "expiry must be in the future".to_owned(),
            ));
        }
        let minted = mint_token()?;
        let expires_at = self.now() + ttl;
        let audit = actor_entry(
            actor,
            "token.create",
            json!({"user": name, "token": minted.id, "expires_at": expires_at.unix_timestamp()}),
            vec![format!("token:{}", minted.id)],
            "ok",
        );
        self.store
            .create_token(
                NewToken {
                    id: minted.id.clone(),
                    user: name.to_owned(),
                    hash: minted.hash,
                    expires_at,
                },
                audit,
            )
            .await?;
        Ok((minted.id, minted.secret, expires_at))
    }

    pub async fn revoke_token(&self, actor: &Actor, id: &str) -> Result<(), HubError> {
        let audit = actor_entry(
            actor,
            "token.revoke",
            json!({"token": id}),
            vec![format!("token:{id}")],
            "ok",
        );
        if self.store.revoke_token(id, audit).await? {
            Ok(())
        } else {
            Err(HubError::NotFound(format!("token {id}")))
        }
    }

    pub async fn list_users(&self, actor: &Actor) -> Result<Vec<UserView>, HubError> {
        let users = self.store.users().await?;
        let ids = users.iter().map(|u| format!("user:{}", u.name)).collect();
        self.store
            .append(actor_entry(actor, "user.list", json!({}), ids, "ok"))
            .await?;
        Ok(users
            .into_iter()
            .map(|u| UserView {
                name: u.name,
                roles: u.roles,
                created_at: u.created_at,
                disabled: u.disabled,
            })
            .collect())
    }

    pub async fn tokens(&self, user: Option<&str>) -> Result<Vec<TokenRecord>, HubError> {
        Ok(self.store.tokens(user).await?)
    }

    /// Appends an entry for an operator action that has no other write (e.g. `audit checkpoint`).
    pub async fn journal_operator(
        &self,
        actor: &Actor,
        action: &str,
        query: serde_json::Value,
    ) -> Result<(), HubError> {
        self.store
            .append(actor_entry(actor, action, query, vec![], "ok"))
            .await?;
        Ok(())
    }

    pub async fn prune_journal(
        &self,
        actor: &Actor,
        before: OffsetDateTime,
    ) -> Result<limes_store::PruneReport, HubError> {
        let audit = actor_entry(
            actor,
            "audit.prune",
            json!({"before": before.unix_timestamp()}),
            vec![],
            "ok",
        );
        Ok(self.store.prune(before, audit).await?)
    }
}

/// A valid Argon2id hash of a random string, used to spend the same time on unknown user names.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1lDpNddkE3Q7bRkY3m0ZXnO8bM5FoP6Dd4r0qkq0Y2o";

pub(crate) fn session_access(session: &Session) -> Access {
    Access {
        principal: Principal {
            user: session.user.clone(),
            roles: session.roles.clone(),
            token_id: None,
        },
        purpose: Some(session.purpose),
        case_ref: session.case_ref.clone(),
    }
}

impl Session {
    /// The gate's view of a web session.
    pub fn access(&self) -> Access {
        session_access(self)
    }
}

fn parse_roles(roles: &[String]) -> Vec<Role> {
    // A role removed from the vocabulary simply grants nothing any more.
    roles.iter().filter_map(|r| r.parse().ok()).collect()
}

fn validate_user_name(name: &str) -> Result<(), HubError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok && !name.starts_with("cli:") {
        Ok(())
    } else {
        Err(HubError::InvalidInput(
            "a user name is 1-64 characters of letters, digits, '.', '-' and '_'".to_owned(),
        ))
    }
}
