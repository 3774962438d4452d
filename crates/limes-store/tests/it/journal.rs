use limes_store::{BreakReason, Checkpoint, JournalFilter, Store, StoreError};
use time::Duration;

use crate::harness::{Harness, NODE, both, entry};

async fn fill(store: &Store, n: usize) {
    for i in 0..n {
        store.append(entry("alice", i)).await.expect("append");
    }
}

#[track_caller]
fn assert_broken(report: &limes_store::VerifyReport, seq: u64, reason: BreakReason) {
    let broken = report
        .broken
        .as_ref()
        .unwrap_or_else(|| panic!("expected a break, got {report:?}"));
    assert!(!report.ok);
    assert_eq!((broken.seq, broken.reason), (seq, reason), "{report:?}");
}

both!(migrations_idempotent);
async fn migrations_idempotent(h: &Harness) {
    let store = h.open().await;
    store.append(entry("alice", 0)).await.expect("append");
    drop(store);
    let store = h.open().await;
    assert_eq!(h.int("SELECT count(*) FROM schema_migrations").await, 1);
    assert_eq!(store.verify(None).await.expect("verify").entries, 1);
    drop(store);
    // A recorded migration whose checksum differs from this build: refuse to open.
    h.exec("UPDATE schema_migrations SET sha256 = 'x' WHERE version = 1")
        .await;
    let err = Store::open(h.backend(), h.config())
        .await
        .err()
        .expect("must refuse");
    assert!(matches!(err, StoreError::Migration(_)), "{err:?}");
}

both!(append_and_search);
async fn append_and_search(h: &Harness) {
    let store = h.open().await;
    let first = store.append(entry("alice", 1)).await.expect("append");
    assert_eq!((first.seq, first.prev_hash), (1, [0; 32]));
    h.clock.advance(Duration::minutes(5));
    let mut bob = entry("bob", 2);
    bob.purpose = Some("law_enforcement".into());
    bob.case_ref = Some("CASE-1".into());
    let batch = store
        .append_batch(vec![bob.clone(), entry("alice", 3)])
        .await
        .expect("batch");
    assert_eq!(batch[0].seq, 2);
    assert_eq!(batch[0].prev_hash, first.hash);
    assert_eq!(batch[1].prev_hash, batch[0].hash);

    let all = store
        .journal_search(&JournalFilter::default())
        .await
        .expect("search");
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].seq, 3, "newest first");
    assert_eq!(all[2], first, "round trip of every field");
    let by_bob = store
        .journal_search(&JournalFilter {
            actor: Some("bob".into()),
            ..Default::default()
        })
        .await
        .expect("search");
    assert_eq!(by_bob.len(), 1);
    assert_eq!(by_bob[0].body, bob);
    let le = store
        .journal_search(&JournalFilter {
            purpose: Some("law_enforcement".into()),
            ..Default::default()
        })
        .await
        .expect("search");
    assert_eq!(le.len(), 1);
    let early = store
        .journal_search(&JournalFilter {
            to: Some(first.ts + Duration::minutes(1)),
            ..Default::default()
        })
        .await
        .expect("search");
    assert_eq!(early.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![1]);
    let late = store
        .journal_search(&JournalFilter {
            from: Some(first.ts + Duration::minutes(1)),
            limit: 1,
            ..Default::default()
        })
        .await
        .expect("search");
    assert_eq!(late.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![3]);
    let page2 = store
        .journal_search(&JournalFilter {
            limit: 1,
            offset: 1,
            ..Default::default()
        })
        .await
        .expect("search");
    assert_eq!(page2[0].seq, 2);
    let report = store.verify(None).await.expect("verify");
    assert!(report.ok, "{report:?}");
    assert_eq!(report.entries, 3);
    assert_eq!(report.nodes, vec![NODE.to_string()]);
}

both!(group_commit_many_concurrent_appends);
async fn group_commit_many_concurrent_appends(h: &Harness) {
    let store = h.open().await;
    let before = store.commits();
    let tasks: Vec<_> = (0..300)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move { store.append(entry("alice", i)).await })
        })
        .collect();
    let mut seqs = Vec::new();
    for t in tasks {
        seqs.push(t.await.expect("join").expect("append").seq);
    }
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=300).collect::<Vec<u64>>());
    let commits = store.commits() - before;
    assert!(
        commits < 300,
        "appends must share commits, got {commits} commits for 300 appends"
    );
    assert_eq!(h.int("SELECT count(*) FROM journal").await, 300);
    let report = store.verify(None).await.expect("verify");
    assert!(report.ok, "{report:?}");
    assert_eq!(report.entries, 300);
}

