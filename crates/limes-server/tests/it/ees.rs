//! The EES API through the router: entries, exits, refusals, files and overstayers on a moved
//! clock, law-enforcement access through the central access point, retention and statistics.

use axum::body::Body;
use axum::http::Request;
use limes_hub::Actor;
use limes_model::Role;
use serde_json::{Value, json};
use time::Duration;

use crate::support::{Env, PASSWORD, Reply, env, problem};

async fn ees_env() -> Env {
    let mut env = env().await;
    let actor = Actor::Cli {
        os_user: "test".to_owned(),
    };
    for (name, role) in [
        ("immigration", Role::ImmigrationOfficer),
        ("cap", Role::EesCentralAccessPoint),
    ] {
        env.hub
            .create_user(&actor, name, &[role], PASSWORD)
            .await
            .expect("user");
        let (_, secret, _) = env
            .hub
            .create_token(&actor, name, None)
            .await
            .expect("token");
        env.tokens.insert(name, secret);
    }
    // A police officer who is also the central access point: may verify others, never themself.
    env.hub
        .create_user(
            &actor,
            "both",
            &[Role::PoliceOfficer, Role::EesCentralAccessPoint],
            PASSWORD,
        )
        .await
        .expect("user");
    let (_, secret, _) = env
        .hub
        .create_token(&actor, "both", None)
        .await
        .expect("token");
    env.tokens.insert("both", secret);
    // Tests move the clock by years: tokens that outlive it.
    let names: Vec<&'static str> = env.tokens.keys().copied().collect();
    for name in names {
        let (_, secret, _) = env
            .hub
            .create_token(&actor, name, Some(Duration::days(20 * 365)))
            .await
            .expect("token");
        env.tokens.insert(name, secret);
    }
    env
}

fn traveller(number: &str, nationality: &str) -> Value {
    json!({
        "surname": "TESTPERSON", "given_names": "SYNTHETIC", "birth_date": "1990-01-01",
        "nationality": nationality,
        "document": {"kind": "P", "number": number, "issuing_country": nationality, "expiry": "2035-01-01"},
        "regime": "visa_exempt", "facial_image": "face/1", "fingerprints": "fp/1"
    })
}

async fn post(env: &Env, user: &str, path: &str, purpose: &str, body: Value) -> Reply {
    env.send(
        user,
        "POST",
        path,
        purpose,
        &body.to_string(),
        "application/json",
    )
    .await
}

async fn le(env: &Env, user: &str, method: &str, path: &str, body: Option<Value>) -> Reply {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("Bearer {}", env.tokens[user]))
        .header("limes-purpose", "law_enforcement")
        .header("limes-case-ref", "CASE-2026-17")
        .header("content-type", "application/json")
        .body(Body::from(body.map(|b| b.to_string()).unwrap_or_default()))
        .expect("request");
    env.call(request).await
}

async fn overstayers(env: &Env) -> Reply {
    env.get(
        "immigration",
        "/api/v1/ees/overstayers",
        Some("immigration"),
        None,
    )
    .await
}

async fn enter(env: &Env, number: &str) -> Reply {
    post(
        env,
        "guard",
        "/api/v1/ees/entries",
        "border_check",
        json!({"traveller": traveller(number, "USA"), "crossing_point": "UTO-AIR-1", "basis": {"kind": "visa_exempt"}}),
    )
    .await
}

async fn leave(env: &Env, number: &str) -> Reply {
    post(
        env,
        "guard",
        "/api/v1/ees/exits",
        "border_check",
        json!({"issuing_country": "USA", "document_number": number, "crossing_point": "UTO-LAND-2"}),
    )
    .await
}

/// Journal entries with this action, oldest first, as the data-protection officer reads them.
async fn journal(env: &Env, action: &str) -> Vec<(String, String, Vec<String>)> {
    let dpo = limes_hub::Access {
        principal: limes_hub::Principal {
            user: "dpo".to_owned(),
            roles: vec![Role::DataProtectionOfficer],
            token_id: None,
        },
        purpose: Some(limes_model::Purpose::Audit),
        case_ref: None,
    };
    let query = limes_hub::AuditQuery {
        action: Some(action.to_owned()),
        limit: 1000,
        ..Default::default()
    };
    let mut entries = env.hub.audit_search(&dpo, &query).await.expect("journal");
    entries.sort_by_key(|e| e.seq);
    entries
        .into_iter()
        .map(|e| (e.body.actor, e.body.outcome, e.body.record_ids))
        .collect()
}

