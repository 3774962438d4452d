//! Load measurement for the journal (not a test): durable appends/s with many concurrent
//! appenders, and the time `verify` takes over everything written.
//!
//! cargo run --release -p limes-store --example journal_load -- sqlite DIR CONCURRENCY APPENDS
//! cargo run --release -p limes-store --example journal_load -- postgres URL CONCURRENCY APPENDS
//! cargo run --release -p limes-store --example journal_load -- sqlite DIR fill N   (append_batch of 5000)
//! cargo run --release -p limes-store --example journal_load -- sqlite DIR verify

use std::sync::Arc;
use std::time::Instant;

use limes_model::SystemClock;
use limes_store::{Backend, NewEntry, Signer, Store, StoreConfig};

fn entry(i: usize) -> NewEntry {
    NewEntry {
        actor: format!("officer{}", i % 50),
        roles: vec!["border_guard".into()],
        purpose: Some("border_check".into()),
        case_ref: None,
        action: "person.search".into(),
        query: serde_json::json!({"surname": "MUSTERMANN", "given": "ERIKA", "dob": "1964-08-12", "n": i}),
        record_ids: vec![format!("sis-{i}"), format!("ees-{i}")],
        outcome: "hit".into(),
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage =
        "usage: journal_load sqlite|postgres DIR|URL (CONCURRENCY APPENDS | fill N | verify)";
    let (Some(kind), Some(place), Some(mode)) = (args.get(1), args.get(2), args.get(3)) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let backend = match kind.as_str() {
        "sqlite" => Backend::Sqlite { dir: place.into() },
        "postgres" => Backend::Postgres { url: place.clone() },
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    };
    let mut config = StoreConfig::new("bench", Arc::new(SystemClock));
    config.signer = Some(Arc::new(Signer::from_bytes(&[1; 32])));
    let store = Store::open(backend, config).await.expect("open");
    println!("backend {} ({})", store.backend_name(), store.sync_mode());
    match mode.as_str() {
        "verify" => {}
        "fill" => {
            let n: usize = args.get(4).and_then(|s| s.parse().ok()).expect("N");
            let t = Instant::now();
            let mut i = 0;
            while i < n {
                let k = (n - i).min(5000);
                store
                    .append_batch((i..i + k).map(entry).collect())
                    .await
                    .expect("append_batch");
                i += k;
            }
            println!("filled {n} entries in {:.2?}", t.elapsed());
        }
        conc => {
            let conc: usize = conc.parse().expect("CONCURRENCY");
            let total: usize = args.get(4).and_then(|s| s.parse().ok()).expect("APPENDS");
            let per = total / conc;
            let commits0 = store.commits();
            let t = Instant::now();
            let tasks: Vec<_> = (0..conc)
                .map(|c| {
                    let store = store.clone();
                    tokio::spawn(async move {
                        let mut worst = std::time::Duration::ZERO;
                        for i in 0..per {
                            let s = Instant::now();
                            store.append(entry(c * per + i)).await.expect("append");
                            worst = worst.max(s.elapsed());
                        }
                        worst
                    })
                })
                .collect();
            let mut worst = std::time::Duration::ZERO;
            for task in tasks {
                worst = worst.max(task.await.expect("join"));
            }
            let secs = t.elapsed().as_secs_f64();
            let commits = store.commits() - commits0;
            let rows = per * conc;
            println!(
                "{rows} durable appends by {conc} concurrent appenders in {secs:.2} s: {:.0} appends/s, {commits} commits ({:.0} commits/s, {:.1} entries per commit, {:.2} ms per commit), worst append latency {worst:.2?}",
                rows as f64 / secs,
                commits as f64 / secs,
                rows as f64 / commits.max(1) as f64,
                secs * 1000.0 / commits.max(1) as f64,
            );
        }
    }
    let t = Instant::now();
    let report = store.verify(None).await.expect("verify");
    println!(
        "verify: {} entries, {} checkpoints in {:.2?} ({:.0} entries/s), ok={}",
        report.entries,
        report.checkpoints,
        t.elapsed(),
        report.entries as f64 / t.elapsed().as_secs_f64(),
        report.ok
    );
    assert!(report.ok, "{report:?}");
}
