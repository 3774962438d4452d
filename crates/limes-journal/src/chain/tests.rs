use proptest::prelude::*;
use serde_json::json;
use time::OffsetDateTime;
use time::macros::datetime;

use crate::*;

fn body(n: u64) -> NewEntry {
    NewEntry {
        actor: format!("user{}", n % 3),
        roles: vec!["border_guard".into()],
        purpose: Some("border_check".into()),
        case_ref: n.is_multiple_of(2).then(|| format!("CASE-{n}")),
        action: "person.search".into(),
        query: json!({"n": n, "z": [1.25, "x"], "a": {"b": null}}),
        record_ids: vec![format!("r{n}")],
        outcome: "ok".into(),
    }
}

fn chain(len: u64) -> Vec<Entry> {
    let start = datetime!(2026-11-23 10:00 UTC);
    let mut out: Vec<Entry> = Vec::new();
    for n in 0..len {
        let (seq, hash) = out.last().map_or((0, GENESIS), |e| (e.seq, e.hash));
        out.push(Entry::chain(
            "n1",
            seq,
            hash,
            start + time::Duration::milliseconds(n as i64),
            body(n),
        ));
    }
    out
}

fn verify(entries: &[Entry]) -> Result<u64, ChainBreak> {
    let mut v = ChainVerifier::genesis("n1");
    for e in entries {
        v.push(e)?;
    }
    Ok(v.head().0)
}

