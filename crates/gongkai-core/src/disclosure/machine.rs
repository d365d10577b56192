//! The life of an application as a state machine: its status is the fold of its
//! events, and [`Case::decide`] checks a new step against the status, the dates and
//! the statutory periods before it is recorded.
//!
//! ```text
//! received ─start─▶ in_progress ─reply─▶ replied ─archive─▶ archived
//! received | in_progress ─request_correction─▶ correction_requested
//! correction_requested ─receive_correction─▶ received (the clock restarts)
//! correction_requested ─deem_withdrawn─▶ withdrawn
//! received | in_progress ─consult─▶ consulting ─receive_consultation_reply─▶ in_progress
//! received | in_progress ─notify_fee─▶ fee_notified ─record_payment─▶ in_progress
//! fee_notified ─deem_abandoned─▶ abandoned
//! withdrawn | abandoned ─archive─▶ archived
//! ```
//! `extend` keeps the status; `withdraw` closes any open application.

use chrono::NaiveDate;

use super::clock::ClockSettings;
use super::events::{Action, Event, FeeNotice};
use super::model::{Outcome, ReplyType, Status};
use super::step_rules::check_received_on;
use crate::calendar::{CalendarError, DeadlineExplanation, WorkCalendar};
use crate::validation::FieldError;

/// The most working days one extension may add (Art. 33).
pub const MAX_EXTENSION_WORKDAYS: u32 = 20;

/// Why a step was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    /// A field of the step is wrong (answered 422).
    #[error("invalid step")]
    Invalid(Vec<FieldError>),
    /// The step does not fit where the application stands (answered 409).
    #[error("{message}")]
    Conflict {
        /// A stable snake_case code.
        code: &'static str,
        /// What is wrong, in plain words.
        message: String,
    },
}

impl RuleError {
    pub(super) fn field(field: &str, message: impl Into<String>) -> Self {
        RuleError::Invalid(vec![FieldError::new(field, message)])
    }

    pub(super) fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        RuleError::Conflict { code, message: message.into() }
    }
}

/// What a decision needs besides the case itself.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Today in Asia/Shanghai: no step may be dated later.
    pub today: NaiveDate,
    /// The working-day calendar.
    pub calendar: &'a WorkCalendar,
    /// How the clock counts.
    pub settings: ClockSettings,
    /// For a per-item fee: the items of the applicant's earlier applications received
    /// in the same calendar month.
    pub prior_items_this_month: u32,
}

/// An application as the rules see it: when it was received, how many items it asks
/// for, and what has happened to it since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// The receipt date (Art. 31).
    pub received_on: NaiveDate,
    /// The number of items (件) of information asked for.
    pub item_count: u32,
    /// The recorded steps, oldest first.
    pub events: Vec<Event>,
}

/// The statuses each action may be taken from.
fn allowed_from(action: &str) -> &'static [Status] {
    use Status::*;
    match action {
        "start" => &[Received],
        "request_correction" => &[Received, InProgress],
        "receive_correction" | "deem_withdrawn" => &[CorrectionRequested],
        "consult" => &[Received, InProgress],
        "receive_consultation_reply" => &[Consulting],
        "extend" => &[Received, InProgress, Consulting, FeeNotified],
        "notify_fee" => &[Received, InProgress],
        "record_payment" | "deem_abandoned" => &[FeeNotified],
        "reply" => &[Received, InProgress],
        "withdraw" => &[Received, CorrectionRequested, InProgress, Consulting, FeeNotified],
        "archive" => &[Replied, Withdrawn, Abandoned],
        _ => &[],
    }
}

/// The actions that may be taken from `status`, in the order of [`Event::NAMES`].
pub fn actions_from(status: Status) -> Vec<&'static str> {
    Event::NAMES.iter().copied().filter(|a| allowed_from(a).contains(&status)).collect()
}

