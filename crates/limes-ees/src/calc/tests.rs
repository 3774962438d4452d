use std::collections::BTreeSet;

use proptest::prelude::*;

use super::*;

fn day(text: &str) -> Day {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Day::from_date(time::Date::parse(text, &format).expect("test dates are well formed"))
}

fn stay(entry: &str, exit: &str) -> Stay {
    Stay::new(day(entry), Some(day(exit))).expect("test stays are ordered")
}

fn open(entry: &str) -> Stay {
    Stay::new(day(entry), None).expect("open stays are always valid")
}

// ---------------------------------------------------------------------------------------------
// Brute-force oracle: materialise every recorded day, then count day by day. Deliberately naive.

fn oracle_days(stays: &[Stay], on: Day) -> BTreeSet<i32> {
    let mut days = BTreeSet::new();
    for stay in stays.iter().filter(|stay| stay.basis().counts()) {
        let last = stay.exit().unwrap_or(on).min(on);
        let mut current = stay.entry().0;
        while current <= last.0 {
            days.insert(current);
            current += 1;
        }
    }
    days
}

fn oracle_used(days: &BTreeSet<i32>, on: i32) -> u32 {
    let count = days.range(on - 179..=on).count();
    u32::try_from(count).expect("at most 180")
}

/// Is the planned stay of `length` days from `enter` legal on each of its days?
fn oracle_plan_legal(recorded: &BTreeSet<i32>, enter: i32, length: i32) -> bool {
    let mut days = recorded.clone();
    for k in 0..length {
        days.insert(enter + k);
        if oracle_used(&days, enter + k) > 90 {
            return false;
        }
    }
    true
}

/// Walks the planned stay day by day and stops at the first day over the limit.
fn oracle_max_stay(recorded: &BTreeSet<i32>, enter: i32) -> u32 {
    let mut days = recorded.clone();
    let mut length = 0;
    loop {
        days.insert(enter + length);
        if oracle_used(&days, enter + length) > 90 {
            return length.unsigned_abs();
        }
        length += 1;
    }
}

// ---------------------------------------------------------------------------------------------
// Worked examples. Source: the Swiss State Secretariat for Migration's guidance for the European
// Commission's short-stay calculator ("Aufenthaltsrechner", examples 1–6,
// https://www.sem.admin.ch/sem/en/home/themen/einreise/aufenthaltsrechner/bsp-1.html … bsp-6.html,
// last modified 01.12.2014). Where the guidance gives a "may stay until" date we express it as
// `max_stay_days` from the day after the check. Example 3 is left out: its stamps are printed with
// impossible dates (an exit in 2013 for an entry in 2014) and cannot be reconstructed.

#[test]
fn sem_example_1_open_stay_then_return_after_the_window() {
    // Entry stamp 15.08.2014, checked on departure 30.09.2014: 47 days used; returning on
    // 01.01.2015 the person may stay up to 90 days.
    let history = StayHistory::new(&[open("2014-08-15")], day("2014-09-30"));
    assert_eq!(history.days_used(), 47);
    assert_eq!(history.max_stay_days(day("2015-01-01")), 90);
}

#[test]
fn sem_example_2_legal_stay_may_stay_until_13_december() {
    // 15.08.2014–30.09.2014 and 01.11.2014–30.11.2014, control on 30.11.2014: legal, and a stay
    // would have been possible until 13.12.2014, i.e. 13 more days from 01.12.2014.
    let stays = [
        stay("2014-08-15", "2014-09-30"),
        stay("2014-11-01", "2014-11-30"),
    ];
    let summary = calculate(&stays, day("2014-11-30"), Some(day("2014-12-01")));
    assert_eq!(
        summary,
        Summary {
            days_used: 77,
            days_remaining: 13,
            overstay_days: 0,
            max_stay_days: Some(13)
        }
    );
}

