//! Synthetic EES data for `limes demo`: a few named travellers whose stay status shows on the
//! guard's screen (an overstayer, a frequent traveller whose stays were recorded by another State,
//! a person refused before) and some days of crossings for the statistics chart. Every write goes
//! through the central simulation and the national copy, journalled as the demo loader.

use limes_ees::record::{
    Crossing, EntryBasis, EntryExitRecord, FileId, RecordId, RefusalRecord, TravelDocument,
    VisaRegime,
};
use limes_ees::refusal::ReasonLetter;
use limes_model::{PartialDate, Sex};
use serde_json::json;
use time::{Duration, OffsetDateTime};

use super::central::{self, CentralEes, StoredRecord};
use super::{TravellerInput, random_id, to_file};
use crate::gate::{Actor, actor_entry};
use crate::sis::synth::DemoTraveller;
use crate::{Hub, HubError};

struct Person {
    surname: &'static str,
    given: &'static str,
    number: &'static str,
    nationality: &'static str,
    born: (u16, u8, u8),
}

const OVERSTAYER: Person = Person {
    surname: "OVERSTAY",
    given: "OLIVIA",
    number: "EESDEMO01",
    nationality: "USA",
    born: (1988, 6, 1),
};
const FREQUENT: Person = Person {
    surname: "FREQUENT",
    given: "FRANK",
    number: "EESDEMO02",
    nationality: "CAN",
    born: (1975, 2, 14),
};
const REFUSED: Person = Person {
    surname: "REFUSED",
    given: "RITA",
    number: "EESDEMO03",
    nationality: "AUS",
    born: (1992, 11, 30),
};

fn input(person: &Person) -> TravellerInput {
    TravellerInput {
        surname: person.surname.to_owned(),
        given_names: person.given.to_owned(),
        birth_date: PartialDate::new(person.born.0, person.born.1, person.born.2).ok(),
        nationality: person.nationality.to_owned(),
        sex: Some(Sex::F),
        document: TravelDocument {
            kind: "P".to_owned(),
            number: person.number.to_owned(),
            issuing_country: person.nationality.to_owned(),
            expiry: time::macros::date!(2034 - 12 - 31),
        },
        regime: VisaRegime::VisaExempt,
        facial_image: Some(format!("demo-face/{}", person.number)),
        fingerprints: Some(format!("demo-fp/{}", person.number)),
        family_member_of_union_citizen: false,
    }
}

impl Hub {
    async fn demo_write(
        &self,
        actor: &Actor,
        traveller: &TravellerInput,
        file_id: FileId,
        record: StoredRecord,
    ) -> Result<(), HubError> {
        let file = to_file(file_id, traveller);
        let state = record.member_state().to_owned();
        self.ees_central()
            .put(state.clone(), file.clone(), Some(record.clone()))
            .await?;
        // The national copy keeps only this State's records.
        if state == self.member_state() {
            let ids = vec![format!(
                "ees_record:{}",
                central::record_key(record.file(), record.id())
            )];
            self.ees_national()
                .put(
                    &file,
                    Some(&record),
                    actor_entry(actor, "ees.demo_load", json!({}), ids, "ok"),
                )
                .await?;
        }
        Ok(())
    }

    fn demo_crossing(at: OffsetDateTime, point: &str, state: &str) -> Crossing {
        Crossing {
            at,
            crossing_point: point.to_owned(),
            authority: format!("{state}:demo"),
        }
    }

