//! The statutory clock of an application: when the reply is due and how that date was
//! counted.
//!
//! - Reply due (Art. 33): 20 working days from the day the clock runs from — the
//!   receipt date, or the day a corrected application arrived (Art. 30) — plus the one
//!   extension of at most 20 working days.
//! - Consultation (Arts. 32, 34): the working days from the day after the consultation
//!   went out up to and including the day it ended — the party's answer or the last of
//!   its 15 working days, whichever came first — are not counted. A consultation still
//!   within its limit is counted as ending `as_of`, so the due date moves on each day.
//! - Fee payment: with [`ClockSettings::fee_wait_pauses_clock`] (the default; the rule is
//!   open in law) the days from the day after the notice up to the payment, or up to
//!   the end of the payment period when it is not paid, are not counted either.
//! - A period that ran out on someone else (consultation, payment, correction) leaves
//!   a decision due ([`DecisionDue`]), and the application is listed for it.
//!
//! Pauses are worked out in [`super::pauses`]; the explanation of the reply due date
//! ends with one sentence per pause saying how it ended.
//! - Correction: the notice must go out within 7 working days of receipt; a later one
//!   is flagged. While a correction is awaited there is no reply due date.
//! - Whether the receipt day itself counts is [`ClockSettings::receipt_day`] (default:
//!   not counted).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::decision::{DecisionDue, decision_due};
use super::events::Event;
use super::machine::Case;
use super::model::Status;
use super::pauses::{ClockPause, PauseEnd, PauseReason, pauses};
use crate::calendar::{CalendarError, DeadlineExplanation, StartDayRule, WorkCalendar};

/// Working days to reply (Art. 33).
pub const REPLY_WORKDAYS: u32 = 20;
/// Working days within which a correction must be requested (Art. 30).
pub const CORRECTION_NOTICE_WORKDAYS: u32 = 7;
/// Working days a consulted party has to answer (Arts. 32, 34).
pub const CONSULTATION_WORKDAYS: u32 = 15;

/// How the clock counts: two rules the law leaves open, settings of the deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockSettings {
    /// Whether the receipt day counts as day 1 (default: not counted).
    pub receipt_day: StartDayRule,
    /// Whether waiting for a fee payment stops the clock (default: yes).
    pub fee_wait_pauses_clock: bool,
}

impl Default for ClockSettings {
    fn default() -> Self {
        ClockSettings { receipt_day: StartDayRule::NotCounted, fee_wait_pauses_clock: true }
    }
}

/// Whether the clock is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    /// Counting working days.
    Running,
    /// Stopped while a party is consulted or a fee is awaited.
    Paused,
    /// Waiting for the corrected application; it will restart from its arrival.
    AwaitingCorrection,
    /// The application is concluded.
    Stopped,
}

/// Something the clock could not work out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockWarning {
    /// A stable snake_case code (`calendar_unpublished`).
    pub code: String,
    /// In plain words.
    pub message: String,
}

/// The clock of one application as of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    /// Whether it runs.
    pub state: ClockState,
    /// The settings it was counted with.
    pub settings: ClockSettings,
    /// The day counting runs from (receipt, or the corrected application's arrival).
    pub runs_from: NaiveDate,
    /// Working days allowed: 20 plus the extension.
    pub workdays: u32,
    /// The extension's working days (0 when none).
    pub extension_workdays: u32,
    /// The pauses, in order.
    pub pauses: Vec<ClockPause>,
    /// The last day to reply; `None` while a correction is awaited or the calendar of
    /// the period is not published.
    pub reply_due: Option<NaiveDate>,
    /// How `reply_due` was counted.
    pub reply_due_explanation: Option<DeadlineExplanation>,
    /// The last day to request a correction: 7 working days from receipt.
    pub correction_notice_due: Option<NaiveDate>,
    /// How `correction_notice_due` was counted.
    pub correction_notice_due_explanation: Option<DeadlineExplanation>,
    /// Whether the correction request went out after `correction_notice_due`; `None`
    /// when none was requested.
    pub correction_notice_late: Option<bool>,
    /// While a correction is awaited: the applicant's deadline.
    pub correction_due: Option<NaiveDate>,
    /// While consulting: the last of the consulted party's 15 working days.
    pub consultation_reply_due: Option<NaiveDate>,
    /// How `consultation_reply_due` was counted.
    pub consultation_reply_due_explanation: Option<DeadlineExplanation>,
    /// While a fee is awaited: the last day to pay (20 working days from the day after
    /// the applicant received the notice).
    pub payment_due: Option<NaiveDate>,
    /// How `payment_due` was counted.
    pub payment_due_explanation: Option<DeadlineExplanation>,
    /// Open, counting, and `as_of` is after `reply_due`.
    pub overdue: bool,
    /// For an open application: working days from `as_of` to `reply_due` (negative
    /// when overdue).
    pub workdays_left: Option<i64>,
    /// For a replied application: whether the reply came after `reply_due`.
    pub replied_late: Option<bool>,
    /// A decision the handler owes because a period given to someone else ran out.
    pub decision_due: Option<DecisionDue>,
    /// What could not be counted, and why.
    pub warnings: Vec<ClockWarning>,
}

