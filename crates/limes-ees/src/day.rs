//! Calendar days as plain integers, so that the 90/180 arithmetic is subtraction and comparison.
//!
//! The rule counts whole calendar days (SBC Art 6(1): the dates of entry and exit are days of stay);
//! times of day and time zones never enter it. A Julian day number turns "is this day in the
//! window?" into two integer comparisons and keeps records compact (4 bytes per date).

use std::fmt;

use serde::{Deserialize, Serialize};

/// A calendar day as its Julian day number (`time::Date::to_julian_day`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Day(pub i32);

impl Day {
    pub fn from_date(date: time::Date) -> Self {
        Self(date.to_julian_day())
    }

    /// `None` only for day numbers outside the years `time` supports (±9999).
    pub fn to_date(self) -> Option<time::Date> {
        time::Date::from_julian_day(self.0).ok()
    }

    /// The day `days` later (earlier when negative); saturates instead of overflowing.
    #[must_use]
    pub fn plus(self, days: i32) -> Self {
        Self(self.0.saturating_add(days))
    }

    /// Whole days from `earlier` to `self` (negative if `self` is earlier).
    pub fn since(self, earlier: Day) -> i32 {
        self.0.saturating_sub(earlier.0)
    }
}

impl From<time::Date> for Day {
    fn from(date: time::Date) -> Self {
        Self::from_date(date)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_date() {
            Some(date) => write!(f, "{date}"),
            None => write!(f, "julian day {}", self.0),
        }
    }
}
