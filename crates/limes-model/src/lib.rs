//! The shared vocabulary of Limes: people as officers and carriers write them, partial dates,
//! documents, the roles, purposes and data categories of the access matrix, and the clock.
//!
//! It deliberately knows no storage, no HTTP and no EU system's rules: those live in `limes-hub`.
//! Everything here is plain data with parsing that cannot produce an invalid value.

pub mod access;
pub mod clock;
pub mod country;
pub mod date;
pub mod person;

pub use access::{Action, DataCategory, Purpose, Role};
pub use clock::{Clock, ManualClock, SystemClock};
pub use date::{PartialDate, PartialDateError};
pub use person::{DocumentRef, Identity, NameVariant, Sex};
