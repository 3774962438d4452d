//! EES on the guard's screen and the statistics page: the stay-status panel of a border check
//! with one form (one button, Alt+E) that records the entry, the exit or the refusal; and the
//! administrator's statistics with a server-rendered SVG bar chart (no script).

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use limes_hub::border::{BorderCheck, Direction};
use limes_hub::ees::record::{EntryBasis, TravelDocument, VisaRegime};
use limes_hub::ees::stats::{EesStatistics, publish};
use limes_hub::ees::{
    EesError, EntryRequest, ExitRequest, RefusalRequest, Registered, TravellerInput,
};
use limes_hub::sessions::Session;
use maud::{Markup, html};
use serde::Deserialize;

use super::{form_session, page, session_or_redirect};
use crate::AppState;

/// The EES panel of a border check; empty when the check carries no EES status (EU citizen, no
/// document, or a caller without EES access).
pub fn panel(session: &Session, check: &BorderCheck) -> Markup {
    let Some(ees) = &check.ees else {
        return html! {};
    };
    let default_action = match check.direction {
        Direction::Entry => "entry",
        Direction::Exit => "exit",
    };
    html! {
        div.panel id="ees" {
            strong { "EES" } " · "
            @match &ees.status {
                Some(status) => {
                    span id="ees-days-used" { "days used " strong { (status.days_used) } }
                    " · " span id="ees-days-remaining" { "remaining " strong { (status.days_remaining) } }
                    @if status.overstay_days > 0 {
                        " · " span id="ees-overstay" style="color:#b00020" { "overstay " strong { (status.overstay_days) } " days" }
                    }
                    " · " span id="ees-refusals" { "previous refusals " strong { (status.previous_refusals) } }
                    @if let Some(end) = status.authorised_stay_end { " · authorised until " (end) }
                    @if status.overstaying { p.banner.warn id="ees-overstaying" { "OVERSTAYER — no exit recorded after the end of the authorised stay" } }
                }
                None => span id="ees-unregistered" { "no EES file yet: an entry creates it" },
            }
            form method="post" action=(format!("/ees/record/{}", check.id)) id="ees-form" {
                input type="hidden" name="csrf" value=(session.csrf);
                label for="ees-action" { "Record" }
                select id="ees-action" name="action" {
                    @for action in ["entry", "exit", "refusal"] {
                        option value=(action) selected[action == default_action] { (action) }
                    }
                }
                label for="ees-regime" { "Visa regime" }
                select id="ees-regime" name="regime" {
                    option value="visa_exempt" { "visa exempt" }
                    option value="visa_required" { "visa required" }
                }
                label for="ees-face" { "Facial image reference" }
                input id="ees-face" name="facial_image";
                label for="ees-prints" { "Fingerprints reference (none under 12)" }
                input id="ees-prints" name="fingerprints";
                label for="ees-reasons" { "Refusal reasons (Annex V Part B letters, e.g. C E)" }
                input id="ees-reasons" name="reasons";
                input type="hidden" name="crossing_point" value=(check.crossing_point);
                p { button type="submit" id="ees-record" accesskey="e" { "Record in EES (" kbd { "Alt+E" } ")" } }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct RecordForm {
    csrf: String,
    action: String,
    regime: String,
    #[serde(default)]
    facial_image: String,
    #[serde(default)]
    fingerprints: String,
    #[serde(default)]
    reasons: String,
    crossing_point: String,
}

fn traveller(check: &BorderCheck, form: &RecordForm) -> Result<TravellerInput, String> {
    let t = &check.traveller;
    let expiry = t
        .expiry_date
        .and_then(|d| d.to_date())
        .ok_or("the document's expiry date is unknown")?;
    let some = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
    Ok(TravellerInput {
        surname: t.surname.clone(),
        given_names: t.given_names.clone(),
        birth_date: t.birth_date,
        nationality: t.nationality.clone().ok_or("the nationality is unknown")?,
        sex: t.sex,
        document: TravelDocument {
            kind: t.document_type.clone().unwrap_or_else(|| "P".to_owned()),
            number: t
                .document_number
                .clone()
                .ok_or("the document number is unknown")?,
            issuing_country: t
                .issuing_state
                .clone()
                .ok_or("the issuing State is unknown")?,
            expiry,
        },
        regime: if form.regime == "visa_required" {
            VisaRegime::VisaRequired
        } else {
            VisaRegime::VisaExempt
        },
        facial_image: some(&form.facial_image),
        fingerprints: some(&form.fingerprints),
        family_member_of_union_citizen: false,
    })
}

/// `POST /ees/record/{check}`: the one action of the EES panel.
pub async fn record(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(check_id): Path<String>,
    Form(form): Form<RecordForm>,
) -> Response {
    let (_, session) = match form_session(&state, &headers, &form.csrf) {
        Ok(found) => found,
        Err(response) => return response,
    };
    let access = session.access();
    let outcome: Result<(String, Registered), String> = async {
        let check = state
            .hub
            .border_check_record(&access, &check_id)
            .await
            .map_err(|e| e.to_string())?;
        let traveller = traveller(&check, &form)?;
        let ees = |e: EesError| e.to_string();
        match form.action.as_str() {
            "exit" => state
                .hub
                .ees_exit(
                    &access,
                    ExitRequest {
                        issuing_country: traveller.document.issuing_country.clone(),
                        document_number: traveller.document.number.clone(),
                        crossing_point: form.crossing_point.clone(),
                    },
                )
                .await
                .map(|r| ("Exit recorded".to_owned(), r))
                .map_err(ees),
            "refusal" => state
                .hub
                .ees_refusal(
                    &access,
                    RefusalRequest {
                        traveller,
                        crossing_point: form.crossing_point.clone(),
                        reasons: form
                            .reasons
                            .split(|c: char| c == ',' || c.is_whitespace())
                            .filter(|s| !s.is_empty())
                            .map(|s| s.to_ascii_uppercase())
                            .collect(),
                    },
                )
                .await
                .map(|r| ("Refusal recorded".to_owned(), r))
                .map_err(ees),
            _ => state
                .hub
                .ees_entry(
                    &access,
                    EntryRequest {
                        traveller,
                        crossing_point: form.crossing_point.clone(),
                        basis: if form.regime == "visa_required" {
                            EntryBasis::Visa {
                                sticker_number: String::new(),
                            }
                        } else {
                            EntryBasis::VisaExempt
                        },
                        authorised_until: None,
                    },
                )
                .await
                .map(|r| ("Entry recorded".to_owned(), r))
                .map_err(ees),
        }
    }
    .await;
    match outcome {
        Ok((what, registered)) => page(
            "EES",
            Some(&session),
            html! {
                p.banner.ok id="ees-done" { (what) }
                p id="ees-status" {
                    "Days used " strong { (registered.status.days_used) }
                    " · remaining " strong { (registered.status.days_remaining) }
                    @if let Some(end) = registered.status.authorised_stay_end { " · authorised until " strong { (end) } }
                }
                p { a href=(format!("/border/checks/{check_id}")) { "Back to the check" } " · "
                    a href="/border" accesskey="n" { "New check (Alt+N)" } }
            },
        )
        .into_response(),
        Err(error) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            page(
                "EES",
                Some(&session),
                html! {
                    p.banner.warn id="error" { (error) }
                    p { a href=(format!("/border/checks/{check_id}")) { "Back to the check" } }
                },
            ),
        )
            .into_response(),
    }
}

#[derive(Deserialize, Default)]
pub struct StatsParams {
    from: Option<String>,
    to: Option<String>,
}

const METRICS: [(&str, &str); 4] = [
    ("entries", "#0b2e59"),
    ("exits", "#1b7f3b"),
    ("refusals", "#b00020"),
    ("overstayers", "#f2b400"),
];

/// Bars per day and metric; suppressed totals (1–4) are drawn as a grey stub labelled `<5`.
fn chart(stats: &EesStatistics) -> Markup {
    let totals = stats.totals();
    let days: Vec<time::Date> = {
        let mut days: Vec<_> = totals.keys().map(|(d, _)| *d).collect();
        days.dedup();
        days
    };
    let max = totals.values().copied().max().unwrap_or(0).max(5) as f64;
    let group = 4.0 * 14.0 + 10.0;
    let height = 160.0;
    let width = (days.len() as f64 * group).max(200.0) + 40.0;
    html! {
        svg id="ees-chart" role="img" aria-label="EES entries, exits, refusals and overstayers per day"
            width=(width) height=(height + 40.0) viewBox=(format!("0 0 {width} {}", height + 40.0)) xmlns="http://www.w3.org/2000/svg" {
            @for (i, day) in days.iter().enumerate() {
                @for (j, (metric, colour)) in METRICS.iter().enumerate() {
                    @let count = totals.get(&(*day, *metric)).copied().unwrap_or(0);
                    @let shown = publish(count);
                    @if let Some(label) = shown {
                        @let suppressed = label.starts_with('<');
                        @let h = if suppressed { 4.0 } else { count as f64 / max * height };
                        @let x = 30.0 + i as f64 * group + j as f64 * 14.0;
                        rect class=(format!("bar {metric}")) x=(x) y=(height - h + 10.0) width="12" height=(h)
                            fill=(if suppressed { "#999" } else { colour }) {
                            title { (day) " " (metric) ": " (label) }
                        }
                        text x=(x) y=(height - h + 6.0) font-size="9" { (label) }
                    }
                }
                text x=(30.0 + i as f64 * group) y=(height + 25.0) font-size="9" { (day) }
            }
        }
        p.muted { @for (metric, colour) in METRICS { span style=(format!("color:{colour}")) { "■ " } (metric) " " } }
    }
}

/// `GET /ees/statistics`: the administrator's (or data-protection officer's) statistics page.
pub async fn statistics_page(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(params): Query<StatsParams>,
) -> Response {
    let (_, session) = match session_or_redirect(&state, &headers) {
        Ok(found) => found,
        Err(redirect) => return redirect.into_response(),
    };
    let today = state.hub.now().date();
    let parse = |text: &Option<String>, default: time::Date| {
        text.as_deref()
            .filter(|t| !t.trim().is_empty())
            .map(|t| limes_hub::ees::record::iso_date::parse(t.trim()))
            .unwrap_or(Ok(default))
    };
    let (from, to) = match (
        parse(&params.from, today - time::Duration::days(13)),
        parse(&params.to, today),
    ) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(e), _) | (_, Err(e)) => {
            return (
                StatusCode::BAD_REQUEST,
                page(
                    "EES statistics",
                    Some(&session),
                    html! { p.banner.warn id="error" { (e) } },
                ),
            )
                .into_response();
        }
    };
    let form = html! {
        form method="get" action="/ees/statistics" {
            label for="from" { "From" } input id="from" name="from" type="date" value=(from);
            label for="to" { "To" } input id="to" name="to" type="date" value=(to);
            p { button type="submit" { "Show" } " "
                a href=(format!("/api/v1/ees/statistics?from={from}&to={to}")) { "CSV (API, bearer token)" } }
        }
    };
    match state.hub.ees_statistics(&session.access(), from, to).await {
        Ok(stats) => page(
            "EES statistics",
            Some(&session),
            html! {
                (form)
                p.muted { "Counts from 1 to 4 are shown as <5 so that no traveller can be singled out (Reg 2017/2226 Art 63; GDPR recital 26)." }
                (chart(&stats))
                table id="ees-stats" {
                    tr { th { "Day" } th { "Metric" } th { "By" } th { "Value" } th { "Count" } }
                    @for (key, count) in &stats.cells {
                        @if let Some(shown) = publish(*count) {
                            tr { td { (key.day) } td { (key.metric) } td { (key.dimension) } td { (key.value) } td { (shown) } }
                        }
                    }
                }
            },
        )
        .into_response(),
        Err(error) => (
            StatusCode::FORBIDDEN,
            page("EES statistics", Some(&session), html! { (form) p.banner.warn id="error" { (error) } }),
        )
            .into_response(),
    }
}
