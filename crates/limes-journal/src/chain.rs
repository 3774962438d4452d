//! Entries, their hash, and the streaming chain verifier.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::encode::{Enc, canonical_json};
use crate::{GENESIS, Hash};

/// What the hub asks to record (LED Art. 25(1): who, role, purpose, justification or case,
/// what was asked, which records were returned, when — the "when" is added by the store).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewEntry {
    pub actor: String,
    pub roles: Vec<String>,
    pub purpose: Option<String>,
    pub case_ref: Option<String>,
    pub action: String,
    pub query: serde_json::Value,
    pub record_ids: Vec<String>,
    pub outcome: String,
}

/// A journalled entry: its place in its node's chain, when it was written, and the link hashes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub node: String,
    pub seq: u64,
    #[serde(with = "time::serde::rfc3339")]
    pub ts: OffsetDateTime,
    #[serde(with = "crate::hex_hash")]
    pub prev_hash: Hash,
    #[serde(with = "crate::hex_hash")]
    pub hash: Hash,
    #[serde(flatten)]
    pub body: NewEntry,
}

impl Entry {
    /// Builds the entry that follows `prev` (hash, seq) in `node`'s chain.
    pub fn chain(
        node: &str,
        prev_seq: u64,
        prev_hash: Hash,
        ts: OffsetDateTime,
        body: NewEntry,
    ) -> Entry {
        let seq = prev_seq + 1;
        let hash = entry_hash(&prev_hash, node, seq, ts.unix_timestamp_nanos(), &body);
        Entry {
            node: node.to_owned(),
            seq,
            ts,
            prev_hash,
            hash,
            body,
        }
    }

    /// Recomputes the hash from the entry's content (not from its stored `hash`).
    pub fn computed_hash(&self) -> Hash {
        entry_hash(
            &self.prev_hash,
            &self.node,
            self.seq,
            self.ts.unix_timestamp_nanos(),
            &self.body,
        )
    }
}

/// SHA-256 over a domain-separated, length-prefixed encoding of the entry; `query` enters as
/// canonical JSON so that key order does not matter.
pub fn entry_hash(prev: &Hash, node: &str, seq: u64, ts_unix_nanos: i128, body: &NewEntry) -> Hash {
    let mut enc = Enc::new("limes-journal/v1/entry");
    enc.fixed(prev);
    enc.str(node);
    enc.u64(seq);
    enc.i128(ts_unix_nanos);
    enc.str(&body.actor);
    enc.list(&body.roles);
    enc.opt_str(body.purpose.as_deref());
    enc.opt_str(body.case_ref.as_deref());
    enc.str(&body.action);
    enc.str(&canonical_json(&body.query));
    enc.list(&body.record_ids);
    enc.str(&body.outcome);
    enc.finish()
}

/// Why a chain (or, in `limes-store`, a journal with its checkpoints) fails verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakReason {
    /// The entry's content no longer matches its hash.
    Edited,
    /// One or more entries are missing here (the seq jumps, or the chain does not start where it should).
    Deleted,
    /// An entry with this seq was already seen (a duplicate was inserted).
    Inserted,
    /// The entry does not link to its predecessor: entries were swapped, or one was inserted
    /// and the following ones renumbered.
    Reordered,
    /// Entries at the end are missing: the head record or a signed checkpoint names an entry
    /// that is not there.
    Truncated,
    /// A checkpoint's signature does not verify.
    BadSignature,
    /// A signed checkpoint names a hash different from the stored entry at its seq.
    CheckpointMismatch,
    /// The stored chain head disagrees with the last entry.
    HeadMismatch,
    /// The entry belongs to another node than the chain being verified.
    WrongNode,
}

impl std::fmt::Display for BreakReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BreakReason::Edited => "entry edited (content does not match its hash)",
            BreakReason::Deleted => "entry deleted (sequence gap)",
            BreakReason::Inserted => "entry inserted (duplicate sequence number)",
            BreakReason::Reordered => {
                "entry inserted or reordered (does not link to the previous entry)"
            }
            BreakReason::Truncated => "entries truncated (missing behind a head or checkpoint)",
            BreakReason::BadSignature => "checkpoint signature does not verify",
            BreakReason::CheckpointMismatch => "checkpoint hash differs from the stored entry",
            BreakReason::HeadMismatch => "stored chain head differs from the last entry",
            BreakReason::WrongNode => "entry belongs to another node",
        })
    }
}

/// The first place where verification failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainBreak {
    pub node: String,
    pub seq: u64,
    pub reason: BreakReason,
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "node {} seq {}: {}", self.node, self.seq, self.reason)
    }
}

/// Verifies one node's entries fed in seq order, from genesis or from a trusted anchor
/// (a signed checkpoint left by pruning). Stops at the first break.
#[derive(Clone, Debug)]
pub struct ChainVerifier {
    node: String,
    next_seq: u64,
    prev_hash: Hash,
    checked: u64,
    broken: Option<ChainBreak>,
}

impl ChainVerifier {
    /// Expects seq 1 with `prev_hash` all zeros.
    pub fn genesis(node: &str) -> Self {
        Self::from_anchor(node, 0, GENESIS)
    }

    /// Expects `seq + 1` linking to `hash`.
    pub fn from_anchor(node: &str, seq: u64, hash: Hash) -> Self {
        ChainVerifier {
            node: node.to_owned(),
            next_seq: seq + 1,
            prev_hash: hash,
            checked: 0,
            broken: None,
        }
    }

    /// Checks the next entry. After the first break every later call returns that break.
    pub fn push(&mut self, entry: &Entry) -> Result<(), ChainBreak> {
        if let Some(broken) = &self.broken {
            return Err(broken.clone());
        }
        let fail = |reason, seq| ChainBreak {
            node: self.node.clone(),
            seq,
            reason,
        };
        let outcome = if entry.node != self.node {
            Err(fail(BreakReason::WrongNode, entry.seq))
        } else if entry.seq < self.next_seq {
            Err(fail(BreakReason::Inserted, entry.seq))
        } else if entry.seq > self.next_seq {
            Err(fail(BreakReason::Deleted, self.next_seq))
        } else if entry.prev_hash != self.prev_hash {
            Err(fail(BreakReason::Reordered, entry.seq))
        } else if entry.computed_hash() != entry.hash {
            Err(fail(BreakReason::Edited, entry.seq))
        } else {
            Ok(())
        };
        match outcome {
            Ok(()) => {
                self.next_seq += 1;
                self.prev_hash = entry.hash;
                self.checked += 1;
                Ok(())
            }
            Err(broken) => {
                self.broken = Some(broken.clone());
                Err(broken)
            }
        }
    }

    /// The last verified (seq, hash): the anchor if nothing was fed.
    pub fn head(&self) -> (u64, Hash) {
        (self.next_seq - 1, self.prev_hash)
    }

    /// How many entries verified so far.
    pub fn checked(&self) -> u64 {
        self.checked
    }

    pub fn broken(&self) -> Option<&ChainBreak> {
        self.broken.as_ref()
    }

    pub fn node(&self) -> &str {
        &self.node
    }
}

#[cfg(test)]
mod tests;
