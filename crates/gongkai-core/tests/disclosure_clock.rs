//! The statutory clock of an application, table-tested against hand counts on the
//! published holiday notices (H: holiday, W: make-up working day).

mod disclosure_support;

use chrono::NaiveDate;
use disclosure_support::*;
use gongkai_core::calendar::StartDayRule;
use gongkai_core::disclosure::{Action, ClockSettings, ClockState, ConsultedParty, PauseReason};
use gongkai_core::fees::FeeMethod;

/// One reply deadline: received on `received`, no events, default settings.
struct Due {
    name: &'static str,
    received: &'static str,
    receipt_day: StartDayRule,
    due: &'static str,
}

const NOT: StartDayRule = StartDayRule::NotCounted;

const DUES: &[Due] = &[
    // domain-rules §1: Oct 1–7 H; Oct 8(1) 9W(2) 11–15(3–7) 18–22(8–12) 25–29(13–17)
    // Nov 1(18) 2(19) 3(20).
    Due { name: "2021 National Day", received: "2021-09-30", receipt_day: NOT, due: "2021-11-03" },
    // The receipt day (a Thursday working day) counted as day 1: one day earlier.
    Due {
        name: "2021 National Day, receipt day counted",
        received: "2021-09-30",
        receipt_day: StartDayRule::Counted,
        due: "2021-11-02",
    },
    // Feb 4 Su W(1) 5–9(2–6); 10–17 H; 18 Su W(7) 19–23(8–12) 26–29(13–16) Mar 1(17)
    // 4(18) 5(19) 6(20).
    Due {
        name: "2024 Spring Festival",
        received: "2024-02-02",
        receipt_day: NOT,
        due: "2024-03-06",
    },
    // Received on the eve of the holiday (Fri Feb 9): 10–17 H; 18 W(1) 19–23(2–6)
    // 26–29(7–10) Mar 1(11) 4–8(12–16) 11–14(17–20).
    Due {
        name: "2024 Spring Festival eve",
        received: "2024-02-09",
        receipt_day: NOT,
        due: "2024-03-14",
    },
    // Counted: the eve itself is day 1, so one working day earlier.
    Due {
        name: "2024 Spring Festival eve, counted",
        received: "2024-02-09",
        receipt_day: StartDayRule::Counted,
        due: "2024-03-13",
    },
    // Feb 13 Fri(1) 14 Sa W(2); 15–23 H; 24–27(3–6) 28 Sa W(7); Mar 2–6(8–12)
    // 9–13(13–17) 16–18(18–20).
    Due {
        name: "2026 Spring Festival",
        received: "2026-02-12",
        receipt_day: NOT,
        due: "2026-03-18",
    },
];

#[test]
fn reply_due_dates_across_the_holidays() {
    let cal = seeds();
    for t in DUES {
        let settings = ClockSettings { receipt_day: t.receipt_day, ..ClockSettings::default() };
        let clock = case(t.received, 1).clock(&cal, settings, d(t.received));
        assert_eq!(clock.reply_due, Some(d(t.due)), "{}", t.name);
        assert_eq!(clock.workdays, 20, "{}", t.name);
        assert_eq!(clock.state, ClockState::Running, "{}", t.name);
        let e = clock.reply_due_explanation.expect("explained");
        assert_eq!(e.due, d(t.due), "{}", t.name);
        assert!(e.text.contains(t.due), "{}: {}", t.name, e.text);
    }
}

#[test]
fn the_explanation_names_the_holidays_and_make_up_days() {
    let cal = seeds();
    let clock = case("2026-02-12", 1).clock(&cal, ClockSettings::default(), d("2026-02-12"));
    let e = clock.reply_due_explanation.unwrap();
    assert_eq!(e.holidays_skipped.len(), 9, "Feb 15–23");
    assert_eq!(e.makeup_workdays_used, vec![d("2026-02-14"), d("2026-02-28")]);
    assert!(e.text.contains("2026-02-15至2026-02-23"), "{}", e.text);
}

