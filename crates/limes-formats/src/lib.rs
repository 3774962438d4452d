//! Limes's readers and writers of the formats travel documents and travel data arrive in, starting
//! with the machine-readable zone (ICAO Doc 9303) of passports, identity cards and visas.
//!
//! It is pure: text in, typed values and a list of findings out.
//! It deliberately does no I/O, reads no clock (the caller passes today's date) and knows no EU
//! system's rules: whether a document is expired, wanted or stolen is decided in `limes-hub`.

pub mod mrz;

pub use mrz::{
    Mrz, MrzEmitError, MrzField, MrzFormat, MrzIssue, MrzIssueKind, NotAnMrz, check_digit,
    check_passed, parse_mrz,
};
