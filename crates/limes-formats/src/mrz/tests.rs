//! Rules one at a time; the ICAO specimens as whole documents are snapshotted in `tests/it/mrz.rs`.

use limes_model::{PartialDate, Sex};
use time::macros::date;

use super::*;

const TODAY: Date = date!(2026 - 06 - 15);

const TD3: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                   L898902C36UTO7408122F1204159ZE184226B<<<<<10";

fn parse(text: &str) -> (Mrz, Vec<MrzIssue>) {
    match parse_mrz(text, TODAY) {
        Ok(parsed) => parsed,
        Err(error) => panic!("not an MRZ: {error}"),
    }
}

fn kinds(issues: &[MrzIssue]) -> Vec<(&'static str, &'static str)> {
    issues
        .iter()
        .map(|issue| (issue.field.as_str(), issue.kind.as_str()))
        .collect()
}

fn partial(text: &str) -> Option<PartialDate> {
    Some(text.parse().expect("test date"))
}

/// A TD3 zone for ERIKSSON ANNA with line 2 given up to its composite check digit, which is added.
fn td3_with(line2: &str) -> String {
    let bytes = line2.as_bytes();
    let composite = CheckSum::default()
        .feed(&bytes[0..10])
        .feed(&bytes[13..20])
        .feed(&bytes[21..43])
        .digit();
    format!(
        "P<UTOERIKSSON<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<<\n{line2}{}",
        char::from(composite)
    )
}

/// Replaces the character at 1-based (`line`, `column`) of a zone written with '\n'.
fn with_char(zone: &str, line: usize, column: usize, character: char) -> String {
    let mut lines: Vec<String> = zone.lines().map(str::to_owned).collect();
    let target = &mut lines[line - 1];
    target.replace_range(column - 1..column, &character.to_string());
    lines.join("\n")
}

// ICAO 9303-3 §4.9, worked examples and the value of every character class.

#[test]
fn check_digit_of_the_spec_examples() {
    assert_eq!(check_digit(b"L898902C3"), b'6');
    assert_eq!(check_digit(b"740812"), b'2');
    assert_eq!(check_digit(b"120415"), b'9');
    assert_eq!(check_digit(b"ZE184226B<<<<<"), b'1');
    assert_eq!(check_digit(b"D23145890734"), b'9');
}

#[test]
fn check_digit_weights_repeat_7_3_1() {
    assert_eq!(check_digit(b"1"), b'7');
    assert_eq!(check_digit(b"01"), b'3');
    assert_eq!(check_digit(b"001"), b'1');
    assert_eq!(check_digit(b"0001"), b'7');
    assert_eq!(check_digit(b"111"), b'1'); // 7 + 3 + 1 = 11
}

#[test]
fn check_digit_values_letters_10_to_35_and_filler_0() {
    assert_eq!(check_digit(b"A"), b'0'); // 10 × 7 = 70
    assert_eq!(check_digit(b"B"), b'7'); // 11 × 7 = 77
    assert_eq!(check_digit(b"Z"), b'5'); // 35 × 7 = 245
    assert_eq!(check_digit(b"<"), b'0');
    assert_eq!(check_digit(b"<<<<<<<<<"), b'0');
    assert_eq!(check_digit(b"0A"), b'0'); // 10 × 3 = 30
    assert_eq!(check_digit(b"00Z"), b'5'); // 35 × 1
    // Fillers never change a check digit, wherever they stand.
    assert_eq!(check_digit(b"AB<<<"), check_digit(b"AB"));
    // Lower case counts as upper case.
    assert_eq!(check_digit(b"l898902c3"), b'6');
    assert_eq!(check_digit(b""), b'0');
}

#[test]
fn td3_specimen_is_valid() {
    let (mrz, issues) = parse(TD3);
    assert_eq!(issues, vec![]);
    assert_eq!(mrz.format, MrzFormat::Td3);
    assert_eq!(mrz.document_type, "P");
    assert_eq!(mrz.surname, "ERIKSSON");
    assert_eq!(mrz.given_names, "ANNA MARIA");
    assert_eq!(mrz.document_number, "L898902C3");
    assert_eq!(mrz.birth_date, partial("1974-08-12"));
    assert_eq!(mrz.expiry_date, partial("2012-04-15"));
    assert_eq!(mrz.sex, Sex::F);
    assert_eq!(mrz.optional_data, "ZE184226B");
    assert_eq!(mrz.optional_data_2, None);
}

