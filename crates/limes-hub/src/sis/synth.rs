//! A deterministic synthetic SIS for `limes demo` and benchmarks: person alerts in every category
//! (names from several cultures, some written in Cyrillic or Greek as the issuing state wrote
//! them), document and vehicle alerts, plus a few well-known demo travellers whose passports the
//! guard's screen can be tried with. No real person is described.

use limes_model::{DocumentRef, Identity, PartialDate, Sex};
use time::Date;

use super::model::{Alert, AlertCategory, AlertKind, AlertObject, ListRecord, LostDocument};
use crate::HubError;
use crate::border::passport_mrz;

/// A demo traveller: what they present at the border and what the screen should show.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct DemoTraveller {
    pub label: String,
    pub expect: String,
    pub mrz: String,
}

/// Small deterministic generator (SplitMix64): the same seed gives the same data set.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items.get(self.below(items.len())).copied().unwrap_or("")
    }
}

const SURNAMES: &[&str] = &[
    "SCHMIDT",
    "WAGNER",
    "BECKER",
    "HOFFMANN",
    "DUBOIS",
    "LEROY",
    "MOREAU",
    "GARCIA",
    "FERNANDEZ",
    "LOPEZ",
    "ROSSI",
    "ESPOSITO",
    "BIANCHI",
    "KOWALSKI",
    "NOWAK",
    "WISNIEWSKI",
    "HORVATH",
    "NAGY",
    "POPESCU",
    "IONESCU",
    "PETROV",
    "SMIRNOV",
    "KUZNETSOV",
    "PAPADOPOULOS",
    "GEORGIOU",
    "OKAFOR",
    "MENSAH",
    "HADDAD",
    "KHALIL",
    "MOHAMMED",
    "AHMED",
    "YILMAZ",
    "KAYA",
    "DEMIR",
    "NGUYEN",
    "TRAN",
    "SILVA",
    "SANTOS",
    "JANSEN",
    "DE VRIES",
    "VAN DEN BERG",
    "JOHANSSON",
    "NIELSEN",
    "MURPHY",
    "O'BRIEN",
    "NOVAK",
    "HORVAT",
    "KOVACS",
    "LEHTONEN",
    "VIRTANEN",
];
const GIVEN: &[&str] = &[
    "ANNA", "MARIA", "ELENA", "SOFIA", "FATIMA", "AYSE", "LINH", "JOAO", "PIETER", "IGOR", "OLGA",
    "DMITRI", "NIKOS", "GIORGOS", "AHMED", "OMAR", "YUSUF", "MEHMET", "CHIDI", "KWAME", "JAN",
    "PIOTR", "MARCO", "LUCA", "PIERRE", "CLAIRE", "HANS", "KLAUS", "SEAN", "SIOBHAN", "MIHAI",
    "IOANA", "LASZLO", "EVA", "MATTI", "LARS", "INGRID", "CARLOS", "LUCIA", "KAROLINA",
];
const CYRILLIC: &[(&str, &str)] = &[
    ("ПЕТРОВ", "ИГОРЬ"),
    ("СМИРНОВА", "ОЛЬГА"),
    ("КУЗНЕЦОВ", "ДМИТРИЙ"),
    ("ИВАНОВ", "СЕРГЕЙ"),
];
const GREEK: &[(&str, &str)] = &[("ΠΑΠΑΔΟΠΟΥΛΟΣ", "ΝΙΚΟΛΑΟΣ"), ("ΓΕΩΡΓΙΟΥ", "ΕΛΕΝΗ")];
const COUNTRIES: &[&str] = &[
    "DEU", "FRA", "ITA", "ESP", "POL", "NLD", "BEL", "AUT", "CZE", "HUN", "ROU", "GRC", "PRT",
    "SWE", "FIN", "DNK", "IRL", "HRV", "SVN", "SVK", "LTU", "LVA", "EST", "BGR", "CHE", "NOR",
];
const NATIONALITIES: &[&str] = &[
    "DEU", "FRA", "ITA", "ESP", "POL", "ROU", "RUS", "UKR", "TUR", "SYR", "NGA", "GHA", "VNM",
    "MAR", "DZA", "ALB", "SRB", "GEO", "PRT", "NLD", "GRC", "IRQ", "AFG", "BRA",
];
/// Person categories with a rough share of the national copy.
const PERSON_CATEGORIES: &[(AlertCategory, u32)] = &[
    (AlertCategory::Arrest, 10),
    (AlertCategory::MissingProtect, 6),
    (AlertCategory::Missing, 10),
    (AlertCategory::ChildAbductionRisk, 2),
    (AlertCategory::ChildTravelPrevention, 1),
    (AlertCategory::VulnerableAdultTravelPrevention, 1),
    (AlertCategory::JudicialProcedure, 12),
    (AlertCategory::DiscreetCheck, 8),
    (AlertCategory::InquiryCheck, 2),
    (AlertCategory::SpecificCheck, 2),
    (AlertCategory::UnknownWanted, 1),
    (AlertCategory::RefusalOfEntry, 35),
    (AlertCategory::Return, 10),
];
const MARKERS: &[&str] = &["armed", "violent", "absconded", "suicide_risk", "terrorism"];

