//! The 90/180-day short-stay calculator (SBC Art 6(1)(2), EES Reg 2017/2226 Art 11).
//!
//! Definitions, as the issue fixes them and every function here implements them:
//!
//! - `days_used` on day `on`: the number of distinct days of presence in `[on − 179, on]`, the
//!   entry and exit days included, overlapping stays counted once.
//! - `days_remaining` = max(0, 90 − days_used); `overstay_days` = max(0, days_used − 90).
//! - `max_stay_days` for an entry on day `enter`: the longest stay `[enter, enter + n − 1]` such
//!   that for *each* of its days `d`, the days of presence in `[d − 179, d]` — recorded stays plus
//!   the planned stay's days up to `d` — number at most 90.
//!
//! The calculation is made *as of* `on`: recorded presence after `on` is not yet a fact, so every
//! recorded stay is cut at `on` (an open stay, one with no exit yet, counts up to `on`). When
//! `enter` lies after `on`, the person is taken to be absent from `on + 1` to `enter − 1`; when it lies
//! on or before `on`, planned days that are also recorded days are the same days and count once.
//! Stays under a residence permit or a long-stay visa never count (SBC Art 6(2) last sentence).
//!
//! Speed: [`calculate`] marks presence in a 1024-day bitmap on the stack (one pass over the
//! stays, no sort, no allocation) and counts ranges with popcounts; [`StayHistory`] sorts and
//! merges the stays once into disjoint runs carrying a running day total, so "recorded days in
//! `[a, b]`" is two binary searches. Either way `days_used` is one range count, and
//! `max_stay_days` a binary search over the planned stay's length, which is valid because the
//! day-`k` count `k + 1 + recorded days in [enter + k − 179, enter − 1]` never decreases with `k`
//! (each step adds a planned day and drops at most one recorded day).

use serde::Serialize;

use crate::day::Day;

/// The reference period: the day checked and the 179 before it.
pub const WINDOW_DAYS: i32 = 180;
/// The most days of presence allowed in any reference period.
pub const MAX_DAYS: i32 = 90;

/// Under what a stay was made; only short stays count towards 90/180.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StayBasis {
    /// Visa-exempt, uniform (C) visa, or ETIAS: counts.
    #[default]
    ShortStay,
    /// Covered by a residence permit: does not count (SBC Art 6(2)).
    ResidencePermit,
    /// Covered by a long-stay (D) visa: does not count (SBC Art 6(2)).
    LongStayVisa,
}

impl StayBasis {
    /// Whether days of a stay on this basis count towards the 90 days.
    pub fn counts(self) -> bool {
        matches!(self, StayBasis::ShortStay)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StayError {
    #[error("exit {exit} is before entry {entry}")]
    ExitBeforeEntry { entry: Day, exit: Day },
}

/// One stay: an entry, and the exit if one is recorded. Cannot have its exit before its entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Stay {
    entry: Day,
    exit: Option<Day>,
    basis: StayBasis,
}

impl Stay {
    /// A short stay; `exit: None` is a stay still open.
    pub fn new(entry: Day, exit: Option<Day>) -> Result<Self, StayError> {
        Self::with_basis(entry, exit, StayBasis::ShortStay)
    }

    pub fn with_basis(entry: Day, exit: Option<Day>, basis: StayBasis) -> Result<Self, StayError> {
        if let Some(exit) = exit
            && exit < entry
        {
            return Err(StayError::ExitBeforeEntry { entry, exit });
        }
        Ok(Self { entry, exit, basis })
    }

    pub fn entry(&self) -> Day {
        self.entry
    }
    pub fn exit(&self) -> Option<Day> {
        self.exit
    }
    pub fn basis(&self) -> StayBasis {
        self.basis
    }
}

/// The answer of the calculator, in the order and names of the CLI contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub days_used: u32,
    pub days_remaining: u32,
    pub overstay_days: u32,
    /// Present only when an entry date was asked about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_stay_days: Option<u32>,
}

