//! What can be done to an application ([`Action`]) and what is recorded when it is done
//! ([`Event`]). Every step carries the civil date it happened on.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::model::{ConsultedParty, Outcome, ReplyType};
use crate::fees::{FeeMethod, FeeQuote};

/// A step asked for. [`super::Case::decide`] checks it and turns it into an [`Event`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Start handling (received → in_progress).
    Start { on: NaiveDate },
    /// 补正: ask the applicant to correct the application by `correction_due`.
    RequestCorrection { on: NaiveDate, correction_due: NaiveDate, note: Option<String> },
    /// The corrected application arrived; the reply clock restarts from `on`. After the
    /// applicant's deadline it is accepted only with the handler's `good_reason` (Art. 30
    /// deems withdrawn only a correction late without good reason, 无正当理由).
    ReceiveCorrection { on: NaiveDate, good_reason: Option<String> },
    /// No correction by its deadline: deemed withdrawn.
    DeemWithdrawn { on: NaiveDate },
    /// Consult a third party or another agency; the clock pauses. `received_on`: the day
    /// the party received the letter, from which its 15 working days run (not recorded:
    /// the sending day `on` counts).
    Consult {
        on: NaiveDate,
        party: ConsultedParty,
        party_name: Option<String>,
        received_on: Option<NaiveDate>,
    },
    /// The consulted party answered (or its time ran out); the clock runs again.
    ReceiveConsultationReply { on: NaiveDate },
    /// The one extension (延期答复) of at most 20 working days.
    Extend { on: NaiveDate, workdays: u32, approved_by: String, applicant_notified_on: NaiveDate },
    /// Send a fee notice (收费通知), per item or per page (one method, never both).
    /// `received_on`: the day the applicant received it, from the day after which the 20
    /// working days to pay run (not recorded: the notice day `on` counts).
    NotifyFee {
        on: NaiveDate,
        method: FeeMethod,
        pages: Option<u32>,
        received_on: Option<NaiveDate>,
    },
    /// The applicant paid.
    RecordPayment { on: NaiveDate },
    /// Not paid within the payment period: deemed abandoned.
    DeemAbandoned { on: NaiveDate },
    /// Reply (答复), with the type of Art. 36 and the table 三 row.
    Reply {
        on: NaiveDate,
        reply_type: ReplyType,
        outcome: Option<Outcome>,
        explanation: Option<String>,
    },
    /// The applicant withdrew the application.
    Withdraw { on: NaiveDate, note: Option<String> },
    /// File the closed application (归档).
    Archive { on: NaiveDate },
}

impl Action {
    /// The date the step happened.
    pub fn on(&self) -> NaiveDate {
        match self {
            Action::Start { on }
            | Action::RequestCorrection { on, .. }
            | Action::ReceiveCorrection { on, .. }
            | Action::DeemWithdrawn { on }
            | Action::Consult { on, .. }
            | Action::ReceiveConsultationReply { on }
            | Action::Extend { on, .. }
            | Action::NotifyFee { on, .. }
            | Action::RecordPayment { on }
            | Action::DeemAbandoned { on }
            | Action::Reply { on, .. }
            | Action::Withdraw { on, .. }
            | Action::Archive { on } => *on,
        }
    }

    /// The snake_case name of the action (as in the API and the audit trail).
    pub fn name(&self) -> &'static str {
        match self {
            Action::Start { .. } => "start",
            Action::RequestCorrection { .. } => "request_correction",
            Action::ReceiveCorrection { .. } => "receive_correction",
            Action::DeemWithdrawn { .. } => "deem_withdrawn",
            Action::Consult { .. } => "consult",
            Action::ReceiveConsultationReply { .. } => "receive_consultation_reply",
            Action::Extend { .. } => "extend",
            Action::NotifyFee { .. } => "notify_fee",
            Action::RecordPayment { .. } => "record_payment",
            Action::DeemAbandoned { .. } => "deem_abandoned",
            Action::Reply { .. } => "reply",
            Action::Withdraw { .. } => "withdraw",
            Action::Archive { .. } => "archive",
        }
    }
}

