//! The statutory checks of three steps: an extension (once, at most 20 working days,
//! within the period; Art. 33), a fee notice (once, one method, 国办函〔2020〕109号) and
//! a reply (its type of Art. 36 and its row of table 三).

use chrono::NaiveDate;

use super::clock::REPLY_WORKDAYS;
use super::events::{Event, FeeNotice};
use super::machine::{Case, Context, MAX_EXTENSION_WORKDAYS, RuleError, clean};
use super::model::{Outcome, ReplyType};
use crate::fees::{self, FeeMethod};
use crate::validation::Problems;

impl Case {
    pub(super) fn decide_extension(
        &self,
        ctx: &Context<'_>,
        on: NaiveDate,
        workdays: u32,
        approved_by: String,
        applicant_notified_on: NaiveDate,
    ) -> Result<Event, RuleError> {
        if self.extension_workdays() > 0 {
            return Err(RuleError::conflict(
                "already_extended",
                "the reply period may be extended only once (Art. 33)",
            ));
        }
        let mut p = Problems::new();
        if !(1..=MAX_EXTENSION_WORKDAYS).contains(&workdays) {
            p.add(
                "workdays",
                format!("an extension is 1 to {MAX_EXTENSION_WORKDAYS} working days"),
            );
        }
        let approved_by = approved_by.trim().to_string();
        if approved_by.is_empty() {
            p.add(
                "approved_by",
                "name who approved the extension (the head of the disclosure office)",
            );
        }
        if applicant_notified_on < on {
            p.add(
                "applicant_notified_on",
                "the applicant cannot be told before the extension is approved",
            );
        } else if applicant_notified_on > ctx.today {
            p.add("applicant_notified_on", format!("{applicant_notified_on} is in the future"));
        }
        p.finish().map_err(RuleError::Invalid)?;
        let clock = self.clock(ctx.calendar, ctx.settings, on);
        if let Some(due) = clock.reply_due
            && on > due
        {
            return Err(RuleError::conflict(
                "extension_too_late",
                format!(
                    "the reply period of {REPLY_WORKDAYS} working days ended on {due}; an extension must be decided within it"
                ),
            ));
        }
        Ok(Event::Extend { on, workdays, approved_by, applicant_notified_on })
    }

    pub(super) fn decide_fee(
        &self,
        ctx: &Context<'_>,
        on: NaiveDate,
        method: FeeMethod,
        pages: Option<u32>,
    ) -> Result<Event, RuleError> {
        if self.fee_notice().is_some() {
            return Err(RuleError::conflict(
                "fee_already_notified",
                "an application is charged once, by one method",
            ));
        }
        let (quote, items, prior_items) = match (method, pages) {
            (FeeMethod::PerItem, Some(_)) => {
                return Err(RuleError::field(
                    "pages",
                    "a per-item fee counts the application's items; pages belong to the per-page method (one method per application)",
                ));
            }
            (FeeMethod::PerItem, None) => {
                let q = fees::quote_per_item(self.item_count, ctx.prior_items_this_month)
                    .map_err(|e| RuleError::field("method", e.to_string()))?;
                (q, Some(self.item_count), Some(ctx.prior_items_this_month))
            }
            (FeeMethod::PerPage, None) => {
                return Err(RuleError::field("pages", "a per-page fee needs the number of pages"));
            }
            (FeeMethod::PerPage, Some(0)) => {
                return Err(RuleError::field("pages", "at least 1 page"));
            }
            (FeeMethod::PerPage, Some(n)) => (fees::quote_per_page(n), None, None),
        };
        if quote.total_yuan == 0 {
            return Err(RuleError::field(
                "method",
                format!("nothing to charge: {}", quote.explanation),
            ));
        }
        let payment_due = fees::payment_due(on, ctx.calendar).ok().map(|e| e.due);
        Ok(Event::NotifyFee {
            on,
            notice: FeeNotice { method, items, prior_items, pages, quote, payment_due },
        })
    }

    pub(super) fn decide_reply(
        &self,
        on: NaiveDate,
        reply_type: ReplyType,
        outcome: Option<Outcome>,
        explanation: Option<String>,
    ) -> Result<Event, RuleError> {
        let allowed = reply_type.outcomes();
        let outcome = match outcome {
            Some(o) if allowed.contains(&o) => o,
            Some(o) => {
                return Err(RuleError::field(
                    "outcome",
                    format!(
                        "a reply of type {} is counted as one of: {} (not {})",
                        reply_type.as_str(),
                        names(allowed),
                        o.as_str()
                    ),
                ));
            }
            None if allowed.len() == 1 => allowed[0],
            None => {
                return Err(RuleError::field(
                    "outcome",
                    format!(
                        "say which row of table 三 this reply counts in: one of {}",
                        names(allowed)
                    ),
                ));
            }
        };
        if outcome == Outcome::UnavailableUnclearAfterCorrection
            && self.correction_request().is_none()
        {
            return Err(RuleError::field(
                "outcome",
                "unclear after correction needs a correction to have been requested first",
            ));
        }
        let explanation = clean(explanation);
        if reply_type.needs_explanation() && explanation.is_none() {
            let what = match reply_type {
                ReplyType::AlreadyPublic => "say where the information is published",
                ReplyType::NotThisAgency => {
                    "name the agency responsible, where it can be determined"
                }
                _ => "give the reason for withholding the information",
            };
            return Err(RuleError::field(
                "explanation",
                format!("a reply of type {}: {what}", reply_type.as_str()),
            ));
        }
        Ok(Event::Reply { on, reply_type, outcome, explanation })
    }
}

fn names(outcomes: &[Outcome]) -> String {
    outcomes.iter().map(|o| o.as_str()).collect::<Vec<_>>().join(", ")
}
