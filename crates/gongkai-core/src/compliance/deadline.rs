//! Deadline quotas (X日前完成): one finding, period = plan-year start … `due`.
//!
//! "X日前" reads as due at the end of day X, so completion on the due date is in time.
//! The completion is the earliest `occurred_on` (≤ `as_of`) of a feeding record with
//! `completes`; on or before `due` → met, after → met_late; none and `as_of` after
//! `due` → overdue; none yet → pending.

use chrono::NaiveDate;

use super::feed::{Subject, Verdict, evidence_words, ids_in_date_order};
use super::model::{Actual, Explanation, Finding, Required, Status};

pub(super) fn judge_deadline(s: &Subject<'_>, due: NaiveDate) -> Option<Finding> {
    // A due date before the plan year (a data slip) still gets a non-empty period.
    let period_start = s.year.start.min(due);
    if period_start > s.as_of {
        return None;
    }
    let mut completions: Vec<_> = s.visible_by(s.as_of).filter(|r| r.completes).collect();
    let ids = ids_in_date_order(&mut completions);
    let completed_on = completions.first().map(|r| r.occurred_on);
    let (status, how) = match completed_on {
        Some(c) if c <= due => (Status::Met, format!("已于{c}完成{}", evidence_words(&ids))),
        Some(c) => (
            Status::MetLate,
            format!("于{c}完成{}，晚于期限{}天", evidence_words(&ids), (c - due).num_days()),
        ),
        None if s.as_of > due => (
            Status::Overdue,
            format!("截至{}尚未完成，已超过期限{}天", s.as_of, (s.as_of - due).num_days()),
        ),
        None => (
            Status::Pending,
            format!("截至{}尚未完成，距期限还有{}天", s.as_of, (due - s.as_of).num_days()),
        ),
    };
    let text = format!("{}要求于{due}前完成（含当日）：{how}；{}。", s.prefix(), status.label());
    Some(s.finding(Verdict {
        period_start,
        period_end: due,
        required: Required::Deadline { due },
        actual: Actual::Deadline { completed_on },
        status,
        explanation: Explanation { evidence_ids: ids, due, deadline: None, text },
    }))
}
