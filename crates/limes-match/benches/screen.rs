//! Screening latency on a generated multicultural gallery.
//!
//! Size from `LIMES_BENCH_GALLERY` (default 1,000,000); sizes below 1 M are refused unless
//! `LIMES_BENCH_SMALL=1`, because toy galleries flatter the candidate index. The bench asserts its
//! answer: a variant probe must find its gallery person.

use criterion::{Criterion, criterion_group, criterion_main};
use limes_match::generate;
use limes_match::{Prepared, ScreenOptions};

fn gallery_size() -> u64 {
    let size = std::env::var("LIMES_BENCH_GALLERY")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000u64);
    let small = std::env::var("LIMES_BENCH_SMALL").is_ok_and(|v| v == "1");
    assert!(
        size >= 1_000_000 || small,
        "refusing a toy gallery of {size}: set LIMES_BENCH_SMALL=1 to allow it"
    );
    size
}

fn screen(c: &mut Criterion) {
    let size = gallery_size();
    let seed = 11;
    let index = generate::gallery_index(seed, size, 2).expect("generated ids are unique");
    eprintln!("gallery: {} generated identities", index.len());
    let probes: Vec<(Prepared, Option<String>)> = (0..1000u64)
        .map(|j| {
            let person = if j % 2 == 0 {
                generate::variant_of(seed, (j * 7919) % size, j)
            } else {
                generate::stranger(seed, j, j)
            };
            (Prepared::new(&person.identity), person.truth)
        })
        .collect();
    let options = ScreenOptions::default();
    let found = probes
        .iter()
        .filter(|(p, t)| {
            t.as_ref().is_some_and(|t| {
                index
                    .screen_prepared(p, &options)
                    .iter()
                    .any(|h| &h.id == t)
            })
        })
        .count();
    assert!(found >= 450, "only {found} of 500 variant probes found");
    let mut next = 0usize;
    c.bench_function(&format!("screen one probe, gallery {size}"), |b| {
        b.iter(|| {
            let (probe, _) = &probes[next % probes.len()];
            next += 1;
            index.screen_prepared(probe, &options)
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = screen
}
criterion_main!(benches);
