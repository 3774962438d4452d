use proptest::prelude::*;

use super::*;
use crate::synth;

const AS_OF: Day = Day(2_461_500);

#[test]
fn the_last_authorised_day_is_not_an_overstay() {
    let record = OverstayRecord::new(1, AS_OF, None);
    assert!(!record.is_overstaying(AS_OF));
    assert_eq!(record.status(AS_OF), OverstayStatus::WithinAuthorisedStay);
    assert!(record.is_overstaying(AS_OF.plus(1)));
    assert_eq!(record.status(AS_OF.plus(1)), OverstayStatus::Overstaying);
}

#[test]
fn an_exit_recorded_later_is_not_known_yet() {
    let record = OverstayRecord::new(7, AS_OF.plus(-10), Some(AS_OF.plus(5)));
    assert!(record.is_overstaying(AS_OF));
    assert_eq!(record.status(AS_OF.plus(5)), OverstayStatus::ExitedLate);
    assert!(!record.is_overstaying(AS_OF.plus(5)));
}

#[test]
fn exit_on_the_last_day_is_in_time() {
    let record = OverstayRecord::new(3, AS_OF, Some(AS_OF));
    assert_eq!(record.status(AS_OF.plus(100)), OverstayStatus::ExitedInTime);
    assert_eq!(record.exit(), Some(AS_OF));
    assert_eq!(OverstayRecord::new(3, AS_OF, None).exit(), None);
}

#[test]
fn scan_finds_exactly_the_planted_overstayers() {
    let (records, planted) = synth::overstay_records(42, 10_000, AS_OF);
    assert!(planted > 0 && planted < records.len());
    assert_eq!(count_overstaying(&records, AS_OF), planted);
    let mut files = Vec::new();
    overstaying_files(&records, AS_OF, &mut files);
    assert_eq!(files.len(), planted);
    assert!(files.iter().all(|&file| records.iter().any(
        |record| record.file() == file && record.status(AS_OF) == OverstayStatus::Overstaying
    )));
}

proptest! {
    #[test]
    fn predicate_agrees_with_status(end in -500..500i32, exit in prop::option::of(-500..500i32), probe in -600..600i32) {
        let record = OverstayRecord::new(9, AS_OF.plus(end), exit.map(|exit| AS_OF.plus(exit)));
        let as_of = AS_OF.plus(probe);
        prop_assert_eq!(record.is_overstaying(as_of), record.status(as_of) == OverstayStatus::Overstaying);
    }
}
