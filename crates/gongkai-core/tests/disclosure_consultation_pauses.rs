//! A consultation pauses the reply clock until the consulted party answers or its 15
//! working days have passed, whichever comes first (Arts. 32, 34; issue 12, item 1). The
//! days run from the day after the party received the letter, the sending day when
//! that is not recorded. An open consultation past its limit leaves a decision due and
//! is listed with the overdue and due-soon applications.
//!
//! Every case is counted by hand on the 2023 holiday notice in the comment above it:
//! `n=MM-DD` is the n-th working day counted, `P` a working day not counted because the
//! clock was paused, `H` a holiday, `W` a make-up working day (a Saturday or Sunday that
//! counts). 2023: Apr 5 H (清明), Apr 23 Su W, Sep 29 – Oct 6 H, Oct 7 Sa W, Oct 8 Su W.

mod disclosure_support;
mod pause_support;

use disclosure_support::*;
use gongkai_core::disclosure::{ClockSettings, ClockState, DecisionCode, PauseEnd, PauseReason};
use pause_support::{PauseCase, Step, build, check};

const CONSULTATIONS: &[PauseCase] = &[
    // The case. Received Wed Mar 1: without pauses 20 working days end Mar 29.
    // Consulted Thu Mar 2, receipt not recorded, so the sending day counts: the party's
    // 15 working days are 1=03-03 2=03-06 … 15=03-23. No answer ever: the pause covers
    // Mar 3 … Mar 23 (15 working days) and the clock runs again on Mar 24:
    // 1=03-02 P×15 2=03-24 3=03-27 4=03-28 5=03-29 6=03-30 7=03-31 8=04-03 9=04-04
    // (04-05 H) 10=04-06 11=04-07 12=04-10 … 16=04-14 17=04-17 … 20=04-20.
    // Read in late 2026 it is long overdue and awaits the agency's decision.
    PauseCase {
        name: "unanswered consultation, read in 2026",
        received: "2023-03-01",
        steps: &[Step::Consult("2023-03-02", None)],
        as_of: "2026-11-27",
        limit: "2023-03-23",
        paused_until: "2023-03-23",
        end: PauseEnd::LimitReached,
        paused_workdays: 15,
        reply_due: "2023-04-20",
        state: ClockState::Running,
        overdue: true,
        decision: Some(DecisionCode::ConsultationLapsed),
        says: &["未记录对方收到日期", "2023-03-23", "期满未答复", "恢复计时"],
    },
    // Answered on Fri Mar 10, within the 15 days: paused Mar 3, 6, 7, 8, 9, 10 (6).
    // 1=03-02 P×6 2=03-13 … 10=03-23 11=03-24 12=03-27 … 15=03-30 16=03-31 17=04-03
    // 18=04-04 (04-05 H) 19=04-06 20=04-07.
    PauseCase {
        name: "answered within the 15 working days",
        received: "2023-03-01",
        steps: &[Step::Consult("2023-03-02", None), Step::Answer("2023-03-10")],
        as_of: "2023-03-10",
        limit: "2023-03-23",
        paused_until: "2023-03-10",
        end: PauseEnd::Answered,
        paused_workdays: 6,
        reply_due: "2023-04-07",
        state: ClockState::Running,
        overdue: false,
        decision: None,
        says: &["2023-03-10答复", "暂停计时至2023-03-10"],
    },
    // An answer on Apr 10 comes after the limit (Mar 23): the pause still ends on Mar 23,
    // so the reply is due Apr 20 as in the unanswered case.
    PauseCase {
        name: "answered after the 15 working days",
        received: "2023-03-01",
        steps: &[Step::Consult("2023-03-02", None), Step::Answer("2023-04-10")],
        as_of: "2023-04-10",
        limit: "2023-03-23",
        paused_until: "2023-03-23",
        end: PauseEnd::LimitReached,
        paused_workdays: 15,
        reply_due: "2023-04-20",
        state: ClockState::Running,
        overdue: false,
        decision: None,
        says: &["2023-04-10答复", "已过答复期限", "暂停计时至2023-03-23"],
    },
    // The party received the letter on Mon Mar 6: its 15 working days run
    // 1=03-07 … 5=03-13 … 10=03-20 … 15=03-27. Paused Mar 3 … Mar 27: 17 working days.
    // 1=03-02 P×17 2=03-28 3=03-29 4=03-30 5=03-31 6=04-03 7=04-04 (04-05 H) 8=04-06
    // 9=04-07 10=04-10 … 14=04-14 15=04-17 … 19=04-21 20=04-23 (a make-up Sunday).
    PauseCase {
        name: "the party's period runs from its receipt of the letter",
        received: "2023-03-01",
        steps: &[Step::Consult("2023-03-02", Some("2023-03-06"))],
        as_of: "2023-06-30",
        limit: "2023-03-27",
        paused_until: "2023-03-27",
        end: PauseEnd::LimitReached,
        paused_workdays: 17,
        reply_due: "2023-04-23",
        state: ClockState::Running,
        overdue: true,
        decision: Some(DecisionCode::ConsultationLapsed),
        says: &["2023-03-06收到", "2023-03-27"],
    },
    // Still open on Wed Mar 15, within the limit: the pause runs to the day the clock is
    // read (Mar 3, 6 … 10, 13 … 15: 9 working days) and the due date moves on each day:
    // 1=03-02 P×9 2=03-16 3=03-17 4=03-20 … 8=03-24 9=03-27 … 13=03-31 14=04-03
    // 15=04-04 (04-05 H) 16=04-06 17=04-07 18=04-10 19=04-11 20=04-12.
    PauseCase {
        name: "open consultation within the limit",
        received: "2023-03-01",
        steps: &[Step::Consult("2023-03-02", None)],
        as_of: "2023-03-15",
        limit: "2023-03-23",
        paused_until: "2023-03-15",
        end: PauseEnd::Ongoing,
        paused_workdays: 9,
        reply_due: "2023-04-12",
        state: ClockState::Paused,
        overdue: false,
        decision: None,
        says: &["尚在答复期限内"],
    },
    // Read on the limit day itself the party still has that day: paused Mar 3 … Mar 23
    // (15), due Apr 20 as counted above, nothing to decide yet.
    PauseCase {
        name: "open consultation on its last day",
        received: "2023-03-01",
        steps: &[Step::Consult("2023-03-02", None)],
        as_of: "2023-03-23",
        limit: "2023-03-23",
        paused_until: "2023-03-23",
        end: PauseEnd::Ongoing,
        paused_workdays: 15,
        reply_due: "2023-04-20",
        state: ClockState::Paused,
        overdue: false,
        decision: None,
        says: &[],
    },
    // The day after: the limit has passed, the clock runs again (due Apr 20, not yet
    // overdue), and the agency must decide without the answer (Art. 32).
    PauseCase {
        name: "open consultation the day after its limit",
        received: "2023-03-01",
        steps: &[Step::Consult("2023-03-02", None)],
        as_of: "2023-03-24",
        limit: "2023-03-23",
        paused_until: "2023-03-23",
        end: PauseEnd::LimitReached,
        paused_workdays: 15,
        reply_due: "2023-04-20",
        state: ClockState::Running,
        overdue: false,
        decision: Some(DecisionCode::ConsultationLapsed),
        says: &["期满未答复"],
    },
    // Across National Day. Received Mon Sep 25, consulted Tue Sep 26, letter received
    // Wed Sep 27. The party's days: 1=09-28 (09-29 … 10-06 H) 2=10-07 W 3=10-08 W
    // 4=10-09 … 8=10-13 9=10-16 … 13=10-20 14=10-23 15=10-24. Paused Sep 27 … Oct 24:
    // 09-27, 09-28, 10-07 W, 10-08 W, 10-09 … 10-13, 10-16 … 10-20, 10-23, 10-24 = 16.
    // 1=09-26 P×16 2=10-25 3=10-26 4=10-27 5=10-30 … 9=11-03 10=11-06 … 14=11-10
    // 15=11-13 … 19=11-17 20=11-20.
    PauseCase {
        name: "a consultation across National Day",
        received: "2023-09-25",
        steps: &[Step::Consult("2023-09-26", Some("2023-09-27"))],
        as_of: "2023-11-21",
        limit: "2023-10-24",
        paused_until: "2023-10-24",
        end: PauseEnd::LimitReached,
        paused_workdays: 16,
        reply_due: "2023-11-20",
        state: ClockState::Running,
        overdue: true,
        decision: Some(DecisionCode::ConsultationLapsed),
        says: &["2023-10-24"],
    },
];

