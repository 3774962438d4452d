//! The unambiguous byte encoding that entry hashes and checkpoint signatures are computed over.
//!
//! Every variable-length field is prefixed by its length (u64, big-endian), lists by their count,
//! options by a presence byte, so no two different entries encode to the same bytes.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Canonical JSON: object keys sorted by their UTF-8 bytes, no insignificant whitespace,
/// strings and numbers as serde_json writes them (shortest round-tripping float form).
/// Independent of serde_json's map ordering feature, so the hash does not depend on how the
/// value was built.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_unstable();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_string(key, out);
                out.push(':');
                if let Some(v) = map.get(key) {
                    write_canonical(v, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::String(s) => push_string(s, out),
        other => out.push_str(&other.to_string()),
    }
}

fn push_string(s: &str, out: &mut String) {
    // Serialising a &str cannot fail.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

/// A SHA-256 hasher with length-prefixed field writers.
pub(crate) struct Enc(Sha256);

impl Enc {
    pub(crate) fn new(domain: &str) -> Self {
        let mut enc = Enc(Sha256::new());
        enc.str(domain);
        enc
    }
    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.0.update((b.len() as u64).to_be_bytes());
        self.0.update(b);
    }
    pub(crate) fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    pub(crate) fn fixed(&mut self, b: &[u8]) {
        self.0.update(b);
    }
    pub(crate) fn u64(&mut self, n: u64) {
        self.0.update(n.to_be_bytes());
    }
    pub(crate) fn i128(&mut self, n: i128) {
        self.0.update(n.to_be_bytes());
    }
    pub(crate) fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.0.update([0u8]),
            Some(s) => {
                self.0.update([1u8]);
                self.str(s);
            }
        }
    }
    pub(crate) fn list(&mut self, items: &[String]) {
        self.u64(items.len() as u64);
        for item in items {
            self.str(item);
        }
    }
    pub(crate) fn finish(self) -> [u8; 32] {
        self.0.finalize().into()
    }
}