#[test]
fn each_check_digit_is_verified() {
    // (line, column, field, whether the composite covers it)
    let cases = [
        (2, 10, MrzField::DocumentNumber),
        (2, 20, MrzField::BirthDate),
        (2, 28, MrzField::ExpiryDate),
        (2, 43, MrzField::OptionalData),
    ];
    for (line, column, field) in cases {
        let broken = with_char(TD3, line, column, '5');
        let (_, issues) = parse(&broken);
        assert_eq!(
            kinds(&issues),
            vec![
                (field.as_str(), "check_digit"),
                ("composite", "check_digit")
            ],
            "{field}"
        );
        assert_eq!(
            check_passed(MrzFormat::Td3, &issues, field),
            Some(false),
            "{field}"
        );
    }
    let (_, issues) = parse(&with_char(TD3, 2, 44, '1'));
    assert_eq!(kinds(&issues), vec![("composite", "check_digit")]);
}

#[test]
fn composite_covers_data_without_own_check() {
    // Changing a covered data character and its own check digit consistently leaves only the
    // composite to catch it: 740812 -> 840812 (check 2 -> 9). (Not every position works: for some,
    // the two changes cancel out in the composite's weights.)
    assert_eq!(check_digit(b"840812"), b'9');
    let broken = with_char(&with_char(TD3, 2, 14, '8'), 2, 20, '9');
    let (mrz, issues) = parse(&broken);
    assert_eq!(mrz.birth_date, partial("1984-08-12"));
    assert_eq!(kinds(&issues), vec![("composite", "check_digit")]);
}

#[test]
fn empty_personal_number_may_have_filler_check() {
    let zone = td3_with("L898902C36UTO7408122F1204159<<<<<<<<<<<<<<<");
    let (_, issues) = parse(&zone);
    assert_eq!(issues, vec![]);
    let (_, issues) = parse(&with_char(&zone, 2, 43, '0'));
    assert_eq!(issues, vec![]);
}

#[test]
fn birth_century_is_never_in_the_future() {
    let born = |yymmdd: &str| {
        let (mrz, issues) = parse(&td3_with(&format!(
            "L898902C36UTO{yymmdd}{}F1204159ZE184226B<<<<<1",
            char::from(check_digit(yymmdd.as_bytes()))
        )));
        assert_eq!(issues, vec![], "{yymmdd}");
        mrz.birth_date.map(|date| date.to_string())
    };
    assert_eq!(born("270101").as_deref(), Some("1927-01-01")); // YY > today's YY
    assert_eq!(born("260616").as_deref(), Some("1926-06-16")); // tomorrow: last century
    assert_eq!(born("260615").as_deref(), Some("2026-06-15")); // born today
    assert_eq!(born("250101").as_deref(), Some("2025-01-01"));
    assert_eq!(born("000229").as_deref(), Some("2000-02-29"));
    assert_eq!(born("26<<<<").as_deref(), Some("2026-00-00"));
}

#[test]
fn expiry_is_in_this_century() {
    let (mrz, _) = parse(&td3_with("L898902C36UTO7408122F9912315<<<<<<<<<<<<<<<"));
    assert_eq!(mrz.expiry_date, partial("2099-12-31"));
}

#[test]
fn unknown_date_parts_read_as_zero() {
    // ICAO: unknown day and month are fillers; '<' counts 0 in the check digit.
    let (mrz, issues) = parse(&td3_with(&format!(
        "L898902C36UTO74<<<<{}F1204159<<<<<<<<<<<<<<<",
        char::from(check_digit(b"74<<<<"))
    )));
    assert_eq!(mrz.birth_date, partial("1974-00-00"));
    assert_eq!(issues, vec![]);
}

#[test]
fn impossible_dates_are_errors() {
    for dob in ["741312", "740431", "74<<12", "<<0812", "740230"] {
        let zone = format!(
            "P<UTOERIKSSON<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<<\nL898902C36UTO{dob}{}F1204159<<<<<<<<<<<<<<<0",
            char::from(check_digit(dob.as_bytes()))
        );
        let (mrz, issues) = parse(&zone);
        assert_eq!(mrz.birth_date, None, "{dob}");
        assert!(
            issues.iter().any(|issue| issue.field == MrzField::BirthDate
                && issue.kind == MrzIssueKind::InvalidDate),
            "{dob}: {issues:?}"
        );
    }
}

