//! The border check, the SIS API and the SIRENE case list through the router, and the guard's and
//! the SIRENE operator's pages in headless Chromium.

use axum::body::Body;
use axum::http::Request;
use fantoccini::Locator;
use fantoccini::key::Key;
use limes_hub::Actor;
use limes_hub::border::passport_mrz;
use limes_hub::sis::{ImportValidator, ListKind};
use limes_model::{PartialDate, Role, Sex};
use serde_json::{Value, json};

use crate::browser::{browser, serve, sign_in, submit, text};
use crate::support::{Env, PASSWORD, Reply, env};

const SIS: &str = r#"{"id":"wanted-1","kind":"person","category":"arrest","identity":{"id":"x","surname":"МЮЛЛЕР","given_names":"ХАНС","birth_date":"1970-03-04","nationality":"RUS"},"markers":["violent"],"action":"arrest for surrender","issuing_country":"DEU","expires_at":"2030-01-01"}
{"id":"secret-1","kind":"person","category":"arrest","sirene_only":true,"identity":{"id":"x","surname":"DUPONT","given_names":"JEAN","birth_date":"1980-01-01"},"action":"arrest","issuing_country":"FRA","expires_at":"2030-01-01"}
{"id":"discreet-1","kind":"person","category":"discreet_check","identity":{"id":"x","surname":"ROSSI","given_names":"MARIO","birth_date":"1975-05-05"},"action":"discreet check","issuing_country":"ITA","expires_at":"2027-06-01"}
{"id":"refusal-1","kind":"person","category":"refusal_of_entry","identity":{"id":"x","surname":"NOVAK","given_names":"PETR","birth_date":"1990-02-02"},"action":"refuse entry","issuing_country":"CZE","expires_at":"2028-12-01"}
{"id":"child-1","kind":"person","category":"missing_protect","minor":true,"identity":{"id":"x","surname":"SANTOS","given_names":"ANA","birth_date":"2014-04-04"},"action":"protect the child","issuing_country":"PRT","expires_at":"2030-01-01"}
{"id":"unknown-1","kind":"person","category":"unknown_wanted","action":"identify by prints","issuing_country":"BEL","expires_at":"2028-01-01"}
{"id":"doc-1","kind":"object","category":"document_issued","object":{"type":"passport","number":"STOLEN123","country":"FRA","status":"stolen"},"action":"seize","issuing_country":"FRA","expires_at":"2030-01-01"}"#;

const DOCUMENTS: &str = r#"{"id":"sltd-1","number":"P9988776","country":"NLD","type":"P","status":"stolen","source":"Interpol SLTD"}"#;
const WATCHLIST: &str = r#"{"id":"wl-1","identity":{"id":"x","surname":"IVANOV","given_names":"IGOR","birth_date":"1985-07-07"},"reason":"national security","action":"second-line check"}"#;

async fn load(env: &Env, list: ListKind, text: &str) {
    let mut v = ImportValidator::default();
    for (i, line) in text.lines().enumerate() {
        v.push(list, i + 1, line);
    }
    let actor = Actor::Cli {
        os_user: "test".to_owned(),
    };
    env.hub
        .import_list(&actor, list, "00", v.finish().expect("valid test data"))
        .await
        .expect("imports");
}

async fn seeded() -> Env {
    let env = env().await;
    load(&env, ListKind::Sis, SIS).await;
    load(&env, ListKind::Documents, DOCUMENTS).await;
    load(&env, ListKind::Watchlist, WATCHLIST).await;
    let actor = Actor::Cli {
        os_user: "test".to_owned(),
    };
    env.hub
        .create_user(&actor, "immigration", &[Role::ImmigrationOfficer], PASSWORD)
        .await
        .expect("user");
    env
}

fn date(y: u16, m: u8, d: u8) -> PartialDate {
    PartialDate::new(y, m, d).expect("date")
}

struct Doc<'a> {
    surname: &'a str,
    given: &'a str,
    number: &'a str,
    state: &'a str,
    born: PartialDate,
    expires: PartialDate,
}