/// The status after `event`, from `status`.
fn next_status(status: Status, event: &Event) -> Status {
    match event {
        Event::Start { .. }
        | Event::ReceiveConsultationReply { .. }
        | Event::RecordPayment { .. } => Status::InProgress,
        Event::RequestCorrection { .. } => Status::CorrectionRequested,
        Event::ReceiveCorrection { .. } => Status::Received,
        Event::DeemWithdrawn { .. } | Event::Withdraw { .. } => Status::Withdrawn,
        Event::Consult { .. } => Status::Consulting,
        Event::Extend { .. } => status,
        Event::NotifyFee { .. } => Status::FeeNotified,
        Event::DeemAbandoned { .. } => Status::Abandoned,
        Event::Reply { .. } => Status::Replied,
        Event::Archive { .. } => Status::Archived,
    }
}

impl Case {
    /// Where the application stands.
    pub fn status(&self) -> Status {
        self.events.iter().fold(Status::Received, next_status)
    }

    /// The day the reply clock runs from: the receipt date, or the day the corrected
    /// application arrived.
    pub fn clock_start(&self) -> NaiveDate {
        self.events
            .iter()
            .rev()
            .find_map(|e| match e {
                Event::ReceiveCorrection { on, .. } => Some(*on),
                _ => None,
            })
            .unwrap_or(self.received_on)
    }

    /// When and how the application was concluded, if it was.
    pub fn conclusion(&self) -> Option<(NaiveDate, Outcome)> {
        self.events.iter().find_map(|e| match e {
            Event::Reply { on, outcome, .. } => Some((*on, *outcome)),
            Event::DeemWithdrawn { on } => Some((*on, Outcome::OtherNoCorrection)),
            Event::DeemAbandoned { on } => Some((*on, Outcome::OtherFeeUnpaid)),
            Event::Withdraw { on, .. } => Some((*on, Outcome::Other)),
            _ => None,
        })
    }

    /// The reply's type, once replied.
    pub fn reply_type(&self) -> Option<ReplyType> {
        self.events.iter().find_map(|e| match e {
            Event::Reply { reply_type, .. } => Some(*reply_type),
            _ => None,
        })
    }

    /// The fee notice, once sent.
    pub fn fee_notice(&self) -> Option<(NaiveDate, &FeeNotice)> {
        self.events.iter().find_map(|e| match e {
            Event::NotifyFee { on, notice } => Some((*on, notice)),
            _ => None,
        })
    }

    /// The day the applicant received the fee notice: as recorded, else the notice day
    /// itself (the earliest it can have arrived, so the period is never longer than the
    /// applicant had). None without a fee notice.
    pub fn fee_notice_received_on(&self) -> Option<NaiveDate> {
        self.fee_notice().map(|(notified_on, notice)| notice.received_on.unwrap_or(notified_on))
    }

    /// The end of the fee payment period — 20 working days from the day after the
    /// applicant received the notice — as the calendar now counts it (so a holiday
    /// notice loaded after the fee notice is followed), with its explanation; None
    /// without a fee notice, an error while that period reaches an unpublished year.
    pub fn payment_due(
        &self,
        calendar: &WorkCalendar,
    ) -> Option<Result<DeadlineExplanation, CalendarError>> {
        self.fee_notice_received_on().map(|received| crate::fees::payment_due(received, calendar))
    }

    fn payment_due_now(&self, calendar: &WorkCalendar) -> Option<Result<NaiveDate, CalendarError>> {
        self.payment_due(calendar).map(|r| r.map(|e| e.due))
    }

    /// The extra working days of the extension, 0 when not extended.
    pub fn extension_workdays(&self) -> u32 {
        self.events
            .iter()
            .find_map(|e| match e {
                Event::Extend { workdays, .. } => Some(*workdays),
                _ => None,
            })
            .unwrap_or(0)
    }

    /// The correction request, once made: (sent on, to arrive by).
    pub fn correction_request(&self) -> Option<(NaiveDate, NaiveDate)> {
        self.events.iter().find_map(|e| match e {
            Event::RequestCorrection { on, correction_due, .. } => Some((*on, *correction_due)),
            _ => None,
        })
    }

    /// The date of the latest step (the receipt date before any).
    pub fn last_date(&self) -> NaiveDate {
        self.events.last().map_or(self.received_on, Event::on)
    }

