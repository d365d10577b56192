//! The JSON shapes of an application's clock, fee notice and handling steps: every due
//! date with the explanation of how it was counted.

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::calendar::StartDayRule;
use gongkai_core::disclosure::{
    Case, Clock, ClockPause, ClockSettings, ClockState, ClockWarning, DecisionCode, DecisionDue,
    Event, PauseEnd, PauseReason,
};
use gongkai_core::fees::FeeMethod;
use gongkai_store::disclosure::StoredEvent;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::calendar::types::DeadlineDto;
use crate::disclosure::action_types::ActionKind;
use crate::disclosure::fee_types::FeeQuoteDto;

/// A decision the handler owes because a period given to someone else ran out; such an
/// application is on the overdue and due-soon lists until the step is recorded.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DecisionDueDto {
    pub code: DecisionCode,
    /// The last day of the period that ran out.
    pub period_ended_on: NaiveDate,
    /// The step that records the decision.
    #[schema(example = "deem_abandoned")]
    pub action: String,
    /// What to do and why, in Chinese.
    pub text: String,
}

impl From<DecisionDue> for DecisionDueDto {
    fn from(d: DecisionDue) -> Self {
        DecisionDueDto {
            code: d.code,
            period_ended_on: d.period_ended_on,
            action: d.action,
            text: d.text,
        }
    }
}

/// The deployment's settings the clock was counted with.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct ClockSettingsDto {
    /// `GONGKAI_RECEIPT_DAY_COUNTED`: whether the receipt day is working day 1.
    pub receipt_day: StartDayRule,
    /// `GONGKAI_FEE_WAIT_PAUSES_CLOCK`: whether waiting for a fee stops the clock.
    pub fee_wait_pauses_clock: bool,
}

impl From<ClockSettings> for ClockSettingsDto {
    fn from(s: ClockSettings) -> Self {
        ClockSettingsDto {
            receipt_day: s.receipt_day,
            fee_wait_pauses_clock: s.fee_wait_pauses_clock,
        }
    }
}

/// One pause of the clock.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ClockPauseDto {
    pub reason: PauseReason,
    /// The day the consultation or fee notice went out (that day still counts).
    pub began_on: NaiveDate,
    /// The day the party or the applicant received it: as recorded, else `began_on`.
    pub received_on: NaiveDate,
    /// Whether `received_on` was recorded (false: the sending day was taken).
    pub received_on_recorded: bool,
    /// The day of the step that ended it (answer, payment, withdrawal, abandonment);
    /// null while none was recorded.
    pub ended_on: Option<NaiveDate>,
    /// The last of the party's 15 or the applicant's 20 working days; null while that
    /// period reaches an unpublished calendar year.
    pub limit: Option<NaiveDate>,
    /// How `limit` was counted.
    pub limit_explanation: Option<DeadlineDto>,
    /// The last day not counted: the end or the limit, whichever came first (the day
    /// read while it lasts); null when no day was kept from counting.
    pub paused_until: Option<NaiveDate>,
    pub end: PauseEnd,
    /// How it was counted and why it ended, in Chinese.
    pub text: String,
    /// Working days it kept from counting.
    pub workdays_not_counted: u32,
}

/// Something the clock could not count.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ClockWarningDto {
    #[schema(example = "calendar_unpublished")]
    pub code: String,
    pub message: String,
}

impl From<ClockWarning> for ClockWarningDto {
    fn from(w: ClockWarning) -> Self {
        ClockWarningDto { code: w.code, message: w.message }
    }
}

/// The statutory clock of an application.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ClockDto {
    pub state: ClockState,
    pub settings: ClockSettingsDto,
    /// The day counting runs from: the receipt, or the corrected application's arrival.
    pub runs_from: NaiveDate,
    /// Working days allowed: 20 plus the extension.
    pub workdays: u32,
    pub extension_workdays: u32,
    pub reply_due: Option<NaiveDate>,
    /// How `reply_due` was counted: holidays and weekends skipped, make-up working days
    /// used, and in `text` the pauses too.
    pub reply_due_explanation: Option<DeadlineDto>,
    /// Working days not counted because the clock was paused.
    pub paused_workdays: Vec<NaiveDate>,
    pub pauses: Vec<ClockPauseDto>,
    /// The last day to request a correction: 7 working days from receipt (Art. 30).
    pub correction_notice_due: Option<NaiveDate>,
    /// How `correction_notice_due` was counted.
    pub correction_notice_due_explanation: Option<DeadlineDto>,
    /// Whether the correction request went out after `correction_notice_due`.
    pub correction_notice_late: Option<bool>,
    /// While a correction is awaited: the applicant's deadline.
    pub correction_due: Option<NaiveDate>,
    /// While consulting: the last of the consulted party's 15 working days, counted from
    /// the day it received the letter.
    pub consultation_reply_due: Option<NaiveDate>,
    /// How `consultation_reply_due` was counted.
    pub consultation_reply_due_explanation: Option<DeadlineDto>,
    /// While a fee is awaited: the last day to pay (20 working days from the day after
    /// the applicant received the notice).
    pub payment_due: Option<NaiveDate>,
    /// How `payment_due` was counted.
    pub payment_due_explanation: Option<DeadlineDto>,
    pub overdue: bool,
    /// A decision owed because a consultation, payment or correction period ran out.
    pub decision_due: Option<DecisionDueDto>,
    /// Working days from today to `reply_due` (negative when overdue).
    pub workdays_left: Option<i64>,
    /// Whether the reply came after `reply_due`.
    pub replied_late: Option<bool>,
    pub warnings: Vec<ClockWarningDto>,
}

