//! The state machine of an application: which steps each status allows, and the rules
//! of Arts. 30, 33 and 36 and of the fee notice (国办函〔2020〕109号).

mod disclosure_support;

use disclosure_support::*;
use gongkai_core::disclosure::{
    Action, ConsultedParty, Event, Outcome, ReplyType, Status, actions_from,
};
use gongkai_core::fees::FeeMethod;

/// Every status and the actions possible from it.
#[test]
fn the_transition_table() {
    #[rustfmt::skip]
    let table: &[(Status, &[&str])] = &[
        (Status::Received, &["start", "request_correction", "consult", "extend", "notify_fee", "reply", "withdraw"]),
        (Status::CorrectionRequested, &["receive_correction", "deem_withdrawn", "withdraw"]),
        (Status::InProgress, &["request_correction", "consult", "extend", "notify_fee", "reply", "withdraw"]),
        (Status::Consulting, &["receive_consultation_reply", "extend", "withdraw"]),
        (Status::FeeNotified, &["extend", "record_payment", "deem_abandoned", "withdraw"]),
        (Status::Replied, &["archive"]),
        (Status::Withdrawn, &["archive"]),
        (Status::Abandoned, &["archive"]),
        (Status::Archived, &[]),
    ];
    for (status, actions) in table {
        assert_eq!(actions_from(*status), *actions, "{status:?}");
    }
    assert_eq!(table.len(), Status::ALL.len());
}

fn reply(
    on: &str,
    reply_type: ReplyType,
    outcome: Option<Outcome>,
    explanation: Option<&str>,
) -> Action {
    Action::Reply { on: d(on), reply_type, outcome, explanation: explanation.map(String::from) }
}

#[test]
fn illegal_transitions_are_conflicts() {
    let cal = seeds();
    let mut c = case("2024-03-01", 1);
    step(
        &mut c,
        &cal,
        Action::Consult {
            on: d("2024-03-04"),
            party: ConsultedParty::Agency,
            party_name: None,
            received_on: None,
        },
    )
    .unwrap();
    let e = step(&mut c, &cal, reply("2024-03-05", ReplyType::Disclosed, None, None)).unwrap_err();
    assert_eq!(code(e.clone()), "illegal_transition");
    assert!(e.to_string().contains("receive_consultation_reply"), "{e}");
    step(&mut c, &cal, Action::ReceiveConsultationReply { on: d("2024-03-06") }).unwrap();
    step(&mut c, &cal, reply("2024-03-07", ReplyType::Disclosed, None, None)).unwrap();
    assert_eq!(c.status(), Status::Replied);
    assert_eq!(c.conclusion(), Some((d("2024-03-07"), Outcome::Granted)));
    let e = step(&mut c, &cal, Action::Start { on: d("2024-03-08") }).unwrap_err();
    assert_eq!(code(e), "illegal_transition");
    step(&mut c, &cal, Action::Archive { on: d("2024-03-08") }).unwrap();
    let e = step(&mut c, &cal, Action::Archive { on: d("2024-03-09") }).unwrap_err();
    assert!(e.to_string().contains("possible now: nothing"), "{e}");
}

#[test]
fn steps_are_dated_in_order_and_not_in_the_future() {
    let cal = seeds();
    let mut c = case("2024-03-01", 1);
    let e = step(&mut c, &cal, Action::Start { on: d("2024-02-29") }).unwrap_err();
    assert_eq!(code(e), "validation:on");
    step(&mut c, &cal, Action::Start { on: d("2024-03-04") }).unwrap();
    let e = step(&mut c, &cal, Action::Withdraw { on: d("2024-03-03"), note: None }).unwrap_err();
    assert_eq!(code(e), "validation:on");
    let e = step(&mut c, &cal, Action::Withdraw { on: d("2099-01-01"), note: None }).unwrap_err();
    assert_eq!(code(e), "validation:on");
}

#[test]
fn a_correction_is_requested_once_and_lapses_into_withdrawal() {
    let cal = seeds();
    let mut c = case("2024-03-01", 1);
    let request = |on: &str, due: &str| Action::RequestCorrection {
        on: d(on),
        correction_due: d(due),
        note: Some("请明确所需信息的名称".into()),
    };
    let e = step(&mut c, &cal, request("2024-03-04", "2024-03-04")).unwrap_err();
    assert_eq!(code(e), "validation:correction_due");
    step(&mut c, &cal, request("2024-03-04", "2024-03-15")).unwrap();
    let e = step(&mut c, &cal, Action::DeemWithdrawn { on: d("2024-03-15") }).unwrap_err();
    assert_eq!(code(e), "correction_deadline_not_passed");
    let mut late = c.clone();
    let e =
        step(&mut late, &cal, Action::ReceiveCorrection { on: d("2024-03-18"), good_reason: None })
            .unwrap_err();
    assert_eq!(code(e), "correction_deadline_passed");
    step(&mut late, &cal, Action::DeemWithdrawn { on: d("2024-03-18") }).unwrap();
    assert_eq!(late.status(), Status::Withdrawn);
    assert_eq!(late.conclusion(), Some((d("2024-03-18"), Outcome::OtherNoCorrection)));

    step(&mut c, &cal, Action::ReceiveCorrection { on: d("2024-03-11"), good_reason: None })
        .unwrap();
    assert_eq!(c.status(), Status::Received);
    assert_eq!(c.clock_start(), d("2024-03-11"));
    let e = step(&mut c, &cal, request("2024-03-12", "2024-03-20")).unwrap_err();
    assert_eq!(code(e), "correction_already_requested");
}

