//! `limes-server`: HTTP and HTML in front of the hub. It translates requests into hub calls and hub
//! answers into JSON, problem+json or server-rendered pages; it decides nothing itself.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, Request, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{delete, get, post};
use limes_hub::Hub;
use tokio::net::TcpListener;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;

pub mod api;
pub mod border;
pub mod ees;
pub mod extract;
pub mod metrics;
pub mod problem;
pub mod sis;
pub mod ui;

/// Largest accepted API body; bulk imports go through the CLI, not this endpoint.
pub const BODY_LIMIT: usize = 256 * 1024;

pub struct AppState {
    pub hub: Arc<Hub>,
    pub metrics: metrics::Metrics,
    /// Add `Secure` to cookies; on when the UI is served over HTTPS (behind a TLS proxy).
    pub secure_cookies: bool,
}

impl AppState {
    pub fn new(hub: Arc<Hub>, secure_cookies: bool) -> Arc<Self> {
        Arc::new(Self {
            hub,
            metrics: metrics::Metrics::default(),
            secure_cookies,
        })
    }
}

#[derive(Clone, Default)]
struct Counter(Arc<AtomicU64>, Arc<String>);

impl MakeRequestId for Counter {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        let n = self.0.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n}", self.1))
            .ok()
            .map(RequestId::new)
    }
}

pub fn router(state: Arc<AppState>) -> Router {
    let api = Router::new()
        .route("/me", get(api::me))
        .route("/audit", get(api::audit_search))
        .route("/audit/verify", post(api::audit_verify))
        .route("/users", get(api::list_users).post(api::create_user))
        .route("/users/{name}/tokens", post(api::create_token))
        .route("/tokens/{id}", delete(api::revoke_token))
        .route("/openapi.json", get(api::openapi))
        .route("/border-checks", post(border::create))
        .route("/border-checks/stats", get(border::stats))
        .route("/border-checks/{id}", get(border::get))
        .route(
            "/border-checks/{id}/hits/{n}/decision",
            post(border::decide),
        )
        .route(
            "/border-checks/{id}/hits/{n}/art37-report",
            post(border::art37_file),
        )
        .route("/art37-reports/{id}", get(border::art37_get))
        .route("/sirene/cases", get(border::cases))
        .route("/sirene/cases/{id}", get(border::case))
        .route("/sirene/cases/{id}/notes", post(border::case_note))
        .route("/sirene/cases/{id}/forms", post(border::case_form))
        .route("/sirene/cases/{id}/close", post(border::case_close))
        .route(
            "/sis/alerts/{id}",
            get(sis::get).put(sis::put).delete(sis::delete),
        )
        .route("/sis/alerts/{id}/extend", post(sis::extend))
        .route("/sis/housekeeping", post(sis::housekeeping))
        .route("/ees/entries", post(ees::entry))
        .route("/ees/exits", post(ees::exit))
        .route("/ees/refusals", post(ees::refusal))
        .route("/ees/files", get(ees::file_by_document))
        .route("/ees/files/{id}", get(ees::file))
        .route("/ees/overstayers", get(ees::overstayers))
        .route("/ees/statistics", get(ees::statistics))
        .route(
            "/ees/pre-enrolments",
            get(ees::preenrolments).post(ees::preenrol),
        )
        .route(
            "/ees/pre-enrolments/{id}/confirm",
            post(ees::confirm_preenrolment),
        )
        .route(
            "/ees/le-requests",
            get(ees::le_pending).post(ees::le_request),
        )
        .route("/ees/le-requests/{id}", get(ees::le_result))
        .route("/ees/le-requests/{id}/decision", post(ees::le_decide))
        .fallback(api::not_found)
        // `layer` (not `route_layer`) so unknown paths under /api/v1 also answer 401 first.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            extract::require_token,
        ));
    let prefix = hex::encode(limes_hub::credentials::random_bytes::<4>().unwrap_or_default());
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics::endpoint))
        .route("/", get(ui::home))
        .route("/login", get(ui::login_page).post(ui::login_submit))
        .route("/logout", post(ui::logout))
        .route("/purpose", post(ui::change_purpose))
        .route("/audit", get(ui::audit_page))
        .route("/audit/verify", post(ui::audit_verify))
        .route("/border", get(ui::border::border_page).post(ui::border::border_submit))
        .route("/border/checks/{id}", get(ui::border::check_page))
        .route("/border/checks/{id}/hits/{n}", post(ui::border::decide))
        .route(
            "/border/checks/{id}/hits/{n}/report",
            get(ui::border::report_page).post(ui::border::report_submit),
        )
        .route("/sirene", get(ui::sirene::cases_page))
        .route("/ees/record/{id}", post(ui::ees::record))
        .route("/ees/statistics", get(ui::ees::statistics_page))
        .route("/ees/le", get(ui::ees_le::officer).post(ui::ees_le::file))
        .route("/ees/le/queue", get(ui::ees_le::queue))
        .route("/ees/le/{id}", get(ui::ees_le::request))
        .route("/ees/le/{id}/decision", post(ui::ees_le::decide))
        .route("/sirene/cases/{id}/note", post(ui::sirene::note))
        .route("/sirene/cases/{id}/close", post(ui::sirene::close))
        .route("/problems/{slug}", get(problem_doc))
        .nest("/api/v1", api)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let id = request
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(Counter(Arc::default(), Arc::new(prefix))))
        .with_state(state)
}

async fn readyz(State(state): State<Arc<AppState>>) -> impl IntoResponse {
    if state.hub.is_ready() {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "building indexes")
    }
}

async fn problem_doc(axum::extract::Path(slug): axum::extract::Path<String>) -> impl IntoResponse {
    match problem::TABLE.iter().find(|row| row.1 == slug) {
        Some((_, slug, title, status)) => {
            (StatusCode::OK, format!("{slug}: {title} (HTTP {status})\n"))
        }
        None => (StatusCode::NOT_FOUND, "unknown problem type\n".to_owned()),
    }
}

/// Serves until `shutdown` resolves, then stops accepting and lets in-flight requests finish.
pub async fn serve(
    listener: TcpListener,
    state: Arc<AppState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
