//! Which records feed which quota, and the per-quota context the kinds are judged in.

use chrono::NaiveDate;

use super::model::{
    Actual, EvidenceInput, Explanation, Finding, QuotaInput, Required, Status, UnitRef,
};
use crate::quota::QuotaRule;

/// Whether a record speaks to a quota at all (dates are each kind's business): not
/// withdrawn, same task, and either pinned to this quota or unpinned with a field the
/// quota's kind reads.
pub(super) fn feeds(record: &EvidenceInput, quota: &QuotaInput) -> bool {
    if record.withdrawn || record.task_id != quota.task_id {
        return false;
    }
    match record.quota_id {
        Some(id) => id == quota.quota_id,
        None => match quota.rule {
            QuotaRule::Count { .. } => record.count > 0,
            QuotaRule::Deadline { .. } => record.completes,
            QuotaRule::Threshold { .. } => record.value.is_some(),
            QuotaRule::WithinWorkdays { .. } => record.event_on.is_some(),
        },
    }
}

/// The plan year's bounds.
#[derive(Debug, Clone, Copy)]
pub(super) struct PlanYear {
    pub year: i32,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl PlanYear {
    pub fn new(year: i32) -> Option<Self> {
        Some(PlanYear {
            year,
            start: NaiveDate::from_ymd_opt(year, 1, 1)?,
            end: NaiveDate::from_ymd_opt(year, 12, 31)?,
        })
    }
}

/// One quota judged for one unit (or the task as a whole), with the records that feed it.
pub(super) struct Subject<'a> {
    pub quota: &'a QuotaInput,
    pub unit: Option<&'a UnitRef>,
    pub records: Vec<&'a EvidenceInput>,
    pub year: PlanYear,
    pub as_of: NaiveDate,
}

/// The kind-specific part of a finding.
pub(super) struct Verdict {
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub required: Required,
    pub actual: Actual,
    pub status: Status,
    pub explanation: Explanation,
}

impl Subject<'_> {
    /// Records that happened by `as_of` (and by `cutoff`), in date order.
    pub fn visible_by(&self, cutoff: NaiveDate) -> impl Iterator<Item = &EvidenceInput> {
        let last = cutoff.min(self.as_of);
        self.records.iter().copied().filter(move |r| r.occurred_on <= last)
    }

    /// "经发局：" for a unit's finding, nothing for the task's.
    pub fn prefix(&self) -> String {
        self.unit.map(|u| format!("{}：", u.name)).unwrap_or_default()
    }

    pub fn finding(&self, v: Verdict) -> Finding {
        Finding {
            task_id: self.quota.task_id,
            task_number: self.quota.task_number,
            quota_id: self.quota.quota_id,
            unit_id: self.unit.map(|u| u.id),
            unit: self.unit.map(|u| u.name.clone()),
            period_start: v.period_start,
            period_end: v.period_end,
            required: v.required,
            actual: v.actual,
            status: v.status,
            explanation: v.explanation,
        }
    }
}

/// "（证据#1、#2）", or "（无证据）".
///
/// Past [`NAMED_IDS`] records the words name the first and last few and the count, so an
/// explanation stays a sentence however many records a period holds.
pub(super) fn evidence_words(ids: &[i64]) -> String {
    if ids.is_empty() {
        return "（无证据）".into();
    }
    let named = |ids: &[i64]| ids.iter().map(|id| format!("#{id}")).collect::<Vec<_>>().join("、");
    if ids.len() <= NAMED_IDS {
        return format!("（证据{}）", named(ids));
    }
    let half = NAMED_IDS / 2;
    format!(
        "（证据{}…{}，共{}条）",
        named(&ids[..half]),
        named(&ids[ids.len() - half..]),
        ids.len()
    )
}

/// How many evidence ids an explanation's words name at most.
pub const NAMED_IDS: usize = 10;

/// Sorts records by the day they occurred, then id, and returns their ids.
pub(super) fn ids_in_date_order(records: &mut [&EvidenceInput]) -> Vec<i64> {
    records.sort_by_key(|r| (r.occurred_on, r.id));
    records.iter().map(|r| r.id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_evidence_lists_name_the_ends_and_the_count() {
        assert_eq!(evidence_words(&[]), "（无证据）");
        assert_eq!(evidence_words(&[3, 9]), "（证据#3、#9）");
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(evidence_words(&ten), "（证据#1、#2、#3、#4、#5、#6、#7、#8、#9、#10）");
        let many: Vec<i64> = (1..=1000).collect();
        assert_eq!(
            evidence_words(&many),
            "（证据#1、#2、#3、#4、#5…#996、#997、#998、#999、#1000，共1000条）"
        );
    }
}