#[test]
fn a_consultation_pauses_until_the_answer_or_the_parties_fifteen_working_days() {
    check(CONSULTATIONS, PauseReason::Consultation);
}

/// A decision that is due says what to do and from when, and puts the application on
/// the overdue and due-soon lists whatever its reply date.
#[test]
fn a_lapsed_consultation_or_payment_is_listed_for_a_decision() {
    let cal = seeds();
    let s = ClockSettings::default();
    // Consultation lapsed on Mar 23 (see above); read on Mar 24 the reply is not overdue
    // (due Apr 20) but the application is listed as overdue and as due by any horizon.
    let c = build("2023-03-01", s, &[Step::Consult("2023-03-02", None)]);
    let clock = c.clock(&cal, s, d("2023-03-24"));
    let x = clock.decision_due.as_ref().expect("a decision is due");
    assert_eq!((x.code, x.period_ended_on), (DecisionCode::ConsultationLapsed, d("2023-03-23")));
    assert_eq!(x.action, "receive_consultation_reply");
    assert!(x.text.contains("第三十二条"), "{}", x.text);
    assert!(!clock.overdue);
    assert!(clock.listed_overdue());
    assert!(clock.listed_due_by(d("2023-03-24")));
    // Within the limit (Mar 15) it is on neither list: due Apr 12, a week's horizon
    // (to Mar 22) does not reach it.
    let open = c.clock(&cal, s, d("2023-03-15"));
    assert!(!open.listed_overdue());
    assert!(!open.listed_due_by(d("2023-03-22")));
    assert!(open.listed_due_by(d("2023-04-12")));
    // Payment lapsed on Apr 6: to be deemed abandoned.
    let f = build("2023-03-01", s, &[Step::Fee("2023-03-06", Some("2023-03-08"))]);
    let x = f.clock(&cal, s, d("2023-04-07")).decision_due.expect("a decision is due");
    assert_eq!((x.code, x.period_ended_on), (DecisionCode::PaymentLapsed, d("2023-04-06")));
    assert_eq!(x.action, "deem_abandoned");
    assert!(f.clock(&cal, s, d("2023-04-06")).decision_due.is_none(), "the last day to pay");
}