fn date(y: i32, m: u8, d: u8) -> Date {
    let month = time::Month::try_from(m).unwrap_or(time::Month::January);
    Date::from_calendar_date(y, month, d.min(28)).unwrap_or(Date::MIN)
}

fn pdate(y: i32, m: u8, d: u8) -> Result<PartialDate, HubError> {
    PartialDate::new(u16::try_from(y).unwrap_or(1970), m, d.min(28))
        .map_err(|e| HubError::Internal(e.to_string()))
}

fn action_of(category: AlertCategory) -> &'static str {
    match category {
        AlertCategory::Arrest => "Arrest with a view to surrender (EAW)",
        AlertCategory::MissingProtect | AlertCategory::ChildAbductionRisk => {
            "Place under protection"
        }
        AlertCategory::Missing => "Report whereabouts",
        AlertCategory::ChildTravelPrevention | AlertCategory::VulnerableAdultTravelPrevention => {
            "Prevent travel"
        }
        AlertCategory::JudicialProcedure => "Report residence for judicial procedure",
        AlertCategory::DiscreetCheck => "Discreet check",
        AlertCategory::InquiryCheck => "Inquiry check",
        AlertCategory::SpecificCheck => "Specific check",
        AlertCategory::UnknownWanted => "Identify (dactyloscopic data)",
        AlertCategory::RefusalOfEntry => "Refuse entry and stay",
        AlertCategory::Return => "Return decision to enforce",
        _ => "Seize",
    }
}

/// `count` alerts (about 70 % persons), deterministic for a seed; `today` places expiries.
pub fn synthetic_sis(count: usize, seed: u64, today: Date) -> Result<Vec<ListRecord>, HubError> {
    let mut rng = Rng(seed);
    let weights: u32 = PERSON_CATEGORIES.iter().map(|c| c.1).sum();
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let issuing = rng.pick(COUNTRIES).to_owned();
        let expires = date(
            today.year() + 1 + rng.below(4) as i32,
            1 + rng.below(12) as u8,
            1 + rng.below(28) as u8,
        );
        let id = format!("SIS-{i:08}");
        if rng.below(10) < 7 {
            let mut roll = (rng.next() % u64::from(weights)) as u32;
            let mut category = AlertCategory::Missing;
            for (c, w) in PERSON_CATEGORIES {
                if roll < *w {
                    category = *c;
                    break;
                }
                roll -= w;
            }
            let minor = matches!(
                category,
                AlertCategory::ChildAbductionRisk | AlertCategory::ChildTravelPrevention
            ) || (category == AlertCategory::MissingProtect && rng.below(2) == 0);
            let born_year = if minor {
                today.year() - 3 - rng.below(14) as i32
            } else {
                today.year() - 19 - rng.below(60) as i32
            };
            let (surname, given) = match rng.below(20) {
                0 => CYRILLIC
                    .get(rng.below(CYRILLIC.len()))
                    .copied()
                    .unwrap_or(("X", "Y")),
                1 => GREEK
                    .get(rng.below(GREEK.len()))
                    .copied()
                    .unwrap_or(("X", "Y")),
                _ => (rng.pick(SURNAMES), rng.pick(GIVEN)),
            };
            let identity = (category != AlertCategory::UnknownWanted)
                .then(|| -> Result<Identity, HubError> {
                    Ok(Identity {
                        id: id.clone(),
                        surname: surname.to_owned(),
                        given_names: given.to_owned(),
                        birth_date: Some(pdate(
                            born_year,
                            1 + rng.below(12) as u8,
                            1 + rng.below(28) as u8,
                        )?),
                        nationality: Some(rng.pick(NATIONALITIES).to_owned()),
                        sex: Some(if rng.below(2) == 0 { Sex::M } else { Sex::F }),
                        aliases: Vec::new(),
                        documents: Vec::new(),
                    })
                })
                .transpose()?;
            let markers = if rng.below(20) == 0 {
                vec![rng.pick(MARKERS).to_owned()]
            } else {
                Vec::new()
            };
            out.push(ListRecord::Alert(Box::new(Alert {
                id,
                kind: AlertKind::Person,
                category,
                identity,
                object: None,
                markers,
                flags: Vec::new(),
                action: action_of(category).to_owned(),
                issuing_country: issuing,
                expires_at: expires,
                review_at: None,
                minor,
                sirene_only: category == AlertCategory::Arrest && rng.below(50) == 0,
                extensions: Vec::new(),
            })));
        } else {
            let (category, object) = if rng.below(3) < 2 {
                (
                    AlertCategory::DocumentIssued,
                    AlertObject {
                        object_type: if rng.below(2) == 0 {
                            "passport"
                        } else {
                            "identity_card"
                        }
                        .to_owned(),
                        number: format!(
                            "{}{:07}",
                            (b'A' + rng.below(26) as u8) as char,
                            rng.below(10_000_000)
                        ),
                        country: Some(issuing.clone()),
                        status: Some(if rng.below(2) == 0 { "stolen" } else { "lost" }.to_owned()),
                    },
                )
            } else {
                (
                    AlertCategory::Vehicle,
                    AlertObject {
                        object_type: "car".to_owned(),
                        number: format!("WVW{:014}", rng.next() % 100_000_000_000_000),
                        country: None,
                        status: Some("stolen".to_owned()),
                    },
                )
            };
            out.push(ListRecord::Alert(Box::new(Alert {
                id,
                kind: AlertKind::Object,
                category,
                identity: None,
                object: Some(object),
                markers: Vec::new(),
                flags: Vec::new(),
                action: "Seize".to_owned(),
                issuing_country: issuing,
                expires_at: expires,
                review_at: None,
                minor: false,
                sirene_only: false,
                extensions: Vec::new(),
            })));
        }
    }
    Ok(out)
}