#[test]
fn sem_example_4_old_stay_outside_the_window_is_ignored() {
    // 01.06.2013–13.07.2013, 15.08.2013–30.09.2013, 01.01.2014–30.01.2014, control on exit
    // 30.01.2014: the June/July stay is outside the window; legal; could have stayed until
    // 31.03.2014 (60 more days from 31.01.2014).
    let stays = [
        stay("2013-06-01", "2013-07-13"),
        stay("2013-08-15", "2013-09-30"),
        stay("2014-01-01", "2014-01-30"),
    ];
    let history = StayHistory::new(&stays, day("2014-01-30"));
    assert_eq!(history.days_used(), 47 + 30);
    assert_eq!(history.max_stay_days(day("2014-01-31")), 60);
}

#[test]
fn sem_example_5_short_overstay_then_return_for_50_days() {
    // 01.09.2013–30.09.2013, 21.02.2014–20.04.2014, 01.05.2014–09.06.2014: overstay of 9 days on
    // exit 09.06.2014; a return on 30.08.2014 allows a stay of up to 50 days.
    let stays = [
        stay("2013-09-01", "2013-09-30"),
        stay("2014-02-21", "2014-04-20"),
        stay("2014-05-01", "2014-06-09"),
    ];
    let summary = calculate(&stays, day("2014-06-09"), Some(day("2014-08-30")));
    assert_eq!(summary.days_used, 99);
    assert_eq!(summary.overstay_days, 9);
    assert_eq!(summary.days_remaining, 0);
    assert_eq!(summary.max_stay_days, Some(50));
}

#[test]
fn sem_example_6_long_overstay() {
    // 28.06.2013–09.08.2013, then entry 19.09.2013 and exit 01.03.2014: 74 days of overstay in
    // the period 03.09.2013–01.03.2014. (The guidance warns that the Commission's tool needs the
    // first stay removed by hand; here the window excludes it by itself.)
    let stays = [
        stay("2013-06-28", "2013-08-09"),
        stay("2013-09-19", "2014-03-01"),
    ];
    let summary = calculate(&stays, day("2014-03-01"), None);
    assert_eq!(summary.days_used, 164);
    assert_eq!(summary.overstay_days, 74);
    assert_eq!(summary.max_stay_days, None);
}

#[test]
fn handbook_example_two_stays_reach_89_days() {
    // Example quoted from an EU decision by secondary sources: 19–21 April 2014 (3 days) and
    // 18 June–11 September 2014 (86 days) make 89 days on 11 September 2014.
    let stays = [
        stay("2014-04-19", "2014-04-21"),
        stay("2014-06-18", "2014-09-11"),
    ];
    assert_eq!(StayHistory::new(&stays, day("2014-09-11")).days_used(), 89);
}

// Hand-made examples (labelled as ours, not from any guidance).

#[test]
fn contract_example() {
    // The example of the CLI contract: 30 + 10 days used; entering on 2027-04-01 the January days
    // leave the window from 2027-06-30 on, and the person may stay 50 days.
    let stays = [
        stay("2027-01-01", "2027-01-30"),
        stay("2027-03-01", "2027-03-10"),
    ];
    let summary = calculate(&stays, day("2027-03-10"), Some(day("2027-04-01")));
    assert_eq!(
        summary,
        Summary {
            days_used: 40,
            days_remaining: 50,
            overstay_days: 0,
            max_stay_days: Some(50)
        }
    );
}

#[test]
fn entry_and_exit_on_the_same_day_is_one_day() {
    assert_eq!(
        StayHistory::new(&[stay("2027-05-05", "2027-05-05")], day("2027-05-05")).days_used(),
        1
    );
}

#[test]
fn overlapping_and_touching_stays_count_each_day_once() {
    let stays = [
        stay("2027-01-01", "2027-01-10"),
        stay("2027-01-05", "2027-01-15"),
        stay("2027-01-16", "2027-01-16"),
    ];
    assert_eq!(StayHistory::new(&stays, day("2027-02-01")).days_used(), 16);
}

#[test]
fn window_edges_are_inclusive() {
    // on − 179 is inside, on − 180 outside.
    let on = day("2027-07-01");
    let inside = Stay::new(on.plus(-179), Some(on.plus(-179))).expect("ordered");
    let outside = Stay::new(on.plus(-180), Some(on.plus(-180))).expect("ordered");
    assert_eq!(StayHistory::new(&[inside], on).days_used(), 1);
    assert_eq!(StayHistory::new(&[outside], on).days_used(), 0);
}

