//! Working-day counting against the published holiday notices 2021–2026.
//!
//! Every expected date below was counted by hand on a printed calendar marked with the
//! holidays (H) and make-up working days (W) of `seeds/cn-holidays.json`; the comment on
//! each row shows the count.

use chrono::NaiveDate;
use gongkai_core::calendar::{CalendarError, SkipReason, StartDayRule, WorkCalendar};

fn seeds() -> WorkCalendar {
    let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../seeds/cn-holidays.json"));
    WorkCalendar::from_json(text).expect("the seed calendar is valid")
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

fn ds(list: &[&str]) -> Vec<NaiveDate> {
    list.iter().map(|s| d(s)).collect()
}

/// One hand-counted deadline: start + n working days (receipt day not counted).
struct Case {
    name: &'static str,
    start: &'static str,
    n: u32,
    due: &'static str,
    holidays: u32,
    weekends: u32,
    makeup: &'static [&'static str],
}

const CASES: &[Case] = &[
    // domain-rules §1 worked example: Oct 1–7 H; Oct 8(1) 9W(2) 11–15(3–7) 18–22(8–12)
    // 25–29(13–17) Nov 1(18) 2(19) 3(20); weekends Oct 10,16,17,23,24,30,31.
    Case {
        name: "example National Day 2021",
        start: "2021-09-30",
        n: 20,
        due: "2021-11-03",
        holidays: 7,
        weekends: 7,
        makeup: &["2021-10-09"],
    },
    // domain-rules §1 worked example: May 1–5 H; May 6(1) 7(2) 8W(3).
    Case {
        name: "example Labour Day 2021",
        start: "2021-04-30",
        n: 3,
        due: "2021-05-08",
        holidays: 5,
        weekends: 0,
        makeup: &["2021-05-08"],
    },
    // Feb 6 Sa; 7W(1) 8(2) 9(3) 10(4); 11–17 H; 18(5) 19(6) 20W(7); 21 Su; 22(8) 23(9) 24(10).
    Case {
        name: "Spring Festival 2021",
        start: "2021-02-05",
        n: 10,
        due: "2021-02-24",
        holidays: 7,
        weekends: 2,
        makeup: &["2021-02-07", "2021-02-20"],
    },
    // Jan 29W(1) 30W(2); Jan 31–Feb 6 H; Feb 7(3) 8(4) 9(5).
    Case {
        name: "Spring Festival 2022",
        start: "2022-01-28",
        n: 5,
        due: "2022-02-09",
        holidays: 7,
        weekends: 0,
        makeup: &["2022-01-29", "2022-01-30"],
    },
    // Jan 21–27 H; 28W(1) 29W(2) 30(3) 31(4) Feb 1(5).
    Case {
        name: "Spring Festival 2023",
        start: "2023-01-20",
        n: 5,
        due: "2023-02-01",
        holidays: 7,
        weekends: 0,
        makeup: &["2023-01-28", "2023-01-29"],
    },
    // Feb 3 Sa; 4W Su(1) 5–9(2–6); 10–17 H; 18W Su(7) 19(8) 20(9) 21(10).
    Case {
        name: "Spring Festival 2024 (make-up Sundays)",
        start: "2024-02-02",
        n: 10,
        due: "2024-02-21",
        holidays: 8,
        weekends: 1,
        makeup: &["2024-02-04", "2024-02-18"],
    },
    // Jan 25 Sa; 26W(1) 27(2); Jan 28–Feb 4 H; Feb 5(3) 6(4) 7(5) 8W Sa(6).
    Case {
        name: "Spring Festival 2025",
        start: "2025-01-24",
        n: 6,
        due: "2025-02-08",
        holidays: 8,
        weekends: 1,
        makeup: &["2025-01-26", "2025-02-08"],
    },
    // Feb 14W Sa(1); 15–23 H; 24(2) 25(3) 26(4) 27(5) 28W Sa(6).
    Case {
        name: "Spring Festival 2026 (make-up Saturdays)",
        start: "2026-02-13",
        n: 6,
        due: "2026-02-28",
        holidays: 9,
        weekends: 0,
        makeup: &["2026-02-14", "2026-02-28"],
    },
    // Oct 1–7 H; Oct 8W Sa(1) 9W Su(2) 10(3).
    Case {
        name: "National Day 2022",
        start: "2022-09-30",
        n: 3,
        due: "2022-10-10",
        holidays: 7,
        weekends: 0,
        makeup: &["2022-10-08", "2022-10-09"],
    },
    // Sep 29–Oct 6 H (8 days); Oct 7W(1) 8W(2) 9(3).
    Case {
        name: "National Day 2023",
        start: "2023-09-28",
        n: 3,
        due: "2023-10-09",
        holidays: 8,
        weekends: 0,
        makeup: &["2023-10-07", "2023-10-08"],
    },
    // Oct 1–7 H; 8(1) 9(2) 10(3) 11(4) 12W Sa(5).
    Case {
        name: "National Day 2024",
        start: "2024-09-30",
        n: 5,
        due: "2024-10-12",
        holidays: 7,
        weekends: 0,
        makeup: &["2024-10-12"],
    },
    // Sep 27 Sa; 28W Su(1) 29(2) 30(3); Oct 1–8 H; 9(4) 10(5) 11W Sa(6).
    Case {
        name: "National Day 2025",
        start: "2025-09-26",
        n: 6,
        due: "2025-10-11",
        holidays: 8,
        weekends: 1,
        makeup: &["2025-09-28", "2025-10-11"],
    },
    // Sep 19 Sa; 20W(1) 21–24(2–5); 25–27 H; 28–30(6–8); Oct 1–7 H; 8(9) 9(10).
    Case {
        name: "Mid-Autumn and National Day 2026",
        start: "2026-09-18",
        n: 10,
        due: "2026-10-09",
        holidays: 10,
        weekends: 1,
        makeup: &["2026-09-20"],
    },
    // Dec 21 Su; 22–26(1–5); 27,28; 29–31(6–8); Jan 1–3 H; 4W Su(9); 5–9(10–14); 10,11;
    // 12–16(15–19); 17,18; 19(20).
    Case {
        name: "year boundary 2025→2026",
        start: "2025-12-20",
        n: 20,
        due: "2026-01-19",
        holidays: 3,
        weekends: 7,
        makeup: &["2026-01-04"],
    },
    // Start on a holiday: the start day is not examined; Oct 2–7 H; 8(1) 9W(2) 10 Su 11(3) 12(4) 13(5).
    Case {
        name: "start on a holiday",
        start: "2021-10-01",
        n: 5,
        due: "2021-10-13",
        holidays: 6,
        weekends: 1,
        makeup: &["2021-10-09"],
    },
    // 2021-01-03 is a Sunday inside the New Year holiday; it is the start, so not examined: Jan 4(1).
    Case {
        name: "start on a holiday Sunday",
        start: "2021-01-03",
        n: 1,
        due: "2021-01-04",
        holidays: 0,
        weekends: 0,
        makeup: &[],
    },
];