#[test]
fn one_extension_of_at_most_twenty_working_days_within_the_period() {
    let cal = seeds();
    let mut c = case("2024-03-01", 1);
    let extend = |on: &str, workdays: u32, by: &str, told: &str| Action::Extend {
        on: d(on),
        workdays,
        approved_by: by.into(),
        applicant_notified_on: d(told),
    };
    let e = step(&mut c, &cal, extend("2024-03-20", 21, " ", "2024-03-19")).unwrap_err();
    assert_eq!(code(e), "validation:workdays,approved_by,applicant_notified_on");
    // Due on Mar 29 (Mar 1 + 20): an extension decided on Apr 1 comes too late.
    let e = step(&mut c, &cal, extend("2024-04-01", 10, "主任", "2024-04-01")).unwrap_err();
    assert_eq!(code(e), "extension_too_late");
    step(&mut c, &cal, extend("2024-03-29", 10, "主任", "2024-03-29")).unwrap();
    assert_eq!(c.extension_workdays(), 10);
    let e = step(&mut c, &cal, extend("2024-04-01", 5, "主任", "2024-04-01")).unwrap_err();
    assert_eq!(code(e), "already_extended");
}

#[test]
fn a_fee_notice_uses_one_method_and_the_months_earlier_items() {
    let cal = seeds();
    let mut c = case("2024-03-01", 10);
    let notice =
        |method, pages| Action::NotifyFee { on: d("2024-03-05"), method, pages, received_on: None };
    // 10 items with 25 earlier in the month: items 26–35 → 5×100 + 5×200.
    let e = step_with(
        &mut c.clone(),
        &cal,
        Default::default(),
        25,
        notice(FeeMethod::PerItem, Some(50)),
    )
    .unwrap_err();
    assert_eq!(code(e), "validation:pages");
    let e = step(&mut c.clone(), &cal, notice(FeeMethod::PerItem, None)).unwrap_err();
    assert_eq!(code(e), "validation:method", "10 items alone are free");
    let e = step(&mut c.clone(), &cal, notice(FeeMethod::PerPage, None)).unwrap_err();
    assert_eq!(code(e), "validation:pages");
    let event =
        step_with(&mut c, &cal, Default::default(), 25, notice(FeeMethod::PerItem, None)).unwrap();
    let Event::NotifyFee { notice: n, .. } = event else { panic!("a fee notice") };
    assert_eq!(n.quote.total_yuan, 1500);
    assert_eq!((n.items, n.prior_items, n.pages), (Some(10), Some(25), None));
    assert_eq!(n.payment_due, Some(d("2024-04-02")));
    let e = step(&mut c, &cal, notice(FeeMethod::PerPage, Some(250))).unwrap_err();
    assert_eq!(code(e), "illegal_transition", "no second notice while one is pending");
    let e = step(&mut c, &cal, Action::DeemAbandoned { on: d("2024-04-02") }).unwrap_err();
    assert_eq!(code(e), "payment_deadline_not_passed");
    let mut unpaid = c.clone();
    let e = step(&mut unpaid, &cal, Action::RecordPayment { on: d("2024-04-03") }).unwrap_err();
    assert_eq!(code(e), "payment_deadline_passed");
    step(&mut unpaid, &cal, Action::DeemAbandoned { on: d("2024-04-03") }).unwrap();
    assert_eq!(unpaid.conclusion(), Some((d("2024-04-03"), Outcome::OtherFeeUnpaid)));
    step(&mut c, &cal, Action::RecordPayment { on: d("2024-03-20") }).unwrap();
    assert_eq!(c.status(), Status::InProgress);
    let e = step(&mut c, &cal, notice(FeeMethod::PerPage, Some(250))).unwrap_err();
    assert_eq!(code(e), "validation:on", "dated before the payment");
    let e = step(
        &mut c,
        &cal,
        Action::NotifyFee {
            on: d("2024-03-21"),
            method: FeeMethod::PerPage,
            pages: Some(250),
            received_on: None,
        },
    )
    .unwrap_err();
    assert_eq!(code(e), "fee_already_notified", "never both methods");
}

