//! Accounts, the journal and the server process as an operator meets them: through `limes`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::{http, run, sqlite, start_server};

#[track_caller]
fn ok(args: &[&str], stdin: &str) -> String {
    let out = run(args, stdin);
    assert!(
        out.status.success(),
        "limes {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn setup(dir: &Path) -> String {
    let data = dir.to_str().expect("utf-8 path");
    ok(
        &[
            "admin",
            "create-user",
            "--data",
            data,
            "--name",
            "boss",
            "--role",
            "admin",
            "--password-stdin",
        ],
        "a-long-admin-password\n",
    );
    ok(
        &[
            "admin",
            "create-user",
            "--data",
            data,
            "--name",
            "ana",
            "--role",
            "border_guard",
            "--role",
            "police_officer",
            "--password-stdin",
        ],
        "a-long-guard-password\n",
    );
    let out = ok(
        &["admin", "create-token", "--data", data, "--name", "boss"],
        "",
    );
    out.lines()
        .last()
        .expect("token on the last line")
        .to_owned()
}

#[test]
fn admin_commands_and_the_access_matrix() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().to_str().expect("utf-8");
    let token = setup(dir.path());
    assert!(token.starts_with("lms_"), "{token}");
    let users = ok(&["admin", "list-users", "--data", data], "");
    assert!(
        users.contains("ana\tborder_guard,police_officer"),
        "{users}"
    );
    // Duplicates, unknown roles and short passwords are refused with a message.
    let dup = run(
        &[
            "admin",
            "create-user",
            "--data",
            data,
            "--name",
            "ana",
            "--role",
            "border_guard",
            "--password-stdin",
        ],
        "another-long-password\n",
    );
    assert!(!dup.status.success());
    assert!(String::from_utf8_lossy(&dup.stderr).contains("user ana exists"));
    let bad = run(
        &[
            "admin",
            "create-user",
            "--data",
            data,
            "--name",
            "x",
            "--role",
            "wizard",
            "--password-stdin",
        ],
        "another-long-password\n",
    );
    assert!(!bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("unknown role"));
    let tokens = ok(&["admin", "list-tokens", "--data", data], "");
    let id = tokens.split('\t').next().expect("id").to_owned();
    ok(&["admin", "revoke-token", "--data", data, "--id", &id], "");
    assert!(ok(&["admin", "list-tokens", "--data", data], "").contains("revoked"));
    assert!(
        !run(
            &["admin", "revoke-token", "--data", data, "--id", "nope"],
            ""
        )
        .status
        .success()
    );
    let matrix = ok(&["admin", "access-matrix"], "");
    assert!(
        matrix.contains("sirene_operator") && matrix.contains("26(4)"),
        "{matrix}"
    );
    // Every command above is in the journal, under the operator's name.
    let verify = ok(&["audit", "verify", "--data", data], "");
    assert!(verify.contains("\"ok\": true"), "{verify}");
}