#[test]
fn residence_permit_and_long_stay_visa_days_do_not_count() {
    let on = day("2027-06-30");
    let stays = [
        Stay::with_basis(
            day("2027-01-01"),
            Some(day("2027-05-31")),
            StayBasis::ResidencePermit,
        )
        .expect("ordered"),
        Stay::with_basis(day("2027-06-01"), None, StayBasis::LongStayVisa).expect("open"),
        stay("2027-06-20", "2027-06-21"),
    ];
    assert_eq!(StayHistory::new(&stays, on).days_used(), 2);
}

#[test]
fn open_stay_counts_up_to_on_and_recorded_days_after_on_are_ignored() {
    let on = day("2027-03-10");
    assert_eq!(StayHistory::new(&[open("2027-03-01")], on).days_used(), 10);
    // A stay recorded with an exit after `on` is cut at `on`; one starting after `on` is ignored.
    let stays = [
        stay("2027-03-01", "2027-04-30"),
        stay("2027-03-20", "2027-03-25"),
    ];
    let history = StayHistory::new(&stays, on);
    assert_eq!(history.days_used(), 10);
    assert_eq!(history.days_used_on(day("2027-03-25")), 10);
}

#[test]
fn overstayer_cannot_enter() {
    // 100 days just before the entry: the entry day itself is over the limit.
    let stays = [stay("2027-01-01", "2027-04-10")];
    let summary = calculate(&stays, day("2027-04-10"), Some(day("2027-04-11")));
    assert_eq!(summary.overstay_days, 10);
    assert_eq!(summary.max_stay_days, Some(0));
}

#[test]
fn entry_inside_a_recorded_stay_merges_with_it() {
    // Asking, on day 30 of an open stay, how long the person may stay from the day they entered:
    // the recorded days are the planned days, so the answer is the full 90.
    let on = day("2027-01-30");
    let history = StayHistory::new(&[open("2027-01-01")], on);
    assert_eq!(history.max_stay_days(day("2027-01-01")), 90);
    // Continuing from tomorrow: 60 more.
    assert_eq!(history.max_stay_days(day("2027-01-31")), 60);
}

#[test]
fn no_stays_means_a_full_allowance() {
    let summary = calculate(&[], day("2027-01-01"), Some(day("2027-01-01")));
    assert_eq!(summary.days_used, 0);
    assert_eq!(summary.days_remaining, 90);
    assert_eq!(summary.max_stay_days, Some(90));
}

#[test]
fn exit_before_entry_is_refused() {
    assert_eq!(
        Stay::new(day("2027-03-05"), Some(day("2027-03-01"))),
        Err(StayError::ExitBeforeEntry {
            entry: day("2027-03-05"),
            exit: day("2027-03-01")
        })
    );
}

#[test]
fn summary_serialises_in_contract_order() {
    let summary = calculate(&[stay("2027-01-01", "2027-01-02")], day("2027-01-02"), None);
    assert_eq!(
        serde_json::to_string(&summary).expect("plain struct"),
        r#"{"days_used":2,"days_remaining":88,"overstay_days":0}"#
    );
}

// ---------------------------------------------------------------------------------------------
// Properties, against the oracle.

const BASE: i32 = 2_460_000; // a Julian day in 2023

fn stay_strategy() -> impl Strategy<Value = Stay> {
    (
        0..700i32,
        prop_oneof![4 => (0..60i32).prop_map(Some), 1 => Just(None)],
        prop_oneof![8 => Just(StayBasis::ShortStay), 1 => Just(StayBasis::ResidencePermit), 1 => Just(StayBasis::LongStayVisa)],
    )
        .prop_map(|(offset, length, basis)| {
            let entry = Day(BASE + offset);
            Stay::with_basis(entry, length.map(|length| entry.plus(length)), basis)
                .expect("length is non-negative")
        })
}

