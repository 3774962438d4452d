use axum::body::Body;
use axum::http::Request;
use limes_hub::Actor;
use serde_json::json;

use crate::support::{env, problem};

#[tokio::test]
async fn every_api_path_needs_authentication() {
    let env = env().await;
    for path in [
        "/api/v1/me",
        "/api/v1/audit",
        "/api/v1/no-such-thing",
        "/api/v1/openapi.json",
    ] {
        let reply = env
            .call(Request::get(path).body(Body::empty()).expect("request"))
            .await;
        assert_eq!(problem(&reply, 401), "unauthenticated", "{path}");
    }
    let reply = env
        .call(
            Request::get("/api/v1/me")
                .header("authorization", "Bearer lms_nope")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(problem(&reply, 401), "bad-credentials");
    let denied = env
        .hub
        .store()
        .journal_search(&Default::default())
        .await
        .expect("search");
    assert!(
        denied
            .iter()
            .any(|e| e.body.action == "auth.token" && e.body.outcome.starts_with("denied"))
    );
}

#[tokio::test]
async fn me_answers_and_is_journalled() {
    let env = env().await;
    let before = env.journal_len().await;
    let reply = env.get("guard", "/api/v1/me", None, None).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.json,
        json!({"name": "guard", "roles": ["border_guard"], "purposes": ["border_check"]})
    );
    assert_eq!(env.journal_len().await, before + 1);
    let last = &env
        .hub
        .store()
        .journal_search(&Default::default())
        .await
        .expect("search")[0];
    assert_eq!(last.body.action, "me.read");
    assert_eq!(last.body.actor, "guard");
    assert!(
        last.body.query["token"].is_string(),
        "token use is journalled with the request"
    );
}

#[tokio::test]
async fn purpose_and_matrix_decide_and_denials_are_journalled() {
    let env = env().await;
    assert_eq!(
        problem(&env.get("dpo", "/api/v1/audit", None, None).await, 400),
        "purpose-required"
    );
    assert_eq!(
        problem(
            &env.get("dpo", "/api/v1/audit", Some("fishing"), None).await,
            400
        ),
        "unknown-purpose"
    );
    assert_eq!(
        problem(
            &env.get("guard", "/api/v1/audit", Some("audit"), None).await,
            403
        ),
        "purpose-not-allowed"
    );
    assert_eq!(
        problem(
            &env.get("guard", "/api/v1/audit", Some("border_check"), None)
                .await,
            403
        ),
        "forbidden"
    );
    assert_eq!(
        problem(
            &env.get("police", "/api/v1/audit", Some("law_enforcement"), None)
                .await,
            400
        ),
        "case-ref-required"
    );
    assert_eq!(
        problem(
            &env.get(
                "police",
                "/api/v1/audit",
                Some("law_enforcement"),
                Some("K-2026-117")
            )
            .await,
            403
        ),
        "forbidden"
    );
    let ok = env
        .get("dpo", "/api/v1/audit?user=guard", Some("audit"), None)
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    let rows = ok.json.as_array().expect("array");
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|row| row["actor"] == "guard"));
    assert!(
        rows.iter()
            .any(|row| row["outcome"].as_str().unwrap_or("").starts_with("denied")),
        "denials are in the journal: {rows:?}"
    );
    let police = env
        .get("dpo", "/api/v1/audit?user=police", Some("audit"), None)
        .await;
    let police_rows = police.json.as_array().expect("array");
    assert!(
        police_rows
            .iter()
            .any(|row| row["case_ref"] == "K-2026-117")
    );
    assert_eq!(
        problem(
            &env.get("dpo", "/api/v1/audit?from=yesterday", Some("audit"), None)
                .await,
            400
        ),
        "invalid-input"
    );
    assert_eq!(
        problem(
            &env.get("dpo", "/api/v1/audit?colour=red", Some("audit"), None)
                .await,
            400
        ),
        "invalid-input"
    );
}

