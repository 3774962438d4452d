//! The shipped matrix against an independently written expectation: a function written from the
//! legal digest, not generated from the TOML, compared for every tuple that exists.

use super::*;
use Action::*;
use DataCategory::*;
use Purpose::*;
use Role::*;

fn expected(role: Role, purpose: Purpose, action: Action, category: DataCategory) -> bool {
    let consult = matches!(action, Search | Read);
    match (role, purpose) {
        (DataProtectionOfficer, Audit) => consult && matches!(category, AuditJournal | Statistics),
        (Admin, Administration) => {
            category == UserAccount || (category == Statistics && action == Read)
        }
        (BorderGuard, BorderCheck) => match category {
            SisPerson | SisImmigration | SisObject | NationalWatchlist | LostStolenDocument => {
                consult
            }
            EesRecord => action != Delete,
            SireneCase => action == Write,
            _ => false,
        },
        (PoliceOfficer, LawEnforcement) => match category {
            SisPerson | SisImmigration | SisObject | NationalWatchlist | LostStolenDocument => {
                consult
            }
            SisUnknownWanted => action == Search,
            SireneCase => action == Write,
            // EES Art 29(1), 32: a designated authority may ask (search) and, after the central
            // access point's verification, read; never write or delete.
            EesRecord => consult,
            _ => false,
        },
        // EES Art 29(3): the central access point decides on requests, and does nothing else.
        (EesCentralAccessPoint, LawEnforcement) => category == EesRecord && action == Write,
        // SBC Arts 8a-8e (Reg 2017/2225): a self-service system enters the traveller's own data
        // for the guard to confirm. Entering is a write; it never needs to see anything, so no
        // search or read of any category, and nothing outside the border check.
        (Kiosk, BorderCheck) => category == EesRecord && action == Write,
        (ImmigrationOfficer, Immigration) => {
            consult && matches!(category, SisImmigration | LostStolenDocument | EesRecord)
        }
        (SireneOperator, LawEnforcement) => match category {
            SisPerson | SisPersonSireneOnly | SisImmigration | SisUnknownWanted | SisObject
            | SireneCase => true,
            NationalWatchlist | LostStolenDocument => consult,
            _ => false,
        },
        (PiuAnalyst, PassengerScreening) => {
            action == Search
                && matches!(
                    category,
                    SisPerson | SisObject | NationalWatchlist | LostStolenDocument
                )
        }
        (EtiasOfficer, EtiasAssessment) => {
            consult
                && matches!(
                    category,
                    SisPerson
                        | SisImmigration
                        | SisObject
                        | NationalWatchlist
                        | LostStolenDocument
                        | EesRecord
                )
        }
        _ => false,
    }
}

#[test]
fn shipped_matrix_matches_the_independent_table_for_every_tuple() {
    let matrix = AccessMatrix::shipped();
    let mut mismatches = Vec::new();
    let mut count = 0;
    for role in Role::ALL {
        for purpose in Purpose::ALL {
            for action in Action::ALL {
                for category in DataCategory::ALL {
                    count += 1;
                    let want = expected(*role, *purpose, *action, *category);
                    let got = matrix.allows(*role, *purpose, *action, *category);
                    if want != got {
                        mismatches.push(format!(
                            "{role} {purpose} {action} {category}: matrix says {got}, table says {want}"
                        ));
                    }
                }
            }
        }
    }
    assert_eq!(
        count,
        Role::ALL.len() * Purpose::ALL.len() * 4 * DataCategory::ALL.len()
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn sirene_only_alerts_are_sirene_only() {
    let matrix = AccessMatrix::shipped();
    for role in Role::ALL.iter().filter(|role| **role != SireneOperator) {
        for purpose in Purpose::ALL {
            assert!(
                matrix
                    .decide(&[*role], *purpose, Read, SisPersonSireneOnly)
                    .is_none()
            );
        }
    }
}

#[test]
fn purposes_follow_roles() {
    let matrix = AccessMatrix::shipped();
    assert_eq!(matrix.purposes_for(&[BorderGuard]), vec![BorderCheck]);
    assert_eq!(
        matrix.purposes_for(&[BorderGuard, PoliceOfficer]),
        vec![BorderCheck, LawEnforcement]
    );
    assert_eq!(
        matrix.purposes_for(&[EesCentralAccessPoint]),
        vec![LawEnforcement]
    );
    assert_eq!(matrix.purposes_for(&[Kiosk]), vec![BorderCheck]);
}

#[test]
fn bad_configuration_is_refused() {
    assert!(AccessMatrix::parse("[[rule]]\nrole = \"root\"\npurpose = \"audit\"\nactions = []\ncategories = []\nlegal = \"x\"\n").is_err());
    assert!(AccessMatrix::parse("[[rule]]\nrole = \"admin\"\npurpose = \"audit\"\nactions = [\"read\"]\ncategories = [\"statistics\"]\nlegal = \" \"\n").is_err());
    let rendered = AccessMatrix::shipped().render();
    assert!(rendered.contains("26(4)"));
}
