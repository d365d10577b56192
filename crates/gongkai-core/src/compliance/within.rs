//! Within-N-working-days duties (N个工作日内): one finding per triggering event.
//!
//! Events are the distinct `event_on` dates of feeding records that fall in the plan
//! year and on or before `as_of` (an event is known from its own date, whatever day the
//! record says it was handled). The limit is `event_on` + N working days, the event day
//! not counted. Handled (the earliest `occurred_on` ≤ `as_of` of that event's records
//! with `count > 0`) on or before the limit → met, later → met_late; not handled and
//! `as_of` after the limit → overdue; otherwise pending.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::ComplianceError;
use super::feed::{Subject, Verdict, evidence_words, ids_in_date_order};
use super::model::{Actual, EvidenceInput, Explanation, Finding, Required, Status};
use crate::calendar::{StartDayRule, WorkCalendar};

pub(super) fn judge_within(
    s: &Subject<'_>,
    days: u32,
    calendar: &WorkCalendar,
) -> Result<Vec<Finding>, ComplianceError> {
    let mut events: BTreeMap<NaiveDate, Vec<&EvidenceInput>> = BTreeMap::new();
    for r in &s.records {
        if let Some(event_on) = r.event_on
            && s.year.start <= event_on
            && event_on <= s.year.end.min(s.as_of)
        {
            events.entry(event_on).or_default().push(r);
        }
    }
    let mut findings = Vec::with_capacity(events.len());
    for (event_on, mut records) in events {
        let deadline =
            calendar.add_workdays(event_on, days, StartDayRule::NotCounted).map_err(|source| {
                ComplianceError::Calendar { quota_id: s.quota.quota_id, event_on, source }
            })?;
        let limit = deadline.due;
        let ids = ids_in_date_order(&mut records);
        let done_on = records
            .iter()
            .filter(|r| r.count > 0 && r.occurred_on <= s.as_of)
            .map(|r| r.occurred_on)
            .min();
        let (status, how) = match done_on {
            Some(done) if done <= limit => (Status::Met, format!("已于{done}办结")),
            Some(done) => (
                Status::MetLate,
                format!("于{done}办结，超过时限{}个工作日", late_workdays(calendar, limit, done)),
            ),
            None if s.as_of > limit => (Status::Overdue, format!("截至{}尚未办结", s.as_of)),
            None => (Status::Pending, format!("截至{}尚未办结", s.as_of)),
        };
        let text = format!(
            "{}事件发生于{event_on}{}，应在{days}个工作日内即{limit}前办结：{how}；{}。期限计算：{}",
            s.prefix(),
            evidence_words(&ids),
            status.label(),
            deadline.text
        );
        findings.push(s.finding(Verdict {
            period_start: event_on,
            period_end: limit,
            required: Required::WithinWorkdays { days, event_on, limit },
            actual: Actual::WithinWorkdays { done_on },
            status,
            explanation: Explanation {
                evidence_ids: ids,
                due: limit,
                deadline: Some(deadline),
                text,
            },
        }));
    }
    Ok(findings)
}

/// Working days after `limit` up to `done`, or "?" when the calendar cannot say (only
/// decoration: the status does not depend on it).
fn late_workdays(calendar: &WorkCalendar, limit: NaiveDate, done: NaiveDate) -> String {
    calendar.workdays_between(limit, done).map_or_else(|_| "?".into(), |n| n.to_string())
}
