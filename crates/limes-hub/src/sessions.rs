//! Web sessions and sign-in throttling, held in memory by the node that issued them.
//!
//! Sessions live in memory on purpose: a restart signs everyone out, which is the safe failure, and
//! nothing about them needs to outlive the process. Behind a load balancer nodes need sticky
//! sessions (written in ARCHITECTURE.md).

use std::collections::HashMap;
use std::sync::Mutex;

use limes_model::{Purpose, Role};
use time::{Duration, OffsetDateTime};

use crate::credentials::sha256;

#[derive(Debug, Clone)]
pub struct Session {
    pub user: String,
    pub roles: Vec<Role>,
    pub purpose: Purpose,
    pub case_ref: Option<String>,
    /// Per-session synchroniser token for the HTML forms (OWASP CSRF cheat sheet).
    pub csrf: String,
    pub created: OffsetDateTime,
    pub last_seen: OffsetDateTime,
}

#[derive(Debug, Clone, Copy)]
pub struct SessionLimits {
    pub idle: Duration,
    pub absolute: Duration,
}

impl Default for SessionLimits {
    fn default() -> Self {
        Self {
            idle: Duration::minutes(15),
            absolute: Duration::hours(12),
        }
    }
}

#[derive(Debug, Default)]
pub struct Sessions {
    by_hash: Mutex<HashMap<Vec<u8>, Session>>,
}

/// Why a cookie did not resolve to a session; the distinction is only logged, never shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEnd {
    Unknown,
    Idle,
    Absolute,
}

impl Sessions {
    pub fn insert(&self, secret: &str, session: Session) {
        self.lock().insert(sha256(secret.as_bytes()), session);
    }

    /// Resolves a cookie and refreshes its idle timer; expired sessions are removed.
    pub fn touch(
        &self,
        secret: &str,
        now: OffsetDateTime,
        limits: SessionLimits,
    ) -> Result<Session, SessionEnd> {
        let key = sha256(secret.as_bytes());
        let mut map = self.lock();
        let Some(session) = map.get_mut(&key) else {
            return Err(SessionEnd::Unknown);
        };
        let end = if now - session.created >= limits.absolute {
            Some(SessionEnd::Absolute)
        } else if now - session.last_seen >= limits.idle {
            Some(SessionEnd::Idle)
        } else {
            None
        };
        if let Some(end) = end {
            map.remove(&key);
            return Err(end);
        }
        session.last_seen = now;
        Ok(session.clone())
    }

    pub fn update(&self, secret: &str, change: impl FnOnce(&mut Session)) -> bool {
        let mut map = self.lock();
        match map.get_mut(&sha256(secret.as_bytes())) {
            Some(session) => {
                change(session);
                true
            }
            None => false,
        }
    }

    pub fn remove(&self, secret: &str) -> Option<Session> {
        self.lock().remove(&sha256(secret.as_bytes()))
    }

    /// Drops every session of a user (their account changed or was disabled).
    pub fn remove_user(&self, user: &str) {
        self.lock().retain(|_, session| session.user != user);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Vec<u8>, Session>> {
        self.by_hash
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }
}

/// Locks a user name out for a while after repeated wrong passwords (OWASP authentication cheat
/// sheet: throttle per account so a guessing attack cannot run at full speed).
#[derive(Debug)]
pub struct Throttle {
    pub max_failures: u32,
    pub window: Duration,
    pub lockout: Duration,
    state: Mutex<HashMap<String, Failures>>,
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    first: OffsetDateTime,
    locked_until: Option<OffsetDateTime>,
}

impl Default for Throttle {
    fn default() -> Self {
        Self {
            max_failures: 5,
            window: Duration::minutes(15),
            lockout: Duration::minutes(15),
            state: Mutex::new(HashMap::new()),
        }
    }
}

impl Throttle {
    /// `Some(until)` while the name is locked out.
    pub fn locked_until(&self, name: &str, now: OffsetDateTime) -> Option<OffsetDateTime> {
        let map = self.lock();
        map.get(&name.to_lowercase())
            .and_then(|failures| failures.locked_until)
            .filter(|until| *until > now)
    }

    pub fn fail(&self, name: &str, now: OffsetDateTime) {
        let mut map = self.lock();
        let entry = map.entry(name.to_lowercase()).or_insert(Failures {
            count: 0,
            first: now,
            locked_until: None,
        });
        if now - entry.first > self.window {
            *entry = Failures {
                count: 0,
                first: now,
                locked_until: None,
            };
        }
        entry.count += 1;
        if entry.count >= self.max_failures {
            entry.locked_until = Some(now + self.lockout);
        }
    }

    pub fn succeed(&self, name: &str) {
        self.lock().remove(&name.to_lowercase());
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Failures>> {
        self.state
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }
}