/// Alerts, lost documents and passports of the demo travellers.
pub type DemoSet = (Vec<ListRecord>, Vec<ListRecord>, Vec<DemoTraveller>);

/// The demo travellers: their alerts (to add to the synthetic SIS), one lost-document entry, and
/// their passports.
pub fn demo_travellers(today: Date) -> Result<DemoSet, HubError> {
    let y = today.year();
    let valid = pdate(y + 5, 6, 30)?;
    let alert = |id: &str,
                 category: AlertCategory,
                 surname: &str,
                 given: &str,
                 born: PartialDate,
                 issuing: &str,
                 markers: &[&str],
                 minor: bool| {
        ListRecord::Alert(Box::new(Alert {
            id: id.to_owned(),
            kind: AlertKind::Person,
            category,
            identity: Some(Identity {
                id: id.to_owned(),
                surname: surname.to_owned(),
                given_names: given.to_owned(),
                birth_date: Some(born),
                nationality: None,
                sex: None,
                aliases: Vec::new(),
                documents: Vec::<DocumentRef>::new(),
            }),
            object: None,
            markers: markers.iter().map(|m| (*m).to_owned()).collect(),
            flags: Vec::new(),
            action: action_of(category).to_owned(),
            issuing_country: issuing.to_owned(),
            expires_at: date(y + 3, 1, 1),
            review_at: None,
            minor,
            sirene_only: false,
            extensions: Vec::new(),
        }))
    };
    let child_born = pdate(y - 9, 4, 4)?;
    let alerts = vec![
        alert(
            "DEMO-WANTED",
            AlertCategory::Arrest,
            "МЮЛЛЕР",
            "ХАНС",
            pdate(1970, 3, 4)?,
            "DEU",
            &["violent"],
            false,
        ),
        alert(
            "DEMO-DISCREET",
            AlertCategory::DiscreetCheck,
            "ROSSI",
            "MARIO",
            pdate(1975, 5, 5)?,
            "ITA",
            &[],
            false,
        ),
        alert(
            "DEMO-CHILD",
            AlertCategory::MissingProtect,
            "SANTOS",
            "ANA",
            child_born,
            "PRT",
            &[],
            true,
        ),
        ListRecord::Alert(Box::new(Alert {
            id: "DEMO-STOLEN".to_owned(),
            kind: AlertKind::Object,
            category: AlertCategory::DocumentIssued,
            identity: None,
            object: Some(AlertObject {
                object_type: "passport".to_owned(),
                number: "STOLEN123".to_owned(),
                country: Some("FRA".to_owned()),
                status: Some("stolen".to_owned()),
            }),
            markers: Vec::new(),
            flags: Vec::new(),
            action: "Seize".to_owned(),
            issuing_country: "FRA".to_owned(),
            expires_at: date(y + 3, 1, 1),
            review_at: None,
            minor: false,
            sirene_only: false,
            extensions: Vec::new(),
        })),
    ];
    let documents = vec![ListRecord::Document(LostDocument {
        id: "DEMO-SLTD".to_owned(),
        number: "P9988776".to_owned(),
        country: "NLD".to_owned(),
        document_type: "P".to_owned(),
        status: "stolen".to_owned(),
        source: "Interpol SLTD (synthetic)".to_owned(),
        expires_at: None,
    })];
    let traveller = |label: &str,
                     expect: &str,
                     surname: &str,
                     given: &str,
                     number: &str,
                     state: &str,
                     born: PartialDate,
                     expiry: PartialDate|
     -> Result<DemoTraveller, HubError> {
        Ok(DemoTraveller {
            label: label.to_owned(),
            expect: expect.to_owned(),
            mrz: passport_mrz(surname, given, number, state, state, born, Sex::M, expiry)?,
        })
    };
    let travellers = vec![
        traveller(
            "Clean traveller",
            "green: no hit",
            "EXAMPLE",
            "ANNA MARIA",
            "L898902C3",
            "NLD",
            pdate(1984, 8, 12)?,
            valid,
        )?,
        traveller(
            "Wanted person (alert in Cyrillic)",
            "red: arrest, violent",
            "MUELLER",
            "HANS",
            "C01X00T47",
            "D",
            pdate(1970, 3, 4)?,
            valid,
        )?,
        traveller(
            "Stolen passport (SIS)",
            "red: document_issued",
            "DURAND",
            "LEA",
            "STOLEN123",
            "FRA",
            pdate(1990, 1, 1)?,
            valid,
        )?,
        traveller(
            "Stolen passport (SLTD list)",
            "red: lost_stolen_documents",
            "JANSEN",
            "PIET",
            "P9988776",
            "NLD",
            pdate(1988, 2, 2)?,
            valid,
        )?,
        traveller(
            "Missing child",
            "red: missing_protect, minor",
            "SANTOS",
            "ANA",
            "CB123456",
            "PRT",
            child_born,
            valid,
        )?,
        traveller(
            "Discreet check",
            "green banner + 'let pass' report panel",
            "ROSSI",
            "MARIO",
            "YA1234567",
            "ITA",
            pdate(1975, 5, 5)?,
            valid,
        )?,
        traveller(
            "Expired passport",
            "amber: expired",
            "EXAMPLE",
            "ANNA MARIA",
            "L898902C3",
            "NLD",
            pdate(1984, 8, 12)?,
            pdate(y - 1, 1, 31)?,
        )?,
    ];
    Ok((alerts, documents, travellers))
}