#[tokio::test]
async fn entry_exit_file_and_overstayers_follow_the_clock() {
    let env = ees_env().await;
    let reply = enter(&env, "E100").await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.json["status"]["days_used"], 1);
    assert_eq!(reply.json["status"]["authorised_stay_end"], "2027-02-20");
    let file_id = reply.json["file_id"].as_u64().expect("file id");
    // A second entry without exit is a conflict.
    problem(&enter(&env, "E100").await, 409);

    env.clock.advance(Duration::days(30));
    let file = env
        .get(
            "immigration",
            "/api/v1/ees/files?issuing_country=USA&document_number=E100",
            Some("immigration"),
            None,
        )
        .await;
    assert_eq!(file.status, 200, "{}", file.text);
    assert_eq!(file.json["status"]["days_used"], 31);
    assert_eq!(file.json["status"]["days_remaining"], 59);
    assert_eq!(file.json["status"]["in_territory"], true);
    assert_eq!(file.json["file"]["id"].as_u64(), Some(file_id));
    let by_id = env
        .get(
            "guard",
            &format!("/api/v1/ees/files/{file_id}"),
            Some("border_check"),
            None,
        )
        .await;
    assert_eq!(by_id.status, 200);
    assert!(
        by_id.json["entries"]
            .as_array()
            .is_some_and(|e| e.len() == 1)
    );

    assert_eq!(overstayers(&env).await.json, json!([]));
    // Day 91 since entry: one day over.
    env.clock.advance(Duration::days(60));
    let list = overstayers(&env).await;
    assert_eq!(list.json.as_array().map(Vec::len), Some(1), "{}", list.text);
    assert_eq!(list.json[0]["days_overstayed"], 1);
    env.clock.advance(Duration::days(4));
    assert_eq!(overstayers(&env).await.json[0]["days_overstayed"], 5);

    let exit = leave(&env, "E100").await;
    assert_eq!(exit.status, 200, "{}", exit.text);
    assert_eq!(exit.json["status"]["overstay_days"], 5);
    assert_eq!(overstayers(&env).await.json, json!([]));
    problem(&leave(&env, "E100").await, 409);
    // The next day: no days left, the entry is refused by the calculator.
    env.clock.advance(Duration::days(1));
    assert_eq!(problem(&enter(&env, "E100").await, 409), "ees-no-days-left");

    // Every write and read is journalled with its record ids.
    let entries = journal(&env, "ees.entry").await;
    assert!(entries.iter().any(|(actor, outcome, ids)| actor == "guard"
        && outcome == "ok"
        && ids.iter().any(|id| id.starts_with("ees_record:"))));
    assert!(!journal(&env, "ees.exit").await.is_empty());
    assert!(journal(&env, "ees.file").await.len() >= 2);
}