/// A maximal run of consecutive recorded days, with the number of recorded days in earlier runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Run {
    start: i32,
    end: i32,
    before: i32,
}

/// A person's countable presence as of one day, merged once and then queried cheaply.
#[derive(Clone, Debug)]
pub struct StayHistory {
    on: Day,
    runs: Vec<Run>,
}

impl StayHistory {
    /// Keeps the stays that count, cuts them at `on`, and merges overlapping and touching ones.
    pub fn new(stays: &[Stay], on: Day) -> Self {
        Self::since(stays, on, i32::MIN)
    }

    /// Like [`Self::new`] but drops stays that ended before `earliest`: a long history is mostly
    /// stays no window can reach, and skipping them before sorting is what keeps a 200-stay
    /// person in the sub-microsecond range. Queries must then not look before `earliest`.
    fn since(stays: &[Stay], on: Day, earliest: i32) -> Self {
        let mut runs: Vec<Run> = Vec::with_capacity(stays.len().min(64));
        for stay in stays {
            if !stay.basis.counts() {
                continue;
            }
            let end = stay.exit.map_or(on.0, |exit| exit.0.min(on.0));
            if stay.entry.0 <= end && end >= earliest {
                runs.push(Run {
                    start: stay.entry.0,
                    end,
                    before: 0,
                });
            }
        }
        runs.sort_unstable_by_key(|run| run.start);
        let mut merged = 0usize;
        for index in 0..runs.len() {
            let run = runs[index];
            if merged > 0 && run.start <= runs[merged - 1].end.saturating_add(1) {
                let last = &mut runs[merged - 1];
                last.end = last.end.max(run.end);
            } else {
                runs[merged] = run;
                merged += 1;
            }
        }
        runs.truncate(merged);
        let mut total = 0i32;
        for run in &mut runs {
            run.before = total;
            total += run.end - run.start + 1;
        }
        Self { on, runs }
    }

    /// The day the calculation is made on.
    pub fn on(&self) -> Day {
        self.on
    }

    /// Recorded days `<= day`.
    fn recorded_up_to(&self, day: i32) -> i32 {
        let index = self.runs.partition_point(|run| run.start <= day);
        match index.checked_sub(1).and_then(|last| self.runs.get(last)) {
            Some(run) => run.before + (run.end.min(day) - run.start + 1),
            None => 0,
        }
    }

    /// Recorded days in `[from, to]` (0 when the range is empty).
    fn recorded_between(&self, from: i32, to: i32) -> i32 {
        if from > to {
            return 0;
        }
        self.recorded_up_to(to) - self.recorded_up_to(from.saturating_sub(1))
    }

    /// Recorded days in the reference period ending on `day`.
    pub fn days_used_on(&self, day: Day) -> u32 {
        self.recorded_between(day.0.saturating_sub(WINDOW_DAYS - 1), day.0)
            .unsigned_abs()
    }

    /// Recorded days in the reference period ending on `on`.
    pub fn days_used(&self) -> u32 {
        self.days_used_on(self.on)
    }

    /// The longest stay from `enter` whose every day keeps the reference period at ≤ 90 days;
    /// 0 when the entry day itself would already exceed it. Never more than 90.
    pub fn max_stay_days(&self, enter: Day) -> u32 {
        max_stay_with(enter, |from, to| self.recorded_between(from, to))
    }

    /// Days used, remaining and overstayed on `on`, and the longest stay from `enter` if given.
    pub fn summary(&self, enter: Option<Day>) -> Summary {
        summarise(self.on, enter, |from, to| self.recorded_between(from, to))
    }
}

/// The longest legal stay from `enter`, given "recorded days in `[from, to]`".
fn max_stay_with(enter: Day, recorded_between: impl Fn(i32, i32) -> i32) -> u32 {
    let before_entry = enter.0.saturating_sub(1);
    // Days present on the k-th day (0-based) of the planned stay: the k + 1 planned days plus the
    // recorded days of its window that precede the entry.
    let count_on = |k: i32| {
        k + 1 + recorded_between(enter.0.saturating_add(k - (WINDOW_DAYS - 1)), before_entry)
    };
    // Smallest k whose day is over the limit; k = 90 always is, as it has 91 planned days.
    let (mut low, mut high) = (0, MAX_DAYS);
    while low < high {
        let middle = low + (high - low) / 2;
        if count_on(middle) > MAX_DAYS {
            high = middle;
        } else {
            low = middle + 1;
        }
    }
    low.unsigned_abs()
}

