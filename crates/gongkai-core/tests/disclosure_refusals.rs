//! Steps the rules refuse, or accept only with a reason (issue 12, items 3 and 4):
//!
//! - a fee notice on an application received before 2021-01-01, when
//!   国办函〔2020〕109号 was not yet in force → `fee_rules_not_in_force`;
//! - a fee notice dated after the reply deadline (it is sent within the handling
//!   period) → `fee_notice_too_late`;
//! - an extension decided or told to the applicant after the deadline it extends
//!   (Art. 33: decided and notified within the period) → `extension_too_late`;
//! - a correction received after the applicant's deadline: accepted with the handler's
//!   `good_reason` (Art. 30 deems withdrawn only a correction late 无正当理由), refused
//!   `correction_deadline_passed` without one.
//!
//! Reply deadlines are counted by hand in the comments (`n=MM-DD` the n-th working day,
//! `P` a paused working day, `H` a holiday, `W` a make-up working day).

mod disclosure_support;

use disclosure_support::*;
use gongkai_core::disclosure::{Action, ClockState, ConsultedParty, Event};
use gongkai_core::fees::FeeMethod;

/// A step, dates as `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// Consult a third party (receipt not recorded).
    Consult(&'static str),
    /// The consultation ended.
    Answer(&'static str),
    /// A per-page fee notice of 250 pages (4,700 yuan).
    Fee(&'static str),
    /// Extend by 10 working days on the first date, the applicant told on the second.
    Extend(&'static str, &'static str),
    /// Ask for a correction on the first date, due by the second.
    AskCorrection(&'static str, &'static str),
    /// The corrected application arrived, with the handler's reason when late.
    Correct(&'static str, Option<&'static str>),
}

fn action(s: Step) -> Action {
    match s {
        Step::Consult(on) => Action::Consult {
            on: d(on),
            party: ConsultedParty::ThirdParty,
            party_name: None,
            received_on: None,
        },
        Step::Answer(on) => Action::ReceiveConsultationReply { on: d(on) },
        Step::Fee(on) => Action::NotifyFee {
            on: d(on),
            method: FeeMethod::PerPage,
            pages: Some(250),
            received_on: None,
        },
        Step::Extend(on, told) => Action::Extend {
            on: d(on),
            workdays: 10,
            approved_by: "公开办主任".into(),
            applicant_notified_on: d(told),
        },
        Step::AskCorrection(on, due) => {
            Action::RequestCorrection { on: d(on), correction_due: d(due), note: None }
        }
        Step::Correct(on, reason) => {
            Action::ReceiveCorrection { on: d(on), good_reason: reason.map(String::from) }
        }
    }
}

/// A step tried after others were recorded; `refused` is the expected code, `None` when
/// the step is accepted.
struct Attempt {
    name: &'static str,
    received: &'static str,
    before: &'static [Step],
    step: Step,
    refused: Option<&'static str>,
}

const ATTEMPTS: &[Attempt] = &[
    // The issue's case: received 2020-12-14, before 109号 applied (from 2021-01-01).
    Attempt {
        name: "fee on an application of December 2020",
        received: "2020-12-14",
        before: &[],
        step: Step::Fee("2020-12-16"),
        refused: Some("fee_rules_not_in_force"),
    },
    // The receipt date decides, not the notice date.
    Attempt {
        name: "fee notified in 2021 on an application of 2020-12-31",
        received: "2020-12-31",
        before: &[],
        step: Step::Fee("2021-01-05"),
        refused: Some("fee_rules_not_in_force"),
    },
    // Received online on New Year's Day 2021, the measures' first day: reply due
    // 1=01-04 … 5=01-08 6=01-11 … 20=01-29 (Jan 1–3 H); a notice on Jan 5 is in time.
    Attempt {
        name: "fee on an application of 2021-01-01",
        received: "2021-01-01",
        before: &[],
        step: Step::Fee("2021-01-05"),
        refused: None,
    },
    // Received Wed 2023-03-01: 1=03-02 2=03-03 3=03-06 … 20=03-29.
    Attempt {
        name: "fee notice on the last day of the period",
        received: "2023-03-01",
        before: &[],
        step: Step::Fee("2023-03-29"),
        refused: None,
    },
    Attempt {
        name: "fee notice the day after the period",
        received: "2023-03-01",
        before: &[],
        step: Step::Fee("2023-03-30"),
        refused: Some("fee_notice_too_late"),
    },
    // Consulted Mar 2, never answered within 15 working days (1=03-03 … 15=03-23):
    // paused Mar 3 … Mar 23 only, so the reply is due 1=03-02 P×15 2=03-24 … 9=04-04
    // (04-05 H) 10=04-06 … 20=04-20. Closing the consultation on Apr 21 does not stretch
    // the period: a fee notice that day is late.
    Attempt {
        name: "fee notice after an unanswered consultation",
        received: "2023-03-01",
        before: &[Step::Consult("2023-03-02"), Step::Answer("2023-04-21")],
        step: Step::Fee("2023-04-21"),
        refused: Some("fee_notice_too_late"),
    },
    // Answered Mar 10: paused Mar 3 … Mar 10 (6), due 1=03-02 P×6 2=03-13 … 18=04-04
    // (04-05 H) 19=04-06 20=04-07.
    Attempt {
        name: "fee notice on the due date after an answered consultation",
        received: "2023-03-01",
        before: &[Step::Consult("2023-03-02"), Step::Answer("2023-03-10")],
        step: Step::Fee("2023-04-07"),
        refused: None,
    },
    // The issue's case: a period that ended Mar 29, the applicant told on Apr 20.
    Attempt {
        name: "extension told after the period it extends",
        received: "2023-03-01",
        before: &[],
        step: Step::Extend("2023-03-29", "2023-04-20"),
        refused: Some("extension_too_late"),
    },
    Attempt {
        name: "extension decided after the period",
        received: "2023-03-01",
        before: &[],
        step: Step::Extend("2023-03-30", "2023-03-30"),
        refused: Some("extension_too_late"),
    },
    Attempt {
        name: "extension decided and told on the last day",
        received: "2023-03-01",
        before: &[],
        step: Step::Extend("2023-03-29", "2023-03-29"),
        refused: None,
    },
    // An open consultation past its limit no longer stretches the period (due Apr 20).
    Attempt {
        name: "extension while an unanswered consultation is past its limit",
        received: "2023-03-01",
        before: &[Step::Consult("2023-03-02")],
        step: Step::Extend("2023-04-21", "2023-04-21"),
        refused: Some("extension_too_late"),
    },
    Attempt {
        name: "extension on the last day while the consultation is still open",
        received: "2023-03-01",
        before: &[Step::Consult("2023-03-02")],
        step: Step::Extend("2023-04-20", "2023-04-20"),
        refused: None,
    },
    // Correction asked Mon 2024-03-04, due Fri Mar 15; it arrives Mon Mar 18.
    Attempt {
        name: "late correction without a reason",
        received: "2024-03-01",
        before: &[Step::AskCorrection("2024-03-04", "2024-03-15")],
        step: Step::Correct("2024-03-18", None),
        refused: Some("correction_deadline_passed"),
    },
    Attempt {
        name: "late correction with a blank reason",
        received: "2024-03-01",
        before: &[Step::AskCorrection("2024-03-04", "2024-03-15")],
        step: Step::Correct("2024-03-18", Some("  ")),
        refused: Some("correction_deadline_passed"),
    },
    Attempt {
        name: "late correction with a good reason",
        received: "2024-03-01",
        before: &[Step::AskCorrection("2024-03-04", "2024-03-15")],
        step: Step::Correct("2024-03-18", Some("申请人住院，补正材料由家属代为寄出，附医院证明")),
        refused: None,
    },
    Attempt {
        name: "a reason for a correction that is on time",
        received: "2024-03-01",
        before: &[Step::AskCorrection("2024-03-04", "2024-03-15")],
        step: Step::Correct("2024-03-15", Some("路途遥远")),
        refused: Some("validation:good_reason"),
    },
    Attempt {
        name: "correction on its last day",
        received: "2024-03-01",
        before: &[Step::AskCorrection("2024-03-04", "2024-03-15")],
        step: Step::Correct("2024-03-15", None),
        refused: None,
    },
];

#[test]
fn each_attempt_is_refused_with_its_code_or_accepted() {
    let cal = seeds();
    for t in ATTEMPTS {
        let mut c = case(t.received, 1);
        for s in t.before {
            step(&mut c, &cal, action(*s)).unwrap_or_else(|e| panic!("{}: {s:?}: {e:?}", t.name));
        }
        let before = c.clone();
        let got = step(&mut c, &cal, action(t.step));
        match (t.refused, got) {
            (None, Ok(_)) => {}
            (Some(want), Err(e)) => {
                assert_eq!(code(e), want, "{}", t.name);
                assert_eq!(c, before, "{}: a refusal records nothing", t.name);
            }
            (want, got) => panic!("{}: expected {want:?}, got {got:?}", t.name),
        }
    }
}

/// The refusals say what was wrong in words a handler can act on.
#[test]
fn the_refusals_name_the_dates() {
    let cal = seeds();
    let e = step(&mut case("2020-12-14", 1), &cal, action(Step::Fee("2020-12-16"))).unwrap_err();
    let text = e.to_string();
    assert!(text.contains("2021-01-01") && text.contains("2020-12-14"), "{text}");
    let e = step(&mut case("2023-03-01", 1), &cal, action(Step::Fee("2023-03-30"))).unwrap_err();
    assert!(e.to_string().contains("2023-03-29"), "{e}");
    let e =
        step(&mut case("2023-03-01", 1), &cal, action(Step::Extend("2023-03-29", "2023-04-20")))
            .unwrap_err();
    let text = e.to_string();
    assert!(text.contains("2023-04-20") && text.contains("2023-03-29"), "{text}");
}

/// A late correction accepted for a good reason restarts the clock like any other and
/// keeps the reason in the recorded step. From Mon 2024-03-18: 1=03-19 … 9=03-29
/// 10=04-01 … 12=04-03 (04-04 … 04-06 H) 13=04-07 W 14=04-08 … 17=04-11 18=04-12
/// 19=04-15 20=04-16.
#[test]
fn a_late_correction_with_a_good_reason_restarts_the_clock() {
    let cal = seeds();
    let mut c = case("2024-03-01", 1);
    step(&mut c, &cal, action(Step::AskCorrection("2024-03-04", "2024-03-15"))).unwrap();
    let reason = "申请人住院，补正材料由家属代为寄出，附医院证明";
    let event = step(&mut c, &cal, action(Step::Correct("2024-03-18", Some(reason)))).unwrap();
    assert_eq!(
        event,
        Event::ReceiveCorrection { on: d("2024-03-18"), good_reason: Some(reason.into()) }
    );
    let json = serde_json::to_value(&event).unwrap();
    assert_eq!(json["good_reason"], reason);
    let clock = c.clock(&cal, Default::default(), d("2024-03-18"));
    assert_eq!(clock.state, ClockState::Running);
    assert_eq!(clock.runs_from, d("2024-03-18"));
    assert_eq!(clock.reply_due, Some(d("2024-04-16")));
    // A step stored before good reasons existed still reads.
    let old: Event =
        serde_json::from_str(r#"{"action":"receive_correction","on":"2024-03-11"}"#).unwrap();
    assert_eq!(old, Event::ReceiveCorrection { on: d("2024-03-11"), good_reason: None });
}

/// A good reason is a sentence, not an essay: at most 2,000 characters.
#[test]
fn a_good_reason_has_a_length_limit() {
    let cal = seeds();
    let mut c = case("2024-03-01", 1);
    step(&mut c, &cal, action(Step::AskCorrection("2024-03-04", "2024-03-15"))).unwrap();
    let long = "因".repeat(2001);
    let e = step(
        &mut c,
        &cal,
        Action::ReceiveCorrection { on: d("2024-03-18"), good_reason: Some(long) },
    )
    .unwrap_err();
    assert_eq!(code(e), "validation:good_reason");
}
