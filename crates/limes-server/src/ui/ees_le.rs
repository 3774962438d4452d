//! Law-enforcement access to the EES on screen (Reg 2017/2226 Arts 29–32): the police officer's
//! reasoned request and their list of requests with each one's outcome, and the central access
//! point's queue where a different person verifies or refuses. The pages only show what the hub
//! answers: the hub decides who may ask, who may verify, and what data an outcome releases.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use limes_hub::HubError;
use limes_hub::ees::le::{
    Grounds, LeAnswer, LeRequest, LeRequestInput, LeStatus, Verdict, VerifyInput,
};
use limes_hub::ees::{EesError, FileView};
use limes_hub::sessions::Session;
use maud::{Markup, html};
use serde::Deserialize;

use super::{form_session, page, session_or_redirect};
use crate::AppState;

const TITLE: &str = "EES law-enforcement requests";
const QUEUE_TITLE: &str = "EES central access point";

const OFFENCES: [(&str, &str); 2] = [
    ("serious_criminal_offence", "serious criminal offence"),
    ("terrorist_offence", "terrorist offence"),
];

fn status_text(status: LeStatus) -> &'static str {
    match status {
        LeStatus::Pending => "pending verification",
        LeStatus::AnsweredPendingVerification => "urgent: answered, verification pending",
        LeStatus::Verified => "verified",
        LeStatus::Refused => "refused",
        LeStatus::RefusedDataErased => "refused after the urgent answer: data erased",
    }
}

fn status_slug(status: LeStatus) -> &'static str {
    match status {
        LeStatus::Pending => "pending",
        LeStatus::AnsweredPendingVerification => "answered_pending_verification",
        LeStatus::Verified => "verified",
        LeStatus::Refused => "refused",
        LeStatus::RefusedDataErased => "refused_data_erased",
    }
}

