//! Developer tool: generates a gallery and probes in-process (as `limes generate persons` does),
//! screens them and prints per-culture figures plus the missed and falsely hit probes with their
//! evidence, so that a change to the matcher can be judged by what it gets wrong.
//!
//! `cargo run --release -p limes-match --example eval_debug -- COUNT VARIANTS SEED [SHOW [THRESHOLD]]`
//! (SHOW: how many misses / false hits to print per culture, default 5). Also prints, per
//! culture, the threshold at which that culture alone would hit 0.5 / 1 / 1.5 % of its no-match
//! probes and its recall there: what equal false-hit burdens would cost each culture.
//! With `CLASSDUMP=1` it also prints every hit at the threshold on a no-match probe (FP) or of the
//! true record (TP) with its evidence class and both records, tab-separated, for counting (the
//! last three columns: the probe's variant kind, "namesake" or "stranger", its id, and how many
//! gallery records carry the hit record's name). With
//! `NMDUMP=1` it prints per no-match probe `NM culture kind namesakes hit id`, where namesakes
//! counts the gallery records with the probe's name: false hits grow with it in every culture.
//! With `CULTURECLASS=1` the reliability table is also kept per culture and evidence class
//! ("turkish | surname: exact; …") and printed in full, to find classes calibrated in one
//! culture and not in another. `CFHR t culture no-match hits matched found` lines give each
//! culture's counts at several thresholds, for pooling sets. `MAX_SCORED`, `CANDIDATE_BUDGET` and
//! `MAX_POSTINGS` override the candidate search's limits, to price a change before making it
//! the default.

use std::collections::BTreeMap;

use limes_match::doubles::Doubles;
use limes_match::generate;
use limes_match::{Index, IndexBuilder, IndexConfig, Prepared, ScreenOptions};

#[derive(Default)]
struct Tally {
    matched: usize,
    found: usize,
    top1: usize,
    no_match: usize,
    false_hit: usize,
    /// Match probes whose true record has a double in the gallery (see [`Doubles`]), and how many
    /// of them missed the top place.
    match_double: usize,
    match_double_missed: usize,
    /// No-match probes with a double in the gallery, and how many of them hit.
    no_match_double: usize,
    no_match_double_hit: usize,
}

