//! Deterministic synthetic EES data for benchmarks, tests and the demo: made-up people only.
//!
//! Seeded, so that a benchmark's expected answer is known in advance (the scan generator returns
//! how many overstayers it planted) and results reproduce across runs.

use crate::calc::Stay;
use crate::day::Day;
use crate::overstay::OverstayRecord;

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, good enough to shape test data.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform-enough integer in `0..bound` (`bound` > 0; the modulo bias is irrelevant here).
    pub fn below(&mut self, bound: u32) -> i32 {
        i32::try_from(self.next_u64() % u64::from(bound.max(1))).unwrap_or(0)
    }
}

/// A frequent traveller's history of `count` short stays ending on or just before `on`: stays of
/// 1–14 days separated by 3–40 days of absence, walking backwards; the last one is still open.
pub fn history(seed: u64, count: usize, on: Day) -> Vec<Stay> {
    let mut random = SplitMix64::new(seed);
    let mut stays = Vec::with_capacity(count);
    let mut exit = on;
    for index in 0..count {
        let entry = exit.plus(-random.below(14));
        let stay = if index == 0 {
            Stay::new(entry, None)
        } else {
            Stay::new(entry, Some(exit))
        };
        if let Ok(stay) = stay {
            stays.push(stay);
        }
        exit = entry.plus(-(3 + random.below(38)));
    }
    stays
}

/// The worst case for the calculator: `count` short, overlapping stays all inside the 180 days
/// ending on `on`, so that nothing can be skipped and every stay is sorted and merged.
pub fn dense_history(seed: u64, count: usize, on: Day) -> Vec<Stay> {
    let mut random = SplitMix64::new(seed);
    (0..count)
        .filter_map(|_| {
            let entry = on.plus(-random.below(180));
            let exit = entry.plus(random.below(6)).min(on);
            Stay::new(entry, Some(exit)).ok()
        })
        .collect()
}

/// `count` compact entry records as of `as_of`, with about 10 % overstaying; returns the records
/// and exactly how many of them are overstaying on `as_of`. Record `i` belongs to file `i / 3`.
pub fn overstay_records(seed: u64, count: usize, as_of: Day) -> (Vec<OverstayRecord>, usize) {
    let mut random = SplitMix64::new(seed);
    let mut records = Vec::with_capacity(count);
    let mut overstaying = 0usize;
    for index in 0..count {
        let file = u64::try_from(index / 3).unwrap_or(u64::MAX);
        let roll = random.below(100);
        let record = if roll < 60 {
            // Left in time, some time ago.
            let end = as_of.plus(-random.below(1500));
            OverstayRecord::new(file, end, Some(end.plus(-random.below(90))))
        } else if roll < 85 {
            // Present, authorised stay still running (possibly ending today).
            OverstayRecord::new(file, as_of.plus(random.below(90)), None)
        } else if roll < 95 {
            overstaying += 1;
            OverstayRecord::new(file, as_of.plus(-1 - random.below(1800)), None)
        } else {
            // Left after the authorised stay ended, on or before `as_of`.
            let end = as_of.plus(-2 - random.below(1000));
            let late = 1 + random.below(u32::try_from(as_of.since(end)).unwrap_or(1));
            OverstayRecord::new(file, end, Some(end.plus(late.min(as_of.since(end)))))
        };
        records.push(record);
    }
    (records, overstaying)
}

/// A deliberately slow day-by-day reference for [`crate::calculate`]: a bitmap of days and a
/// 180-day sum per day checked. Benchmarks compare the fast answer with it, so a fast wrong
/// answer fails the benchmark.
pub fn naive_summary(stays: &[Stay], on: Day, enter: Option<Day>) -> crate::calc::Summary {
    let first = stays
        .iter()
        .map(|stay| stay.entry().0)
        .chain([on.0, enter.map_or(on.0, |enter| enter.0)])
        .min()
        .unwrap_or(on.0)
        - 200;
    let last = on.0.max(enter.map_or(on.0, |enter| enter.0)) + 200;
    let mut present = vec![false; usize::try_from(last - first + 1).unwrap_or(0)];
    let slot = |day: i32| usize::try_from(day - first).unwrap_or(0);
    for stay in stays.iter().filter(|stay| stay.basis().counts()) {
        let end = stay.exit().unwrap_or(on).0.min(on.0);
        for day in stay.entry().0..=end {
            present[slot(day)] = true;
        }
    }
    let used_on =
        |present: &[bool], day: i32| (day - 179..=day).filter(|&d| present[slot(d)]).count();
    let days_used = u32::try_from(used_on(&present, on.0)).unwrap_or(u32::MAX);
    let max_stay_days = enter.map(|enter| {
        let mut length = 0u32;
        for day in enter.0..enter.0 + 91 {
            present[slot(day)] = true;
            if used_on(&present, day) > 90 {
                break;
            }
            length += 1;
        }
        length
    });
    crate::calc::Summary {
        days_used,
        days_remaining: 90u32.saturating_sub(days_used),
        overstay_days: days_used.saturating_sub(90),
        max_stay_days,
    }
}
