//! The body of `POST /disclosure-requests/{id}/actions`: one handling step, its date,
//! and the fields that step takes. Every missing, surplus or invalid field is named.

use chrono::NaiveDate;
use gongkai_core::disclosure::{Action, ConsultedParty, Outcome, ReplyType};
use gongkai_core::fees::FeeMethod;
use gongkai_core::validation::Problems;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::http::error::ApiError;

/// The name of a handling step (see `DisclosureActionRequest` for the fields each takes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = DisclosureAction)]
pub enum ActionKind {
    Start,
    RequestCorrection,
    ReceiveCorrection,
    DeemWithdrawn,
    Consult,
    ReceiveConsultationReply,
    Extend,
    NotifyFee,
    RecordPayment,
    DeemAbandoned,
    Reply,
    Withdraw,
    Archive,
}

impl ActionKind {
    /// Every step, in the order of the handling.
    pub const ALL: [ActionKind; 13] = [
        ActionKind::Start,
        ActionKind::RequestCorrection,
        ActionKind::ReceiveCorrection,
        ActionKind::DeemWithdrawn,
        ActionKind::Consult,
        ActionKind::ReceiveConsultationReply,
        ActionKind::Extend,
        ActionKind::NotifyFee,
        ActionKind::RecordPayment,
        ActionKind::DeemAbandoned,
        ActionKind::Reply,
        ActionKind::Withdraw,
        ActionKind::Archive,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Start => "start",
            ActionKind::RequestCorrection => "request_correction",
            ActionKind::ReceiveCorrection => "receive_correction",
            ActionKind::DeemWithdrawn => "deem_withdrawn",
            ActionKind::Consult => "consult",
            ActionKind::ReceiveConsultationReply => "receive_consultation_reply",
            ActionKind::Extend => "extend",
            ActionKind::NotifyFee => "notify_fee",
            ActionKind::RecordPayment => "record_payment",
            ActionKind::DeemAbandoned => "deem_abandoned",
            ActionKind::Reply => "reply",
            ActionKind::Withdraw => "withdraw",
            ActionKind::Archive => "archive",
        }
    }

    /// Reads a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// One handling step. `action` and `on` always; the other fields by action:
///
/// | action | fields |
/// |---|---|
/// | `start`, `deem_withdrawn`, `receive_consultation_reply`, `record_payment`, `deem_abandoned`, `archive` | — |
/// | `request_correction` (补正, once, within 7 working days of receipt or flagged late) | `correction_due`, `note`? |
/// | `receive_correction` (after the applicant's deadline only with a good reason, Art. 30) | `good_reason`? |
/// | `consult` (the clock pauses until the answer or the party's 15 working days) | `party`, `party_name`?, `received_on`? |
/// | `extend` (once, ≤ 20 working days, decided and told within the period) | `workdays`, `approved_by`, `applicant_notified_on` |
/// | `notify_fee` (once, one method, within the period, on applications received from 2021-01-01) | `method`, `pages` (per page only), `received_on`? |
/// | `reply` (Art. 36) | `reply_type`, `outcome` (when the type allows several rows), `explanation` (already_public, not_disclosed, not_this_agency) |
/// | `withdraw` | `note`? |
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisclosureActionRequest {
    #[schema(example = "request_correction")]
    pub action: ActionKind,
    /// The day the step happened (not in the future, not before the previous step).
    #[schema(example = "2024-03-04")]
    pub on: Option<NaiveDate>,
    /// request_correction: the applicant's deadline to correct.
    pub correction_due: Option<NaiveDate>,
    /// request_correction, withdraw: a note.
    pub note: Option<String>,
    /// consult: who.
    pub party: Option<ConsultedParty>,
    /// consult: the party's name.
    pub party_name: Option<String>,
    /// consult: the day the party received the letter, from which its 15 working days
    /// run (default: the sending day `on`); notify_fee: the day the applicant received
    /// the notice, from the day after which the 20 working days to pay run (default:
    /// the notice day `on`). Not before `on`, not in the future.
    pub received_on: Option<NaiveDate>,
    /// receive_correction after the applicant's deadline: why the applicant was late
    /// (正当理由, Art. 30), 1–2,000 characters; recorded in the step and its audit
    /// event. Without it a late correction is refused (`correction_deadline_passed`).
    pub good_reason: Option<String>,
    /// extend: working days added, 1 to 20.
    pub workdays: Option<i64>,
    /// extend: who approved (the head of the disclosure office).
    pub approved_by: Option<String>,
    /// extend: the day the applicant was told.
    pub applicant_notified_on: Option<NaiveDate>,
    /// notify_fee: `per_item` or `per_page`.
    pub method: Option<FeeMethod>,
    /// notify_fee per page: the pages supplied.
    pub pages: Option<i64>,
    /// reply: the type of reply.
    pub reply_type: Option<ReplyType>,
    /// reply: the row of table 三.
    pub outcome: Option<Outcome>,
    /// reply: where it is published, why it is withheld, or which agency holds it.
    pub explanation: Option<String>,
}

