//! The `limes screen` and `limes generate persons` contracts, including their error cases.

use std::path::Path;
use std::process::{Command, Output};

fn limes(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_limes"))
        .args(args)
        .output()
        .expect("the limes binary runs")
}

fn write(dir: &Path, name: &str, lines: &[serde_json::Value]) -> String {
    let path = dir.join(name);
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&path, text).expect("temp file is writable");
    path.to_string_lossy().into_owned()
}

fn gallery(dir: &Path) -> String {
    write(
        dir,
        "g.jsonl",
        &[
            serde_json::json!({"id": "A1", "surname": "Lindqvist", "given_names": "Karin Sofia", "birth_date": "1979-06-02", "nationality": "SWE", "sex": "F"}),
            serde_json::json!({"id": "A2", "surname": "Okafor", "given_names": "Chinedu", "birth_date": "1990-00-00", "nationality": "NGA", "sex": "M", "aliases": [{"surname": "Okafor", "given_names": "Chinny"}]}),
            serde_json::json!({"id": "A3", "surname": "Haddad", "given_names": "Rami", "birth_date": null, "nationality": null, "sex": null, "documents": [{"number": "RL0042917", "country": "LBN"}]}),
            serde_json::json!({"id": "A4", "surname": "Müller", "given_names": "Hans Peter", "birth_date": "1970-03-04", "nationality": "D", "sex": "M"}),
            serde_json::json!({"id": "A5", "surname": "Mueller", "given_names": "Hans", "birth_date": "1948-11-21", "nationality": "DEU", "sex": "M"}),
        ],
    )
}

fn lines(output: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each stdout line is JSON"))
        .collect()
}

