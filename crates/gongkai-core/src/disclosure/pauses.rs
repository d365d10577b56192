//! The pauses of the reply clock, and how each one ends.
//!
//! - Consultation (Arts. 32, 34): time spent consulting is not counted, from the day
//!   after the letter went out. The consulted party has 15 working days from the day it
//!   received the letter (`received_on`; when that is not recorded, the sending day
//!   counts as the day of receipt, the earliest it can have arrived). The pause ends on
//!   the party's answer or on the last of those 15 days, whichever comes first: a party
//!   that does not answer in time leaves the decision to the agency (Art. 32) and the
//!   clock runs again. An answer recorded after the limit does not stretch the pause.
//! - Fee payment (when [`ClockSettings::fee_wait_pauses_clock`]): from the day after the
//!   notice until payment, or until the last of the 20 working days the applicant has,
//!   counted from the day after receiving the notice (not recorded: the notice day);
//!   past it the application is to be deemed abandoned, and the wait no longer pauses.
//! - Withdrawal ends any pause that lasts.
//!
//! Each pause says in one Chinese sentence how it was counted and why it ended.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::clock::{CONSULTATION_WORKDAYS, ClockSettings, ClockWarning, warning};
use super::events::Event;
use super::machine::Case;
use super::model::ConsultedParty;
use crate::calendar::{CalendarError, DeadlineExplanation, WorkCalendar};
use crate::fees;

/// Why a stretch of days was not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PauseReason {
    /// A third party or another agency was consulted.
    Consultation,
    /// A fee notice awaited payment.
    FeePayment,
}

/// How a pause ended, or that it has not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PauseEnd {
    /// It lasts: the party or the applicant is still within its period on the day the
    /// clock is read, so the pause runs to that day.
    Ongoing,
    /// The consulted party answered within its 15 working days.
    Answered,
    /// The fee was paid within the payment period.
    Paid,
    /// The period ran out first (no answer or payment in time, or one recorded only
    /// later): the pause ended on its last day and the clock runs again.
    LimitReached,
    /// The application was withdrawn while paused.
    Closed,
}

/// One pause of the clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockPause {
    /// Why.
    pub reason: PauseReason,
    /// The day the consultation or fee notice went out (that day still counts).
    pub began_on: NaiveDate,
    /// The day the party or applicant received it: as recorded, else `began_on`.
    pub received_on: NaiveDate,
    /// Whether `received_on` was recorded (false: the sending day was taken).
    pub received_on_recorded: bool,
    /// The day of the step that ended it (answer, payment, withdrawal, abandonment);
    /// `None` while none was recorded.
    pub ended_on: Option<NaiveDate>,
    /// The last day of the party's 15 or the applicant's 20 working days; `None` while
    /// the calendar of that period is not published.
    pub limit: Option<NaiveDate>,
    /// How `limit` was counted.
    pub limit_explanation: Option<DeadlineExplanation>,
    /// The last day not counted: the earlier of the end and the limit (the day the
    /// clock is read while it lasts); `None` when no day was kept from counting.
    pub paused_until: Option<NaiveDate>,
    /// How it ended.
    pub end: PauseEnd,
    /// The above in one Chinese sentence.
    pub text: String,
}

impl ClockPause {
    /// The days kept from counting, both inclusive: from the day after it began up to
    /// `paused_until`.
    pub fn range(&self) -> Option<(NaiveDate, NaiveDate)> {
        let from = self.began_on.checked_add_days(Days::new(1))?;
        self.paused_until.filter(|to| *to >= from).map(|to| (from, to))
    }
}

/// A pause as the steps record it, before its limit is counted.
struct Recorded {
    reason: PauseReason,
    party: Option<ConsultedParty>,
    began_on: NaiveDate,
    received_on: Option<NaiveDate>,
    ended: Option<(NaiveDate, PauseEnd)>,
}

/// The steps' pauses, in order.
fn recorded(case: &Case, settings: ClockSettings) -> Vec<Recorded> {
    let mut out: Vec<Recorded> = Vec::new();
    let close = |reason: Option<PauseReason>, on: NaiveDate, how, out: &mut Vec<Recorded>| {
        for p in
            out.iter_mut().filter(|p| p.ended.is_none() && reason.is_none_or(|r| r == p.reason))
        {
            p.ended = Some((on, how));
        }
    };
    for e in &case.events {
        match e {
            Event::Consult { on, party, received_on, .. } => out.push(Recorded {
                reason: PauseReason::Consultation,
                party: Some(*party),
                began_on: *on,
                received_on: *received_on,
                ended: None,
            }),
            Event::NotifyFee { on, notice } if settings.fee_wait_pauses_clock => {
                out.push(Recorded {
                    reason: PauseReason::FeePayment,
                    party: None,
                    began_on: *on,
                    received_on: notice.received_on,
                    ended: None,
                })
            }
            Event::ReceiveConsultationReply { on } => {
                close(Some(PauseReason::Consultation), *on, PauseEnd::Answered, &mut out)
            }
            Event::RecordPayment { on } => {
                close(Some(PauseReason::FeePayment), *on, PauseEnd::Paid, &mut out)
            }
            // Only allowed after the payment period, so it always ends at the limit.
            Event::DeemAbandoned { on } => {
                close(Some(PauseReason::FeePayment), *on, PauseEnd::LimitReached, &mut out)
            }
            Event::Withdraw { on, .. } => close(None, *on, PauseEnd::Closed, &mut out),
            _ => {}
        }
    }
    out
}