both!(injected_commit_failure_is_never_acknowledged);
async fn injected_commit_failure_is_never_acknowledged(h: &Harness) {
    let store = h.open().await;
    fill(&store, 3).await;
    // A whole batch in one commit.
    store.inject_commit_failures(1);
    let err = store
        .append_batch((100..110).map(|i| entry("mallory", i)).collect())
        .await
        .expect_err("the commit failed");
    assert!(matches!(err, StoreError::CommitFailed(_)), "{err:?}");
    assert_eq!(h.int("SELECT count(*) FROM journal").await, 3);
    // Many concurrent waiters: whoever shared the failing commit gets Err, and nothing of it is stored.
    store.inject_commit_failures(1);
    let tasks: Vec<_> = (200..264)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move { (i, store.append(entry("carol", i)).await) })
        })
        .collect();
    let mut failed = 0;
    let mut acked = 0;
    for t in tasks {
        let (i, result) = t.await.expect("join");
        let rec = format!("[\"rec-{i}\"]");
        let stored = h
            .int(&format!(
                "SELECT count(*) FROM journal WHERE record_ids = '{rec}'"
            ))
            .await;
        match result {
            Ok(_) => {
                acked += 1;
                assert_eq!(stored, 1, "acknowledged entry {i} must be stored");
            }
            Err(e) => {
                failed += 1;
                assert!(matches!(e, StoreError::CommitFailed(_)), "{e:?}");
                assert_eq!(stored, 0, "failed entry {i} must not be stored");
            }
        }
    }
    assert!(failed >= 1, "one commit was made to fail");
    assert_eq!(acked + failed, 64);
    // Account writes too.
    store.inject_commit_failures(1);
    let user = limes_store::NewUser {
        name: "eve".into(),
        roles: vec![],
        password_hash: "x".into(),
    };
    assert!(
        store
            .create_user(user.clone(), entry("admin", 0))
            .await
            .is_err()
    );
    assert!(store.user("eve").await.expect("read").is_none());
    store
        .create_user(user, entry("admin", 0))
        .await
        .expect("next commit works");
    let report = store.verify(None).await.expect("verify");
    assert!(report.ok, "{report:?}");
    assert_eq!(
        report.entries as i64,
        h.int("SELECT count(*) FROM journal").await
    );
}

both!(tamper_edit_detected);
async fn tamper_edit_detected(h: &Harness) {
    let store = h.open().await;
    fill(&store, 6).await;
    assert!(store.verify(None).await.expect("verify").ok);
    h.exec(&format!(
        "UPDATE journal SET actor = 'mallory' WHERE node = '{NODE}' AND seq = 4"
    ))
    .await;
    assert_broken(
        &store.verify(None).await.expect("verify"),
        4,
        BreakReason::Edited,
    );
}

both!(tamper_query_edit_detected);
async fn tamper_query_edit_detected(h: &Harness) {
    let store = h.open().await;
    fill(&store, 6).await;
    h.exec("UPDATE journal SET record_ids = '[]' WHERE seq = 2")
        .await;
    assert_broken(
        &store.verify(None).await.expect("verify"),
        2,
        BreakReason::Edited,
    );
}

both!(tamper_delete_detected);
async fn tamper_delete_detected(h: &Harness) {
    let store = h.open().await;
    fill(&store, 6).await;
    h.exec("DELETE FROM journal WHERE seq = 3").await;
    assert_broken(
        &store.verify(None).await.expect("verify"),
        3,
        BreakReason::Deleted,
    );
}

both!(tamper_delete_first_and_last_detected);
async fn tamper_delete_first_and_last_detected(h: &Harness) {
    let store = h.open().await;
    fill(&store, 6).await;
    h.exec("DELETE FROM journal WHERE seq = 6").await;
    assert_broken(
        &store.verify(None).await.expect("verify"),
        6,
        BreakReason::Truncated,
    );
    h.exec("DELETE FROM journal WHERE seq = 1").await;
    assert_broken(
        &store.verify(None).await.expect("verify"),
        1,
        BreakReason::Deleted,
    );
}

both!(tamper_insert_detected);
async fn tamper_insert_detected(h: &Harness) {
    let store = h.open().await;
    fill(&store, 6).await;
    // Make room after seq 3 and insert a forged entry there (a copy of 3 with another actor).
    h.exec(
        "UPDATE journal SET seq = seq + 1000 WHERE seq > 3;
         UPDATE journal SET seq = seq - 999 WHERE seq > 1000;
         INSERT INTO journal (node, seq, ts, prev_hash, hash, actor, roles, purpose, case_ref, action, query, record_ids, outcome)
           SELECT node, 4, ts, prev_hash, hash, 'mallory', roles, purpose, case_ref, action, query, record_ids, outcome FROM journal WHERE seq = 3;
         UPDATE journal_heads SET seq = seq + 1;",
    )
    .await;
    assert_broken(
        &store.verify(None).await.expect("verify"),
        4,
        BreakReason::Reordered,
    );
}

both!(tamper_swap_detected);
async fn tamper_swap_detected(h: &Harness) {
    let store = h.open().await;
    fill(&store, 6).await;
    h.exec(
        "UPDATE journal SET seq = -1 WHERE seq = 2;
         UPDATE journal SET seq = 2 WHERE seq = 3;
         UPDATE journal SET seq = 3 WHERE seq = -1;",
    )
    .await;
    assert_broken(
        &store.verify(None).await.expect("verify"),
        2,
        BreakReason::Reordered,
    );
}

