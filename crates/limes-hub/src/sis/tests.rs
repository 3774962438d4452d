use std::sync::Arc;

use limes_model::{DataCategory, ManualClock};

use super::*;
use crate::{Actor, Hub, HubOptions};

/// A hub on a fresh SQLite directory at 2026-11-23 10:00 UTC (also for the border tests).
pub(crate) async fn test_hub() -> (Hub, tempfile::TempDir, Arc<ManualClock>) {
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
    (hub, dir, clock)
}

/// Imports valid JSON lines as `limes import` does.
pub(crate) async fn import_lines<'a>(
    hub: &Hub,
    list: ListKind,
    lines: impl IntoIterator<Item = &'a str>,
) {
    let mut v = ImportValidator::default();
    for (i, line) in lines.into_iter().enumerate() {
        v.push(list, i + 1, line);
    }
    let actor = Actor::Cli {
        os_user: "t".to_owned(),
    };
    hub.import_list(&actor, list, "00", v.finish().expect("valid"))
        .await
        .expect("import");
}

fn person(id: &str, category: &str, extra: &str) -> String {
    format!(
        r#"{{"id":"{id}","kind":"person","category":"{category}","identity":{{"id":"{id}","surname":"MUELLER","given_names":"HANS","birth_date":"1970-03-04"}},"action":"arrest","issuing_country":"DEU","expires_at":"2030-01-01"{extra}}}"#
    )
}

#[test]
fn shipped_config_parses_and_names_every_person_category() {
    let config = SisConfig::shipped();
    for category in [
        "arrest",
        "missing_protect",
        "missing",
        "child_abduction_risk",
        "child_travel_prevention",
        "vulnerable_adult_travel_prevention",
        "judicial_procedure",
        "discreet_check",
        "inquiry_check",
        "specific_check",
        "refusal_of_entry",
        "return",
        "document",
        "object",
        "watchlist",
    ] {
        assert!(config.next_step.contains_key(category), "{category}");
    }
    assert_eq!(config.sirene.answer_within_hours, 12);
}