fn summarise(on: Day, enter: Option<Day>, recorded_between: impl Fn(i32, i32) -> i32) -> Summary {
    let days_used = recorded_between(on.0.saturating_sub(WINDOW_DAYS - 1), on.0).unsigned_abs();
    let limit = MAX_DAYS.unsigned_abs();
    Summary {
        days_used,
        days_remaining: limit.saturating_sub(days_used),
        overstay_days: days_used.saturating_sub(limit),
        max_stay_days: enter.map(|enter| max_stay_with(enter, &recorded_between)),
    }
}

/// Days a [`DayBitmap`] covers: 16 words of 64 bits.
const BITMAP_WORDS: usize = 16;
const BITMAP_DAYS: i32 = 64 * BITMAP_WORDS as i32;

/// Presence as one bit per day from `base`, on the stack: marking a stay and counting a range
/// touch one word per 64 days, with no sorting and no allocation.
struct DayBitmap {
    base: i32,
    words: [u64; BITMAP_WORDS],
}

/// The word indices and masks covering `[from, to]`, clipped to a bitmap starting at `base`.
fn bitmap_spans(base: i32, from: i32, to: i32) -> impl Iterator<Item = (usize, u64)> {
    let low = from.max(base) - base;
    let high = to.min(base + BITMAP_DAYS - 1) - base;
    let (first, last) = if low <= high {
        (low / 64, high / 64)
    } else {
        (1, 0)
    };
    (first..=last).map(move |word| {
        let start = (low - word * 64).max(0);
        let end = (high - word * 64).min(63);
        let mask = (u64::MAX >> (63 - end)) & (u64::MAX << start);
        (usize::try_from(word).unwrap_or(BITMAP_WORDS), mask)
    })
}

impl DayBitmap {
    fn set(&mut self, from: i32, to: i32) {
        for (index, mask) in bitmap_spans(self.base, from, to) {
            if let Some(word) = self.words.get_mut(index) {
                *word |= mask;
            }
        }
    }

    fn count(&self, from: i32, to: i32) -> i32 {
        bitmap_spans(self.base, from, to)
            .map(|(index, mask)| {
                self.words.get(index).map_or(0, |word| {
                    i32::try_from((word & mask).count_ones()).unwrap_or(0)
                })
            })
            .sum()
    }
}

/// One-shot form of [`StayHistory::new`] + [`StayHistory::summary`]. Only days on or after
/// `min(on, enter) − 179` can matter (the planned stay's k-th day looks back to
/// `enter + k − 179`). When that span is at most 1024 days — always when `enter` is on or after
/// `on` — presence goes into a stack bitmap, one pass over the stays with no sort; otherwise the
/// stays that reach the span are sorted and merged as in [`StayHistory`].
pub fn calculate(stays: &[Stay], on: Day, enter: Option<Day>) -> Summary {
    let earliest = enter
        .map_or(on, |enter| enter.min(on))
        .0
        .saturating_sub(WINDOW_DAYS - 1);
    if on.0.saturating_sub(earliest) >= BITMAP_DAYS {
        return StayHistory::since(stays, on, earliest).summary(enter);
    }
    let mut bitmap = DayBitmap {
        base: earliest,
        words: [0; BITMAP_WORDS],
    };
    for stay in stays {
        if stay.basis.counts() {
            let end = stay.exit.map_or(on.0, |exit| exit.0.min(on.0));
            if end >= earliest {
                bitmap.set(stay.entry.0, end);
            }
        }
    }
    summarise(on, enter, |from, to| {
        if from > to { 0 } else { bitmap.count(from, to) }
    })
}

#[cfg(test)]
mod tests;