fn mrz(doc: &Doc) -> String {
    passport_mrz(
        doc.surname,
        doc.given,
        doc.number,
        doc.state,
        doc.state,
        doc.born,
        Sex::M,
        doc.expires,
    )
    .expect("mrz")
}

fn clean() -> Doc<'static> {
    Doc {
        surname: "EXAMPLE",
        given: "ANNA MARIA",
        number: "L898902C3",
        state: "NLD",
        born: date(1984, 8, 12),
        expires: date(2031, 4, 15),
    }
}

/// A request with an explicit token secret, purpose and case reference.
async fn call(
    env: &Env,
    token: &str,
    method: &str,
    path: &str,
    purpose: &str,
    body: Option<Value>,
) -> Reply {
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("Bearer {token}"))
        .header("limes-purpose", purpose)
        .header("limes-case-ref", "CASE-2026-1");
    if body.is_some() {
        builder = builder.header("content-type", "application/json");
    }
    let body = body
        .map(|b| Body::from(b.to_string()))
        .unwrap_or_else(Body::empty);
    env.call(builder.body(body).expect("request")).await
}

async fn check(env: &Env, doc: &Doc<'_>) -> Reply {
    let body = json!({"mrz": mrz(doc), "crossing_point": "NLD-AMS-T2", "direction": "entry"});
    call(
        env,
        &env.tokens["guard"],
        "POST",
        "/api/v1/border-checks",
        "border_check",
        Some(body),
    )
    .await
}

#[tokio::test]
async fn clean_traveller_is_journalled_before_the_answer() {
    let env = seeded().await;
    let before = env.journal_len().await;
    let reply = check(&env, &clean()).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let answer = &reply.json;
    for key in [
        "traveller",
        "document_findings",
        "hits",
        "minor",
        "stay",
        "gate",
        "id",
    ] {
        assert!(answer.get(key).is_some(), "{key} in {answer}");
    }
    assert_eq!(answer["hits"], json!([]));
    assert_eq!(answer["document_findings"], json!([]));
    assert_eq!(answer["gate"], "proceed");
    assert_eq!(answer["minor"], false);
    assert_eq!(answer["traveller"]["surname"], "EXAMPLE");
    assert_eq!(env.journal_len().await, before + 1);
    let entries = env
        .hub
        .store()
        .journal_search(&Default::default())
        .await
        .expect("journal");
    let last = entries
        .iter()
        .rev()
        .find(|e| e.body.action == "border.check")
        .expect("entry");
    assert_eq!(last.body.actor, "guard");
    assert!(last.body.record_ids.contains(&format!(
        "border_check:{}",
        answer["id"].as_str().expect("id")
    )));
}

