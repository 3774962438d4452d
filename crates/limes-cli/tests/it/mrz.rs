//! `limes mrz parse`: the JSON contract on the ICAO specimens, a wrong check digit, and junk.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

fn limes_mrz_parse(stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_limes"))
        .args(["mrz", "parse"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the limes binary runs");
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(stdin.as_bytes())
        .expect("stdin written");
    child.wait_with_output().expect("limes finishes")
}

#[track_caller]
fn parse_ok(stdin: &str) -> Value {
    let output = limes_mrz_parse(stdin);
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

#[test]
fn td3_specimen_prints_the_whole_contract() {
    let out = parse_ok(
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10\n",
    );
    assert_eq!(
        out,
        json!({
            "document_type": "P",
            "issuing_state": "UTO",
            "surname": "ERIKSSON",
            "given_names": "ANNA MARIA",
            "document_number": "L898902C3",
            "nationality": "UTO",
            "birth_date": "1974-08-12",
            "sex": "F",
            "expiry_date": "2012-04-15",
            "optional_data": "ZE184226B",
            "checks": {"document_number": true, "birth_date": true, "expiry_date": true,
                       "optional_data": true, "composite": true},
            "errors": [],
            "warnings": [],
            "valid": true
        })
    );
}

#[test]
fn td1_specimen_has_optional_data_2() {
    let out = parse_ok(
        "I<UTOD231458907<<<<<<<<<<<<<<<\r\n7408122F1204159UTO<<<<<<<<<<<6\r\nERIKSSON<<ANNA<MARIA<<<<<<<<<<\r\n",
    );
    assert_eq!(out["document_type"], "I");
    assert_eq!(out["document_number"], "D23145890");
    assert_eq!(out["optional_data_2"], "");
    assert_eq!(out["valid"], true);
}

#[test]
fn mrv_b_has_every_checks_key() {
    let out =
        parse_ok("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL8988901C4XXX4009078F9612109<<<<<<<<\n");
    assert_eq!(out["document_type"], "V");
    assert_eq!(out["nationality"], "XXX");
    assert_eq!(out["birth_date"], "1940-09-07");
    assert_eq!(
        out["checks"],
        json!({"document_number": true, "birth_date": true, "expiry_date": true,
               "optional_data": true, "composite": true})
    );
    assert!(out.get("optional_data_2").is_none());
}

#[test]
fn wrong_check_digit_names_the_field() {
    let out = parse_ok(
        "p<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<<\nl898902c36uto7408125f1204159ze184226b<<<<<10\n",
    );
    assert_eq!(out["valid"], false);
    assert_eq!(out["errors"], json!(["birth_date", "composite"]));
    assert_eq!(out["checks"]["birth_date"], false);
    assert_eq!(out["checks"]["document_number"], true);
}

#[test]
fn ocr_slip_is_a_warning() {
    let out = parse_ok(
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO74O8122F1204159ZE184226B<<<<<10\n",
    );
    assert_eq!(
        out["warnings"],
        json!([{"field": "birth_date", "kind": "ocr_confusion"}])
    );
    assert_eq!(out["valid"], false);
}

#[test]
fn junk_exits_non_zero_with_the_reason() {
    let output = limes_mrz_parse("this is not an mrz\n");
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not an MRZ"), "{stderr}");
    assert!(stderr.contains("18 characters"), "{stderr}");
}
