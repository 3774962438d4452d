use limes_store::{JournalFilter, NewToken, NewUser, Store, StoreError};
use time::Duration;

use crate::harness::{Harness, both, entry};

fn audit(action: &str) -> limes_store::NewEntry {
    let mut e = entry("cli:root", 0);
    e.action = action.into();
    e
}

both!(users_and_tokens);
async fn users_and_tokens(h: &Harness) {
    let store = h.open().await;
    let alice = NewUser {
        name: "alice".into(),
        roles: vec!["border_guard".into(), "police_officer".into()],
        password_hash: "$argon2id$v=19$...".into(),
    };
    store
        .create_user(alice.clone(), audit("user.create"))
        .await
        .expect("create");
    let err = store
        .create_user(alice.clone(), audit("user.create"))
        .await
        .expect_err("duplicate");
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    let got = store.user("alice").await.expect("read").expect("exists");
    assert_eq!(
        (got.name.as_str(), &got.roles, got.disabled),
        ("alice", &alice.roles, false)
    );
    assert_eq!(got.password_hash, alice.password_hash);
    assert!(store.user("nobody").await.expect("read").is_none());
    store
        .create_user(
            NewUser {
                name: "bob".into(),
                roles: vec![],
                password_hash: "h".into(),
            },
            audit("user.create"),
        )
        .await
        .expect("create bob");
    let names: Vec<String> = store
        .users()
        .await
        .expect("users")
        .into_iter()
        .map(|u| u.name)
        .collect();
    assert_eq!(names, vec!["alice", "bob"]);

    let expires = limes_model::Clock::now(h.clock.as_ref()) + Duration::days(30);
    let token = NewToken {
        id: "tk1".into(),
        user: "alice".into(),
        hash: vec![1; 32],
        expires_at: expires,
    };
    store
        .create_token(token.clone(), audit("token.create"))
        .await
        .expect("token");
    let err = store
        .create_token(token.clone(), audit("token.create"))
        .await
        .expect_err("dup");
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    let orphan = NewToken {
        id: "tk2".into(),
        user: "nobody".into(),
        hash: vec![2; 32],
        expires_at: expires,
    };
    let err = store
        .create_token(orphan, audit("token.create"))
        .await
        .expect_err("no user");
    assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");

    let found = store
        .token_by_hash(&[1; 32])
        .await
        .expect("lookup")
        .expect("found");
    assert_eq!(
        (found.id.as_str(), found.user.as_str(), found.revoked),
        ("tk1", "alice", false)
    );
    assert_eq!(found.roles, alice.roles);
    assert_eq!(found.expires_at, expires);
    assert!(
        store
            .token_by_hash(&[9; 32])
            .await
            .expect("lookup")
            .is_none()
    );
    assert_eq!(store.tokens(Some("alice")).await.expect("tokens").len(), 1);
    assert_eq!(store.tokens(Some("bob")).await.expect("tokens").len(), 0);
    assert_eq!(store.tokens(None).await.expect("tokens").len(), 1);

    assert!(
        store
            .revoke_token("tk1", audit("token.revoke"))
            .await
            .expect("revoke")
    );
    assert!(
        !store
            .revoke_token("tk1", audit("token.revoke"))
            .await
            .expect("again")
    );
    assert!(
        !store
            .revoke_token("nope", audit("token.revoke"))
            .await
            .expect("unknown")
    );
    assert!(
        store
            .token_by_hash(&[1; 32])
            .await
            .expect("lookup")
            .expect("found")
            .revoked
    );

    // Every successful account write journalled its audit entry, failed ones did not.
    let count = |action: &str| {
        let store = store.clone();
        let action = action.to_owned();
        async move {
            store
                .journal_search(&JournalFilter {
                    action: Some(action),
                    ..Default::default()
                })
                .await
                .expect("search")
                .len()
        }
    };
    assert_eq!(count("user.create").await, 2);
    assert_eq!(count("token.create").await, 1);
    assert_eq!(count("token.revoke").await, 1);
    assert!(store.verify(None).await.expect("verify").ok);
}