#[tokio::test]
async fn bad_bodies_get_problems_and_leave_nothing() {
    let env = env().await;
    let users_before = env.hub.store().users().await.expect("users").len();
    let send = |body: &'static str, ct: &'static str| {
        env.send("admin", "POST", "/api/v1/users", "administration", body, ct)
    };
    assert_eq!(
        problem(&send("{\"name\": ", "application/json").await, 400),
        "malformed-json"
    );
    assert_eq!(
        problem(&send(r#"{"name":"x1","roles":["border_guard"],"password":"long-enough-pass","admin":true}"#, "application/json").await, 400),
        "invalid-input"
    );
    assert_eq!(
        problem(&send(r#"{"name":"x1"}"#, "text/plain").await, 415),
        "unsupported-media-type"
    );
    let huge = format!(
        r#"{{"name":"x1","roles":[],"password":"{}"}}"#,
        "a".repeat(limes_server::BODY_LIMIT)
    );
    let reply = env
        .send(
            "admin",
            "POST",
            "/api/v1/users",
            "administration",
            &huge,
            "application/json",
        )
        .await;
    assert_eq!(problem(&reply, 413), "payload-too-large");
    assert_eq!(
        problem(
            &send(
                r#"{"name":"x1","roles":["wizard"],"password":"long-enough-pass"}"#,
                "application/json"
            )
            .await,
            400
        ),
        "invalid-input"
    );
    assert_eq!(
        problem(
            &send(
                r#"{"name":"x1","roles":["border_guard"],"password":"short"}"#,
                "application/json"
            )
            .await,
            400
        ),
        "invalid-input"
    );
    assert_eq!(
        env.hub.store().users().await.expect("users").len(),
        users_before
    );
    let created = send(
        r#"{"name":"newguard","roles":["border_guard"],"password":"long-enough-pass"}"#,
        "application/json",
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(
        problem(
            &send(
                r#"{"name":"newguard","roles":["border_guard"],"password":"long-enough-pass"}"#,
                "application/json"
            )
            .await,
            409
        ),
        "conflict"
    );
    // Only the admin with purpose administration may manage accounts.
    let reply = env
        .send(
            "guard",
            "POST",
            "/api/v1/users",
            "border_check",
            r#"{"name":"x2","roles":["admin"],"password":"long-enough-pass"}"#,
            "application/json",
        )
        .await;
    assert_eq!(problem(&reply, 403), "forbidden");
}

#[tokio::test]
async fn expired_and_revoked_tokens_stop_working() {
    let env = env().await;
    assert_eq!(env.get("guard", "/api/v1/me", None, None).await.status, 200);
    // Revoked by "the CLI": a second hub on the same data directory, as `limes admin` would be.
    let cli_hub = crate::support::open_hub(env.dir.path(), env.clock.clone()).await;
    let tokens = cli_hub.tokens(Some("guard")).await.expect("tokens");
    cli_hub
        .revoke_token(
            &Actor::Cli {
                os_user: "op".to_owned(),
            },
            &tokens[0].id,
        )
        .await
        .expect("revokes");
    assert_eq!(
        problem(&env.get("guard", "/api/v1/me", None, None).await, 401),
        "bad-credentials"
    );
    // Expiry: the default lifetime is 30 days.
    assert_eq!(env.get("dpo", "/api/v1/me", None, None).await.status, 200);
    env.clock
        .advance(time::Duration::days(30) + time::Duration::seconds(1));
    assert_eq!(
        problem(&env.get("dpo", "/api/v1/me", None, None).await, 401),
        "bad-credentials"
    );
    assert!(cli_hub.store().verify(None).await.expect("verify").ok);
}

#[tokio::test]
async fn a_failed_commit_is_never_acknowledged() {
    let env = env().await;
    let before = env.journal_len().await;
    env.hub.store().inject_commit_failures(1);
    let reply = env.get("guard", "/api/v1/me", None, None).await;
    assert_eq!(problem(&reply, 500), "internal");
    assert!(
        !reply.text.contains("guard"),
        "no data leaves without its journal entry"
    );
    assert_eq!(
        env.journal_len().await,
        before,
        "nothing of the failed commit is stored"
    );
    assert_eq!(env.get("guard", "/api/v1/me", None, None).await.status, 200);
}

#[tokio::test]
async fn openapi_metrics_health() {
    let env = env().await;
    let doc = env.get("guard", "/api/v1/openapi.json", None, None).await;
    assert_eq!(doc.status, 200);
    assert!(
        doc.json["paths"]["/api/v1/me"]["get"].is_object(),
        "{}",
        doc.text
    );
    assert!(doc.json["paths"]["/api/v1/audit"]["get"].is_object());
    let health = env
        .call(
            Request::get("/healthz")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(health.status, 200);
    let ready = env
        .call(
            Request::get("/readyz")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(ready.status, 200);
    let metrics = env
        .call(
            Request::get("/metrics")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert!(
        metrics.text.contains("limes_http_requests_total"),
        "{}",
        metrics.text
    );
    assert!(
        metrics.text.contains("route=\"/api/v1/openapi.json\""),
        "{}",
        metrics.text
    );
}

#[tokio::test]
async fn audit_verify_over_the_api() {
    let env = env().await;
    let reply = env
        .send(
            "dpo",
            "POST",
            "/api/v1/audit/verify",
            "audit",
            "",
            "application/json",
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json["ok"], true);
    assert!(reply.json["entries"].as_u64().unwrap_or(0) > 5);
    let reply = env
        .send(
            "guard",
            "POST",
            "/api/v1/audit/verify",
            "border_check",
            "",
            "application/json",
        )
        .await;
    assert_eq!(problem(&reply, 403), "forbidden");
}