/// A fee notice as sent: the method, what it was computed from, the quote and the last
/// day to pay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeNotice {
    /// 按件 or 按量.
    pub method: FeeMethod,
    /// Per item: this application's items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<u32>,
    /// Per item: the applicant's items in earlier applications of the same month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior_items: Option<u32>,
    /// Per page: the pages supplied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<u32>,
    /// The quote with its bands.
    pub quote: FeeQuote,
    /// The last day to pay (20 working days from the day after the applicant received
    /// the notice); `None` when the calendar of that period is not published yet.
    pub payment_due: Option<NaiveDate>,
    /// The day the applicant received the notice, when recorded; otherwise the notice
    /// day counts as the day of receipt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_on: Option<NaiveDate>,
}

/// A step as recorded. Stored as JSON, tagged by `action`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Event {
    /// Handling started.
    Start { on: NaiveDate },
    /// A correction was requested, to arrive by `correction_due`.
    RequestCorrection {
        on: NaiveDate,
        correction_due: NaiveDate,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// The corrected application arrived; `good_reason` when it came after the
    /// applicant's deadline and was accepted for that reason.
    ReceiveCorrection {
        on: NaiveDate,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        good_reason: Option<String>,
    },
    /// Deemed withdrawn for want of a correction.
    DeemWithdrawn { on: NaiveDate },
    /// A consultation went out; `received_on`, when recorded, is the day the party
    /// received it.
    Consult {
        on: NaiveDate,
        party: ConsultedParty,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        party_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        received_on: Option<NaiveDate>,
    },
    /// The consultation ended.
    ReceiveConsultationReply { on: NaiveDate },
    /// The reply period was extended.
    Extend { on: NaiveDate, workdays: u32, approved_by: String, applicant_notified_on: NaiveDate },
    /// A fee notice went out.
    NotifyFee {
        on: NaiveDate,
        #[serde(flatten)]
        notice: FeeNotice,
    },
    /// The fee was paid.
    RecordPayment { on: NaiveDate },
    /// Deemed abandoned for want of payment.
    DeemAbandoned { on: NaiveDate },
    /// The reply went out.
    Reply {
        on: NaiveDate,
        reply_type: ReplyType,
        outcome: Outcome,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        explanation: Option<String>,
    },
    /// Withdrawn by the applicant.
    Withdraw {
        on: NaiveDate,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// Filed.
    Archive { on: NaiveDate },
}

impl Event {
    /// The date the step happened.
    pub fn on(&self) -> NaiveDate {
        match self {
            Event::Start { on }
            | Event::RequestCorrection { on, .. }
            | Event::ReceiveCorrection { on, .. }
            | Event::DeemWithdrawn { on }
            | Event::Consult { on, .. }
            | Event::ReceiveConsultationReply { on }
            | Event::Extend { on, .. }
            | Event::NotifyFee { on, .. }
            | Event::RecordPayment { on }
            | Event::DeemAbandoned { on }
            | Event::Reply { on, .. }
            | Event::Withdraw { on, .. }
            | Event::Archive { on } => *on,
        }
    }

    /// The snake_case name of the step (the `action` tag).
    pub fn name(&self) -> &'static str {
        match self {
            Event::Start { .. } => "start",
            Event::RequestCorrection { .. } => "request_correction",
            Event::ReceiveCorrection { .. } => "receive_correction",
            Event::DeemWithdrawn { .. } => "deem_withdrawn",
            Event::Consult { .. } => "consult",
            Event::ReceiveConsultationReply { .. } => "receive_consultation_reply",
            Event::Extend { .. } => "extend",
            Event::NotifyFee { .. } => "notify_fee",
            Event::RecordPayment { .. } => "record_payment",
            Event::DeemAbandoned { .. } => "deem_abandoned",
            Event::Reply { .. } => "reply",
            Event::Withdraw { .. } => "withdraw",
            Event::Archive { .. } => "archive",
        }
    }

    /// Every action name, as the database's check constraint lists them.
    pub const NAMES: &'static [&'static str] = &[
        "start",
        "request_correction",
        "receive_correction",
        "deem_withdrawn",
        "consult",
        "receive_consultation_reply",
        "extend",
        "notify_fee",
        "record_payment",
        "deem_abandoned",
        "reply",
        "withdraw",
        "archive",
    ];
}