#[test]
fn hash_is_independent_of_json_key_order() {
    let mut a = body(1);
    let mut b = body(1);
    a.query = serde_json::from_str(r#"{"x": 1, "y": {"b": 2, "a": 3}}"#).expect("json");
    b.query = serde_json::from_str(r#"{"y": {"a": 3, "b": 2}, "x": 1}"#).expect("json");
    assert_eq!(
        entry_hash(&GENESIS, "n", 1, 5, &a),
        entry_hash(&GENESIS, "n", 1, 5, &b)
    );
}

#[test]
fn fields_are_not_ambiguous() {
    // Moving characters between adjacent fields changes the hash (length prefixes).
    let mut a = body(1);
    a.actor = "ab".into();
    a.action = "c".into();
    let mut b = a.clone();
    b.actor = "a".into();
    b.action = "bc".into();
    assert_ne!(
        entry_hash(&GENESIS, "n", 1, 0, &a),
        entry_hash(&GENESIS, "n", 1, 0, &b)
    );
    let mut c = a.clone();
    c.purpose = None;
    c.case_ref = Some("border_check".into());
    assert_ne!(
        entry_hash(&GENESIS, "n", 1, 0, &a),
        entry_hash(&GENESIS, "n", 1, 0, &c)
    );
}

#[test]
fn entry_json_round_trips_with_hex_hashes() {
    let e = chain(2).pop().expect("entry");
    let text = serde_json::to_string(&e).expect("json");
    assert!(
        text.contains(&format!("\"hash\":\"{}\"", hex::encode(e.hash))),
        "{text}"
    );
    let back: Entry = serde_json::from_str(&text).expect("parse");
    assert_eq!(back, e);
    assert_eq!(back.computed_hash(), e.hash);
}

#[test]
fn checkpoint_sign_verify_and_file_format() {
    let signer = Signer::from_bytes(&[3; 32]);
    let ts = OffsetDateTime::from_unix_timestamp_nanos(1_700_000_000_123_456_789).expect("ts");
    let cp = signer.sign("n1", 42, [9; 32], ts, CheckpointKind::Anchor);
    cp.verify().expect("valid");
    assert_eq!(cp.key_id, signer.public_hex());
    let text = cp.to_text();
    assert!(text.contains("\"kind\": \"anchor\""), "{text}");
    let parsed = Checkpoint::parse(&text).expect("parse");
    assert_eq!(parsed, cp);
    parsed.verify().expect("still valid after the round trip");
    for tampered in [
        Checkpoint {
            seq: 43,
            ..cp.clone()
        },
        Checkpoint {
            node: "n2".into(),
            ..cp.clone()
        },
        Checkpoint {
            hash: [8; 32],
            ..cp.clone()
        },
        Checkpoint {
            kind: CheckpointKind::Periodic,
            ..cp.clone()
        },
        Checkpoint {
            ts: ts + time::Duration::nanoseconds(1),
            ..cp.clone()
        },
        Checkpoint {
            key_id: Signer::from_bytes(&[4; 32]).public_hex(),
            ..cp.clone()
        },
    ] {
        assert!(
            matches!(tampered.verify(), Err(JournalError::BadSignature { .. })),
            "{tampered:?}"
        );
    }
    assert!(matches!(
        Checkpoint {
            key_id: "zz".into(),
            ..cp.clone()
        }
        .verify(),
        Err(JournalError::BadKey(_))
    ));
    assert!(matches!(
        Checkpoint {
            signature: "!!".into(),
            ..cp.clone()
        }
        .verify(),
        Err(JournalError::MalformedSignature(_))
    ));
    assert!(Checkpoint::parse("{}").is_err());
}

#[test]
fn anchor_start() {
    let entries = chain(10);
    let mut v = ChainVerifier::from_anchor("n1", 4, entries[3].hash);
    for e in &entries[4..] {
        v.push(e).expect("verifies from the anchor");
    }
    assert_eq!(v.head(), (10, entries[9].hash));
    let mut wrong = ChainVerifier::from_anchor("n1", 4, [1; 32]);
    assert_eq!(
        wrong.push(&entries[4]).map_err(|b| b.reason),
        Err(BreakReason::Reordered)
    );
}

#[derive(Clone, Debug)]
enum Tamper {
    Edit(usize),
    Delete(usize),
    InsertDuplicate(usize),
    InsertRenumbered(usize),
    Swap(usize),
}

fn tamper(len: usize) -> impl Strategy<Value = Tamper> {
    prop_oneof![
        (0..len).prop_map(Tamper::Edit),
        (0..len - 1).prop_map(Tamper::Delete),
        (1..len).prop_map(Tamper::InsertDuplicate),
        (1..len).prop_map(Tamper::InsertRenumbered),
        (0..len - 1).prop_map(Tamper::Swap),
    ]
}

proptest! {
    #[test]
    fn any_sequence_of_appends_verifies(len in 0u64..40) {
        let entries = chain(len);
        prop_assert_eq!(verify(&entries), Ok(len));
    }

    #[test]
    fn any_single_tamper_is_found_at_its_seq(
        (len, t) in (3usize..30).prop_flat_map(|len| (Just(len), tamper(len))),
        actor in "[a-z]{1,8}",
    ) {
        let mut entries = chain(len as u64);
        let (seq, reason) = match t {
            Tamper::Edit(i) => {
                entries[i].body.actor = format!("{actor}-edited");
                (i as u64 + 1, BreakReason::Edited)
            }
            Tamper::Delete(i) => {
                entries.remove(i);
                (i as u64 + 1, BreakReason::Deleted)
            }
            Tamper::InsertDuplicate(i) => {
                // A forged entry correctly linked to its predecessor, taking seq i+1; the
                // original entry i+1 follows as a duplicate.
                let prev = &entries[i - 1];
                let forged = Entry::chain("n1", prev.seq, prev.hash, prev.ts, body(999));
                entries.insert(i, forged);
                (i as u64 + 1, BreakReason::Inserted)
            }
            Tamper::InsertRenumbered(i) => {
                // Same, and every later entry renumbered: the original entry no longer links.
                let prev = &entries[i - 1];
                let forged = Entry::chain("n1", prev.seq, prev.hash, prev.ts, body(999));
                entries.insert(i, forged);
                for e in &mut entries[i + 1..] {
                    e.seq += 1;
                }
                (i as u64 + 2, BreakReason::Reordered)
            }
            Tamper::Swap(i) => {
                // Exchanging the seq numbers of two rows (what a database ordered by seq shows).
                entries.swap(i, i + 1);
                let s = entries[i].seq;
                entries[i].seq = entries[i + 1].seq;
                entries[i + 1].seq = s;
                (i as u64 + 1, BreakReason::Reordered)
            }
        };
        let broken = verify(&entries).expect_err("tampering must be detected");
        prop_assert_eq!((broken.seq, broken.reason), (seq, reason));
    }
}
