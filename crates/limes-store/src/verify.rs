//! Verification logic shared by both backends; the backends only stream rows into it.
//!
//! Order of checks: every stored checkpoint's signature; then per node (sorted) the chain from
//! its newest anchor, each checkpoint (and the exported one) against the entry at its seq, and
//! the stored head against the last entry. The first failure is reported.

use std::collections::{BTreeMap, BTreeSet};

use limes_journal::{
    BreakReason, ChainBreak, ChainVerifier, Checkpoint, CheckpointKind, Entry, Hash,
};

use crate::VerifyReport;

pub(crate) struct Verification {
    checkpoints: BTreeMap<String, Vec<Checkpoint>>,
    heads: BTreeMap<String, (u64, Hash)>,
    nodes: BTreeSet<String>,
    key_ids: BTreeSet<String>,
    checkpoint_count: u64,
    entries: u64,
    broken: Option<ChainBreak>,
    current: Option<NodeRun>,
}

struct NodeRun {
    verifier: ChainVerifier,
    /// Checkpoints after the anchor to match, sorted by seq.
    pending: Vec<Checkpoint>,
    next: usize,
}

impl Verification {
    /// `journal_nodes`: the nodes that have entries.
    pub fn new(
        checkpoints: Vec<Checkpoint>,
        heads: Vec<(String, u64, Hash)>,
        journal_nodes: Vec<String>,
        against: Option<&Checkpoint>,
    ) -> Self {
        let mut v = Verification {
            checkpoints: BTreeMap::new(),
            heads: BTreeMap::new(),
            nodes: journal_nodes.into_iter().collect(),
            key_ids: BTreeSet::new(),
            checkpoint_count: 0,
            entries: 0,
            broken: None,
            current: None,
        };
        let mut all = checkpoints;
        all.sort_by_key(|c| (c.node.clone(), c.seq));
        for cp in &all {
            v.checkpoint_count += 1;
            v.key_ids.insert(cp.key_id.clone());
            if v.broken.is_none() && cp.verify().is_err() {
                v.broken = Some(brk(&cp.node, cp.seq, BreakReason::BadSignature));
            }
        }
        if let Some(cp) = against
            && v.broken.is_none()
            && cp.verify().is_err()
        {
            v.broken = Some(brk(&cp.node, cp.seq, BreakReason::BadSignature));
        }
        for cp in all.into_iter().chain(against.cloned()) {
            v.nodes.insert(cp.node.clone());
            v.checkpoints.entry(cp.node.clone()).or_default().push(cp);
        }
        for (node, seq, hash) in heads {
            v.nodes.insert(node.clone());
            v.heads.insert(node, (seq, hash));
        }
        v
    }

    pub fn is_broken(&self) -> bool {
        self.broken.is_some()
    }

    pub fn nodes(&self) -> Vec<String> {
        self.nodes.iter().cloned().collect()
    }

    /// The newest anchor of `node`: verification starts after it.
    fn anchor(&self, node: &str) -> Option<&Checkpoint> {
        self.checkpoints
            .get(node)?
            .iter()
            .filter(|c| c.kind == CheckpointKind::Anchor)
            .max_by_key(|c| c.seq)
    }

    /// The seq after which `node`'s entries must be streamed.
    pub fn start_seq(&self, node: &str) -> u64 {
        self.anchor(node).map_or(0, |a| a.seq)
    }

    /// Starts a node; returns the seq after which its entries must be streamed.
    pub fn start_node(&mut self, node: &str) -> u64 {
        let cps = self.checkpoints.get(node).cloned().unwrap_or_default();
        let verifier = match self.anchor(node) {
            Some(a) => ChainVerifier::from_anchor(node, a.seq, a.hash),
            None => ChainVerifier::genesis(node),
        };
        let start = verifier.head().0;
        // Checkpoints at or behind the anchor name entries that were pruned; their signatures
        // were checked above, the entries cannot be.
        let mut pending: Vec<Checkpoint> = cps.into_iter().filter(|c| c.seq > start).collect();
        pending.sort_by_key(|c| c.seq);
        self.current = Some(NodeRun {
            verifier,
            pending,
            next: 0,
        });
        start
    }

    /// Feeds the next entry (seq order); `false` once broken (stop streaming).
    pub fn feed(&mut self, entry: &Entry) -> bool {
        if self.broken.is_some() {
            return false;
        }
        let Some(run) = self.current.as_mut() else {
            return false;
        };
        if let Err(b) = run.verifier.push(entry) {
            self.broken = Some(b);
            return false;
        }
        self.entries += 1;
        while let Some(cp) = run.pending.get(run.next) {
            if cp.seq > entry.seq {
                break;
            }
            if cp.seq == entry.seq && cp.hash != entry.hash {
                self.broken = Some(brk(&entry.node, entry.seq, BreakReason::CheckpointMismatch));
                return false;
            }
            run.next += 1;
        }
        true
    }

    /// Ends the node started last: checkpoints beyond the last entry and the stored head.
    pub fn end_node(&mut self) {
        let Some(run) = self.current.take() else {
            return;
        };
        if self.broken.is_some() {
            return;
        }
        let node = run.verifier.node().to_owned();
        let (seq, hash) = run.verifier.head();
        if run.pending.get(run.next).is_some() {
            self.broken = Some(brk(&node, seq + 1, BreakReason::Truncated));
            return;
        }
        match self.heads.get(&node) {
            // A node without entries and without a head row: nothing was ever written.
            None if seq == 0 => {}
            None => self.broken = Some(brk(&node, seq, BreakReason::HeadMismatch)),
            Some(&(head_seq, head_hash)) => {
                if head_seq > seq {
                    self.broken = Some(brk(&node, seq + 1, BreakReason::Truncated));
                } else if head_seq < seq {
                    self.broken = Some(brk(&node, head_seq + 1, BreakReason::HeadMismatch));
                } else if head_hash != hash {
                    self.broken = Some(brk(&node, seq, BreakReason::HeadMismatch));
                }
            }
        }
    }

    pub fn finish(self) -> VerifyReport {
        VerifyReport {
            entries: self.entries,
            checkpoints: self.checkpoint_count,
            nodes: self.nodes.into_iter().collect(),
            key_ids: self.key_ids.into_iter().collect(),
            ok: self.broken.is_none(),
            broken: self.broken,
        }
    }
}

fn brk(node: &str, seq: u64, reason: BreakReason) -> ChainBreak {
    ChainBreak {
        node: node.to_owned(),
        seq,
        reason,
    }
}
