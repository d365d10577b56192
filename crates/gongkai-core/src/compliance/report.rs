//! Views over findings: a per-unit scorecard and the list of what is due soon.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::model::{Finding, Status};
use crate::calendar::{CalendarError, StartDayRule, WorkCalendar};

/// One unit's record across findings (or the task-wide findings, `unit_id` `None`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitScore {
    /// The unit; `None` groups the findings of task-wide quotas.
    pub unit_id: Option<i64>,
    /// The unit's name.
    pub unit: Option<String>,
    /// Findings per status; all five statuses present.
    pub counts: BTreeMap<Status, usize>,
    /// Findings already decided: met + met_late + missed + overdue.
    pub decided: usize,
    /// Compliance rate (完成率) = (met + met_late) / decided: the share of decided
    /// duties that were done at all. Pending findings are left out because they can
    /// still go either way. `None` when nothing is decided.
    pub rate: Option<f64>,
    /// On-time rate (按时完成率) = met / decided; the gap to `rate` is lateness.
    pub on_time_rate: Option<f64>,
}

/// Groups findings by unit: task-wide (`None`) first, then by name, then id.
type UnitKey<'a> = (Option<&'a str>, Option<i64>);

/// Counts findings per unit. Ordered task-wide first, then by unit name and id.
pub fn scorecard(findings: &[Finding]) -> Vec<UnitScore> {
    let mut by_unit: BTreeMap<UnitKey<'_>, BTreeMap<Status, usize>> = BTreeMap::new();
    for f in findings {
        let counts = by_unit
            .entry((f.unit.as_deref(), f.unit_id))
            .or_insert_with(|| Status::ALL.iter().map(|s| (*s, 0)).collect());
        *counts.entry(f.status).or_insert(0) += 1;
    }
    by_unit
        .into_iter()
        .map(|((unit, unit_id), counts)| {
            let n = |s: Status| counts.get(&s).copied().unwrap_or(0);
            let done = n(Status::Met) + n(Status::MetLate);
            let decided = done + n(Status::Missed) + n(Status::Overdue);
            let share = |k: usize| (decided > 0).then(|| k as f64 / decided as f64);
            UnitScore {
                unit_id,
                unit: unit.map(str::to_string),
                rate: share(done),
                on_time_rate: share(n(Status::Met)),
                decided,
                counts,
            }
        })
        .collect()
}

/// A pending finding that falls due within the horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DueSoonItem {
    /// The finding.
    pub finding: Finding,
    /// Working days after `as_of` up to and including its `period_end` (0: due today).
    pub workdays_left: u32,
}

/// What needs attention as of a day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DueSoon {
    /// The day asked about.
    pub as_of: NaiveDate,
    /// The horizon in working days.
    pub within_workdays: u32,
    /// `as_of` + `within_workdays` working days (not counting `as_of`); pending
    /// findings whose period ends on or before it are listed.
    pub horizon: NaiveDate,
    /// Pending findings ending by the horizon, earliest first.
    pub due_soon: Vec<DueSoonItem>,
    /// Every overdue finding (missed ones are final and left out), earliest first.
    pub overdue: Vec<Finding>,
}

/// Pending findings whose period ends within `within_workdays` working days of `as_of`,
/// and all overdue findings. Fails when the horizon reaches an unpublished year.
pub fn due_soon(
    findings: &[Finding],
    as_of: NaiveDate,
    within_workdays: u32,
    calendar: &WorkCalendar,
) -> Result<DueSoon, CalendarError> {
    let horizon = calendar.add_workdays(as_of, within_workdays, StartDayRule::NotCounted)?.due;
    let mut soon = Vec::new();
    for f in findings {
        if f.status == Status::Pending && f.period_end <= horizon {
            let workdays_left = calendar.workdays_between(as_of, f.period_end)?;
            soon.push(DueSoonItem { finding: f.clone(), workdays_left });
        }
    }
    soon.sort_by_key(|i| i.finding.period_end);
    let mut overdue: Vec<Finding> =
        findings.iter().filter(|f| f.status == Status::Overdue).cloned().collect();
    overdue.sort_by_key(|f| f.period_end);
    Ok(DueSoon { as_of, within_workdays, horizon, due_soon: soon, overdue })
}
