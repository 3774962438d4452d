//! Journal appends: one entry per commit vs. batches, SQLite always, PostgreSQL when
//! `LIMES_TEST_POSTGRES_URL` is set. Each run ends with a verification that must pass.

use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use limes_model::SystemClock;
use limes_store::{Backend, NewEntry, Signer, Store, StoreConfig};

fn entry(i: u64) -> NewEntry {
    NewEntry {
        actor: "officer".into(),
        roles: vec!["border_guard".into()],
        purpose: Some("border_check".into()),
        case_ref: None,
        action: "person.search".into(),
        query: serde_json::json!({"surname": "MUSTERMANN", "n": i}),
        record_ids: vec![format!("rec-{i}")],
        outcome: "ok".into(),
    }
}

fn backends(rt: &tokio::runtime::Runtime) -> Vec<(String, Store, Option<tempfile::TempDir>)> {
    let config = || {
        let mut c = StoreConfig::new("bench", Arc::new(SystemClock));
        c.signer = Some(Arc::new(Signer::from_bytes(&[1; 32])));
        c
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = rt
        .block_on(Store::open(
            Backend::Sqlite {
                dir: dir.path().into(),
            },
            config(),
        ))
        .expect("open sqlite");
    let mut out = vec![("sqlite".to_string(), sqlite, Some(dir))];
    if let Ok(url) = std::env::var("LIMES_TEST_POSTGRES_URL") {
        // A fresh schema so that repeated runs start from an empty journal.
        let schema = format!("bench_{}", std::process::id());
        rt.block_on(async {
            let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                .await
                .expect("connect");
            tokio::spawn(conn);
            client
                .batch_execute(&format!("CREATE SCHEMA {schema}"))
                .await
                .expect("schema");
        });
        let sep = if url.contains('?') { '&' } else { '?' };
        let url = format!("{url}{sep}options=-c%20search_path%3D{schema}");
        let pg = rt
            .block_on(Store::open(Backend::Postgres { url }, config()))
            .expect("open postgres");
        out.push(("postgres".to_string(), pg, None));
    }
    out
}

fn appends(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mut group = c.benchmark_group("journal_append");
    group.sample_size(10);
    for (name, store, _dir) in backends(&rt) {
        let mut i = 0u64;
        group.throughput(Throughput::Elements(1));
        group.bench_function(BenchmarkId::new("single", &name), |b| {
            b.iter(|| {
                i += 1;
                let e = rt.block_on(store.append(entry(i))).expect("append");
                assert_eq!(e.body.record_ids[0], format!("rec-{i}"));
            })
        });
        for batch in [16u64, 256] {
            group.throughput(Throughput::Elements(batch));
            group.bench_function(BenchmarkId::new(format!("batch{batch}"), &name), |b| {
                b.iter(|| {
                    let entries = rt
                        .block_on(store.append_batch((0..batch).map(|k| entry(i + k)).collect()))
                        .expect("append_batch");
                    assert_eq!(entries.len() as u64, batch);
                    assert_eq!(entries[1].prev_hash, entries[0].hash);
                    i += batch;
                })
            });
        }
        let report = rt.block_on(store.verify(None)).expect("verify");
        assert!(report.ok, "{report:?}");
    }
    group.finish();
}

criterion_group!(benches, appends);
criterion_main!(benches);
