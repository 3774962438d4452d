use std::sync::Arc;

use limes_model::{ManualClock, PartialDate, Purpose, Role, Sex};

use super::*;
use crate::sis::ListKind;
use crate::{Actor, Principal};

const SIS: &str = r#"{"id":"wanted-1","kind":"person","category":"arrest","identity":{"id":"x","surname":"МЮЛЛЕР","given_names":"ХАНС","birth_date":"1970-03-04","nationality":"RUS"},"markers":["violent"],"action":"arrest for surrender","issuing_country":"DEU","expires_at":"2030-01-01"}
{"id":"secret-1","kind":"person","category":"arrest","sirene_only":true,"identity":{"id":"x","surname":"DUPONT","given_names":"JEAN","birth_date":"1980-01-01"},"action":"arrest","issuing_country":"FRA","expires_at":"2030-01-01"}
{"id":"discreet-1","kind":"person","category":"discreet_check","identity":{"id":"x","surname":"ROSSI","given_names":"MARIO","birth_date":"1975-05-05"},"action":"discreet check","issuing_country":"ITA","expires_at":"2027-01-01"}
{"id":"refusal-1","kind":"person","category":"refusal_of_entry","identity":{"id":"x","surname":"NOVAK","given_names":"PETR","birth_date":"1990-02-02"},"action":"refuse entry","issuing_country":"CZE","expires_at":"2026-12-01"}
{"id":"doc-1","kind":"object","category":"document_issued","object":{"type":"passport","number":"STOLEN123","country":"FRA","status":"stolen"},"action":"seize","issuing_country":"FRA","expires_at":"2030-01-01"}
{"id":"old-1","kind":"object","category":"vehicle","object":{"type":"car","number":"VIN1"},"action":"seize","issuing_country":"FRA","expires_at":"2026-11-01"}"#;

async fn hub() -> (Hub, tempfile::TempDir, Arc<ManualClock>) {
    let (hub, dir, clock) = crate::sis::tests::test_hub().await;
    hub.build_indexes().await.expect("indexes");
    crate::sis::tests::import_lines(&hub, ListKind::Sis, SIS.lines()).await;
    (hub, dir, clock)
}

fn access(role: Role, purpose: Purpose) -> Access {
    Access {
        principal: Principal {
            user: "u".to_owned(),
            roles: vec![role],
            token_id: None,
        },
        purpose: Some(purpose),
        case_ref: Some("CASE-1".to_owned()),
    }
}

fn date(y: u16, m: u8, d: u8) -> PartialDate {
    PartialDate::new(y, m, d).expect("date")
}

fn request(mrz: String) -> BorderCheckRequest {
    BorderCheckRequest {
        mrz: Some(mrz),
        identity: None,
        crossing_point: "FRA-CDG".to_owned(),
        direction: Direction::Entry,
        accompanying_adult: None,
    }
}

fn guard() -> Access {
    access(Role::BorderGuard, Purpose::BorderCheck)
}

