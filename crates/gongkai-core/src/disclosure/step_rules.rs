//! The statutory checks of the steps with rules of their own: an extension (once, at
//! most 20 working days, decided and told within the period; Art. 33), a fee notice
//! (once, one method, only on applications received since 国办函〔2020〕109号 applies and
//! within the handling period), a correction (by the applicant's deadline, or later
//! with a good reason; Art. 30) and a reply (its type of Art. 36 and its row of
//! table 三).

use chrono::{Datelike, NaiveDate};

use super::clock::REPLY_WORKDAYS;
use super::events::{Event, FeeNotice};
use super::machine::{Case, Context, MAX_EXTENSION_WORKDAYS, RuleError, clean};
use super::model::{Outcome, ReplyType};
use crate::fees::{self, FeeMethod};
use crate::validation::Problems;

/// The longest good reason recorded for a late correction, in characters.
pub const MAX_GOOD_REASON_CHARS: usize = 2000;

/// Checks the day a letter or notice was received: not before it was sent
/// (`sent_on`), not in the future.
pub(super) fn check_received_on(
    sent_on: NaiveDate,
    received_on: Option<NaiveDate>,
    today: NaiveDate,
    what: &str,
) -> Result<(), RuleError> {
    match received_on {
        Some(r) if r < sent_on => Err(RuleError::field(
            "received_on",
            format!("{what} cannot be received ({r}) before it was sent ({sent_on})"),
        )),
        Some(r) if r > today => {
            Err(RuleError::field("received_on", format!("{r} is in the future (today is {today})")))
        }
        _ => Ok(()),
    }
}

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
        // The period as counted on the day the applicant was told (the later of the two
        // dates): a consultation still open that day still stretches it.
        if let Some(due) = self.reply_due_at(ctx, applicant_notified_on.max(on))? {
            let late = if on > due {
                Some(format!("it was decided on {on}"))
            } else if applicant_notified_on > due {
                Some(format!("the applicant was told on {applicant_notified_on}"))
            } else {
                None
            };
            if let Some(late) = late {
                return Err(RuleError::conflict(
                    "extension_too_late",
                    format!(
                        "the reply period of {REPLY_WORKDAYS} working days ended on {due} and {late}; an extension must be decided and told to the applicant within the period it extends (Art. 33)"
                    ),
                ));
            }
        }
        Ok(Event::Extend { on, workdays, approved_by, applicant_notified_on })
    }

    /// The reply due date as counted on `as_of`, for a step that must come within the
    /// period. `None` when it lies in a year whose holiday notice is not loaded yet and
    /// `as_of` is in an earlier year (so the step is surely within it); a conflict
    /// `calendar_unpublished` when whether the step is late cannot be known.
    fn reply_due_at(
        &self,
        ctx: &Context<'_>,
        as_of: NaiveDate,
    ) -> Result<Option<NaiveDate>, RuleError> {
        if let Some(due) = self.clock(ctx.calendar, ctx.settings, as_of).reply_due {
            return Ok(Some(due));
        }
        let mut year = self.clock_start().year();
        while ctx.calendar.notice(year).is_some() {
            year += 1;
        }
        if as_of.year() < year {
            return Ok(None);
        }
        Err(RuleError::conflict(
            "calendar_unpublished",
            format!(
                "the end of the reply period is unknown until the holiday calendar of {year} is loaded"
            ),
        ))
    }

    pub(super) fn decide_correction(
        &self,
        on: NaiveDate,
        good_reason: Option<String>,
    ) -> Result<Event, RuleError> {
        let (_, due) = self.correction_request().unwrap_or((on, on));
        let good_reason = clean(good_reason);
        if good_reason.as_ref().is_some_and(|r| r.chars().count() > MAX_GOOD_REASON_CHARS) {
            return Err(RuleError::field(
                "good_reason",
                format!("a good reason has at most {MAX_GOOD_REASON_CHARS} characters"),
            ));
        }
        match (on > due, good_reason) {
            (false, None) => Ok(Event::ReceiveCorrection { on, good_reason: None }),
            (false, Some(_)) => Err(RuleError::field(
                "good_reason",
                format!(
                    "the correction arrived by its deadline ({due}); a good reason is recorded only for a late one"
                ),
            )),
            (true, None) => Err(RuleError::conflict(
                "correction_deadline_passed",
                format!(
                    "the correction was due by {due}; a late correction is accepted only when the handler records the applicant's good reason (good_reason), otherwise the application is deemed withdrawn (Art. 30)"
                ),
            )),
            (true, Some(reason)) => Ok(Event::ReceiveCorrection { on, good_reason: Some(reason) }),
        }
    }

    pub(super) fn decide_fee(
        &self,
        ctx: &Context<'_>,
        on: NaiveDate,
        method: FeeMethod,
        pages: Option<u32>,
        received_on: Option<NaiveDate>,
    ) -> Result<Event, RuleError> {
        if self.fee_notice().is_some() {
            return Err(RuleError::conflict(
                "fee_already_notified",
                "an application is charged once, by one method",
            ));
        }
        if self.received_on < fees::CHARGING_FROM {
            return Err(RuleError::conflict(
                "fee_rules_not_in_force",
                format!(
                    "the application was received on {}, before 国办函〔2020〕109号 applies (from {}); no information-processing fee can be charged on it",
                    self.received_on,
                    fees::CHARGING_FROM
                ),
            ));
        }
        check_received_on(on, received_on, ctx.today, "the notice")?;
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
        if let Some(due) = self.reply_due_at(ctx, on)?
            && on > due
        {
            return Err(RuleError::conflict(
                "fee_notice_too_late",
                format!(
                    "the reply period ended on {due}; a fee notice is sent within the handling period, not on {on}"
                ),
            ));
        }
        let payment_due =
            fees::payment_due(received_on.unwrap_or(on), ctx.calendar).ok().map(|e| e.due);
        Ok(Event::NotifyFee {
            on,
            notice: FeeNotice {
                method,
                items,
                prior_items,
                pages,
                quote,
                payment_due,
                received_on,
            },
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
