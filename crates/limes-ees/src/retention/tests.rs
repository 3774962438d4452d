use time::macros::{date, datetime};

use super::*;
use crate::record::{Crossing, EntryBasis, EntryExitRecord, FileId, RefusalRecord};
use crate::refusal::ReasonLetter;

fn crossing(on: Date) -> Crossing {
    Crossing {
        at: datetime!(2000-01-01 10:00 UTC).replace_date(on),
        crossing_point: "XX-BCP-1".into(),
        authority: "border guard".into(),
    }
}

fn entry(id: u64, entered: Date, end: Date, exit: Option<Date>) -> EntryExitRecord {
    EntryExitRecord {
        id: RecordId(id),
        file: FileId(1),
        entry: crossing(entered),
        basis: EntryBasis::VisaExempt,
        end_of_authorised_stay: end,
        exit: exit.map(crossing),
    }
}

fn refusal(id: u64, on: Date) -> RefusalRecord {
    RefusalRecord {
        id: RecordId(id),
        file: FileId(1),
        refused: crossing(on),
        reasons: vec![ReasonLetter::parse("E").expect("valid")],
    }
}

#[test]
fn calendar_arithmetic_clamps_to_month_ends() {
    assert_eq!(add_years(date!(2028 - 02 - 29), 3), date!(2031 - 02 - 28));
    assert_eq!(add_years(date!(2027 - 03 - 10), 5), date!(2032 - 03 - 10));
    assert_eq!(sub_months(date!(2027 - 05 - 30), 3), date!(2027 - 02 - 28));
    assert_eq!(sub_months(date!(2027 - 02 - 15), 3), date!(2026 - 11 - 15));
}

#[test]
fn exited_record_and_file_go_after_three_years_and_a_day() {
    let records = [entry(
        1,
        date!(2027 - 01 - 01),
        date!(2027 - 03 - 31),
        Some(date!(2027 - 01 - 20)),
    )];
    // Moving the clock: kept the day before the anniversary, record due on it, file a day later.
    let before = decide(&records, &[], false, date!(2030 - 01 - 19));
    assert_eq!(before, RetentionDecision::default());
    let anniversary = decide(&records, &[], false, date!(2030 - 01 - 20));
    assert_eq!(anniversary.delete_records, vec![RecordId(1)]);
    assert!(!anniversary.delete_file);
    let after = decide(&records, &[], false, date!(2030 - 01 - 21));
    assert!(after.delete_file);
}

#[test]
fn a_newer_entry_keeps_the_file_but_not_the_old_record() {
    let records = [
        entry(
            1,
            date!(2027 - 01 - 01),
            date!(2027 - 03 - 31),
            Some(date!(2027 - 01 - 20)),
        ),
        entry(
            2,
            date!(2029 - 06 - 01),
            date!(2029 - 08 - 29),
            Some(date!(2029 - 06 - 10)),
        ),
    ];
    let decision = decide(&records, &[], false, date!(2030 - 06 - 01));
    assert_eq!(decision.delete_records, vec![RecordId(1)]);
    assert!(!decision.delete_file);
    assert!(decide(&records, &[], false, date!(2032 - 06 - 11)).delete_file);
}

#[test]
fn open_record_within_its_stay_keeps_everything() {
    let records = [entry(1, date!(2027 - 01 - 01), date!(2027 - 03 - 31), None)];
    assert_eq!(
        decide(&records, &[], false, date!(2027 - 02 - 01)),
        RetentionDecision::default()
    );
}

#[test]
fn overstay_record_is_kept_five_years_with_a_warning_three_months_before() {
    let records = [entry(1, date!(2027 - 01 - 01), date!(2027 - 03 - 31), None)];
    let quiet = decide(&records, &[], false, date!(2031 - 12 - 30));
    assert!(quiet.warn_records.is_empty() && quiet.delete_records.is_empty());
    let warned = decide(&records, &[], false, date!(2031 - 12 - 31));
    assert_eq!(
        warned.warn_records,
        vec![(RecordId(1), date!(2032 - 03 - 31))]
    );
    assert!(warned.delete_records.is_empty());
    let due = decide(&records, &[], false, date!(2032 - 03 - 31));
    assert_eq!(due.delete_records, vec![RecordId(1)]);
    assert!(
        due.delete_file,
        "a file of overstay records only goes with them"
    );
    assert!(due.warn_records.is_empty());
}

#[test]
fn late_exit_switches_to_the_three_year_rule() {
    let records = [entry(
        1,
        date!(2027 - 01 - 01),
        date!(2027 - 03 - 31),
        Some(date!(2027 - 06 - 30)),
    )];
    assert!(
        decide(&records, &[], false, date!(2030 - 06 - 29))
            .delete_records
            .is_empty()
    );
    assert_eq!(
        decide(&records, &[], false, date!(2030 - 06 - 30)).delete_records,
        vec![RecordId(1)]
    );
}

#[test]
fn family_member_records_go_after_one_year() {
    let records = [entry(
        1,
        date!(2027 - 01 - 01),
        date!(2027 - 03 - 31),
        Some(date!(2027 - 01 - 20)),
    )];
    assert!(
        decide(&records, &[], true, date!(2028 - 01 - 19))
            .delete_records
            .is_empty()
    );
    assert_eq!(
        decide(&records, &[], true, date!(2028 - 01 - 20)).delete_records,
        vec![RecordId(1)]
    );
    assert!(decide(&records, &[], true, date!(2028 - 01 - 21)).delete_file);
}

#[test]
fn refusal_records_go_after_three_years() {
    let refusals = [refusal(9, date!(2027 - 05 - 05))];
    assert_eq!(
        decide(&[], &refusals, false, date!(2030 - 05 - 04)),
        RetentionDecision::default()
    );
    let due = decide(&[], &refusals, false, date!(2030 - 05 - 05));
    assert_eq!(due.delete_records, vec![RecordId(9)]);
    assert!(!due.delete_file);
    assert!(decide(&[], &refusals, false, date!(2030 - 05 - 06)).delete_file);
}

#[test]
fn a_file_without_records_is_kept() {
    assert!(!decide(&[], &[], false, date!(2040 - 01 - 01)).delete_file);
}

#[test]
fn file_due_is_the_day_after_the_last_event_retention() {
    let records = [
        entry(
            1,
            date!(2027 - 01 - 01),
            date!(2027 - 03 - 31),
            Some(date!(2027 - 01 - 20)),
        ),
        entry(2, date!(2027 - 06 - 01), date!(2027 - 08 - 29), None),
    ];
    let refusals = [refusal(3, date!(2027 - 02 - 10))];
    assert_eq!(
        file_due(&records, &refusals, false),
        Some(date!(2030 - 02 - 11))
    );
    assert_eq!(
        file_due(&records[..1], &[], true),
        Some(date!(2028 - 01 - 21))
    );
    assert_eq!(file_due(&records[1..], &[], false), None);
}
