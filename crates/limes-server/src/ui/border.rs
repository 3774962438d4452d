//! The border guard's screen: paste or scan the MRZ, Enter checks, one page shows the traveller,
//! the banner (green clean, red hit, amber document findings) and each hit with its next step and
//! one key per action. A discreet-check hit never colours the banner (the traveller may see the
//! screen): it shows in a neutral panel telling the officer to let the traveller pass.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use limes_hub::border::{BorderCheck, BorderCheckRequest, DecisionRequest, Direction, Verdict};
use limes_hub::sessions::Session;
use limes_hub::sirene::art37::{self, Art37Request};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

use super::{form_session, page, session_or_redirect};
use crate::AppState;

/// Enter submits once the zone is complete (2 lines of 44 or 36, 3 of 30), so a scanner's line
/// breaks do not submit half a zone; Ctrl+Enter always submits.
const SCRIPT: &str = r#"
document.addEventListener('DOMContentLoaded',function(){
 var t=document.getElementById('mrz'); if(!t) return;
 t.addEventListener('keydown',function(e){
  if(e.key!=='Enter') return;
  var lines=t.value.split(/\r?\n/).map(function(l){return l.trim();}).filter(function(l){return l.length>0;});
  var done=(lines.length>=2&&(lines[0].length===44||lines[0].length===36)&&lines[1].length===lines[0].length)||(lines.length>=3&&lines[0].length===30);
  if(e.ctrlKey||done||lines.length===0){e.preventDefault();t.form.requestSubmit();}
 });
});
"#;

