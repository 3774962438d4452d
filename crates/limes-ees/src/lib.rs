//! limes-ees: the pure rules of the Entry/Exit System (Reg (EU) 2017/2226) that the hub applies.
//!
//! It holds the 90/180-day short-stay calculator ([`calc`]), the overstayer predicate and its scan
//! over compact entry records ([`overstay`]), day arithmetic on Julian day numbers ([`day`]), the
//! record types of Arts 15–18 ([`record`]), the refusal reason letters of SBC Annex V Part B
//! loaded from configuration ([`refusal`]), the Art 34 retention decision ([`retention`]), and
//! seeded synthetic data for benchmarks ([`synth`]).
//!
//! It deliberately does no I/O, reads no clock and keeps no state: every date ("on", "as of") is
//! passed in, and storing, journalling and serving EES records belong to `limes-store`,
//! `limes-hub` and `limes-server`.

pub mod calc;
pub mod day;
pub mod overstay;
pub mod record;
pub mod refusal;
pub mod retention;
pub mod synth;

pub use calc::{
    MAX_DAYS, Stay, StayBasis, StayError, StayHistory, Summary, WINDOW_DAYS, calculate,
};
pub use day::Day;
pub use overstay::{OverstayRecord, OverstayStatus};
