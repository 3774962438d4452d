use std::sync::Arc;

use limes_ees::record::{EntryBasis, TravelDocument, VisaRegime};
use limes_model::{ManualClock, PartialDate, Purpose, Role};
use time::Duration;
use time::macros::{date, datetime};

use super::le::{Grounds, LeRequestInput, LeStatus, Verdict, VerifyInput};
use super::*;
use crate::{Actor, HubOptions, Principal};

async fn hub() -> (Hub, tempfile::TempDir, Arc<ManualClock>) {
    let dir = tempfile::tempdir().expect("dir");
    let backend = crate::Backend::Sqlite {
        dir: dir.path().to_owned(),
    };
    let (hub, clock) = hub_on(backend).await;
    (hub, dir, clock)
}

async fn hub_on(backend: crate::Backend) -> (Hub, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(datetime!(2026-11-23 10:00 UTC)));
    let hub = Hub::open(HubOptions::new(backend, clock.clone()))
        .await
        .expect("hub");
    (hub, clock)
}

/// A hub on a fresh schema of the test PostgreSQL (`LIMES_TEST_POSTGRES_URL`, printed by
/// `scripts/services up`). Like the store suite, a missing server fails the test loudly; only
/// `LIMES_TEST_POSTGRES=0` skips it.
async fn postgres_hub() -> Option<(Hub, Arc<ManualClock>)> {
    let base = match std::env::var("LIMES_TEST_POSTGRES_URL") {
        Ok(url) => url,
        Err(_) if std::env::var("LIMES_TEST_POSTGRES").as_deref() == Ok("0") => {
            eprintln!("LIMES_TEST_POSTGRES=0: skipping the PostgreSQL variant");
            return None;
        }
        Err(_) => panic!(
            "LIMES_TEST_POSTGRES_URL is not set: start PostgreSQL with `export \"$(scripts/services up)\"` \
             (or set LIMES_TEST_POSTGRES=0 to skip the PostgreSQL variants)"
        ),
    };
    let schema = format!(
        "ees_{}_{}",
        std::process::id(),
        time::OffsetDateTime::now_utc().unix_timestamp_nanos() % 1_000_000_007
    );
    let (client, connection) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
        .await
        .expect("connect to the test PostgreSQL");
    tokio::spawn(connection);
    client
        .batch_execute(&format!("CREATE SCHEMA {schema}"))
        .await
        .expect("schema");
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
    Some(hub_on(crate::Backend::Postgres { url }).await)
}

fn access(user: &str, role: Role, purpose: Purpose) -> Access {
    Access {
        principal: Principal {
            user: user.to_owned(),
            roles: vec![role],
            token_id: None,
        },
        purpose: Some(purpose),
        case_ref: Some("CASE-1".to_owned()),
    }
}

fn guard() -> Access {
    access("guard", Role::BorderGuard, Purpose::BorderCheck)
}

fn traveller(number: &str, nationality: &str) -> TravellerInput {
    TravellerInput {
        surname: "TESTPERSON".to_owned(),
        given_names: "SYNTHETIC".to_owned(),
        birth_date: PartialDate::new(1990, 1, 1).ok(),
        nationality: nationality.to_owned(),
        sex: None,
        document: TravelDocument {
            kind: "P".to_owned(),
            number: number.to_owned(),
            issuing_country: nationality.to_owned(),
            expiry: date!(2035 - 01 - 01),
        },
        regime: VisaRegime::VisaExempt,
        facial_image: Some("face/1".to_owned()),
        fingerprints: Some("fp/1".to_owned()),
        family_member_of_union_citizen: false,
    }
}

fn entry(number: &str) -> EntryRequest {
    EntryRequest {
        traveller: traveller(number, "USA"),
        crossing_point: "UTO-AIR-1".to_owned(),
        basis: EntryBasis::VisaExempt,
        authorised_until: None,
    }
}

fn exit(number: &str) -> ExitRequest {
    ExitRequest {
        issuing_country: "USA".to_owned(),
        document_number: number.to_owned(),
        crossing_point: "UTO-AIR-1".to_owned(),
    }
}