#[test]
fn sex_filler_is_x() {
    let (mrz, issues) = parse(&with_char(TD3, 2, 21, '<'));
    assert_eq!(mrz.sex, Sex::X);
    assert_eq!(kinds(&issues), vec![]);
    let (mrz, _) = parse(&with_char(TD3, 2, 21, 'X'));
    assert_eq!(mrz.sex, Sex::X);
    let (mrz, issues) = parse(&with_char(TD3, 2, 21, 'Q'));
    assert_eq!(mrz.sex, Sex::X);
    assert_eq!(kinds(&issues), vec![("sex", "invalid_value")]);
}

#[test]
fn letter_o_in_a_date_is_an_ocr_warning_not_a_fix() {
    // 740812 printed as 74O812: read as 1974-08-12 with a warning, but the check digit is computed
    // on the 'O' (value 24) and fails.
    let (mrz, issues) = parse(&with_char(TD3, 2, 16, 'O'));
    assert_eq!(mrz.birth_date, partial("1974-08-12"));
    assert_eq!(
        kinds(&issues),
        vec![
            ("birth_date", "ocr_confusion"),
            ("birth_date", "check_digit"),
            ("composite", "check_digit")
        ]
    );
    assert_eq!(issues[0].line, 2);
    assert_eq!(issues[0].column, 16);
}

#[test]
fn ocr_slips_in_names_states_and_check_digits() {
    let (mrz, issues) = parse(&with_char(TD3, 1, 9, '0'));
    assert_eq!(mrz.surname, "ERI0SSON");
    assert_eq!(kinds(&issues), vec![("surname", "ocr_confusion")]);
    let (mrz, issues) = parse(&with_char(TD3, 2, 13, '0'));
    assert_eq!(mrz.nationality, "UT0");
    assert_eq!(
        kinds(&issues),
        vec![("nationality", "ocr_confusion")],
        "nationality is outside the composite"
    );
    // The document number's check digit 6 printed as 'B' (value 11).
    let (_, issues) = parse(&with_char(TD3, 2, 10, 'B'));
    assert_eq!(
        kinds(&issues),
        vec![
            ("document_number", "ocr_confusion"),
            ("document_number", "check_digit"),
            ("composite", "check_digit")
        ]
    );
}

#[test]
fn characters_outside_the_alphabet_are_errors_in_place() {
    let (mrz, issues) = parse(&with_char(TD3, 1, 12, ' '));
    assert_eq!(mrz.surname, "ERIKSS N", "kept as printed");
    assert_eq!(kinds(&issues), vec![("surname", "invalid_character")]);
    let (_, issues) = parse(&with_char(TD3, 2, 3, 'é'));
    assert_eq!(
        kinds(&issues),
        vec![
            ("document_number", "invalid_character"),
            ("document_number", "check_digit"),
            ("composite", "check_digit")
        ]
    );
}

#[test]
fn input_whitespace_crlf_lower_case_and_one_line() {
    let (reference, _) = parse(TD3);
    let lines: Vec<&str> = TD3.lines().collect();
    for variant in [
        format!("\n\n  {}  \r\n\r\n\t{}\r\n\n", lines[0], lines[1]),
        TD3.to_lowercase(),
        format!("{}{}", lines[0], lines[1]),
        format!("{}\r{}", lines[0], lines[1]),
    ] {
        let (mrz, issues) = parse(&variant);
        assert_eq!(mrz, reference, "{variant:?}");
        assert_eq!(issues, vec![], "{variant:?}");
    }
}

#[test]
fn not_an_mrz() {
    assert_eq!(parse_mrz("", TODAY), Err(NotAnMrz::Empty));
    assert_eq!(parse_mrz(" \n\r\n ", TODAY), Err(NotAnMrz::Empty));
    let error = parse_mrz("this is not an mrz\n", TODAY).expect_err("junk");
    assert_eq!(
        error,
        NotAnMrz::Shape {
            lines: 1,
            lengths: vec![18]
        }
    );
    assert_eq!(
        error.to_string(),
        "not an MRZ: expected 3 lines of 30 characters (TD1), or 2 lines of 36 (TD2, MRV-B) or 44 \
         (TD3, MRV-A), got 1 line(s) of 18 characters"
    );
    // One line short of a passport.
    assert!(matches!(
        parse_mrz(&TD3[..87], TODAY),
        Err(NotAnMrz::Shape { .. })
    ));
    let prose = "The quick brown fox jumps over the lazy dog!\nThe quick brown fox jumps over the lazy dog!";
    assert!(matches!(
        parse_mrz(prose, TODAY),
        Err(NotAnMrz::Alphabet { .. })
    ));
}