/// Record kind holding the demo travellers' passports (synthetic, shown on the guard's screen).
pub const KIND_DEMO: &str = "demo";

impl crate::Hub {
    /// Loads a synthetic SIS of `count` alerts plus the demo travellers' alerts, one SLTD entry
    /// and the travellers' passports (once: a data directory that has alerts is left alone).
    /// Returns the demo travellers.
    pub async fn load_demo_sis(
        &self,
        actor: &crate::Actor,
        count: usize,
    ) -> Result<Vec<DemoTraveller>, HubError> {
        let today = self.now().date();
        let (alerts, documents, travellers) = demo_travellers(today)?;
        self.sis.catch_up(&self.store).await?;
        if self.sis.is_empty() {
            let mut records = synthetic_sis(count, 2026, today)?;
            records.extend(alerts);
            self.import_list(actor, super::ListKind::Sis, "synthetic", records)
                .await?;
            self.import_list(actor, super::ListKind::Documents, "synthetic", documents)
                .await?;
            let body = crate::error::body_of(&travellers)?;
            self.store
                .put_records(
                    vec![limes_store::RecordWrite {
                        kind: KIND_DEMO.to_owned(),
                        id: "travellers".to_owned(),
                        body,
                    }],
                    crate::gate::actor_entry(
                        actor,
                        "demo.load",
                        serde_json::json!({}),
                        vec![],
                        "ok",
                    ),
                )
                .await?;
        }
        Ok(travellers)
    }

    /// The demo travellers, if this data directory was filled by `limes demo`.
    pub async fn demo_travellers(&self) -> Vec<DemoTraveller> {
        match self.store.record(KIND_DEMO, "travellers").await {
            Ok(Some(body)) => serde_json::from_value(body).unwrap_or_default(),
            _ => Vec::new(),
        }
    }
}