#[tokio::test]
async fn entry_sets_the_90_day_limit_and_exit_closes_the_stay() {
    let (hub, _dir, clock) = hub().await;
    let registered = hub.ees_entry(&guard(), entry("A1")).await.expect("entry");
    assert_eq!(
        registered.status.authorised_stay_end,
        Some(date!(2026 - 11 - 23) + Duration::days(89))
    );
    assert_eq!(registered.status.days_used, 1);
    clock.advance(Duration::days(9));
    let left = hub.ees_exit(&guard(), exit("A1")).await.expect("exit");
    assert_eq!(left.status.days_used, 10);
    assert_eq!(left.status.days_remaining, 80);
    assert!(!left.status.in_territory);
    // No open entry any more.
    assert!(matches!(
        hub.ees_exit(&guard(), exit("A1")).await,
        Err(EesError::NoOpenEntry)
    ));
    // National copy holds the record, with the exit.
    let national = hub
        .ees_national()
        .records(registered.file_id)
        .await
        .expect("records");
    assert_eq!(national.entries.len(), 1);
    assert!(national.entries[0].exit.is_some());
}

#[tokio::test]
async fn free_movement_nationals_are_never_refused_and_bdh_need_biometrics() {
    let (hub, _dir, _clock) = hub().await;
    let refuse = |t: TravellerInput, reasons: &[&str]| RefusalRequest {
        traveller: t,
        crossing_point: "UTO-AIR-1".to_owned(),
        reasons: reasons.iter().map(|r| (*r).to_owned()).collect(),
    };
    assert!(matches!(
        hub.ees_refusal(&guard(), refuse(traveller("F1", "FRA"), &["C"]))
            .await,
        Err(EesError::FreeMovement(_))
    ));
    assert!(matches!(
        hub.ees_refusal(&guard(), refuse(traveller("N1", "D"), &["C"]))
            .await,
        Err(EesError::FreeMovement(_))
    ));
    let mut faceless = traveller("R1", "USA");
    faceless.facial_image = None;
    assert!(matches!(
        hub.ees_refusal(&guard(), refuse(faceless.clone(), &["B"]))
            .await,
        Err(EesError::Hub(HubError::InvalidInput(_)))
    ));
    // C needs no biometrics.
    let refused = hub
        .ees_refusal(&guard(), refuse(faceless, &["C", "E"]))
        .await
        .expect("refusal");
    assert_eq!(refused.status.previous_refusals, 1);
    assert!(matches!(
        hub.ees_refusal(&guard(), refuse(traveller("R2", "USA"), &["Z"]))
            .await,
        Err(EesError::Hub(HubError::InvalidInput(_)))
    ));
    // Under-12s give no fingerprints.
    let mut child = traveller("C1", "USA");
    child.birth_date = PartialDate::new(2020, 1, 1).ok();
    assert!(
        hub.ees_refusal(&guard(), refuse(child.clone(), &["H"]))
            .await
            .is_err()
    );
    child.fingerprints = None;
    hub.ees_refusal(&guard(), refuse(child, &["H"]))
        .await
        .expect("a child refused under H without fingerprints");
}

#[tokio::test]
async fn overstayers_follow_the_clock_and_no_days_left_means_no_entry() {
    let (hub, _dir, clock) = hub().await;
    hub.ees_entry(&guard(), entry("O1")).await.expect("entry");
    let immigration = access("imm", Role::ImmigrationOfficer, Purpose::Immigration);
    assert!(
        hub.ees_overstayers(&immigration)
            .await
            .expect("list")
            .is_empty()
    );
    clock.advance(Duration::days(90));
    let list = hub.ees_overstayers(&immigration).await.expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].days_overstayed, 1);
    hub.ees_exit(&guard(), exit("O1")).await.expect("exit");
    assert!(
        hub.ees_overstayers(&immigration)
            .await
            .expect("list")
            .is_empty()
    );
    // 91 days used: no entry possible the next day.
    clock.advance(Duration::days(1));
    assert!(matches!(
        hub.ees_entry(&guard(), entry("O1")).await,
        Err(EesError::NoDaysLeft)
    ));
}

