//! The SIRENE operator's case list: open cases first by deadline (overdue ones marked), with a
//! note and a close form per case.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use limes_hub::sirene::{CaseStatus, CaseUpdate};
use maud::html;
use serde::Deserialize;

use super::{form_session, page, session_or_redirect};
use crate::AppState;

#[derive(Deserialize)]
pub struct CaseForm {
    csrf: String,
    #[serde(default)]
    text: String,
}

pub async fn cases_page(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let (_, session) = match session_or_redirect(&state, &headers) {
        Ok(found) => found,
        Err(redirect) => return redirect.into_response(),
    };
    let now = state.hub.now();
    match state.hub.sirene_cases(&session.access()).await {
        Ok(cases) => page(
            "SIRENE cases",
            Some(&session),
            html! {
                @if cases.is_empty() { p id="no-cases" { "No cases." } }
                @else {
                    table id="cases" {
                        tr { th { "Case" } th { "Status" } th { "Category" } th { "Issuing country" } th { "Traveller" }
                             th { "Crossing point" } th { "Deadline" } th { "Notes" } th { "Work" } }
                        @for case in &cases {
                            tr id=(format!("case-{}", case.id)) class=(if case.overdue(now) { "overdue" } else { "" }) {
                                td { (case.id) }
                                td.status { (match case.status { CaseStatus::Open => "open", CaseStatus::Closed => "closed" }) }
                                td { (case.category) @if case.urgent { " " strong { "URGENT" } } }
                                td { (case.issuing_country.clone().unwrap_or_default()) }
                                td { (case.traveller["surname"].as_str().unwrap_or("")) ", " (case.traveller["given_names"].as_str().unwrap_or("")) }
                                td { (case.crossing_point) }
                                td { (case.deadline.to_string()) @if case.overdue(now) { " " strong { "OVERDUE" } } }
                                td { @if let Some(report) = &case.report_id { div.art37 { strong { "Art 37 report " (report) } } }
                                     @for form in &case.forms { div.form { strong { (form.form) " " (form.direction) } pre { (form.text) } } }
                                     @for note in &case.notes { div { (note.by) ": " (note.text) } }
                                     @if let Some(outcome) = &case.outcome { div { strong { "Outcome: " } (outcome) } } }
                                td {
                                    @if case.status == CaseStatus::Open {
                                        form method="post" action=(format!("/sirene/cases/{}/note", case.id)) {
                                            input type="hidden" name="csrf" value=(session.csrf);
                                            input name="text" placeholder="note" required;
                                            button type="submit" { "Add note" }
                                        }
                                        form method="post" action=(format!("/sirene/cases/{}/close", case.id)) {
                                            input type="hidden" name="csrf" value=(session.csrf);
                                            input name="text" placeholder="outcome" required;
                                            button type="submit" { "Close" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            },
        )
        .into_response(),
        Err(error) => (
            StatusCode::FORBIDDEN,
            page("SIRENE cases", Some(&session), html! { p.banner.warn id="error" { (error) } }),
        )
            .into_response(),
    }
}

async fn update(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
    form: CaseForm,
    close: bool,
) -> Response {
    let (_, session) = match form_session(state, headers, &form.csrf) {
        Ok(found) => found,
        Err(response) => return response,
    };
    let change = if close {
        CaseUpdate::Close(form.text)
    } else {
        CaseUpdate::Note(form.text)
    };
    match state
        .hub
        .update_sirene_case(&session.access(), id, change)
        .await
    {
        Ok(_) => Redirect::to("/sirene").into_response(),
        Err(error) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            page(
                "SIRENE cases",
                Some(&session),
                html! { p.banner.warn id="error" { (error) } },
            ),
        )
            .into_response(),
    }
}

pub async fn note(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<CaseForm>,
) -> Response {
    update(&state, &headers, &id, form, false).await
}

pub async fn close(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<CaseForm>,
) -> Response {
    update(&state, &headers, &id, form, true).await
}