#[tokio::test]
async fn transliterated_wanted_person_hits_and_confirmation_opens_a_case() {
    let (hub, _dir, _clock) = hub().await;
    let mrz = passport_mrz(
        "MUELLER",
        "HANS",
        "C01X00T47",
        "D",
        "D",
        date(1970, 3, 4),
        Sex::M,
        date(2030, 1, 1),
    )
    .expect("mrz");
    let check = hub
        .border_check(&guard(), request(mrz))
        .await
        .expect("check");
    assert_eq!(check.hits.len(), 1, "{:?}", check.hits);
    let hit = &check.hits[0];
    assert_eq!(hit.record_id, "sis_alert:wanted-1");
    assert_eq!(hit.category, "arrest");
    assert_eq!(hit.match_kind, "person");
    assert_eq!(check.gate, "refer");
    assert!(hit.next_step.contains("Arrest"));
    let outcome = hub
        .decide_hit(
            &guard(),
            &check.id,
            0,
            DecisionRequest {
                decision: Verdict::Confirm,
                reason: "photo and birth date match".to_owned(),
            },
        )
        .await
        .expect("decision");
    let case = outcome.case.expect("a case");
    assert!(case.urgent, "arrest is urgent");
    assert_eq!(case.deadline, case.opened_at);
    assert_eq!(case.issuing_country.as_deref(), Some("DEU"));
    let again = hub
        .decide_hit(
            &guard(),
            &check.id,
            0,
            DecisionRequest {
                decision: Verdict::Reject,
                reason: "x".to_owned(),
            },
        )
        .await;
    assert!(matches!(again, Err(HubError::Conflict(_))));
    let sirene = access(Role::SireneOperator, Purpose::LawEnforcement);
    let cases = hub.sirene_cases(&sirene).await.expect("cases");
    assert_eq!(cases.len(), 1);
    let closed = hub
        .update_sirene_case(
            &sirene,
            &case.id,
            crate::sirene::CaseUpdate::Close("surrendered".to_owned()),
        )
        .await
        .expect("closed");
    assert_eq!(closed.status, crate::sirene::CaseStatus::Closed);
    let stats = hub
        .hit_stats(&access(Role::DataProtectionOfficer, Purpose::Audit))
        .await
        .expect("stats");
    assert_eq!(stats.len(), 1);
    assert_eq!((stats[0].culture.as_str(), stats[0].true_hits), ("D", 1));
}

#[tokio::test]
async fn sirene_only_and_immigration_alerts_follow_the_matrix() {
    let (hub, _dir, _clock) = hub().await;
    let mrz = passport_mrz(
        "DUPONT",
        "JEAN",
        "AB1234567",
        "FRA",
        "FRA",
        date(1980, 1, 1),
        Sex::M,
        date(2030, 1, 1),
    )
    .expect("mrz");
    let check = hub
        .border_check(&guard(), request(mrz))
        .await
        .expect("check");
    assert!(
        check.hits.is_empty(),
        "Art 26(4) alerts are SIRENE-only: {:?}",
        check.hits
    );
    assert_eq!(check.gate, "proceed");
    let mrz = passport_mrz(
        "NOVAK",
        "PETR",
        "CZ1234567",
        "CZE",
        "CZE",
        date(1990, 2, 2),
        Sex::M,
        date(2030, 1, 1),
    )
    .expect("mrz");
    let check = hub
        .border_check(&guard(), request(mrz.clone()))
        .await
        .expect("check");
    assert_eq!(check.hits.len(), 1);
    assert_eq!(check.hits[0].category, "refusal_of_entry");
    // Other purposes cannot use the border check.
    let police = access(Role::PoliceOfficer, Purpose::LawEnforcement);
    assert!(matches!(
        hub.border_check(&police, request(mrz)).await,
        Err(HubError::PurposeNotAllowed(_))
    ));
}

#[tokio::test]
async fn discreet_check_leaves_the_gate_as_for_a_clean_traveller() {
    let (hub, _dir, _clock) = hub().await;
    let mrz = passport_mrz(
        "ROSSI",
        "MARIO",
        "YA1234567",
        "ITA",
        "ITA",
        date(1975, 5, 5),
        Sex::M,
        date(2030, 1, 1),
    )
    .expect("mrz");
    let check = hub
        .border_check(&guard(), request(mrz))
        .await
        .expect("check");
    assert_eq!(check.hits.len(), 1);
    assert!(check.hits[0].discreet);
    assert!(check.hits[0].next_step.contains("Let the traveller pass"));
    assert_eq!(check.gate, "proceed");
}