#[tokio::test]
async fn law_enforcement_needs_a_different_verifier() {
    let (hub, _dir, _clock) = hub().await;
    hub.ees_entry(&guard(), entry("L1")).await.expect("entry");
    let police = access("police", Role::PoliceOfficer, Purpose::LawEnforcement);
    let input = LeRequestInput {
        issuing_country: "USA".to_owned(),
        document_number: "L1".to_owned(),
        grounds: Grounds {
            offence: "serious_criminal_offence".to_owned(),
            offence_description: "trafficking in human beings".to_owned(),
            necessity: "only travel record available".to_owned(),
            reasonable_grounds: "suspect travelled on this passport".to_owned(),
            prior_searches: "national databases and Prüm AFIS searched, no result".to_owned(),
        },
        urgent: false,
    };
    let asked = hub.ees_le_request(&police, input).await.expect("stored");
    assert_eq!(asked.request.status, LeStatus::Pending);
    assert!(asked.data.is_none());
    assert!(matches!(
        hub.ees_le_result(&police, &asked.request.id).await,
        Err(EesError::AwaitingVerification)
    ));
    // The requester holding the verifier role too still cannot verify their own request.
    let mut both = police.clone();
    both.principal.roles.push(Role::EesCentralAccessPoint);
    let verify = VerifyInput {
        decision: Verdict::Verify,
        reason: "Art 32 conditions met".to_owned(),
    };
    assert!(matches!(
        hub.ees_le_verify(&both, &asked.request.id, verify.clone())
            .await,
        Err(EesError::SameVerifier)
    ));
    // A guard cannot verify.
    assert!(
        hub.ees_le_verify(&guard(), &asked.request.id, verify.clone())
            .await
            .is_err()
    );
    let cap = access("cap", Role::EesCentralAccessPoint, Purpose::LawEnforcement);
    hub.ees_le_verify(&cap, &asked.request.id, verify)
        .await
        .expect("verified");
    let answer = hub
        .ees_le_result(&police, &asked.request.id)
        .await
        .expect("data");
    assert_eq!(answer.data.expect("file").entries.len(), 1);
    // Border purpose cannot reach EES data as law enforcement, and vice versa.
    assert!(
        hub.ees_file(&police, None, Some(("USA", "L1")))
            .await
            .is_err()
    );
}

#[tokio::test]
async fn retention_deletes_three_years_after_exit_and_warns_before_five_years_without_exit() {
    let (hub, _dir, clock) = hub().await;
    let left = hub.ees_entry(&guard(), entry("T1")).await.expect("entry");
    clock.advance(Duration::days(5));
    hub.ees_exit(&guard(), exit("T1")).await.expect("exit");
    let stays = hub.ees_entry(&guard(), entry("T2")).await.expect("entry");
    let actor = Actor::Cli {
        os_user: "t".to_owned(),
    };
    let report = hub.ees_retention(&actor).await.expect("retention");
    assert!(report.deleted_records.is_empty() && report.deleted_files.is_empty());
    // 3 years and 1 day after the exit: the T1 file goes with its record.
    clock.set(datetime!(2029-11-29 10:00 UTC));
    let report = hub.ees_retention(&actor).await.expect("retention");
    assert_eq!(report.deleted_files, vec![central::file_key(left.file_id)]);
    assert!(
        hub.ees_central()
            .file(left.file_id)
            .await
            .expect("read")
            .is_none()
    );
    assert!(
        hub.ees_national()
            .file(left.file_id)
            .await
            .expect("read")
            .is_none()
    );
    // T2 never left: end of stay 2027-02-25 (+89 days from 2026-11-28); warned from 3 months
    // before 5 years after it, deleted on the day.
    let end = stays.status.authorised_stay_end.expect("open");
    let due = limes_ees::retention::add_years(end, 5);
    clock.set(datetime!(2031-12-01 10:00 UTC));
    let report = hub.ees_retention(&actor).await.expect("retention");
    assert_eq!(report.warnings.len(), 1, "{report:?}");
    assert_eq!(
        report.warnings[0].1,
        limes_ees::record::iso_date::format(due)
    );
    clock.set(due.with_hms(10, 0, 0).expect("time").assume_utc());
    let report = hub.ees_retention(&actor).await.expect("retention");
    assert_eq!(report.deleted_files, vec![central::file_key(stays.file_id)]);
    // Every deletion is journalled.
    let journal = hub
        .store()
        .journal_search(&limes_store::JournalFilter {
            action: Some("ees.retention_delete".to_owned()),
            limit: 100,
            ..Default::default()
        })
        .await
        .expect("journal");
    assert!(journal.len() >= 4, "{}", journal.len());
}

