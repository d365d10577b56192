//! Waiting for a fee (国办函〔2020〕109号; setting `fee_wait_pauses_clock`) pauses the reply
//! clock until the applicant pays or the 20 working days counted from the day after the
//! applicant received the notice have passed, whichever comes first (issue 12, item 2).
//! Unpaid past that, the wait no longer pauses and the application is listed as due to
//! be deemed abandoned, counted in table 三 （六）2 once it is.
//!
//! Every case is counted by hand on the 2023 holiday notice in the comment above it:
//! `n=MM-DD` is the n-th working day counted, `P` a working day not counted because the
//! clock was paused, `H` a holiday, `W` a make-up working day (a Saturday or Sunday that
//! counts). 2023: Apr 5 H (清明), Apr 23 Su W.

mod disclosure_support;
mod pause_support;

use disclosure_support::*;
use gongkai_core::disclosure::report::{ReportEntry, ReportFormat, table3};
use gongkai_core::disclosure::{
    Action, ApplicantKind, ClockSettings, ClockState, DecisionCode, Outcome, PauseEnd, PauseReason,
};
use pause_support::{PauseCase, Step, action, build, check};

const FEE_WAITS: &[PauseCase] = &[
    // Notice on Mon Mar 6, receipt not recorded: the notice day counts as the day the
    // applicant received it. Payment period: 1=03-07 … 5=03-13 … 10=03-20 … 15=03-27 …
    // 19=03-31 20=04-03. Unpaid: paused Mar 7 … Apr 3 (20 working days), then the clock
    // runs again: 1=03-02 2=03-03 3=03-06 P×20 4=04-04 (04-05 H) 5=04-06 6=04-07
    // 7=04-10 … 11=04-14 12=04-17 … 16=04-21 17=04-23 W 18=04-24 19=04-25 20=04-26.
    PauseCase {
        name: "unpaid fee, receipt not recorded",
        received: "2023-03-01",
        steps: &[Step::Fee("2023-03-06", None)],
        as_of: "2026-11-27",
        limit: "2023-04-03",
        paused_until: "2023-04-03",
        end: PauseEnd::LimitReached,
        paused_workdays: 20,
        reply_due: "2023-04-26",
        state: ClockState::Running,
        overdue: true,
        decision: Some(DecisionCode::PaymentLapsed),
        says: &["未记录申请人收到日期", "逾期未缴费", "视为放弃"],
    },
    // The applicant received the notice on Wed Mar 8: 1=03-09 … 17=03-31 18=04-03
    // 19=04-04 (04-05 H) 20=04-06. Paused Mar 7 … Apr 6: 03-07 … 03-31 (19), 04-03,
    // 04-04, 04-06: 22 working days. 1=03-02 2=03-03 3=03-06 P×22 4=04-07 5=04-10 …
    // 9=04-14 10=04-17 … 14=04-21 15=04-23 W 16=04-24 … 19=04-27 20=04-28.
    PauseCase {
        name: "unpaid fee, counted from the applicant's receipt",
        received: "2023-03-01",
        steps: &[Step::Fee("2023-03-06", Some("2023-03-08"))],
        as_of: "2023-04-07",
        limit: "2023-04-06",
        paused_until: "2023-04-06",
        end: PauseEnd::LimitReached,
        paused_workdays: 22,
        reply_due: "2023-04-28",
        state: ClockState::Running,
        overdue: false,
        decision: Some(DecisionCode::PaymentLapsed),
        says: &["2023-03-08收到", "2023-04-06"],
    },
    // Paid on Mon Mar 20: paused Mar 7 … Mar 20 (10 working days).
    // 1=03-02 2=03-03 3=03-06 P×10 4=03-21 … 7=03-24 8=03-27 … 12=03-31 13=04-03
    // 14=04-04 (04-05 H) 15=04-06 16=04-07 17=04-10 … 20=04-13.
    PauseCase {
        name: "fee paid in time",
        received: "2023-03-01",
        steps: &[Step::Fee("2023-03-06", Some("2023-03-08")), Step::Pay("2023-03-20")],
        as_of: "2023-03-20",
        limit: "2023-04-06",
        paused_until: "2023-03-20",
        end: PauseEnd::Paid,
        paused_workdays: 10,
        reply_due: "2023-04-13",
        state: ClockState::Running,
        overdue: false,
        decision: None,
        says: &["2023-03-20缴费"],
    },
    // Still waiting on Wed Mar 15: paused Mar 7 … Mar 15 (7), moving daily.
    // 1=03-02 2=03-03 3=03-06 P×7 4=03-16 5=03-17 6=03-20 … 10=03-24 11=03-27 …
    // 15=03-31 16=04-03 17=04-04 (04-05 H) 18=04-06 19=04-07 20=04-10.
    PauseCase {
        name: "fee awaited within the payment period",
        received: "2023-03-01",
        steps: &[Step::Fee("2023-03-06", Some("2023-03-08"))],
        as_of: "2023-03-15",
        limit: "2023-04-06",
        paused_until: "2023-03-15",
        end: PauseEnd::Ongoing,
        paused_workdays: 7,
        reply_due: "2023-04-10",
        state: ClockState::Paused,
        overdue: false,
        decision: None,
        says: &["尚在缴费期限内"],
    },
    // Deemed abandoned on Apr 7, the day after the period: the pause had ended on Apr 6
    // (as in the second case) and the application is closed, counted in （六）2.
    PauseCase {
        name: "deemed abandoned after the payment period",
        received: "2023-03-01",
        steps: &[Step::Fee("2023-03-06", Some("2023-03-08")), Step::Abandon("2023-04-07")],
        as_of: "2023-04-07",
        limit: "2023-04-06",
        paused_until: "2023-04-06",
        end: PauseEnd::LimitReached,
        paused_workdays: 22,
        reply_due: "2023-04-28",
        state: ClockState::Stopped,
        overdue: false,
        decision: None,
        says: &[],
    },
    // Withdrawn on Mar 10 while waiting: the pause ends with the application (Mar 7 …
    // Mar 10, 4 working days): 1=03-02 2=03-03 3=03-06 P×4 4=03-13 … 8=03-17 9=03-20 …
    // 13=03-24 14=03-27 … 18=03-31 19=04-03 20=04-04.
    PauseCase {
        name: "withdrawn while the fee is awaited",
        received: "2023-03-01",
        steps: &[Step::Fee("2023-03-06", Some("2023-03-08")), Step::Withdraw("2023-03-10")],
        as_of: "2023-06-01",
        limit: "2023-04-06",
        paused_until: "2023-03-10",
        end: PauseEnd::Closed,
        paused_workdays: 4,
        reply_due: "2023-04-04",
        state: ClockState::Stopped,
        overdue: false,
        decision: None,
        says: &[],
    },
];

