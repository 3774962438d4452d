//! The four axes of the access matrix: who (role), why (purpose), what they do (action) and to
//! which kind of data (category). The matrix itself is configuration owned by `limes-hub`; these are
//! only the closed vocabularies it is written in, so a typo in the configuration fails at start.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {value:?}; expected one of: {expected}")]
pub struct UnknownName {
    pub kind: &'static str,
    pub value: String,
    pub expected: String,
}

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $kind:literal, { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownName;
            fn from_str(text: &str) -> Result<Self, UnknownName> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownName {
                        kind: $kind,
                        value: text.chars().take(64).collect(),
                        expected: [$($text),+].join(", "),
                    }),
                }
            }
        }
    };
}

vocabulary!(
    /// A user's function; a user may hold several.
    Role, "role", {
        BorderGuard => "border_guard",
        PoliceOfficer => "police_officer",
        ImmigrationOfficer => "immigration_officer",
        SireneOperator => "sirene_operator",
        PiuAnalyst => "piu_analyst",
        EtiasOfficer => "etias_officer",
        DataProtectionOfficer => "data_protection_officer",
        Admin => "admin",
        EesCentralAccessPoint => "ees_central_access_point",
        // A self-service kiosk or e-gate: submits travellers' own data for pre-enrolment only.
        Kiosk => "kiosk",
    }
);

vocabulary!(
    /// Why personal data is processed (the `Limes-Purpose` header); purpose limitation is the
    /// backbone of every access decision (LED Art 4(1)(b), GDPR Art 5(1)(b)).
    Purpose, "purpose", {
        BorderCheck => "border_check",
        LawEnforcement => "law_enforcement",
        Immigration => "immigration",
        PassengerScreening => "passenger_screening",
        EtiasAssessment => "etias_assessment",
        Audit => "audit",
        Administration => "administration",
    }
);

vocabulary!(
    /// What is done with the data; LED Art 25 logs distinguish consultation from alteration.
    Action, "action", {
        Search => "search",
        Read => "read",
        Write => "write",
        Delete => "delete",
    }
);

vocabulary!(
    /// Kinds of data the matrix distinguishes, as fine as the law distinguishes access to them.
    DataCategory, "data category", {
        UserAccount => "user_account",
        AuditJournal => "audit_journal",
        SisPerson => "sis_person",
        SisPersonSireneOnly => "sis_person_sirene_only",
        SisImmigration => "sis_immigration",
        SisUnknownWanted => "sis_unknown_wanted",
        SisObject => "sis_object",
        NationalWatchlist => "national_watchlist",
        LostStolenDocument => "lost_stolen_document",
        SireneCase => "sirene_case",
        EesRecord => "ees_record",
        Statistics => "statistics",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_roundtrip() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(*role));
        }
        for purpose in Purpose::ALL {
            assert_eq!(purpose.as_str().parse::<Purpose>(), Ok(*purpose));
        }
        let json = serde_json::to_string(&Purpose::BorderCheck).expect("serialises");
        assert_eq!(json, "\"border_check\"");
        assert!("root".parse::<Role>().is_err());
    }
}
