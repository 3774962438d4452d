//! Server-rendered pages for officers: plain HTML forms, no script framework, usable with the
//! keyboard alone. Each page is a function of the hub's answer; the hub does the deciding.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use limes_hub::sessions::Session;
use limes_hub::{HubError, VerifyReport};
use limes_model::Purpose;
use maud::{DOCTYPE, Markup, html};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use crate::AppState;
use crate::api::parse_audit_query;

pub mod border;
pub mod ees;
pub mod ees_le;
pub mod sirene;

pub const SESSION_COOKIE: &str = "limes_session";
const PRE_COOKIE: &str = "limes_pre";

const STYLE: &str = r#"
body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#111}
header{background:#0b2e59;color:#fff;padding:.6rem 1rem;display:flex;gap:1rem;align-items:center}
header a,header button{color:#fff}
header .who{margin-left:auto}
main{padding:1rem;max-width:72rem}
form.inline{display:inline}
label{display:block;margin:.4rem 0 .1rem;font-weight:600}
input,select,button{font-size:1rem;padding:.35rem .5rem}
button{cursor:pointer}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.9rem}
th,td{border:1px solid #ccd;padding:.25rem .4rem;text-align:left;vertical-align:top}
.banner{padding:.8rem 1rem;font-weight:700;font-size:1.2rem;margin:.5rem 0}
.banner.ok{background:#1b7f3b;color:#fff}
.banner.bad{background:#b00020;color:#fff}
.banner.warn{background:#f2b400;color:#000}
.muted{color:#555}
"#;

fn page(title: &str, session: Option<&Session>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — Limes" }
                style { (maud::PreEscaped(STYLE)) }
            }
            body {
                header {
                    strong { "Limes" }
                    @if let Some(session) = session {
                        a href="/" { "Home" }
                        @if session.roles.contains(&limes_model::Role::BorderGuard) {
                            a href="/border" accesskey="b" id="nav-border" { "Border check" }
                        }
                        @if session.roles.contains(&limes_model::Role::SireneOperator) {
                            a href="/sirene" accesskey="s" id="nav-sirene" { "SIRENE cases" }
                        }
                        @if session.roles.contains(&limes_model::Role::DataProtectionOfficer) {
                            a href="/audit" accesskey="a" { "Audit journal" }
                        }
                        @if session.roles.iter().any(|r| matches!(r, limes_model::Role::Admin | limes_model::Role::DataProtectionOfficer)) {
                            a href="/ees/statistics" id="nav-ees-stats" { "EES statistics" }
                        }
                        span.who id="who" {
                            (session.user) " · purpose: " strong id="purpose" { (session.purpose.as_str()) }
                            @if let Some(case_ref) = &session.case_ref { " · case " (case_ref) }
                        }
                        form.inline method="post" action="/logout" {
                            input type="hidden" name="csrf" value=(session.csrf);
                            button id="sign-out" type="submit" { "Sign out" }
                        }
                    }
                }
                main { h1 { (title) } (body) }
            }
        }
    }
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

fn set_cookie(
    response: &mut Response,
    name: &str,
    value: &str,
    max_age: Option<i64>,
    secure: bool,
) {
    let mut text = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age {
        text.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        text.push_str("; Secure");
    }
    if let Ok(value) = HeaderValue::from_str(&text) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// The signed-in session, or the redirect to the sign-in page (saying why if it expired).
fn session_or_redirect(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(String, Session), Redirect> {
    let Some(secret) = cookie(headers, SESSION_COOKIE) else {
        return Err(Redirect::to("/login"));
    };
    match state.hub.session(secret) {
        Ok(session) => Ok((secret.to_owned(), session)),
        Err(_) => Err(Redirect::to("/login?expired=1")),
    }
}

/// The session behind a submitted form whose CSRF token matches it; otherwise the redirect to
/// sign-in or a 403, ready to return.
#[expect(
    clippy::result_large_err,
    reason = "the error is the handler's own response, returned at once, never propagated"
)]
fn form_session(
    state: &AppState,
    headers: &HeaderMap,
    csrf: &str,
) -> Result<(String, Session), Response> {
    let (secret, session) =
        session_or_redirect(state, headers).map_err(IntoResponse::into_response)?;
    if !csrf_ok(&session.csrf, csrf) {
        return Err((StatusCode::FORBIDDEN, "form token missing or wrong").into_response());
    }
    Ok((secret, session))
}

fn csrf_ok(expected: &str, given: &str) -> bool {
    expected.len() == given.len() && bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
}

#[derive(Deserialize, Default)]
pub struct LoginParams {
    expired: Option<String>,
}

pub async fn login_page(
    State(state): State<Arc<AppState>>,
    Query(params): Query<LoginParams>,
) -> Response {
    login_form(&state, params.expired.is_some(), None, StatusCode::OK)
}

fn login_form(
    state: &AppState,
    expired: bool,
    error: Option<&str>,
    status: StatusCode,
) -> Response {
    let pre = limes_hub::credentials::new_session_secret().unwrap_or_default();
    let markup = page(
        "Sign in",
        None,
        html! {
            @if expired { p.banner.warn id="notice" { "Your session has ended. Please sign in again." } }
            @if let Some(error) = error { p.banner.bad id="error" { (error) } }
            form method="post" action="/login" {
                input type="hidden" name="csrf" value=(pre);
                label for="name" { "User name" }
                input id="name" name="name" autocomplete="username" autofocus required;
                label for="password" { "Password" }
                input id="password" name="password" type="password" autocomplete="current-password" required;
                label for="purpose" { "Purpose of this session" }
                select id="purpose-select" name="purpose" {
                    @for purpose in Purpose::ALL { option value=(purpose.as_str()) { (purpose.as_str()) } }
                }
                label for="case_ref" { "Case reference (law enforcement)" }
                input id="case_ref" name="case_ref";
                p { button id="sign-in" type="submit" { "Sign in" } }
            }
            p.muted { "Every access to personal data is recorded with your name, purpose and time." }
        },
    );
    let mut response = (status, markup).into_response();
    set_cookie(
        &mut response,
        PRE_COOKIE,
        &pre,
        Some(600),
        state.secure_cookies,
    );
    response
}

#[derive(Deserialize)]
pub struct LoginForm {
    name: String,
    password: String,
    purpose: String,
    #[serde(default)]
    case_ref: String,
    csrf: String,
}

pub async fn login_submit(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    // Login CSRF: the form must carry the value of the pre-session cookie it was served with.
    let pre = cookie(&headers, PRE_COOKIE).unwrap_or("");
    if pre.is_empty() || !csrf_ok(pre, &form.csrf) {
        return login_form(
            &state,
            false,
            Some("The sign-in form expired; please try again."),
            StatusCode::FORBIDDEN,
        );
    }
    let Ok(purpose) = form.purpose.parse::<Purpose>() else {
        return login_form(
            &state,
            false,
            Some("Choose a purpose from the list."),
            StatusCode::BAD_REQUEST,
        );
    };
    let case_ref = Some(form.case_ref.trim().to_owned()).filter(|c| !c.is_empty());
    match state
        .hub
        .sign_in(form.name.trim(), &form.password, purpose, case_ref)
        .await
    {
        Ok(signed_in) => {
            let mut response = Redirect::to("/").into_response();
            set_cookie(
                &mut response,
                SESSION_COOKIE,
                &signed_in.secret,
                None,
                state.secure_cookies,
            );
            set_cookie(&mut response, PRE_COOKIE, "", Some(0), state.secure_cookies);
            response
        }
        Err(error) => {
            let (message, status) = match &error {
                HubError::BadCredentials => (
                    "Wrong user name or password.".to_owned(),
                    StatusCode::UNAUTHORIZED,
                ),
                HubError::Throttled { .. } => (
                    "Too many failed attempts. Try again later.".to_owned(),
                    StatusCode::TOO_MANY_REQUESTS,
                ),
                HubError::PurposeNotAllowed(_) | HubError::CaseRefRequired => {
                    (error.to_string(), StatusCode::FORBIDDEN)
                }
                _ => {
                    tracing::error!(error = ?error, "sign-in failed");
                    (
                        "Sign-in is not possible right now.".to_owned(),
                        StatusCode::SERVICE_UNAVAILABLE,
                    )
                }
            };
            login_form(&state, false, Some(&message), status)
        }
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

pub async fn logout(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    let (secret, _) = match form_session(&state, &headers, &form.csrf) {
        Ok(found) => found,
        Err(response) => return response,
    };
    if let Err(error) = state.hub.sign_out(&secret).await {
        tracing::error!(error = ?error, "sign-out journal failed");
    }
    let mut response = Redirect::to("/login").into_response();
    set_cookie(
        &mut response,
        SESSION_COOKIE,
        "",
        Some(0),
        state.secure_cookies,
    );
    response
}

pub async fn home(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let (_, session) = match session_or_redirect(&state, &headers) {
        Ok(found) => found,
        Err(redirect) => return redirect.into_response(),
    };
    let purposes = state.hub.matrix().purposes_for(&session.roles);
    page(
        "Home",
        Some(&session),
        html! {
            p id="welcome" { "Signed in as " strong { (session.user) } " (" (session.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")) ")." }
            @if session.roles.contains(&limes_model::Role::PoliceOfficer) {
                p { a href="/ees/le" id="link-ees-le" { "EES law-enforcement requests" } " (purpose law_enforcement and a case reference)" }
            }
            @if session.roles.contains(&limes_model::Role::EesCentralAccessPoint) {
                p { a href="/ees/le/queue" id="link-ees-le-queue" { "EES requests awaiting verification" } " (central access point)" }
            }
            h2 { "Change purpose" }
            form method="post" action="/purpose" {
                input type="hidden" name="csrf" value=(session.csrf);
                select name="purpose" id="change-purpose" {
                    @for purpose in &purposes {
                        option value=(purpose.as_str()) selected[*purpose == session.purpose] { (purpose.as_str()) }
                    }
                }
                " "
                input name="case_ref" placeholder="case reference" value=(session.case_ref.clone().unwrap_or_default());
                " "
                button type="submit" { "Change" }
            }
        },
    )
    .into_response()
}

#[derive(Deserialize)]
pub struct PurposeForm {
    csrf: String,
    purpose: String,
    #[serde(default)]
    case_ref: String,
}

pub async fn change_purpose(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Form(form): Form<PurposeForm>,
) -> Response {
    let (secret, _) = match form_session(&state, &headers, &form.csrf) {
        Ok(found) => found,
        Err(response) => return response,
    };
    let Ok(purpose) = form.purpose.parse::<Purpose>() else {
        return (StatusCode::BAD_REQUEST, "unknown purpose").into_response();
    };
    let case_ref = Some(form.case_ref.trim().to_owned()).filter(|c| !c.is_empty());
    match state.hub.change_purpose(&secret, purpose, case_ref).await {
        Ok(_) => Redirect::to("/").into_response(),
        Err(error) => (StatusCode::FORBIDDEN, error.to_string()).into_response(),
    }
}

#[derive(Deserialize, Default)]
pub struct AuditForm {
    user: Option<String>,
    purpose: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

pub async fn audit_page(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(form): Query<AuditForm>,
) -> Response {
    audit_view(&state, &headers, form, None).await
}

pub async fn audit_verify(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    let (_, session) = match form_session(&state, &headers, &form.csrf) {
        Ok(found) => found,
        Err(response) => return response,
    };
    let report = state.hub.audit_verify(&session.access(), None).await;
    audit_view(&state, &headers, AuditForm::default(), Some(report)).await
}

async fn audit_view(
    state: &AppState,
    headers: &HeaderMap,
    form: AuditForm,
    verified: Option<Result<VerifyReport, HubError>>,
) -> Response {
    let (_, session) = match session_or_redirect(state, headers) {
        Ok(found) => found,
        Err(redirect) => return redirect.into_response(),
    };
    let query = parse_audit_query(
        form.user.clone(),
        form.purpose.clone(),
        form.action.clone(),
        form.from.clone(),
        form.to.clone(),
        Some(200),
    );
    let (entries, error) = match query {
        Err(error) => (Vec::new(), Some(error.detail)),
        Ok(query) => match state.hub.audit_search(&session.access(), &query).await {
            Ok(entries) => (entries, None),
            Err(error) => (Vec::new(), Some(error.to_string())),
        },
    };
    let status = if error.is_some() {
        StatusCode::FORBIDDEN
    } else {
        StatusCode::OK
    };
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    let markup = page(
        "Audit journal",
        Some(&session),
        html! {
            @if let Some(result) = &verified {
                @match result {
                    Ok(report) if report.ok => p.banner.ok id="verify-result" { "Chain intact: " (report.entries) " entries, " (report.checkpoints) " signed checkpoints verified." },
                    Ok(report) => p.banner.bad id="verify-result" { "Chain BROKEN: " (serde_json::to_string(&report.broken).unwrap_or_default()) },
                    Err(error) => p.banner.bad id="verify-result" { "Verification not possible: " (error) },
                }
            }
            @if let Some(error) = &error { p.banner.bad id="error" { (error) } }
            form method="get" action="/audit" id="filter" {
                label for="f-user" { "User" } input id="f-user" name="user" value=(value(&form.user));
                label for="f-purpose" { "Purpose" }
                select id="f-purpose" name="purpose" {
                    option value="" { "(any)" }
                    @for purpose in Purpose::ALL { option value=(purpose.as_str()) selected[form.purpose.as_deref() == Some(purpose.as_str())] { (purpose.as_str()) } }
                }
                label for="f-action" { "Action" } input id="f-action" name="action" value=(value(&form.action));
                label for="f-from" { "From (YYYY-MM-DD)" } input id="f-from" name="from" value=(value(&form.from));
                label for="f-to" { "To (YYYY-MM-DD)" } input id="f-to" name="to" value=(value(&form.to));
                p { button id="apply" type="submit" { "Filter" } }
            }
            form method="post" action="/audit/verify" {
                input type="hidden" name="csrf" value=(session.csrf);
                button id="verify" type="submit" accesskey="v" { "Verify chain and signatures" }
            }
            p id="count" { (entries.len()) " entries" }
            table id="entries" {
                thead { tr { th { "time" } th { "node:seq" } th { "user" } th { "purpose" } th { "case" } th { "action" } th { "records" } th { "outcome" } } }
                tbody {
                    @for entry in &entries {
                        tr {
                            td { (entry.ts.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()) }
                            td { (entry.node) ":" (entry.seq) }
                            td.user { (entry.body.actor) }
                            td.purpose { (entry.body.purpose.clone().unwrap_or_default()) }
                            td { (entry.body.case_ref.clone().unwrap_or_default()) }
                            td.action { (entry.body.action) }
                            td { (entry.body.record_ids.join(", ")) }
                            td { (entry.body.outcome) }
                        }
                    }
                }
            }
        },
    );
    (status, markup).into_response()
}