#[test]
fn a_fee_wait_pauses_until_payment_or_twenty_working_days_after_receipt() {
    check(FEE_WAITS, PauseReason::FeePayment);
}

/// With `fee_wait_pauses_clock` off the wait never pauses (due Mar 29 as if no notice:
/// 1=03-02 … 20=03-29), yet an unpaid notice is still listed once its period is over.
#[test]
fn without_the_fee_pause_an_unpaid_notice_is_still_listed() {
    let cal = seeds();
    let s = ClockSettings { fee_wait_pauses_clock: false, ..ClockSettings::default() };
    let c = build("2023-03-01", s, &[Step::Fee("2023-03-06", Some("2023-03-08"))]);
    let clock = c.clock(&cal, s, d("2023-04-07"));
    assert!(clock.pauses.is_empty());
    assert_eq!(clock.reply_due, Some(d("2023-03-29")));
    assert_eq!(clock.payment_due, Some(d("2023-04-06")));
    assert_eq!(clock.decision_due.map(|x| x.code), Some(DecisionCode::PaymentLapsed));
}

/// The payment period (20 working days from the day after the applicant received the
/// notice, Mar 8 → Apr 6) decides when payment is refused and abandonment allowed, and an
/// abandoned application is counted in table 三 （六）2 of its year.
#[test]
fn the_payment_period_counts_from_the_applicants_receipt() {
    let cal = seeds();
    let s = ClockSettings::default();
    let c = build("2023-03-01", s, &[Step::Fee("2023-03-06", Some("2023-03-08"))]);
    let refused = |on: &str, a: Action| {
        code(
            step(&mut c.clone(), &cal, a)
                .map(|_| ())
                .err()
                .unwrap_or_else(|| panic!("{on}: refused")),
        )
    };
    assert_eq!(
        refused("04-06", Action::DeemAbandoned { on: d("2023-04-06") }),
        "payment_deadline_not_passed"
    );
    assert_eq!(
        refused("04-07", Action::RecordPayment { on: d("2023-04-07") }),
        "payment_deadline_passed"
    );
    step(&mut c.clone(), &cal, Action::RecordPayment { on: d("2023-04-06") }).unwrap();
    let mut abandoned = c.clone();
    step(&mut abandoned, &cal, Action::DeemAbandoned { on: d("2023-04-07") }).unwrap();
    let entry = ReportEntry {
        applicant_kind: ApplicantKind::NaturalPerson,
        received_on: abandoned.received_on,
        conclusion: abandoned.conclusion(),
    };
    assert_eq!(entry.conclusion, Some((d("2023-04-07"), Outcome::OtherFeeUnpaid)));
    let t = table3(2023, ReportFormat::Format2021, &[entry]);
    let row = t.rows.iter().find(|r| r.key == "other_fee_unpaid").expect("（六）2");
    assert_eq!(row.values.expect("cells").natural_person, 1);
    assert!(row.title.starts_with("2.申请人逾期未按收费通知要求缴纳费用"), "{}", row.title);
}

/// A consultation letter or fee notice cannot be received before it was sent, nor in
/// the future.
#[test]
fn a_receipt_date_is_checked() {
    let cal = seeds();
    for (step_, field) in [
        (Step::Consult("2023-03-02", Some("2023-03-01")), "validation:received_on"),
        (Step::Consult("2023-03-02", Some("2099-01-01")), "validation:received_on"),
        (Step::Fee("2023-03-06", Some("2023-03-05")), "validation:received_on"),
    ] {
        let e = step(&mut case("2023-03-01", 1), &cal, action(step_)).unwrap_err();
        assert_eq!(code(e), field, "{step_:?}");
    }
}