#[test]
fn one_line_per_probe_in_order_best_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let g = gallery(dir.path());
    let p = write(
        dir.path(),
        "p.jsonl",
        &[
            serde_json::json!({"id": "Q1", "surname": "LINDQVIST", "given_names": "KARIN", "birth_date": "1979-06-02", "nationality": "SWE", "sex": "F", "extra_field": "ignored"}),
            serde_json::json!({"id": "Q2", "surname": "Baptiste", "given_names": "Marie", "birth_date": "1955-12-24", "nationality": "HTI", "sex": "F"}),
            serde_json::json!({"id": "Q3", "surname": "Hans", "given_names": "Muller", "birth_date": "1970-04-03", "nationality": "DEU"}),
            serde_json::json!({"id": "Q4", "surname": "Hadad", "given_names": "R", "documents": [{"number": "RLO042917"}]}),
        ],
    );
    let output = limes(&["screen", "--gallery", &g, "--probes", &p]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rows = lines(&output);
    let ids: Vec<&str> = rows
        .iter()
        .map(|r| r["probe"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(ids, ["Q1", "Q2", "Q3", "Q4"]);
    assert_eq!(rows[0]["hits"][0]["id"], "A1");
    let score = rows[0]["hits"][0]["score"].as_f64().unwrap_or(-1.0);
    assert!((0.5..=1.0).contains(&score), "{score}");
    assert_eq!(rows[1]["hits"], serde_json::json!([]));
    // Order swap + day/month swap: Müller, not the namesake born 1948.
    let q3: Vec<&str> = rows[2]["hits"].as_array().map_or(vec![], |h| {
        h.iter().map(|x| x["id"].as_str().unwrap_or("")).collect()
    });
    assert_eq!(q3, ["A4"]);
    assert_eq!(rows[3]["hits"][0]["id"], "A3");
    assert!(rows.iter().all(|r| {
        r["hits"]
            .as_array()
            .is_some_and(|h| h.iter().all(|x| x.get("explanation").is_none()))
    }));
}

#[test]
fn threshold_max_hits_and_explain() {
    let dir = tempfile::tempdir().expect("temp dir");
    let g = gallery(dir.path());
    let p = write(
        dir.path(),
        "p.jsonl",
        &[
            serde_json::json!({"id": "Q", "surname": "Muller", "given_names": "Hans", "birth_date": null}),
        ],
    );
    let all = lines(&limes(&[
        "screen",
        "--gallery",
        &g,
        "--probes",
        &p,
        "--threshold",
        "0",
        "--max-hits",
        "1",
    ]));
    assert_eq!(all[0]["hits"].as_array().map(Vec::len), Some(1));
    let explained = lines(&limes(&[
        "screen",
        "--gallery",
        &g,
        "--probes",
        &p,
        "--threshold",
        "0",
        "--explain",
    ]));
    let hits = explained[0]["hits"].as_array().cloned().unwrap_or_default();
    assert!(hits.len() >= 2);
    let scores: Vec<f64> = hits
        .iter()
        .map(|h| h["score"].as_f64().unwrap_or(-1.0))
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    let text = hits[0]["explanation"].as_str().unwrap_or("");
    assert!(
        text.contains("surname: ") && text.contains("birth date: no data"),
        "{text}"
    );
}

#[test]
fn malformed_line_names_file_and_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let g = gallery(dir.path());
    let p = dir.path().join("p.jsonl");
    std::fs::write(&p, "{\"id\": \"Q1\", \"surname\": \"X\"}\n\n{not json\n").expect("writable");
    let output = limes(&["screen", "--gallery", &g, "--probes", &p.to_string_lossy()]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("p.jsonl: line 3"), "{stderr}");
    assert!(output.stdout.is_empty());

    std::fs::write(&p, "{\"id\": \"Q1\", \"birth_date\": \"1979-13-01\"}\n").expect("writable");
    let output = limes(&["screen", "--gallery", &g, "--probes", &p.to_string_lossy()]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("line 1"));

    let dup = write(
        dir.path(),
        "dup.jsonl",
        &[
            serde_json::json!({"id": "A"}),
            serde_json::json!({"id": "A"}),
        ],
    );
    let output = limes(&[
        "screen",
        "--gallery",
        &dup,
        "--probes",
        &p.to_string_lossy(),
    ]);
    assert!(!output.status.success());

    let output = limes(&[
        "screen",
        "--gallery",
        "/nonexistent/g.jsonl",
        "--probes",
        &p.to_string_lossy(),
    ]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("/nonexistent/g.jsonl"));
}

#[test]
fn generate_then_evaluate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("data");
    let out_s = out.to_string_lossy().into_owned();
    let output = limes(&[
        "generate",
        "persons",
        "--count",
        "600",
        "--variants",
        "2",
        "--seed",
        "5",
        "--out",
        &out_s,
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let again = dir.path().join("again");
    let again_s = again.to_string_lossy().into_owned();
    assert!(
        limes(&[
            "generate",
            "persons",
            "--count",
            "600",
            "--variants",
            "2",
            "--seed",
            "5",
            "--out",
            &again_s
        ])
        .status
        .success()
    );
    for name in ["gallery.jsonl", "probes.jsonl", "truth.jsonl"] {
        assert_eq!(
            std::fs::read(out.join(name)).ok(),
            std::fs::read(again.join(name)).ok(),
            "{name} is deterministic"
        );
    }
    let truth = std::fs::read_to_string(out.join("truth.jsonl")).unwrap_or_default();
    assert_eq!(truth.lines().count(), 300 * 3);
    let output = limes(&[
        "screen",
        "--gallery",
        &format!("{out_s}/gallery.jsonl"),
        "--probes",
        &format!("{out_s}/probes.jsonl"),
        "--truth",
        &format!("{out_s}/truth.jsonl"),
    ]);
    assert!(output.status.success());
    assert_eq!(lines(&output).len(), 900);
    let report = String::from_utf8_lossy(&output.stderr);
    assert!(
        report.contains("overall") && report.contains("east_slavic"),
        "{report}"
    );
    // 300 no-match probes over twelve cultures: the fairness line says the counts are too few.
    assert!(
        report.contains("fairness: culture false hits from")
            && report.contains("fewer than the 2,000"),
        "{report}"
    );
}

#[test]
fn bench_refuses_toy_sizes() {
    let output = limes(&["bench", "screen", "--gallery-size", "1000"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--small"));
}

#[test]
fn the_report_sets_apart_no_match_probes_that_have_a_double() {
    let dir = tempfile::tempdir().expect("temp dir");
    let g = write(
        dir.path(),
        "g.jsonl",
        &[
            serde_json::json!({"id": "N1", "surname": "Nguyễn", "given_names": "Thị Hà", "birth_date": "1946-00-00", "nationality": "VNM", "sex": "F"}),
            serde_json::json!({"id": "N2", "surname": "Lindqvist", "given_names": "Karin", "birth_date": "1979-06-02", "nationality": "SWE", "sex": "F"}),
        ],
    );
    // Someone else with N1's name, born in N1's year: she hits, as N1 herself would.
    let p = write(
        dir.path(),
        "p.jsonl",
        &[
            serde_json::json!({"id": "V1", "surname": "NGUYEN", "given_names": "THI HA", "birth_date": "1946-11-29", "nationality": "VNM", "sex": "F", "culture": "vietnamese"}),
            serde_json::json!({"id": "V2", "surname": "Trần", "given_names": "Văn Long", "birth_date": "1980-01-01", "nationality": "VNM", "sex": "M", "culture": "vietnamese"}),
            serde_json::json!({"id": "S1", "surname": "Ekberg", "given_names": "Astrid", "birth_date": "1960-01-01", "nationality": "SWE", "sex": "F", "culture": "nordic"}),
        ],
    );
    let t = write(
        dir.path(),
        "t.jsonl",
        &[
            serde_json::json!({"id": "V1", "truth": null}),
            serde_json::json!({"id": "V2", "truth": null}),
            serde_json::json!({"id": "S1", "truth": null}),
        ],
    );
    let output = limes(&["screen", "--gallery", &g, "--probes", &p, "--truth", &t]);
    assert!(output.status.success());
    assert_eq!(lines(&output)[0]["hits"][0]["id"], "N1");
    let report = String::from_utf8_lossy(&output.stderr);
    assert!(
        report.contains("to 50.00 % (vietnamese)") && report.contains(": not met\n"),
        "{report}"
    );
    assert!(
        report.contains("without the 1 no-match probes that have a gallery double")
            && report.contains("most in vietnamese, 50.00 %")
            && report.contains("to 0.00 % (")
            && report
                .trim_end()
                .lines()
                .any(|l| l.starts_with("  without") && l.ends_with(": met")),
        "{report}"
    );
}
