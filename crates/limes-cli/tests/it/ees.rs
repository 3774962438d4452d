//! `limes ees calc`: the JSON contract and its error cases.

use std::process::{Command, Output};

fn limes(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_limes"))
        .args(args)
        .output()
        .expect("the limes binary runs")
}

#[track_caller]
fn calc_json(args: &[&str]) -> serde_json::Value {
    let mut full = vec!["ees", "calc"];
    full.extend_from_slice(args);
    let output = limes(&full);
    assert!(
        output.status.success(),
        "exit {:?}, stderr {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is one JSON object")
}

#[track_caller]
fn calc_error(args: &[&str]) -> String {
    let mut full = vec!["ees", "calc"];
    full.extend_from_slice(args);
    let output = limes(&full);
    assert!(
        !output.status.success(),
        "expected failure, got {:?}",
        output
    );
    assert!(output.stdout.is_empty(), "no JSON on failure");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.trim().is_empty());
    stderr
}

#[test]
fn contract_example() {
    let out = calc_json(&[
        "--on",
        "2027-03-10",
        "--stay",
        "2027-01-01:2027-01-30",
        "--stay",
        "2027-03-01:2027-03-10",
        "--enter",
        "2027-04-01",
    ]);
    assert_eq!(
        out,
        serde_json::json!({"days_used": 40, "days_remaining": 50, "overstay_days": 0, "max_stay_days": 50})
    );
}

#[test]
fn without_enter_there_is_no_max_stay() {
    let out = calc_json(&["--on", "2027-03-10", "--stay", "2027-03-01:2027-03-10"]);
    assert_eq!(
        out,
        serde_json::json!({"days_used": 10, "days_remaining": 80, "overstay_days": 0})
    );
}

#[test]
fn open_stay_counts_up_to_on() {
    // SEM worked example 6: entry 19.09.2013 still open on 01.03.2014 is 164 days, 74 over.
    let out = calc_json(&[
        "--on",
        "2014-03-01",
        "--stay",
        "2013-06-28:2013-08-09",
        "--stay",
        "2013-09-19:",
    ]);
    assert_eq!(out["days_used"], 164);
    assert_eq!(out["overstay_days"], 74);
    assert_eq!(out["days_remaining"], 0);
}

#[test]
fn stays_in_any_order_and_overlapping() {
    let out = calc_json(&[
        "--on",
        "2027-02-01",
        "--stay",
        "2027-01-05:2027-01-15",
        "--stay",
        "2027-01-01:2027-01-10",
    ]);
    assert_eq!(out["days_used"], 15);
}

#[test]
fn no_stays_is_a_full_allowance() {
    let out = calc_json(&["--on", "2027-02-01", "--enter", "2027-02-02"]);
    assert_eq!(out["days_used"], 0);
    assert_eq!(out["max_stay_days"], 90);
}

#[test]
fn exit_before_entry_is_an_error() {
    let stderr = calc_error(&["--on", "2027-03-10", "--stay", "2027-03-05:2027-03-01"]);
    assert!(stderr.contains("before entry"), "{stderr}");
}

#[test]
fn impossible_date_is_an_error() {
    let stderr = calc_error(&["--on", "2027-02-30", "--stay", "2027-01-01:2027-01-02"]);
    assert!(stderr.contains("2027-02-30"), "{stderr}");
    calc_error(&["--on", "2027-03-10", "--stay", "2027-01-32:2027-02-01"]);
    calc_error(&["--on", "2027-03-10", "--stay", "2027-01-01:2027-13-01"]);
    calc_error(&["--on", "2027-03-10", "--enter", "tomorrow"]);
    calc_error(&["--on", "10.03.2027"]);
}

#[test]
fn malformed_stay_is_an_error() {
    let stderr = calc_error(&["--on", "2027-03-10", "--stay", "2027-01-01"]);
    assert!(stderr.contains("ENTRY:EXIT"), "{stderr}");
    calc_error(&["--on", "2027-03-10", "--stay", ":2027-01-01"]);
}

#[test]
fn stay_beginning_after_on_is_an_error() {
    let stderr = calc_error(&["--on", "2027-03-10", "--stay", "2027-04-01:2027-04-05"]);
    assert!(stderr.contains("after --on"), "{stderr}");
}

#[test]
fn missing_on_is_an_error() {
    calc_error(&["--stay", "2027-01-01:2027-01-02"]);
}

#[test]
fn bench_refuses_toy_sizes_without_small() {
    let output = limes(&["bench", "ees", "--records", "1000"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--small"));
}