#[test]
fn hand_counted_deadlines() {
    let cal = seeds();
    for c in CASES {
        let got = cal
            .add_workdays(d(c.start), c.n, StartDayRule::NotCounted)
            .unwrap_or_else(|e| panic!("{}: {e}", c.name));
        assert_eq!(got.due, d(c.due), "{}: due", c.name);
        assert_eq!(got.start, d(c.start), "{}", c.name);
        assert_eq!(got.workdays, c.n, "{}", c.name);
        assert_eq!(got.holidays_skipped.len() as u32, c.holidays, "{}: holidays", c.name);
        assert!(got.holidays_skipped.iter().all(|s| s.reason == SkipReason::Holiday), "{}", c.name);
        assert_eq!(got.weekend_days_skipped, c.weekends, "{}: weekends", c.name);
        assert_eq!(got.makeup_workdays_used, ds(c.makeup), "{}: make-up days", c.name);
        assert!(got.text.contains(c.due), "{}: text names the due date: {}", c.name, got.text);
        // workdays_between is the inverse of add_workdays when the due date is a working day.
        assert_eq!(cal.workdays_between(d(c.start), d(c.due)), Ok(c.n), "{}: between", c.name);
    }
}

#[test]
fn the_default_rule_is_receipt_day_not_counted() {
    assert_eq!(StartDayRule::default(), StartDayRule::NotCounted);
}

#[test]
fn holiday_list_names_each_skipped_date() {
    let got = seeds().add_workdays(d("2021-04-30"), 3, StartDayRule::NotCounted).unwrap();
    let dates: Vec<NaiveDate> = got.holidays_skipped.iter().map(|s| s.date).collect();
    assert_eq!(dates, ds(&["2021-05-01", "2021-05-02", "2021-05-03", "2021-05-04", "2021-05-05"]));
}

/// start, n, counted-rule due — the start day counts when it is a working day.
const COUNTED: &[(&str, u32, &str)] = &[
    ("2021-09-30", 1, "2021-09-30"), // Thursday, a working day: it is day 1
    ("2021-09-30", 20, "2021-11-02"), // one earlier than the default rule's 11-03
    ("2021-10-01", 1, "2021-10-08"), // a holiday start is not counted
    ("2021-10-09", 1, "2021-10-09"), // a make-up Saturday start counts
    ("2021-10-10", 1, "2021-10-11"), // a Sunday start does not
];

#[test]
fn counted_start_day_rule() {
    let cal = seeds();
    for (start, n, due) in COUNTED {
        let got = cal.add_workdays(d(start), *n, StartDayRule::Counted).unwrap();
        assert_eq!(got.due, d(due), "{start} + {n} counted");
        assert_eq!(got.rule, StartDayRule::Counted);
    }
}

#[test]
fn zero_workdays_is_the_start_itself() {
    let got = seeds().add_workdays(d("2021-10-01"), 0, StartDayRule::NotCounted).unwrap();
    assert_eq!(got.due, d("2021-10-01"));
    assert!(got.holidays_skipped.is_empty());
}