both!(truncation_behind_exported_checkpoint_detected);
async fn truncation_behind_exported_checkpoint_detected(h: &Harness) {
    let store = h.open().await;
    fill(&store, 8).await;
    let exported = Checkpoint::parse(&store.checkpoint_now().await.expect("checkpoint").to_text())
        .expect("parse exported");
    assert_eq!(exported.seq, 8);
    assert_eq!(
        store.latest_checkpoint().await.expect("latest").as_ref(),
        Some(&exported)
    );
    assert!(store.verify(Some(&exported)).await.expect("verify").ok);
    fill(&store, 2).await;
    // A careful attacker: drop the tail, the stored checkpoints and fix the head row.
    h.exec(
        "DELETE FROM journal WHERE seq > 5;
         DELETE FROM journal_checkpoints;
         UPDATE journal_heads SET seq = 5, hash = (SELECT hash FROM journal WHERE seq = 5);",
    )
    .await;
    assert!(
        store.verify(None).await.expect("verify").ok,
        "undetectable without the export"
    );
    assert_broken(
        &store.verify(Some(&exported)).await.expect("verify"),
        6,
        BreakReason::Truncated,
    );
    // A forged export is refused.
    let mut forged = exported.clone();
    forged.seq = 5;
    assert_broken(
        &store.verify(Some(&forged)).await.expect("verify"),
        5,
        BreakReason::BadSignature,
    );
}

both!(checkpoints_periodic_and_tampered);
async fn checkpoints_periodic_and_tampered(h: &Harness) {
    let mut config = h.config();
    config.checkpoint_every = 10;
    config.checkpoint_interval = std::time::Duration::from_secs(3600);
    let store = h.open_with(config).await;
    fill(&store, 25).await;
    let cps = h.int("SELECT count(*) FROM journal_checkpoints").await;
    assert!(cps >= 2, "expected periodic checkpoints, got {cps}");
    let latest = store
        .latest_checkpoint()
        .await
        .expect("latest")
        .expect("some");
    assert!(latest.seq >= 20, "{latest:?}");
    latest.verify().expect("signature");
    let report = store.verify(None).await.expect("verify");
    assert!(report.ok, "{report:?}");
    assert_eq!(report.key_ids, vec![h.signer.public_hex()]);
    // Rewriting an entry and its hash, and relinking the next entry's prev_hash, defeats the
    // chain check only up to the checkpoint that covers it.
    h.exec(&format!(
        "UPDATE journal_checkpoints SET seq = seq + 1 WHERE seq = {}",
        latest.seq
    ))
    .await;
    assert_broken(
        &store.verify(None).await.expect("verify"),
        latest.seq + 1,
        BreakReason::BadSignature,
    );
}

both!(checkpoint_needs_signer);
async fn checkpoint_needs_signer(h: &Harness) {
    let mut config = h.config();
    config.signer = None;
    let store = h.open_with(config).await;
    fill(&store, 2).await;
    assert!(matches!(
        store.checkpoint_now().await,
        Err(StoreError::NoSigner)
    ));
    assert!(store.latest_checkpoint().await.expect("latest").is_none());
    assert!(store.verify(None).await.expect("verify").ok);
}

both!(prune_leaves_signed_anchor);
async fn prune_leaves_signed_anchor(h: &Harness) {
    let store = h.open().await;
    fill(&store, 5).await;
    h.clock.advance(Duration::days(400));
    let cutoff = limes_model::Clock::now(h.clock.as_ref());
    fill(&store, 3).await;
    let report = store.prune(cutoff, entry("dpo", 99)).await.expect("prune");
    assert_eq!(report.deleted, 5);
    assert_eq!(report.anchors.len(), 1);
    assert_eq!(report.anchors[0].seq, 5);
    assert_eq!(report.audit.seq, 9);
    assert_eq!(h.int("SELECT count(*) FROM journal").await, 4);
    assert_eq!(h.int("SELECT min(seq) FROM journal").await, 6);
    assert_eq!(
        h.int("SELECT count(*) FROM journal_checkpoints WHERE kind = 'anchor'")
            .await,
        1
    );
    let verified = store.verify(None).await.expect("verify");
    assert!(verified.ok, "{verified:?}");
    assert_eq!(verified.entries, 4);
    // Deleting the first entry after the anchor is still caught.
    h.exec("DELETE FROM journal WHERE seq = 6").await;
    assert_broken(
        &store.verify(None).await.expect("verify"),
        6,
        BreakReason::Deleted,
    );
}

both!(two_stores_same_database_append_concurrently);
async fn two_stores_same_database_append_concurrently(h: &Harness) {
    // Stands in for the CLI writing while the server runs: same node, separate writers.
    let server = h.open().await;
    let cli = h.open().await;
    let mut tasks = Vec::new();
    for i in 0..120 {
        let store = if i % 2 == 0 {
            server.clone()
        } else {
            cli.clone()
        };
        tasks.push(tokio::spawn(
            async move { store.append(entry("x", i)).await },
        ));
    }
    for t in tasks {
        t.await.expect("join").expect("append");
    }
    assert_eq!(h.int("SELECT count(*) FROM journal").await, 120);
    let report = cli.verify(None).await.expect("verify");
    assert!(report.ok, "{report:?}");
    assert_eq!(report.entries, 120);
}