#[test]
fn shipped_refusal_reasons_parse() {
    let reasons = refusal_reasons();
    assert_eq!(reasons.iter().count(), 9);
}

#[tokio::test]
async fn demo_data_shows_an_overstayer_and_a_frequent_traveller() {
    let (hub, _dir, _clock) = hub().await;
    let actor = Actor::Cli {
        os_user: "t".to_owned(),
    };
    let travellers = hub.load_demo_ees(&actor).await.expect("demo");
    assert_eq!(travellers.len(), 3);
    // Loading twice adds nothing.
    hub.load_demo_ees(&actor).await.expect("demo again");
    let immigration = access("imm", Role::ImmigrationOfficer, Purpose::Immigration);
    let list = hub.ees_overstayers(&immigration).await.expect("list");
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0].surname, "OVERSTAY");
    assert_eq!(list[0].days_overstayed, 11);
    let frequent = hub
        .ees_file(&guard(), None, Some(("CAN", "EESDEMO02")))
        .await
        .expect("file");
    assert_eq!(frequent.status.days_used, 80);
    // France's records are central only: the national copy does not hold them.
    assert!(
        hub.ees_national()
            .file(frequent.file.id)
            .await
            .expect("read")
            .is_none()
    );
}

/// The store layout (range scans per file, deletions, the due marker) on PostgreSQL.
#[tokio::test]
async fn the_ees_layout_works_on_postgres_too() {
    let Some((hub, clock)) = postgres_hub().await else {
        return;
    };
    let mut files = Vec::new();
    for n in 0..3 {
        let registered = hub
            .ees_entry(&guard(), entry(&format!("PG{n}")))
            .await
            .expect("entry");
        files.push(registered.file_id);
    }
    clock.advance(Duration::days(2));
    hub.ees_exit(&guard(), exit("PG0")).await.expect("exit");
    hub.ees_entry(&guard(), entry("PG0"))
        .await
        .expect("second entry");
    let central = hub.ees_central();
    assert_eq!(
        central
            .records(files[0])
            .await
            .expect("records")
            .entries
            .len(),
        2
    );
    assert_eq!(
        central
            .records(files[1])
            .await
            .expect("records")
            .entries
            .len(),
        1
    );
    let view = hub
        .ees_file(&guard(), None, Some(("USA", "PG0")))
        .await
        .expect("file");
    assert_eq!(view.status.days_used, 3);
    clock.advance(Duration::days(90));
    let immigration = access("imm", Role::ImmigrationOfficer, Purpose::Immigration);
    assert_eq!(
        hub.ees_overstayers(&immigration).await.expect("list").len(),
        3
    );
    clock.set(datetime!(2034-01-01 10:00 UTC));
    let actor = Actor::Cli {
        os_user: "t".to_owned(),
    };
    let report = hub.ees_retention(&actor).await.expect("retention");
    assert_eq!(report.deleted_files.len(), 3, "{report:?}");
    assert!(hub.ees_national().file_ids().await.expect("ids").is_empty());
}