#[tokio::test]
async fn refusals_need_their_biometrics_and_never_apply_to_union_citizens() {
    let env = ees_env().await;
    let refuse = |traveller: Value, reasons: Value| json!({"traveller": traveller, "crossing_point": "UTO-AIR-1", "reasons": reasons});
    let reply = post(
        &env,
        "guard",
        "/api/v1/ees/refusals",
        "border_check",
        refuse(traveller("F1", "FRA"), json!(["C"])),
    )
    .await;
    assert_eq!(problem(&reply, 422), "ees-free-movement-national");
    let reply = post(
        &env,
        "guard",
        "/api/v1/ees/entries",
        "border_check",
        json!({"traveller": traveller("N1", "NOR"), "crossing_point": "X", "basis": {"kind": "visa_exempt"}}),
    )
    .await;
    assert_eq!(problem(&reply, 422), "ees-free-movement-national");

    let mut faceless = traveller("R1", "USA");
    faceless["facial_image"] = Value::Null;
    let reply = post(
        &env,
        "guard",
        "/api/v1/ees/refusals",
        "border_check",
        refuse(faceless.clone(), json!(["B"])),
    )
    .await;
    assert_eq!(problem(&reply, 400), "invalid-input");
    assert!(
        reply.json["detail"]
            .as_str()
            .unwrap_or("")
            .contains("facial_image")
    );
    let reply = post(
        &env,
        "guard",
        "/api/v1/ees/refusals",
        "border_check",
        refuse(faceless, json!(["C", "G"])),
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    // Unknown letter, no letter, unknown field, wrong purpose.
    for reasons in [json!(["Z"]), json!([])] {
        let reply = post(
            &env,
            "guard",
            "/api/v1/ees/refusals",
            "border_check",
            refuse(traveller("R2", "USA"), reasons),
        )
        .await;
        problem(&reply, 400);
    }
    let mut extra = refuse(traveller("R3", "USA"), json!(["C"]));
    extra["stamp"] = json!(true);
    problem(
        &post(&env, "guard", "/api/v1/ees/refusals", "border_check", extra).await,
        400,
    );
    // Children under 12: no fingerprints, even for H.
    let mut child = traveller("C1", "USA");
    child["birth_date"] = json!("2019-05-05");
    let reply = post(
        &env,
        "guard",
        "/api/v1/ees/refusals",
        "border_check",
        refuse(child.clone(), json!(["H"])),
    )
    .await;
    assert!(problem(&reply, 400) == "invalid-input" && reply.text.contains("under 12"));
    child["fingerprints"] = Value::Null;
    let reply = post(
        &env,
        "guard",
        "/api/v1/ees/refusals",
        "border_check",
        refuse(child, json!(["H"])),
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    // The file shows the refusal.
    let file = env
        .get(
            "guard",
            "/api/v1/ees/files?issuing_country=USA&document_number=R1",
            Some("border_check"),
            None,
        )
        .await;
    assert_eq!(file.json["status"]["previous_refusals"], 1);
    assert_eq!(file.json["refusals"][0]["reasons"], json!(["C", "G"]));
    // Immigration officers may read, not write.
    let reply = post(
        &env,
        "immigration",
        "/api/v1/ees/entries",
        "immigration",
        json!({"traveller": traveller("I1", "USA"), "crossing_point": "X", "basis": {"kind": "visa_exempt"}}),
    )
    .await;
    assert_eq!(problem(&reply, 403), "forbidden");
}

fn reasoned(number: &str, urgent: bool) -> Value {
    json!({
        "issuing_country": "USA", "document_number": number, "urgent": urgent,
        "grounds": {
            "offence": "serious_criminal_offence",
            "offence_description": "trafficking in human beings, national criminal code s. 217",
            "necessity": "the travel dates are the only link to the victims' arrival",
            "reasonable_grounds": "the suspect's passport was seen at the scene",
            "prior_searches": "national databases and Prüm AFIS searched on 2026-11-20, no result"
        }
    })
}

#[tokio::test]
async fn law_enforcement_access_goes_through_a_different_verifier() {
    let env = ees_env().await;
    assert_eq!(enter(&env, "L100").await.status, 201);

    // Police cannot read EES files directly, with any purpose.
    let direct = le(
        &env,
        "police",
        "GET",
        "/api/v1/ees/files?issuing_country=USA&document_number=L100",
        None,
    )
    .await;
    problem(&direct, 403);
    // No case reference: refused.
    let reply = env
        .send(
            "police",
            "POST",
            "/api/v1/ees/le-requests",
            "law_enforcement",
            &reasoned("L100", false).to_string(),
            "application/json",
        )
        .await;
    assert_eq!(problem(&reply, 400), "case-ref-required");
    // Grounds missing: refused.
    let mut unreasoned = reasoned("L100", false);
    unreasoned["grounds"]["necessity"] = json!(" ");
    problem(
        &le(
            &env,
            "police",
            "POST",
            "/api/v1/ees/le-requests",
            Some(unreasoned),
        )
        .await,
        400,
    );

    let asked = le(
        &env,
        "police",
        "POST",
        "/api/v1/ees/le-requests",
        Some(reasoned("L100", false)),
    )
    .await;
    assert_eq!(asked.status, 201, "{}", asked.text);
    assert_eq!(asked.json["request"]["status"], "pending");
    assert_eq!(asked.json["data"], Value::Null);
    let id = asked.json["request"]["id"].as_str().expect("id").to_owned();

    // Without the verifier: no data.
    let early = le(
        &env,
        "police",
        "GET",
        &format!("/api/v1/ees/le-requests/{id}"),
        None,
    )
    .await;
    assert_eq!(problem(&early, 403), "ees-awaiting-verification");
    // The requester cannot verify; nor can a police officer without the role.
    let decision =
        |decision: &str| json!({"decision": decision, "reason": "Art 32 conditions checked"});
    let denied = le(
        &env,
        "police",
        "POST",
        &format!("/api/v1/ees/le-requests/{id}/decision"),
        Some(decision("verify")),
    )
    .await;
    problem(&denied, 403);
    // "both" asks and then tries to verify their own request.
    let own = le(
        &env,
        "both",
        "POST",
        "/api/v1/ees/le-requests",
        Some(reasoned("L100", false)),
    )
    .await;
    let own_id = own.json["request"]["id"].as_str().expect("id").to_owned();
    let same = le(
        &env,
        "both",
        "POST",
        &format!("/api/v1/ees/le-requests/{own_id}/decision"),
        Some(decision("verify")),
    )
    .await;
    assert_eq!(problem(&same, 403), "ees-same-verifier");

    // The central access point sees both pending, and verifies the police request.
    let pending = le(&env, "cap", "GET", "/api/v1/ees/le-requests", None).await;
    assert_eq!(
        pending.json.as_array().map(Vec::len),
        Some(2),
        "{}",
        pending.text
    );
    let verified = le(
        &env,
        "cap",
        "POST",
        &format!("/api/v1/ees/le-requests/{id}/decision"),
        Some(decision("verify")),
    )
    .await;
    assert_eq!(verified.status, 200, "{}", verified.text);
    assert_eq!(verified.json["status"], "verified");
    assert_eq!(verified.json["verifier"], "cap");
    let data = le(
        &env,
        "police",
        "GET",
        &format!("/api/v1/ees/le-requests/{id}"),
        None,
    )
    .await;
    assert_eq!(data.status, 200, "{}", data.text);
    assert_eq!(data.json["data"]["file"]["document"]["number"], "L100");
    // Someone else cannot read the answer.
    let other = le(
        &env,
        "both",
        "GET",
        &format!("/api/v1/ees/le-requests/{id}"),
        None,
    )
    .await;
    problem(&other, 404);

    // Every step journalled: request, the same-person denial, the verification, the read.
    assert!(journal(&env, "ees.le_request").await.len() >= 2);
    let verify_log = journal(&env, "ees.le_verify").await;
    assert!(
        verify_log.iter().any(|(actor, outcome, _)| actor == "both"
            && outcome == "denied: the verifier is the requester")
    );
    assert!(verify_log.iter().any(|(actor, outcome, ids)| actor == "cap"
        && outcome == "ok"
        && ids.contains(&format!("ees_le_request:{id}"))));
    let results = journal(&env, "ees.le_result").await;
    assert!(
        results
            .iter()
            .any(|(_, outcome, _)| outcome == "denied: awaiting verification")
    );
    assert!(results.iter().any(|(actor, outcome, ids)| actor == "police"
        && outcome == "ok"
        && ids.iter().any(|i| i.starts_with("ees_central_record:"))));
}

#[tokio::test]
async fn urgent_requests_are_answered_first_and_erased_when_refused() {
    let env = ees_env().await;
    assert_eq!(enter(&env, "U100").await.status, 201);
    let asked = le(
        &env,
        "police",
        "POST",
        "/api/v1/ees/le-requests",
        Some(reasoned("U100", true)),
    )
    .await;
    assert_eq!(asked.status, 201, "{}", asked.text);
    assert_eq!(
        asked.json["request"]["status"],
        "answered_pending_verification"
    );
    assert_eq!(asked.json["data"]["file"]["document"]["number"], "U100");
    let id = asked.json["request"]["id"].as_str().expect("id").to_owned();
    let disclosed = asked.json["request"]["disclosed"].clone();
    assert!(disclosed.as_array().is_some_and(|d| !d.is_empty()));

    let refused = le(
        &env,
        "cap",
        "POST",
        &format!("/api/v1/ees/le-requests/{id}/decision"),
        Some(json!({"decision": "refuse", "reason": "no link to a serious offence shown"})),
    )
    .await;
    assert_eq!(refused.status, 200, "{}", refused.text);
    assert_eq!(refused.json["status"], "refused_data_erased");
    assert!(refused.json["erased_at"].is_string());
    let after = le(
        &env,
        "police",
        "GET",
        &format!("/api/v1/ees/le-requests/{id}"),
        None,
    )
    .await;
    assert_eq!(problem(&after, 403), "ees-request-refused");
    // The erasure is journalled with the records that were disclosed.
    let erased = journal(&env, "ees.le_refuse_erase").await;
    assert_eq!(erased.len(), 1);
    let (actor, outcome, ids) = &erased[0];
    assert_eq!((actor.as_str(), outcome.as_str()), ("cap", "ok"));
    for record in disclosed.as_array().expect("array") {
        assert!(ids.contains(&record.as_str().expect("id").to_owned()));
    }
    assert_eq!(journal(&env, "ees.le_request_urgent_answer").await.len(), 1);
    // Deciding twice is a conflict.
    let again = le(
        &env,
        "cap",
        "POST",
        &format!("/api/v1/ees/le-requests/{id}/decision"),
        Some(json!({"decision": "verify", "reason": "x"})),
    )
    .await;
    problem(&again, 409);
}

#[tokio::test]
async fn retention_runs_on_the_moved_clock() {
    let env = ees_env().await;
    let reply = enter(&env, "T100").await;
    let file_id = reply.json["file_id"].as_u64().expect("id");
    env.clock.advance(Duration::days(3));
    assert_eq!(leave(&env, "T100").await.status, 200);
    let report = limes_hub::ees::retention::housekeeping(&env.hub)
        .await
        .expect("retention");
    assert!(report.deleted_files.is_empty());
    // 3 years after the exit (2029-11-26) the record is due; the file one day later.
    env.clock.set(time::macros::datetime!(2029-11-25 12:00 UTC));
    let report = limes_hub::ees::retention::housekeeping(&env.hub)
        .await
        .expect("retention");
    assert!(report.deleted_records.is_empty(), "{report:?}");
    env.clock.set(time::macros::datetime!(2029-11-26 12:00 UTC));
    let report = limes_hub::ees::retention::housekeeping(&env.hub)
        .await
        .expect("retention");
    assert_eq!(report.deleted_records.len(), 1, "{report:?}");
    assert!(report.deleted_files.is_empty(), "{report:?}");
    let file = env
        .get(
            "guard",
            &format!("/api/v1/ees/files/{file_id}"),
            Some("border_check"),
            None,
        )
        .await;
    assert_eq!(file.json["entries"], json!([]), "{}", file.text);
    env.clock.set(time::macros::datetime!(2029-11-27 12:00 UTC));
    let report = limes_hub::ees::retention::housekeeping(&env.hub)
        .await
        .expect("retention");
    assert_eq!(report.deleted_files.len(), 1, "{report:?}");
    let gone = env
        .get(
            "guard",
            &format!("/api/v1/ees/files/{file_id}"),
            Some("border_check"),
            None,
        )
        .await;
    problem(&gone, 404);
    let deletions = journal(&env, "ees.retention_delete").await;
    assert!(
        deletions
            .iter()
            .any(|(actor, _, ids)| actor == "cli:housekeeping" && !ids.is_empty())
    );
}

#[tokio::test]
async fn statistics_are_csv_with_small_counts_suppressed() {
    let env = ees_env().await;
    for n in 0..6 {
        assert_eq!(enter(&env, &format!("S{n}")).await.status, 201);
    }
    for n in 0..2 {
        assert_eq!(leave(&env, &format!("S{n}")).await.status, 200);
    }
    let reply = env
        .get(
            "admin",
            "/api/v1/ees/statistics?from=2026-11-01&to=2026-11-30",
            Some("administration"),
            None,
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert!(reply.content_type.starts_with("text/csv"));
    let lines: Vec<&str> = reply.text.lines().collect();
    assert_eq!(lines[0], "day,metric,dimension,value,count");
    assert!(
        lines.contains(&"2026-11-23,entries,crossing_point,UTO-AIR-1,6"),
        "{}",
        reply.text
    );
    assert!(
        lines.contains(&"2026-11-23,exits,crossing_point,UTO-LAND-2,<5"),
        "{}",
        reply.text
    );
    // No cell publishes a count between 1 and 4.
    for line in &lines[1..] {
        let count = line.rsplit(',').next().expect("count");
        assert!(
            count == "<5" || count.parse::<u64>().is_ok_and(|n| n >= 5),
            "{line}"
        );
    }
    // A guard has no statistics rule; a bad period is a 400.
    problem(
        &env.get(
            "guard",
            "/api/v1/ees/statistics?from=2026-11-01&to=2026-11-30",
            Some("border_check"),
            None,
        )
        .await,
        403,
    );
    problem(
        &env.get(
            "admin",
            "/api/v1/ees/statistics?from=2026-12-01&to=2026-11-30",
            Some("administration"),
            None,
        )
        .await,
        400,
    );
}

#[tokio::test]
async fn kiosk_pre_enrolment_is_confirmed_by_a_guard() {
    let env = ees_env().await;
    let mut submitted = traveller("K100", "USA");
    submitted["surname"] = json!("TESTPRESON");
    let reply = post(
        &env,
        "guard",
        "/api/v1/ees/pre-enrolments",
        "border_check",
        json!({"traveller": submitted, "kiosk": "UTO-AIR-1-K3"}),
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.json["status"], "pending");
    let id = reply.json["id"].as_str().expect("id").to_owned();
    // Nothing is in the EES yet.
    problem(
        &env.get(
            "guard",
            "/api/v1/ees/files?issuing_country=USA&document_number=K100",
            Some("border_check"),
            None,
        )
        .await,
        404,
    );
    let list = env
        .get(
            "guard",
            "/api/v1/ees/pre-enrolments",
            Some("border_check"),
            None,
        )
        .await;
    assert_eq!(list.json.as_array().map(Vec::len), Some(1));
    let confirmed = post(
        &env,
        "guard",
        &format!("/api/v1/ees/pre-enrolments/{id}/confirm"),
        "border_check",
        json!({"corrected": traveller("K100", "USA"), "crossing_point": "UTO-AIR-1", "basis": {"kind": "visa_exempt"}}),
    )
    .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.text);
    assert_eq!(confirmed.json["status"], "confirmed");
    assert_eq!(confirmed.json["confirmed_by"], "guard");
    let file = env
        .get(
            "guard",
            "/api/v1/ees/files?issuing_country=USA&document_number=K100",
            Some("border_check"),
            None,
        )
        .await;
    assert_eq!(file.json["file"]["identity"]["surname"], "TESTPERSON");
    assert_eq!(file.json["status"]["in_territory"], true);
    problem(
        &post(
            &env,
            "guard",
            &format!("/api/v1/ees/pre-enrolments/{id}/confirm"),
            "border_check",
            json!({"crossing_point": "UTO-AIR-1", "basis": {"kind": "visa_exempt"}}),
        )
        .await,
        409,
    );
}

#[tokio::test]
async fn openapi_documents_the_ees_routes() {
    let env = ees_env().await;
    let doc = env.get("guard", "/api/v1/openapi.json", None, None).await;
    for path in [
        "/api/v1/ees/entries",
        "/api/v1/ees/le-requests/{id}/decision",
        "/api/v1/ees/statistics",
    ] {
        assert!(doc.json["paths"][path].is_object(), "{path}");
    }
}

fn usa_mrz(number: &str) -> String {
    limes_hub::border::passport_mrz(
        "TESTPERSON",
        "SYNTHETIC",
        number,
        "USA",
        "USA",
        limes_model::PartialDate::new(1990, 1, 1).expect("date"),
        limes_model::Sex::F,
        limes_model::PartialDate::new(2035, 1, 1).expect("date"),
    )
    .expect("mrz")
}

#[tokio::test]
async fn the_border_check_of_a_third_country_national_carries_the_ees_status() {
    let env = ees_env().await;
    // Registered entry 20 days ago, exit 10 days ago; a refusal before.
    let refused = post(
        &env,
        "guard",
        "/api/v1/ees/refusals",
        "border_check",
        json!({"traveller": traveller("B100", "USA"), "crossing_point": "UTO-AIR-1", "reasons": ["E"]}),
    )
    .await;
    assert_eq!(refused.status, 201, "{}", refused.text);
    assert_eq!(enter(&env, "B100").await.status, 201);
    env.clock.advance(Duration::days(10));
    assert_eq!(leave(&env, "B100").await.status, 200);
    env.clock.advance(Duration::days(10));
    let check =
        |mrz: String| json!({"mrz": mrz, "crossing_point": "UTO-AIR-1", "direction": "entry"});
    let reply = post(
        &env,
        "guard",
        "/api/v1/border-checks",
        "border_check",
        check(usa_mrz("B100")),
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let ees = &reply.json["ees"];
    assert_eq!(ees["registered"], true, "{}", reply.text);
    assert_eq!(ees["status"]["days_used"], 11);
    assert_eq!(ees["status"]["days_remaining"], 79);
    assert_eq!(ees["status"]["overstay_days"], 0);
    assert_eq!(ees["status"]["previous_refusals"], 1);
    // The check's journal entry names the EES records consulted.
    let checks = journal(&env, "border.check").await;
    let (_, _, ids) = checks.last().expect("journalled");
    assert!(
        ids.iter().any(|id| id.starts_with("ees_central_record:")),
        "{ids:?}"
    );
    // Unknown third-country national: not yet registered. EU citizen: no EES panel at all.
    let reply = post(
        &env,
        "guard",
        "/api/v1/border-checks",
        "border_check",
        check(usa_mrz("B999")),
    )
    .await;
    assert_eq!(reply.json["ees"]["registered"], false);
    let eu = limes_hub::border::passport_mrz(
        "EXAMPLE",
        "ANNA",
        "L898902C3",
        "NLD",
        "NLD",
        limes_model::PartialDate::new(1984, 8, 12).expect("date"),
        limes_model::Sex::F,
        limes_model::PartialDate::new(2031, 4, 15).expect("date"),
    )
    .expect("mrz");
    let reply = post(
        &env,
        "guard",
        "/api/v1/border-checks",
        "border_check",
        check(eu),
    )
    .await;
    assert_eq!(reply.json["ees"], Value::Null);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_guard_records_the_entry_in_one_action_and_the_admin_sees_the_chart() {
    use crate::browser::{browser, serve, sign_in, submit, text};
    use fantoccini::Locator;
    let Some(browser) = browser().await else {
        return;
    };
    let env = ees_env().await;
    let base = serve(env.state.clone()).await;
    let client = &browser.client;
    sign_in(client, &base, "guard", PASSWORD, "border_check").await;
    client.goto(&format!("{base}/border")).await.expect("page");
    client
        .find(Locator::Id("crossing_point"))
        .await
        .expect("cp")
        .send_keys("UTO-AIR-1")
        .await
        .expect("types");
    client
        .find(Locator::Id("mrz"))
        .await
        .expect("mrz")
        .send_keys(&usa_mrz("W100"))
        .await
        .expect("types");
    submit(client, Locator::Id("check")).await;
    assert!(text(client, "#ees").await.contains("no EES file yet"));
    client
        .find(Locator::Id("ees-face"))
        .await
        .expect("face")
        .send_keys("face/W100")
        .await
        .expect("types");
    client
        .find(Locator::Id("ees-prints"))
        .await
        .expect("prints")
        .send_keys("fp/W100")
        .await
        .expect("types");
    submit(client, Locator::Id("ees-record")).await;
    assert_eq!(text(client, "#ees-done").await, "Entry recorded");
    assert!(
        text(client, "#ees-status")
            .await
            .contains("authorised until 2027-02-20")
    );
    // The next check of the same traveller shows the stay.
    client.goto(&format!("{base}/border")).await.expect("page");
    client
        .find(Locator::Id("crossing_point"))
        .await
        .expect("cp")
        .send_keys("UTO-AIR-1")
        .await
        .expect("types");
    client
        .find(Locator::Id("mrz"))
        .await
        .expect("mrz")
        .send_keys(&usa_mrz("W100"))
        .await
        .expect("types");
    submit(client, Locator::Id("check")).await;
    assert!(text(client, "#ees-days-used").await.contains('1'));
    assert!(text(client, "#ees-days-remaining").await.contains("89"));

    // The statistics page, as the administrator: bars with the <5 suppression.
    for n in 0..6 {
        assert_eq!(enter(&env, &format!("G{n}")).await.status, 201);
    }
    assert_eq!(leave(&env, "G0").await.status, 200);
    submit(client, Locator::Id("sign-out")).await;
    sign_in(client, &base, "admin", PASSWORD, "administration").await;
    client
        .goto(&format!(
            "{base}/ees/statistics?from=2026-11-20&to=2026-11-23"
        ))
        .await
        .expect("page");
    let entries = client
        .find(Locator::Css("#ees-chart rect.entries title"))
        .await
        .expect("an entries bar");
    assert_eq!(
        entries.html(true).await.expect("title"),
        "2026-11-23 entries: 7"
    );
    let exits = client
        .find(Locator::Css("#ees-chart rect.exits title"))
        .await
        .expect("an exits bar");
    assert_eq!(
        exits.html(true).await.expect("title"),
        "2026-11-23 exits: &lt;5"
    );
    assert!(text(client, "#ees-stats").await.contains("<5"));
}

/// A synthetic refusal-of-entry alert on the traveller the kiosk enrols, to prove that the
/// kiosk's answer says nothing of it although the guard's check finds it.
const KIOSK_ALERT: &str = r#"{"id":"kiosk-alert-1","kind":"person","category":"refusal_of_entry","identity":{"id":"x","surname":"TESTPERSON","given_names":"SYNTHETIC","birth_date":"1990-01-01"},"action":"refuse entry","issuing_country":"DEU","expires_at":"2030-12-01"}"#;

#[tokio::test]
async fn a_kiosk_only_submits_pre_enrolments_and_never_sees_an_alert() {
    let mut env = ees_env().await;
    let actor = Actor::Cli {
        os_user: "test".to_owned(),
    };
    env.hub
        .create_user(&actor, "kiosk", &[Role::Kiosk], PASSWORD)
        .await
        .expect("user");
    let (_, secret, _) = env
        .hub
        .create_token(&actor, "kiosk", None)
        .await
        .expect("token");
    env.tokens.insert("kiosk", secret);
    let mut validator = limes_hub::sis::ImportValidator::default();
    validator.push(limes_hub::sis::ListKind::Sis, 1, KIOSK_ALERT);
    env.hub
        .import_list(
            &actor,
            limes_hub::sis::ListKind::Sis,
            "00",
            validator.finish().expect("valid test data"),
        )
        .await
        .expect("imports");
    // Someone is in the EES already, so a read would have something to reveal.
    assert_eq!(enter(&env, "K200").await.status, 201);

    // The kiosk submits; its answer is the submission and its status, nothing else.
    let submitted = post(
        &env,
        "kiosk",
        "/api/v1/ees/pre-enrolments",
        "border_check",
        json!({"traveller": traveller("K201", "USA"), "kiosk": "UTO-AIR-1-K1"}),
    )
    .await;
    assert_eq!(submitted.status, 201, "{}", submitted.text);
    assert_eq!(submitted.json["status"], "pending");
    let keys: Vec<&str> = submitted
        .json
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "confirmed_by",
            "corrected",
            "entry",
            "id",
            "kiosk",
            "status",
            "submitted",
            "submitted_at"
        ]
    );
    let lower = submitted.text.to_lowercase();
    for secret in ["kiosk-alert-1", "alert", "hit", "refus", "sis"] {
        assert!(!lower.contains(secret), "{secret} in {}", submitted.text);
    }
    // The same traveller at the guard's check does hit the alert: the silence above is the
    // kiosk's, not an absence of the alert.
    let check = post(
        &env,
        "guard",
        "/api/v1/border-checks",
        "border_check",
        json!({"mrz": usa_mrz("K201"), "crossing_point": "UTO-AIR-1", "direction": "entry"}),
    )
    .await;
    assert_eq!(check.status, 201, "{}", check.text);
    assert!(check.text.contains("kiosk-alert-1"), "{}", check.text);

    // Nothing else: no file, no overstayers, no border check, no queue, no entry, no confirmation.
    let id = submitted.json["id"].as_str().expect("id").to_owned();
    let kiosk_get = |path: &'static str| env.get("kiosk", path, Some("border_check"), None);
    problem(
        &kiosk_get("/api/v1/ees/files?issuing_country=USA&document_number=K200").await,
        403,
    );
    problem(&kiosk_get("/api/v1/ees/overstayers").await, 403);
    problem(&kiosk_get("/api/v1/ees/pre-enrolments").await, 403);
    problem(
        &post(
            &env,
            "kiosk",
            "/api/v1/border-checks",
            "border_check",
            json!({"mrz": usa_mrz("K201"), "crossing_point": "UTO-AIR-1", "direction": "entry"}),
        )
        .await,
        403,
    );
    problem(
        &post(
            &env,
            "kiosk",
            "/api/v1/ees/entries",
            "border_check",
            json!({"traveller": traveller("K202", "USA"), "crossing_point": "UTO-AIR-1", "basis": {"kind": "visa_exempt"}}),
        )
        .await,
        403,
    );
    problem(
        &post(
            &env,
            "kiosk",
            &format!("/api/v1/ees/pre-enrolments/{id}/confirm"),
            "border_check",
            json!({"crossing_point": "UTO-AIR-1", "basis": {"kind": "visa_exempt"}}),
        )
        .await,
        403,
    );
    // No other purpose either.
    problem(
        &env.get(
            "kiosk",
            "/api/v1/ees/overstayers",
            Some("immigration"),
            None,
        )
        .await,
        403,
    );
    // Submitting is the kiosk's or the guard's: an immigration officer cannot feed the queue.
    problem(
        &post(
            &env,
            "immigration",
            "/api/v1/ees/pre-enrolments",
            "immigration",
            json!({"traveller": traveller("K203", "USA"), "kiosk": "UTO-AIR-1-K1"}),
        )
        .await,
        403,
    );
    // The refusals are journalled under the kiosk's name.
    let denied = journal(&env, "ees.entry").await;
    assert!(
        denied.iter().any(|(actor, outcome, _)| actor == "kiosk"
            && outcome == "denied: the kiosk role only submits pre-enrolments"),
        "{denied:?}"
    );
    // The guard confirms what the kiosk sent.
    let confirmed = post(
        &env,
        "guard",
        &format!("/api/v1/ees/pre-enrolments/{id}/confirm"),
        "border_check",
        json!({"crossing_point": "UTO-AIR-1", "basis": {"kind": "visa_exempt"}}),
    )
    .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.text);
    assert_eq!(confirmed.json["status"], "confirmed");
}

/// A form POST to a page with the session cookie of `signed_in`.
async fn form(env: &Env, signed_in: &limes_hub::SignedIn, path: &str, body: &str) -> Reply {
    let request = Request::builder()
        .method("POST")
        .uri(path)
        .header(
            "cookie",
            format!("{}={}", limes_server::ui::SESSION_COOKIE, signed_in.secret),
        )
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body.to_owned()))
        .expect("request");
    env.call(request).await
}