#[test]
fn a_correction_restarts_the_clock_from_the_corrected_application() {
    let cal = seeds();
    let mut c = case("2021-09-27", 1);
    // 7 working days from Mon Sep 27: 28(1) 29(2) 30(3); Oct 1–7 H; 8(4) 9W(5) 11(6) 12(7).
    let before = c.clock(&cal, ClockSettings::default(), d("2021-09-27"));
    assert_eq!(before.correction_notice_due, Some(d("2021-10-12")));
    step(
        &mut c,
        &cal,
        Action::RequestCorrection {
            on: d("2021-09-29"),
            correction_due: d("2021-10-20"),
            note: None,
        },
    )
    .unwrap();
    let waiting = c.clock(&cal, ClockSettings::default(), d("2021-10-08"));
    assert_eq!(waiting.state, ClockState::AwaitingCorrection);
    assert_eq!(waiting.reply_due, None, "no reply is due while the correction is awaited");
    assert_eq!(waiting.correction_due, Some(d("2021-10-20")));
    assert_eq!(waiting.correction_notice_late, Some(false));
    step(&mut c, &cal, Action::ReceiveCorrection { on: d("2021-10-15"), good_reason: None })
        .unwrap();
    // From Fri Oct 15: 18–22(1–5) 25–29(6–10) Nov 1–5(11–15) 8–12(16–20).
    let after = c.clock(&cal, ClockSettings::default(), d("2021-10-15"));
    assert_eq!(after.runs_from, d("2021-10-15"));
    assert_eq!(after.reply_due, Some(d("2021-11-12")));
    assert_eq!(after.state, ClockState::Running);
}

#[test]
fn a_correction_requested_after_seven_working_days_is_flagged() {
    let cal = seeds();
    let mut c = case("2024-02-02", 1);
    // Feb 4 Su W(1) 5–9(2–6); 10–17 H; 18 Su W(7): the notice was due on the make-up Sunday.
    step(
        &mut c,
        &cal,
        Action::RequestCorrection {
            on: d("2024-02-19"),
            correction_due: d("2024-03-01"),
            note: None,
        },
    )
    .unwrap();
    let clock = c.clock(&cal, ClockSettings::default(), d("2024-02-19"));
    assert_eq!(clock.correction_notice_due, Some(d("2024-02-18")));
    assert_eq!(clock.correction_notice_late, Some(true));
}

#[test]
fn an_extension_adds_its_working_days() {
    let cal = seeds();
    let mut c = case("2026-02-12", 1);
    step(&mut c, &cal, Action::Start { on: d("2026-02-13") }).unwrap();
    step(
        &mut c,
        &cal,
        Action::Extend {
            on: d("2026-03-16"),
            workdays: 20,
            approved_by: "公开办主任 李四".into(),
            applicant_notified_on: d("2026-03-17"),
        },
    )
    .unwrap();
    // Mar 18 + 20: 19(1) 20(2) 23–27(3–7) 30(8) 31(9) Apr 1(10) 2(11) 3(12); Apr 4–6 H;
    // 7–10(13–16) 13–16(17–20).
    let clock = c.clock(&cal, ClockSettings::default(), d("2026-03-17"));
    assert_eq!(clock.workdays, 40);
    assert_eq!(clock.extension_workdays, 20);
    assert_eq!(clock.reply_due, Some(d("2026-04-16")));
}