#[tokio::test]
async fn an_officer_lists_only_their_own_requests_without_data() {
    let (hub, _dir, _clock) = hub().await;
    let input = |number: &str| LeRequestInput {
        issuing_country: "USA".to_owned(),
        document_number: number.to_owned(),
        grounds: Grounds {
            offence: "serious_criminal_offence".to_owned(),
            offence_description: "robbery".to_owned(),
            necessity: "alibi".to_owned(),
            reasonable_grounds: "entered by air".to_owned(),
            prior_searches: "national register".to_owned(),
        },
        urgent: false,
    };
    let ana = access("ana", Role::PoliceOfficer, Purpose::LawEnforcement);
    let bob = access("bob", Role::PoliceOfficer, Purpose::LawEnforcement);
    let first = hub.ees_le_request(&ana, input("M1")).await.expect("filed");
    hub.ees_le_request(&bob, input("M2")).await.expect("filed");
    let mine = hub.ees_le_mine(&ana).await.expect("listed");
    assert_eq!(
        mine.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        [first.request.id.as_str()]
    );
    // The list needs the law-enforcement purpose and a role that may consult the EES.
    let cap = access("cap", Role::EesCentralAccessPoint, Purpose::LawEnforcement);
    assert!(hub.ees_le_mine(&cap).await.is_err());
    let mut ana_at_border = ana.clone();
    ana_at_border.principal.roles.push(Role::BorderGuard);
    ana_at_border.purpose = Some(Purpose::BorderCheck);
    assert!(hub.ees_le_mine(&ana_at_border).await.is_err());
}

#[tokio::test]
async fn the_kiosk_rule_serves_the_pre_enrolment_alone() {
    let (hub, _dir, _clock) = hub().await;
    let kiosk = access("k1", Role::Kiosk, Purpose::BorderCheck);
    let submitted = hub
        .ees_preenrol(
            &kiosk,
            kiosk::PreEnrolInput {
                traveller: traveller("Q1", "USA"),
                kiosk: "UTO-AIR-1-K1".to_owned(),
            },
        )
        .await
        .expect("submitted");
    assert!(matches!(
        hub.ees_entry(&kiosk, entry("Q2")).await,
        Err(EesError::Hub(HubError::Forbidden { .. }))
    ));
    assert!(hub.ees_preenrolments(&kiosk).await.is_err());
    // A guard who also holds the kiosk role keeps the guard's rights.
    let mut both = guard();
    both.principal.roles.push(Role::Kiosk);
    hub.ees_entry(&both, entry("Q3")).await.expect("entry");
    assert_eq!(
        hub.ees_preenrolments(&both).await.expect("queue")[0].id,
        submitted.id
    );
    // Nobody else submits: an immigration officer's attempt is refused.
    let immigration = access("imm", Role::ImmigrationOfficer, Purpose::Immigration);
    assert!(
        hub.ees_preenrol(
            &immigration,
            kiosk::PreEnrolInput {
                traveller: traveller("Q4", "USA"),
                kiosk: "x".to_owned(),
            },
        )
        .await
        .is_err()
    );
}

#[tokio::test]
async fn the_member_state_is_the_nodes_own_and_must_be_an_icao_code() {
    let dir = tempfile::tempdir().expect("dir");
    let clock = Arc::new(ManualClock::new(datetime!(2026-11-23 10:00 UTC)));
    let backend = || crate::Backend::Sqlite {
        dir: dir.path().to_owned(),
    };
    let mut options = HubOptions::new(backend(), clock.clone());
    options.member_state = "fr".to_owned();
    assert!(matches!(
        Hub::open(options).await,
        Err(HubError::InvalidInput(_))
    ));
    let mut options = HubOptions::new(backend(), clock.clone());
    options.member_state = "FRA".to_owned();
    let hub = Hub::open(options).await.expect("hub");
    assert_eq!(hub.member_state(), "FRA");
    let registered = hub.ees_entry(&guard(), entry("M1")).await.expect("entry");
    let national = hub
        .ees_national()
        .records(registered.file_id)
        .await
        .expect("records");
    assert_eq!(national.entries.len(), 1, "this State's own entry is kept");
    assert!(
        national.entries[0].entry.authority.starts_with("FRA:"),
        "{}",
        national.entries[0].entry.authority
    );
}