#[test]
fn categories_map_to_the_access_matrix() {
    let mapped = |line: &str| match parse_line(ListKind::Sis, line).expect("valid") {
        ListRecord::Alert(a) => a.data_category(),
        _ => unreachable!("an alert"),
    };
    assert_eq!(mapped(&person("a1", "arrest", "")), DataCategory::SisPerson);
    assert_eq!(
        mapped(&person("a2", "arrest", r#","sirene_only":true"#)),
        DataCategory::SisPersonSireneOnly
    );
    assert_eq!(
        mapped(&person("a3", "refusal_of_entry", "")),
        DataCategory::SisImmigration
    );
    assert_eq!(
        mapped(&person("a4", "return", "")),
        DataCategory::SisImmigration
    );
    assert_eq!(
        mapped(&person("a5", "discreet_check", "")),
        DataCategory::SisPerson
    );
    let object = r#"{"id":"o1","kind":"object","category":"document_issued","object":{"type":"passport","number":"X1","country":"FRA"},"action":"seize","issuing_country":"FRA","expires_at":"2030-01-01"}"#;
    assert_eq!(mapped(object), DataCategory::SisObject);
    let unknown = r#"{"id":"u1","kind":"person","category":"unknown_wanted","action":"identify","issuing_country":"FRA","expires_at":"2030-01-01"}"#;
    assert_eq!(mapped(unknown), DataCategory::SisUnknownWanted);
}

#[test]
fn invalid_lines_say_why() {
    let err = |line: &str| parse_line(ListKind::Sis, line).expect_err("invalid");
    // Art 40: never names.
    assert!(err(&person("u", "unknown_wanted", "")).contains("never names"));
    assert!(err(&person("p", "vehicle", "")).contains("is not a person category"));
    assert!(err(&person("p", "arrest", "").replace("DEU", "ZZZ")).contains("country"));
    assert!(err(&person("p", "arrest", "").replace("2030-01-01", "2030-13-01")).contains("date"));
    assert!(err(&person("p", "missing", r#","sirene_only":true"#)).contains("26(4)"));
    assert!(err(r#"{"id":"o","kind":"object","category":"vehicle","action":"x","issuing_country":"FRA","expires_at":"2030-01-01"}"#).contains("needs \"object\""));
    assert!(err("not json").contains("expected"));
}

#[test]
fn validator_reports_every_bad_line_by_number_and_duplicates() {
    let mut v = ImportValidator::default();
    v.push(ListKind::Sis, 1, &person("a", "arrest", ""));
    v.push(ListKind::Sis, 2, "");
    v.push(ListKind::Sis, 3, "{}");
    v.push(ListKind::Sis, 4, &person("a", "arrest", ""));
    let errors = v.finish().expect_err("two bad lines");
    assert_eq!(errors.iter().map(|e| e.0).collect::<Vec<_>>(), vec![3, 4]);
    assert!(errors[1].1.contains("duplicate"));
}

#[test]
fn document_numbers_compare_normalised() {
    assert_eq!(
        document_key(Some("D"), "c01x-00 t47"),
        document_key(Some("DEU"), "C01X00T47")
    );
    assert_ne!(
        document_key(Some("FRA"), "X1"),
        document_key(Some("DEU"), "X1")
    );
}

#[test]
fn months_are_added_on_the_calendar() {
    let d = |y, m, day| {
        time::Date::from_calendar_date(y, time::Month::try_from(m).expect("m"), day).expect("date")
    };
    assert_eq!(add_months(d(2026, 10, 31), 4), d(2027, 2, 28));
    assert_eq!(add_months(d(2026, 1, 15), 4), d(2026, 5, 15));
}

#[test]
fn housekeeping_schedule_runs_first_then_hourly_and_after_a_clock_set_back() {
    let start = time::macros::datetime!(2026-11-23 10:00 UTC);
    let mut schedule = HousekeepingSchedule::new(time::Duration::hours(1));
    assert!(schedule.due(start));
    schedule.ran(start);
    assert!(!schedule.due(start + time::Duration::minutes(30)));
    assert!(schedule.due(start + time::Duration::hours(1)));
    // A clock set back (NTP step, operator) must not stop housekeeping for the difference.
    assert!(schedule.due(start - time::Duration::minutes(5)));
}

mod bulk_load {
    use limes_match::ScreenOptions;
    use limes_model::Identity;
    use serde_json::json;

    use super::*;
    use crate::{Actor, Hub};

    async fn open() -> (Hub, tempfile::TempDir) {
        let (hub, dir, _) = test_hub().await;
        (hub, dir)
    }

    async fn import(hub: &Hub, lines: &[String]) {
        import_lines(hub, ListKind::Sis, lines.iter().map(String::as_str)).await;
    }

    fn mueller_hits(hub: &Hub) -> Vec<String> {
        let probe = Identity {
            id: "probe".to_owned(),
            surname: "MÜLLER".to_owned(),
            given_names: "HANS".to_owned(),
            birth_date: Some(limes_model::PartialDate::new(1970, 3, 4).expect("date")),
            ..Identity::default()
        };
        let mut ids: Vec<String> = hub
            .sis()
            .screen(&probe, &ScreenOptions::default())
            .into_iter()
            .map(|(_, entry)| entry.id)
            .collect();
        ids.sort();
        ids
    }

    #[tokio::test]
    async fn imports_build_the_projection_as_they_commit() {
        let (hub, _dir) = open().await;
        assert!(hub.begin_bulk_load().await.expect("begin"));
        import(
            &hub,
            &[person("a1", "arrest", ""), person("a2", "missing", "")],
        )
        .await;
        import(&hub, &[person("a3", "refusal_of_entry", "")]).await;
        assert!(!hub.sis().is_built());
        hub.build_indexes().await.expect("indexes");
        assert_eq!(hub.sis().len(), 3);
        assert_eq!(mueller_hits(&hub), ["a1", "a2", "a3"]);
        let a2 = hub.sis().entry("sis_alert/a2").expect("a2");
        assert_eq!(a2.alert_category, Some(AlertCategory::Missing));
        // Followed as usual afterwards.
        import(&hub, &[person("a4", "arrest", "")]).await;
        assert_eq!(mueller_hits(&hub), ["a1", "a2", "a3", "a4"]);
        // Only into empty lists.
        let (other, _dir2) = open().await;
        import(&other, &[person("b1", "arrest", "")]).await;
        assert!(!other.begin_bulk_load().await.expect("begin"));
    }

    #[tokio::test]
    async fn an_id_imported_twice_falls_back_to_a_rebuild() {
        let (hub, _dir) = open().await;
        assert!(hub.begin_bulk_load().await.expect("begin"));
        import(
            &hub,
            &[person("a1", "arrest", ""), person("a2", "arrest", "")],
        )
        .await;
        import(&hub, &[person("a1", "missing", "")]).await;
        hub.build_indexes().await.expect("indexes");
        assert_eq!(hub.sis().len(), 2);
        assert_eq!(mueller_hits(&hub), ["a1", "a2"]);
        let a1 = hub.sis().entry("sis_alert/a1").expect("a1");
        assert_eq!(a1.alert_category, Some(AlertCategory::Missing));
    }

    #[tokio::test]
    async fn a_write_the_load_did_not_see_falls_back_to_a_rebuild() {
        let (hub, _dir) = open().await;
        assert!(hub.begin_bulk_load().await.expect("begin"));
        import(
            &hub,
            &[person("a1", "arrest", ""), person("a2", "arrest", "")],
        )
        .await;
        // Another process deletes one alert; this hub never hears of it but through the store.
        let deleted = hub
            .store()
            .delete_records(
                "sis_alert",
                vec!["a2".to_owned()],
                crate::gate::actor_entry(
                    &Actor::Cli {
                        os_user: "elsewhere".to_owned(),
                    },
                    "sis.delete",
                    json!({}),
                    vec!["a2".to_owned()],
                    "ok",
                ),
            )
            .await
            .expect("delete");
        assert_eq!(deleted, 1);
        hub.build_indexes().await.expect("indexes");
        assert_eq!(hub.sis().len(), 1);
        assert_eq!(mueller_hits(&hub), ["a1"]);
    }
}
