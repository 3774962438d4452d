//! Any bytes read as JSON lines (what `limes screen` reads): every line that parses as an identity
//! is put into a gallery and screened as a probe against it, with explanations, without panicking;
//! every score is a probability in [0,1], every pair's weight is the same whichever side is the
//! probe, and name folding is idempotent on every name seen.
#![no_main]

use libfuzzer_sys::fuzz_target;
use limes_match::{Index, IndexConfig, ScreenOptions};
use limes_model::Identity;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let identities: Vec<Identity> = text
        .lines()
        .take(64)
        .filter_map(|line| serde_json::from_str::<Identity>(line).ok())
        .collect();
    let mut index = Index::new(IndexConfig::default());
    for identity in &identities {
        let _ = index.insert(identity);
        for name in [&identity.surname, &identity.given_names] {
            let once = limes_match::normalize::fold(name);
            assert_eq!(limes_match::normalize::fold(&once), once);
        }
    }
    let options = ScreenOptions {
        threshold: 0.0,
        max_hits: 10,
        explain: true,
    };
    for probe in &identities {
        for hit in index.screen(probe, &options) {
            assert!((0.0..=1.0).contains(&hit.score), "score {}", hit.score);
        }
    }
    for pair in identities.windows(2) {
        let ab = limes_match::compare(&pair[0], &pair[1]);
        let ba = limes_match::compare(&pair[1], &pair[0]);
        assert!((0.0..=1.0).contains(&ab.score));
        assert!((ab.weight - ba.weight).abs() < 1e-6, "{ab} / {ba}");
    }
    if let Some(first) = identities.first() {
        index.remove(&first.id);
        index.compact();
        let _ = index.screen(first, &options);
    }
});
