//! The response clock per source, across the holidays of `seeds/cn-holidays.json`, with
//! the default limits (new media 5, governor's mailbox 10, 12345 hotline 5, online
//! opinion 1, media report 1, other 5 working days) and the receipt day not counted.

use chrono::NaiveDate;
use gongkai_core::calendar::WorkCalendar;
use gongkai_core::opinion::clock::response_standing;
use gongkai_core::opinion::{ResponseLimits, Source, response_due};

fn calendar() -> WorkCalendar {
    let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../seeds/cn-holidays.json"));
    WorkCalendar::from_json(text).unwrap()
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// source, received, due — and how the due date was reached.
#[test]
fn the_clock_per_source_across_holidays() {
    use Source::*;
    #[rustfmt::skip]
    let table: &[(Source, &str, &str)] = &[
        // National Day 2021: 10-01…10-07 off, Saturday 10-09 a make-up working day.
        // 10-08 (1), 10-09 (2, make-up), 10-11 (3), 10-12 (4), 10-13 (5).
        (NewMedia,        "2021-09-30", "2021-10-13"),
        (Hotline12345,    "2021-09-30", "2021-10-13"),
        (Other,           "2021-09-30", "2021-10-13"),
        // … 10-14 (6), 10-15 (7), 10-18 (8), 10-19 (9), 10-20 (10).
        (GovernorMailbox, "2021-09-30", "2021-10-20"),
        // the first working day after the holiday.
        (OnlineOpinion,   "2021-09-30", "2021-10-08"),
        (MediaReport,     "2021-10-01", "2021-10-08"),
        // Spring Festival 2021: 02-11…02-17 off, Saturday 02-20 a make-up working day.
        // 02-18 (1), 02-19 (2), 02-20 (3, make-up), 02-22 (4), 02-23 (5).
        (NewMedia,        "2021-02-10", "2021-02-23"),
        // Labour Day 2021: 05-01…05-05 off, Saturday 05-08 a make-up working day.
        // 05-06 (1), 05-07 (2), 05-08 (3), 05-10 (4), 05-11 (5).
        (Hotline12345,    "2021-04-30", "2021-05-11"),
        // An ordinary week: Friday + 1 is Monday.
        (OnlineOpinion,   "2021-03-05", "2021-03-08"),
        // Across New Year 2022 (01-01…01-03 off): 12-31 (1), 01-04 (2) … 01-07 (5),
        // 01-10 (6) … 01-13 (9), 01-14 (10).
        (GovernorMailbox, "2021-12-30", "2022-01-14"),
    ];
    let cal = calendar();
    let limits = ResponseLimits::default();
    for (source, received, due) in table {
        let got = response_due(&cal, d(received), limits.of(*source)).unwrap();
        assert_eq!(got.due, d(due), "{source:?} received {received}: {}", got.text);
    }
}

#[test]
fn a_deployment_limit_moves_the_due_date() {
    let cal = calendar();
    let limits = ResponseLimits::parse("hotline_12345=3").unwrap();
    // The make-up Saturday counts: 05-06, 05-07, 05-08.
    let got = response_due(&cal, d("2021-04-30"), limits.of(Source::Hotline12345)).unwrap();
    assert_eq!(got.due, d("2021-05-08"));
    assert_eq!(got.makeup_workdays_used, vec![d("2021-05-08")]);
    assert!(!got.holidays_skipped.is_empty());
}

#[test]
fn an_unpublished_year_is_an_error_not_a_guess() {
    let cal = calendar();
    let e = response_due(&cal, d("2026-12-30"), 10).unwrap_err();
    assert_eq!(e.code(), "calendar_unpublished");
}

/// due, first response, as of → on time, overdue, working days left.
type StandingRow = (&'static str, Option<&'static str>, &'static str, bool, bool, Option<i64>);

#[test]
fn standing_against_the_due_date() {
    #[rustfmt::skip]
    let table: &[StandingRow] = &[
        ("2021-10-13", Some("2021-10-13"), "2021-11-01", true,  false, None),
        ("2021-10-13", Some("2021-10-14"), "2021-11-01", false, false, None),
        ("2021-10-13", None,               "2021-10-13", false, false, Some(0)),
        ("2021-10-13", None,               "2021-09-30", false, false, Some(5)),
        ("2021-10-13", None,               "2021-10-15", false, true,  Some(-2)),
    ];
    let cal = calendar();
    for (due, first, as_of, on_time, overdue, left) in table {
        let s = response_standing(&cal, d(due), first.map(d), d(as_of)).unwrap();
        let ctx = format!("due {due} first {first:?} as of {as_of}");
        assert_eq!((s.on_time, s.overdue, s.workdays_left), (*on_time, *overdue, *left), "{ctx}");
    }
}
