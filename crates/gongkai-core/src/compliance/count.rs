//! Count quotas (每月/季度/半年/年不少于N): one finding per calendar period of the plan
//! year that has started by `as_of`.
//!
//! The sum of `count` over records that occurred inside the period (and by `as_of`)
//! at least `min` → met, even before the period ends; short when the period has ended
//! (`as_of` after its last day) → missed; otherwise pending.

use super::feed::{Subject, Verdict, evidence_words, ids_in_date_order};
use super::model::{Actual, Explanation, Finding, Required, Status};
use super::periods::periods_of;
use crate::quota::QuotaPeriod;

pub(super) fn judge_count(s: &Subject<'_>, min: u32, period: QuotaPeriod) -> Vec<Finding> {
    periods_of(s.year.year, period)
        .into_iter()
        .filter(|p| p.start <= s.as_of)
        .map(|p| {
            let mut counted: Vec<_> =
                s.visible_by(p.end).filter(|r| r.count > 0 && r.occurred_on >= p.start).collect();
            let sum: u64 = counted.iter().map(|r| u64::from(r.count)).sum();
            let ids = ids_in_date_order(&mut counted);
            let status = if sum >= u64::from(min) {
                Status::Met
            } else if s.as_of > p.end {
                Status::Missed
            } else {
                Status::Pending
            };
            let verdict = match status {
                Status::Pending => format!("期间未结束，尚差{}，进行中", u64::from(min) - sum),
                Status::Missed => "期间已结束仍不足，未达标".to_string(),
                _ => status.label().to_string(),
            };
            let text = format!(
                "{}{}（{}至{}）：要求不少于{min}，截至{}已计{sum}{}；{verdict}。",
                s.prefix(),
                p.label,
                p.start,
                p.end,
                s.as_of.min(p.end),
                evidence_words(&ids),
            );
            s.finding(Verdict {
                period_start: p.start,
                period_end: p.end,
                required: Required::Count { min, period },
                actual: Actual::Count { count: sum },
                status,
                explanation: Explanation { evidence_ids: ids, due: p.end, deadline: None, text },
            })
        })
        .collect()
}
