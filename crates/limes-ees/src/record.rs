//! The EES records as Reg (EU) 2017/2226 sets them out: the individual file (Arts 16(1), 17(1)),
//! the entry/exit record (Art 16(2)–(3)) and the refusal-of-entry record (Art 18).
//!
//! Plain data: no storage, no journal. Biometrics are references to where the images are held,
//! never the images. The central EES holds every State's records; which of them a national copy
//! may keep is the hub's decision (`CentralEes`), not this module's.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use limes_model::Identity;

use crate::refusal::ReasonLetter;

/// Stable identifier of an individual file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FileId(pub u64);

/// Stable identifier of an entry/exit or refusal record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RecordId(pub u64);

/// Where the biometric sample is kept (BMS template or image store key); never the sample.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BiometricRef(pub String);

/// Travel document data (Art 16(1)(b)–(c), 17(1)(a)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TravelDocument {
    /// ICAO document type code, e.g. "P".
    pub kind: String,
    pub number: String,
    /// ICAO three-letter code of the issuing State.
    pub issuing_country: String,
    #[serde(with = "iso_date")]
    pub expiry: Date,
}

/// Visa-required or visa-exempt: decides where the fingerprints live (VIS or EES, Art 17).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisaRegime {
    VisaRequired,
    VisaExempt,
}

/// The individual file: who the person is and their biometrics.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndividualFile {
    pub id: FileId,
    pub identity: Identity,
    pub document: TravelDocument,
    pub regime: VisaRegime,
    /// Facial image (Art 15), required for everyone.
    pub facial_image: Option<BiometricRef>,
    /// Four fingerprints of the right hand (Art 17(1)(b)): visa-exempt persons aged 12 or more.
    pub fingerprints: Option<BiometricRef>,
    /// A family member of a Union citizen or of a person enjoying free movement rights: shorter
    /// retention (Art 34(2)) and no fingerprints where the residence card is held.
    pub family_member_of_union_citizen: bool,
}

/// What biometric data an individual file lacks, on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingBiometric {
    FacialImage,
    Fingerprints,
}

impl IndividualFile {
    /// Biometrics the regulation requires but the file lacks on `on`. Children under 12 give no
    /// fingerprints (Art 17(3)); visa holders' fingerprints are in the VIS, not the EES.
    /// An unknown birth date is treated as an adult's, so that fingerprints are asked for.
    pub fn missing_biometrics(&self, on: Date) -> Vec<MissingBiometric> {
        let mut missing = Vec::new();
        if self.facial_image.is_none() {
            missing.push(MissingBiometric::FacialImage);
        }
        let under_12 = self
            .identity
            .birth_date
            .is_some_and(|birth| birth.is_complete() && birth.age_on(on) < 12);
        if self.regime == VisaRegime::VisaExempt && !under_12 && self.fingerprints.is_none() {
            missing.push(MissingBiometric::Fingerprints);
        }
        missing
    }
}

/// A border crossing point and the authority that checked the person there.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Crossing {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub crossing_point: String,
    pub authority: String,
}

/// The visa or the exemption the entry was made on (Art 16(2)(d)–(e), 17(1)(c)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum EntryBasis {
    Visa { sticker_number: String },
    VisaExempt,
    TravelAuthorisation { number: String },
}

/// One entry and, once the person leaves, its exit (Art 16(2)–(3)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryExitRecord {
    pub id: RecordId,
    pub file: FileId,
    pub entry: Crossing,
    pub basis: EntryBasis,
    /// Last day of the authorised stay, as calculated on entry (Art 16(2)(c)).
    #[serde(with = "iso_date")]
    pub end_of_authorised_stay: Date,
    pub exit: Option<Crossing>,
}

/// A refusal of entry (Art 18): when, where, by whom, and the Annex V Part B letters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusalRecord {
    pub id: RecordId,
    pub file: FileId,
    pub refused: Crossing,
    pub reasons: Vec<ReasonLetter>,
}

/// Dates as `YYYY-MM-DD` in JSON (the `time` default is a tuple no reader expects).
pub mod iso_date {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;
    use time::macros::format_description;

    pub fn parse(text: &str) -> Result<Date, String> {
        Date::parse(text, format_description!("[year]-[month]-[day]"))
            .map_err(|_| format!("{text:?} is not a date YYYY-MM-DD"))
    }
    pub fn format(date: Date) -> String {
        date.format(format_description!("[year]-[month]-[day]"))
            .unwrap_or_default()
    }
    pub fn serialize<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(*date))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = String::deserialize(d)?;
        parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use limes_model::PartialDate;

    fn file(regime: VisaRegime, birth: Option<PartialDate>) -> IndividualFile {
        IndividualFile {
            id: FileId(1),
            identity: Identity {
                id: "F1".into(),
                surname: "Testperson".into(),
                given_names: "Synthetic".into(),
                birth_date: birth,
                ..Identity::default()
            },
            document: TravelDocument {
                kind: "P".into(),
                number: "X0000001".into(),
                issuing_country: "UTO".into(),
                expiry: date!(2035 - 01 - 01),
            },
            regime,
            facial_image: Some(BiometricRef("face/1".into())),
            fingerprints: None,
            family_member_of_union_citizen: false,
        }
    }

    #[test]
    fn visa_exempt_adult_needs_fingerprints_child_under_12_does_not() {
        let on = date!(2027 - 03 - 10);
        let adult = file(VisaRegime::VisaExempt, PartialDate::new(1990, 1, 1).ok());
        assert_eq!(
            adult.missing_biometrics(on),
            vec![MissingBiometric::Fingerprints]
        );
        let child = file(VisaRegime::VisaExempt, PartialDate::new(2016, 3, 11).ok());
        assert!(
            child.missing_biometrics(on).is_empty(),
            "11 the day before the 12th birthday"
        );
        let twelve = file(VisaRegime::VisaExempt, PartialDate::new(2015, 3, 10).ok());
        assert_eq!(
            twelve.missing_biometrics(on),
            vec![MissingBiometric::Fingerprints]
        );
        // Year-only birth dates cannot prove the exemption.
        let unsure = file(VisaRegime::VisaExempt, PartialDate::new(2016, 0, 0).ok());
        assert_eq!(
            unsure.missing_biometrics(on),
            vec![MissingBiometric::Fingerprints]
        );
    }

    #[test]
    fn visa_holders_fingerprints_are_in_the_vis_but_everyone_needs_a_face() {
        let mut holder = file(VisaRegime::VisaRequired, None);
        assert!(holder.missing_biometrics(date!(2027 - 03 - 10)).is_empty());
        holder.facial_image = None;
        assert_eq!(
            holder.missing_biometrics(date!(2027 - 03 - 10)),
            vec![MissingBiometric::FacialImage]
        );
    }
}