async fn page(env: &Env, signed_in: &limes_hub::SignedIn, path: &str) -> Reply {
    let request = Request::get(path)
        .header(
            "cookie",
            format!("{}={}", limes_server::ui::SESSION_COOKIE, signed_in.secret),
        )
        .body(Body::empty())
        .expect("request");
    env.call(request).await
}

#[tokio::test]
async fn law_enforcement_pages_check_the_form_token_the_purpose_and_the_verifier() {
    let env = ees_env().await;
    assert_eq!(enter(&env, "P100").await.status, 201);
    let sign_in = |name: &'static str, purpose| {
        let hub = env.hub.clone();
        async move {
            hub.sign_in(name, PASSWORD, purpose, Some("CASE-2026-9".to_owned()))
                .await
                .expect("signs in")
        }
    };
    let police = sign_in("police", limes_model::Purpose::LawEnforcement).await;
    let fields = "issuing_country=USA&document_number=P100&offence=serious_criminal_offence\
        &offence_description=robbery&necessity=alibi&reasonable_grounds=entered+by+air\
        &prior_searches=national+register";
    // No form token, a wrong one: refused, nothing filed.
    for token in ["", "wrong"] {
        let reply = form(&env, &police, "/ees/le", &format!("csrf={token}&{fields}")).await;
        assert_eq!(reply.status, 403, "{}", reply.text);
    }
    assert!(journal(&env, "ees.le_request").await.is_empty());
    // An offence outside Art 32(1)(a) is refused by the hub and shown on the form.
    let bad = form(
        &env,
        &police,
        "/ees/le",
        &format!(
            "csrf={}&{}",
            police.session.csrf,
            fields.replace("serious_criminal_offence", "shoplifting")
        ),
    )
    .await;
    assert_eq!(bad.status, 422);
    assert!(bad.text.contains("Art 32(1)(a)"), "{}", bad.text);
    // Filed: the page of the request says pending and shows no data.
    let filed = form(
        &env,
        &police,
        "/ees/le",
        &format!("csrf={}&{fields}", police.session.csrf),
    )
    .await;
    assert_eq!(filed.status, 303, "{}", filed.text);
    let pending = journal(&env, "ees.le_request").await;
    assert_eq!(pending.len(), 1);
    let id = pending[0]
        .2
        .first()
        .and_then(|key| key.strip_prefix("ees_le_request:"))
        .expect("request id")
        .to_owned();
    let shown = page(&env, &police, &format!("/ees/le/{id}")).await;
    assert_eq!(shown.status, 200);
    assert!(shown.text.contains("le-pending"), "{}", shown.text);
    assert!(!shown.text.contains("TESTPERSON"), "{}", shown.text);
    // A police officer is no central access point: the queue refuses and a decision too.
    let queue = page(&env, &police, "/ees/le/queue").await;
    assert_eq!(queue.status, 403);
    let decided = form(
        &env,
        &police,
        &format!("/ees/le/{id}/decision"),
        &format!("csrf={}&decision=verify&reason=ok", police.session.csrf),
    )
    .await;
    assert_eq!(decided.status, 403, "{}", decided.text);
    // The same officer signed in for a border check has no law-enforcement pages.
    let guard = sign_in("guard", limes_model::Purpose::BorderCheck).await;
    assert_eq!(page(&env, &guard, "/ees/le").await.status, 403);
    // The home page links each page for the roles that may use it.
    let home = |reply: Reply| {
        (
            reply.text.contains("link-ees-le\""),
            reply.text.contains("link-ees-le-queue"),
        )
    };
    assert_eq!(home(page(&env, &guard, "/").await), (false, false));
    assert_eq!(home(page(&env, &police, "/").await), (true, false));
    // The central access point: a decision needs the form token, then is taken.
    let cap = sign_in("cap", limes_model::Purpose::LawEnforcement).await;
    assert_eq!(home(page(&env, &cap, "/").await), (false, true));
    let queue = page(&env, &cap, "/ees/le/queue").await;
    assert!(
        queue.text.contains(&format!("le-item-{id}")),
        "{}",
        queue.text
    );
    let forged = form(
        &env,
        &cap,
        &format!("/ees/le/{id}/decision"),
        "csrf=&decision=verify&reason=ok",
    )
    .await;
    assert_eq!(forged.status, 403);
    let verified = form(
        &env,
        &cap,
        &format!("/ees/le/{id}/decision"),
        &format!("csrf={}&decision=verify&reason=complete", cap.session.csrf),
    )
    .await;
    assert_eq!(verified.status, 303, "{}", verified.text);
    let shown = page(&env, &police, &format!("/ees/le/{id}")).await;
    assert!(shown.text.contains("le-verified"), "{}", shown.text);
    assert!(shown.text.contains("TESTPERSON"), "{}", shown.text);
}