#[tokio::test]
async fn stolen_and_expired_documents_and_minors() {
    let (hub, _dir, _clock) = hub().await;
    let mrz = passport_mrz(
        "MARTIN",
        "CLAIRE",
        "STOLEN123",
        "FRA",
        "FRA",
        date(2015, 6, 1),
        Sex::F,
        date(2026, 1, 1),
    )
    .expect("mrz");
    let mut req = request(mrz);
    req.accompanying_adult = Some("MARTIN PAUL FRA 12AB34567".to_owned());
    let check = hub.border_check(&guard(), req).await.expect("check");
    assert_eq!(check.hits.len(), 1);
    assert_eq!(
        (
            check.hits[0].match_kind.as_str(),
            check.hits[0].category.as_str()
        ),
        ("document", "document_issued")
    );
    assert!(check.document_findings.iter().any(|f| f.kind == "expired"));
    assert!(check.minor);
    assert_eq!(check.age, Some(11));
    assert!(check.accompanying_adult.is_some());
    assert_eq!(check.gate, "refer");
}

#[tokio::test]
async fn housekeeping_deletes_expired_and_warns_before_expiry() {
    let (hub, _dir, _clock) = hub().await;
    let actor = Actor::Cli {
        os_user: "t".to_owned(),
    };
    let report = hub.sis_housekeeping(&actor).await.expect("housekeeping");
    assert_eq!(report.deleted, vec!["old-1".to_owned()]);
    let soon: Vec<_> = report
        .expiring_soon
        .iter()
        .map(|(id, _)| id.as_str())
        .collect();
    assert_eq!(soon, vec!["discreet-1", "refusal-1"]);
    // An extension recorded after assessment moves the expiry.
    let sirene = access(Role::SireneOperator, Purpose::LawEnforcement);
    let new = time::macros::date!(2027 - 11 - 01);
    let alert = hub
        .extend_sis_alert(&sirene, "refusal-1", new, "still a threat")
        .await
        .expect("extend");
    assert_eq!(alert.extensions.len(), 1);
    let report = hub.sis_housekeeping(&actor).await.expect("housekeeping");
    assert_eq!(report.expiring_soon.len(), 1);
    assert!(hub.sis().entry("sis_alert/old-1").is_none());
}

#[tokio::test]
async fn discreet_hit_files_an_art37_report_forwarded_to_sirene() {
    let (hub, _dir, _clock) = hub().await;
    let mrz = passport_mrz(
        "ROSSI",
        "MARIO",
        "YA1234567",
        "ITA",
        "ITA",
        date(1975, 5, 5),
        Sex::M,
        date(2030, 1, 1),
    )
    .expect("mrz");
    let check = hub
        .border_check(&guard(), request(mrz))
        .await
        .expect("check");
    let report = crate::sirene::art37::Art37Request {
        route_and_destination: "from Tunis by ferry, to Milan".to_owned(),
        accompanying_persons: "none".to_owned(),
        vehicle: "white van, FR-123-AB".to_owned(),
        objects_carried: "two suitcases".to_owned(),
        circumstances: "presented himself at the booth, calm".to_owned(),
        ..Default::default()
    };
    let missing = crate::sirene::art37::Art37Request {
        circumstances: " ".to_owned(),
        ..report.clone()
    };
    assert!(matches!(
        hub.file_art37_report(&guard(), &check.id, 0, missing).await,
        Err(HubError::InvalidInput(_))
    ));
    let (filed, case) = hub
        .file_art37_report(&guard(), &check.id, 0, report.clone())
        .await
        .expect("report");
    assert_eq!(filed.place, "FRA-CDG");
    assert_eq!(filed.checked_at, check.checked_at);
    assert!(filed.reason.contains("Art 8"));
    assert_eq!(case.report_id.as_deref(), Some(filed.id.as_str()));
    assert_eq!(case.issuing_country.as_deref(), Some("ITA"));
    assert!(case.forms[0].text.contains("white van"));
    // Reported once; the stored check names the report and its gate is unchanged.
    assert!(matches!(
        hub.file_art37_report(&guard(), &check.id, 0, report).await,
        Err(HubError::Conflict(_))
    ));
    let stored = hub
        .border_check_record(&guard(), &check.id)
        .await
        .expect("stored");
    assert_eq!(stored.hits[0].report_id.as_deref(), Some(filed.id.as_str()));
    assert_eq!(stored.gate, "proceed");
    // The SIRENE Bureau sees the case and the report.
    let sirene = access(Role::SireneOperator, Purpose::LawEnforcement);
    let cases = hub.sirene_cases(&sirene).await.expect("cases");
    assert!(cases.iter().any(|c| c.id == case.id));
    let read = hub.art37_report(&sirene, &filed.id).await.expect("read");
    assert_eq!(read.circumstances, "presented himself at the booth, calm");
    // Journalled with the report, the case, the check and the alert.
    let entries = hub
        .store()
        .journal_search(&limes_store::JournalFilter {
            action: Some("border.art37_report".to_owned()),
            ..Default::default()
        })
        .await
        .expect("journal");
    let ok: Vec<_> = entries.iter().filter(|e| e.body.outcome == "ok").collect();
    assert_eq!(ok.len(), 1);
    assert!(
        ok[0]
            .body
            .record_ids
            .contains(&format!("art37_report:{}", filed.id))
    );
}

