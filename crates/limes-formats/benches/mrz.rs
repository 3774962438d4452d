//! MRZ parse throughput; the issue's target is ≥ 1 M lines/s on one core (≥ 500 k TD3 documents/s).
//! Also the emitter, which generates the border-check benchmark's documents.
//!
//! `cargo bench -p limes-formats --bench mrz`; criterion reports elements/s, where an element is one
//! MRZ line.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use limes_formats::{Mrz, MrzFormat, parse_mrz};
use limes_model::{PartialDate, Sex};
use time::macros::date;

const TODAY: time::Date = date!(2026 - 06 - 15);
const DOCUMENTS: usize = 1024;

/// Varied synthetic documents (a fixed LCG, no randomness crate needed), so branch predictors and
/// caches see different names, numbers and dates rather than one specimen.
fn documents(format: MrzFormat) -> Vec<String> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |modulo: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % modulo
    };
    let mut letters = |len: u64| -> String {
        (0..len)
            .map(|_| char::from(b'A' + next(26) as u8))
            .collect()
    };
    let mut zones = Vec::with_capacity(DOCUMENTS);
    let mut seed = 0u64;
    for _ in 0..DOCUMENTS {
        seed += 1;
        let surname = letters(3 + seed % 9);
        let given_names = format!("{} {}", letters(2 + seed % 7), letters(3 + seed % 5));
        let number = format!("{}{:07}", letters(2), seed * 7919 % 10_000_000);
        let mrz = Mrz {
            format,
            document_type: match format {
                MrzFormat::MrvA | MrzFormat::MrvB => "V".into(),
                MrzFormat::Td3 => "P".into(),
                _ => "ID".into(),
            },
            issuing_state: letters(3),
            surname,
            given_names,
            document_number: number,
            nationality: letters(3),
            birth_date: PartialDate::new(
                1930 + (seed % 90) as u16,
                1 + (seed % 12) as u8,
                1 + (seed % 28) as u8,
            )
            .ok(),
            sex: [Sex::M, Sex::F, Sex::X][(seed % 3) as usize],
            expiry_date: PartialDate::new(2027 + (seed % 10) as u16, 1 + (seed % 12) as u8, 15)
                .ok(),
            optional_data: letters(seed % 6),
            optional_data_2: (format == MrzFormat::Td1).then(String::new),
        };
        zones.push(mrz.emit().expect("generated fields fit"));
    }
    zones
}

fn parse(c: &mut Criterion) {
    for (name, format) in [
        ("td3", MrzFormat::Td3),
        ("td1", MrzFormat::Td1),
        ("td2", MrzFormat::Td2),
        ("mrv_a", MrzFormat::MrvA),
    ] {
        let zones = documents(format);
        // The bench asserts its answer: every generated document reads back valid.
        for zone in &zones {
            let (_, issues) = parse_mrz(zone, TODAY).expect("an MRZ");
            assert!(issues.is_empty(), "{zone}\n{issues:?}");
        }
        let mut group = c.benchmark_group("mrz_parse");
        group.throughput(Throughput::Elements(
            (zones.len() * format.line_count()) as u64,
        ));
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut valid = 0usize;
                for zone in &zones {
                    if let Ok((_, issues)) = parse_mrz(black_box(zone), TODAY)
                        && issues.is_empty()
                    {
                        valid += 1;
                    }
                }
                assert_eq!(valid, zones.len());
                valid
            })
        });
        group.finish();
    }
}

fn emit(c: &mut Criterion) {
    let zones = documents(MrzFormat::Td3);
    let parsed: Vec<Mrz> = zones
        .iter()
        .map(|zone| parse_mrz(zone, TODAY).expect("an MRZ").0)
        .collect();
    let mut group = c.benchmark_group("mrz_emit");
    group.throughput(Throughput::Elements(parsed.len() as u64));
    group.bench_function("td3_documents", |b| {
        let mut out = String::with_capacity(128);
        b.iter(|| {
            let mut bytes = 0usize;
            for mrz in &parsed {
                out.clear();
                mrz.emit_into(&mut out).expect("fits");
                bytes += out.len();
            }
            assert_eq!(bytes, parsed.len() * 89);
            bytes
        })
    });
    group.finish();
}

criterion_group!(benches, parse, emit);
criterion_main!(benches);
