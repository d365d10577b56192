//! Threshold quotas (不低于X%): one finding over the plan year.
//!
//! The value read is the one with the latest `occurred_on` up to `as_of` and no later
//! than the plan year's last day (ties: the later `recorded_at`, then the higher id): a
//! value reported after the year cannot rewrite how the year ended. Values that are not
//! finite numbers are ignored. Value ≥ min → met; below → missed; no value yet →
//! pending until the plan year ends, missed after.

use super::feed::{Subject, Verdict};
use super::model::{Actual, Explanation, Finding, Required, Status};
use crate::quota::ThresholdUnit;

pub(super) fn judge_threshold(s: &Subject<'_>, min: f64, unit: ThresholdUnit) -> Option<Finding> {
    if s.year.start > s.as_of {
        return None;
    }
    let latest = s
        .visible_by(s.year.end)
        .filter(|r| r.value.is_some_and(f64::is_finite))
        .max_by_key(|r| (r.occurred_on, r.recorded_at, r.id));
    let read = latest.and_then(|r| r.value.map(|v| (r, v)));
    let symbol = match unit {
        ThresholdUnit::Percent => "%",
    };
    let (status, how) = match read {
        Some((r, v)) => {
            let status = if v >= min { Status::Met } else { Status::Missed };
            (status, format!("最近一次报送值为{v}{symbol}（{}报送，证据#{}）", r.occurred_on, r.id))
        }
        None if s.as_of > s.year.end => (Status::Missed, "全年未报送数值".to_string()),
        None => (Status::Pending, format!("截至{}尚未报送数值", s.as_of)),
    };
    let text = format!("{}要求不低于{min}{symbol}：{how}；{}。", s.prefix(), status.label());
    Some(s.finding(Verdict {
        period_start: s.year.start,
        period_end: s.year.end,
        required: Required::Threshold { min, unit },
        actual: Actual::Threshold {
            value: read.map(|(_, v)| v),
            reported_on: read.map(|(r, _)| r.occurred_on),
        },
        status,
        explanation: Explanation {
            evidence_ids: read.map(|(r, _)| vec![r.id]).unwrap_or_default(),
            due: s.year.end,
            deadline: None,
            text,
        },
    }))
}