both!(a_token_made_by_another_writer_is_seen_at_once);
async fn a_token_made_by_another_writer_is_seen_at_once(h: &Harness) {
    let server = h.open().await;
    let cli = h.open().await;
    cli.create_user(
        NewUser {
            name: "a".into(),
            roles: vec!["admin".into()],
            password_hash: "h".into(),
        },
        audit("user.create"),
    )
    .await
    .expect("user");
    let expires = limes_model::Clock::now(h.clock.as_ref()) + Duration::days(1);
    assert!(
        server
            .token_by_hash(&[5; 32])
            .await
            .expect("lookup")
            .is_none()
    );
    cli.create_token(
        NewToken {
            id: "t".into(),
            user: "a".into(),
            hash: vec![5; 32],
            expires_at: expires,
        },
        audit("token.create"),
    )
    .await
    .expect("token");
    assert!(
        server
            .token_by_hash(&[5; 32])
            .await
            .expect("lookup")
            .is_some()
    );
    cli.revoke_token("t", audit("token.revoke"))
        .await
        .expect("revoke");
    assert!(
        server
            .token_by_hash(&[5; 32])
            .await
            .expect("lookup")
            .expect("found")
            .revoked
    );
}

both!(a_token_revoked_by_another_writer_stops_the_next_request);
/// The request path looks tokens up through `token_for_request` (cached on SQLite); a revocation
/// committed by another writer (the CLI) must still stop the very next request, whether it
/// writes (its journal entry becomes a denial) or not (`token_usable`).
async fn a_token_revoked_by_another_writer_stops_the_next_request(h: &Harness) {
    let server = h.open().await;
    let cli = h.open().await;
    cli.create_user(
        NewUser {
            name: "a".into(),
            roles: vec!["admin".into()],
            password_hash: "h".into(),
        },
        audit("user.create"),
    )
    .await
    .expect("user");
    let expires = limes_model::Clock::now(h.clock.as_ref()) + Duration::days(1);
    cli.create_token(
        NewToken {
            id: "t".into(),
            user: "a".into(),
            hash: vec![6; 32],
            expires_at: expires,
        },
        audit("token.create"),
    )
    .await
    .expect("token");
    let request = |server: Store| async move {
        let (record, guard) = server
            .token_for_request(&[6; 32])
            .await
            .expect("lookup")
            .expect("found");
        let write = server.append(audit("me.read"));
        let written = match &guard {
            Some(guard) => limes_store::with_token_guard(guard.clone(), write).await,
            None => write.await,
        };
        (record, guard, written)
    };
    // Twice, so that the second lookup is served from the cache where there is one.
    for _ in 0..2 {
        let (record, _, written) = request(server.clone()).await;
        assert!(!record.revoked);
        written.expect("the token is good");
    }
    cli.revoke_token("t", audit("token.revoke"))
        .await
        .expect("revoke");
    assert!(!server.token_usable("t").await.expect("usable?"));
    let (record, guard, written) = request(server.clone()).await;
    match guard {
        // Cached lookup: the write transaction re-checks the token and journals a denial.
        Some(_) => {
            assert!(
                matches!(written, Err(StoreError::TokenRevoked)),
                "{written:?}"
            );
            let entries = server
                .journal_search(&JournalFilter {
                    action: Some("auth.token".into()),
                    limit: 100,
                    ..Default::default()
                })
                .await
                .expect("search");
            assert_eq!(entries.len(), 1);
            assert_eq!(entries[0].body.outcome, "denied: revoked token");
        }
        // Uncached lookup: the record itself says revoked, and the hub refuses before writing.
        None => assert!(record.revoked),
    }
    assert!(server.verify(None).await.expect("verify").ok);
}