pub(super) fn warning(e: &CalendarError) -> ClockWarning {
    ClockWarning { code: e.code().to_string(), message: e.to_string() }
}

/// Signed working days from `from` to `to`.
fn signed_workdays(
    calendar: &WorkCalendar,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<i64, CalendarError> {
    if to >= from {
        Ok(i64::from(calendar.workdays_between(from, to)?))
    } else {
        Ok(-i64::from(calendar.workdays_between(to, from)?))
    }
}

impl Case {
    /// The clock as of `as_of` (normally today in Asia/Shanghai).
    pub fn clock(
        &self,
        calendar: &WorkCalendar,
        settings: ClockSettings,
        as_of: NaiveDate,
    ) -> Clock {
        let status = self.status();
        let rule = settings.receipt_day;
        let mut warnings = Vec::new();
        let extension_workdays = self.extension_workdays();
        let workdays = REPLY_WORKDAYS + extension_workdays;
        let runs_from = self.clock_start();
        let pauses = pauses(self, calendar, settings, as_of, &mut warnings);
        let mut clock = Clock {
            state: ClockState::Running,
            settings,
            runs_from,
            workdays,
            extension_workdays,
            pauses: Vec::new(),
            reply_due: None,
            reply_due_explanation: None,
            correction_notice_due: None,
            correction_notice_due_explanation: None,
            correction_notice_late: None,
            correction_due: None,
            consultation_reply_due: None,
            consultation_reply_due_explanation: None,
            payment_due: None,
            payment_due_explanation: None,
            overdue: false,
            workdays_left: None,
            replied_late: None,
            decision_due: None,
            warnings: Vec::new(),
        };
        match calendar.add_workdays(self.received_on, CORRECTION_NOTICE_WORKDAYS, rule) {
            Ok(e) => {
                clock.correction_notice_due = Some(e.due);
                clock.correction_notice_late =
                    self.correction_request().map(|(sent, _)| sent > e.due);
                clock.correction_notice_due_explanation = Some(e);
            }
            Err(e) => warnings.push(warning(&e)),
        }
        if status == Status::CorrectionRequested {
            clock.state = ClockState::AwaitingCorrection;
            clock.correction_due = self.correction_request().map(|(_, due)| due);
            clock.decision_due = decision_due(self, &pauses, None, as_of);
            clock.pauses = pauses;
            clock.warnings = warnings;
            return clock;
        }
        let ranges: Vec<(NaiveDate, NaiveDate)> =
            pauses.iter().filter_map(ClockPause::range).collect();
        match calendar.add_workdays_with_pauses(runs_from, workdays, rule, &ranges) {
            Ok(mut e) => {
                for p in &pauses {
                    e.text.push_str(&p.text);
                }
                clock.reply_due = Some(e.due);
                clock.reply_due_explanation = Some(e);
            }
            Err(e) => warnings.push(warning(&e)),
        }
        if status.is_closed() {
            clock.state = ClockState::Stopped;
            if let (Some(Event::Reply { on, .. }), Some(due)) =
                (self.events.iter().find(|e| matches!(e, Event::Reply { .. })), clock.reply_due)
            {
                clock.replied_late = Some(*on > due);
            }
        } else {
            if pauses.iter().any(|p| p.end == PauseEnd::Ongoing) {
                clock.state = ClockState::Paused;
            }
            if let Some(due) = clock.reply_due {
                clock.overdue = as_of > due;
                match signed_workdays(calendar, as_of, due) {
                    Ok(n) => clock.workdays_left = Some(n),
                    Err(e) => warnings.push(warning(&e)),
                }
            }
        }
        if status == Status::Consulting
            && let Some(p) = pauses.iter().rev().find(|p| p.reason == PauseReason::Consultation)
        {
            clock.consultation_reply_due = p.limit;
            clock.consultation_reply_due_explanation = p.limit_explanation.clone();
        }
        if status == Status::FeeNotified
            && let Some(due) = self.payment_due(calendar)
        {
            match due {
                Ok(e) => {
                    clock.payment_due = Some(e.due);
                    clock.payment_due_explanation = Some(e);
                }
                Err(e) => warnings.push(warning(&e)),
            }
        }
        clock.decision_due = decision_due(self, &pauses, clock.payment_due, as_of);
        warnings.dedup();
        clock.pauses = pauses;
        clock.warnings = warnings;
        clock
    }
}

impl Clock {
    /// Whether the application belongs on the overdue list: its reply is overdue, or a
    /// decision is due because a consultation, payment or correction period ran out.
    pub fn listed_overdue(&self) -> bool {
        self.overdue || self.decision_due.is_some()
    }

    /// Whether the application belongs on the list of those due by `horizon`: it is
    /// open and its reply is due by then, or a decision is already due.
    pub fn listed_due_by(&self, horizon: NaiveDate) -> bool {
        self.decision_due.is_some()
            || (self.state != ClockState::Stopped && self.reply_due.is_some_and(|d| d <= horizon))
    }
}