    /// Checks `action` and returns the event to record, or why it is refused.
    pub fn decide(&self, action: Action, ctx: &Context<'_>) -> Result<Event, RuleError> {
        let status = self.status();
        if !allowed_from(action.name()).contains(&status) {
            let possible = actions_from(status);
            return Err(RuleError::conflict(
                "illegal_transition",
                format!(
                    "`{}` is not possible while the application is {}; possible now: {}",
                    action.name(),
                    status.as_str(),
                    if possible.is_empty() { "nothing".to_string() } else { possible.join(", ") }
                ),
            ));
        }
        let on = action.on();
        if on > ctx.today {
            return Err(RuleError::field(
                "on",
                format!("{on} is in the future (today is {})", ctx.today),
            ));
        }
        let last = self.last_date();
        if on < last {
            return Err(RuleError::field(
                "on",
                format!("{on} is before the application's latest step or its receipt ({last})"),
            ));
        }
        match action {
            Action::Start { on } => Ok(Event::Start { on }),
            Action::RequestCorrection { on, correction_due, note } => {
                if self.correction_request().is_some() {
                    return Err(RuleError::conflict(
                        "correction_already_requested",
                        "a correction may be requested only once (Art. 30)",
                    ));
                }
                if correction_due <= on {
                    return Err(RuleError::field(
                        "correction_due",
                        "the applicant's deadline must come after the day of the request",
                    ));
                }
                Ok(Event::RequestCorrection { on, correction_due, note: clean(note) })
            }
            Action::ReceiveCorrection { on, good_reason } => {
                self.decide_correction(on, good_reason)
            }
            Action::DeemWithdrawn { on } => {
                let (_, due) = self.correction_request().unwrap_or((on, on));
                if on <= due {
                    return Err(RuleError::conflict(
                        "correction_deadline_not_passed",
                        format!("the applicant may still correct the application until {due}"),
                    ));
                }
                Ok(Event::DeemWithdrawn { on })
            }
            Action::Consult { on, party, party_name, received_on } => {
                check_received_on(on, received_on, ctx.today, "the letter")?;
                Ok(Event::Consult { on, party, party_name: clean(party_name), received_on })
            }
            Action::ReceiveConsultationReply { on } => Ok(Event::ReceiveConsultationReply { on }),
            Action::Extend { on, workdays, approved_by, applicant_notified_on } => {
                self.decide_extension(ctx, on, workdays, approved_by, applicant_notified_on)
            }
            Action::NotifyFee { on, method, pages, received_on } => {
                self.decide_fee(ctx, on, method, pages, received_on)
            }
            Action::RecordPayment { on } => {
                if let Some(Ok(due)) = self.payment_due_now(ctx.calendar)
                    && on > due
                {
                    return Err(RuleError::conflict(
                        "payment_deadline_passed",
                        format!(
                            "the fee was due by {due}; an application not paid in time is deemed abandoned"
                        ),
                    ));
                }
                Ok(Event::RecordPayment { on })
            }
            Action::DeemAbandoned { on } => match self.payment_due_now(ctx.calendar) {
                Some(Ok(due)) if on > due => Ok(Event::DeemAbandoned { on }),
                Some(Ok(due)) => Err(RuleError::conflict(
                    "payment_deadline_not_passed",
                    format!("the applicant may still pay until {due}"),
                )),
                None => Err(RuleError::conflict(
                    "no_fee_notice",
                    "no fee was notified for this application",
                )),
                Some(Err(_)) => Err(RuleError::conflict(
                    "calendar_unpublished",
                    "the end of the payment period is unknown until the holiday calendar of that time is loaded",
                )),
            },
            Action::Reply { on, reply_type, outcome, explanation } => {
                self.decide_reply(on, reply_type, outcome, explanation)
            }
            Action::Withdraw { on, note } => Ok(Event::Withdraw { on, note: clean(note) }),
            Action::Archive { on } => Ok(Event::Archive { on }),
        }
    }

    /// Records a decided event (after it has been stored).
    pub fn push(&mut self, event: Event) {
        self.events.push(event);
    }
}

pub(super) fn clean(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}