/// A pair's evidence without the figures: what each field said (a name part that differs is
/// "near" when its similarity is at least 0.75).
fn evidence_class(c: &limes_match::score::Comparison) -> String {
    c.evidence
        .iter()
        .filter(|e| e.verdict != "no data")
        .map(|e| {
            let near = if e.verdict == "different" && e.similarity.is_some_and(|s| s >= 0.75) {
                " (near)"
            } else {
                ""
            };
            let verdict = if e.field == "name parts" {
                "some"
            } else {
                &e.verdict
            };
            format!("{}: {verdict}{near}", e.field)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The threshold at which `rate` of the no-match probes hit, given their best scores sorted
/// best first (just above the score of the first probe that must not hit).
fn threshold_at(best_first: &[f64], rate: f64) -> Option<f64> {
    best_first
        .get((rate * best_first.len() as f64) as usize)
        .map(|t| t + 1e-9)
}

fn describe(identity: &limes_model::Identity) -> String {
    format!(
        "{} / {} / {:?} / {:?} / {:?}{}",
        identity.surname,
        identity.given_names,
        identity.birth_date.map(|d| d.to_string()),
        identity.nationality,
        identity.sex,
        if identity.aliases.is_empty() {
            String::new()
        } else {
            format!(
                " aka {:?}",
                identity
                    .aliases
                    .iter()
                    .map(|a| format!("{} {}", a.surname, a.given_names))
                    .collect::<Vec<_>>()
            )
        }
    )
}

fn read_jsonl<T: serde::de::DeserializeOwned>(path: &str) -> Vec<T> {
    std::fs::read_to_string(path)
        .expect("readable file")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}

#[derive(serde::Deserialize)]
struct TruthLine {
    id: String,
    truth: Option<String>,
}

/// `eval_debug files DIR [SHOW]`: the same report for a directory with gallery, probes and truth.
fn files(dir: &str, show: usize) -> (Vec<generate::Person>, Vec<generate::Person>) {
    let gallery: Vec<limes_model::Identity> = read_jsonl(&format!("{dir}/gallery.jsonl"));
    let probes: Vec<limes_model::Identity> = read_jsonl(&format!("{dir}/probes.jsonl"));
    let truth: std::collections::HashMap<String, Option<String>> =
        read_jsonl::<TruthLine>(&format!("{dir}/truth.jsonl"))
            .into_iter()
            .map(|t| (t.id, t.truth))
            .collect();
    let _ = show;
    let wrap = |identity: limes_model::Identity, truth: Option<String>| generate::Person {
        identity,
        culture: "file",
        kind: if truth.is_some() { "match" } else { "no match" }.to_owned(),
        truth,
    };
    (
        gallery.into_iter().map(|g| wrap(g, None)).collect(),
        probes
            .into_iter()
            .map(|p| {
                let t = truth.get(&p.id).cloned().flatten();
                wrap(p, t)
            })
            .collect(),
    )
}

fn main() {
    let mut args: Vec<String> = std::env::args().collect();
    let from_files = if args.get(1).map(String::as_str) == Some("files") {
        let dir = args.get(2).cloned().unwrap_or_default();
        args.drain(1..3);
        args.insert(1, "0".into());
        args.insert(2, "0".into());
        args.insert(3, "0".into());
        Some(dir)
    } else {
        None
    };
    let count: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(60_000);
    let variants: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(2);
    let seed: u64 = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(1);
    let show: usize = args.get(4).and_then(|a| a.parse().ok()).unwrap_or(5);
    let threshold: f64 = args
        .get(5)
        .and_then(|a| a.parse().ok())
        .unwrap_or(limes_match::DEFAULT_THRESHOLD);

    let (gallery, probes): (Vec<generate::Person>, Vec<generate::Person>) = match &from_files {
        Some(dir) => files(dir, show),
        None => (
            (0..count)
                .map(|i| generate::gallery_person(seed, i))
                .collect(),
            generate::probes(seed, count, variants).collect(),
        ),
    };
    let mut config = IndexConfig::default();
    // Candidate-search knobs, to price a change before making it the default.
    let knob = |name: &str| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
    };
    if let Some(v) = knob("MAX_SCORED") {
        config.max_scored = v;
    }
    if let Some(v) = knob("CANDIDATE_BUDGET") {
        config.candidate_budget = v;
    }
    if let Some(v) = knob("MAX_POSTINGS") {
        config.max_postings_per_key = v;
    }
    let mut builder = IndexBuilder::new(config);
    let identities: Vec<limes_model::Identity> =
        gallery.iter().map(|p| p.identity.clone()).collect();
    builder.add_batch(&identities, 2).expect("unique ids");
    let index: Index = builder.finish();
    let oracle = Doubles::new(&identities);
    let by_id: std::collections::HashMap<&str, &generate::Person> = gallery
        .iter()
        .map(|p| (p.identity.id.as_str(), p))
        .collect();

    let class_dump = std::env::var("CLASSDUMP").is_ok();
    let mut sweep: Vec<(Option<f64>, f64, &str)> = Vec::new();
    // Reliability: per score decile, (pairs, pairs that are the same person).
    let mut bins = [(0usize, 0usize); 10];
    // Reliability per evidence class: (pairs, same person, sum of scores).
    let mut classes: BTreeMap<String, (usize, usize, f64)> = BTreeMap::new();
    let options = ScreenOptions {
        threshold: 0.001,
        max_hits: 10,
        explain: true,
    };
    let mut overall = Tally::default();
    let mut per: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut shown_miss: BTreeMap<&str, usize> = BTreeMap::new();
    let mut shown_fh: BTreeMap<&str, usize> = BTreeMap::new();
    let mut miss_kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut fh_kinds: BTreeMap<String, usize> = BTreeMap::new();
    for person in probes {
        let prepared = Prepared::new(&person.identity);
        let all_hits = index.screen_prepared(&prepared, &options);
        for hit in &all_hits {
            let bin = ((hit.score * 10.0) as usize).min(9);
            let same = person.truth.as_deref() == Some(hit.id.as_str());
            bins[bin].0 += 1;
            bins[bin].1 += usize::from(same);
            if class_dump
                && hit.score >= threshold
                && (same || person.truth.is_none())
                && let Some(c) = &hit.explanation
            {
                let gallery_record = by_id.get(hit.id.as_str());
                let other = gallery_record
                    .map(|g| describe(&g.identity))
                    .unwrap_or_default();
                let namesakes = gallery_record.map_or(0, |g| oracle.namesakes(&g.identity));
                let weights: Vec<String> = c
                    .evidence
                    .iter()
                    .map(|e| format!("{}={:.1}", e.field, e.weight))
                    .collect();
                println!(
                    "CLS\t{}\t{}\t{}\t{}\t{}\t{:.3}\t{:.1}\t{}\t{}\t{}\t{}",
                    person.culture,
                    if same { "TP" } else { "FP" },
                    evidence_class(c),
                    describe(&person.identity),
                    other,
                    hit.score,
                    c.weight,
                    weights.join(" "),
                    person.kind,
                    person.identity.id,
                    namesakes
                );
            }
            if hit.score >= 0.1
                && let Some(c) = &hit.explanation
            {
                let class = evidence_class(c);
                let mut keys = vec![format!("culture {}", person.culture)];
                if hit.score < 0.7 {
                    keys.push(format!("culture {} below 0.7", person.culture));
                }
                if class.starts_with(
                    "surname: exact; given names: exact; birth date: agrees on the known parts",
                ) {
                    keys.push(format!(
                        "culture {} exact names + partial date",
                        person.culture
                    ));
                }
                if std::env::var("CULTURECLASS").is_ok() {
                    keys.push(format!("{} | {class}", person.culture));
                }
                keys.push(class);
                for key in keys {
                    let e = classes.entry(key).or_default();
                    e.0 += 1;
                    e.1 += usize::from(same);
                    e.2 += hit.score;
                }
            }
        }
        sweep.push((
            person.truth.as_ref().map(|t| {
                all_hits.iter().find(|h| &h.id == t).map_or(0.0, |h| {
                    if all_hits.first().is_some_and(|f| f.score > h.score) {
                        -h.score
                    } else {
                        h.score
                    }
                })
            }),
            all_hits.first().map_or(0.0, |h| h.score),
            person.culture,
        ));
        let hits: Vec<_> = all_hits
            .into_iter()
            .filter(|h| h.score >= threshold)
            .collect();
        let double = match &person.truth {
            Some(truth) => by_id
                .get(truth.as_str())
                .is_some_and(|g| oracle.has_double(&g.identity, Some(truth.as_str()))),
            None => oracle.has_double(&person.identity, None),
        };
        let tally = per.entry(person.culture).or_default();
        match &person.truth {
            Some(truth) => {
                tally.matched += 1;
                overall.matched += 1;
                let found = hits.iter().any(|h| &h.id == truth);
                let top = hits.first().is_some_and(|h| &h.id == truth);
                if double {
                    for t in [&mut *tally, &mut overall] {
                        t.match_double += 1;
                        t.match_double_missed += usize::from(!top);
                    }
                }
                tally.found += usize::from(found);
                overall.found += usize::from(found);
                tally.top1 += usize::from(top);
                overall.top1 += usize::from(top);
                if !top {
                    *miss_kinds
                        .entry(format!("{} {}", person.culture, person.kind))
                        .or_default() += 1;
                }
                let n = shown_miss.entry(person.culture).or_default();
                if !top && *n < show {
                    *n += 1;
                    let Some(g) = by_id.get(truth.as_str()) else {
                        continue;
                    };
                    let handle = hits
                        .iter()
                        .find(|h| &h.id == truth)
                        .map(|h| h.handle)
                        .or_else(|| {
                            (0..index.len() as u32).find(|&h| index.id(h) == truth.as_str())
                        });
                    let in_candidates =
                        handle.is_some_and(|h| index.candidates(&prepared).contains(&h));
                    println!(
                        "MISS[{}] {} ({})\n  probe: {}\n  truth: {}\n  candidate: {}",
                        person.culture,
                        person.identity.id,
                        person.kind,
                        describe(&person.identity),
                        describe(&g.identity),
                        in_candidates
                    );
                    if let Some(h) = handle {
                        let c = index.compare_handle(&prepared, h);
                        println!("  true score {:.4} ({:.1} bits): {}", c.score, c.weight, c);
                    }
                    if let Some(best) = hits.first() {
                        let c = index.compare_handle(&prepared, best.handle);
                        println!(
                            "  top hit {} {:.4} ({:.1} bits): {} :: {}",
                            best.id,
                            c.score,
                            c.weight,
                            by_id
                                .get(best.id.as_str())
                                .map(|p| describe(&p.identity))
                                .unwrap_or_default(),
                            c
                        );
                    }
                }
            }
            None => {
                tally.no_match += 1;
                overall.no_match += 1;
                if double {
                    for t in [&mut *tally, &mut overall] {
                        t.no_match_double += 1;
                        t.no_match_double_hit += usize::from(!hits.is_empty());
                    }
                }
                if std::env::var("NMDUMP").is_ok() {
                    let namesakes = oracle.namesakes(&person.identity);
                    println!(
                        "NM\t{}\t{}\t{}\t{}\t{}",
                        person.culture,
                        person.kind,
                        namesakes,
                        usize::from(!hits.is_empty()),
                        person.identity.id
                    );
                }
                if !hits.is_empty() {
                    tally.false_hit += 1;
                    overall.false_hit += 1;
                    *fh_kinds
                        .entry(format!("{} {}", person.culture, person.kind))
                        .or_default() += 1;
                    let n = shown_fh.entry(person.culture).or_default();
                    if *n < show {
                        *n += 1;
                        let best = &hits[0];
                        let c = index.compare_handle(&prepared, best.handle);
                        println!(
                            "FALSE[{}] {} ({})\n  probe: {}\n  hit:   {} {}\n  score {:.4} ({:.1} bits): {}",
                            person.culture,
                            person.identity.id,
                            person.kind,
                            describe(&person.identity),
                            best.id,
                            by_id
                                .get(best.id.as_str())
                                .map(|p| describe(&p.identity))
                                .unwrap_or_default(),
                            c.score,
                            c.weight,
                            c
                        );
                    }
                }
            }
        }
    }
    println!("misses by kind: {miss_kinds:#?}");
    println!("false hits by kind: {fh_kinds:#?}");
    let line = |name: &str, t: &Tally| {
        println!(
            "{name:<12} {:>6} {:.4} {:.4} {:>6} {:.4}",
            t.matched,
            t.found as f64 / t.matched.max(1) as f64,
            t.top1 as f64 / t.matched.max(1) as f64,
            t.no_match,
            t.false_hit as f64 / t.no_match.max(1) as f64
        );
    };
    for (i, (n, same)) in bins.iter().enumerate() {
        println!(
            "score {:.1}-{:.1}: {n:>7} pairs, {:.3} the same person",
            i as f64 / 10.0,
            (i + 1) as f64 / 10.0,
            *same as f64 / (*n).max(1) as f64
        );
    }
    // Classes whose scores are furthest from what they turn out to be (pairs × gap).
    let mut gaps: Vec<(f64, &String, (usize, usize, f64))> = classes
        .iter()
        .map(|(k, v)| {
            let gap = v.2 - v.1 as f64;
            (gap, k, *v)
        })
        .collect();
    gaps.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()));
    for (k, (n, same, sum)) in classes.iter().filter(|(k, _)| k.starts_with("culture ")) {
        println!(
            "  {n:>6} pairs, mean score {:.3}, same person {:.3}: {k}",
            sum / *n as f64,
            *same as f64 / *n as f64
        );
    }
    println!("evidence classes, most miscalibrated first (pairs scored >= 0.1):");
    for (gap, k, (n, same, sum)) in gaps.iter().take(if std::env::var("CULTURECLASS").is_ok() {
        usize::MAX
    } else {
        60
    }) {
        println!(
            "  {n:>6} pairs, mean score {:.3}, same person {:.3}, excess {gap:+.0}: {k}",
            sum / *n as f64,
            *same as f64 / *n as f64
        );
    }
    // The threshold at which a given share of no-match probes hits, to compare matchers whose
    // calibration differs.
    let mut no_match_best: Vec<f64> = sweep
        .iter()
        .filter(|s| s.0.is_none())
        .map(|s| s.1)
        .collect();
    no_match_best.sort_by(|a, b| b.total_cmp(a));
    // Per culture: the threshold at which that culture's no-match probes alone would hit 0.5, 1
    // and 1.5 % of the time, and its recall there. Equal burdens by culture label are what the
    // fairness figure asks for; this shows their price in recall (the matcher itself never
    // knows a culture).
    let cultures: std::collections::BTreeSet<&str> = sweep.iter().map(|s| s.2).collect();
    // Per culture and threshold: no-match probes, those that hit, match probes, those found
    // (CFHR lines, for pooling several sets).
    for t in [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6] {
        for &culture in &cultures {
            let rows = sweep.iter().filter(|s| s.2 == culture);
            let (mut n, mut h, mut m, mut f) = (0usize, 0usize, 0usize, 0usize);
            for (truth, best, _) in rows {
                match truth {
                    None => {
                        n += 1;
                        h += usize::from(*best >= t);
                    }
                    Some(score) => {
                        m += 1;
                        f += usize::from(*score >= t);
                    }
                }
            }
            println!("CFHR {t:.2} {culture} {n} {h} {m} {f}");
        }
    }
    for culture in cultures {
        let mut best: Vec<f64> = sweep
            .iter()
            .filter(|s| s.0.is_none() && s.2 == culture)
            .map(|s| s.1)
            .collect();
        best.sort_by(|a, b| b.total_cmp(a));
        let truths: Vec<f64> = sweep
            .iter()
            .filter(|s| s.2 == culture)
            .filter_map(|s| s.0)
            .collect();
        let recall = |t: f64| {
            truths.iter().filter(|s| s.abs() >= t).count() as f64 / truths.len().max(1) as f64
        };
        let row: Vec<String> = [0.005, 0.01, 0.015]
            .iter()
            .filter_map(|&rate| {
                let t = threshold_at(&best, rate)?;
                Some(format!("fhr {rate}: t {t:.3} recall {:.4}", recall(t)))
            })
            .collect();
        println!("culture {culture:12} {}", row.join("  "));
    }
    let mut thresholds = vec![0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7];
    for rate in [0.01, 0.015, 0.02] {
        if let Some(t) = threshold_at(&no_match_best, rate) {
            println!("false-hit rate {rate}: threshold {t:.4}");
            thresholds.push(t);
        }
    }
    for t in thresholds {
        let (mut m, mut found, mut top, mut nm, mut fh) = (0, 0, 0, 0, 0);
        let mut per_fh: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for (truth, best, culture) in &sweep {
            match truth {
                Some(s) => {
                    m += 1;
                    found += usize::from(s.abs() >= t);
                    top += usize::from(*s >= t);
                }
                None => {
                    nm += 1;
                    fh += usize::from(*best >= t);
                    let e = per_fh.entry(culture).or_default();
                    e.0 += usize::from(*best >= t);
                    e.1 += 1;
                }
            }
        }
        let rates: Vec<f64> = per_fh
            .values()
            .map(|(a, b)| *a as f64 / (*b).max(1) as f64)
            .collect();
        let worst = rates.iter().copied().fold(0.0, f64::max);
        let best = rates.iter().copied().fold(1.0, f64::min);
        println!(
            "t={t:.4} recall {:.4} top1 {:.4} FHR {:.4} culture FHR best {:.4} worst {:.4}",
            found as f64 / m as f64,
            top as f64 / m as f64,
            fh as f64 / nm as f64,
            best,
            worst
        );
    }
    println!("culture      matched recall top1  nomatch FHR (threshold {threshold})");
    line("overall", &overall);
    for (c, t) in &per {
        line(c, t);
    }
    // The oracle: probes no matcher can resolve because the gallery holds a double (same name,
    // consistent birth date) of the true record (match probes) or of the probe (no-match
    // probes); "missed"/"hit" say how many of them the matcher got wrong, and the last column
    // is the false-hit rate over the no-match probes that can be resolved.
    println!(
        "oracle       match-doubles (missed)   no-match-doubles (hit)   FHR on resolvable no-match"
    );
    let oracle_line = |name: &str, t: &Tally| {
        println!(
            "{name:<12} {:>5} {:.4} ({:>4})   {:>5} {:.4} ({:>4})   {:.4}",
            t.match_double,
            t.match_double as f64 / t.matched.max(1) as f64,
            t.match_double_missed,
            t.no_match_double,
            t.no_match_double as f64 / t.no_match.max(1) as f64,
            t.no_match_double_hit,
            (t.false_hit - t.no_match_double_hit) as f64
                / (t.no_match - t.no_match_double).max(1) as f64
        );
    };
    oracle_line("overall", &overall);
    for (c, t) in &per {
        oracle_line(c, t);
    }
}
