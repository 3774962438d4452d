//! Serde helpers: a [`crate::Hash`] as lowercase hex.

use serde::{Deserialize, Deserializer, Serializer, de::Error};

pub fn serialize<S: Serializer>(hash: &crate::Hash, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&hex::encode(hash))
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<crate::Hash, D::Error> {
    let text = String::deserialize(d)?;
    parse(&text).ok_or_else(|| D::Error::custom("expected 64 lowercase hex digits"))
}

/// Parses 64 hex digits into a hash.
pub fn parse(text: &str) -> Option<crate::Hash> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(text, &mut out).ok()?;
    Some(out)
}
