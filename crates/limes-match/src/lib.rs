//! limes-match: the identity matching engine. Normalises names (ICAO 9303 transliteration,
//! national variants, particles), compares names, birth dates, nationality, sex, travel documents
//! and number plates, combines them as Fellegi–Sunter evidence into a calibrated probability with a
//! reviewer-readable explanation, and holds the in-memory candidate index that makes screening a
//! probe against millions of records a sub-millisecond affair.
//!
//! It is a pure library: no I/O, no async, no clock, no knowledge of which EU system asked. Reading
//! JSON lines, progress bars and deciding what a "hit" means for an alert live in callers.

pub mod compare;
pub mod doubles;
pub mod frequency;
pub mod generate;
pub mod index;
pub mod normalize;
pub mod score;

pub use compare::Prepared;
pub use index::{
    DEFAULT_THRESHOLD, Handle, Hit, Index, IndexBuilder, IndexConfig, IndexError, ScreenOptions,
};
pub use score::{Comparison, FieldEvidence, FlatFrequency, NameFrequency};

use limes_model::Identity;

/// Compares two identities without gallery statistics (every name token assumed as common as a
/// typical surname). Symmetric and bounded in [0,1].
pub fn compare(a: &Identity, b: &Identity) -> Comparison {
    score::compare_prepared(&Prepared::new(a), &Prepared::new(b), &FlatFrequency)
}