    /// Loads the demo EES data once (skipped when the first demo file exists) and returns the
    /// travellers to try at `/border`.
    pub async fn load_demo_ees(&self, actor: &Actor) -> Result<Vec<DemoTraveller>, HubError> {
        let now = self.now();
        let central = self.ees_central();
        let people = [
            (
                &OVERSTAYER,
                "EES: overstayer, no exit 11 days after the authorised stay ended",
            ),
            (
                &FREQUENT,
                "EES: 80 of 90 days used, stays recorded by France",
            ),
            (&REFUSED, "EES: refused entry 20 days ago (reason E)"),
        ];
        let travellers = people
            .iter()
            .filter_map(|(p, label)| {
                crate::border::passport_mrz(
                    p.surname,
                    p.given,
                    p.number,
                    p.nationality,
                    p.nationality,
                    PartialDate::new(p.born.0, p.born.1, p.born.2).ok()?,
                    Sex::F,
                    PartialDate::new(2034, 12, 31).ok()?,
                )
                .ok()
                .map(|mrz| DemoTraveller {
                    label: format!("{} {}", p.given, p.surname),
                    expect: (*label).to_owned(),
                    mrz,
                })
            })
            .collect();
        if central
            .find_file(
                OVERSTAYER.nationality.to_owned(),
                OVERSTAYER.number.to_owned(),
            )
            .await?
            .is_some()
        {
            return Ok(travellers);
        }
        let entry = |file: FileId,
                     at: OffsetDateTime,
                     end_days: i64,
                     exit: Option<OffsetDateTime>,
                     state: &str,
                     point: &str|
         -> Result<StoredRecord, HubError> {
            Ok(StoredRecord::Entry {
                member_state: state.to_owned(),
                nationality: None,
                record: EntryExitRecord {
                    id: RecordId(random_id()?),
                    file,
                    entry: Self::demo_crossing(at, point, state),
                    basis: EntryBasis::VisaExempt,
                    end_of_authorised_stay: at.date() + Duration::days(end_days),
                    exit: exit.map(|x| Self::demo_crossing(x, point, state)),
                },
            })
        };
        // The overstayer: entered 100 days ago with 90 days authorised.
        let t = input(&OVERSTAYER);
        let id = FileId(random_id()?);
        let mut record = entry(
            id,
            now - Duration::days(100),
            89,
            None,
            self.member_state(),
            "UTO-AIR-1",
        )?;
        if let StoredRecord::Entry { nationality, .. } = &mut record {
            *nationality = Some(t.nationality.clone());
        }
        self.demo_write(actor, &t, id, record).await?;
        // The frequent traveller: two stays recorded by France, 80 days in all.
        let t = input(&FREQUENT);
        let id = FileId(random_id()?);
        for (start, days) in [(170, 40), (100, 40)] {
            let at = now - Duration::days(start);
            let record = entry(
                id,
                at,
                89,
                Some(at + Duration::days(days - 1)),
                "FRA",
                "FRA-CDG-2",
            )?;
            self.demo_write(actor, &t, id, record).await?;
        }
        // The refused person.
        let t = input(&REFUSED);
        let id = FileId(random_id()?);
        let record = StoredRecord::Refusal {
            member_state: self.member_state().to_owned(),
            nationality: Some(t.nationality.clone()),
            record: RefusalRecord {
                id: RecordId(random_id()?),
                file: id,
                refused: Self::demo_crossing(
                    now - Duration::days(20),
                    "UTO-LAND-2",
                    self.member_state(),
                ),
                reasons: vec![
                    ReasonLetter::parse("E").map_err(|e| HubError::Internal(e.to_string()))?,
                ],
            },
        };
        self.demo_write(actor, &t, id, record).await?;
        // Two weeks of crossings for the statistics chart (deterministic, synthetic names).
        let nationalities = ["USA", "CAN", "BRA", "JPN", "GBR", "IND"];
        let points = ["UTO-AIR-1", "UTO-LAND-2"];
        for day in 0..14_i64 {
            let count = 6 + (day * 7) % 9;
            for n in 0..count {
                let k = usize::try_from(day * 31 + n).unwrap_or(0);
                let nationality = nationalities[k % nationalities.len()];
                let person = TravellerInput {
                    surname: format!("SYNTH{day:02}{n:02}"),
                    given_names: "DEMO".to_owned(),
                    nationality: nationality.to_owned(),
                    document: TravelDocument {
                        kind: "P".to_owned(),
                        number: format!("EESS{day:02}{n:02}"),
                        issuing_country: nationality.to_owned(),
                        expiry: time::macros::date!(2034 - 12 - 31),
                    },
                    ..input(&OVERSTAYER)
                };
                let at = now - Duration::days(13 - day) - Duration::hours(n);
                let exit = (n % 3 == 0).then(|| at + Duration::days(2));
                let id = FileId(random_id()?);
                let mut record = entry(
                    id,
                    at,
                    89,
                    exit.filter(|x| *x <= now),
                    self.member_state(),
                    points[k % 2],
                )?;
                if let StoredRecord::Entry {
                    nationality: nat, ..
                } = &mut record
                {
                    *nat = Some(nationality.to_owned());
                }
                self.demo_write(actor, &person, id, record).await?;
            }
        }
        Ok(travellers)
    }
}
