//! The JSON shapes of compliance reads: findings with their explanation, the plan's
//! report, the per-unit scorecard and what is due soon.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use gongkai_core::compliance::{Actual, Explanation, Finding, Required, Status, UnitRef};
use gongkai_core::quota::{QuotaPeriod, ThresholdUnit};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::calendar::types::DeadlineDto;

/// What a finding required, by quota kind.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RequiredDto {
    /// At least `min` (summed counts) in the period.
    Count { min: u32, period: QuotaPeriod },
    /// Completed on or before `due`.
    Deadline { due: NaiveDate },
    /// The latest value reported in the plan year at least `min` (`unit`: percent).
    Threshold { min: f64, unit: ThresholdUnit },
    /// Handled within `days` working days of the event on `event_on`, i.e. by `limit`.
    WithinWorkdays { days: u32, event_on: NaiveDate, limit: NaiveDate },
}

impl From<Required> for RequiredDto {
    fn from(r: Required) -> Self {
        match r {
            Required::Count { min, period } => RequiredDto::Count { min, period },
            Required::Deadline { due } => RequiredDto::Deadline { due },
            Required::Threshold { min, unit } => RequiredDto::Threshold { min, unit },
            Required::WithinWorkdays { days, event_on, limit } => {
                RequiredDto::WithinWorkdays { days, event_on, limit }
            }
        }
    }
}

/// What the evidence showed, by quota kind.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ActualDto {
    /// The sum of counts of the period's records.
    Count { count: u64 },
    /// The earliest completion, if any.
    Deadline { completed_on: Option<NaiveDate> },
    /// The value read (the latest in the plan year) and the day it was reported for.
    Threshold { value: Option<f64>, reported_on: Option<NaiveDate> },
    /// When the event was handled, if it was.
    WithinWorkdays { done_on: Option<NaiveDate> },
}

impl From<Actual> for ActualDto {
    fn from(a: Actual) -> Self {
        match a {
            Actual::Count { count } => ActualDto::Count { count },
            Actual::Deadline { completed_on } => ActualDto::Deadline { completed_on },
            Actual::Threshold { value, reported_on } => ActualDto::Threshold { value, reported_on },
            Actual::WithinWorkdays { done_on } => ActualDto::WithinWorkdays { done_on },
        }
    }
}

/// How the day a finding is decided on was set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DueBasis {
    /// Count quotas: the last day of the period.
    PeriodEnd,
    /// Deadline quotas: the quota's date ("X日前" includes day X).
    QuotaDue,
    /// Thresholds: the last day of the plan year.
    PlanYearEnd,
    /// Within-N-working-days duties: N working days after the event, the event day not
    /// counted (see `deadline`).
    WorkdaysAfterEvent,
}

impl DueBasis {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            DueBasis::PeriodEnd => "period_end",
            DueBasis::QuotaDue => "quota_due",
            DueBasis::PlanYearEnd => "plan_year_end",
            DueBasis::WorkdaysAfterEvent => "workdays_after_event",
        }
    }
}

/// The most evidence ids an explanation lists.
pub const LISTED_IDS: usize = 10;

/// All ids up to [`LISTED_IDS`], else the first and last halves of that.
fn ends(mut ids: Vec<i64>) -> Vec<i64> {
    if ids.len() > LISTED_IDS {
        let half = LISTED_IDS / 2;
        ids.drain(half..ids.len() - half);
    }
    ids
}

/// How a finding was reached.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ExplanationDto {
    /// The reasoning in one Chinese paragraph (periods, sums, dates, evidence ids).
    pub text: String,
    /// The records counted, in date order (for thresholds: the one read).
    /// How many records counted.
    pub evidence_count: usize,
    /// Their ids in date order: all of them up to 10, else the first 5 and the last 5
    /// (the task's evidence list, filtered by unit and dates, gives the rest).
    pub evidence_ids: Vec<i64>,
    /// The day the finding is decided on.
    pub due: NaiveDate,
    /// How `due` was set.
    pub due_basis: DueBasis,
    /// For within-N-working-days duties: how the limit was counted.
    pub deadline: Option<DeadlineDto>,
}

impl ExplanationDto {
    fn new(e: Explanation, required: &Required) -> Self {
        let due_basis = match required {
            Required::Count { .. } => DueBasis::PeriodEnd,
            Required::Deadline { .. } => DueBasis::QuotaDue,
            Required::Threshold { .. } => DueBasis::PlanYearEnd,
            Required::WithinWorkdays { .. } => DueBasis::WorkdaysAfterEvent,
        };
        ExplanationDto {
            text: e.text,
            evidence_count: e.evidence_ids.len(),
            evidence_ids: ends(e.evidence_ids),
            due: e.due,
            due_basis,
            deadline: e.deadline.map(DeadlineDto::from),
        }
    }
}

/// One judgement: a quota, for a unit (null: the task as a whole), over a period.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FindingDto {
    #[schema(example = 15)]
    pub task_number: u32,
    pub quota_id: i64,
    /// The unit judged; null for a quota of the task as a whole.
    pub unit_id: Option<i64>,
    /// Its name; null for a quota of the task as a whole.
    pub unit: Option<String>,
    /// First day of the period (inclusive).
    pub period_start: NaiveDate,
    /// Last day of the period (inclusive).
    pub period_end: NaiveDate,
    pub required: RequiredDto,
    pub actual: ActualDto,
    pub status: Status,
    pub task_id: i64,
    /// The unit that answers for the finding: the finding's own unit, or for a quota of
    /// the task as a whole the task's lead unit (牵头单位); null when the task has none.
    pub accountable_unit_id: Option<i64>,
    pub accountable_unit: Option<String>,
    pub explanation: ExplanationDto,
}

