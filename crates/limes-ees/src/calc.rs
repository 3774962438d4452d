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
//! Speed: the stays are sorted and merged once into disjoint runs carrying a running day total,
//! so "recorded days in `[a, b]`" is two binary searches. `days_used` is one such query;
//! `max_stay_days` is a binary search over the planned stay's length, which is valid because the
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
        let mut runs: Vec<Run> = Vec::with_capacity(stays.len());
        for stay in stays {
            if !stay.basis.counts() {
                continue;
            }
            let end = stay.exit.map_or(on.0, |exit| exit.0.min(on.0));
            if stay.entry.0 <= end {
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
        let before_entry = enter.0.saturating_sub(1);
        // Days present on the k-th day (0-based) of the planned stay: the k + 1 planned days plus
        // the recorded days of the window that precede the entry.
        let count_on = |k: i32| {
            k + 1
                + self.recorded_between(enter.0.saturating_add(k - (WINDOW_DAYS - 1)), before_entry)
        };
        // Smallest k whose day is over the limit; day 90 (k = 90) always is, as it has 91 planned days.
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

    /// Days used, remaining and overstayed on `on`, and the longest stay from `enter` if given.
    pub fn summary(&self, enter: Option<Day>) -> Summary {
        let days_used = self.days_used();
        let limit = MAX_DAYS.unsigned_abs();
        Summary {
            days_used,
            days_remaining: limit.saturating_sub(days_used),
            overstay_days: days_used.saturating_sub(limit),
            max_stay_days: enter.map(|enter| self.max_stay_days(enter)),
        }
    }
}

/// One-shot form of [`StayHistory::new`] + [`StayHistory::summary`].
pub fn calculate(stays: &[Stay], on: Day, enter: Option<Day>) -> Summary {
    StayHistory::new(stays, on).summary(enter)
}

#[cfg(test)]
mod tests;