const EXTRA_STYLE: &str = r#"
textarea#mrz{font-family:ui-monospace,monospace;font-size:1.1rem;width:100%;max-width:34rem;height:5.5rem}
.panel{background:#fff;border:1px solid #ccd;padding:.6rem .8rem;margin:.5rem 0}
.panel.report{border-left:6px solid #555}
.hit{background:#fff;border:1px solid #ccd;border-left:6px solid #b00020;padding:.5rem .8rem;margin:.5rem 0}
.hit.discreet{border-left-color:#555}
kbd{border:1px solid #999;border-radius:3px;padding:0 .25rem;font-size:.85rem}
"#;

#[derive(Deserialize)]
pub struct CheckForm {
    csrf: String,
    mrz: String,
    crossing_point: String,
    direction: String,
    #[serde(default)]
    accompanying_adult: String,
}

#[derive(Deserialize)]
pub struct DecisionForm {
    csrf: String,
    decision: String,
    reason: String,
}

fn form(session: &Session, error: Option<&str>, crossing_point: &str) -> Markup {
    html! {
        style { (PreEscaped(EXTRA_STYLE)) }
        script { (PreEscaped(SCRIPT)) }
        @if let Some(error) = error { p.banner.warn id="error" { (error) } }
        form method="post" action="/border" id="check-form" {
            input type="hidden" name="csrf" value=(session.csrf);
            label for="mrz" { "MRZ (scan or paste; " kbd { "Enter" } " checks)" }
            textarea id="mrz" name="mrz" autofocus spellcheck="false" autocomplete="off" {}
            label for="crossing_point" { "Crossing point" }
            input id="crossing_point" name="crossing_point" value=(crossing_point) required;
            label for="direction" { "Direction" }
            select id="direction" name="direction" {
                option value="entry" { "entry" }
                option value="exit" { "exit" }
            }
            label for="accompanying_adult" { "Accompanying adult (minors)" }
            input id="accompanying_adult" name="accompanying_adult";
            p { button type="submit" id="check" accesskey="k" { "Check" } }
        }
    }
}

fn result(session: &Session, check: &BorderCheck) -> Markup {
    let open_hits: Vec<_> = check.hits.iter().filter(|h| !h.discreet).collect();
    let discreet: Vec<_> = check.hits.iter().filter(|h| h.discreet).collect();
    let errors = check
        .document_findings
        .iter()
        .any(|f| f.severity == "error");
    let t = &check.traveller;
    html! {
        style { (PreEscaped(EXTRA_STYLE)) }
        // The banner follows the kiosk-safe gate plus document findings; never a discreet check.
        @if !open_hits.is_empty() {
            p.banner.bad id="banner" data-outcome="hit" { "HIT — do not let pass; follow the action below" }
        } @else if !check.document_findings.is_empty() {
            p.banner.warn id="banner" data-outcome="document" {
                @if errors { "DOCUMENT FINDINGS — the document is not valid for crossing" }
                @else { "DOCUMENT WARNINGS — compare the MRZ with the printed page" }
            }
        } @else {
            p.banner.ok id="banner" data-outcome="clear" { "CLEAR — no hit" }
        }
        div.panel id="traveller" {
            strong { (t.surname) ", " (t.given_names) }
            " · born " (t.birth_date.map(|d| d.to_string()).unwrap_or_default())
            " · " (t.nationality.clone().unwrap_or_default())
            " · " (t.document_type.clone().unwrap_or_default()) " " (t.document_number.clone().unwrap_or_default())
            " (" (t.issuing_state.clone().unwrap_or_default()) ") valid until "
            (t.expiry_date.map(|d| d.to_string()).unwrap_or_default())
            @if check.minor {
                p id="minor" { strong { "MINOR" } " (age " (check.age.unwrap_or_default()) ")"
                    @if let Some(adult) = &check.accompanying_adult { " — accompanied by " (adult) }
                    @else { " — record the accompanying adult" } }
            }
        }
        (super::ees::panel(session, check))
        @if !check.document_findings.is_empty() {
            ul id="findings" {
                @for f in &check.document_findings {
                    li { strong { (f.kind) } " (" (f.field) ", " (f.severity) "): " (f.detail) }
                }
            }
        }
        @for hit in &open_hits {
            (hit_block(session, check, hit, "hit"))
        }
        @for hit in &discreet {
            // Neutral panel: nothing on the screen colours or names the alert to a traveller.
            div.panel.report id="discreet" {
                strong { "Report required" } " — " span class="next-step" { (hit.next_step) }
                div.muted { "Ref " (hit.record_id) " · issued by " (hit.issuing_country.clone().unwrap_or_default()) }
                @match &hit.report_id {
                    Some(report) => p id="art37-filed" { "Art 37 report " strong { (report) } " filed and forwarded to SIRENE." },
                    None => p { a href=(format!("/border/checks/{}/hits/{}/report", check.id, hit.n)) accesskey="p" id="art37-link" {
                        "Fill in the Art 37 report (" kbd { "Alt+P" } ")" } },
                }
            }
        }
        p { a href="/border" accesskey="n" id="new-check" { "New check (" kbd { "Alt+N" } ")" } }
    }
}

fn hit_block(
    session: &Session,
    check: &BorderCheck,
    hit: &limes_hub::border::BorderHit,
    class: &str,
) -> Markup {
    let first = hit.n
        == check
            .hits
            .iter()
            .find(|h| h.decision.is_none())
            .map_or(usize::MAX, |h| h.n);
    html! {
        div class=(class) id=(format!("hit-{}", hit.n)) {
            p { strong.category { (hit.category) } " · " (hit.source) " · " (hit.match_kind) " match · score "
                (format!("{:.2}", hit.score)) " · issued by " (hit.issuing_country.clone().unwrap_or_default()) }
            @if !hit.markers.is_empty() { p.markers { "Warning markers: " strong { (hit.markers.join(", ")) } } }
            p { "Action: " (hit.action) }
            p.next-step { strong { "Next step: " } (hit.next_step) }
            @if !hit.record.is_null() { p.muted { "Record: " (hit.record.to_string()) } }
            @if !hit.explanation.is_empty() { p.muted { (hit.explanation.join(" · ")) } }
            @match &hit.decision {
                Some(d) => p.decision { "Decided: " strong { (match d.decision { Verdict::Confirm => "confirmed", Verdict::Reject => "rejected" }) } " — " (d.reason)
                    @if let Some(case) = &d.case_id { " · SIRENE case " (case) } },
                None => form method="post" action=(format!("/border/checks/{}/hits/{}", check.id, hit.n)) {
                    input type="hidden" name="csrf" value=(session.csrf);
                    input name="reason" placeholder="reason (required)" required id=(format!("reason-{}", hit.n));
                    " "
                    @if first {
                        button type="submit" name="decision" value="confirm" accesskey="c" { "Confirm (Alt+C)" }
                        " "
                        button type="submit" name="decision" value="reject" accesskey="r" { "Reject (Alt+R)" }
                    } @else {
                        button type="submit" name="decision" value="confirm" { "Confirm" }
                        " "
                        button type="submit" name="decision" value="reject" { "Reject" }
                    }
                }
            }
        }
    }
}

pub async fn border_page(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let (_, session) = match session_or_redirect(&state, &headers) {
        Ok(found) => found,
        Err(redirect) => return redirect.into_response(),
    };
    let demo = state.hub.demo_travellers().await;
    page(
        "Border check",
        Some(&session),
        html! {
            (form(&session, None, ""))
            @if !demo.is_empty() {
                details id="demo-travellers" {
                    summary { "Demo travellers (synthetic)" }
                    @for t in &demo {
                        div.panel { strong { (t.label) } " — expect " (t.expect) pre { (t.mrz) } }
                    }
                }
            }
        },
    )
    .into_response()
}

pub async fn border_submit(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Form(input): Form<CheckForm>,
) -> Response {
    let (_, session) = match form_session(&state, &headers, &input.csrf) {
        Ok(found) => found,
        Err(response) => return response,
    };
    let direction = if input.direction == "exit" {
        Direction::Exit
    } else {
        Direction::Entry
    };
    let request = BorderCheckRequest {
        mrz: Some(input.mrz),
        identity: None,
        crossing_point: input.crossing_point.clone(),
        direction,
        accompanying_adult: Some(input.accompanying_adult),
    };
    match state.hub.border_check(&session.access(), request).await {
        Ok(check) => Redirect::to(&format!("/border/checks/{}", check.id)).into_response(),
        Err(error) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            page(
                "Border check",
                Some(&session),
                form(&session, Some(&error.to_string()), &input.crossing_point),
            ),
        )
            .into_response(),
    }
}

pub async fn check_page(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (_, session) = match session_or_redirect(&state, &headers) {
        Ok(found) => found,
        Err(redirect) => return redirect.into_response(),
    };
    match state.hub.border_check_record(&session.access(), &id).await {
        Ok(check) => page(
            "Border check",
            Some(&session),
            html! { (result(&session, &check)) (form(&session, None, &check.crossing_point)) },
        )
        .into_response(),
        Err(error) => (
            StatusCode::FORBIDDEN,
            page(
                "Border check",
                Some(&session),
                html! { p.banner.warn id="error" { (error) } },
            ),
        )
            .into_response(),
    }
}

pub async fn decide(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path((id, n)): Path<(String, usize)>,
    Form(input): Form<DecisionForm>,
) -> Response {
    let (_, session) = match form_session(&state, &headers, &input.csrf) {
        Ok(found) => found,
        Err(response) => return response,
    };
    let decision = if input.decision == "confirm" {
        Verdict::Confirm
    } else {
        Verdict::Reject
    };
    let request = DecisionRequest {
        decision,
        reason: input.reason,
    };
    match state
        .hub
        .decide_hit(&session.access(), &id, n, request)
        .await
    {
        Ok(_) => Redirect::to(&format!("/border/checks/{id}")).into_response(),
        Err(error) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            page(
                "Border check",
                Some(&session),
                html! { p.banner.warn id="error" { (error) } },
            ),
        )
            .into_response(),
    }
}

#[derive(Deserialize)]
pub struct ReportForm {
    csrf: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    route_and_destination: String,
    #[serde(default)]
    accompanying_persons: String,
    #[serde(default)]
    vehicle: String,
    #[serde(default)]
    objects_carried: String,
    #[serde(default)]
    circumstances: String,
}

/// The Art 37 report form (Reg 2018/1862 Art 37(1)): place, time and reason of the check
/// prefilled from the check; the officer adds route, companions, vehicle, objects and the
/// circumstances. Only the officer's screen links here; nothing a traveller sees does.
fn report_form(session: &Session, check: &BorderCheck, n: usize, error: Option<&str>) -> Markup {
    let field = |id: &str, label: &str, value: &str, required: bool| {
        html! {
            label for=(id) { (label) @if required { " (required)" } }
            textarea id=(id) name=(id) rows="2" cols="70" required[required] { (value) }
        }
    };
    html! {
        style { (PreEscaped(EXTRA_STYLE)) }
        @if let Some(error) = error { p.banner.warn id="error" { (error) } }
        p.muted { "Discreet, inquiry or specific check (Reg 2018/1862 Art 36): the traveller is not told. "
            "Check " (check.id) " at " (check.checked_at.to_string()) "." }
        form method="post" action=(format!("/border/checks/{}/hits/{n}/report", check.id)) id="art37-form" {
            input type="hidden" name="csrf" value=(session.csrf);
            label for="place" { "Place of the check" }
            input id="place" name="place" value=(check.crossing_point);
            p { "Time of the check: " strong id="checked-at" { (check.checked_at.to_string()) } }
            (field("reason", "Reason for the check", art37::DEFAULT_REASON, false))
            (field("route_and_destination", "Route and destination", "", false))
            (field("accompanying_persons", "Accompanying persons", "", false))
            (field("vehicle", "Vehicle used", "", false))
            (field("objects_carried", "Objects carried", "", false))
            (field("circumstances", "Circumstances in which the person was found", "", true))
            p { button type="submit" id="file-report" accesskey="f" { "File and forward to SIRENE (Alt+F)" } }
        }
    }
}

pub async fn report_page(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path((id, n)): Path<(String, usize)>,
) -> Response {
    let (_, session) = match session_or_redirect(&state, &headers) {
        Ok(found) => found,
        Err(redirect) => return redirect.into_response(),
    };
    match state.hub.border_check_record(&session.access(), &id).await {
        Ok(check)
            if check
                .hits
                .get(n)
                .is_some_and(|h| art37::REPORTED_CATEGORIES.contains(&h.category.as_str())) =>
        {
            page(
                "Art 37 report",
                Some(&session),
                report_form(&session, &check, n, None),
            )
            .into_response()
        }
        Ok(_) => (
            StatusCode::NOT_FOUND,
            page(
                "Art 37 report",
                Some(&session),
                html! { p.banner.warn id="error" { "This hit is not reported under Art 37." } },
            ),
        )
            .into_response(),
        Err(error) => (
            StatusCode::FORBIDDEN,
            page(
                "Art 37 report",
                Some(&session),
                html! { p.banner.warn id="error" { (error) } },
            ),
        )
            .into_response(),
    }
}

pub async fn report_submit(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path((id, n)): Path<(String, usize)>,
    Form(input): Form<ReportForm>,
) -> Response {
    let (_, session) = match form_session(&state, &headers, &input.csrf) {
        Ok(found) => found,
        Err(response) => return response,
    };
    let request = Art37Request {
        place: Some(input.place),
        reason: Some(input.reason),
        route_and_destination: input.route_and_destination,
        accompanying_persons: input.accompanying_persons,
        vehicle: input.vehicle,
        objects_carried: input.objects_carried,
        circumstances: input.circumstances,
    };
    match state
        .hub
        .file_art37_report(&session.access(), &id, n, request)
        .await
    {
        Ok(_) => Redirect::to(&format!("/border/checks/{id}")).into_response(),
        Err(error) => {
            let form = match state.hub.border_check_record(&session.access(), &id).await {
                Ok(check) => report_form(&session, &check, n, Some(&error.to_string())),
                Err(_) => html! { p.banner.warn id="error" { (error) } },
            };
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                page("Art 37 report", Some(&session), form),
            )
                .into_response()
        }
    }
}