/// The fields each action takes; `*` marks the required ones.
fn fields_of(action: &str) -> Option<&'static [&'static str]> {
    Some(match action {
        "start"
        | "deem_withdrawn"
        | "receive_consultation_reply"
        | "record_payment"
        | "deem_abandoned"
        | "archive" => &[],
        "request_correction" => &["correction_due*", "note"],
        "receive_correction" => &["good_reason"],
        "consult" => &["party*", "party_name", "received_on"],
        "extend" => &["workdays*", "approved_by*", "applicant_notified_on*"],
        "notify_fee" => &["method*", "pages", "received_on"],
        "reply" => &["reply_type*", "outcome", "explanation"],
        "withdraw" => &["note"],
        _ => return None,
    })
}

impl DisclosureActionRequest {
    fn given(&self) -> [(&'static str, bool); 15] {
        [
            ("correction_due", self.correction_due.is_some()),
            ("note", self.note.is_some()),
            ("party", self.party.is_some()),
            ("party_name", self.party_name.is_some()),
            ("received_on", self.received_on.is_some()),
            ("good_reason", self.good_reason.is_some()),
            ("workdays", self.workdays.is_some()),
            ("approved_by", self.approved_by.is_some()),
            ("applicant_notified_on", self.applicant_notified_on.is_some()),
            ("method", self.method.is_some()),
            ("pages", self.pages.is_some()),
            ("reply_type", self.reply_type.is_some()),
            ("outcome", self.outcome.is_some()),
            ("explanation", self.explanation.is_some()),
            ("on", self.on.is_some()),
        ]
    }

    /// The step for the domain, or every field that is missing, surplus or invalid.
    pub fn to_action(&self) -> Result<Action, ApiError> {
        let action = self.action.as_str();
        let Some(fields) = fields_of(action) else {
            return Err(ApiError::field(
                "action",
                format!(
                    "unknown action `{action}`: one of start, request_correction, receive_correction, deem_withdrawn, consult, receive_consultation_reply, extend, notify_fee, record_payment, deem_abandoned, reply, withdraw, archive"
                ),
            ));
        };
        let mut p = Problems::new();
        for (field, present) in self.given() {
            if field == "on" {
                if !present {
                    p.add("on", "every step needs the day it happened");
                }
                continue;
            }
            let allowed = fields.iter().find(|f| f.trim_end_matches('*') == field);
            match allowed {
                None if present => p.add(field, format!("a {action} step has no {field}")),
                Some(f) if f.ends_with('*') && !present => {
                    p.add(field, format!("a {action} step needs {field}"))
                }
                _ => {}
            }
        }
        let whole = |field: &str, v: Option<i64>, p: &mut Problems| match v {
            None => 0,
            Some(n) => u32::try_from(n).unwrap_or_else(|_| {
                p.add(field, format!("{field} is a positive whole number, not {n}"));
                0
            }),
        };
        let workdays = whole("workdays", self.workdays, &mut p);
        let pages = self.pages.map(|n| whole("pages", Some(n), &mut p));
        let method = self.method.filter(|_| action == "notify_fee");
        p.finish().map_err(ApiError::fields)?;
        // Every required field was checked above; the defaults below are never used.
        let on = self.on.unwrap_or_default();
        let day = |d: Option<NaiveDate>| d.unwrap_or(on);
        Ok(match action {
            "start" => Action::Start { on },
            "request_correction" => Action::RequestCorrection {
                on,
                correction_due: day(self.correction_due),
                note: self.note.clone(),
            },
            "receive_correction" => {
                Action::ReceiveCorrection { on, good_reason: self.good_reason.clone() }
            }
            "deem_withdrawn" => Action::DeemWithdrawn { on },
            "consult" => Action::Consult {
                on,
                party: self.party.unwrap_or(ConsultedParty::ThirdParty),
                party_name: self.party_name.clone(),
                received_on: self.received_on,
            },
            "receive_consultation_reply" => Action::ReceiveConsultationReply { on },
            "extend" => Action::Extend {
                on,
                workdays,
                approved_by: self.approved_by.clone().unwrap_or_default(),
                applicant_notified_on: day(self.applicant_notified_on),
            },
            "notify_fee" => Action::NotifyFee {
                on,
                method: method.unwrap_or(gongkai_core::fees::FeeMethod::PerItem),
                pages,
                received_on: self.received_on,
            },
            "record_payment" => Action::RecordPayment { on },
            "deem_abandoned" => Action::DeemAbandoned { on },
            "reply" => Action::Reply {
                on,
                reply_type: self.reply_type.unwrap_or(ReplyType::Other),
                outcome: self.outcome,
                explanation: self.explanation.clone(),
            },
            "withdraw" => Action::Withdraw { on, note: self.note.clone() },
            _ => Action::Archive { on },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_recorded_step_has_an_action_name() {
        for name in gongkai_core::disclosure::Event::NAMES {
            assert_eq!(ActionKind::parse(name).map(ActionKind::as_str), Some(*name));
        }
        assert_eq!(ActionKind::ALL.len(), gongkai_core::disclosure::Event::NAMES.len());
    }
}
