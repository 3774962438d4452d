//! Retention under EES Reg 2017/2226 Art 34, as a pure decision: given one file's records and a
//! day, which records and whether the whole file are due for deletion, and which overstay records
//! need the three-month warning. The retention job of the hub carries it out and reports it.
//!
//! The rules, with the day each one makes data due:
//! - an entry/exit record with an exit, and a refusal record: 3 years after the exit or refusal
//!   date (Art 34(1)); for a family member of a Union citizen, 1 year after the exit (Art 34(2));
//! - an entry record with no exit after the end of the authorised stay: 5 years after the last
//!   authorised day, with a warning to the Member States from 3 months before (Art 34(3));
//! - the file, with all its records: 3 years and 1 day after the last exit or refusal, when no
//!   newer entry has been recorded (Art 34(2)); 1 year and 1 day for a family member (our reading
//!   of Art 34(2), marked **[unverified]** in the legal digest's wording).
//!
//! "Due on day X" means that on X and afterwards the data must be gone; before X it is kept.
//! A record still open within its authorised stay is never due, and keeps the file alive.

use serde::Serialize;
use time::{Date, Duration, Month};

use crate::record::{EntryExitRecord, RecordId, RefusalRecord};

/// The same calendar day `years` later; 29 February becomes 28 February in a common year, so that
/// a retention period never runs past its anniversary.
pub fn add_years(date: Date, years: i32) -> Date {
    let year = date.year() + years;
    date.replace_year(year)
        .unwrap_or_else(|_| Date::from_calendar_date(year, Month::February, 28).unwrap_or(date))
}

/// `months` calendar months earlier, clamped to the month's last day (30 May − 3 months = 28 Feb).
pub fn sub_months(date: Date, months: u8) -> Date {
    let mut month = date.month();
    let mut year = date.year();
    for _ in 0..months {
        month = month.previous();
        if month == Month::December {
            year -= 1;
        }
    }
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, date.day().min(last)).unwrap_or(date)
}

/// What the retention job must do for one file on one day.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RetentionDecision {
    /// The whole file goes, with every record below and any not listed.
    pub delete_file: bool,
    /// Records due for deletion (all of them when `delete_file`).
    pub delete_records: Vec<RecordId>,
    /// Overstay records to be deleted within three months: (record, day due).
    pub warn_records: Vec<(RecordId, Date)>,
}

/// Years a record with an exit is kept, and years before the file goes after the last event.
fn years_kept(family_member: bool) -> i32 {
    if family_member { 1 } else { 3 }
}

/// The day an entry/exit record becomes due, or `None` while it is still open within its stay.
pub fn entry_record_due(
    record: &EntryExitRecord,
    today: Date,
    family_member: bool,
) -> Option<Date> {
    match &record.exit {
        Some(exit) => Some(add_years(exit.at.date(), years_kept(family_member))),
        None if record.end_of_authorised_stay < today => {
            Some(add_years(record.end_of_authorised_stay, 5))
        }
        None => None,
    }
}

/// The day a file goes when no newer entry comes: one day after the retention of its last exit or
/// refusal ends (Art 34(2)). `None` when the file has no exit or refusal. A job that deletes the
/// records a day before the file keeps this date, since the records that gave it are gone then.
pub fn file_due(
    entries: &[EntryExitRecord],
    refusals: &[RefusalRecord],
    family_member: bool,
) -> Option<Date> {
    entries
        .iter()
        .filter_map(|record| record.exit.as_ref().map(|exit| exit.at.date()))
        .chain(refusals.iter().map(|refusal| refusal.refused.at.date()))
        .max()
        .map(|last| add_years(last, years_kept(family_member)) + Duration::days(1))
}

/// Applies Art 34 to one file's records on `today`.
pub fn decide(
    entries: &[EntryExitRecord],
    refusals: &[RefusalRecord],
    family_member: bool,
    today: Date,
) -> RetentionDecision {
    let mut decision = RetentionDecision::default();
    let mut all_due = true;
    for record in entries {
        match entry_record_due(record, today, family_member) {
            Some(due) if due <= today => decision.delete_records.push(record.id),
            Some(due) => {
                all_due = false;
                if record.exit.is_none() && sub_months(due, 3) <= today {
                    decision.warn_records.push((record.id, due));
                }
            }
            None => all_due = false,
        }
    }
    for refusal in refusals {
        if add_years(refusal.refused.at.date(), 3) <= today {
            decision.delete_records.push(refusal.id);
        } else {
            all_due = false;
        }
    }
    let last_event = entries
        .iter()
        .filter_map(|record| record.exit.as_ref().map(|exit| exit.at.date()))
        .chain(refusals.iter().map(|refusal| refusal.refused.at.date()))
        .max();
    // Every record is due (so no newer entry is open): the file follows one day after the last
    // exit or refusal's retention ends; a file of overstay records only goes with them. A file with
    // no record yet (pre-enrolled at a kiosk) is kept.
    let has_records = !entries.is_empty() || !refusals.is_empty();
    let file_due = has_records
        && last_event.is_none_or(|last| {
            add_years(last, years_kept(family_member)) + Duration::days(1) <= today
        });
    if all_due && file_due {
        decision.delete_file = true;
        decision.warn_records.clear();
    }
    decision
}

#[cfg(test)]
mod tests;