/// The pauses of `case` as of `as_of`, their limits counted on `calendar`. A limit in
/// an unpublished year adds a warning; such a pause is taken to last until `as_of`.
pub(super) fn pauses(
    case: &Case,
    calendar: &WorkCalendar,
    settings: ClockSettings,
    as_of: NaiveDate,
    warnings: &mut Vec<ClockWarning>,
) -> Vec<ClockPause> {
    recorded(case, settings)
        .into_iter()
        .map(|r| {
            let received_on = r.received_on.unwrap_or(r.began_on);
            let limit: Result<DeadlineExplanation, CalendarError> = match r.reason {
                PauseReason::Consultation => {
                    calendar.add_workdays(received_on, CONSULTATION_WORKDAYS, settings.receipt_day)
                }
                PauseReason::FeePayment => fees::payment_due(received_on, calendar),
            };
            let limit_explanation = limit.map_err(|e| warnings.push(warning(&e))).ok();
            let limit = limit_explanation.as_ref().map(|e| e.due);
            let (paused_until, end) = match (r.ended, limit) {
                (Some((on, _)), Some(limit)) if on > limit => (limit, PauseEnd::LimitReached),
                (Some((on, how)), _) => (on, how),
                (None, Some(limit)) if as_of > limit => (limit, PauseEnd::LimitReached),
                (None, _) => (as_of, PauseEnd::Ongoing),
            };
            let mut pause = ClockPause {
                reason: r.reason,
                began_on: r.began_on,
                received_on,
                received_on_recorded: r.received_on.is_some(),
                ended_on: r.ended.map(|(on, _)| on),
                limit,
                limit_explanation,
                paused_until: (paused_until > r.began_on).then_some(paused_until),
                end,
                text: String::new(),
            };
            pause.text = describe(&pause, r.party, paused_until);
            pause
        })
        .collect()
}

/// One Chinese sentence: when it began, when it was received, its limit, how it ended.
fn describe(p: &ClockPause, party: Option<ConsultedParty>, paused_until: NaiveDate) -> String {
    let (began, received) = (p.began_on, p.received_on);
    let (who, mut text) = match (p.reason, party) {
        (PauseReason::Consultation, Some(ConsultedParty::Agency)) => {
            ("对方", format!("{began}征求其他机关意见（条例第三十四条）"))
        }
        (PauseReason::Consultation, _) => {
            ("对方", format!("{began}征求第三方意见（条例第三十二条）"))
        }
        (PauseReason::FeePayment, _) => ("申请人", format!("{began}发出收费通知")),
    };
    if p.received_on_recorded {
        text.push_str(&format!("，{who}{received}收到"));
    } else {
        text.push_str(&format!("，未记录{who}收到日期，按发出日{began}计"));
    }
    let period = match p.reason {
        PauseReason::Consultation => "答复期限为收到后15个工作日",
        PauseReason::FeePayment => "缴费期限为收到次日起20个工作日",
    };
    match p.limit {
        Some(limit) => text.push_str(&format!("，{period}，至{limit}")),
        None => text.push_str(&format!("，{period}，期限所在年度的节假日安排尚未公布")),
    }
    let ended = p.ended_on.map(|d| d.to_string()).unwrap_or_default();
    let limit = p.limit.map(|d| d.to_string()).unwrap_or_default();
    let tail = match (p.end, p.reason, p.ended_on) {
        (PauseEnd::Ongoing, PauseReason::Consultation, _) => {
            format!("；尚在答复期限内，暂停计时暂计至{paused_until}（逐日顺延）。")
        }
        (PauseEnd::Ongoing, PauseReason::FeePayment, _) => {
            format!("；尚在缴费期限内，暂停计时暂计至{paused_until}（逐日顺延）。")
        }
        (PauseEnd::Answered, ..) => format!("；对方{ended}答复，暂停计时至{ended}。"),
        (PauseEnd::Paid, ..) => format!("；申请人{ended}缴费，暂停计时至{ended}。"),
        (PauseEnd::Closed, ..) => format!("；申请人{ended}撤回申请，暂停计时至{ended}。"),
        (PauseEnd::LimitReached, PauseReason::Consultation, Some(_)) => {
            format!("；对方{ended}答复，已过答复期限，暂停计时至{limit}，其后恢复计时。")
        }
        (PauseEnd::LimitReached, PauseReason::Consultation, None) => format!(
            "；期满未答复，暂停计时至{limit}，其后恢复计时，由本机关依照条例规定决定是否公开。"
        ),
        (PauseEnd::LimitReached, PauseReason::FeePayment, _) => {
            format!("；逾期未缴费，暂停计时至{limit}，其后恢复计时，申请视为放弃（表三（六）2）。")
        }
    };
    text.push_str(&tail);
    text
}
