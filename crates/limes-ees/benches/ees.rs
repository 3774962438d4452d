//! The two figures of issue 6: the 90/180 calculator for a person with 200 stays (≤ 5 µs), and the
//! overstayer scan (≤ 60 s for 50 M records; here over 5 M, see `limes bench ees` for 50 M).
//! Each bench first checks its answer, so a fast wrong result fails.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use limes_ees::overstay::{count_overstaying, overstaying_files};
use limes_ees::{Day, StayHistory, calculate, synth};

const ON: Day = Day(2_461_475); // 2027-03-10

fn calculator(c: &mut Criterion) {
    let stays = synth::history(1, 200, ON);
    assert_eq!(stays.len(), 200);
    let enter = Some(ON.plus(30));
    let expected = synth::naive_summary(&stays, ON, enter);
    assert_eq!(calculate(&stays, ON, enter), expected);

    let mut group = c.benchmark_group("calculator_200_stays");
    group.bench_function("build_and_summary_with_enter", |b| {
        b.iter(|| calculate(black_box(&stays), black_box(ON), black_box(enter)))
    });
    group.bench_function("build_only", |b| {
        b.iter(|| StayHistory::new(black_box(&stays), black_box(ON)))
    });
    let history = StayHistory::new(&stays, ON);
    group.bench_function("max_stay_on_built_history", |b| {
        b.iter(|| black_box(&history).max_stay_days(black_box(ON.plus(30))))
    });
    let dense = synth::dense_history(1, 200, ON);
    assert_eq!(
        calculate(&dense, ON, enter),
        synth::naive_summary(&dense, ON, enter)
    );
    group.bench_function("all_in_window_build_and_summary_with_enter", |b| {
        b.iter(|| calculate(black_box(&dense), black_box(ON), black_box(enter)))
    });
    group.finish();
}

fn overstayer_scan(c: &mut Criterion) {
    const RECORDS: usize = 5_000_000;
    let (records, planted) = synth::overstay_records(7, RECORDS, ON);
    assert_eq!(count_overstaying(&records, ON), planted);

    let mut group = c.benchmark_group("overstayer_scan");
    group.sample_size(20);
    group.throughput(Throughput::Elements(RECORDS as u64));
    let mut files = Vec::with_capacity(planted);
    group.bench_function("collect_files_5M", |b| {
        b.iter(|| {
            files.clear();
            overstaying_files(black_box(&records), black_box(ON), &mut files);
            assert_eq!(files.len(), planted);
        })
    });
    group.bench_function("count_5M", |b| {
        b.iter(|| count_overstaying(black_box(&records), black_box(ON)))
    });
    group.finish();
}

criterion_group!(benches, calculator, overstayer_scan);
criterion_main!(benches);
