//! Overstayers: entry records whose authorised stay has ended with no exit recorded
//! (EES Reg 2017/2226 Art 12: "where there is no exit record immediately following the date of
//! expiry of the authorised length of stay", the record is flagged and the person is on the list).
//!
//! The national list must be rebuilt as days pass, over tens of millions of records, so the scan
//! works on [`OverstayRecord`], a 16-byte copy of the three facts the predicate needs, and is a
//! branch-free pass over a slice. Loading the slice from storage is the store's business.

use serde::Serialize;

use crate::day::Day;

/// "No exit recorded": larger than any real day, so `exit <= as_of` is simply false.
const NO_EXIT: i32 = i32::MAX;

/// The facts of one entry record that decide overstay: its file, the last authorised day, the exit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(C)]
pub struct OverstayRecord {
    file: u64,
    end_of_stay: i32,
    exit: i32,
}

// Keeps 50 M records at 800 MB; a layout change that grows it should be a deliberate decision.
const _: () = assert!(std::mem::size_of::<OverstayRecord>() == 16);

/// Where an entry record stands on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OverstayStatus {
    /// No exit yet, and the authorised stay runs at least until this day.
    WithinAuthorisedStay,
    /// Left on or before the last authorised day.
    ExitedInTime,
    /// The authorised stay has ended and no exit is recorded: on the overstayers list.
    Overstaying,
    /// Left, but after the authorised stay ended (the Art 12 flag stays on the record).
    ExitedLate,
}

impl OverstayRecord {
    /// `end_of_stay` is the last day the person may stay (that day itself is authorised).
    pub fn new(file: u64, end_of_stay: Day, exit: Option<Day>) -> Self {
        Self {
            file,
            end_of_stay: end_of_stay.0,
            // A real exit on the sentinel day (year 5.8 million) cannot occur; clamp to keep it "exited".
            exit: exit.map_or(NO_EXIT, |exit| exit.0.min(NO_EXIT - 1)),
        }
    }

    pub fn file(&self) -> u64 {
        self.file
    }
    pub fn end_of_stay(&self) -> Day {
        Day(self.end_of_stay)
    }
    pub fn exit(&self) -> Option<Day> {
        (self.exit != NO_EXIT).then_some(Day(self.exit))
    }

    /// On the overstayers list on `as_of`: the authorised stay ended before `as_of` and no exit is
    /// recorded on or before `as_of`. (An exit dated after `as_of` is not yet known on `as_of`.)
    #[inline]
    pub fn is_overstaying(&self, as_of: Day) -> bool {
        (self.end_of_stay < as_of.0) & (self.exit > as_of.0)
    }

    /// The full classification on `as_of`.
    pub fn status(&self, as_of: Day) -> OverstayStatus {
        let exited = self.exit <= as_of.0;
        match (exited, exited && self.exit <= self.end_of_stay) {
            (true, true) => OverstayStatus::ExitedInTime,
            (true, false) => OverstayStatus::ExitedLate,
            (false, _) if self.end_of_stay < as_of.0 => OverstayStatus::Overstaying,
            (false, _) => OverstayStatus::WithinAuthorisedStay,
        }
    }
}

/// How many records are overstaying on `as_of`.
pub fn count_overstaying(records: &[OverstayRecord], as_of: Day) -> usize {
    records
        .iter()
        .map(|record| usize::from(record.is_overstaying(as_of)))
        .sum()
}

/// Appends to `files` the file of every record overstaying on `as_of`, in record order. A file
/// with several open overstayed records appears once per record; deduplicate if a list of
/// people is wanted.
pub fn overstaying_files(records: &[OverstayRecord], as_of: Day, files: &mut Vec<u64>) {
    files.extend(
        records
            .iter()
            .filter(|record| record.is_overstaying(as_of))
            .map(|record| record.file),
    );
}

#[cfg(test)]
mod tests;