fn pause_dto(p: ClockPause, applied: &[gongkai_core::calendar::PauseApplied]) -> ClockPauseDto {
    let not_counted = applied
        .iter()
        .find(|a| p.began_on.succ_opt() == Some(a.from))
        .map_or(0, |a| a.workdays_not_counted);
    ClockPauseDto {
        reason: p.reason,
        began_on: p.began_on,
        received_on: p.received_on,
        received_on_recorded: p.received_on_recorded,
        ended_on: p.ended_on,
        limit: p.limit,
        limit_explanation: p.limit_explanation.map(DeadlineDto::from),
        paused_until: p.paused_until,
        end: p.end,
        text: p.text,
        workdays_not_counted: not_counted,
    }
}

impl From<Clock> for ClockDto {
    fn from(c: Clock) -> Self {
        let applied =
            c.reply_due_explanation.as_ref().map(|e| e.pauses.clone()).unwrap_or_default();
        let paused_workdays = c
            .reply_due_explanation
            .as_ref()
            .map(|e| e.paused_workdays.iter().map(|s| s.date).collect())
            .unwrap_or_default();
        ClockDto {
            state: c.state,
            settings: c.settings.into(),
            runs_from: c.runs_from,
            workdays: c.workdays,
            extension_workdays: c.extension_workdays,
            reply_due: c.reply_due,
            reply_due_explanation: c.reply_due_explanation.map(DeadlineDto::from),
            paused_workdays,
            pauses: c.pauses.into_iter().map(|p| pause_dto(p, &applied)).collect(),
            correction_notice_due: c.correction_notice_due,
            correction_notice_due_explanation: c
                .correction_notice_due_explanation
                .map(DeadlineDto::from),
            correction_notice_late: c.correction_notice_late,
            correction_due: c.correction_due,
            consultation_reply_due: c.consultation_reply_due,
            consultation_reply_due_explanation: c
                .consultation_reply_due_explanation
                .map(DeadlineDto::from),
            payment_due: c.payment_due,
            payment_due_explanation: c.payment_due_explanation.map(DeadlineDto::from),
            overdue: c.overdue,
            decision_due: c.decision_due.map(DecisionDueDto::from),
            workdays_left: c.workdays_left,
            replied_late: c.replied_late,
            warnings: c.warnings.into_iter().map(ClockWarningDto::from).collect(),
        }
    }
}

/// The fee notice (收费通知) of an application.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FeeDto {
    pub method: FeeMethod,
    pub total_yuan: u64,
    /// The day the notice went out.
    pub notified_on: NaiveDate,
    /// The day the applicant received it: as recorded, else the notice day.
    pub received_on: NaiveDate,
    /// The last day to pay: 20 working days from the day after `received_on`.
    pub payment_due: Option<NaiveDate>,
    /// The day it was paid, if it was.
    pub paid_on: Option<NaiveDate>,
    /// Per item: this application's items, and the applicant's earlier items that month.
    pub items: Option<u32>,
    pub prior_items: Option<u32>,
    /// Per page: the pages.
    pub pages: Option<u32>,
    pub quote: FeeQuoteDto,
}

impl FeeDto {
    /// The fee notice of a case, if one was sent.
    pub fn of(case: &Case) -> Option<FeeDto> {
        let (on, n) = case.fee_notice()?;
        let paid_on = case.events.iter().find_map(|e| match e {
            Event::RecordPayment { on } => Some(*on),
            _ => None,
        });
        Some(FeeDto {
            method: n.method,
            total_yuan: n.quote.total_yuan,
            notified_on: on,
            received_on: n.received_on.unwrap_or(on),
            payment_due: n.payment_due,
            paid_on,
            items: n.items,
            prior_items: n.prior_items,
            pages: n.pages,
            quote: n.quote.clone().into(),
        })
    }
}

/// One handling step.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StepDto {
    pub id: i64,
    #[schema(example = "request_correction")]
    pub action: ActionKind,
    /// The day it happened.
    pub on: NaiveDate,
    /// The step's own fields (e.g. `correction_due`, `workdays`, `reply_type`); for
    /// viewers without free text (notes, names of consulted parties, explanations).
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    pub recorded_at: DateTime<Utc>,
    /// Who recorded it (the token's subject).
    pub recorded_by: String,
}

/// Free-text fields a viewer does not see.
const FREE_TEXT: &[&str] = &["note", "party_name", "explanation", "good_reason"];

impl StepDto {
    /// The step, without free text when `redacted`.
    pub fn new(e: &StoredEvent, redacted: bool) -> Self {
        let mut details = serde_json::to_value(&e.event).unwrap_or_default();
        if let Some(obj) = details.as_object_mut() {
            obj.remove("action");
            obj.remove("on");
            if redacted {
                for f in FREE_TEXT {
                    obj.remove(*f);
                }
            }
        }
        StepDto {
            id: e.id,
            // Every event name is an action name (tested in `action_types`).
            action: ActionKind::parse(e.event.name()).unwrap_or(ActionKind::Start),
            on: e.event.on(),
            details,
            recorded_at: e.recorded_at,
            recorded_by: e.recorded_by.clone(),
        }
    }
}
