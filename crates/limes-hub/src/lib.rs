//! `limes-hub`: the behaviour of Limes. One module per system, and the gate every access to personal
//! data goes through: it authenticates, decides by the access matrix (role × purpose × action ×
//! category) and writes the journal entry before any answer leaves.
//!
//! It is not HTTP (that is `limes-server`) and not SQL (that is `limes-store`): it orchestrates the
//! pure crates and the store, and owns the invariants (who may see what, deadlines, retention).

pub mod access;
pub mod border;
pub mod credentials;
pub mod ees;
mod error;
mod gate;
mod hub;
pub mod keyfile;
pub mod sessions;
pub mod sirene;
pub mod sis;

pub use access::AccessMatrix;
pub use error::HubError;
pub use gate::{Access, Actor, Principal};
pub use hub::{AuditQuery, Hub, HubOptions, MeView, SignedIn, UserView};
pub use limes_journal::{Checkpoint, Entry, NewEntry};
pub use limes_store::{Backend, TokenGuard, VerifyReport, with_token_guard};