#[test]
fn consultation_days_are_not_counted() {
    let cal = seeds();
    let mut c = case("2021-09-30", 1);
    step(&mut c, &cal, Action::Start { on: d("2021-10-08") }).unwrap();
    step(
        &mut c,
        &cal,
        Action::Consult {
            on: d("2021-10-08"),
            party: ConsultedParty::ThirdParty,
            party_name: None,
            received_on: None,
        },
    )
    .unwrap();
    // Still consulting on Oct 12: the pause runs to that day (9W, 11, 12 not counted).
    let open = c.clock(&cal, ClockSettings::default(), d("2021-10-12"));
    assert_eq!(open.state, ClockState::Paused);
    assert_eq!(open.pauses[0].reason, PauseReason::Consultation);
    assert_eq!(open.pauses[0].ended_on, None);
    assert_eq!(open.reply_due, Some(d("2021-11-08")), "Nov 3 + 3 working days");
    // Oct 8 + 15 working days: 9W(1) 11–15(2–6) 18–22(7–11) 25–28(12–15).
    assert_eq!(open.consultation_reply_due, Some(d("2021-10-28")));
    assert!(!open.overdue);
    step(&mut c, &cal, Action::ReceiveConsultationReply { on: d("2021-10-15") }).unwrap();
    // Paused Oct 9W, 11–15: 6 working days; Nov 3 + 6: 4(1) 5(2) 8–11(3–6).
    let closed = c.clock(&cal, ClockSettings::default(), d("2021-10-15"));
    assert_eq!(closed.state, ClockState::Running);
    assert_eq!(closed.reply_due, Some(d("2021-11-11")));
    let e = closed.reply_due_explanation.unwrap();
    assert_eq!(e.paused_workdays.len(), 6);
    assert!(e.text.contains("暂停计时"), "{}", e.text);
}

#[test]
fn waiting_for_payment_pauses_the_clock_by_setting() {
    let cal = seeds();
    let mut c = case("2024-03-01", 40);
    step(&mut c, &cal, Action::Start { on: d("2024-03-01") }).unwrap();
    step(
        &mut c,
        &cal,
        Action::NotifyFee {
            on: d("2024-03-05"),
            method: FeeMethod::PerItem,
            pages: None,
            received_on: None,
        },
    )
    .unwrap();
    let waiting = c.clock(&cal, ClockSettings::default(), d("2024-03-06"));
    // Mar 5 + 20 working days from the next day: Mar 6–8(1–3) … Apr 1(18) 2(19)… Apr 4–6 H.
    assert_eq!(waiting.payment_due, Some(d("2024-04-02")));
    assert_eq!(waiting.state, ClockState::Paused);
    step(&mut c, &cal, Action::RecordPayment { on: d("2024-03-08") }).unwrap();
    // Not counted: Mar 6, 7, 8. Mar 29 + 3: Apr 1, 2, 3.
    let paused = c.clock(&cal, ClockSettings::default(), d("2024-03-08"));
    assert_eq!(paused.reply_due, Some(d("2024-04-03")));
    let counting = ClockSettings { fee_wait_pauses_clock: false, ..ClockSettings::default() };
    let running = c.clock(&cal, counting, d("2024-03-08"));
    assert_eq!(running.reply_due, Some(d("2024-03-29")));
    assert!(running.pauses.is_empty());
}

#[test]
fn overdue_and_working_days_left() {
    let cal = seeds();
    let c = case("2021-09-30", 1);
    let at = |s: &str| c.clock(&cal, ClockSettings::default(), d(s));
    assert_eq!(at("2021-11-03").workdays_left, Some(0));
    assert!(!at("2021-11-03").overdue);
    assert_eq!(at("2021-11-04").workdays_left, Some(-1));
    assert!(at("2021-11-04").overdue);
    assert_eq!(at("2021-10-29").workdays_left, Some(3));
}

#[test]
fn a_reply_after_the_due_date_is_late_and_stops_the_clock() {
    let cal = seeds();
    let mut c = case("2021-09-30", 1);
    step(
        &mut c,
        &cal,
        Action::Reply {
            on: d("2021-11-04"),
            reply_type: gongkai_core::disclosure::ReplyType::Disclosed,
            outcome: None,
            explanation: None,
        },
    )
    .unwrap();
    let clock = c.clock(&cal, ClockSettings::default(), d("2022-01-10"));
    assert_eq!(clock.state, ClockState::Stopped);
    assert_eq!(clock.replied_late, Some(true));
    assert!(!clock.overdue, "a concluded application is never overdue");
    assert_eq!(clock.workdays_left, None);
}

#[test]
fn an_unpublished_year_is_a_warning_not_a_guess() {
    let cal = seeds();
    let c = case("2026-12-20", 1);
    let clock = c.clock(&cal, ClockSettings::default(), d("2026-12-20"));
    assert_eq!(clock.reply_due, None);
    assert_eq!(clock.warnings[0].code, "calendar_unpublished");
    let _: Option<NaiveDate> = clock.correction_notice_due;
}
