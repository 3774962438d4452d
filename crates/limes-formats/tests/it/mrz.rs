//! The ICAO 9303 specimens as whole documents (snapshots), the emit→parse round trip, no panic on
//! any input, and the fuzz seed corpus replayed as an ordinary test.

use limes_formats::{Mrz, MrzFormat, MrzIssue, parse_mrz};
use limes_model::{PartialDate, Sex};
use proptest::prelude::*;
use time::macros::date;

const TODAY: time::Date = date!(2026 - 06 - 15);

fn dump(text: &str) -> serde_json::Value {
    match parse_mrz(text, TODAY) {
        Ok((mrz, issues)) => serde_json::json!({ "mrz": mrz, "issues": issues }),
        Err(error) => serde_json::json!({ "not_an_mrz": error.to_string() }),
    }
}

#[track_caller]
fn check(name: &str, text: &str) {
    insta::assert_json_snapshot!(name, dump(text));
}

// ICAO 9303 Part 4 Appendix B (TD3 passport).
#[test]
fn td3_specimen() {
    check(
        "td3_specimen",
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
    );
}

// ICAO 9303 Part 5 Appendix B (TD1 card).
#[test]
fn td1_specimen() {
    check(
        "td1_specimen",
        "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    );
}

// ICAO 9303 Part 6 Appendix B (TD2).
#[test]
fn td2_specimen() {
    check(
        "td2_specimen",
        "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6",
    );
}

// ICAO 9303 Part 7 Appendix B (MRV-A and MRV-B visas; nationality XXX, unspecified).
#[test]
fn mrv_a_specimen() {
    check(
        "mrv_a_specimen",
        "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL8988901C4XXX4009078F96121096ZE184226B<<<<<<",
    );
}

#[test]
fn mrv_b_specimen() {
    check(
        "mrv_b_specimen",
        "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL8988901C4XXX4009078F9612109<<<<<<<<",
    );
}

// ICAO 9303 Part 11 Appendix D.2: a TD1 document number of 12 characters.
#[test]
fn td1_long_document_number() {
    check(
        "td1_long_document_number",
        "I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<",
    );
}

#[test]
fn td3_bad_birth_date_check_digit() {
    check(
        "td3_bad_birth_date_check_digit",
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408123F1204159ZE184226B<<<<<10",
    );
}

#[test]
fn td3_ocr_slips() {
    // O for 0 in the birth date, 1 printed as I in the expiry date, 0 for O in the surname.
    check(
        "td3_ocr_slips",
        "P<UTOERIKSS0N<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO74O8122F12O4159ZE184226B<<<<<10",
    );
}

#[test]
fn junk() {
    check("junk", "this is not an mrz\n");
}

/// A document whose every field fits its layout, in the MRZ alphabet, with a birth date not after
/// `TODAY` (so the century resolves back to it).
fn document() -> impl Strategy<Value = Mrz> {
    let format = prop_oneof![
        Just(MrzFormat::Td1),
        Just(MrzFormat::Td2),
        Just(MrzFormat::Td3),
        Just(MrzFormat::MrvA),
        Just(MrzFormat::MrvB),
    ];
    let word = "[A-Z]{1,8}";
    let names = (
        proptest::collection::vec(word, 1..3),
        proptest::collection::vec(word, 0..3),
    );
    let birth = (1927u16..=2026, 0u8..=12, 0u8..=31);
    let expiry = (2000u16..=2099, 1u8..=12, 1u8..=31);
    let sex = prop_oneof![Just(Sex::M), Just(Sex::F), Just(Sex::X)];
    (
        format,
        ("[A-Z]{1,2}", "[A-Z]{1,3}", "[A-Z]{1,3}"),
        names,
        "[A-Z0-9]{1,12}",
        (birth, expiry, sex),
        ("[A-Z0-9]{0,16}", "[A-Z0-9]{0,11}"),
    )
        .prop_filter_map(
            "fields must fit the layout",
            |(format, codes, (surname, given), number, dates, optional)| {
                let (document_type, issuing_state, nationality) = codes;
                let ((by, bm, bd), (ey, em, ed), sex) = dates;
                let birth_date = PartialDate::new(by, bm, if bm == 0 { 0 } else { bd }).ok()?;
                if birth_date > PartialDate::from(TODAY) {
                    return None;
                }
                let expiry_date = PartialDate::new(ey, em, ed).ok()?;
                let surname = surname.join(" ");
                let given_names = given.join(" ");
                let name_len = surname.len() + 2 + given_names.len();
                // Leave the last position free, so no "possibly truncated" warning.
                if name_len >= format.name_len() {
                    return None;
                }
                // The first letter tells a visa (V) from a TD2/TD3 of the same size.
                let document_type = match format {
                    MrzFormat::MrvA | MrzFormat::MrvB => format!("V{}", &document_type[1..]),
                    _ if document_type.starts_with('V') => return None,
                    _ => document_type,
                };
                let (optional_data, optional_2) = optional;
                let long = number.len() > 9;
                let room = format.optional_data_len() - if long { number.len() - 9 + 2 } else { 0 };
                if long && !matches!(format, MrzFormat::Td1 | MrzFormat::Td2) {
                    return None;
                }
                if optional_data.len() > room {
                    return None;
                }
                Some(Mrz {
                    format,
                    document_type,
                    issuing_state,
                    surname,
                    given_names,
                    document_number: number,
                    nationality,
                    birth_date: Some(birth_date),
                    sex,
                    expiry_date: Some(expiry_date),
                    optional_data,
                    optional_data_2: (format == MrzFormat::Td1).then_some(optional_2),
                })
            },
        )
}

proptest! {
    #[test]
    fn emit_then_parse_gives_the_document_back(mrz in document()) {
        let zone = mrz.emit().map_err(|error| TestCaseError::fail(error.to_string()))?;
        let lines: Vec<&str> = zone.lines().collect();
        prop_assert_eq!(lines.len(), mrz.format.line_count());
        prop_assert!(lines.iter().all(|line| line.len() == mrz.format.line_len()));
        let parsed = parse_mrz(&zone, TODAY);
        prop_assert_eq!(parsed, Ok((mrz, Vec::<MrzIssue>::new())), "{}", zone);
    }

    #[test]
    fn parse_never_panics(text in "\\PC{0,100}") {
        let _ = parse_mrz(&text, TODAY);
    }

    /// Damage near-MRZ text (a valid zone with characters replaced) rather than only random text,
    /// which is almost never the right shape.
    #[test]
    fn damaged_zones_never_panic(
        mrz in document(),
        damage in proptest::collection::vec((0usize..90, "[\\PC<\n ]"), 0..8),
    ) {
        let Ok(zone) = mrz.emit() else { return Ok(()) };
        let mut characters: Vec<String> = zone.chars().map(String::from).collect();
        for (at, replacement) in damage {
            if let Some(slot) = characters.get_mut(at) {
                *slot = replacement;
            }
        }
        let damaged: String = characters.concat();
        if let Ok((read, _)) = parse_mrz(&damaged, TODAY)
            && let Ok(again) = read.emit()
        {
            prop_assert!(parse_mrz(&again, TODAY).is_ok());
        }
    }
}

/// The fuzz target's committed seeds, so `cargo test` catches a regression without cargo-fuzz.
#[test]
fn fuzz_seed_corpus_never_panics() {
    let directory =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/mrz_never_panics");
    let mut seeds = 0;
    for entry in std::fs::read_dir(&directory).expect("the seed corpus is committed") {
        let path = entry.expect("readable directory").path();
        let data = std::fs::read(&path).expect("readable seed");
        let text = String::from_utf8_lossy(&data);
        if let Ok((mrz, _)) = parse_mrz(&text, TODAY)
            && let Ok(zone) = mrz.emit()
        {
            assert!(parse_mrz(&zone, TODAY).is_ok(), "{}", path.display());
        }
        seeds += 1;
    }
    assert!(seeds >= 10, "only {seeds} seeds in {}", directory.display());
}