#[test]
fn a_per_page_fee_of_250_pages() {
    let cal = seeds();
    let mut c = case("2024-03-01", 1);
    let event = step(
        &mut c,
        &cal,
        Action::NotifyFee {
            on: d("2024-03-05"),
            method: FeeMethod::PerPage,
            pages: Some(250),
            received_on: None,
        },
    )
    .unwrap();
    let Event::NotifyFee { notice, .. } = event else { panic!("a fee notice") };
    assert_eq!(notice.quote.total_yuan, 4700);
    assert_eq!(notice.pages, Some(250));
    // The stored form round-trips through JSON.
    let json = serde_json::to_value(&c.events[0]).unwrap();
    assert_eq!(json["action"], "notify_fee");
    assert_eq!(json["method"], "per_page");
    let back: Event = serde_json::from_value(json).unwrap();
    assert_eq!(back, c.events[0]);
}

#[test]
fn replies_are_counted_in_a_row_that_fits_their_type() {
    let cal = seeds();
    let fresh = || case("2024-03-01", 1);
    let try_reply = |t, o, x: Option<&str>| step(&mut fresh(), &cal, reply("2024-03-05", t, o, x));
    assert_eq!(
        code(try_reply(ReplyType::NotDisclosed, None, Some("涉及国家秘密")).unwrap_err()),
        "validation:outcome"
    );
    assert_eq!(
        code(
            try_reply(ReplyType::NotDisclosed, Some(Outcome::RefusedStateSecret), None)
                .unwrap_err()
        ),
        "validation:explanation"
    );
    assert_eq!(
        code(try_reply(ReplyType::Disclosed, Some(Outcome::PartlyGranted), None).unwrap_err()),
        "validation:outcome"
    );
    assert_eq!(
        code(
            try_reply(ReplyType::Other, Some(Outcome::UnavailableUnclearAfterCorrection), None)
                .unwrap_err()
        ),
        "validation:outcome"
    );
    let ok =
        try_reply(ReplyType::NotDisclosed, Some(Outcome::RefusedStateSecret), Some("涉及国家秘密"))
            .unwrap();
    assert!(matches!(ok, Event::Reply { outcome: Outcome::RefusedStateSecret, .. }));
    let ok = try_reply(ReplyType::RepeatApplication, None, None).unwrap();
    assert!(matches!(ok, Event::Reply { outcome: Outcome::NotProcessedRepeat, .. }));
    // Every reply type has at least one row, and only deeming sets the two lapse rows.
    for t in ReplyType::ALL {
        assert!(!t.outcomes().is_empty());
        assert!(!t.outcomes().contains(&Outcome::OtherNoCorrection));
        assert!(!t.outcomes().contains(&Outcome::OtherFeeUnpaid));
    }
}

#[test]
fn withdrawal_closes_any_open_application() {
    let cal = seeds();
    let mut c = case("2024-03-01", 1);
    step(
        &mut c,
        &cal,
        Action::Consult {
            on: d("2024-03-04"),
            party: ConsultedParty::ThirdParty,
            party_name: None,
            received_on: None,
        },
    )
    .unwrap();
    step(&mut c, &cal, Action::Withdraw { on: d("2024-03-06"), note: Some("申请人撤回".into()) })
        .unwrap();
    assert_eq!(c.status(), Status::Withdrawn);
    assert_eq!(c.conclusion(), Some((d("2024-03-06"), Outcome::Other)));
    let clock = c.clock(&cal, Default::default(), d("2024-03-06"));
    assert_eq!(clock.pauses[0].ended_on, Some(d("2024-03-06")));
}

/// A fee notified in December, before the next year's holiday notice is loaded: the
/// payment period follows the calendar once that year is loaded.
#[test]
fn the_payment_period_follows_a_calendar_loaded_later() {
    let full = seeds();
    let mut without_2026 = seeds();
    without_2026.remove_year(2026);
    let mut c = case("2025-12-01", 1);
    let notice = Action::NotifyFee {
        on: d("2025-12-10"),
        method: FeeMethod::PerPage,
        pages: Some(250),
        received_on: None,
    };
    let Event::NotifyFee { notice: n, .. } = step(&mut c, &without_2026, notice).unwrap() else {
        panic!("a fee notice")
    };
    assert_eq!(n.payment_due, None, "the period reaches 2026, not loaded then");
    let e = step(&mut c.clone(), &without_2026, Action::DeemAbandoned { on: d("2026-01-20") })
        .unwrap_err();
    assert_eq!(code(e), "calendar_unpublished");
    // 2026 loaded: Dec 11 … Dec 31 (15 working days), Jan 1–3 off, Jan 4 (a make-up
    // Sunday), Jan 5–8 → due 2026-01-08.
    let e = step(&mut c.clone(), &full, Action::DeemAbandoned { on: d("2026-01-08") }).unwrap_err();
    assert_eq!(code(e), "payment_deadline_not_passed");
    step(&mut c, &full, Action::DeemAbandoned { on: d("2026-01-09") }).unwrap();
    assert_eq!(c.status(), Status::Abandoned);
}
