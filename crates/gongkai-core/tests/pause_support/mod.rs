//! Shared by the pause tests: a case built step by step through the state machine, and
//! the table of what the clock says about its last pause.

#![allow(dead_code)]

use crate::disclosure_support::*;
use gongkai_core::disclosure::{
    Action, Case, ClockSettings, ClockState, ConsultedParty, DecisionCode, PauseEnd, PauseReason,
};
use gongkai_core::fees::FeeMethod;

/// One recorded step of a case, dates as `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy)]
pub enum Step {
    /// A third party is consulted on the day; optionally the day it received the letter.
    Consult(&'static str, Option<&'static str>),
    /// The consultation ended (the party's answer, or the decision to go on without it).
    Answer(&'static str),
    /// A per-page fee notice (250 pages, 4,700 yuan) on the day; optionally the day the
    /// applicant received it.
    Fee(&'static str, Option<&'static str>),
    /// The fee was paid.
    Pay(&'static str),
    /// Deemed abandoned for want of payment.
    Abandon(&'static str),
    /// Withdrawn by the applicant.
    Withdraw(&'static str),
}

pub fn action(step: Step) -> Action {
    let opt = |s: Option<&str>| s.map(d);
    match step {
        Step::Consult(on, received) => Action::Consult {
            on: d(on),
            party: ConsultedParty::ThirdParty,
            party_name: Some("某某公司".into()),
            received_on: opt(received),
        },
        Step::Answer(on) => Action::ReceiveConsultationReply { on: d(on) },
        Step::Fee(on, received) => Action::NotifyFee {
            on: d(on),
            method: FeeMethod::PerPage,
            pages: Some(250),
            received_on: opt(received),
        },
        Step::Pay(on) => Action::RecordPayment { on: d(on) },
        Step::Abandon(on) => Action::DeemAbandoned { on: d(on) },
        Step::Withdraw(on) => Action::Withdraw { on: d(on), note: None },
    }
}

/// The case after `steps`, each decided by the state machine with `settings`.
pub fn build(received: &str, settings: ClockSettings, steps: &[Step]) -> Case {
    let cal = seeds();
    let mut c = case(received, 1);
    for s in steps {
        step_with(&mut c, &cal, settings, 0, action(*s))
            .unwrap_or_else(|e| panic!("{s:?} on a case received {received}: {e:?}"));
    }
    c
}

/// What the clock says about the last pause of a case, read on `as_of`.
pub struct PauseCase {
    pub name: &'static str,
    pub received: &'static str,
    pub steps: &'static [Step],
    pub as_of: &'static str,
    /// The end of the party's 15 or the applicant's 20 working days.
    pub limit: &'static str,
    /// The last day not counted.
    pub paused_until: &'static str,
    pub end: PauseEnd,
    /// Working days the pause kept from counting.
    pub paused_workdays: usize,
    pub reply_due: &'static str,
    pub state: ClockState,
    pub overdue: bool,
    pub decision: Option<DecisionCode>,
    /// Words the pause's explanation and the reply date's explanation must hold.
    pub says: &'static [&'static str],
}

/// Checks each case's last pause, reply date, state and decision.
pub fn check(cases: &[PauseCase], reason: PauseReason) {
    let cal = seeds();
    for t in cases {
        let settings = ClockSettings::default();
        let c = build(t.received, settings, t.steps);
        let clock = c.clock(&cal, settings, d(t.as_of));
        let p = clock.pauses.last().unwrap_or_else(|| panic!("{}: a pause", t.name));
        assert_eq!(p.reason, reason, "{}", t.name);
        assert_eq!(p.limit, Some(d(t.limit)), "{}: limit", t.name);
        assert_eq!(p.paused_until, Some(d(t.paused_until)), "{}: paused until", t.name);
        assert_eq!(p.end, t.end, "{}: end", t.name);
        let e = clock.reply_due_explanation.as_ref().expect("explained");
        assert_eq!(e.paused_workdays.len(), t.paused_workdays, "{}: paused days", t.name);
        assert_eq!(clock.reply_due, Some(d(t.reply_due)), "{}: reply due", t.name);
        assert_eq!(clock.state, t.state, "{}: state", t.name);
        assert_eq!(clock.overdue, t.overdue, "{}: overdue", t.name);
        assert_eq!(clock.decision_due.as_ref().map(|x| x.code), t.decision, "{}", t.name);
        for words in t.says {
            assert!(p.text.contains(words), "{}: {words:?} not in {}", t.name, p.text);
        }
        assert!(e.text.contains(&p.text), "{}: the reply date's explanation: {}", t.name, e.text);
        assert!(clock.warnings.is_empty(), "{}: {:?}", t.name, clock.warnings);
    }
}
