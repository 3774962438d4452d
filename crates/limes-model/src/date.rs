//! Birth dates as documents print them: often only the year, sometimes year and month.
//!
//! ICAO 9303 and SIS both allow unknown day or month; we keep them as 0 rather than inventing a day,
//! because a guessed 1 January would make every year-only record look like an exact match on 1 January.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date whose month and/or day may be unknown (stored as 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    year: u16,
    month: u8,
    day: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartialDateError {
    #[error("date must be written YYYY-MM-DD (00 for an unknown month or day), got {0:?}")]
    Shape(String),
    #[error("month {0} is out of range 00..=12")]
    Month(u8),
    #[error("day {day} is out of range for month {month} of {year}")]
    Day { year: u16, month: u8, day: u8 },
    #[error("a day is known but its month is not")]
    DayWithoutMonth,
}

impl PartialDate {
    /// Builds a date; `month` and `day` may be 0 for unknown.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, PartialDateError> {
        if month > 12 {
            return Err(PartialDateError::Month(month));
        }
        if month == 0 && day != 0 {
            return Err(PartialDateError::DayWithoutMonth);
        }
        if day != 0 && day > days_in_month(year, month) {
            return Err(PartialDateError::Day { year, month, day });
        }
        Ok(Self { year, month, day })
    }

    pub fn year(&self) -> u16 {
        self.year
    }
    /// 0 when unknown.
    pub fn month(&self) -> u8 {
        self.month
    }
    /// 0 when unknown.
    pub fn day(&self) -> u8 {
        self.day
    }
    pub fn is_complete(&self) -> bool {
        self.month != 0 && self.day != 0
    }

    /// The full date when day and month are known.
    pub fn to_date(&self) -> Option<time::Date> {
        if !self.is_complete() {
            return None;
        }
        let month = time::Month::try_from(self.month).ok()?;
        time::Date::from_calendar_date(i32::from(self.year), month, self.day).ok()
    }

    /// Age in whole years on `on`, counting an unknown month or day in the person's favour of being
    /// younger (the latest possible birthday), so a minor is never taken for an adult.
    pub fn age_on(&self, on: time::Date) -> i32 {
        let month = if self.month == 0 { 12 } else { self.month };
        let day = if self.day == 0 {
            days_in_month(self.year, month)
        } else {
            self.day
        };
        let mut age = on.year() - i32::from(self.year);
        let on_md = (u8::from(on.month()), on.day());
        if on_md < (month, day) {
            age -= 1;
        }
        age
    }
}

impl From<time::Date> for PartialDate {
    fn from(date: time::Date) -> Self {
        Self {
            year: u16::try_from(date.year()).unwrap_or(0),
            month: u8::from(date.month()),
            day: date.day(),
        }
    }
}

pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 31,
    }
}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

impl FromStr for PartialDate {
    type Err = PartialDateError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let shape = || PartialDateError::Shape(text.chars().take(40).collect());
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(shape());
        }
        let num = |range: std::ops::Range<usize>| -> Result<u16, PartialDateError> {
            let part = &text[range];
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(shape());
            }
            part.parse::<u16>().map_err(|_| shape())
        };
        let year = num(0..4)?;
        let month = u8::try_from(num(5..7)?).map_err(|_| shape())?;
        let day = u8::try_from(num(8..10)?).map_err(|_| shape())?;
        PartialDate::new(year, month, day)
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_and_partial() {
        assert_eq!(
            "1975-00-00".parse::<PartialDate>().map(|d| d.year()),
            Ok(1975)
        );
        assert_eq!(
            "1979-06-02".parse::<PartialDate>().map(|d| d.is_complete()),
            Ok(true)
        );
        assert!("1979-13-02".parse::<PartialDate>().is_err());
        assert!("1979-00-02".parse::<PartialDate>().is_err());
        assert!("2023-02-29".parse::<PartialDate>().is_err());
        assert!("2024-02-29".parse::<PartialDate>().is_ok());
        assert!("79-06-02".parse::<PartialDate>().is_err());
        assert!("１９７９-06-02".parse::<PartialDate>().is_err());
    }

    #[test]
    fn age_with_unknown_parts_is_never_overstated() {
        let on = time::macros::date!(2026 - 06 - 15);
        let year_only: PartialDate = "2008-00-00".parse().expect("valid");
        assert_eq!(year_only.age_on(on), 17);
        let full: PartialDate = "2008-06-15".parse().expect("valid");
        assert_eq!(full.age_on(on), 18);
    }

    proptest::proptest! {
        #[test]
        fn display_parse_roundtrip(y in 1u16..9999, m in 0u8..=12, d in 0u8..=31) {
            if let Ok(date) = PartialDate::new(y, m, d) {
                proptest::prop_assert_eq!(date.to_string().parse::<PartialDate>(), Ok(date));
            }
        }
        #[test]
        fn parse_never_panics(s in "\\PC{0,12}") {
            let _ = s.parse::<PartialDate>();
        }
    }
}
