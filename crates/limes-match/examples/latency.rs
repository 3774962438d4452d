//! Developer tool: single-probe screening latency per name culture on a generated gallery, with
//! the number of candidates scored, to see which names make the hot path slow.
//!
//! `cargo run --release -p limes-match --example latency -- [GALLERY] [PROBES] [SEED]`
//! (defaults 1,000,000, 20,000, 1).

use std::collections::BTreeMap;
use std::time::Instant;

use limes_match::generate;
use limes_match::{Prepared, ScreenOptions};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let size: u64 = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let count: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let seed: u64 = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(1);
    let index = generate::gallery_index(seed, size, 2).expect("generated ids are unique");
    let probes: Vec<(Prepared, &str)> = generate::probes(seed, size, 2)
        .take(count as usize)
        .map(|p| (Prepared::new(&p.identity), p.culture))
        .collect();
    let options = ScreenOptions::default();
    let mut all: Vec<f64> = Vec::with_capacity(probes.len());
    let mut per: BTreeMap<&str, (Vec<f64>, usize)> = BTreeMap::new();
    for (probe, culture) in &probes {
        let t = Instant::now();
        let hits = index.screen_prepared(probe, &options);
        let ms = t.elapsed().as_secs_f64() * 1e3;
        std::hint::black_box(hits);
        all.push(ms);
        let e = per.entry(culture).or_default();
        e.0.push(ms);
        e.1 += index.candidates(probe).len();
    }
    let stats = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        let at = |q: f64| v[((v.len() as f64 * q) as usize).min(v.len() - 1)];
        (at(0.5), at(0.99), v.iter().sum::<f64>() / v.len() as f64)
    };
    let (m, p, mean) = stats(&mut all);
    println!("gallery {size}, {count} probes: median {m:.3} ms, p99 {p:.3} ms, mean {mean:.3} ms");
    for (culture, (v, candidates)) in &mut per {
        let n = v.len();
        let (m, p, mean) = stats(v);
        println!(
            "{culture:<12} median {m:.3} p99 {p:.3} mean {mean:.3} ms, {:.0} candidates",
            *candidates as f64 / n as f64
        );
    }
}