/// date, is it a working day — make-up weekend days of the 2024 and 2026 Spring Festivals.
const WORKDAYS: &[(&str, bool)] = &[
    ("2024-02-03", false), // Saturday
    ("2024-02-04", true),  // Sunday, 调休上班
    ("2024-02-09", true),  // Friday, New Year's Eve is a working day in 2024
    ("2024-02-10", false), // Saturday, Spring Festival
    ("2024-02-12", false), // Monday, Spring Festival
    ("2024-02-18", true),  // Sunday, 调休上班
    ("2024-02-19", true),  // Monday
    ("2026-02-14", true),  // Saturday, 调休上班
    ("2026-02-16", false), // Monday, Spring Festival
    ("2026-02-23", false), // Monday, last day of the nine-day holiday
    ("2026-02-28", true),  // Saturday, 调休上班
    ("2026-03-01", false), // Sunday
    ("2022-12-31", false), // Saturday, New Year 2023 holiday filed under 2022
    ("2021-10-08", true),  // Friday after National Day
];

#[test]
fn make_up_weekend_days_are_working_days() {
    let cal = seeds();
    for (date, expect) in WORKDAYS {
        assert_eq!(cal.is_workday(d(date)), Ok(*expect), "{date}");
    }
}

#[test]
fn unpublished_years_are_errors_never_guesses() {
    let cal = seeds();
    let err = cal.is_workday(d("2027-01-04")).unwrap_err();
    assert_eq!(err, CalendarError::Unpublished { year: 2027 });
    assert_eq!(err.code(), "calendar_unpublished");
    assert_eq!(cal.is_workday(d("2020-06-01")), Err(CalendarError::Unpublished { year: 2020 }));
    // 2026-12-20 is a Sunday: Dec 21–25(1–5); 26,27; 28–31(6–9); then 2027 is unknown.
    assert_eq!(
        cal.add_workdays(d("2026-12-20"), 20, StartDayRule::NotCounted),
        Err(CalendarError::Unpublished { year: 2027 })
    );
    // Inside 2026 the same start is fine.
    assert_eq!(
        cal.add_workdays(d("2026-12-20"), 9, StartDayRule::NotCounted).unwrap().due,
        d("2026-12-31")
    );
    assert_eq!(
        cal.workdays_between(d("2026-12-30"), d("2027-01-05")),
        Err(CalendarError::Unpublished { year: 2027 })
    );
}

#[test]
fn workdays_between_is_exclusive_of_from_inclusive_of_to() {
    let cal = seeds();
    assert_eq!(cal.workdays_between(d("2021-09-30"), d("2021-09-30")), Ok(0));
    assert_eq!(cal.workdays_between(d("2021-11-03"), d("2021-09-30")), Ok(0));
    assert_eq!(cal.workdays_between(d("2021-09-29"), d("2021-09-30")), Ok(1));
    assert_eq!(cal.workdays_between(d("2021-09-30"), d("2021-10-07")), Ok(0)); // all holiday
    assert_eq!(cal.workdays_between(d("2021-09-30"), d("2021-10-10")), Ok(2)); // 8, 9W
}

#[test]
fn explanation_serializes_in_snake_case() {
    let got = seeds().add_workdays(d("2021-04-30"), 3, StartDayRule::NotCounted).unwrap();
    let v = serde_json::to_value(&got).unwrap();
    assert_eq!(v["start"], "2021-04-30");
    assert_eq!(v["workdays"], 3);
    assert_eq!(v["due"], "2021-05-08");
    assert_eq!(v["rule"], "not_counted");
    assert_eq!(
        v["holidays_skipped"][0],
        serde_json::json!({"date": "2021-05-01", "reason": "holiday"})
    );
    assert_eq!(v["weekend_days_skipped"], 0);
    assert_eq!(v["makeup_workdays_used"], serde_json::json!(["2021-05-08"]));
    assert!(v["text"].as_str().unwrap().contains("2021-05-08"));
}

proptest::proptest! {
    /// Counting forward and counting between agree, the due date is a working day, and
    /// one more working day never ends earlier.
    #[test]
    fn add_and_between_agree(offset in 0i64..2000, n in 0u32..60) {
        let cal = seeds();
        let start = d("2021-01-01") + chrono::Duration::days(offset);
        let got = cal.add_workdays(start, n, StartDayRule::NotCounted);
        proptest::prop_assume!(got.is_ok()); // runs past 2026 are unpublished
        let got = got.unwrap();
        proptest::prop_assert_eq!(cal.workdays_between(start, got.due), Ok(n));
        if n > 0 {
            proptest::prop_assert_eq!(cal.is_workday(got.due), Ok(true));
            let counted = cal.add_workdays(start, n, StartDayRule::Counted).unwrap();
            proptest::prop_assert!(counted.due <= got.due);
        }
        if let Ok(next) = cal.add_workdays(start, n + 1, StartDayRule::NotCounted) {
            proptest::prop_assert!(next.due > got.due);
        }
        // Every calendar day after the start up to the due date is accounted for once.
        let days = (got.due - start).num_days();
        let accounted = i64::from(n)
            + got.holidays_skipped.len() as i64
            + i64::from(got.weekend_days_skipped);
        proptest::prop_assert_eq!(accounted, days);
    }
}