#[test]
fn td1_long_document_number_continues_in_optional_data() {
    // ICAO 9303-11 Appendix D.2.
    let zone = "I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<";
    let (mrz, issues) = parse(zone);
    assert_eq!(issues, vec![]);
    assert_eq!(mrz.document_number, "D23145890734");
    assert_eq!(mrz.optional_data, "");
    assert_eq!(mrz.given_names, "PETER JOHN");
    // Its check digit changed: the number's check fails (and the composite, which covers it).
    let (_, issues) = parse(&with_char(zone, 1, 19, '8'));
    assert_eq!(
        kinds(&issues),
        vec![
            ("document_number", "check_digit"),
            ("composite", "check_digit")
        ]
    );
    assert_eq!((issues[0].line, issues[0].column), (1, 19));
    // '<' in the check position with nothing continuing: no check digit at all.
    let zone = "I<UTOD23145890<<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<8\nERIKSSON<<ANNA<MARIA<<<<<<<<<<";
    let (mrz, issues) = parse(zone);
    assert_eq!(mrz.document_number, "D23145890");
    assert!(kinds(&issues).contains(&("document_number", "check_digit")));
}

#[test]
fn td2_long_document_number_continues_in_optional_data() {
    let zone = "I<UTOSTEVENSON<<PETER<JOHN<<<<<<<<<<\nD23145890<UTO3407127M95071227349<<<8";
    let (mrz, issues) = parse(zone);
    assert_eq!(issues, vec![]);
    assert_eq!(mrz.document_number, "D23145890734");
}

#[test]
fn visas_have_no_composite_and_mrv_b_has_eight_optional_characters() {
    let mrv_a = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL8988901C4XXX4009078F96121096ZE184226B<<<<<<";
    let (mrz, issues) = parse(mrv_a);
    assert_eq!((mrz.format, issues), (MrzFormat::MrvA, vec![]));
    assert_eq!(mrz.optional_data, "6ZE184226B");
    assert_eq!(check_passed(mrz.format, &[], MrzField::Composite), None);
    assert_eq!(check_passed(mrz.format, &[], MrzField::OptionalData), None);
    let mrv_b = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL8988901C4XXX4009078F9612109<<<<<<<<";
    let (mrz, issues) = parse(mrv_b);
    assert_eq!((mrz.format, issues), (MrzFormat::MrvB, vec![]));
    // Position 36 is optional data on an MRV-B, not a composite check digit as on a TD2.
    let (mrz, issues) = parse(&with_char(mrv_b, 2, 36, 'Z'));
    assert_eq!(mrz.optional_data, "Z");
    assert_eq!(issues, vec![]);
}

#[test]
fn names_split_on_double_filler_and_join_with_one_space() {
    let zone = "P<UTOVAN<DER<BERG<<ANNA<<MARIA<<<<<<<<<<<<<<\n\
                L898902C36UTO7408122F1204159ZE184226B<<<<<10";
    let (mrz, _) = parse(zone);
    assert_eq!(mrz.surname, "VAN DER BERG");
    assert_eq!(mrz.given_names, "ANNA MARIA");
    let zone = "P<UTOERIKSSON<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n\
                L898902C36UTO7408122F1204159ZE184226B<<<<<10";
    let (mrz, issues) = parse(zone);
    assert_eq!(
        (mrz.surname.as_str(), mrz.given_names.as_str()),
        ("ERIKSSON", "")
    );
    assert_eq!(issues, vec![]);
    // A name filling the field up to the last position may have been cut.
    let zone = "P<UTOERIKSSON<<ANNAMARIAANNAMARIAANNAMARIAAB\n\
                L898902C36UTO7408122F1204159ZE184226B<<<<<10";
    let (_, issues) = parse(zone);
    assert_eq!(kinds(&issues), vec![("given_names", "possibly_truncated")]);
}

#[test]
fn issuing_state_and_document_type_without_fillers() {
    let zone = "IDD<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<\nT220001293D<<6408125F2010315<<<<<<<4";
    let (mrz, _) = parse(zone);
    assert_eq!(mrz.document_type, "ID");
    assert_eq!(mrz.issuing_state, "D");
    assert_eq!(mrz.nationality, "D");
}
