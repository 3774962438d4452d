//! `limes bench journal`: audited reads through the whole stack (HTTP → token → gate → durable
//! journal entry → response) over loopback, then the speed of `audit verify`.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use limes_hub::NewEntry;
use serde_json::json;

use super::common::{StoreArgs, open_hub, runtime};
use super::loadgen;
use super::serve::BenchJournalArgs;

pub fn run(args: BenchJournalArgs) -> anyhow::Result<ExitCode> {
    if !args.small {
        anyhow::ensure!(
            args.requests >= 100_000 && args.verify_entries >= 1_000_000,
            "the issue's figures need --requests >= 100000 and --verify-entries >= 1000000; pass --small for a toy run"
        );
    }
    runtime()?.block_on(run_async(args))
}

fn temp_dir() -> anyhow::Result<std::path::PathBuf> {
    let name = format!(
        "limes-bench-{}",
        hex::encode(limes_hub::credentials::random_bytes::<6>()?)
    );
    let dir = std::env::temp_dir().join(name);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

async fn run_async(args: BenchJournalArgs) -> anyhow::Result<ExitCode> {
    let dir = temp_dir()?;
    let store_args = StoreArgs {
        data: dir.clone(),
        database: args.database.clone(),
        audit_key: Some(dir.join("audit.key")),
        node: "bench".to_owned(),
        access_matrix: None,
        member_state: limes_hub::ees::DEFAULT_MEMBER_STATE.to_owned(),
    };
    let hub = Arc::new(open_hub(&store_args).await?);
    let (token, addr) = super::bench::serve_for_bench_guard(&hub).await?;
    println!(
        "bench journal: backend {} ({}), data {}",
        hub.store().backend_name(),
        hub.store().sync_mode(),
        dir.display()
    );
    println!(
        "audited reads: {} GET /api/v1/me over loopback, {} keep-alive connections, client in-process",
        args.requests, args.concurrency
    );

    let commits_before = hub.store().commits();
    let next = Arc::new(AtomicUsize::new(0));
    let bearer = format!("Bearer {token}");
    let request = Arc::new(loadgen::request(
        "GET",
        addr,
        "/api/v1/me",
        &[
            ("authorization", &bearer),
            ("limes-purpose", "border_check"),
        ],
        None,
    ));
    let mut conns = Vec::with_capacity(args.concurrency);
    for _ in 0..args.concurrency {
        conns.push(loadgen::Conn::connect(addr).await?);
    }
    let started = Instant::now();
    let mut tasks = Vec::new();
    for mut conn in conns {
        let next = next.clone();
        let request = request.clone();
        let total = args.requests;
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut failures = 0usize;
            while next.fetch_add(1, Ordering::Relaxed) < total {
                let sent = Instant::now();
                match conn.send(&request).await {
                    Ok(answer) if answer.status == 200 && !answer.body.is_empty() => {
                        latencies.push(sent.elapsed().as_micros() as u32);
                    }
                    Ok(_) => failures += 1,
                    Err(_) => {
                        failures += 1;
                        match loadgen::Conn::connect(addr).await {
                            Ok(fresh) => conn = fresh,
                            Err(_) => break,
                        }
                    }
                }
            }
            (latencies, failures)
        }));
    }
    let mut latencies = Vec::with_capacity(args.requests);
    let mut failures = 0;
    for task in tasks {
        let (mut part, failed) = task.await?;
        latencies.append(&mut part);
        failures += failed;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let commits = hub.store().commits() - commits_before;
    latencies.sort_unstable();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    };
    println!(
        "  {:.0} audited reads/s ({} ok, {} failed in {:.2} s); latency p50 {} µs, p99 {} µs",
        latencies.len() as f64 / elapsed,
        latencies.len(),
        failures,
        elapsed,
        pct(0.50),
        pct(0.99)
    );
    println!(
        "  journal rows written {}, commits (fsync groups) {}, {:.1} entries per commit",
        latencies.len(),
        commits,
        latencies.len() as f64 / commits.max(1) as f64
    );

    // Grow the journal to the verification size with batched appends, then verify it all.
    let mut appended = 0usize;
    let started = Instant::now();
    while appended < args.verify_entries {
        let n = (args.verify_entries - appended).min(10_000);
        let batch = (0..n)
            .map(|i| NewEntry {
                actor: "bench-guard".to_owned(),
                roles: vec!["border_guard".to_owned()],
                purpose: Some("border_check".to_owned()),
                case_ref: None,
                action: "bench.read".to_owned(),
                query: json!({"i": appended + i}),
                record_ids: vec![format!("record:{}", appended + i)],
                outcome: "ok".to_owned(),
            })
            .collect();
        hub.store().append_batch(batch).await?;
        appended += n;
    }
    let append_secs = started.elapsed().as_secs_f64();
    println!(
        "batched appends: {} entries in {:.2} s ({:.0}/s)",
        appended,
        append_secs,
        appended as f64 / append_secs
    );
    let started = Instant::now();
    let report = hub.store().verify(None).await?;
    let verify_secs = started.elapsed().as_secs_f64();
    println!(
        "audit verify: {} entries, {} checkpoints, ok = {}, in {:.2} s ({:.0} entries/s)",
        report.entries,
        report.checkpoints,
        report.ok,
        verify_secs,
        report.entries as f64 / verify_secs
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
