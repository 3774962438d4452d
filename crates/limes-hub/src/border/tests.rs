use std::sync::Arc;

use limes_model::{ManualClock, PartialDate, Purpose, Role, Sex};

use super::*;
use crate::sis::{ImportValidator, ListKind};
use crate::{Actor, HubOptions, Principal};

const SIS: &str = r#"{"id":"wanted-1","kind":"person","category":"arrest","identity":{"id":"x","surname":"МЮЛЛЕР","given_names":"ХАНС","birth_date":"1970-03-04","nationality":"RUS"},"markers":["violent"],"action":"arrest for surrender","issuing_country":"DEU","expires_at":"2030-01-01"}
{"id":"secret-1","kind":"person","category":"arrest","sirene_only":true,"identity":{"id":"x","surname":"DUPONT","given_names":"JEAN","birth_date":"1980-01-01"},"action":"arrest","issuing_country":"FRA","expires_at":"2030-01-01"}
{"id":"discreet-1","kind":"person","category":"discreet_check","identity":{"id":"x","surname":"ROSSI","given_names":"MARIO","birth_date":"1975-05-05"},"action":"discreet check","issuing_country":"ITA","expires_at":"2027-01-01"}
{"id":"refusal-1","kind":"person","category":"refusal_of_entry","identity":{"id":"x","surname":"NOVAK","given_names":"PETR","birth_date":"1990-02-02"},"action":"refuse entry","issuing_country":"CZE","expires_at":"2026-12-01"}
{"id":"doc-1","kind":"object","category":"document_issued","object":{"type":"passport","number":"STOLEN123","country":"FRA","status":"stolen"},"action":"seize","issuing_country":"FRA","expires_at":"2030-01-01"}
{"id":"old-1","kind":"object","category":"vehicle","object":{"type":"car","number":"VIN1"},"action":"seize","issuing_country":"FRA","expires_at":"2026-11-01"}"#;

async fn hub() -> (Hub, tempfile::TempDir, Arc<ManualClock>) {
    let dir = tempfile::tempdir().expect("dir");
    let clock = Arc::new(ManualClock::new(
        time::macros::datetime!(2026-11-23 10:00 UTC),
    ));
    let hub = Hub::open(HubOptions::new(
        crate::Backend::Sqlite {
            dir: dir.path().to_owned(),
        },
        clock.clone(),
    ))
    .await
    .expect("hub");
    hub.build_indexes().await.expect("indexes");
    let mut v = ImportValidator::default();
    for (i, line) in SIS.lines().enumerate() {
        v.push(ListKind::Sis, i + 1, line);
    }
    let actor = Actor::Cli {
        os_user: "t".to_owned(),
    };
    hub.import_list(&actor, ListKind::Sis, "00", v.finish().expect("valid"))
        .await
        .expect("import");
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