impl FindingDto {
    /// A finding, with the lead units of the plan's tasks to name who answers for it.
    pub fn new(f: Finding, leads: &HashMap<i64, UnitRef>) -> Self {
        let accountable = match (f.unit_id, &f.unit) {
            (Some(id), Some(name)) => Some(UnitRef { id, name: name.clone() }),
            _ => leads.get(&f.task_id).cloned(),
        };
        FindingDto {
            explanation: ExplanationDto::new(f.explanation, &f.required),
            task_number: f.task_number,
            quota_id: f.quota_id,
            unit_id: f.unit_id,
            unit: f.unit,
            period_start: f.period_start,
            period_end: f.period_end,
            required: f.required.into(),
            actual: f.actual.into(),
            status: f.status,
            task_id: f.task_id,
            accountable_unit_id: accountable.as_ref().map(|u| u.id),
            accountable_unit: accountable.map(|u| u.name),
        }
    }
}

/// How many findings have each status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SummaryDto {
    pub met: usize,
    pub met_late: usize,
    pub missed: usize,
    pub overdue: usize,
    pub pending: usize,
}

impl SummaryDto {
    /// Counts statuses.
    pub fn of(statuses: impl IntoIterator<Item = Status>) -> Self {
        let mut s = SummaryDto::default();
        for st in statuses {
            *match st {
                Status::Met => &mut s.met,
                Status::MetLate => &mut s.met_late,
                Status::Missed => &mut s.missed,
                Status::Overdue => &mut s.overdue,
                Status::Pending => &mut s.pending,
            } += 1;
        }
        s
    }

    /// From the engine's map.
    pub fn from_map(m: &BTreeMap<Status, usize>) -> Self {
        let n = |s: Status| m.get(&s).copied().unwrap_or(0);
        SummaryDto {
            met: n(Status::Met),
            met_late: n(Status::MetLate),
            missed: n(Status::Missed),
            overdue: n(Status::Overdue),
            pending: n(Status::Pending),
        }
    }
}

/// A plan's compliance as of a day.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ComplianceReport {
    pub plan_id: i64,
    /// The day judged on; only records that occurred by then count.
    pub as_of: NaiveDate,
    /// Ordered by task number, quota, unit (task-wide first, then by name), period.
    pub findings: Vec<FindingDto>,
    /// How many of the listed findings have each status.
    pub summary: SummaryDto,
}

/// One unit's record for the performance assessment (绩效考核).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScoreDto {
    /// The unit; null on the plan's overall row, and for tasks without a unit.
    pub unit_id: Option<i64>,
    pub unit: Option<String>,
    /// Findings per status.
    pub counts: SummaryDto,
    /// All findings the unit answers for.
    pub findings: usize,
    /// Of them, findings of task-wide quotas credited to the unit as the task's lead.
    pub task_wide_findings: usize,
    /// Findings already decided: met + met_late + missed + overdue.
    pub decided: usize,
    /// Compliance rate (完成率) = (met + met_late) / decided; null when nothing is decided.
    pub rate: Option<f64>,
    /// On-time rate (按时完成率) = met / decided; null when nothing is decided.
    pub on_time_rate: Option<f64>,
}

/// Per-unit scorecard of a plan.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScorecardDto {
    pub plan_id: i64,
    pub as_of: NaiveDate,
    /// One row per unit, by name.
    pub units: Vec<ScoreDto>,
    /// The whole plan: every finding once.
    pub overall: ScoreDto,
}

/// A pending finding due within the horizon.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DueSoonItemDto {
    pub finding: FindingDto,
    /// Working days after `as_of` up to and including the finding's `period_end` (0: due
    /// today).
    pub workdays_left: u32,
}

/// What needs attention: pending findings due within N working days, and every overdue
/// finding.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DueSoonDto {
    pub plan_id: i64,
    pub as_of: NaiveDate,
    /// The horizon in working days.
    pub within_workdays: u32,
    /// `as_of` + `within_workdays` working days (the day of `as_of` not counted).
    pub horizon: NaiveDate,
    /// Pending findings ending by the horizon, earliest first.
    pub due_soon: Vec<DueSoonItemDto>,
    /// Overdue findings (deadlines passed, work not done), earliest first. Missed
    /// periods are final and not listed.
    pub overdue: Vec<FindingDto>,
    /// Rectification items (整改) not yet verified and due by the horizon — of this
    /// plan's look-backs and of the look-back carried over from the year before.
    pub rectifications_due_soon: Vec<crate::ledger::types::RectificationDto>,
    /// Rectification items past their due date and not yet verified.
    pub rectifications_overdue: Vec<crate::ledger::types::RectificationDto>,
    /// Opinion cases (舆情) of this plan's tasks not responded to and due by the horizon,
    /// and pending promises (承诺) due by it; with `unit_id`, those that unit answers for
    /// (a case's lead unit, a promise's unit).
    pub opinion_due_soon: Vec<crate::opinion::types::OpinionDueItemDto>,
    /// Opinion cases not responded to past their response due date, and pending promises
    /// past theirs.
    pub opinion_overdue: Vec<crate::opinion::types::OpinionDueItemDto>,
}
