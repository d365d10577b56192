//! Pausing the working-day clock (consultation, waiting for a fee), hand-counted
//! against `seeds/cn-holidays.json` like `calendar_deadlines.rs`.

use chrono::NaiveDate;
use gongkai_core::calendar::{SkipReason, StartDayRule, WorkCalendar};

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

#[test]
fn pauses_stop_the_clock() {
    let cal = seeds();
    // Without the pause 2021-09-30 + 20 = 11-03. Pausing Mon Oct 11 – Fri Oct 15 removes
    // five working days: 8(1) 9W(2) 18–22(3–7) 25–29(8–12) Nov 1–5(13–17) 8(18) 9(19) 10(20).
    let got = cal
        .add_workdays_with_pauses(
            d("2021-09-30"),
            20,
            StartDayRule::NotCounted,
            &[(d("2021-10-11"), d("2021-10-15"))],
        )
        .unwrap();
    assert_eq!(got.due, d("2021-11-10"));
    assert_eq!(got.pauses.len(), 1);
    assert_eq!(got.pauses[0].workdays_not_counted, 5);
    assert_eq!(
        got.paused_workdays.iter().map(|s| s.date).collect::<Vec<_>>(),
        ds(&["2021-10-11", "2021-10-12", "2021-10-13", "2021-10-14", "2021-10-15"])
    );
    assert!(got.paused_workdays.iter().all(|s| s.reason == SkipReason::Paused));
    assert!(got.text.contains("2021-10-11"), "{}", got.text);

    // A pause over the holiday only costs the working days in it (Oct 8, 9W): 11-03 + 2 = 11-05.
    // The holidays are still reported as holidays.
    let got = cal
        .add_workdays_with_pauses(
            d("2021-09-30"),
            20,
            StartDayRule::NotCounted,
            &[(d("2021-10-01"), d("2021-10-09"))],
        )
        .unwrap();
    assert_eq!(got.due, d("2021-11-05"));
    assert_eq!(got.holidays_skipped.len(), 7);
    assert_eq!(got.pauses[0].workdays_not_counted, 2);
    assert!(got.makeup_workdays_used.is_empty(), "a paused make-up day is not used");

    // A pause wholly before the start or after the due date changes nothing.
    let got = cal
        .add_workdays_with_pauses(
            d("2021-09-30"),
            20,
            StartDayRule::NotCounted,
            &[(d("2021-09-01"), d("2021-09-30")), (d("2021-12-01"), d("2021-12-31"))],
        )
        .unwrap();
    assert_eq!(got.due, d("2021-11-03"));
    assert!(got.pauses.iter().all(|p| p.workdays_not_counted == 0));

    // Overlapping pauses do not double count.
    let got = cal
        .add_workdays_with_pauses(
            d("2021-09-30"),
            20,
            StartDayRule::NotCounted,
            &[(d("2021-10-11"), d("2021-10-13")), (d("2021-10-12"), d("2021-10-15"))],
        )
        .unwrap();
    assert_eq!(got.due, d("2021-11-10"));
    assert_eq!(got.paused_workdays.len(), 5);

    let bad = cal.add_workdays_with_pauses(
        d("2021-09-30"),
        20,
        StartDayRule::NotCounted,
        &[(d("2021-10-15"), d("2021-10-11"))],
    );
    assert_eq!(bad.unwrap_err().code(), "calendar_invalid_pause");
}