/// The HTTP status of a page that shows the hub's refusal.
fn status_of(error: &EesError) -> StatusCode {
    match error {
        EesError::SameVerifier => StatusCode::CONFLICT,
        EesError::Hub(
            HubError::Forbidden { .. }
            | HubError::PurposeNotAllowed(_)
            | HubError::PurposeRequired
            | HubError::CaseRefRequired,
        ) => StatusCode::FORBIDDEN,
        EesError::Hub(HubError::NotFound(_)) => StatusCode::NOT_FOUND,
        EesError::Hub(HubError::Conflict(_)) => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

fn offence_text(offence: &str) -> &str {
    OFFENCES
        .iter()
        .find(|(slug, _)| *slug == offence)
        .map_or(offence, |(_, text)| text)
}

/// The grounds as the verifier (and the requester) reads them.
fn grounds(grounds: &Grounds) -> Markup {
    html! {
        dl.grounds {
            dt { "Offence (Art 32(1)(a))" } dd.offence { (offence_text(&grounds.offence)) ": " (grounds.offence_description) }
            dt { "Necessity in this case (Art 32(1)(b))" } dd.necessity { (grounds.necessity) }
            dt { "Reasonable grounds that it will help (Art 32(1)(c))" } dd.reasonable { (grounds.reasonable_grounds) }
            dt { "Prior national and Prüm searches (Art 32(2))" } dd.prior { (grounds.prior_searches) }
        }
    }
}

/// The EES file released to the requester.
fn data(view: &Option<FileView>) -> Markup {
    let Some(view) = view else {
        return html! { p id="le-no-file" { "No EES file holds this travel document." } };
    };
    let identity = &view.file.identity;
    html! {
        div.panel id="le-data" {
            p id="le-identity" {
                strong { (identity.surname) ", " (identity.given_names) }
                @if let Some(born) = identity.birth_date { " · born " (born) }
                @if let Some(nationality) = &identity.nationality { " · " (nationality) }
                " · document " (view.file.document.issuing_country) " " (view.file.document.number)
            }
            p id="le-status" {
                "Days used " strong { (view.status.days_used) }
                " · remaining " strong { (view.status.days_remaining) }
                @if view.status.overstaying { " · " strong { "overstayer" } }
            }
            table id="le-entries" {
                tr { th { "Entry" } th { "Crossing point" } th { "Authorised until" } th { "Exit" } }
                @for record in &view.entries {
                    tr {
                        td { (record.entry.at.date()) } td { (record.entry.crossing_point) }
                        td { (record.end_of_authorised_stay) }
                        td { @if let Some(exit) = &record.exit { (exit.at.date()) " " (exit.crossing_point) } @else { "—" } }
                    }
                }
            }
            @if !view.refusals.is_empty() {
                table id="le-refusals" {
                    tr { th { "Refused" } th { "Crossing point" } th { "Reasons" } }
                    @for refusal in &view.refusals {
                        tr {
                            td { (refusal.refused.at.date()) } td { (refusal.refused.crossing_point) }
                            td { (refusal.reasons.iter().map(|r| r.as_char().to_string()).collect::<Vec<_>>().join(" ")) }
                        }
                    }
                }
            }
        }
    }
}

fn request_form(session: &Session, form: Option<&RequestForm>) -> Markup {
    let value = |pick: fn(&RequestForm) -> &str| form.map(pick).unwrap_or("").to_owned();
    let offence = form.map(|f| f.offence.as_str()).unwrap_or("");
    html! {
        h2 { "New reasoned request (Art 32)" }
        form method="post" action="/ees/le" id="le-form" {
            input type="hidden" name="csrf" value=(session.csrf);
            p.muted { "Case reference (chosen at sign-in): " strong id="le-case" { (session.case_ref.clone().unwrap_or_default()) } }
            label for="le-country" { "Issuing country of the travel document" }
            input id="le-country" name="issuing_country" required maxlength="3" value=(value(|f| &f.issuing_country));
            label for="le-document" { "Travel document number" }
            input id="le-document" name="document_number" required maxlength="30" value=(value(|f| &f.document_number));
            fieldset {
                legend { "Offence (Art 32(1)(a))" }
                @for (slug, text) in OFFENCES {
                    label { input type="radio" name="offence" value=(slug) id=(format!("le-offence-{slug}")) required checked[offence == slug]; " " (text) }
                }
            }
            label for="le-offence-description" { "Which offence, under which national provision" }
            textarea id="le-offence-description" name="offence_description" required rows="2" cols="70" { (value(|f| &f.offence_description)) }
            label for="le-necessity" { "Why access is necessary in this specific case (Art 32(1)(b))" }
            textarea id="le-necessity" name="necessity" required rows="2" cols="70" { (value(|f| &f.necessity)) }
            label for="le-reasonable" { "Reasonable grounds that the EES data will help (Art 32(1)(c))" }
            textarea id="le-reasonable" name="reasonable_grounds" required rows="2" cols="70" { (value(|f| &f.reasonable_grounds)) }
            label for="le-prior" { "Prior searches of national databases and Prüm AFIS, or why none (Art 32(2))" }
            textarea id="le-prior" name="prior_searches" required rows="2" cols="70" { (value(|f| &f.prior_searches)) }
            label {
                input type="checkbox" name="urgent" value="1" id="le-urgent" checked[form.is_some_and(|f| f.urgent.is_some())];
                " Urgent: imminent danger to life (Art 31(2)) — answered at once, verified afterwards; the data is erased if the verification refuses"
            }
            p { button type="submit" id="le-submit" { "File the request" } }
        }
    }
}

fn my_requests(list: &[LeRequest]) -> Markup {
    html! {
        h2 { "My requests" }
        table id="le-mine" {
            tr { th { "Request" } th { "Case" } th { "Document" } th { "Filed" } th { "Status" } }
            @for request in list {
                tr id=(format!("le-row-{}", request.id)) {
                    td { a href=(format!("/ees/le/{}", request.id)) { (request.id) } }
                    td { (request.case_ref) }
                    td { (request.issuing_country) " " (request.document_number) }
                    td { (request.requested_at.date()) }
                    td.status data-status=(status_slug(request.status)) { (status_text(request.status)) }
                }
            }
        }
    }
}

/// The officer's page: the form and their requests. Errors (wrong purpose, missing case
/// reference, a role without EES access) are the hub's, shown as they are.
async fn officer_page(
    state: &AppState,
    session: &Session,
    form: Option<&RequestForm>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let access = session.access();
    let (list, list_error) = match state.hub.ees_le_mine(&access).await {
        Ok(list) => (list, None),
        Err(error) => (Vec::new(), Some(error.to_string())),
    };
    let status = if list_error.is_some() && status == StatusCode::OK {
        StatusCode::FORBIDDEN
    } else {
        status
    };
    let markup = page(
        TITLE,
        Some(session),
        html! {
            @if let Some(error) = &error { p.banner.bad id="error" { (error) } }
            @if let Some(error) = &list_error {
                p.banner.bad id="error" { (error) }
                p.muted { "Law-enforcement access to the EES needs purpose law_enforcement and a case reference, chosen at sign-in." }
            } @else {
                (request_form(session, form))
                (my_requests(&list))
            }
        },
    );
    (status, markup).into_response()
}

/// `GET /ees/le`
pub async fn officer(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let (_, session) = match session_or_redirect(&state, &headers) {
        Ok(found) => found,
        Err(redirect) => return redirect.into_response(),
    };
    officer_page(&state, &session, None, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct RequestForm {
    csrf: String,
    issuing_country: String,
    document_number: String,
    #[serde(default)]
    offence: String,
    offence_description: String,
    necessity: String,
    reasonable_grounds: String,
    prior_searches: String,
    urgent: Option<String>,
}

/// `POST /ees/le`: files the request, then shows it (with the data at once if urgent).
pub async fn file(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Form(form): Form<RequestForm>,
) -> Response {
    let (_, session) = match form_session(&state, &headers, &form.csrf) {
        Ok(found) => found,
        Err(response) => return response,
    };
    let input = LeRequestInput {
        issuing_country: form.issuing_country.trim().to_ascii_uppercase(),
        document_number: form.document_number.trim().to_ascii_uppercase(),
        grounds: Grounds {
            offence: form.offence.clone(),
            offence_description: form.offence_description.trim().to_owned(),
            necessity: form.necessity.trim().to_owned(),
            reasonable_grounds: form.reasonable_grounds.trim().to_owned(),
            prior_searches: form.prior_searches.trim().to_owned(),
        },
        urgent: form.urgent.is_some(),
    };
    match state.hub.ees_le_request(&session.access(), input).await {
        Ok(answer) => Redirect::to(&format!("/ees/le/{}", answer.request.id)).into_response(),
        Err(error) => {
            officer_page(
                &state,
                &session,
                Some(&form),
                Some(error.to_string()),
                status_of(&error),
            )
            .await
        }
    }
}

/// `GET /ees/le/{id}`: one of the officer's requests. Data appears only when the hub releases
/// it (verified, or urgent and not yet refused); a refusal after an urgent answer says the data
/// was erased and shows none.
pub async fn request(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (_, session) = match session_or_redirect(&state, &headers) {
        Ok(found) => found,
        Err(redirect) => return redirect.into_response(),
    };
    let access = session.access();
    let found = match state.hub.ees_le_mine(&access).await {
        Ok(list) => list.into_iter().find(|r| r.id == id),
        Err(error) => {
            return (
                StatusCode::FORBIDDEN,
                page(
                    TITLE,
                    Some(&session),
                    html! { p.banner.bad id="error" { (error) } },
                ),
            )
                .into_response();
        }
    };
    let Some(request) = found else {
        return (
            StatusCode::NOT_FOUND,
            page(
                TITLE,
                Some(&session),
                html! { p.banner.bad id="error" { "No request " (id) " of yours." } p { a href="/ees/le" { "My requests" } } },
            ),
        )
            .into_response();
    };
    let answer: Result<Option<LeAnswer>, String> = match request.status {
        LeStatus::Verified | LeStatus::AnsweredPendingVerification => state
            .hub
            .ees_le_result(&access, &id)
            .await
            .map(Some)
            .map_err(|e| e.to_string()),
        _ => Ok(None),
    };
    let shown = answer
        .as_ref()
        .ok()
        .and_then(|a| a.as_ref())
        .map_or(&request, |a| &a.request);
    page(
        &format!("Request {id}"),
        Some(&session),
        html! {
            p id="le-request-status" data-status=(status_slug(shown.status)) {
                "Status: " strong { (status_text(shown.status)) }
                @if shown.urgent { " · urgent" }
                " · case " (shown.case_ref) " · document " (shown.issuing_country) " " (shown.document_number)
            }
            @match shown.status {
                LeStatus::Pending => p.banner.warn id="le-pending" { "Awaiting verification by the central access point: no data yet." },
                LeStatus::Refused => p.banner.bad id="le-refused" {
                    "Refused by the central access point: " (shown.verifier_reason.clone().unwrap_or_default())
                },
                LeStatus::RefusedDataErased => {
                    p.banner.bad id="le-erased" {
                        "Refused after the urgent answer: the data given has been erased (Art 31(2)). Delete any copy you made."
                    }
                    p id="le-refused-reason" { "Reason: " (shown.verifier_reason.clone().unwrap_or_default()) }
                    @if let Some(at) = shown.erased_at { p.muted { "Erased " (at.date()) " " (at.time()) " UTC" } }
                }
                LeStatus::AnsweredPendingVerification => p.banner.warn id="le-urgent-answer" {
                    "Urgent answer: the central access point verifies afterwards; if it refuses, this data is erased."
                },
                LeStatus::Verified => p.banner.ok id="le-verified" {
                    "Verified by the central access point: " (shown.verifier_reason.clone().unwrap_or_default())
                },
            }
            @match &answer {
                Ok(Some(answer)) => (data(&answer.data)),
                Ok(None) => {},
                Err(error) => p.banner.bad id="error" { (error) },
            }
            h2 { "Grounds" }
            (grounds(&shown.grounds))
            p { a href="/ees/le" id="le-back" { "My requests" } }
        },
    )
    .into_response()
}

#[derive(Deserialize, Default)]
pub struct QueueParams {
    decided: Option<String>,
    outcome: Option<String>,
}

async fn queue_page(
    state: &AppState,
    session: &Session,
    notice: Option<Markup>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let (list, list_error) = match state.hub.ees_le_pending(&session.access()).await {
        Ok(list) => (list, None),
        Err(error) => (Vec::new(), Some(error.to_string())),
    };
    let status = if list_error.is_some() && status == StatusCode::OK {
        StatusCode::FORBIDDEN
    } else {
        status
    };
    let markup = page(
        QUEUE_TITLE,
        Some(session),
        html! {
            @if let Some(notice) = notice { (notice) }
            @if let Some(error) = &error { p.banner.bad id="error" { (error) } }
            @if let Some(error) = &list_error {
                p.banner.bad id="error" { (error) }
                p.muted { "The queue is the central access point's, with purpose law_enforcement and a case reference." }
            } @else {
                p id="le-queue-count" { (list.len()) " request(s) awaiting verification" }
                @for request in &list {
                    div.panel.le-item id=(format!("le-item-{}", request.id)) {
                        h2 { (request.id) @if request.urgent { " — URGENT, already answered" } }
                        p {
                            "Requested by " strong.requester { (request.requester) }
                            " · case " (request.case_ref)
                            " · document " (request.issuing_country) " " (request.document_number)
                            " · " (request.requested_at.date())
                        }
                        @if request.requester == session.user {
                            p.banner.warn.own { "You filed this request: a different person must verify it (Art 29(3))." }
                        }
                        (grounds(&request.grounds))
                        form method="post" action=(format!("/ees/le/{}/decision", request.id)) {
                            input type="hidden" name="csrf" value=(session.csrf);
                            label for=(format!("reason-{}", request.id)) { "Reason for the decision" }
                            textarea id=(format!("reason-{}", request.id)) name="reason" required rows="2" cols="70" {}
                            p {
                                button type="submit" name="decision" value="verify" id=(format!("verify-{}", request.id)) { "Verify" }
                                " "
                                button type="submit" name="decision" value="refuse" id=(format!("refuse-{}", request.id)) {
                                    @if request.urgent { "Refuse and erase" } @else { "Refuse" }
                                }
                            }
                        }
                    }
                }
            }
        },
    );
    (status, markup).into_response()
}

/// `GET /ees/le/queue`: the central access point's pending requests, oldest first.
pub async fn queue(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(params): Query<QueueParams>,
) -> Response {
    let (_, session) = match session_or_redirect(&state, &headers) {
        Ok(found) => found,
        Err(redirect) => return redirect.into_response(),
    };
    let notice = params.decided.as_ref().map(|id| {
        let outcome = params.outcome.as_deref().unwrap_or("decided");
        html! { p.banner.ok id="le-decided" { "Request " (id) ": " (outcome) } }
    });
    queue_page(&state, &session, notice, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct DecisionForm {
    csrf: String,
    decision: String,
    #[serde(default)]
    reason: String,
}

/// `POST /ees/le/{id}/decision`: verify or refuse. The hub refuses a verifier who filed the
/// request; the queue then says so in a red banner and nothing changes.
pub async fn decide(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Response {
    let (_, session) = match form_session(&state, &headers, &form.csrf) {
        Ok(found) => found,
        Err(response) => return response,
    };
    let decision = match form.decision.as_str() {
        "verify" => Verdict::Verify,
        "refuse" => Verdict::Refuse,
        _ => {
            return queue_page(
                &state,
                &session,
                None,
                Some("Choose verify or refuse.".to_owned()),
                StatusCode::BAD_REQUEST,
            )
            .await;
        }
    };
    let input = VerifyInput {
        decision,
        reason: form.reason.trim().to_owned(),
    };
    match state.hub.ees_le_verify(&session.access(), &id, input).await {
        Ok(request) => Redirect::to(&format!(
            "/ees/le/queue?decided={}&outcome={}",
            request.id,
            status_slug(request.status)
        ))
        .into_response(),
        Err(error) => {
            queue_page(
                &state,
                &session,
                None,
                Some(format!("Request {id} not decided: {error}")),
                status_of(&error),
            )
            .await
        }
    }
}
