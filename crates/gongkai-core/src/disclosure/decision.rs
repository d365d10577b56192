//! Decisions that fall due when a period given to someone else runs out: the handler
//! must act, and the application is listed with the overdue and due-soon ones until
//! it does.
//!
//! - A consulted party that has not answered within its 15 working days (Art. 32): the
//!   agency decides without the answer; `receive_consultation_reply` closes the
//!   consultation.
//! - A fee not paid within 20 working days of the notice's receipt: the application is
//!   deemed abandoned (`deem_abandoned`, table 三 （六）2).
//! - A correction not received by the applicant's deadline: the application is deemed
//!   withdrawn (`deem_withdrawn`, table 三 （六）1), unless a late correction is accepted
//!   for a good reason (Art. 30).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::machine::Case;
use super::model::Status;
use super::pauses::{ClockPause, PauseEnd, PauseReason};

/// Which period ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DecisionCode {
    /// The consulted party did not answer within its 15 working days.
    ConsultationLapsed,
    /// The fee was not paid within the payment period.
    PaymentLapsed,
    /// The correction did not arrive by the applicant's deadline.
    CorrectionLapsed,
}

impl DecisionCode {
    /// The snake_case word.
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionCode::ConsultationLapsed => "consultation_lapsed",
            DecisionCode::PaymentLapsed => "payment_lapsed",
            DecisionCode::CorrectionLapsed => "correction_lapsed",
        }
    }
}

/// A decision the handler owes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionDue {
    /// Which period ran out.
    pub code: DecisionCode,
    /// Its last day: the decision has been due since the day after.
    pub period_ended_on: NaiveDate,
    /// The step that records the decision.
    pub action: String,
    /// What to do and why, in one Chinese sentence.
    pub text: String,
}

/// The decision due on `as_of`, if any: from the open consultation's pause, the
/// payment period's end (`payment_due`) or the correction's deadline.
pub(super) fn decision_due(
    case: &Case,
    pauses: &[ClockPause],
    payment_due: Option<NaiveDate>,
    as_of: NaiveDate,
) -> Option<DecisionDue> {
    let due = |code, period_ended_on, action: &str, text: String| DecisionDue {
        code,
        period_ended_on,
        action: action.to_string(),
        text,
    };
    match case.status() {
        Status::Consulting => {
            let p = pauses.iter().rev().find(|p| p.reason == PauseReason::Consultation)?;
            let limit = p.limit.filter(|_| p.end == PauseEnd::LimitReached)?;
            Some(due(
                DecisionCode::ConsultationLapsed,
                limit,
                "receive_consultation_reply",
                format!(
                    "被征求意见方未在15个工作日内（至{limit}）答复：由本机关依照条例第三十二条决定是否公开，记录征求意见结束后继续办理。"
                ),
            ))
        }
        Status::FeeNotified => {
            let limit = payment_due.filter(|limit| as_of > *limit)?;
            Some(due(
                DecisionCode::PaymentLapsed,
                limit,
                "deem_abandoned",
                format!(
                    "申请人未在缴费期限内（至{limit}）缴纳信息处理费：申请视为放弃，应作不再处理（表三（六）2）。"
                ),
            ))
        }
        Status::CorrectionRequested => {
            let (_, limit) = case.correction_request()?;
            (as_of > limit).then(|| {
                due(
                    DecisionCode::CorrectionLapsed,
                    limit,
                    "deem_withdrawn",
                    format!(
                        "申请人未在补正期限内（至{limit}）补正：无正当理由逾期不补正的视为放弃申请（条例第三十条），应作不再处理（表三（六）1）；有正当理由的，记录理由后接收补正。"
                    ),
                )
            })
        }
        _ => None,
    }
}
