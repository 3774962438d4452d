use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt as _;
use limes_hub::{Actor, Backend, Hub, HubOptions};
use limes_journal::Signer;
use limes_model::{ManualClock, Role};
use limes_server::AppState;
use serde_json::Value;
use tower::ServiceExt as _;

pub const PASSWORD: &str = "test-password-1234";

pub struct Env {
    pub hub: Arc<Hub>,
    pub clock: Arc<ManualClock>,
    pub state: Arc<AppState>,
    pub dir: tempfile::TempDir,
    pub tokens: std::collections::HashMap<&'static str, String>,
}

pub const USERS: &[(&str, &[Role])] = &[
    ("guard", &[Role::BorderGuard]),
    ("police", &[Role::PoliceOfficer]),
    ("dpo", &[Role::DataProtectionOfficer]),
    ("admin", &[Role::Admin]),
    ("sirene", &[Role::SireneOperator]),
];

pub fn start_time() -> time::OffsetDateTime {
    time::macros::datetime!(2026-11-23 10:00 UTC)
}

pub async fn open_hub(dir: &std::path::Path, clock: Arc<ManualClock>) -> Hub {
    let mut options = HubOptions::new(
        Backend::Sqlite {
            dir: dir.to_owned(),
        },
        clock,
    );
    options.signer = Some(Arc::new(Signer::from_bytes(&[7u8; 32])));
    options.node = "test".to_owned();
    Hub::open(options).await.expect("hub opens")
}

pub async fn env() -> Env {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = Arc::new(ManualClock::new(start_time()));
    let hub = Arc::new(open_hub(dir.path(), clock.clone()).await);
    hub.build_indexes().await.expect("indexes");
    let actor = Actor::Cli {
        os_user: "test".to_owned(),
    };
    let mut tokens = std::collections::HashMap::new();
    for (name, roles) in USERS {
        hub.create_user(&actor, name, roles, PASSWORD)
            .await
            .expect("user");
        let (_, secret, _) = hub.create_token(&actor, name, None).await.expect("token");
        tokens.insert(*name, secret);
    }
    let state = AppState::new(hub.clone(), false);
    Env {
        hub,
        clock,
        state,
        dir,
        tokens,
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub content_type: String,
    pub json: Value,
    pub text: String,
}

impl Env {
    pub async fn call(&self, request: Request<Body>) -> Reply {
        let response = limes_server::router(self.state.clone())
            .oneshot(request)
            .await
            .expect("router answers");
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply {
            status,
            content_type,
            json,
            text,
        }
    }

    /// GET as `user` with an optional purpose (and case reference).
    pub async fn get(
        &self,
        user: &str,
        path: &str,
        purpose: Option<&str>,
        case_ref: Option<&str>,
    ) -> Reply {
        let mut builder =
            Request::get(path).header("authorization", format!("Bearer {}", self.tokens[user]));
        if let Some(purpose) = purpose {
            builder = builder.header("limes-purpose", purpose);
        }
        if let Some(case_ref) = case_ref {
            builder = builder.header("limes-case-ref", case_ref);
        }
        self.call(builder.body(Body::empty()).expect("request"))
            .await
    }

    pub async fn send(
        &self,
        user: &str,
        method: &str,
        path: &str,
        purpose: &str,
        body: &str,
        content_type: &str,
    ) -> Reply {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", format!("Bearer {}", self.tokens[user]))
            .header("limes-purpose", purpose)
            .header("content-type", content_type)
            .body(Body::from(body.to_owned()))
            .expect("request");
        self.call(request).await
    }

    pub async fn journal_len(&self) -> u64 {
        self.hub.store().verify(None).await.expect("verify").entries
    }
}

/// Asserts the RFC 9457 shape and returns the problem type slug.
#[track_caller]
pub fn problem(reply: &Reply, status: u16) -> String {
    assert_eq!(reply.status.as_u16(), status, "body: {}", reply.text);
    assert_eq!(
        reply.content_type, "application/problem+json",
        "body: {}",
        reply.text
    );
    assert_eq!(reply.json["status"], status);
    assert!(
        reply.json["title"].is_string() && reply.json["detail"].is_string(),
        "{}",
        reply.text
    );
    let kind = reply.json["type"].as_str().expect("type is a string");
    kind.strip_prefix("/problems/")
        .expect("stable type prefix")
        .to_owned()
}
