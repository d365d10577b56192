//! Loading, checking and persisting the yearly holiday notices.

use chrono::NaiveDate;
use gongkai_core::calendar::{CalendarError, DayKind, WorkCalendar, YearNotice};

const SEEDS: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../seeds/cn-holidays.json"));

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

fn notice(holidays: &[&str], workdays: &[&str]) -> YearNotice {
    YearNotice {
        holidays: holidays.iter().map(|s| d(s)).collect(),
        workdays: workdays.iter().map(|s| d(s)).collect(),
    }
}

#[test]
fn seeds_load_all_six_years() {
    let cal = WorkCalendar::from_json(SEEDS).unwrap();
    assert_eq!(cal.years(), vec![2021, 2022, 2023, 2024, 2025, 2026]);
    assert_eq!(cal.notice(2025).unwrap().workdays.len(), 5);
    assert!(cal.notice(2027).is_none());
}

#[test]
fn json_round_trips_through_to_json_and_serde() {
    let cal = WorkCalendar::from_json(SEEDS).unwrap();
    let again = WorkCalendar::from_json(&cal.to_json()).unwrap();
    assert_eq!(again, cal);
    // The serde form is the same document shape, keyed by the year as a string.
    let v = serde_json::to_value(&cal).unwrap();
    assert_eq!(v["2021"]["workdays"][0], "2021-02-07");
    let back: WorkCalendar = serde_json::from_value(v).unwrap();
    assert_eq!(back, cal);
    // The seed file and our output are the same JSON value.
    let seed_value: serde_json::Value = serde_json::from_str(SEEDS).unwrap();
    let ours: serde_json::Value = serde_json::from_str(&cal.to_json()).unwrap();
    assert_eq!(ours, seed_value);
}

#[test]
fn serde_deserialization_validates_too() {
    let bad = serde_json::json!({"2030": {"holidays": ["2030-10-01"], "workdays": ["2030-10-01"]}});
    assert!(serde_json::from_value::<WorkCalendar>(bad).is_err());
}

#[test]
fn a_new_year_can_be_inserted_and_replaced() {
    let mut cal = WorkCalendar::from_json(SEEDS).unwrap();
    assert_eq!(cal.is_workday(d("2027-01-01")), Err(CalendarError::Unpublished { year: 2027 }));
    cal.insert_year(2027, notice(&["2027-01-01"], &[])).unwrap();
    assert_eq!(cal.is_workday(d("2027-01-01")), Ok(false));
    assert_eq!(cal.is_workday(d("2027-01-04")), Ok(true)); // a Monday
    assert!(cal.years().contains(&2027));
    // Loading the year again replaces it rather than merging.
    cal.insert_year(2027, notice(&["2027-01-04"], &[])).unwrap();
    assert_eq!(cal.is_workday(d("2027-01-01")), Ok(true));
    assert_eq!(cal.is_workday(d("2027-01-04")), Ok(false));
}

#[test]
fn duplicates_are_merged_and_dates_sorted() {
    let mut cal = WorkCalendar::default();
    cal.insert_year(2030, notice(&["2030-10-02", "2030-10-01", "2030-10-02"], &[])).unwrap();
    assert_eq!(cal.notice(2030).unwrap().holidays, vec![d("2030-10-01"), d("2030-10-02")]);
}

/// year, notice, the error code expected.
#[test]
fn invalid_notices_are_refused() {
    let cases: Vec<(&str, i32, YearNotice, &str)> = vec![
        (
            "a date of another year",
            2030,
            notice(&["2031-01-01"], &[]),
            "calendar_date_outside_year",
        ),
        (
            "a make-up day of another year",
            2030,
            notice(&["2030-01-01"], &["2029-12-29"]),
            "calendar_date_outside_year",
        ),
        (
            "a date both holiday and workday",
            2030,
            notice(&["2030-10-05"], &["2030-10-05"]),
            "calendar_conflicting_date",
        ),
        // 2030-10-08 is a Tuesday: it is a working day anyway.
        (
            "a make-up day that is not a weekend",
            2030,
            notice(&["2030-10-01"], &["2030-10-08"]),
            "calendar_workday_not_weekend",
        ),
        ("no holidays at all", 2030, notice(&[], &[]), "calendar_no_holidays"),
        (
            "a year outside the supported range",
            1800,
            notice(&["1800-01-01"], &[]),
            "calendar_invalid_year",
        ),
    ];
    for (name, year, n, code) in cases {
        let mut cal = WorkCalendar::default();
        let err = cal.insert_year(year, n).unwrap_err();
        assert_eq!(err.code(), code, "{name}: {err}");
        assert!(cal.years().is_empty(), "{name}: nothing stored");
    }
}

#[test]
fn invalid_json_is_refused_with_a_reason() {
    let cases: &[(&str, &str)] = &[
        ("not json", "calendar_invalid_json"),
        (r#"{"2030": {"holiday": ["2030-01-01"]}}"#, "calendar_invalid_json"),
        (r#"{"2030": {"holidays": ["2030-13-01"]}}"#, "calendar_invalid_json"),
        (r#"{"twenty": {"holidays": ["2030-01-01"]}}"#, "calendar_invalid_year"),
        (r#"{"2030": {"holidays": ["2031-01-01"]}}"#, "calendar_date_outside_year"),
    ];
    for (text, code) in cases {
        let err = WorkCalendar::from_json(text).unwrap_err();
        assert_eq!(err.code(), *code, "{text}: {err}");
    }
    // workdays may be left out when a year has no make-up days.
    let cal = WorkCalendar::from_json(r#"{"2030": {"holidays": ["2030-01-01"]}}"#).unwrap();
    assert!(cal.notice(2030).unwrap().workdays.is_empty());
}

#[test]
fn day_kinds() {
    let cal = WorkCalendar::from_json(SEEDS).unwrap();
    let cases = [
        ("2021-10-01", DayKind::Holiday),
        ("2021-10-09", DayKind::MakeUpWorkday),
        ("2021-10-10", DayKind::Weekend),
        ("2021-10-11", DayKind::Workday),
        ("2021-01-02", DayKind::Holiday), // a holiday on a Saturday is a holiday
    ];
    for (date, kind) in cases {
        assert_eq!(cal.day_kind(d(date)), Ok(kind), "{date}");
    }
}

#[test]
fn remove_year_unpublishes_it() {
    let mut cal = WorkCalendar::from_json(SEEDS).unwrap();
    assert!(cal.remove_year(2026).is_some());
    assert_eq!(cal.is_workday(d("2026-03-02")), Err(CalendarError::Unpublished { year: 2026 }));
}
