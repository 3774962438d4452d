use limes_store::{JournalFilter, RecordWrite};
use serde_json::json;

use crate::harness::{Harness, both, entry};

both!(records_and_outbox);
async fn records_and_outbox(h: &Harness) {
    let store = h.open().await;
    let put = |id: &str, v: i64| RecordWrite {
        kind: "sis_alert".into(),
        id: id.into(),
        body: json!({"v": v}).into(),
    };
    store
        .put_records(
            vec![put("a", 1), put("b", 2), put("c", 3)],
            entry("sirene", 1),
        )
        .await
        .expect("put");
    store
        .put_records(vec![put("b", 20)], entry("sirene", 2))
        .await
        .expect("upsert");
    assert_eq!(
        store.record("sis_alert", "b").await.expect("get"),
        Some(json!({"v": 20}))
    );
    assert_eq!(store.record("sis_alert", "zz").await.expect("get"), None);
    assert_eq!(store.record("other", "a").await.expect("get"), None);
    let deleted = store
        .delete_records(
            "sis_alert",
            vec!["a".into(), "missing".into()],
            entry("sirene", 3),
        )
        .await
        .expect("delete");
    assert_eq!(deleted, 1);
    let all = store
        .scan_records("sis_alert", None, 10)
        .await
        .expect("scan");
    assert_eq!(
        all,
        vec![
            ("b".to_string(), json!({"v": 20})),
            ("c".to_string(), json!({"v": 3}))
        ]
    );
    let after_b = store
        .scan_records("sis_alert", Some("b"), 10)
        .await
        .expect("scan");
    assert_eq!(after_b.len(), 1);

    let changes = store.changes_since(0, 100).await.expect("changes");
    let ops: Vec<(String, String)> = changes
        .iter()
        .map(|c| (c.id.clone(), c.op.clone()))
        .collect();
    assert_eq!(
        ops,
        [
            ("a", "put"),
            ("b", "put"),
            ("c", "put"),
            ("b", "put"),
            ("a", "delete")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert!(changes.windows(2).all(|w| w[0].seq < w[1].seq));
    let tail = store
        .changes_since(changes[2].seq, 100)
        .await
        .expect("changes");
    assert_eq!(tail.len(), 2);
    assert_eq!(store.changes_since(0, 2).await.expect("changes").len(), 2);
    let tail = store.outbox_tail(changes[2].seq).await.expect("tail");
    assert_eq!((tail.count, tail.last), (2, changes[4].seq));
    let none = store.outbox_tail(changes[4].seq).await.expect("tail");
    assert_eq!((none.count, none.last), (0, changes[4].seq));
    assert_eq!(store.outbox_head().await.expect("head"), changes[4].seq);
    store.checkpoint().await.expect("checkpoint");
    assert_eq!(
        store.record("sis_alert", "b").await.expect("get"),
        Some(json!({"v": 20}))
    );
    // Three record writes, three audit entries.
    let journal = store
        .journal_search(&JournalFilter::default())
        .await
        .expect("journal");
    assert_eq!(journal.len(), 3);
    // A failed commit leaves neither the record nor its outbox row nor its audit entry.
    store.inject_commit_failures(1);
    assert!(
        store
            .put_records(vec![put("d", 4)], entry("sirene", 4))
            .await
            .is_err()
    );
    assert_eq!(store.record("sis_alert", "d").await.expect("get"), None);
    assert_eq!(store.changes_since(0, 100).await.expect("changes").len(), 5);
    assert_eq!(
        store
            .journal_search(&JournalFilter::default())
            .await
            .expect("journal")
            .len(),
        3
    );
}
