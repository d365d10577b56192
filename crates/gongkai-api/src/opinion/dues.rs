//! What the opinion ledger has falling due: responses of cases not yet answered and
//! pending promises — for the due-soon lists and the reminders sweep.

use chrono::NaiveDate;
use gongkai_core::calendar::WorkCalendar;
use gongkai_core::opinion::{CaseStatus, PromiseStatus, response_due};
use gongkai_store::opinion::OpinionCase;

use crate::opinion::types::{OpinionDueItemDto, OpinionDueKind};

/// Working days from `as_of` to `due`, negative past it; None when the calendar cannot
/// count them.
fn signed_workdays(calendar: &WorkCalendar, as_of: NaiveDate, due: NaiveDate) -> Option<i64> {
    if as_of > due {
        calendar.workdays_between(due, as_of).ok().map(|n| -i64::from(n))
    } else {
        calendar.workdays_between(as_of, due).ok().map(i64::from)
    }
}

/// Every response and pending promise of `cases` that is due (the case's lead unit
/// answers for a response, the promise's unit for a promise), optionally only those
/// `unit` answers for; items whose dates the calendar cannot count are left out.
pub fn all_dues(
    cases: &[OpinionCase],
    calendar: &WorkCalendar,
    as_of: NaiveDate,
    unit: Option<i64>,
) -> Vec<OpinionDueItemDto> {
    let mut out = Vec::new();
    for c in cases {
        if c.status == CaseStatus::Open
            && unit.is_none_or(|u| u == c.lead_unit_id)
            && let Ok(e) = response_due(calendar, c.received_on, c.response_workdays)
            && let Some(left) = signed_workdays(calendar, as_of, e.due)
        {
            out.push(OpinionDueItemDto {
                kind: OpinionDueKind::Response,
                case_id: c.id,
                promise_id: None,
                task_id: c.task_id,
                task_number: c.task_number,
                unit_id: c.lead_unit_id,
                unit: c.lead_unit_name.clone(),
                due: e.due,
                workdays_left: left,
                text: c.summary.clone(),
            });
        }
        for p in &c.promises {
            if p.status != PromiseStatus::Pending || unit.is_some_and(|u| u != p.unit_id) {
                continue;
            }
            let Some(left) = signed_workdays(calendar, as_of, p.due_on) else { continue };
            out.push(OpinionDueItemDto {
                kind: OpinionDueKind::Promise,
                case_id: c.id,
                promise_id: Some(p.id),
                task_id: c.task_id,
                task_number: c.task_number,
                unit_id: p.unit_id,
                unit: p.unit_name.clone(),
                due: p.due_on,
                workdays_left: left,
                text: p.text.clone(),
            });
        }
    }
    out.sort_by_key(|i| (i.due, i.case_id, i.promise_id));
    out
}

/// The items of [`all_dues`] split into due by `horizon` (not yet past due) and overdue
/// (past due on `as_of`).
pub fn due_soon_and_overdue(
    cases: &[OpinionCase],
    calendar: &WorkCalendar,
    as_of: NaiveDate,
    horizon: NaiveDate,
    unit: Option<i64>,
) -> (Vec<OpinionDueItemDto>, Vec<OpinionDueItemDto>) {
    let (overdue, pending): (Vec<_>, Vec<_>) =
        all_dues(cases, calendar, as_of, unit).into_iter().partition(|i| i.due < as_of);
    (pending.into_iter().filter(|i| i.due <= horizon).collect(), overdue)
}
