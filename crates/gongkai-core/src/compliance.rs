//! The compliance engine: is each responsible unit meeting its duties as of a day?
//!
//! [`evaluate`] is a pure function of the plan year, the quotas, the evidence, the
//! working-day calendar and the day asked about. Statuses depend on the dates written
//! in the evidence (`occurred_on`, `event_on`), never on when a record was stored, so a
//! report for a past day can be reproduced at any time. Each kind's rule is documented
//! in its submodule: `count`, `deadline`, `threshold`, `within`.
//!
//! Common rules: a record feeds a quota when it is not withdrawn, belongs to the
//! quota's task, and is pinned to the quota (`quota_id`) or unpinned with a field the
//! quota's kind reads (see [`EvidenceInput`]). Only records that occurred by `as_of`
//! count; periods are inclusive, a period has ended when `as_of` is after its last day,
//! and periods that start after `as_of` are not listed.

mod count;
mod deadline;
mod feed;
mod model;
mod periods;
mod report;
mod threshold;
mod within;

pub use model::{
    Actual, Evaluation, EvidenceInput, Explanation, Finding, QuotaInput, QuotaScope, Required,
    Status, UnitRef,
};
pub use report::{DueSoon, DueSoonItem, UnitScore, due_soon, scorecard};

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::calendar::{CalendarError, WorkCalendar};
use crate::quota::QuotaRule;
use feed::{PlanYear, Subject, feeds};

/// Why an evaluation could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ComplianceError {
    /// The plan year has no representable 1 January or 31 December.
    #[error("{year} is not a usable plan year")]
    InvalidPlanYear {
        /// The year given.
        year: i32,
    },
    /// A quota's parameters are nonsense (see [`QuotaRule::validate`]).
    #[error("quota {quota_id}: {field}: {message}")]
    InvalidQuota {
        /// The quota.
        quota_id: i64,
        /// The offending field.
        field: &'static str,
        /// Why.
        message: String,
    },
    /// The limit of a within-N-working-days event could not be counted (typically the
    /// next year's holiday notice is not loaded yet).
    #[error("quota {quota_id}, event of {event_on}: {source}")]
    Calendar {
        /// The quota.
        quota_id: i64,
        /// The event whose limit was being counted.
        event_on: NaiveDate,
        /// The calendar's answer.
        source: CalendarError,
    },
}

impl ComplianceError {
    /// The stable snake_case code; calendar failures keep the calendar's own code
    /// (`calendar_unpublished`, …).
    pub fn code(&self) -> &'static str {
        match self {
            ComplianceError::InvalidPlanYear { .. } => "plan_year_invalid",
            ComplianceError::InvalidQuota { .. } => "quota_invalid",
            ComplianceError::Calendar { source, .. } => source.code(),
        }
    }
}

/// Judges every quota as of `as_of` for the plan of `plan_year`.
///
/// One finding per calendar period (count), per quota (deadline, threshold) or per
/// triggering event (within N working days) — for the task as a whole, or per unit for
/// [`QuotaScope::EachUnit`]. Findings are ordered by task number, quota id, unit
/// (task-wide first, then by name, then id) and period start; the summary holds all
/// five statuses. The calendar is read only for within-N-working-days limits.
pub fn evaluate(
    plan_year: i32,
    quotas: &[QuotaInput],
    evidence: &[EvidenceInput],
    calendar: &WorkCalendar,
    as_of: NaiveDate,
) -> Result<Evaluation, ComplianceError> {
    let year =
        PlanYear::new(plan_year).ok_or(ComplianceError::InvalidPlanYear { year: plan_year })?;
    let mut findings = Vec::new();
    for quota in quotas {
        quota.rule.validate().map_err(|(field, message)| ComplianceError::InvalidQuota {
            quota_id: quota.quota_id,
            field,
            message,
        })?;
        let fed: Vec<&EvidenceInput> = evidence.iter().filter(|r| feeds(r, quota)).collect();
        match &quota.scope {
            QuotaScope::Task => {
                let subject = Subject { quota, unit: None, records: fed, year, as_of };
                findings.extend(judge(&subject, calendar)?);
            }
            QuotaScope::EachUnit { units } => {
                let mut seen = Vec::with_capacity(units.len());
                for unit in units {
                    if seen.contains(&unit.id) {
                        continue;
                    }
                    seen.push(unit.id);
                    let records = fed.iter().copied().filter(|r| r.unit_id == unit.id).collect();
                    let subject = Subject { quota, unit: Some(unit), records, year, as_of };
                    findings.extend(judge(&subject, calendar)?);
                }
            }
        }
    }
    findings.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
    let mut summary: BTreeMap<Status, usize> = Status::ALL.iter().map(|s| (*s, 0)).collect();
    for f in &findings {
        *summary.entry(f.status).or_insert(0) += 1;
    }
    Ok(Evaluation { as_of, findings, summary })
}

fn judge(subject: &Subject<'_>, calendar: &WorkCalendar) -> Result<Vec<Finding>, ComplianceError> {
    Ok(match subject.quota.rule {
        QuotaRule::Count { min, period } => count::judge_count(subject, min, period),
        QuotaRule::Deadline { due } => deadline::judge_deadline(subject, due).into_iter().collect(),
        QuotaRule::Threshold { min, unit } => {
            threshold::judge_threshold(subject, min, unit).into_iter().collect()
        }
        QuotaRule::WithinWorkdays { days } => within::judge_within(subject, days, calendar)?,
    })
}

fn order_key(f: &Finding) -> (u32, i64, Option<&str>, Option<i64>, NaiveDate) {
    (f.task_number, f.quota_id, f.unit.as_deref(), f.unit_id, f.period_start)
}
