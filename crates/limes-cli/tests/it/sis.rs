//! `limes import` (all or nothing, one journal entry) and `limes check` (exit codes) through the
//! real binary and a real server.

use std::path::Path;

use std::time::Duration;

use limes_hub::border::passport_mrz;

use crate::support::{run, sqlite, start_server};
use limes_model::{PartialDate, Sex};

fn count(dir: &Path, sql: &str) -> i64 {
    sqlite(dir)
        .query_row(sql, [], |row| row.get(0))
        .expect("counts")
}

const GOOD: &str = r#"{"id":"a1","kind":"person","category":"arrest","identity":{"id":"x","surname":"MUELLER","given_names":"HANS","birth_date":"1970-03-04"},"action":"arrest","issuing_country":"DEU","expires_at":"2030-01-01"}
{"id":"o1","kind":"object","category":"document_issued","object":{"type":"passport","number":"STOLEN123","country":"FRA"},"action":"seize","issuing_country":"FRA","expires_at":"2030-01-01"}
"#;

#[test]
fn import_is_all_or_nothing_and_journalled_once() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().to_str().expect("utf-8");
    let bad = dir.path().join("bad.jsonl");
    let mut text = GOOD.to_owned();
    text.push_str("{\"id\":\"u1\",\"kind\":\"person\",\"category\":\"unknown_wanted\",\"identity\":{\"id\":\"x\",\"surname\":\"X\"},\"action\":\"a\",\"issuing_country\":\"BEL\",\"expires_at\":\"2030-01-01\"}\nnot json\n");
    std::fs::write(&bad, text).expect("writes");
    let out = run(
        &[
            "import",
            "sis",
            "--data",
            data,
            "--quiet",
            bad.to_str().expect("utf-8"),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad.jsonl:3: unknown_wanted"), "{stderr}");
    assert!(stderr.contains("bad.jsonl:4:"), "{stderr}");
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    assert!(
        !dir.path().join("limes.db").exists()
            || count(dir.path(), "SELECT count(*) FROM records") == 0
    );

    let good = dir.path().join("good.jsonl");
    std::fs::write(&good, GOOD).expect("writes");
    let out = run(
        &[
            "import",
            "sis",
            "--data",
            data,
            "--quiet",
            good.to_str().expect("utf-8"),
        ],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    assert_eq!(report["count"], 2);
    assert_eq!(
        (report["first_id"].as_str(), report["last_id"].as_str()),
        (Some("a1"), Some("o1"))
    );
    assert_eq!(report["sha256"].as_str().map(str::len), Some(64));
    assert_eq!(
        count(
            dir.path(),
            "SELECT count(*) FROM records WHERE kind = 'sis_alert'"
        ),
        2
    );
    assert_eq!(
        count(
            dir.path(),
            "SELECT count(*) FROM journal WHERE action = 'sis.import'"
        ),
        1
    );
    let query: String = sqlite(dir.path())
        .query_row(
            "SELECT query FROM journal WHERE action = 'sis.import'",
            [],
            |r| r.get(0),
        )
        .expect("entry");
    assert!(
        query.contains(report["sha256"].as_str().expect("hash")),
        "{query}"
    );

    let docs = dir.path().join("docs.jsonl");
    std::fs::write(
        &docs,
        "{\"id\":\"l1\",\"number\":\"P9988776\",\"country\":\"NLD\",\"status\":\"stolen\"}\n",
    )
    .expect("writes");
    let out = run(
        &[
            "import",
            "documents",
            "--data",
            data,
            "--quiet",
            docs.to_str().expect("utf-8"),
        ],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        count(
            dir.path(),
            "SELECT count(*) FROM records WHERE kind = 'lost_document'"
        ),
        1
    );
}

fn date(y: u16, m: u8, d: u8) -> PartialDate {
    PartialDate::new(y, m, d).expect("date")
}

#[test]
fn check_prints_the_answer_and_exits_by_outcome() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().to_str().expect("utf-8");
    let good = dir.path().join("good.jsonl");
    std::fs::write(&good, GOOD).expect("writes");
    assert!(
        run(
            &[
                "import",
                "sis",
                "--data",
                data,
                "--quiet",
                good.to_str().expect("utf-8")
            ],
            ""
        )
        .status
        .success()
    );
    let out = run(
        &[
            "admin",
            "create-user",
            "--data",
            data,
            "--name",
            "guard",
            "--role",
            "border_guard",
            "--password-stdin",
        ],
        "a-long-guard-password\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(
        &["admin", "create-token", "--data", data, "--name", "guard"],
        "",
    );
    let token = String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .expect("token")
        .to_owned();
    let server = start_server(data);
    let url = format!("http://{}", server.addr);
    let check = |mrz: &str, token: &str| {
        run(
            &[
                "check",
                "--server",
                &url,
                "--token",
                token,
                "--crossing-point",
                "FRA-CDG",
                "--direction",
                "entry",
            ],
            mrz,
        )
    };
    let mrz = |surname: &str, number: &str, expiry: PartialDate| {
        passport_mrz(
            surname,
            "ANNA",
            number,
            "FRA",
            "FRA",
            date(1980, 1, 1),
            Sex::F,
            expiry,
        )
        .expect("mrz")
    };

    // The server may still be building its indexes: retry the first call briefly.
    let mut clean = check(&mrz("LEGRAND", "AB1234567", date(2031, 1, 1)), &token);
    for _ in 0..40 {
        if clean.status.code() != Some(1) {
            break;
        }
        std::thread::sleep(Duration::from_millis(250));
        clean = check(&mrz("LEGRAND", "AB1234567", date(2031, 1, 1)), &token);
    }
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );
    let answer: serde_json::Value = serde_json::from_slice(&clean.stdout).expect("json");
    assert_eq!(answer["hits"], serde_json::json!([]));

    let stolen = check(&mrz("LEGRAND", "STOLEN123", date(2031, 1, 1)), &token);
    assert_eq!(
        stolen.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&stolen.stdout)
    );

    let expired = check(&mrz("LEGRAND", "AB1234567", date(2020, 1, 1)), &token);
    assert_eq!(
        expired.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&expired.stdout)
    );

    let denied = check(
        &mrz("LEGRAND", "AB1234567", date(2031, 1, 1)),
        "lms_not-a-token",
    );
    assert_eq!(denied.status.code(), Some(1));

    let not_mrz = check("hello", &token);
    assert_eq!(not_mrz.status.code(), Some(1));

    // An import made by the CLI while the server runs is seen at the next check (outbox).
    let docs = dir.path().join("docs.jsonl");
    std::fs::write(
        &docs,
        "{\"id\":\"l1\",\"number\":\"LOST99999\",\"country\":\"FRA\",\"status\":\"lost\"}\n",
    )
    .expect("writes");
    let out = run(
        &[
            "import",
            "documents",
            "--data",
            data,
            "--quiet",
            docs.to_str().expect("utf-8"),
        ],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lost = check(&mrz("LEGRAND", "LOST99999", date(2031, 1, 1)), &token);
    assert_eq!(
        lost.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&lost.stdout)
    );

    let usage = run(
        &[
            "check",
            "--server",
            &url,
            "--token",
            &token,
            "--direction",
            "sideways",
        ],
        "",
    );
    assert_eq!(usage.status.code(), Some(2));
}
