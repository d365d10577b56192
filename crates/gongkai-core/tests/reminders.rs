//! Deadline reminders across holidays, counted by hand on the 2021 notice of
//! `seeds/cn-holidays.json` (National Day: 10-01…10-07 off, Sunday 09-26 and Saturday
//! 10-09 worked; Labour Day: 05-01…05-05 off, Saturday 05-08 worked), before any code.
//!
//! The cases are the worked examples of domain-rules.md §1 and one deadline in the
//! National Day week: for each day, the working days left and the reminder called for.

use chrono::NaiveDate;
use gongkai_core::calendar::{CalendarError, WorkCalendar};
use gongkai_core::reminders::{Standing, Threshold, reminder_for};

fn seeds() -> WorkCalendar {
    let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../seeds/cn-holidays.json"));
    WorkCalendar::from_json(text).expect("the seed calendar is valid")
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

/// (day, standing, reminder) for an item due on `due`.
fn check(due: &str, rows: &[(&str, Standing, Option<Threshold>)]) {
    let cal = seeds();
    for &(today, standing, want) in rows {
        let got = Standing::on(&cal, d(today), d(due)).unwrap();
        assert_eq!(got, standing, "due {due}, on {today}");
        assert_eq!(reminder_for(got), want, "due {due}, on {today}");
    }
}

#[test]
fn a_deadline_in_the_national_day_week() {
    use Standing::{DueIn, OverdueBy};
    // Due Friday 2021-10-08, the first working day after the holiday.
    check(
        "2021-10-08",
        &[
            // 09-23 09-24 09-26(W) 09-27 09-28 09-29 09-30 10-08
            ("2021-09-22", DueIn(8), None),
            ("2021-09-23", DueIn(7), Some(Threshold::DueSoon7)),
            ("2021-09-24", DueIn(6), Some(Threshold::DueSoon7)),
            // Saturday 09-25 is a plain weekend; Sunday 09-26 is worked.
            ("2021-09-25", DueIn(6), Some(Threshold::DueSoon7)),
            ("2021-09-26", DueIn(5), Some(Threshold::DueSoon7)),
            ("2021-09-28", DueIn(3), Some(Threshold::DueSoon3)),
            ("2021-09-29", DueIn(2), Some(Threshold::DueSoon3)),
            ("2021-09-30", DueIn(1), Some(Threshold::DueSoon1)),
            // The whole holiday still has one working day left: 10-08.
            ("2021-10-01", DueIn(1), Some(Threshold::DueSoon1)),
            ("2021-10-07", DueIn(1), Some(Threshold::DueSoon1)),
            ("2021-10-08", DueIn(0), Some(Threshold::DueSoon1)),
            // The first day after is Saturday 10-09, a make-up working day.
            ("2021-10-09", OverdueBy(1), Some(Threshold::Overdue)),
            ("2021-10-10", OverdueBy(1), Some(Threshold::Overdue)),
            // 10-09 10-11 … 10-15 10-18: seven working days past, the last catch-up day.
            ("2021-10-18", OverdueBy(7), Some(Threshold::Overdue)),
            ("2021-10-19", OverdueBy(8), None),
        ],
    );
}

#[test]
fn the_worked_examples_of_the_domain_rules() {
    use Standing::{DueIn, OverdueBy};
    // 2021-04-30 + 3 working days → 2021-05-08 (the make-up Saturday counts).
    check(
        "2021-05-08",
        &[
            // 05-06 05-07 05-08(W): first seen on the event day with 3 left.
            ("2021-04-30", DueIn(3), Some(Threshold::DueSoon3)),
            ("2021-05-03", DueIn(3), Some(Threshold::DueSoon3)),
            ("2021-05-06", DueIn(2), Some(Threshold::DueSoon3)),
            ("2021-05-07", DueIn(1), Some(Threshold::DueSoon1)),
            ("2021-05-08", DueIn(0), Some(Threshold::DueSoon1)),
            ("2021-05-09", OverdueBy(0), Some(Threshold::Overdue)),
            ("2021-05-10", OverdueBy(1), Some(Threshold::Overdue)),
        ],
    );
    // 2021-09-30 + 20 working days → 2021-11-03 (the reply to an application).
    check(
        "2021-11-03",
        &[
            ("2021-10-22", DueIn(8), None),
            // 10-26 10-27 10-28 10-29 11-01 11-02 11-03
            ("2021-10-25", DueIn(7), Some(Threshold::DueSoon7)),
            ("2021-10-29", DueIn(3), Some(Threshold::DueSoon3)),
            ("2021-11-02", DueIn(1), Some(Threshold::DueSoon1)),
            ("2021-11-04", OverdueBy(1), Some(Threshold::Overdue)),
        ],
    );
}

#[test]
fn a_year_without_a_notice_is_the_calendars_error() {
    let cal = seeds();
    assert_eq!(
        Standing::on(&cal, d("2026-12-28"), d("2027-01-08")),
        Err(CalendarError::Unpublished { year: 2027 })
    );
}
