//! The audit journal's pure core: the entry format, the hash chain that links a node's entries,
//! the verifier that names the first broken entry, and signed checkpoints (the exported file format).
//!
//! It deliberately does no I/O, no async and reads no clock: timestamps and key material come in
//! as arguments. Storage (tables `journal`, `journal_heads`, `journal_checkpoints`) lives in
//! `limes-store`, which feeds stored rows through [`ChainVerifier`].
//!
//! Why a hash chain: LED Art. 25 and GDPR Art. 5(1)(f) ask for logs whose integrity can be shown;
//! each entry commits to its predecessor, so editing, deleting, inserting or reordering any entry
//! breaks the chain at a seq we can name. Truncating the tail leaves a valid shorter chain, which is
//! why checkpoints (signed heads, kept elsewhere) exist.

mod chain;
mod checkpoint;
mod encode;
pub mod hex_hash;

pub use chain::{BreakReason, ChainBreak, ChainVerifier, Entry, NewEntry, entry_hash};
pub use checkpoint::{Checkpoint, CheckpointKind, Signer, checkpoint_message};
pub use encode::canonical_json;

/// A SHA-256 digest. Serialised as lowercase hex.
pub type Hash = [u8; 32];

/// The `prev_hash` of a node's first entry (seq 1).
pub const GENESIS: Hash = [0; 32];

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("checkpoint key id is not a valid Ed25519 public key: {0}")]
    BadKey(String),
    #[error("checkpoint signature is malformed: {0}")]
    MalformedSignature(String),
    #[error("checkpoint signature does not verify for key {key_id}")]
    BadSignature { key_id: String },
    #[error("checkpoint file is not valid: {0}")]
    Parse(#[source] serde_json::Error),
}
