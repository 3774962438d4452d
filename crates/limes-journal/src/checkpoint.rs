//! Signed checkpoints: a node's chain head (seq, hash) at a time, signed with Ed25519.
//!
//! A checkpoint exported and kept elsewhere lets a verifier detect truncation behind it; an
//! `Anchor` checkpoint written by pruning is where verification of a pruned chain starts.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::encode::Enc;
use crate::{Hash, JournalError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckpointKind {
    /// Written every N entries or T seconds, and on demand.
    Periodic,
    /// Written by pruning at the last deleted entry: the chain now starts after it.
    Anchor,
}

impl CheckpointKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckpointKind::Periodic => "periodic",
            CheckpointKind::Anchor => "anchor",
        }
    }
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "periodic" => Some(CheckpointKind::Periodic),
            "anchor" => Some(CheckpointKind::Anchor),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub node: String,
    pub seq: u64,
    #[serde(with = "crate::hex_hash")]
    pub hash: Hash,
    #[serde(with = "time::serde::rfc3339")]
    pub ts: OffsetDateTime,
    /// Hex of the Ed25519 public key that signed it.
    pub key_id: String,
    /// Base64 (standard, padded) of the 64-byte Ed25519 signature over [`checkpoint_message`].
    pub signature: String,
    pub kind: CheckpointKind,
}

/// The bytes that a checkpoint signature covers (domain-separated, length-prefixed).
/// The key id is covered too, so a signature cannot be re-labelled.
pub fn checkpoint_message(
    node: &str,
    seq: u64,
    hash: &Hash,
    ts: OffsetDateTime,
    kind: CheckpointKind,
    key_id: &str,
) -> Hash {
    let mut enc = Enc::new("limes-journal/v1/checkpoint");
    enc.str(node);
    enc.u64(seq);
    enc.fixed(hash);
    enc.i128(ts.unix_timestamp_nanos());
    enc.str(kind.as_str());
    enc.str(key_id);
    enc.finish()
}

impl Checkpoint {
    /// Checks the signature against the key named in `key_id`. Whether that key is trusted is
    /// the caller's question.
    pub fn verify(&self) -> Result<(), JournalError> {
        let mut key = [0u8; 32];
        hex::decode_to_slice(&self.key_id, &mut key)
            .map_err(|e| JournalError::BadKey(e.to_string()))?;
        let key =
            VerifyingKey::from_bytes(&key).map_err(|e| JournalError::BadKey(e.to_string()))?;
        let raw = B64
            .decode(&self.signature)
            .map_err(|e| JournalError::MalformedSignature(e.to_string()))?;
        let raw: [u8; 64] = raw
            .try_into()
            .map_err(|_| JournalError::MalformedSignature("expected 64 bytes".into()))?;
        let signature = Signature::from_bytes(&raw);
        let message = checkpoint_message(
            &self.node,
            self.seq,
            &self.hash,
            self.ts,
            self.kind,
            &self.key_id,
        );
        key.verify_strict(&message, &signature)
            .map_err(|_| JournalError::BadSignature {
                key_id: self.key_id.clone(),
            })
    }

    /// The exported file format: pretty JSON with a trailing newline.
    pub fn to_text(&self) -> String {
        // Serialising plain strings and numbers cannot fail.
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    pub fn parse(text: &str) -> Result<Self, JournalError> {
        serde_json::from_str(text).map_err(JournalError::Parse)
    }
}

/// The Ed25519 key that signs checkpoints. Never stored in the database.
pub struct Signer(SigningKey);

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signer({})", self.public_hex())
    }
}

impl Signer {
    pub fn from_bytes(secret: &[u8; 32]) -> Self {
        Signer(SigningKey::from_bytes(secret))
    }

    /// A new key from 32 random bytes the caller drew (this crate reads no randomness).
    pub fn generate(rng_bytes: [u8; 32]) -> Self {
        Self::from_bytes(&rng_bytes)
    }

    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    pub fn public_hex(&self) -> String {
        hex::encode(self.0.verifying_key().to_bytes())
    }

    pub fn sign(
        &self,
        node: &str,
        seq: u64,
        hash: Hash,
        ts: OffsetDateTime,
        kind: CheckpointKind,
    ) -> Checkpoint {
        let key_id = self.public_hex();
        let message = checkpoint_message(node, seq, &hash, ts, kind, &key_id);
        let signature = self.0.sign(&message);
        Checkpoint {
            node: node.to_owned(),
            seq,
            hash,
            ts,
            key_id,
            signature: B64.encode(signature.to_bytes()),
            kind,
        }
    }
}