fn case_strategy() -> impl Strategy<Value = (Vec<Stay>, Day, Day)> {
    (
        // Sparse and dense histories, so that both "plenty left" and "limit binds" cases occur.
        prop_oneof![
            prop::collection::vec(stay_strategy(), 0..8),
            prop::collection::vec(stay_strategy(), 8..30),
        ],
        0..800i32,
        // Mostly near `on` (the bitmap path of `calculate`); sometimes years before it (the
        // sort-and-merge path).
        prop_oneof![4 => -60..250i32, 1 => -1500..-800i32],
    )
        .prop_map(|(stays, on, enter)| (stays, Day(BASE + on), Day(BASE + on + enter)))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn fast_matches_oracle((stays, on, enter) in case_strategy()) {
        let history = StayHistory::new(&stays, on);
        let recorded = oracle_days(&stays, on);
        prop_assert_eq!(history.days_used(), oracle_used(&recorded, on.0));
        prop_assert_eq!(history.max_stay_days(enter), oracle_max_stay(&recorded, enter.0));
        // The one-shot form skips stays no window reaches; it must give the same answer.
        let summary = calculate(&stays, on, Some(enter));
        prop_assert_eq!(summary.days_used, oracle_used(&recorded, on.0));
        prop_assert_eq!(summary.max_stay_days, Some(oracle_max_stay(&recorded, enter.0)));
        for probe in [-200, -100, -1, 0, 1, 90, 200] {
            prop_assert_eq!(history.days_used_on(on.plus(probe)), oracle_used(&recorded, on.0 + probe));
        }
    }

    #[test]
    fn days_used_never_exceeds_the_window((stays, on, _enter) in case_strategy()) {
        let used = StayHistory::new(&stays, on).days_used();
        prop_assert!(used <= 180);
        let summary = calculate(&stays, on, None);
        prop_assert_eq!(summary.days_used, used);
        prop_assert_eq!(summary.days_remaining + used.min(90), 90);
        prop_assert_eq!(summary.overstay_days, used.saturating_sub(90));
    }

    #[test]
    fn adding_a_stay_never_lowers_days_used(
        (stays, on, _enter) in case_strategy(),
        extra in stay_strategy(),
    ) {
        let before = StayHistory::new(&stays, on).days_used();
        let mut more = stays.clone();
        more.push(extra);
        prop_assert!(StayHistory::new(&more, on).days_used() >= before);
    }

    #[test]
    fn max_stay_is_legal_every_day_and_one_more_is_not((stays, on, enter) in case_strategy()) {
        let history = StayHistory::new(&stays, on);
        let recorded = oracle_days(&stays, on);
        let length = i32::try_from(history.max_stay_days(enter)).expect("at most 90");
        prop_assert!(length <= 90);
        prop_assert!(oracle_plan_legal(&recorded, enter.0, length));
        prop_assert!(!oracle_plan_legal(&recorded, enter.0, length + 1));
    }

    #[test]
    fn order_of_stays_does_not_matter(
        (stays, on, enter) in case_strategy(),
        seed in any::<u64>(),
    ) {
        let mut shuffled = stays.clone();
        // Fisher–Yates with a splitmix step, so the permutation depends only on the seed.
        let mut state = seed;
        for index in (1..shuffled.len()).rev() {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let pick = usize::try_from(state % (index as u64 + 1)).expect("small");
            shuffled.swap(index, pick);
        }
        prop_assert_eq!(calculate(&stays, on, Some(enter)), calculate(&shuffled, on, Some(enter)));
    }
}

#[test]
fn naive_reference_used_by_benchmarks_agrees() {
    let on = day("2027-03-10");
    for stays in [
        crate::synth::history(7, 200, on),
        crate::synth::dense_history(7, 200, on),
    ] {
        assert_eq!(stays.len(), 200);
        for enter in [-30, 0, 1, 45, 200] {
            assert_eq!(
                calculate(&stays, on, Some(on.plus(enter))),
                crate::synth::naive_summary(&stays, on, Some(on.plus(enter)))
            );
        }
    }
}