#[tokio::test]
async fn wanted_person_under_a_transliterated_name_is_confirmed_and_opens_a_sirene_case() {
    let env = seeded().await;
    let reply = check(
        &env,
        &Doc {
            surname: "MUELLER",
            given: "HANS",
            number: "C01X00T47",
            state: "D",
            born: date(1970, 3, 4),
            expires: date(2030, 1, 1),
        },
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let hits = reply.json["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 1, "{}", reply.text);
    let hit = &hits[0];
    for key in [
        "source",
        "category",
        "score",
        "explanation",
        "markers",
        "action",
        "next_step",
    ] {
        assert!(hit.get(key).is_some(), "{key} in {hit}");
    }
    assert_eq!(
        (hit["source"].as_str(), hit["category"].as_str()),
        (Some("sis"), Some("arrest"))
    );
    assert_eq!(hit["markers"], json!(["violent"]));
    assert_eq!(reply.json["gate"], "refer");
    let id = reply.json["id"].as_str().expect("id");

    // No reason, no decision.
    let path = format!("/api/v1/border-checks/{id}/hits/0/decision");
    let bad = call(
        &env,
        &env.tokens["guard"],
        "POST",
        &path,
        "border_check",
        Some(json!({"decision": "confirm", "reason": " "})),
    )
    .await;
    assert_eq!(bad.status, 400, "{}", bad.text);
    let ok = call(
        &env,
        &env.tokens["guard"],
        "POST",
        &path,
        "border_check",
        Some(json!({"decision": "confirm", "reason": "photo, birth date and scar match"})),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    let case_id = ok.json["case"]["id"]
        .as_str()
        .expect("case opened")
        .to_owned();
    assert_eq!(ok.json["case"]["issuing_country"], "DEU");
    assert_eq!(ok.json["case"]["urgent"], true);

    // The SIRENE operator sees, works and closes it; the guard cannot list cases.
    let sirene = &env.tokens["sirene"];
    let list = call(
        &env,
        sirene,
        "GET",
        "/api/v1/sirene/cases",
        "law_enforcement",
        None,
    )
    .await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert_eq!(list.json.as_array().map(Vec::len), Some(1));
    let denied = call(
        &env,
        &env.tokens["guard"],
        "GET",
        "/api/v1/sirene/cases",
        "border_check",
        None,
    )
    .await;
    assert_eq!(denied.status, 403);
    let note = call(
        &env,
        sirene,
        "POST",
        &format!("/api/v1/sirene/cases/{case_id}/notes"),
        "law_enforcement",
        Some(json!({"text": "G form sent to DEU"})),
    )
    .await;
    assert_eq!(note.status, 200, "{}", note.text);
    let form = call(
        &env,
        sirene,
        "POST",
        &format!("/api/v1/sirene/cases/{case_id}/forms"),
        "law_enforcement",
        Some(json!({"form": "G", "direction": "sent", "text": "hit reported"})),
    )
    .await;
    assert_eq!(form.json["forms"][0]["form"], "G");
    let closed = call(
        &env,
        sirene,
        "POST",
        &format!("/api/v1/sirene/cases/{case_id}/close"),
        "law_enforcement",
        Some(json!({"outcome": "arrested, surrender procedure started"})),
    )
    .await;
    assert_eq!(closed.json["status"], "closed");
    let again = call(
        &env,
        sirene,
        "POST",
        &format!("/api/v1/sirene/cases/{case_id}/notes"),
        "law_enforcement",
        Some(json!({"text": "late"})),
    )
    .await;
    assert_eq!(again.status, 409);
}

#[tokio::test]
async fn namesake_rejected_by_the_guard_counts_as_a_false_hit() {
    let env = seeded().await;
    let reply = check(
        &env,
        &Doc {
            surname: "MULLER",
            given: "HANS",
            number: "P1234567",
            state: "AUT",
            born: date(1970, 3, 4),
            expires: date(2030, 1, 1),
        },
    )
    .await;
    let hits = reply.json["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 1, "{}", reply.text);
    let id = reply.json["id"].as_str().expect("id");
    let path = format!("/api/v1/border-checks/{id}/hits/0/decision");
    let ok = call(
        &env,
        &env.tokens["guard"],
        "POST",
        &path,
        "border_check",
        Some(json!({"decision": "reject", "reason": "different person: photo and height"})),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(ok.json["case"], Value::Null);
    let stats = call(
        &env,
        &env.tokens["dpo"],
        "GET",
        "/api/v1/border-checks/stats",
        "audit",
        None,
    )
    .await;
    assert_eq!(stats.status, 200, "{}", stats.text);
    assert_eq!(
        stats.json,
        json!([{"culture": "AUT", "true_hits": 0, "false_hits": 1}])
    );
    let cases = call(
        &env,
        &env.tokens["sirene"],
        "GET",
        "/api/v1/sirene/cases",
        "law_enforcement",
        None,
    )
    .await;
    assert_eq!(cases.json, json!([]));
}

#[tokio::test]
async fn stolen_passport_missing_child_discreet_check_and_expired_document() {
    let env = seeded().await;
    // SIS document alert and the national/SLTD list, by number + issuing country.
    let stolen = check(
        &env,
        &Doc {
            surname: "DURAND",
            given: "LEA",
            number: "STOLEN123",
            state: "FRA",
            born: date(1990, 1, 1),
            expires: date(2030, 1, 1),
        },
    )
    .await;
    assert_eq!(
        stolen.json["hits"][0]["category"], "document_issued",
        "{}",
        stolen.text
    );
    let sltd = check(
        &env,
        &Doc {
            surname: "JANSEN",
            given: "PIET",
            number: "P9988776",
            state: "NLD",
            born: date(1990, 1, 1),
            expires: date(2030, 1, 1),
        },
    )
    .await;
    assert_eq!(
        sltd.json["hits"][0]["source"], "lost_stolen_documents",
        "{}",
        sltd.text
    );
    // Same number, other issuing state: no hit.
    let other = check(
        &env,
        &Doc {
            surname: "JANSEN",
            given: "PIET",
            number: "P9988776",
            state: "BEL",
            born: date(1990, 1, 1),
            expires: date(2030, 1, 1),
        },
    )
    .await;
    assert_eq!(other.json["hits"], json!([]), "{}", other.text);

    let child = check(
        &env,
        &Doc {
            surname: "SANTOS",
            given: "ANA",
            number: "CB123456",
            state: "PRT",
            born: date(2014, 4, 4),
            expires: date(2030, 1, 1),
        },
    )
    .await;
    assert_eq!(
        child.json["hits"][0]["category"], "missing_protect",
        "{}",
        child.text
    );
    assert_eq!(child.json["minor"], true);

    let discreet = check(
        &env,
        &Doc {
            surname: "ROSSI",
            given: "MARIO",
            number: "YA1234567",
            state: "ITA",
            born: date(1975, 5, 5),
            expires: date(2030, 1, 1),
        },
    )
    .await;
    let clean_reply = check(&env, &clean()).await;
    assert_eq!(discreet.json["hits"][0]["category"], "discreet_check");
    assert!(
        discreet.json["hits"][0]["next_step"]
            .as_str()
            .unwrap_or("")
            .contains("Let the traveller pass")
    );
    // The kiosk-safe summary is identical to a clean traveller's.
    assert_eq!(discreet.json["gate"], clean_reply.json["gate"]);

    let expired = check(
        &env,
        &Doc {
            expires: date(2026, 1, 31),
            ..clean()
        },
    )
    .await;
    let findings = expired.json["document_findings"]
        .as_array()
        .expect("findings");
    assert!(
        findings.iter().any(|f| f["kind"] == "expired"),
        "{}",
        expired.text
    );
    assert_eq!(expired.json["hits"], json!([]));
    assert_eq!(expired.json["gate"], "refer");

    // Watch list, and a wrong check digit.
    let watched = check(
        &env,
        &Doc {
            surname: "IVANOV",
            given: "IGOR",
            number: "X7654321",
            state: "BGR",
            born: date(1985, 7, 7),
            expires: date(2030, 1, 1),
        },
    )
    .await;
    assert_eq!(
        watched.json["hits"][0]["source"], "national_watchlist",
        "{}",
        watched.text
    );
    let mut broken = mrz(&clean());
    // Line 2 starts at byte 45; its 10th character is the document number's check digit.
    let digit = if &broken[54..55] == "1" { "2" } else { "1" };
    broken.replace_range(54..55, digit);
    let body = json!({"mrz": broken, "crossing_point": "NLD-AMS-T2", "direction": "exit"});
    let reply = call(
        &env,
        &env.tokens["guard"],
        "POST",
        "/api/v1/border-checks",
        "border_check",
        Some(body),
    )
    .await;
    assert!(
        reply.json["document_findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["kind"] == "check_digit"),
        "{}",
        reply.text
    );
}

#[tokio::test]
async fn discreet_check_hit_files_the_art37_report_for_sirene() {
    let env = seeded().await;
    let rossi = Doc {
        surname: "ROSSI",
        given: "MARIO",
        number: "YA1234567",
        state: "ITA",
        born: date(1975, 5, 5),
        expires: date(2030, 1, 1),
    };
    let discreet = check(&env, &rossi).await;
    let id = discreet.json["id"].as_str().expect("check id").to_owned();
    let path = format!("/api/v1/border-checks/{id}/hits/0/art37-report");
    let report = json!({
        "route_and_destination": "ferry from Tunis, to Milan",
        "accompanying_persons": "one adult, BIANCHI LUCA",
        "vehicle": "grey car IT AB123CD",
        "objects_carried": "laptop bag",
        "circumstances": "came to the booth alone, nervous",
    });
    let guard = &env.tokens["guard"];
    let filed = call(
        &env,
        guard,
        "POST",
        &path,
        "border_check",
        Some(report.clone()),
    )
    .await;
    assert_eq!(filed.status.as_u16(), 201, "{}", filed.text);
    assert_eq!(filed.json["report"]["place"], "NLD-AMS-T2");
    assert_eq!(filed.json["report"]["issuing_country"], "ITA");
    assert_eq!(filed.json["case"]["issuing_country"], "ITA");
    let report_id = filed.json["report"]["id"].as_str().expect("id").to_owned();
    assert_eq!(filed.json["case"]["report_id"], report_id.as_str());
    // Once only.
    let again = call(&env, guard, "POST", &path, "border_check", Some(report)).await;
    assert_eq!(again.status.as_u16(), 409, "{}", again.text);
    // The stored check: reported, and the kiosk-safe gate is still a clean traveller's.
    let stored = call(
        &env,
        guard,
        "GET",
        &format!("/api/v1/border-checks/{id}"),
        "border_check",
        None,
    )
    .await;
    assert_eq!(stored.json["gate"], "proceed");
    assert_eq!(stored.json["hits"][0]["report_id"], report_id.as_str());
    // The SIRENE Bureau has the case and reads the report; the guard cannot read it back.
    let sirene = &env.tokens["sirene"];
    let cases = call(
        &env,
        sirene,
        "GET",
        "/api/v1/sirene/cases",
        "law_enforcement",
        None,
    )
    .await;
    assert!(
        cases
            .json
            .as_array()
            .expect("cases")
            .iter()
            .any(|c| c["report_id"] == report_id.as_str()),
        "{}",
        cases.text
    );
    let read_path = format!("/api/v1/art37-reports/{report_id}");
    let read = call(&env, sirene, "GET", &read_path, "law_enforcement", None).await;
    assert_eq!(read.status.as_u16(), 200, "{}", read.text);
    assert_eq!(read.json["vehicle"], "grey car IT AB123CD");
    let denied = call(&env, guard, "GET", &read_path, "border_check", None).await;
    assert_eq!(denied.status.as_u16(), 403, "{}", denied.text);
    // A hit that is not an Art 36 check is not reported this way.
    let stolen = check(
        &env,
        &Doc {
            surname: "DURAND",
            given: "LEA",
            number: "STOLEN123",
            state: "FRA",
            born: date(1990, 1, 1),
            expires: date(2030, 1, 1),
        },
    )
    .await;
    let stolen_id = stolen.json["id"].as_str().expect("id");
    let refused = call(
        &env,
        guard,
        "POST",
        &format!("/api/v1/border-checks/{stolen_id}/hits/0/art37-report"),
        "border_check",
        Some(json!({"circumstances": "x"})),
    )
    .await;
    assert_eq!(refused.status.as_u16(), 400, "{}", refused.text);
}

/// Who may read which alert category, written from the law (legal digest §1) independently of
/// config/access-matrix.toml: (user, purpose, alert, expected HTTP status).
const READ_TABLE: &[(&str, &str, &str, u16)] = &[
    ("guard", "border_check", "wanted-1", 200),
    ("guard", "border_check", "secret-1", 403),
    ("guard", "border_check", "refusal-1", 200),
    ("guard", "border_check", "unknown-1", 403),
    ("guard", "border_check", "doc-1", 200),
    ("police", "law_enforcement", "wanted-1", 200),
    ("police", "law_enforcement", "secret-1", 403),
    ("police", "law_enforcement", "unknown-1", 403),
    ("immigration", "immigration", "refusal-1", 200),
    ("immigration", "immigration", "wanted-1", 403),
    ("immigration", "immigration", "doc-1", 403),
    ("sirene", "law_enforcement", "secret-1", 200),
    ("sirene", "law_enforcement", "unknown-1", 200),
    ("dpo", "audit", "wanted-1", 403),
    ("admin", "administration", "wanted-1", 403),
];

#[tokio::test]
async fn alert_access_per_role_and_category_follows_the_law() {
    let env = seeded().await;
    let (_, immigration_token, _) = env
        .hub
        .create_token(
            &Actor::Cli {
                os_user: "t".to_owned(),
            },
            "immigration",
            None,
        )
        .await
        .expect("token");
    for (user, purpose, alert, status) in READ_TABLE {
        let token = if *user == "immigration" {
            immigration_token.clone()
        } else {
            env.tokens[user].clone()
        };
        let reply = call(
            &env,
            &token,
            "GET",
            &format!("/api/v1/sis/alerts/{alert}"),
            purpose,
            None,
        )
        .await;
        assert_eq!(
            reply.status.as_u16(),
            *status,
            "{user} {purpose} {alert}: {}",
            reply.text
        );
    }
    // The border check itself: border_check purpose only.
    let body = json!({"mrz": mrz(&clean()), "crossing_point": "X", "direction": "entry"});
    for (user, purpose, status) in [
        ("guard", "border_check", 201),
        ("police", "law_enforcement", 403),
        ("dpo", "audit", 403),
        ("sirene", "law_enforcement", 403),
    ] {
        let reply = call(
            &env,
            &env.tokens[user],
            "POST",
            "/api/v1/border-checks",
            purpose,
            Some(body.clone()),
        )
        .await;
        assert_eq!(reply.status.as_u16(), status, "{user}: {}", reply.text);
    }
    // Only the SIRENE Bureau writes alerts; a guard's attempt is refused and journalled.
    let alert = json!({"id":"new-1","kind":"person","category":"missing","identity":{"id":"x","surname":"NEW","birth_date":"2000-01-01"},"action":"locate","issuing_country":"AUT","expires_at":"2030-01-01"});
    let denied = call(
        &env,
        &env.tokens["guard"],
        "PUT",
        "/api/v1/sis/alerts/new-1",
        "border_check",
        Some(alert.clone()),
    )
    .await;
    assert_eq!(denied.status, 403);
    let created = call(
        &env,
        &env.tokens["sirene"],
        "PUT",
        "/api/v1/sis/alerts/new-1",
        "law_enforcement",
        Some(alert),
    )
    .await;
    assert_eq!(created.status, 204, "{}", created.text);
    // The index follows at once.
    let reply = check(
        &env,
        &Doc {
            surname: "NEW",
            given: "",
            number: "N1",
            state: "AUT",
            born: date(2000, 1, 1),
            expires: date(2030, 1, 1),
        },
    )
    .await;
    assert_eq!(
        reply.json["hits"][0]["record_id"], "sis_alert:new-1",
        "{}",
        reply.text
    );
    let deleted = call(
        &env,
        &env.tokens["sirene"],
        "DELETE",
        "/api/v1/sis/alerts/new-1",
        "law_enforcement",
        None,
    )
    .await;
    assert_eq!(deleted.status, 204);
    let reply = check(
        &env,
        &Doc {
            surname: "NEW",
            given: "",
            number: "N1",
            state: "AUT",
            born: date(2000, 1, 1),
            expires: date(2030, 1, 1),
        },
    )
    .await;
    assert_eq!(reply.json["hits"], json!([]));
}

async fn banner_colour(client: &fantoccini::Client) -> String {
    client
        .execute(
            "return getComputedStyle(document.getElementById('banner')).backgroundColor",
            vec![],
        )
        .await
        .expect("script")
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The banner's colour as rendered: a real PNG screenshot of the page, decoded, sampled inside
/// the banner's box (in its padding, away from the text).
async fn banner_pixel(client: &fantoccini::Client) -> [u8; 3] {
    let rect: Value = client
        .execute(
            "var r=document.getElementById('banner').getBoundingClientRect();\
             return [r.left, r.top, r.width, r.height, window.devicePixelRatio];",
            vec![],
        )
        .await
        .expect("script");
    let n = |i: usize| rect[i].as_f64().expect("number");
    let (left, top, height, ratio) = (n(0), n(1), n(3), n(4));
    assert!(height > 10.0, "the banner is visible: {rect}");
    let png = client.screenshot().await.expect("screenshot");
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).expect("a frame");
    let channels = match frame.color_type {
        png::ColorType::Rgba => 4,
        png::ColorType::Rgb => 3,
        other => panic!("unexpected screenshot colour type {other:?}"),
    };
    // 4 CSS pixels inside the top-left corner: padding, never text.
    let x = ((left + 4.0) * ratio) as usize;
    let y = ((top + 4.0) * ratio) as usize;
    let at = (y * frame.width as usize + x) * channels;
    [pixels[at], pixels[at + 1], pixels[at + 2]]
}

#[track_caller]
fn assert_colour(pixel: [u8; 3], expected: [u8; 3], what: &str) {
    let close = pixel.iter().zip(expected).all(|(a, b)| a.abs_diff(b) <= 6);
    assert!(
        close,
        "{what}: banner pixel {pixel:?}, expected {expected:?}"
    );
}

const GREEN: [u8; 3] = [27, 127, 59];
const AMBER: [u8; 3] = [242, 180, 0];
const RED: [u8; 3] = [176, 0, 32];

async fn scan(client: &fantoccini::Client, doc: &Doc<'_>) {
    let before = client.current_url().await.expect("url");
    let enter: char = Key::Enter.into();
    let zone = mrz(doc).replace('\n', &enter.to_string());
    let area = client.find(Locator::Id("mrz")).await.expect("textarea");
    area.send_keys(&format!("{zone}{enter}"))
        .await
        .expect("types");
    for _ in 0..50 {
        let now = client.current_url().await.expect("url");
        if now != before && now.path().starts_with("/border/checks/") {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let url = client.current_url().await.expect("url");
    let source = client.source().await.unwrap_or_default();
    panic!("Enter did not submit the check: {url} {source}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guard_screen_and_sirene_case_list() {
    let Some(browser) = browser().await else {
        return;
    };
    let env = seeded().await;
    let base = serve(env.state.clone()).await;
    let client = &browser.client;
    sign_in(client, &base, "guard", PASSWORD, "border_check").await;
    client.goto(&format!("{base}/border")).await.expect("page");
    let focused: Value = client
        .execute("return document.activeElement.id", vec![])
        .await
        .expect("js");
    assert_eq!(focused, "mrz", "the MRZ field has the focus");
    // The crossing point stays filled in on every result page, so each next check is one scan.
    client
        .find(Locator::Id("crossing_point"))
        .await
        .expect("cp")
        .send_keys("NLD-AMS-T2")
        .await
        .expect("types");

    // Clean: green.
    scan(client, &clean()).await;
    assert!(text(client, "#banner").await.starts_with("CLEAR"));
    assert_eq!(banner_colour(client).await, "rgb(27, 127, 59)");
    assert_colour(banner_pixel(client).await, GREEN, "clean");

    // Expired: amber.
    scan(
        client,
        &Doc {
            expires: date(2026, 1, 31),
            ..clean()
        },
    )
    .await;
    assert!(
        text(client, "#banner")
            .await
            .starts_with("DOCUMENT FINDINGS")
    );
    assert!(text(client, "#findings").await.contains("expired"));
    assert_eq!(banner_colour(client).await, "rgb(242, 180, 0)");
    assert_colour(banner_pixel(client).await, AMBER, "expired");

    // Stolen passport: red.
    scan(
        client,
        &Doc {
            surname: "DURAND",
            given: "LEA",
            number: "STOLEN123",
            state: "FRA",
            born: date(1990, 1, 1),
            expires: date(2030, 1, 1),
        },
    )
    .await;
    assert!(text(client, "#banner").await.starts_with("HIT"));
    assert!(text(client, "#hit-0").await.contains("document_issued"));
    assert_eq!(banner_colour(client).await, "rgb(176, 0, 32)");
    assert_colour(banner_pixel(client).await, RED, "stolen passport");

    // Discreet check: the banner is the clean one; the officer reads "let pass".
    scan(
        client,
        &Doc {
            surname: "ROSSI",
            given: "MARIO",
            number: "YA1234567",
            state: "ITA",
            born: date(1975, 5, 5),
            expires: date(2030, 1, 1),
        },
    )
    .await;
    assert!(text(client, "#banner").await.starts_with("CLEAR"));
    assert_eq!(banner_colour(client).await, "rgb(27, 127, 59)");
    assert!(
        text(client, "#discreet")
            .await
            .contains("Let the traveller pass")
    );
    assert_colour(banner_pixel(client).await, GREEN, "discreet check");
    // The Art 37 report, from the officer's panel: place and time come from the check.
    submit(client, Locator::Id("art37-link")).await;
    assert_eq!(
        client
            .find(Locator::Id("place"))
            .await
            .expect("place")
            .prop("value")
            .await
            .expect("value")
            .as_deref(),
        Some("NLD-AMS-T2")
    );
    client
        .find(Locator::Id("circumstances"))
        .await
        .expect("circumstances")
        .send_keys("at the booth, travelling alone")
        .await
        .expect("types");
    client
        .find(Locator::Id("vehicle"))
        .await
        .expect("vehicle")
        .send_keys("on foot")
        .await
        .expect("types");
    submit(client, Locator::Id("file-report")).await;
    assert!(
        text(client, "#art37-filed")
            .await
            .contains("forwarded to SIRENE"),
        "the check page says the report is filed"
    );
    assert!(text(client, "#banner").await.starts_with("CLEAR"));

    // Wanted under a transliterated name: red, confirmed with a reason by keyboard.
    scan(
        client,
        &Doc {
            surname: "MUELLER",
            given: "HANS",
            number: "C01X00T47",
            state: "D",
            born: date(1970, 3, 4),
            expires: date(2030, 1, 1),
        },
    )
    .await;
    assert!(text(client, "#banner").await.starts_with("HIT"));
    assert!(text(client, "#hit-0").await.contains("arrest"));
    assert!(text(client, "#hit-0").await.contains("violent"));
    client
        .find(Locator::Id("reason-0"))
        .await
        .expect("reason")
        .send_keys("photo matches")
        .await
        .expect("types");
    submit(client, Locator::Css("#hit-0 button[value=confirm]")).await;
    assert!(text(client, "#hit-0 .decision").await.contains("confirmed"));

    // The SIRENE operator's list shows the case.
    submit(client, Locator::Id("sign-out")).await;
    client.goto(&format!("{base}/login")).await.expect("login");
    for (id, value) in [
        ("name", "sirene"),
        ("password", PASSWORD),
        ("case_ref", "SIRENE-2026-1"),
    ] {
        client
            .find(Locator::Id(id))
            .await
            .expect("field")
            .send_keys(value)
            .await
            .expect("types");
    }
    client
        .find(Locator::Css(
            "#purpose-select option[value='law_enforcement']",
        ))
        .await
        .expect("option")
        .click()
        .await
        .expect("selects");
    submit(client, Locator::Id("sign-in")).await;
    client.goto(&format!("{base}/sirene")).await.expect("cases");
    let cases = text(client, "#cases").await;
    assert!(
        cases.contains("arrest") && cases.contains("DEU") && cases.contains("MUELLER"),
        "{cases}"
    );
    assert!(
        cases.contains("Art 37 report") && cases.contains("on foot") && cases.contains("ITA"),
        "{cases}"
    );
}