#[tokio::test]
async fn only_art36_hits_are_reported_under_art37() {
    let (hub, _dir, _clock) = hub().await;
    let mrz = passport_mrz(
        "MARTIN",
        "CLAIRE",
        "STOLEN123",
        "FRA",
        "FRA",
        date(1985, 6, 1),
        Sex::F,
        date(2030, 1, 1),
    )
    .expect("mrz");
    let check = hub
        .border_check(&guard(), request(mrz))
        .await
        .expect("check");
    let request = crate::sirene::art37::Art37Request {
        circumstances: "x".to_owned(),
        ..Default::default()
    };
    assert!(matches!(
        hub.file_art37_report(&guard(), &check.id, 0, request).await,
        Err(HubError::InvalidInput(_))
    ));
}

#[tokio::test]
async fn housekeeping_is_due_hourly_on_the_injected_clock() {
    let (hub, _dir, clock) = hub().await;
    let mut schedule = crate::sis::HousekeepingSchedule::new(time::Duration::hours(1));
    assert!(schedule.due(hub.now()));
    schedule.ran(hub.now());
    let report = hub.housekeeping().await.expect("housekeeping");
    assert_eq!(report.sis.deleted, vec!["old-1".to_owned()]);
    clock.advance(time::Duration::minutes(59));
    assert!(!schedule.due(hub.now()));
    clock.advance(time::Duration::minutes(1));
    assert!(schedule.due(hub.now()));
    // Journalled under the system actor.
    let entries = hub
        .store()
        .journal_search(&limes_store::JournalFilter {
            action: Some("sis.expire".to_owned()),
            ..Default::default()
        })
        .await
        .expect("journal");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].body.actor, "system:housekeeping");
}

#[tokio::test]
async fn the_projection_follows_edits_and_deletions() {
    let (hub, _dir, _clock) = hub().await;
    let sirene = access(Role::SireneOperator, Purpose::LawEnforcement);
    let mut alert = hub.sis_alert(&sirene, "doc-1").await.expect("alert");
    if let Some(object) = &mut alert.object {
        object.number = "NEW-777".to_owned();
    }
    hub.put_sis_alert(&sirene, alert).await.expect("put");
    assert!(hub.sis().documents(Some("FRA"), "STOLEN123").is_empty());
    let found = hub.sis().documents(Some("FRA"), "NEW777");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, "doc-1");
    hub.delete_sis_alert(&sirene, "doc-1")
        .await
        .expect("delete");
    assert!(hub.sis().documents(Some("FRA"), "NEW777").is_empty());
    assert!(hub.sis().entry("sis_alert/doc-1").is_none());
    // A restart builds the same projection from the store.
    let before = hub.sis().len();
    let fresh = crate::sis::SisState::new(crate::sis::SisConfig::shipped());
    fresh.rebuild(hub.store()).await.expect("rebuild");
    assert_eq!(fresh.len(), before);
    assert!(fresh.entry("sis_alert/wanted-1").is_some());
}