#[test]
fn verify_detects_tampering_truncation_and_survives_prune() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().to_str().expect("utf-8");
    setup(dir.path());
    let checkpoint = ok(&["audit", "checkpoint", "--data", data], "");
    let cp_file = dir.path().join("cp.json");
    std::fs::write(&cp_file, &checkpoint).expect("writes");
    for _ in 0..3 {
        ok(&["admin", "list-users", "--data", data], "");
    }
    let cp = cp_file.to_str().expect("utf-8");
    ok(&["audit", "verify", "--data", data, "--against", cp], "");

    // Edit one entry's actor directly in the database.
    let db = sqlite(dir.path());
    db.execute(
        "UPDATE journal SET actor = 'someone-else' WHERE seq = 2",
        [],
    )
    .expect("edits");
    let out = run(&["audit", "verify", "--data", data], "");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("\"seq\": 2"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    drop(db);

    // Fresh directory: truncate behind the exported checkpoint, hiding the tracks in journal_heads.
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().to_str().expect("utf-8");
    setup(dir.path());
    let checkpoint = ok(&["audit", "checkpoint", "--data", data], "");
    std::fs::write(dir.path().join("cp.json"), &checkpoint).expect("writes");
    let cp_seq: i64 = serde_json::from_str::<serde_json::Value>(&checkpoint).expect("json")["seq"]
        .as_i64()
        .expect("seq");
    let db = sqlite(dir.path());
    db.execute("DELETE FROM journal WHERE seq >= ?1", [cp_seq - 1])
        .expect("truncates");
    db.execute(
        "DELETE FROM journal_checkpoints WHERE seq >= ?1",
        [cp_seq - 1],
    )
    .expect("hides checkpoints");
    let (seq, hash): (i64, Vec<u8>) = db
        .query_row(
            "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("new head");
    db.execute(
        "UPDATE journal_heads SET seq = ?1, hash = ?2",
        rusqlite::params![seq, hash],
    )
    .expect("fakes the head");
    drop(db);
    let cp = dir.path().join("cp.json");
    let out = run(
        &[
            "audit",
            "verify",
            "--data",
            data,
            "--against",
            cp.to_str().expect("utf-8"),
        ],
        "",
    );
    assert!(
        !out.status.success(),
        "truncation behind an exported checkpoint is detected"
    );

    // Prune: a third directory, everything before tomorrow goes, verification still passes.
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().to_str().expect("utf-8");
    setup(dir.path());
    let tomorrow = (time::OffsetDateTime::now_utc() + time::Duration::days(1))
        .date()
        .to_string();
    let report = ok(
        &["audit", "prune", "--data", data, "--before", &tomorrow],
        "",
    );
    assert!(report.contains("\"deleted\""), "{report}");
    let verify = ok(&["audit", "verify", "--data", data], "");
    assert!(verify.contains("\"ok\": true"), "{verify}");
}

#[test]
fn acknowledged_writes_survive_sigkill_and_the_chain_verifies() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().to_str().expect("utf-8");
    let token = setup(dir.path());
    let mut acknowledged: Vec<String> = Vec::new();
    for round in 0..4u64 {
        let server = start_server(data);
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let addr = server.addr.clone();
                let token = token.clone();
                let stop = stop.clone();
                std::thread::spawn(move || {
                    let mut acked = Vec::new();
                    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                        match http(&addr, "POST", "/api/v1/users/ana/tokens", Some(&token)) {
                            Ok((201, body)) => {
                                let json: serde_json::Value =
                                    serde_json::from_str(&body).expect("json body");
                                acked.push(json["id"].as_str().expect("id").to_owned());
                            }
                            Ok((status, body)) => panic!("unexpected {status}: {body}"),
                            Err(_) => break, // the server is gone
                        }
                    }
                    acked
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(300 + 150 * round));
        let pid = server.child.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-KILL", &pid])
                .status()
                .expect("kill")
                .success()
        );
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for worker in workers {
            acknowledged.extend(worker.join().expect("worker"));
        }
        drop(server);
        let listed = ok(
            &["admin", "list-tokens", "--data", data, "--name", "ana"],
            "",
        );
        let missing: Vec<_> = acknowledged
            .iter()
            .filter(|id| !listed.contains(id.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "round {round}: acknowledged but lost: {missing:?}"
        );
        let verify = ok(&["audit", "verify", "--data", data], "");
        assert!(verify.contains("\"ok\": true"), "{verify}");
    }
    assert!(
        acknowledged.len() > 20,
        "the load really ran: {} writes",
        acknowledged.len()
    );
}

#[test]
fn sigterm_drains_and_exits_zero() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().to_str().expect("utf-8");
    setup(dir.path());
    let mut server = start_server(data);
    assert_eq!(
        http(&server.addr, "GET", "/healthz", None)
            .expect("health")
            .0,
        200
    );
    let (status, body) = http(&server.addr, "GET", "/api/v1/me", None).expect("answers");
    assert_eq!(status, 401, "{body}");
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill")
            .success()
    );
    let started = Instant::now();
    loop {
        if let Some(status) = server.child.try_wait().expect("waits") {
            assert!(status.success(), "exit status {status}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
